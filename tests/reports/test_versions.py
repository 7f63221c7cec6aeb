"""Versions: a draft is edited and refreshed, a sent version is frozen, a correction is the
next version with its reason; the monthly job drafts once, on the first working day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from handlers import workflow as wf
from handlers.jobs import JobContext, run_job
from handlers.reports import ReportError, build, create_draft, refresh, save_text, scope_of, send
from handlers.reports.jobs import JOB_NAME, JOBS
from handlers.reports.periods import Period, current_month
from handlers.reports.versions import KIND
from handlers.workflow.calendar import WorkCalendar
from storage.models import ReportVersion, StaffNotification
from tests.reports.helpers import Flow, at, own_holidays
from tests.workflow import helpers as h


def test_a_sent_report_is_frozen_and_a_correction_is_a_new_version(
    db_session: Session, month: tuple[Period, datetime]
) -> None:
    period, now = month
    s = db_session
    area = scope_of(s, None)
    assert area is not None
    draft = create_draft(s, period, area, now=now, actor_id=None)
    assert (draft.version, draft.status, draft.figures["totals"]["received"]) == (1, "draft", 8)
    assert "tiếp nhận 8 phản ánh, kiến nghị" in draft.narrative
    with pytest.raises(ReportError):
        create_draft(s, period, area, now=now, actor_id=None)  # one draft at a time
    values = {
        "number": "15/BC-MTTQ",
        "place": "Tam Kỳ",
        "signer_title": "TM. BAN THƯỜNG TRỰC\nCHỦ TỊCH",
        "signer_name": "Nguyễn Văn A",
        "recipients": "- Lưu: VT.",
        "narrative": "Nhận định đã sửa.",
    }
    save_text(s, draft, now=now, issued_on=now.date(), values=values)
    send(s, draft, period, now=now, actor_id=None)
    s.commit()

    # Later work on the month's petitions changes the live figures, not the sent report.
    f = Flow(s, h.staff(s, "supervisor"))
    f.received(at(period.first + timedelta(days=20)))
    s.commit()
    shown = build(s, period, area, now=now)
    assert shown is not None and shown.frozen
    assert shown.figures["totals"]["received"] == 8
    assert shown.header["narrative"] == "Nhận định đã sửa."
    with pytest.raises(ReportError):
        save_text(s, draft, values={"place": "X"}, issued_on=now.date(), now=now)
    with pytest.raises(ReportError):
        refresh(s, draft, area, period, now=now)
    with pytest.raises(ReportError):
        create_draft(s, period, area, now=now, actor_id=None)  # a correction needs its reason

    fix = create_draft(s, period, area, now=now, actor_id=None, reason="Bổ sung hồ sơ nhập muộn")
    assert (fix.version, fix.reason, fix.figures["totals"]["received"]) == (
        2,
        "Bổ sung hồ sơ nhập muộn",
        9,
    )
    assert fix.signer_name == "Nguyễn Văn A" and fix.number == ""  # header kept, new number
    with pytest.raises(ReportError, match="số văn bản"):
        send(s, fix, period, now=now, actor_id=None)  # a document without its number
    save_text(s, fix, now=now, issued_on=now.date(), values={**values, "number": "16/BC-MTTQ"})
    send(s, fix, period, now=now, actor_id=None)
    s.commit()
    both = s.scalars(select(ReportVersion).order_by(ReportVersion.version)).all()
    assert [(v.version, v.status, v.figures["totals"]["received"]) for v in both] == [
        (1, "sent", 8), (2, "sent", 9),
    ]  # fmt: skip
    first = build(s, period, area, now=now, version_no=1)
    assert first is not None and first.figures["totals"]["received"] == 8


def test_a_draft_of_the_running_month_cannot_be_sent(db_session: Session) -> None:
    now = datetime.now(UTC)
    period = current_month(now)
    area = scope_of(db_session, None)
    assert area is not None
    draft = create_draft(db_session, period, area, now=now, actor_id=None)
    with pytest.raises(ReportError, match="hết kỳ"):
        send(db_session, draft, period, now=now, actor_id=None)


def _job(sessions: sessionmaker[Session], now: datetime) -> dict[str, object]:
    return dict(run_job(JOBS, JOB_NAME, JobContext(sessions=sessions, now=now)))


def test_the_monthly_job_drafts_on_the_first_working_day_once(
    db_session: Session, session_factory: sessionmaker[Session]
) -> None:
    now = datetime.now(UTC)
    # A month of ours starting on a day off: the 1st is a holiday, the 2nd a weekend day or
    # a working day — whichever, the first working day is found from the calendar.
    this = current_month(now)
    month = this.previous()
    own_holidays(db_session, month.following(), month.after)
    db_session.commit()
    cal = WorkCalendar.load(db_session)
    first_working = cal.next_working_day(month.after)
    assert first_working > month.after
    skipped = _job(session_factory, at(first_working - timedelta(days=1), 7))
    assert skipped["skipped"] == "before the first working day"
    assert db_session.scalars(select(ReportVersion)).all() == []

    done = _job(session_factory, at(first_working, 7))
    assert done == {
        "period": month.key,
        "drafted": 5,
        "scopes": "all,tam_ky,quang_phu,ban_thach,huong_tra",
    }
    again = _job(session_factory, at(first_working + timedelta(days=1), 7))
    assert again["drafted"] == 0  # a retry or the next day's run drafts nothing twice
    items = db_session.scalars(
        select(StaffNotification).where(StaffNotification.kind == KIND)
    ).all()
    assert len(items) == 5
    supervisors = [n for n in items if n.role == "supervisor"]
    assert len(supervisors) == 1 and supervisors[0].ward_id is None
    assert supervisors[0].link == f"/reports?period={month.key}"
    ward_items = {n.ward_id: n for n in items if n.role == "staff"}
    assert len(ward_items) == 4 and None not in ward_items
    tam_ky = h.ward(db_session, "tam_ky")
    assert ward_items[tam_ky.id].link == f"/reports?period={month.key}&ward=tam_ky"
    versions = db_session.scalars(select(ReportVersion)).all()
    assert {(v.period, v.version, v.status) for v in versions} == {(month.key, 1, "draft")}

    # Sending a scope's report settles that scope's item, and only that one.
    area = next(v for v in versions if v.scope == "all")
    with pytest.raises(ReportError, match="số văn bản và họ tên người ký"):
        send(db_session, area, month, now=at(first_working, 9), actor_id=None)
    signed = {"number": "3/BC-MTTQ", "place": "Tam Kỳ", "signer_name": "Nguyễn Văn A"}
    save_text(db_session, area, values=signed, issued_on=first_working, now=at(first_working, 9))
    send(db_session, area, month, now=at(first_working, 9), actor_id=None)
    db_session.commit()
    open_items = db_session.scalars(
        select(StaffNotification).where(
            StaffNotification.kind == KIND, StaffNotification.done_at.is_(None)
        )
    ).all()
    assert sorted(n.ward_id or 0 for n in open_items) == sorted(ward_items)


def test_the_job_counts_a_petition_answered_on_the_last_evening(
    db_session: Session, session_factory: sessionmaker[Session]
) -> None:
    """The draft reads the month as it ended: an answer at 23:30 local on the last day counts."""
    now = datetime.now(UTC)
    month = current_month(now).previous()
    f = Flow(db_session, h.staff(db_session, "supervisor"))
    last = month.after - timedelta(days=1)
    p = f.triaged(at(last, 8))
    f.forward(p, last, "ubnd_tam_ky", due=last)
    wf.record_agency_answer(db_session, p, actor=f.officer, text="Xong", now=at(last, 23, 30))
    db_session.commit()
    cal = WorkCalendar.load(db_session)
    _job(session_factory, at(cal.next_working_day(month.after), 7, 5))
    area = db_session.scalars(select(ReportVersion).where(ReportVersion.scope == "all")).one()
    assert (area.figures["totals"]["answered"], area.figures["totals"]["on_time"]) == (1, 1)
    assert area.figures["complete"]
