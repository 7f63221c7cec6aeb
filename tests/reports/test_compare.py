"""The comparison with the previous month: Bảng 1's columns and the narrative's words.

Two consecutive closed months built through the real workflow, with counts known by hand.
Each petition received on the month's first Monday D (no holiday near), at 09:00:

settled    forwarded D due D+3 (Thu), answered D+1 (on time), result sent D+2.
late       forwarded D due D+3, answered D+4 (Fri): late, still with the Front (carried out).
waiting    received two days before the month ends, nobody acts: its 10-day decision clock
           has not run out when the month ends (not overdue), carried out.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from handlers import workflow as wf
from handlers.reports import build, scope_of
from handlers.reports.periods import Period
from handlers.reports.tables import SUMMARY, summary
from tests.admin.conftest import login
from tests.reports.helpers import Flow, at, closed_month, first_monday, own_holidays
from tests.workflow import helpers as h


def _month(f: Flow, period: Period, *, settled: int, late: int = 0, waiting: int = 0) -> None:
    d = first_monday(period)
    day = lambda n: d + timedelta(days=n)  # noqa: E731
    for n in range(settled + late):
        p = f.triaged(at(d))
        f.forward(p, d, "ubnd_tam_ky" if n % 2 else "so_xay_dung", due=day(3))
        if n < settled:
            f.answer(p, at(day(1)))
            wf.send_result(f.s, p, actor=f.officer, result_text="Đã xử lý.", now=at(day(2)))
        else:
            f.answer(p, at(day(4)))
    for _ in range(waiting):
        f.received(at(period.after - timedelta(days=2)))


def _report(
    s: Session, earlier: dict[str, int], later: dict[str, int]
) -> tuple[Period, dict[str, Any]]:
    """Build both months; return the later one and its Bảng 1 by row key."""
    period = closed_month(datetime.now(UTC))
    own_holidays(s, period)  # no day off in either month
    f = Flow(s, h.staff(s, "supervisor"))
    _month(f, period.previous(), **earlier)
    _month(f, period, **later)
    s.commit()
    area = scope_of(s, None)
    assert area is not None
    report = build(s, period, area, now=datetime.now(UTC))
    assert report is not None and report.previous is not None
    table = summary(report)
    assert table.headers[1:3] == [period.short, period.previous().short]
    rows = {key: row[1:] for (key, _), row in zip(SUMMARY, table.rows, strict=True)}
    return period, {"rows": rows, "narrative": report.header["narrative"]}


def test_bang_1_and_the_narrative_compare_with_the_month_before(db_session: Session) -> None:
    period, got = _report(db_session, {"settled": 3}, {"settled": 2, "late": 1, "waiting": 2})
    rows = got["rows"]
    assert rows["carried_in"] == [0, 0, "0"]
    assert rows["received"] == [5, 3, "+2"]
    assert rows["forwarded"] == [3, 3, "0"]
    assert rows["answered"] == [3, 3, "0"]
    assert rows["on_time"] == [2, 3, "-1"]
    assert rows["overdue"] == [1, 0, "+1"]
    assert rows["settled"] == [2, 3, "-1"]
    assert rows["carried_out"] == [3, 0, "+3"]
    assert rows["rate"][0] == pytest.approx(2 / 3) and rows["rate"][1:] == [1.0, ""]
    before = period.previous().label
    narrative = got["narrative"]
    assert f"tiếp nhận 5 phản ánh, kiến nghị của Nhân dân (tăng 2 so với {before})" in narrative
    assert "tỷ lệ trả lời đúng hạn 66,7% (kỳ trước 100%)." in narrative


def test_a_previous_month_with_nothing_counts_as_zero(db_session: Session) -> None:
    period, got = _report(db_session, {"settled": 0}, {"settled": 2, "waiting": 1})
    rows = got["rows"]
    assert rows["received"] == [3, 0, "+3"]
    assert rows["answered"] == [2, 0, "+2"]
    assert rows["rate"] == [1.0, "—", ""]  # no rate last month: a dash, not 0 %
    assert rows["satisfied"] == ["0/0", "0/0", ""]
    narrative = got["narrative"]
    assert f"(tăng 3 so với {period.previous().label})" in narrative
    assert "tỷ lệ trả lời đúng hạn 100%." in narrative and "kỳ trước" not in narrative


def test_fewer_and_as_many_as_the_month_before(db_session: Session) -> None:
    period, got = _report(db_session, {"settled": 2, "waiting": 1}, {"settled": 0})
    assert got["rows"]["received"] == [0, 3, "-3"]
    assert got["rows"]["carried_in"] == [1, 0, "+1"]
    before = period.previous().label
    assert (
        f"tiếp nhận 0 phản ánh, kiến nghị của Nhân dân (giảm 3 so với {before})"
        in (got["narrative"])
    )


def test_as_many_as_the_month_before(db_session: Session) -> None:
    period, got = _report(db_session, {"settled": 1}, {"settled": 1})
    assert got["rows"]["received"] == [1, 1, "0"]
    assert f"(bằng {period.previous().label})" in got["narrative"]


def test_the_report_page_shows_the_comparison(db_session: Session, client: FlaskClient) -> None:
    period, _ = _report(db_session, {"settled": 3}, {"settled": 2, "late": 1, "waiting": 2})
    boss = h.staff(db_session, "supervisor")
    db_session.commit()
    assert login(client, boss.username).status_code == 302
    page = client.get(f"/admin/reports?period={period.key}").get_data(as_text=True)
    assert "Bảng 1. Số liệu tổng hợp" in page and period.previous().short in page
    assert f"(tăng 2 so với {period.previous().label})" in page
    assert "(kỳ trước 100%)" in page
