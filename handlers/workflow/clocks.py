"""The petition's clocks: set on each transition, paused in need_info, and the overdue flag.

Working-day clocks (triage, handler deadlines of QĐ 960, result relay, satisfaction) skip
weekends and holidays; statutory clocks (the 10-day decision notice, 30-day handler
deadlines) count calendar days, and one that ends on a day off runs to the next working day
(Bộ luật Dân sự 2015, Art. 148). No deadline ever falls on a day off. `next_due_at` always
holds the nearest open deadline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_
from sqlalchemy.orm import Session

from handlers.workflow.calendar import WorkCalendar, end_of_day, local_date, start_of_day
from handlers.workflow.errors import InvalidInput
from storage.models import Forward, Petition
from storage.models.enums import LegalType
from storage.models.enums import PetitionState as S


@dataclass(frozen=True)
class DeadlinePolicy:
    """The defaults of petition-workflow.md's clock table; staff override per forward."""

    triage_target_wd: int = 1
    triage_hard_wd: int = 3
    decision_days: int = 10
    urgent_wd: int = 1
    simple_wd: int = 3
    works_wd: int = 5
    kien_nghi_days: int = 30
    khieu_nai_accept_days: int = 10
    khieu_nai_decide_days: int = 30
    khieu_nai_complex_days: int = 45
    to_cao_days: int = 30
    to_cao_extension_days: int = 30
    result_relay_wd: int = 2
    feedback_wd: int = 10
    reopen_window_days: int = 30
    works_categories: frozenset[str] = field(
        default_factory=lambda: frozenset({"giao_thong", "xay_dung_do_thi", "ha_tang_dien_nuoc"})
    )


DEFAULT_POLICY = DeadlinePolicy()

#: States whose clock belongs to the Front or an agency: only these can be overdue.
CLOCKED_STATES = frozenset(
    {S.RECEIVED, S.TRIAGED, S.REOPENED, S.FORWARDED, S.AGENCY_ACKNOWLEDGED, S.AGENCY_ANSWERED}
)
#: States waiting on the citizen's satisfaction answer (next_due_at = auto-close moment).
FEEDBACK_STATES = frozenset({S.RESULT_SENT, S.ANSWERED_BY_FRONT})


def handler_deadline(
    cal: WorkCalendar,
    sent_on: date,
    *,
    legal_type: str | None,
    urgent: bool,
    category_code: str | None = None,
    complex_case: bool = False,
    policy: DeadlinePolicy = DEFAULT_POLICY,
) -> tuple[date, str]:
    """The default handler deadline of a forward and the rule it comes from (shown to staff)."""
    if urgent:
        return cal.add_working_days(sent_on, policy.urgent_wd), "Khẩn cấp: 1 ngày làm việc"
    if legal_type == LegalType.KHIEU_NAI:
        days = policy.khieu_nai_accept_days + (
            policy.khieu_nai_complex_days if complex_case else policy.khieu_nai_decide_days
        )
        return calendar_due(cal, sent_on, days), f"Khiếu nại: {days} ngày (thụ lý + giải quyết)"
    if legal_type == LegalType.TO_CAO:
        return calendar_due(cal, sent_on, policy.to_cao_days), f"Tố cáo: {policy.to_cao_days} ngày"
    if legal_type == LegalType.PHAN_ANH:
        if category_code in policy.works_categories:
            return (
                cal.add_working_days(sent_on, policy.works_wd),
                f"Phản ánh về công trình: {policy.works_wd} ngày làm việc",
            )
        return (
            cal.add_working_days(sent_on, policy.simple_wd),
            f"Phản ánh đơn giản: {policy.simple_wd} ngày làm việc",
        )
    return (
        calendar_due(cal, sent_on, policy.kien_nghi_days),
        f"Kiến nghị: {policy.kien_nghi_days} ngày",
    )


def calendar_due(cal: WorkCalendar, start: date, days: int) -> date:
    """A deadline of `days` calendar days; ending on a day off, it runs to the next working day."""
    return cal.next_working_day(cal.add_days(start, days))


#: The oldest day of receipt an officer may give a petition entered on someone's behalf,
#: counted back from today. The Front's longest own clock is the 10-day decision notice, so a
#: letter a month old has missed every one of them already; an older date is far more often a
#: typo (wrong month or year) than a letter found in a drawer. An older letter is entered
#: with today's date, its real date of receipt written in the text; when a report already sent
#: covers the day given, the officer is told it leaves the petition out.
OLDEST_RECEIPT = timedelta(days=30)


def receipt_time(
    received_on: date | None,
    now: datetime,
    *,
    oldest: timedelta = OLDEST_RECEIPT,
    what: str = "Đơn",
) -> datetime:
    """When something brought by letter, visit, call or email counts as received: `now` for
    today (or no date), else the start of that local day, since only the date drives the
    clocks and the reports and the hour of an earlier day is unknown. Raises InvalidInput for
    a future date or one more than `oldest` ago (`what`: the thing, in the message)."""
    today = local_date(now)
    if received_on is None or received_on == today:
        return now
    if received_on > today:
        raise InvalidInput("Ngày nhận không thể sau hôm nay.")
    first = today - oldest
    if received_on < first:
        raise InvalidInput(
            f"Ngày nhận không được trước {first:%d/%m/%Y} ({oldest.days} ngày trước). "
            f"{what} nhận lâu hơn: ghi ngày hôm nay và ghi rõ ngày nhận trong nội dung."
        )
    return start_of_day(received_on)


def receipt_note(received_at: datetime, now: datetime) -> str:
    """The submit event's note when the petition was received on an earlier day than entered."""
    received, entered = local_date(received_at), local_date(now)
    if received == entered:
        return ""
    return f"Nhận ngày {received:%d/%m/%Y}, nhập ngày {entered:%d/%m/%Y}"


def start_received(
    petition: Petition, cal: WorkCalendar, now: datetime, policy: DeadlinePolicy = DEFAULT_POLICY
) -> None:
    """Triage (1 target, 3 hard working days) and the 10-day decision notice from the day of
    `now` (the day of receipt for a new petition, the day of reopening for a reopened one)."""
    today = local_date(now)
    petition.triage_due_on = cal.add_working_days(today, policy.triage_target_wd)
    petition.triage_hard_due_on = cal.add_working_days(today, policy.triage_hard_wd)
    petition.decision_due_on = calendar_due(cal, today, policy.decision_days)
    petition.paused_at = None
    petition.paused_days = 0


def pause(petition: Petition, now: datetime) -> None:
    """Stop every clock while the citizen is asked for more information."""
    petition.paused_at = now
    petition.next_due_at = None


def resume(petition: Petition, forward: Forward | None, cal: WorkCalendar, now: datetime) -> int:
    """Push every open deadline back by the time spent paused; return the calendar days."""
    if petition.paused_at is None:
        return 0
    start, end = local_date(petition.paused_at), local_date(now)
    days = max(0, (end - start).days)
    work_days = max(0, cal.working_days_between(start, end))
    petition.paused_at = None
    petition.paused_days = (petition.paused_days or 0) + days
    if petition.triage_due_on is not None:
        petition.triage_due_on = cal.add_working_days(petition.triage_due_on, work_days)
    if petition.triage_hard_due_on is not None:
        petition.triage_hard_due_on = cal.add_working_days(petition.triage_hard_due_on, work_days)
    if petition.decision_due_on is not None and petition.decided_at is None:
        petition.decision_due_on = calendar_due(cal, petition.decision_due_on, days)
    if petition.result_relay_due_on is not None:
        petition.result_relay_due_on = cal.add_working_days(petition.result_relay_due_on, work_days)
    if forward is not None and forward.active and forward.answered_at is None and days:
        forward.handler_due_on = cal.next_working_day(cal.add_days(forward.handler_due_on, days))
    return days


def next_due_on(
    petition: Petition,
    forward: Forward | None,
    cal: WorkCalendar,
    policy: DeadlinePolicy = DEFAULT_POLICY,
) -> date | None:
    """The nearest open deadline for the petition's state (None when nothing runs)."""
    state = petition.state
    if petition.paused_at is not None or state in (S.NEED_INFO, S.DRAFT, S.CLOSED):
        return None
    if state in (S.RECEIVED, S.REOPENED):
        dues = [d for d in (petition.triage_due_on, petition.decision_due_on) if d is not None]
        return min(dues) if dues else None
    if state == S.TRIAGED:
        # Decided once already (an agency returned it): the re-route target, not the notice.
        return petition.decision_due_on if petition.decided_at is None else petition.triage_due_on
    if state in (S.FORWARDED, S.AGENCY_ACKNOWLEDGED):
        return forward.handler_due_on if forward is not None else None
    if state == S.AGENCY_ANSWERED:
        return petition.result_relay_due_on
    if state in FEEDBACK_STATES:
        sent = petition.result_sent_at or petition.decided_at
        return cal.add_working_days(local_date(sent), policy.feedback_wd) if sent else None
    return None


def refresh_next_due(
    session: Session,
    petition: Petition,
    cal: WorkCalendar,
    forward: Forward | None = None,
    policy: DeadlinePolicy = DEFAULT_POLICY,
) -> None:
    """Keep next_due_at (the inbox's sort key and the reminders' index) in step."""
    if forward is None and petition.state in (S.FORWARDED, S.AGENCY_ACKNOWLEDGED):
        from handlers.workflow.queries import active_forward

        forward = active_forward(session, petition)
    due = next_due_on(petition, forward, cal, policy)
    petition.next_due_at = end_of_day(due) if due is not None else None


def is_overdue(petition: Petition, now: datetime) -> bool:
    """The derived 'overdue' flag: the Front's or the agency's open deadline has run out."""
    return (
        petition.state in CLOCKED_STATES
        and petition.next_due_at is not None
        and now >= petition.next_due_at
    )


def overdue_clause(now: datetime) -> ColumnElement[bool]:
    """The same flag as a WHERE clause (uses ix_petitions_state_next_due)."""
    return and_(Petition.state.in_(sorted(CLOCKED_STATES)), Petition.next_due_at <= now)
