"""The figures of one month checked against the hand-computed fixture of conftest.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from handlers import workflow as wf
from handlers.reports import compute, narrative, scope_of
from handlers.reports.narrative import rate
from handlers.reports.periods import Period
from handlers.reports.tables import summary
from handlers.reports.versions import Report
from storage.models.enums import CloseReason
from tests.reports.helpers import Flow, at, closed_month, first_monday
from tests.workflow import helpers as h


def _by(rows: list[dict[str, object]], key: str = "key") -> dict[object, dict[str, object]]:
    return {r[key]: r for r in rows}


def test_the_chain_and_the_answers_match_the_hand_count(
    db_session: Session, month: tuple[Period, datetime]
) -> None:
    period, now = month
    figures = compute(db_session, period, ward=None, now=now)
    t = figures["totals"]
    assert figures["complete"]
    assert (t["carried_in"], t["received"], t["reopened"], t["settled"], t["carried_out"]) == (
        1, 8, 1, 4, 6,
    )  # fmt: skip
    assert t["carried_in"] + t["received"] + t["reopened"] - t["settled"] == t["carried_out"]
    assert (t["merged"], t["closed"], t["forwarded"]) == (1, 2, 5)
    assert (t["answered"], t["answered_front"], t["answered_agency"]) == (6, 2, 4)
    assert (t["on_time"], t["late"], t["overdue_open"], t["overdue"]) == (5, 1, 2, 3)
    assert rate(t) == pytest.approx(0.625)
    assert (t["feedback"], t["satisfied"]) == (2, 1)
    assert figures["ratings"] == {"count": 1, "sum": 5}  # P6's latest rating


def test_each_agency_counts_what_was_forwarded_to_it(
    db_session: Session, month: tuple[Period, datetime]
) -> None:
    period, now = month
    agencies = _by(compute(db_session, period, ward=None, now=now)["by_agency"])
    measures = ("forwarded", "answered", "on_time", "late", "overdue_open")
    got = {k: tuple(r[m] for m in measures) for k, r in agencies.items()}
    assert got == {
        "ubnd_tam_ky": (2, 2, 1, 1, 1),  # P1, P4 forwarded; P1 on time, P8 late; P4 open
        "so_xay_dung": (2, 2, 2, 0, 0),  # the extension and the pause keep both on time
        "so_nn_mt": (1, 0, 0, 0, 0),  # P5 is not due yet: no rate, not 0 %
        "__front__": (0, 2, 2, 0, 1),  # P6 twice on time; P9 undecided past 10 days
    }
    assert rate(agencies["so_nn_mt"]) is None  # type: ignore[arg-type]
    assert rate(agencies["ubnd_tam_ky"]) == pytest.approx(1 / 3)  # type: ignore[arg-type]


def test_received_by_channel_type_and_ward_and_the_overdue_list(
    db_session: Session, month: tuple[Period, datetime]
) -> None:
    period, now = month
    figures = compute(db_session, period, ward=None, now=now)
    received = {dim: {r["key"]: r["received"] for r in figures[f"by_{dim}"]} for dim in (
        "channel", "type", "ward", "field",
    )}  # fmt: skip
    assert {k: v for k, v in received["channel"].items() if v} == {"zalo": 7, "walk_in": 1}
    assert {k: v for k, v in received["type"].items() if v} == {"phan_anh": 7, "kien_nghi": 1}
    assert {k: v for k, v in received["ward"].items() if v} == {"tam_ky": 7, "quang_phu": 1}
    assert {k: v for k, v in received["field"].items() if v} == {
        "moi_truong": 6, "xay_dung_do_thi": 1, "giao_thong": 1,
    }  # fmt: skip
    overdue = [(r["status"], r["agency_key"]) for r in figures["overdue_list"]]
    assert sorted(overdue) == [
        ("late", "ubnd_tam_ky"),
        ("open", "__front__"),
        ("open", "ubnd_tam_ky"),
    ]
    assert all(r["days_late"] is None or r["days_late"] > 0 for r in figures["overdue_list"])
    reasons = {r["key"]: r["closed"] for r in figures["closed_by_reason"]}
    assert reasons == {"resolved": 1, "duplicate": 1}


def test_a_ward_report_counts_only_that_ward(
    db_session: Session, month: tuple[Period, datetime]
) -> None:
    period, now = month
    quang_phu = scope_of(db_session, "quang_phu")
    tam_ky = scope_of(db_session, "tam_ky")
    assert quang_phu is not None and tam_ky is not None
    t = compute(db_session, period, ward=tam_ky.ward, now=now)["totals"]
    assert (t["carried_in"], t["received"], t["reopened"], t["settled"], t["carried_out"]) == (
        1, 7, 1, 4, 5,
    )  # fmt: skip
    q = compute(db_session, period, ward=quang_phu.ward, now=now)["totals"]
    assert (q["received"], q["overdue_open"], q["carried_out"], q["forwarded"]) == (1, 1, 1, 0)


def test_the_next_month_carries_in_what_this_one_carried_out(
    db_session: Session, month: tuple[Period, datetime]
) -> None:
    period, now = month
    this = compute(db_session, period, ward=None, now=now)["totals"]
    following = compute(db_session, period.following(), ward=None, now=now)["totals"]
    assert following["carried_in"] == this["carried_out"] == 6
    assert following["received"] == 1  # P11


def test_the_running_month_never_counts_a_deadline_still_to_come(db_session: Session) -> None:
    """An agency with one forward due tomorrow shows no rate, not 0 % (the old report's bug)."""
    now = datetime.now(UTC)
    f = Flow(db_session, h.staff(db_session, "supervisor"))
    p = f.triaged(now - timedelta(minutes=5))
    today = wf.local_date(now)
    f.forward(p, today, "so_y_te", due=today + timedelta(days=1), hour=0)
    db_session.commit()
    period = Period(today.year, "month", today.month)
    figures = compute(db_session, period, ward=None, now=now)
    agency = _by(figures["by_agency"])["so_y_te"]
    assert (agency["forwarded"], agency["overdue_open"], rate(agency)) == (1, 0, None)  # type: ignore[arg-type]
    assert not figures["complete"]


def test_late_days_count_like_the_calendar() -> None:
    """The overdue list's day counts, built once backwards, equal the calendar's own count."""
    from datetime import date

    from handlers.reports.counting import LateDays
    from handlers.workflow.calendar import WorkCalendar

    # Tết 2027 (the point of these dates): days off 5–11 Feb, a làm-bù Saturday on 30 Jan.
    cal = WorkCalendar.from_days(
        off=[date(2027, 2, 5) + timedelta(days=i) for i in range(7)], working=[date(2027, 1, 30)]
    )
    as_of = at(date(2027, 3, 1))  # 09:00 on 1 March: the last day counted is 1 March
    late = LateDays(cal, as_of)
    for due in (
        date(2027, 3, 1),
        date(2027, 2, 26),
        date(2027, 2, 4),
        date(2027, 1, 29),
        date(2026, 12, 31),
    ):
        assert late(due) == cal.working_days_between(due, date(2027, 3, 1)), due
    assert late(date(2027, 3, 5)) == 0  # not due yet: never negative


def test_a_withdrawn_petition_is_named_apart_from_those_solved(db_session: Session) -> None:
    """The walk: December's «giải quyết xong 2» held the petition the citizen withdrew."""
    s = db_session
    f = Flow(s, h.staff(s, "supervisor"))
    period = closed_month(datetime.now(UTC))
    day = first_monday(period)
    answered = f.triaged(at(day, 9))
    wf.answer_directly(
        s, answered, actor=f.officer, answer="Đã trả lời trực tiếp.", now=at(day, 10)
    )
    by_zalo = f.received(at(day, 9, 30))
    wf.withdraw(s, by_zalo, now=at(day, 11))  # the citizen's own button
    by_phone = f.triaged(at(day, 9, 45))  # rang the office to take it back
    wf.close(s, by_phone, actor=f.officer, reason=CloseReason.WITHDRAWN, now=at(day, 14))
    out_of_scope = f.received(at(day, 9, 50))
    wf.close(s, out_of_scope, actor=f.officer, reason=CloseReason.NOT_IN_SCOPE, now=at(day, 15))
    s.commit()

    figures = compute(s, period, ward=None, now=at(period.after + timedelta(days=3)))
    t = figures["totals"]
    assert (t["received"], t["settled"], t["withdrawn"], t["carried_out"]) == (4, 4, 2, 0)
    assert t["carried_in"] + t["received"] + t["reopened"] - t["settled"] == t["carried_out"]
    [row] = [r for r in figures["by_ward"] if r["received"]]
    assert (row["settled"], row["withdrawn"]) == (4, 2)

    scope = scope_of(s, None)
    assert scope is not None
    report = Report(period, scope, figures, None, None)
    rows = {r[0].strip(): r[1] for r in summary(report).rows}
    assert rows["trong đó: người gửi rút đơn"] == 2
    assert rows["Đã giải quyết xong, kết thúc trong kỳ"] == 4
    text = narrative.draft(figures, None, period, scope.title)
    assert "(trong đó 2 trường hợp người gửi rút đơn)" in text


def test_the_fronts_deadline_is_the_one_the_petition_page_shows(db_session: Session) -> None:
    """Received on a Wednesday, its 10th day is a Saturday: due the next working day, as on
    the petition page; the report had it due (and late) on the Saturday."""
    f = Flow(db_session, h.staff(db_session, "supervisor"))
    month = closed_month(datetime.now(UTC))
    wednesday = month.first + timedelta(days=(2 - month.first.weekday()) % 7)
    p = f.received(at(wednesday))
    db_session.commit()
    assert p.decision_due_on is not None and p.decision_due_on.weekday() < 5
    assert p.decision_due_on > wednesday + timedelta(days=10)  # the Saturday, run on
    figures = compute(db_session, month, ward=None, now=datetime.now(UTC))
    [row] = [r for r in figures["overdue_list"] if r["code"] == p.code]
    assert row["due_on"] == p.decision_due_on.isoformat() and row["status"] == "open"
