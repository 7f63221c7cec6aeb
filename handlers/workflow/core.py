"""The one way a transition is written: check, change, audit event in the same transaction.

Each transition also writes a general audit-log entry (handlers.audit) with the values that
changed, so the audit viewer shows petition changes beside every other audited act.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from handlers.audit import petitions as audit
from handlers.tasks.items import settle
from handlers.workflow import rules
from handlers.workflow.actors import Actor, as_actor
from handlers.workflow.calendar import WorkCalendar
from handlers.workflow.clocks import DEFAULT_POLICY, DeadlinePolicy, refresh_next_due
from handlers.workflow.errors import InvalidInput
from handlers.workflow.labels import ACTION_LABELS
from storage.models import Forward, Petition, PetitionEvent, StaffUser
from storage.models.enums import ActorType
from storage.models.enums import PetitionState as S


def begin(session: Session, actor: Actor | StaffUser, action: str, petition: Petition) -> Actor:
    """Check scope, role and source state; make sure the petition has an id."""
    who = as_actor(actor)
    if petition.id is None:
        session.add(petition)
        session.flush()
    rules.check(session, who, action, petition)
    audit.remember(session, petition)
    return who


def record(
    session: Session,
    petition: Petition,
    actor: Actor,
    action: str,
    *,
    now: datetime,
    to_state: str | None = None,
    note: str = "",
) -> PetitionEvent:
    """Move the petition (if to_state) and write the audit event; flushed, so it has an id.

    The to-do items this action handles are marked done in the same transaction.
    """
    from_state = petition.state
    if to_state is not None:
        petition.state = to_state
    petition.updated_at = now
    event = PetitionEvent(
        petition_id=petition.id,
        actor_type=actor.type,
        actor_id=actor.id,
        action=action,
        from_state=from_state,
        to_state=petition.state,
        note=note,
        created_at=now,
    )
    session.add(event)
    session.flush()
    audit.record_change(
        session, petition, actor, action, now=now, from_state=from_state, event_id=event.id
    )
    settle(
        session,
        petition.id,
        action,
        now=now,
        closed=petition.state == S.CLOSED and from_state != S.CLOSED,
        staff_id=actor.id if actor.type == ActorType.STAFF else None,
        note=f"Đã xử lý: {ACTION_LABELS.get(action, action)}",
    )
    return event


def calendar_of(session: Session, calendar: WorkCalendar | None) -> WorkCalendar:
    """The given calendar, or the holiday table's."""
    return calendar if calendar is not None else WorkCalendar.load(session)


def settle_clocks(
    session: Session,
    petition: Petition,
    calendar: WorkCalendar,
    forward: Forward | None = None,
    policy: DeadlinePolicy = DEFAULT_POLICY,
) -> None:
    """Recompute next_due_at after a change."""
    refresh_next_due(session, petition, calendar, forward, policy)


def required(value: str | None, what: str) -> str:
    """A non-blank text input, stripped."""
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"Cần nhập {what}.")
    return text
