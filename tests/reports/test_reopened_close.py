"""A petition closed and reopened in the same month: the report names the close by the reason
given then, and the ward table adds up (the walk of 8 Dec 2026: «Chưa xác định» in Bảng 8, and
a ward with 3 received, 4 settled and 1 carried out)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import workflow as wf
from handlers.reports import compute, scope_of
from handlers.reports.periods import Period
from handlers.reports.tables import by_ward, reasons
from handlers.reports.versions import Report
from storage.models import PetitionEvent
from storage.models.enums import CloseReason
from tests.reports.helpers import Flow, at, closed_month, first_monday
from tests.workflow import helpers as h


def _reopened_after_close(s: Session) -> tuple[Period, dict[str, object]]:
    f = Flow(s, h.staff(s, "supervisor"))
    period = closed_month(datetime.now(UTC))
    day = first_monday(period)
    p = f.received(at(day, 9))
    wf.close(s, p, actor=f.officer, reason=CloseReason.RESOLVED, now=at(day, 10), note="Xong")
    wf.reopen(s, p, actor=f.officer, note="Người dân báo lại", now=at(day, 11))
    s.commit()
    return period, compute(s, period, ward=None, now=at(period.after + timedelta(days=3)))


def test_a_close_later_undone_keeps_the_reason_it_was_given(db_session: Session) -> None:
    period, figures = _reopened_after_close(db_session)
    scope = scope_of(db_session, None)
    assert scope is not None
    table = reasons(Report(period, scope, figures, None, None))
    assert table.rows == [["Đã giải quyết", 1]]


def test_the_trail_says_why_a_petition_was_closed(db_session: Session) -> None:
    _reopened_after_close(db_session)
    notes = db_session.scalars(
        select(PetitionEvent.note).where(PetitionEvent.action == "close")
    ).all()
    assert notes == ["Lý do: đã giải quyết\nXong"]


def test_each_ward_row_adds_up_with_the_reopened(db_session: Session) -> None:
    period, figures = _reopened_after_close(db_session)
    scope = scope_of(db_session, None)
    assert scope is not None
    table = by_ward(Report(period, scope, figures, None, None))
    col = {name: i for i, name in enumerate(table.headers)}
    assert "Mở lại" in col
    for row in table.rows:
        before, received, reopened = (
            row[col[k]] for k in ("Kỳ trước chuyển sang", "Tiếp nhận", "Mở lại")
        )
        settled, after = row[col["Giải quyết xong"]], row[col["Tồn cuối kỳ"]]
        assert isinstance(before, int) and isinstance(received, int)
        assert isinstance(reopened, int) and isinstance(settled, int)
        assert before + received + reopened - settled == after, row
    [busy] = [r for r in table.rows if r[col["Tiếp nhận"]]]
    assert busy[col["Mở lại"]] == 1
