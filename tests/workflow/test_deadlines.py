"""No deadline lands on a day off: calendar-day clocks run to the next working day, and the
inbox counts what is left in working days. The literal dates are the point here (a Sunday in
December 2026, New Year's Day 2027, Tết 2027)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.admin.lookups import deadline_badge
from handlers import workflow as wf
from handlers.workflow.clocks import calendar_due, handler_deadline
from storage.models import Forward, Petition, PetitionEvent, StaffUser
from storage.models.enums import LegalType
from tests.workflow import helpers as h

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), VN).astimezone(UTC)


@pytest.fixture
def cal(db_session: Session) -> wf.WorkCalendar:
    return wf.WorkCalendar.load(db_session)


@pytest.fixture
def officer(db_session: Session) -> StaffUser:
    return h.staff(db_session)


def test_a_decision_notice_due_on_sunday_runs_to_monday(db_session: Session) -> None:
    # Thursday 03/12/2026 + 10 calendar days is Sunday 13/12/2026.
    p = wf.submit(db_session, h.draft(db_session), now=at(date(2026, 12, 3)))
    assert p.decision_due_on == date(2026, 12, 14)
    assert p.triage_due_on == date(2026, 12, 4)


def test_a_petition_sent_on_saturday(db_session: Session) -> None:
    p = wf.submit(db_session, h.draft(db_session), now=at(date(2026, 12, 5), 20))
    assert p.triage_due_on == date(2026, 12, 7)  # the first working day after Saturday
    assert p.triage_hard_due_on == date(2026, 12, 9)
    assert p.decision_due_on == date(2026, 12, 15)  # Tuesday: 15/12 is a working day


def _forwarded(
    s: Session, p: Petition, officer: StaffUser, sent_on: date, now: datetime, **kw: Any
) -> Forward:
    """Triage `p` as it is, then forward it (sent on `sent_on`, the rest of `kw` as given)."""
    wf.triage(
        s,
        p,
        actor=officer,
        category_id=p.category_id,
        ward_id=p.ward_id,
        legal_type=p.legal_type,
        urgent=False,
        now=now,
    )
    return wf.forward(
        s, p, actor=officer, agency=h.agency(s), channel="van_ban", sent_on=sent_on, now=now, **kw
    )


def test_an_agency_deadline_on_new_years_day_runs_to_the_next_working_day(
    db_session: Session, officer: StaffUser
) -> None:
    p = h.draft(db_session, legal_type=LegalType.KIEN_NGHI)
    wf.submit(db_session, p, now=at(date(2026, 12, 2)))
    day = date(2026, 12, 2)
    fwd = _forwarded(db_session, p, officer, day, at(day, 10), document_number="31/MTTQ-BTT")
    # 02/12/2026 + 30 days = Friday 01/01/2027 (New Year's Day); Sat, Sun → Monday 04/01.
    assert fwd.handler_due_on == date(2027, 1, 4)
    assert p.next_due_at == wf.end_of_day(date(2027, 1, 4))


def test_a_typed_deadline_on_a_day_off_is_moved_and_said(
    db_session: Session, officer: StaffUser
) -> None:
    p = h.draft(db_session)
    wf.submit(db_session, p, now=at(date(2026, 12, 28)))
    day = date(2026, 12, 28)
    fwd = _forwarded(
        db_session,
        p,
        officer,
        day,
        at(day, 10),
        document_number=None,
        handler_due_on=date(2027, 1, 1),
    )
    assert fwd.handler_due_on == date(2027, 1, 4)
    note = db_session.scalar(
        select(PetitionEvent.note)
        .where(PetitionEvent.petition_id == p.id, PetitionEvent.action == "forward")
        .limit(1)
    )
    assert note is not None and "hạn 04/01/2027 (01/01/2027 là ngày nghỉ)" in note


@pytest.mark.parametrize(
    ("sent_on", "legal_type", "urgent", "expected"),
    [
        # Tết 2027: 04/02 (Thu) to 10/02 (Wed) are days off.
        (date(2027, 1, 7), LegalType.TO_CAO, False, date(2027, 2, 11)),  # 30 days → 06/02
        (date(2027, 2, 3), LegalType.PHAN_ANH, True, date(2027, 2, 11)),  # 1 working day
        (date(2027, 2, 3), LegalType.PHAN_ANH, False, date(2027, 2, 15)),  # 3 working days
        (date(2027, 1, 5), LegalType.KHIEU_NAI, False, date(2027, 2, 15)),  # 40 days → 14/02
        (date(2026, 11, 6), LegalType.KIEN_NGHI, False, date(2026, 12, 7)),  # 30 days → Sun 6/12
    ],
)
def test_handler_deadlines_never_fall_on_a_day_off(
    cal: wf.WorkCalendar, sent_on: date, legal_type: str, urgent: bool, expected: date
) -> None:
    due, _ = handler_deadline(cal, sent_on, legal_type=legal_type, urgent=urgent)
    assert due == expected and cal.is_working_day(due)


def test_no_calendar_deadline_of_two_years_falls_on_a_day_off(cal: wf.WorkCalendar) -> None:
    start = date(2026, 1, 1)
    for offset in range(730):
        for days in (10, 30, 40, 45):
            due = calendar_due(cal, start + timedelta(days=offset), days)
            assert cal.is_working_day(due), (start + timedelta(days=offset), days)
            assert due >= start + timedelta(days=offset + days)


def test_the_inbox_counts_working_days_and_overdue_only_once_passed(cal: wf.WorkCalendar) -> None:
    due = wf.end_of_day(date(2027, 1, 4))  # Monday after New Year's Day
    # Wednesday 30/12/2026: Thu 31/12 and Mon 04/01 are the working days left.
    assert deadline_badge("forwarded", due, at(date(2026, 12, 30)), cal) == (
        "due-ok",
        "còn 2 ngày làm việc",
    )
    assert deadline_badge("forwarded", due, at(date(2027, 1, 1)), cal)[1] == ("còn 1 ngày làm việc")
    assert deadline_badge("forwarded", due, at(date(2027, 1, 4), 23), cal) == (
        "due-soon",
        "hết hạn hôm nay",
    )
    assert deadline_badge("forwarded", due, at(date(2027, 1, 5), 0), cal)[0] == "due-late"
    assert deadline_badge("forwarded", due, at(date(2027, 1, 7)), cal) == (
        "due-late",
        "quá hạn 3 ngày làm việc",
    )
    # Tết: due Wednesday 03/02/2027, looked at on the first working day after Tết.
    tet = wf.end_of_day(date(2027, 2, 3))
    assert deadline_badge("forwarded", tet, at(date(2027, 2, 11)), cal)[1] == (
        "quá hạn 1 ngày làm việc"
    )


def test_a_day_declared_off_later_moves_the_deadlines_still_set_on_it(
    db_session: Session, officer: StaffUser
) -> None:
    from storage.models import Holiday

    s, now = db_session, h.ORDINARY_MONDAY
    tuesday, wednesday = h.MONDAY + timedelta(days=1), h.MONDAY + timedelta(days=2)
    waiting = wf.submit(s, h.draft(s), now=now)
    assert waiting.triage_due_on == tuesday
    sent = wf.submit(s, h.draft(s), now=now)
    fwd = _forwarded(s, sent, officer, h.MONDAY, now, document_number=None, handler_due_on=tuesday)
    s.add(Holiday(day=tuesday, name="Nghỉ đột xuất", working_day=False, source="admin"))
    s.flush()
    cal = wf.WorkCalendar.load(s)
    later = now + timedelta(days=2)
    assert wf.move_off_day(s, tuesday, cal, later, officer) == 0  # already past
    assert wf.move_off_day(s, tuesday, cal, now, officer) == 2
    assert waiting.triage_due_on == wednesday and fwd.handler_due_on == wednesday
    assert waiting.next_due_at == sent.next_due_at == wf.end_of_day(wednesday)
    assert waiting.triage_hard_due_on == h.MONDAY + timedelta(days=3)  # not on it: unchanged
    assert sent.triage_due_on == tuesday  # its triage is over: that deadline no longer runs
    assert wf.move_off_day(s, wednesday, cal, now, officer) == 0  # a working day: no move
    # Each petition's trail says why its deadline moved, and who declared the day off.
    trail = s.scalars(
        select(PetitionEvent).where(
            PetitionEvent.petition_id.in_([waiting.id, sent.id]),
            PetitionEvent.action == "deadline_moved",
        )
    ).all()
    assert len(trail) == 2 and all(e.actor_id == officer.id for e in trail)
    assert trail[0].note == (
        f"Ngày {tuesday:%d/%m/%Y} được đặt là ngày nghỉ: hạn chuyển sang {wednesday:%d/%m/%Y}"
    )
