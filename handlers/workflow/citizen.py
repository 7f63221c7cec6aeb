"""Transitions a citizen (through the bot) starts: submit, withdraw, feedback, more information."""

from __future__ import annotations

import logging
from datetime import date, datetime

from sqlalchemy.orm import Session

from handlers.workflow import clocks
from handlers.workflow.actors import SYSTEM, Actor
from handlers.workflow.calendar import WorkCalendar, local_date
from handlers.workflow.codes import DEFAULT_CODE_PREFIX, next_code
from handlers.workflow.core import begin, calendar_of, record, settle_clocks
from handlers.workflow.errors import InvalidInput
from handlers.workflow.labels import CLOSE_REASON_LABELS
from handlers.workflow.notify import notify_citizen
from handlers.workflow.queries import active_forward, state_before_pause
from handlers.workflow.search import refresh_search_text
from storage.models import Petition, StaffUser
from storage.models.enums import CloseReason
from storage.models.enums import PetitionState as S

logger = logging.getLogger(__name__)


def _owner(petition: Petition, actor: Actor | StaffUser | None) -> Actor | StaffUser:
    """The citizen who owns the petition, or the system for one without a Zalo citizen."""
    if actor is not None:
        return actor
    return Actor.of_citizen(petition.citizen_id) if petition.citizen_id else SYSTEM


def submit(
    session: Session,
    petition: Petition,
    *,
    now: datetime,
    actor: Actor | StaffUser | None = None,
    code_prefix: str = DEFAULT_CODE_PREFIX,
    calendar: WorkCalendar | None = None,
    received_on: date | None = None,
) -> Petition:
    """draft → received: issue the code, start the clocks, audit, queue notify.received.

    received_on: the day a letter, visit, call or email reached the office when staff enter
    it later (see clocks.receipt_time): received_at and every clock start from that day, so
    an old letter can be overdue at once, and the monthly report counts it in its month. The
    audit event and the code keep `now`: the code is a register number issued on entry, in
    issue order, so no code of a month appears after that month's report was sent.
    """
    received_at = clocks.receipt_time(received_on, now)
    who = begin(session, _owner(petition, actor), "submit", petition)
    cal = calendar_of(session, calendar)
    petition.code = next_code(session, now, code_prefix)
    petition.received_at = received_at
    clocks.start_received(petition, cal, received_at)
    refresh_search_text(petition)
    note = clocks.receipt_note(received_at, now)
    event = record(session, petition, who, "submit", now=now, to_state=S.RECEIVED, note=note)
    settle_clocks(session, petition, cal)
    receipt = "notify.received_urgent" if petition.urgent else "notify.received"
    notify_citizen(session, petition, receipt, event)
    logger.info("petition %s submitted as %s", petition.id, petition.code)
    return petition


def withdraw(
    session: Session,
    petition: Petition,
    *,
    now: datetime,
    reason_note: str = "",
    actor: Actor | StaffUser | None = None,
) -> Petition:
    """Any open state → closed (withdrawn); the running handler clock stops."""
    who = begin(session, _owner(petition, actor), "withdraw", petition)
    close_now(session, petition, CloseReason.WITHDRAWN, now)
    event = record(session, petition, who, "withdraw", now=now, to_state=S.CLOSED, note=reason_note)
    notify_citizen(
        session, petition, "notify.closed", event, reason=CLOSE_REASON_LABELS[CloseReason.WITHDRAWN]
    )
    return petition


def record_feedback(
    session: Session,
    petition: Petition,
    *,
    satisfied: bool | None,
    rating: int | None,
    now: datetime,
    actor: Actor | StaffUser | None = None,
    calendar: WorkCalendar | None = None,
) -> Petition:
    """Satisfied → closed (resolved); not satisfied within 30 days → reopened; a rating alone
    (satisfied=None) is kept in any later state."""
    if rating is not None and not 1 <= rating <= 5:
        raise InvalidInput("Điểm đánh giá phải từ 1 đến 5.")
    who = _owner(petition, actor)
    if satisfied is None:
        return _rating_only(session, petition, who, rating, now)
    who = begin(session, who, "feedback", petition)
    petition.satisfied = satisfied
    if rating is not None:
        petition.rating = rating
    note = f"Hài lòng: {'có' if satisfied else 'không'}" + (f", {rating}/5" if rating else "")
    if satisfied:
        close_now(session, petition, CloseReason.RESOLVED, now)
        event = record(session, petition, who, "feedback", now=now, to_state=S.CLOSED, note=note)
        notify_citizen(
            session,
            petition,
            "notify.closed",
            event,
            reason=CLOSE_REASON_LABELS[CloseReason.RESOLVED],
        )
    elif within_reopen_window(petition, now):
        cal = calendar_of(session, calendar)
        start_reopened(petition, cal, now)
        event = record(session, petition, who, "feedback", now=now, to_state=S.REOPENED, note=note)
        settle_clocks(session, petition, cal)
        notify_citizen(session, petition, "notify.reopened", event)
    else:
        record(session, petition, who, "feedback", now=now, note=note + " (quá hạn mở lại)")
    return petition


def _rating_only(
    session: Session, petition: Petition, who: Actor | StaffUser, rating: int | None, now: datetime
) -> Petition:
    if rating is None:
        raise InvalidInput("Thiếu điểm đánh giá.")
    actor = begin(session, who, "rate", petition)
    petition.rating = rating
    record(session, petition, actor, "feedback", now=now, note=f"Đánh giá {rating}/5")
    return petition


def add_citizen_info(
    session: Session,
    petition: Petition,
    *,
    now: datetime,
    actor: Actor | StaffUser | None = None,
    note: str = "",
    calendar: WorkCalendar | None = None,
) -> Petition:
    """need_info → the working state it left; the clocks resume, pushed back by the pause."""
    who = begin(session, _owner(petition, actor), "add_info", petition)
    cal = calendar_of(session, calendar)
    forward = active_forward(session, petition)
    days = clocks.resume(petition, forward, cal, now)
    target = state_before_pause(session, petition)
    note = (note + " " if note else "") + f"(tạm dừng {days} ngày)"
    record(session, petition, who, "add_info", now=now, to_state=target, note=note)
    settle_clocks(session, petition, cal, forward)
    return petition


# ---------------------------------------------------------------- shared helpers


def close_now(session: Session, petition: Petition, reason: str, now: datetime) -> None:
    """Closing: reason, time, no clock, and the handler clock of any forward stops."""
    petition.close_reason = reason
    petition.closed_at = now
    petition.next_due_at = None
    petition.paused_at = None
    forward = active_forward(session, petition)
    if forward is not None:
        forward.active = False


def start_reopened(petition: Petition, cal: WorkCalendar, now: datetime) -> None:
    """A reopened petition is triaged and decided again, with fresh clocks."""
    petition.closed_at = None
    petition.close_reason = None
    petition.decided_at = None
    petition.triaged_at = None
    clocks.start_received(petition, cal, now)


def within_reopen_window(
    petition: Petition, now: datetime, policy: clocks.DeadlinePolicy = clocks.DEFAULT_POLICY
) -> bool:
    """Whether the citizen may still say 'not resolved' (30 days after the result)."""
    sent = petition.result_sent_at or petition.decided_at or petition.closed_at
    if sent is None:
        return True
    return (local_date(now) - local_date(sent)).days <= policy.reopen_window_days
