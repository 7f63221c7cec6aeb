"""Alerts for administrators (a StaffNotification row the admin view shows)."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import StaffNotification
from storage.models.enums import Role

logger = logging.getLogger(__name__)


def alert_admins(
    session: Session, *, kind: str, title: str, body: str, now: datetime
) -> StaffNotification | None:
    """Tell administrators once: no new row while an unread alert of the same kind exists."""
    unread = session.scalar(
        select(StaffNotification.id).where(
            StaffNotification.kind == kind,
            StaffNotification.role == Role.ADMIN,
            StaffNotification.read_at.is_(None),
        )
    )
    if unread is not None:
        return None
    note = StaffNotification(role=Role.ADMIN, kind=kind, title=title, body=body, created_at=now)
    session.add(note)
    logger.warning("alert for administrators: %s", kind)
    return note
