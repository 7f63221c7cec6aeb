"""The monthly report: figures by field, ward and agency, the on-time ranking, the Excel file."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, timedelta

from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from handlers import workflow as wf
from handlers.reports import month_report
from storage.models import MonthlyStat, Petition, StaffUser
from tests.workflow import helpers as h

T0 = h.ORDINARY_MONDAY  # Monday 2 November 2026


def _forwarded(s: Session, officer: StaffUser, agency: str, category: str, due: date) -> Petition:
    p = wf.submit(s, h.draft(s, category_code=category), now=T0)
    wf.triage(
        s,
        p,
        actor=officer,
        category_id=p.category_id,
        ward_id=p.ward_id,
        legal_type="phan_anh",
        urgent=False,
        now=T0,
    )
    wf.forward(
        s,
        p,
        actor=officer,
        agency=h.agency(s, agency),
        channel="van_ban",
        document_number="12/MTTQ",
        sent_on=T0.date(),
        now=T0,
        handler_due_on=due,
    )
    return p


def _november(s: Session) -> None:
    """Three petitions in November: ward UBND answers on time, Sở Xây dựng misses, one waits."""
    officer = h.staff(s, "supervisor")
    on_time = _forwarded(s, officer, "ubnd_tam_ky", "moi_truong", date(2026, 11, 20))
    _forwarded(s, officer, "so_xay_dung", "giao_thong", date(2026, 11, 16))
    wf.submit(s, h.draft(s, category_code="moi_truong"), now=T0 + timedelta(days=1))
    liaison = h.staff(s, "agency", agency_code="ubnd_tam_ky")
    wf.record_agency_answer(s, on_time, actor=liaison, text="Đã dọn.", now=T0 + timedelta(days=3))
    s.commit()


def test_figures_and_ranking_of_a_month(db_session: Session) -> None:
    _november(db_session)
    report = month_report(db_session, date(2026, 11, 1))
    assert not report.stored
    assert report.totals == {
        "received": 3,
        "forwarded": 2,
        "answered": 1,
        "overdue": 1,
        "on_time": 1,
    }
    fields = {r.name: r.figures["received"] for r in report.by_field}
    assert fields == {
        "Môi trường, rác thải, ô nhiễm, cây xanh": 2,
        **{"Giao thông, đường sá, cầu cống": 1},
    }
    assert [(r.name, r.on_time_rate) for r in report.ranking] == [
        ("UBND phường Tam Kỳ", 1.0),
        ("Sở Xây dựng thành phố Đà Nẵng", 0.0),
    ]
    assert month_report(db_session, date(2026, 10, 1)).totals["received"] == 0


def test_a_closed_month_is_read_as_stored(db_session: Session) -> None:
    _november(db_session)
    figures = {
        "totals": {"received": 7, "forwarded": 0, "answered": 0, "overdue": 0, "on_time": 0},
        "by_field": {"code_gone": {"received": 7}},
        "by_ward": {},
        "by_agency": {},
    }
    db_session.add(MonthlyStat(period="2026-11", figures=figures, computed_at=T0))
    db_session.commit()
    report = month_report(db_session, date(2026, 11, 1))
    assert report.stored and report.totals["received"] == 7  # not recomputed
    assert [(r.name, r.figures["received"]) for r in report.by_field] == [("Không rõ", 7)]


def test_page_and_excel_file(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    _november(db_session)
    agency = h.agency(db_session, "so_xay_dung")
    agency.name = '=HYPERLINK("http://evil")'  # a name typed by an administrator
    db_session.commit()
    signed_in("supervisor")
    page = client.get("/admin/reports?month=2026-11").get_data(as_text=True)
    assert "Báo cáo phản ánh, kiến nghị tháng 11/2026" in page
    assert "UBND phường Tam Kỳ" in page and "100%" in page
    assert "=HYPERLINK(&#34;http://evil&#34;)" in page
    response = client.get("/admin/reports.xlsx?month=2026-11")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('"bao-cao-pakn-2026-11.xlsx"')
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == [
        "Tổng hợp",
        "Theo lĩnh vực",
        "Theo phường",
        "Theo cơ quan",
        "Xếp hạng cơ quan",
    ]
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(min_row=3, values_only=True)}
    assert summary == {
        "Tiếp nhận": 3,
        "Đã chuyển": 2,
        "Đã trả lời": 1,
        "Trả lời đúng hạn": 1,
        "Quá hạn": 1,
    }
    ranking = list(book["Xếp hạng cơ quan"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[-1]) for r in ranking] == [
        ("UBND phường Tam Kỳ", 1.0),
        ('=HYPERLINK("http://evil")', 0.0),
    ]
    cell = book["Xếp hạng cơ quan"]["A3"]
    assert cell.data_type == "s"  # stored as text, not as a formula


def test_a_bad_month_is_refused(client: FlaskClient, signed_in: Callable[..., StaffUser]) -> None:
    signed_in("admin")
    assert client.get("/admin/reports?month=2026-13").status_code == 400
    assert client.get("/admin/reports.xlsx?month=x'; drop").status_code == 400
    assert client.get("/admin/reports").status_code == 200  # the current month


def test_ward_staff_do_not_see_it(client: FlaskClient, signed_in: Callable[..., StaffUser]) -> None:
    signed_in("staff")
    assert client.get("/admin/reports?month=2026-11").status_code == 403
    assert client.get("/admin/reports.xlsx?month=2026-11").status_code == 403
