"""The report screens: who sees which scope, bad input, the draft → send → correction flow,
and the downloads."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from docx import Document
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from handlers import audit
from handlers.jobs import JobContext, run_job
from handlers.reports.jobs import JOB_NAME, JOBS
from handlers.reports.periods import Period, current_month
from handlers.reports.versions import KIND
from handlers.workflow.calendar import WorkCalendar
from storage.models import AuditEntry, ReportVersion, StaffNotification, StaffUser
from tests.admin.conftest import login, post
from tests.reports.helpers import at
from tests.reports.month import build_month
from tests.workflow import helpers as h


@pytest.fixture
def month(db_session: Session) -> tuple[Period, datetime]:
    """The hand-computed month of tests/reports/month.py."""
    return build_month(db_session)


def _page(client: FlaskClient, query: str) -> tuple[int, str]:
    response = client.get(f"/admin/reports{query}")
    return response.status_code, response.get_data(as_text=True)


def test_a_supervisor_sees_the_area_with_charts_and_tables(
    client: FlaskClient,
    db_session: Session,
    signed_in: Callable[..., StaffUser],
    month: tuple[Period, datetime],
) -> None:
    period, _ = month
    h.agency(db_session, "so_xay_dung").name = '<b>=HYPERLINK("x")</b>'
    db_session.commit()
    signed_in("supervisor")
    status, page = _page(client, f"?period={period.key}")
    assert status == 200
    assert f"Báo cáo phản ánh, kiến nghị {period.label} · toàn khu vực Tam Kỳ" in page
    assert page.count("<svg") >= 4 and "<script" not in page.split("</nav>", 1)[1]
    assert "1 + 8 + 1 − 4 = 6" in page
    assert "62,5%" in page
    assert "&lt;b&gt;=HYPERLINK(&#34;x&#34;)&lt;/b&gt;" in page and "<b>=HYPERLINK" not in page
    assert 'id="by-ward"' in page and "Phường Quảng Phú" in page
    status, ward_page = _page(client, f"?period={period.key}&ward=quang_phu")
    assert status == 200 and "· phường Quảng Phú" in ward_page and 'id="by-ward"' not in ward_page


def test_a_ward_officer_sees_only_their_wards_report(
    client: FlaskClient, signed_in: Callable[..., StaffUser], month: tuple[Period, datetime]
) -> None:
    period, _ = month
    signed_in("staff", wards=("tam_ky",))
    status, page = _page(client, f"?period={period.key}")
    assert status == 200 and "· phường Tam Kỳ" in page
    assert "1 + 7 + 1 − 4 = 5" in page
    assert 'value="quang_phu"' not in page  # no other ward offered
    assert _page(client, f"?period={period.key}&ward=quang_phu")[0] == 404
    assert _page(client, f"?period={period.key}&ward=all")[0] == 404
    assert client.get(f"/admin/reports.xlsx?period={period.key}&ward=quang_phu").status_code == 404
    assert client.get(f"/admin/reports.docx?period={period.key}").status_code == 200
    assert 'href="/admin/reports"' in client.get("/admin/today").get_data(as_text=True)  # nav


def test_an_officer_without_a_ward_is_told_why(
    client: FlaskClient, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("staff", wards=())
    response = client.get("/admin/reports")
    assert response.status_code == 403
    assert "chưa được phân công phường nào" in response.get_data(as_text=True)


def test_a_liaison_is_told_the_page_is_not_for_them(
    client: FlaskClient, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("agency", agency_code="ubnd_tam_ky")
    for path in ("/admin/reports", "/admin/reports.docx?period=9999-12", "/admin/reports.xlsx"):
        response = client.get(path)
        assert response.status_code == 403
        page = response.get_data(as_text=True)
        assert "Trang này không dành cho vai trò của bạn" in page
        assert "<strong>liên lạc cơ quan</strong>" in page and "quản trị, lãnh đạo, cán bộ" in page
    post_response = post(client, "/admin/reports/draft", {"period": "2025"})
    assert post_response.status_code == 403
    assert "/admin/reports" not in client.get("/admin/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("?month=9999-12", 400, "chưa bắt đầu"),
        ("?month=0000-01", 400, "trước năm 2020"),
        ("?period=2026-13", 400, "Tháng phải từ 01 đến 12"),
        ("?period=x%27%3B+drop", 400, "Kỳ báo cáo phải có dạng"),
        ("?period=2025&version=abc", 400, "phiên bản"),
        ("?period=2025&version=99", 404, ""),
        ("?period=2025&ward=khong_co", 404, ""),
    ],
)
def test_bad_requests_are_refused_with_a_message(
    client: FlaskClient,
    signed_in: Callable[..., StaffUser],
    query: str,
    status: int,
    message: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    signed_in("admin")
    for path in ("/admin/reports", "/admin/reports.docx", "/admin/reports.xlsx"):
        response = client.get(path + query)
        assert response.status_code == status
        assert message in response.get_data(as_text=True)
    assert any(str(status) in r.getMessage() for r in caplog.records)


def test_draft_edit_send_and_correct(
    client: FlaskClient,
    db_session: Session,
    signed_in: Callable[..., StaffUser],
    month: tuple[Period, datetime],
) -> None:
    period, _ = month
    boss = signed_in("supervisor")
    form = {"period": period.key, "ward": ""}
    assert client.post("/admin/reports/draft", data=form).status_code == 400  # no CSRF token
    assert post(client, "/admin/reports/draft", form).status_code == 302
    unsigned = post(client, "/admin/reports/send", form, follow_redirects=True)
    assert "Cần nhập số văn bản và họ tên người ký" in unsigned.get_data(as_text=True)
    issued = period.after + timedelta(days=1)  # the 2nd of the month after the period
    edits = {
        **form, "number": "21/BC-MTTQ", "place": "Tam Kỳ", "issued_on": f"{issued:%d/%m/%Y}",
        "signer_title": "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "signer_name": "Trần Thị B",
        "recipients": "- Lưu: VT.", "narrative": "Đoạn một.\nĐoạn hai <script>.",
    }  # fmt: skip
    # «Lưu và chốt» sends what the form holds: refused without a number, the typing is kept.
    refused = post(client, "/admin/reports/send", {**edits, "number": ""}, follow_redirects=True)
    assert "Cần nhập số văn bản trước khi chốt" in refused.get_data(as_text=True)
    draft = db_session.scalars(select(ReportVersion)).one()
    db_session.refresh(draft)
    assert (draft.status, draft.signer_name, draft.number) == ("draft", "Trần Thị B", "")
    assert post(client, "/admin/reports/edit", edits).status_code == 302
    page = _page(client, f"?period={period.key}")[1]
    assert "Dự thảo" in page and "Đoạn hai &lt;script&gt;." in page
    assert "không tính hạn phân loại như «Hôm nay»" in page  # why the two overdue counts differ
    docx = client.get(f"/admin/reports.docx?period={period.key}")
    assert docx.headers["Content-Disposition"].endswith(f'"bao-cao-pakn-all-{period.key}-v1.docx"')
    doc = Document(io.BytesIO(docx.data))
    assert doc.tables[0].cell(1, 0).text == "Số: 21/BC-MTTQ"
    month = f"{issued.month:02d}" if issued.month < 3 else str(issued.month)  # NĐ 30/2020
    assert f"Tam Kỳ, ngày 02 tháng {month} năm {issued.year}" == doc.tables[0].cell(1, 1).text
    assert "Đoạn hai <script>." in [p.text for p in doc.paragraphs]
    assert "Trần Thị B" in doc.tables[-1].cell(0, 1).text

    sent = post(client, "/admin/reports/send", {**edits, "recipients": "- Như trên;"})
    assert sent.status_code == 302
    page = _page(client, f"?period={period.key}")[1]
    assert "Đã chốt, đã gửi" in page and "Lập bản đính chính" in page
    db_session.refresh(draft)
    assert (draft.status, draft.recipients) == ("sent", "- Như trên;")  # saved, then sent
    post(client, "/admin/reports/edit", {**edits, "narrative": "Sửa sau khi gửi"})
    version = db_session.scalars(select(ReportVersion)).one()
    db_session.refresh(version)
    assert version.narrative == "Đoạn một.\nĐoạn hai <script>." and version.status == "sent"

    post(client, "/admin/reports/draft", form)  # a correction without its reason
    assert len(db_session.scalars(select(ReportVersion)).all()) == 1
    post(client, "/admin/reports/draft", {**form, "reason": "Bổ sung số liệu phường"})
    rows = db_session.scalars(select(ReportVersion).order_by(ReportVersion.version)).all()
    assert [(v.version, v.status, v.reason) for v in rows] == [
        (1, "sent", ""), (2, "draft", "Bổ sung số liệu phường"),
    ]  # fmt: skip
    page = _page(client, f"?period={period.key}")[1]
    assert "Lý do đính chính: Bổ sung số liệu phường" in page and "Xem bản 1" in page
    old = client.get(f"/admin/reports.xlsx?period={period.key}&version=1")
    book = load_workbook(io.BytesIO(old.data))
    assert book["Báo cáo"]["A4"].value == "Số: 21/BC-MTTQ"

    exports = db_session.scalars(
        select(AuditEntry).where(AuditEntry.kind == audit.EXPORT_REPORT).order_by(AuditEntry.id)
    ).all()
    assert [(e.summary, e.target_id, e.actor_id) for e in exports] == [
        (f"Tải báo cáo Word {period.label} · toàn khu vực Tam Kỳ (bản số 1)", period.key, boss.id),
        (f"Tải báo cáo Excel {period.label} · toàn khu vực Tam Kỳ (bản số 1)", period.key, boss.id),
    ]


def test_the_monthly_items_open_the_report_for_their_recipients(
    app: Flask, db_session: Session, session_factory: sessionmaker[Session]
) -> None:
    """The job's items in «Việc cần làm» lead, after sign-in, to the report they are about."""
    now = datetime.now(UTC)
    month = current_month(now).previous()
    boss = h.staff(db_session, "supervisor")
    officer = h.staff(db_session, "staff", wards=("quang_phu",))
    db_session.commit()
    day = WorkCalendar.load(db_session).next_working_day(month.after)
    run_job(JOBS, JOB_NAME, JobContext(sessions=session_factory, now=at(day, 7)))
    for user, title in ((boss, "toàn khu vực Tam Kỳ"), (officer, "phường Quảng Phú")):
        client = app.test_client()
        page = client.get("/admin/tasks", follow_redirects=True)
        assert "/login" in page.request.path  # the email's reader signs in first
        login(client, user.username)
        listed = client.get("/admin/tasks").get_data(as_text=True)
        opened = re.findall(r'href="(/admin/tasks/\d+/open)"', listed)
        assert len(opened) == 1, (user.username, opened)
        response = client.get(opened[0], follow_redirects=True)
        assert response.status_code == 200 and response.request.path == "/admin/reports"
        shown = response.get_data(as_text=True)
        assert f"Báo cáo phản ánh, kiến nghị {month.label} · {title}" in shown


def test_a_monthly_item_and_its_link_stay_closed_to_another_wards_officer(
    app: Flask, db_session: Session, session_factory: sessionmaker[Session]
) -> None:
    """Quảng Phú's item and the report it links to do not exist for Tam Kỳ's officer (404);
    a liaison gets the 403 page; the area's link shows a ward officer only their own ward."""
    now = datetime.now(UTC)
    month = current_month(now).previous()
    stranger = h.staff(db_session, "staff", wards=("tam_ky",))
    liaison = h.staff(db_session, "agency", agency_code="ubnd_tam_ky")
    db_session.commit()
    day = WorkCalendar.load(db_session).next_working_day(month.after)
    run_job(JOBS, JOB_NAME, JobContext(sessions=session_factory, now=at(day, 7)))
    items = {
        (n.ward_id, n.role): n
        for n in db_session.scalars(select(StaffNotification).where(StaffNotification.kind == KIND))
    }
    theirs = items[(h.ward(db_session, "quang_phu").id, "staff")]
    area = items[(None, "supervisor")]
    assert theirs.link == f"/reports?period={month.key}&ward=quang_phu"
    client = app.test_client()
    assert login(client, stranger.username).status_code == 302
    listed = client.get("/admin/tasks").get_data(as_text=True)
    assert f"/admin/tasks/{theirs.id}/open" not in listed
    assert f"/admin/tasks/{area.id}/open" not in listed
    assert client.get(f"/admin/tasks/{theirs.id}/open").status_code == 404
    assert client.get(f"/admin/tasks/{area.id}/open").status_code == 404
    refused = client.get(f"/admin{theirs.link}")
    assert refused.status_code == 404
    assert "phường Quảng Phú" not in refused.get_data(as_text=True)
    own = client.get(f"/admin{area.link}").get_data(as_text=True)  # no ward named: their own
    assert f"Báo cáo phản ánh, kiến nghị {month.label} · phường Tam Kỳ" in own
    assert "toàn khu vực Tam Kỳ" not in own
    other = app.test_client()
    assert login(other, liaison.username).status_code == 302
    assert other.get(f"/admin{theirs.link}").status_code == 403
