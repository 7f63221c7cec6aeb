"""A petition's history as the report reads it: its state at any instant, replayed from the
audit trail (every transition is a PetitionEvent written with the change), and its forwards.

The petition row only knows where it stands today; a reopened petition has lost its earlier
close, and a report of a past month needs the state at that month's end.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from handlers.workflow.calendar import WorkCalendar, end_of_day, local_date
from handlers.workflow.clocks import DEFAULT_POLICY, DeadlinePolicy, calendar_due
from handlers.workflow.labels import reason_of_close_note
from storage.models import Forward, Petition, PetitionEvent
from storage.models.enums import PetitionState as S

#: The Front's work is done: the citizen has an answer or a result, or the petition is closed.
SETTLED = frozenset({S.ANSWERED_BY_FRONT, S.RESULT_SENT, S.CLOSED})
#: The Front has not decided yet (answer, forward or close): its 10-day clock runs.
UNDECIDED = frozenset({S.RECEIVED, S.TRIAGED, S.REOPENED})
#: An agency holds the petition: the forward's handler clock runs.
AT_AGENCY = frozenset({S.FORWARDED, S.AGENCY_ACKNOWLEDGED})


@dataclass(frozen=True, slots=True)
class Change:
    """One state change of the audit trail."""

    at: datetime
    action: str
    from_state: str
    to_state: str
    reason: str | None = None  # a close's reason as given then (a reopening clears the row's)

    @property
    def settles(self) -> bool:
        return self.from_state not in SETTLED and self.to_state in SETTLED

    @property
    def unsettles(self) -> bool:
        return self.from_state in SETTLED and self.to_state not in SETTLED


@dataclass(frozen=True, slots=True)
class Sent:
    """A forward, as far as the report needs it."""

    agency_id: int
    sent_on: date
    due_on: date
    answered_at: datetime | None
    created_at: datetime

    def answered_before(self, instant: datetime) -> bool:
        return self.answered_at is not None and self.answered_at < instant

    @property
    def on_time(self) -> bool:
        return self.answered_at is not None and self.answered_at < end_of_day(self.due_on)


@dataclass(slots=True)
class Trail:
    """One petition: its fixed facts, its state changes (oldest first) and its forwards."""

    id: int
    code: str
    received_at: datetime
    channel: str
    ward_id: int | None
    category_id: int | None
    legal_type: str | None
    close_reason: str | None
    changes: list[Change] = field(default_factory=list)
    forwards: list[Sent] = field(default_factory=list)

    def state_at(self, instant: datetime) -> str | None:
        """The state just before `instant`; None when not yet received."""
        if self.received_at >= instant:
            return None
        state: str = S.RECEIVED
        for change in self.changes:
            if change.at >= instant:
                break
            state = change.to_state
        return state

    def changes_in(self, start: datetime, end: datetime) -> Iterator[Change]:
        return (c for c in self.changes if start <= c.at < end)

    def forward_at(self, instant: datetime) -> Sent | None:
        """The newest forward sent before `instant`."""
        sent = [f for f in self.forwards if f.created_at < instant]
        return sent[-1] if sent else None

    def running_forward(self, instant: datetime) -> Sent | None:
        """The forward whose handler clock runs at `instant` (an agency holds the petition)."""
        if self.state_at(instant) not in AT_AGENCY:
            return None
        forward = self.forward_at(instant)
        if forward is None or forward.answered_before(instant):
            return None
        return forward

    def decision_due(
        self, before: datetime, cal: WorkCalendar, policy: DeadlinePolicy = DEFAULT_POLICY
    ) -> date:
        """The Front's decision deadline of the cycle running at `before`: 10 calendar days
        from receipt (or from the reopening), run to a working day, then pushed back by each
        wait on the citizen and run to a working day again: the workflow's clocks, step by
        step (clocks.start_received, clocks.resume), so the report and the page agree."""
        start, pause_start = self.received_at, None
        pauses: list[int] = []
        for change in self.changes:
            if change.at >= before:
                break
            if change.unsettles:
                start, pauses, pause_start = change.at, [], None  # a new cycle
            if change.to_state == S.NEED_INFO:
                pause_start = change.at
            elif change.from_state == S.NEED_INFO and pause_start is not None:
                pauses.append(max(0, (local_date(change.at) - local_date(pause_start)).days))
                pause_start = None
        due = calendar_due(cal, local_date(start), policy.decision_days)
        for days in pauses:
            due = calendar_due(cal, due, days)
        return due


CHUNK = 500  # ids per IN list (SQLite caps the parameters of one query)
#: Submitted states that are not settled: "open" for the index on (state, received_at).
OPEN = sorted(frozenset(S) - SETTLED - {S.DRAFT})


def candidate_ids(
    session: Session, start: datetime, as_of: datetime, ward_id: int | None
) -> list[int]:
    """Every petition the period can count: received by `as_of` and either received in the
    period, open today, or changed since the period began (the others were settled all
    through the period and count nowhere). Three indexed reads, not one scan."""
    scoped = [Petition.ward_id == ward_id] if ward_id is not None else []
    received = select(Petition.id).where(
        Petition.received_at >= start, Petition.received_at < as_of, *scoped
    )
    still_open = select(Petition.id).where(
        Petition.state.in_(OPEN), Petition.received_at < as_of, *scoped
    )
    changed = (
        select(PetitionEvent.petition_id)
        .join(Petition, Petition.id == PetitionEvent.petition_id)
        .where(
            PetitionEvent.created_at >= start,
            PetitionEvent.from_state != PetitionEvent.to_state,
            Petition.received_at < as_of,
            *scoped,
        )
    )
    ids: set[int] = set()
    for query in (received, still_open, changed):
        ids.update(session.scalars(query))
    return sorted(ids)


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def load_trails(
    session: Session, start: datetime, as_of: datetime, ward_id: int | None
) -> list[Trail]:
    """The candidates' trails (see candidate_ids), oldest receipt first."""
    trails: dict[int, Trail] = {}
    ids = candidate_ids(session, start, as_of, ward_id)
    for chunk in _chunks(ids):
        rows = session.execute(
            select(
                Petition.id,
                Petition.code,
                Petition.received_at,
                Petition.channel,
                Petition.ward_id,
                Petition.category_id,
                Petition.legal_type,
                Petition.close_reason,
            ).where(Petition.id.in_(chunk))
        )
        for row in rows:
            trails[row.id] = Trail(
                id=row.id,
                code=row.code or f"#{row.id}",
                received_at=row.received_at,
                channel=row.channel,
                ward_id=row.ward_id,
                category_id=row.category_id,
                legal_type=row.legal_type,
                close_reason=row.close_reason,
            )
        _attach_changes(session, trails, chunk, as_of)
        _attach_forwards(session, trails, chunk)
    return sorted(trails.values(), key=lambda t: (t.received_at, t.id))


def _attach_changes(
    session: Session, trails: dict[int, Trail], ids: list[int], as_of: datetime
) -> None:
    events = session.execute(
        select(
            PetitionEvent.petition_id,
            PetitionEvent.created_at,
            PetitionEvent.action,
            PetitionEvent.from_state,
            PetitionEvent.to_state,
            case((PetitionEvent.to_state == S.CLOSED, PetitionEvent.note)),
        )
        .where(
            PetitionEvent.petition_id.in_(ids),
            PetitionEvent.created_at < as_of,
            PetitionEvent.from_state != PetitionEvent.to_state,
            PetitionEvent.from_state != S.DRAFT,
        )
        .order_by(PetitionEvent.petition_id, PetitionEvent.created_at, PetitionEvent.id)
    )
    for pid, at, action, from_state, to_state, note in events:
        reason = reason_of_close_note(note)
        trails[pid].changes.append(Change(at, action, from_state or "", to_state or "", reason))


def _attach_forwards(session: Session, trails: dict[int, Trail], ids: list[int]) -> None:
    rows = session.execute(
        select(
            Forward.petition_id,
            Forward.agency_id,
            Forward.sent_on,
            Forward.handler_due_on,
            Forward.answered_at,
            Forward.created_at,
        )
        .where(Forward.petition_id.in_(ids))
        .order_by(Forward.petition_id, Forward.created_at, Forward.id)
    )
    for pid, agency_id, sent_on, due_on, answered_at, created_at in rows:
        trails[pid].forwards.append(Sent(agency_id, sent_on, due_on, answered_at, created_at))


def feedback_answers(
    session: Session, start: datetime, end: datetime, ward_id: int | None
) -> Iterable[tuple[int, int | None, bool]]:
    """(petition id, ward id, satisfied) for each satisfaction answer given in [start, end).

    A satisfied answer closes the petition; an unsatisfied one reopens it, or (after the
    reopening window) leaves it as it was with the workflow's "Hài lòng: không" note.
    """
    query = (
        select(
            PetitionEvent.petition_id, Petition.ward_id, PetitionEvent.to_state, PetitionEvent.note
        )
        .join(Petition, Petition.id == PetitionEvent.petition_id)
        .where(
            PetitionEvent.action == "feedback",
            PetitionEvent.note.like("Hài lòng:%"),
            PetitionEvent.created_at >= start,
            PetitionEvent.created_at < end,
        )
    )
    if ward_id is not None:
        query = query.where(Petition.ward_id == ward_id)
    for pid, ward_id, to_state, note in session.execute(query):
        yield pid, ward_id, to_state == S.CLOSED and note.startswith("Hài lòng: có")


def ratings(session: Session, petition_ids: list[int]) -> dict[int, int]:
    """The citizens' 1–5 ratings of these petitions, by petition id."""
    found: dict[int, int] = {}
    for i in range(0, len(petition_ids), 500):  # SQLite caps the parameters of one query
        chunk = petition_ids[i : i + 500]
        rows = session.execute(
            select(Petition.id, Petition.rating).where(
                Petition.id.in_(chunk), Petition.rating.is_not(None)
            )
        )
        found.update({pid: rating for pid, rating in rows if rating is not None})
    return found
