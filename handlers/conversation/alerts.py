"""Things staff must see: items of «Việc cần làm» (emergencies are in emergency.py)."""

from __future__ import annotations

import logging

from handlers.conversation.state import Turn
from handlers.tasks import raise_item
from storage.models import Petition, StaffNotification

logger = logging.getLogger(__name__)


def notify_staff(
    turn: Turn,
    kind: str,
    title: str,
    body: str = "",
    *,
    petition: Petition | None = None,
    key: str | None = None,
) -> StaffNotification:
    """An item for the petition's officer, else the officers of its (or the citizen's) ward."""
    ward_id = petition.ward_id if petition is not None else turn.citizen.ward_id
    return raise_item(
        turn.session,
        kind=kind,
        ward_id=ward_id,
        petition_id=petition.id if petition is not None else None,
        staff_id=petition.assignee_id if petition is not None else None,
        title=title,
        body=body,
        now=turn.now,
        key=key,
    )
