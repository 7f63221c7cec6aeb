"""Staff record that they told the citizen the result themselves (call, letter, in person)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from handlers.outbox import delivery
from handlers.workflow.actors import Actor
from handlers.workflow.core import begin, record
from handlers.workflow.errors import InvalidInput
from storage.models import Petition, StaffUser


def record_delivery(
    session: Session,
    petition: Petition,
    *,
    actor: Actor | StaffUser,
    via: str,
    note: str,
    now: datetime,
) -> Petition:
    """The result reached the citizen by `via`, now; audited like every change."""
    who = begin(session, actor, "record_delivery", petition)
    if via not in delivery.MANUAL_VIAS:
        raise InvalidInput("Hình thức báo kết quả không hợp lệ.")
    delivery.record_manual(petition, via=via, note=note, now=now)
    label = delivery.MANUAL_VIAS[via]
    record(session, petition, who, "record_delivery", now=now, note=f"{label}. {note}".strip())
    return petition
