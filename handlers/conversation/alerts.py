"""Things staff must see (StaffNotification rows); emergencies are in emergency.py."""

from __future__ import annotations

import logging

from handlers.conversation.state import Turn
from storage.models import Petition, StaffNotification

logger = logging.getLogger(__name__)


def notify_staff(
    turn: Turn, kind: str, title: str, body: str = "", *, petition: Petition | None = None
) -> StaffNotification:
    """A notification for the staff of the petition's (or the citizen's) ward."""
    ward_id = petition.ward_id if petition is not None else turn.citizen.ward_id
    note = StaffNotification(
        kind=kind,
        ward_id=ward_id,
        petition_id=petition.id if petition is not None else None,
        staff_id=petition.assignee_id if petition is not None else None,
        title=title[:300],
        body=body,
        created_at=turn.now,
    )
    turn.session.add(note)
    return note
