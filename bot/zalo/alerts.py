"""Alerts for administrators: a "Việc cần làm" item for the admin role."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from handlers.tasks import raise_item
from storage.models import StaffNotification
from storage.models.enums import Role

logger = logging.getLogger(__name__)


def alert_admins(
    session: Session, *, kind: str, title: str, body: str, now: datetime
) -> StaffNotification | None:
    """Tell administrators once: no new alert while the last one of this kind is not done."""
    item = raise_item(
        session,
        kind=kind,
        title=title,
        body=body,
        now=now,
        role=Role.ADMIN,
        key=f"admin:{kind}",
        again_when_done=True,
    )
    if item.created_at != now:
        return None  # still open from an earlier failure
    logger.warning("alert for administrators: %s", kind)
    return item
