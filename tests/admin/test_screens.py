"""Entry on behalf, response templates, file serving, the liaison's redacted view."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.runtime import runtime_of
from config import Settings
from handlers import messages
from handlers import workflow as wf
from handlers.workflow.files import store_upload
from storage.models import Attachment, Petition, PetitionEvent, ResponseTemplate, StaffUser
from storage.reference_data import HOLIDAY_YEARS
from tests import dates
from tests.admin.conftest import post
from tests.workflow import helpers as h

T0 = h.ORDINARY_MONDAY


def test_entry_on_behalf_records_the_channel(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("staff")
    ward = h.ward(db_session)
    scan = (io.BytesIO(b"%PDF-1.4 scanned letter"), "đơn.pdf")
    response = post(
        client,
        "/admin/entry",
        {
            "channel": "letter",
            "ward": ward.id,
            "reporter_name": "Phạm Văn Đồng",
            "phone": "0235 3851 234",
            "text": "Đề nghị sửa chữa cầu tràn thôn Ngọc Nam bị sạt lở.",
            "category": h.category(db_session, "giao_thong").id,
            "legal_type": "kien_nghi",
            "file": scan,
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    p = db_session.scalars(select(Petition).order_by(Petition.id.desc())).first()
    assert p is not None and p.state == "received" and p.channel == "letter"
    assert p.code and p.citizen_id is None and p.reporter_name == "Phạm Văn Đồng"
    assert p.unit_id is not None and "cau tran" in p.search_text
    assert p.suggestions.get("category") and p.suggestions.get("model_version")
    letter = db_session.scalars(select(Attachment).where(Attachment.petition_id == p.id)).one()
    assert letter.kind == "letter" and letter.mime_type == "application/pdf"
    bad = post(client, "/admin/entry", {"channel": "zalo", "ward": ward.id, "text": "x"})
    assert bad.status_code == 400


def test_catalogue_overrides_and_reply_templates(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("supervisor")
    assert "notify.received" in client.get("/admin/templates").get_data(as_text=True)
    bad = post(client, "/admin/templates/edit", {"key": "notify.received", "body": "Mã {ma}"})
    assert bad.status_code == 400 and "Mã {ma}" in bad.get_data(as_text=True)  # kept as typed
    assert (
        messages.template_for(db_session, "notify.received")
        == messages.CATALOGUE["notify.received"]
    )
    good = "Đã nhận hồ sơ {code}. Gõ TRA {code} để tra cứu."
    post(client, "/admin/templates/edit", {"key": "notify.received", "body": good})
    p = wf.submit(db_session, h.draft(db_session), now=T0)
    assert messages.render(db_session, "notify.received", code=p.code) == good.format(code=p.code)
    post(client, "/admin/templates/edit", {"key": "notify.received", "reset": "1"})
    assert (
        messages.template_for(db_session, "notify.received")
        == messages.CATALOGUE["notify.received"]
    )
    post(client, "/admin/templates/replies", {"title": "Hướng dẫn", "body": "Hồ sơ {code}: {x}"})
    reply = db_session.scalars(
        select(ResponseTemplate).where(ResponseTemplate.key.startswith("reply."))
    ).one()
    page = client.get(f"/admin/petitions/{p.id}").get_data(as_text=True)
    assert f"Hồ sơ {p.code}: {{x}}" in page  # filled, unknown placeholders left visible
    reply_id = reply.id
    post(client, f"/admin/templates/replies/{reply_id}/delete")
    db_session.expire_all()
    assert (
        db_session.scalar(select(ResponseTemplate).where(ResponseTemplate.id == reply_id)) is None
    )


def test_files_are_served_safely_and_redacted_for_liaisons(
    client: FlaskClient,
    db_session: Session,
    settings: Settings,
    signed_in: Callable[..., StaffUser],
) -> None:
    s = db_session
    officer = h.staff(s, "supervisor")
    p = wf.submit(s, h.draft(s, legal_type="phan_anh"), now=T0)
    base = Path(settings.attachment_dir)
    photo = store_upload(
        s, data=h.tiny_png(), filename="hiện trường.png", base_dir=base, max_bytes=10**6, petition=p
    )
    covered = store_upload(
        s,
        data=h.tiny_png(32, 32),
        filename="da-che.png",
        base_dir=base,
        max_bytes=10**6,
        petition=p,
        kind="redacted",
        redacted_from=photo,
    )
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
        agency=h.agency(s),
        channel="van_ban",
        document_number="1",
        sent_on=h.MONDAY,
        now=T0,
    )
    s.commit()
    signed_in("agency", agency_code="ubnd_tam_ky")
    original = client.get(f"/admin/files/{photo.id}")
    assert original.status_code == 404
    copy = client.get(f"/admin/files/{covered.id}")
    assert copy.status_code == 200 and copy.mimetype == "image/png"
    assert copy.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in copy.headers["Content-Security-Policy"]
    copy.close()
    assert client.get("/admin/files/999999").status_code == 404


def test_the_holiday_list_is_editable(
    client: FlaskClient,
    db_session: Session,
    signed_in: Callable[..., StaffUser],
    today: date,
) -> None:
    from handlers.workflow import WorkCalendar
    from storage.models import Holiday

    signed_in("admin")
    seeded = HOLIDAY_YEARS[-1]  # a year the holiday table is seeded with: Tết is in it
    assert "Tết Nguyên Đán" in client.get(f"/admin/holidays?year={seeded}").get_data(as_text=True)
    # A petition received today: its triage is due on the next working day, declared off.
    p = wf.submit(db_session, h.draft(db_session), now=dates.at(today, 0, 30))
    db_session.commit()
    day = p.triage_due_on
    assert day is not None
    form = {"day": day.isoformat(), "name": "Nghỉ đột xuất"}
    saved = post(client, "/admin/holidays", form, follow_redirects=True).get_data(as_text=True)
    cal = WorkCalendar.load(db_session)
    assert not cal.is_working_day(day)
    to = cal.next_working_day(day)
    assert f"Hạn của 1 hồ sơ rơi vào ngày này được chuyển sang {to:%d/%m/%Y}" in saved
    db_session.refresh(p)
    assert p.triage_due_on == to
    row = db_session.scalar(select(Holiday).where(Holiday.day == day))
    assert row is not None
    post(client, f"/admin/holidays/{row.id}/delete")
    assert WorkCalendar.load(db_session).is_working_day(day)


def test_a_liaison_never_sees_personal_data(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    s = db_session
    officer = h.staff(s, "supervisor")
    text = "Cống nghẹt trước nhà số 12, liên hệ 0905123456 hoặc an.nguyen@example.com."
    p = wf.submit(s, h.draft(s, text=text), now=T0)
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
        agency=h.agency(s),
        channel="van_ban",
        document_number="1",
        sent_on=h.MONDAY,
        now=T0,
    )
    s.commit()
    signed_in("agency", agency_code="ubnd_tam_ky")
    for path in ("/admin/", f"/admin/petitions/{p.id}"):
        html = client.get(path).get_data(as_text=True)
        assert p.code in html  # type: ignore[operator]
        assert "0905123456" not in html and "an.nguyen@example.com" not in html
        assert "Cống nghẹt" in html


def _entry(ward_id: int, **extra: str) -> dict[str, object]:
    """A letter entered on a resident's behalf (`extra`: received_on and other fields)."""
    return {
        "channel": "letter",
        "ward": ward_id,
        "reporter_name": "Trần Thị Lan",
        "text": "Đề nghị khơi thông cống thoát nước kiệt 12 Phan Bội Châu bị tắc.",
        "category": "",
        "legal_type": "kien_nghi",
        **extra,
    }


def _newest(s: Session) -> Petition:
    s.expire_all()
    p = s.scalars(select(Petition).order_by(Petition.id.desc())).first()
    assert p is not None
    return p


def _submit_event(s: Session, p: Petition) -> PetitionEvent:
    return s.scalars(
        select(PetitionEvent).where(
            PetitionEvent.petition_id == p.id, PetitionEvent.action == "submit"
        )
    ).one()


@pytest.fixture
def clerk(app: Flask, signed_in: Callable[..., StaffUser], today: date) -> datetime:
    """An officer signed in on an app whose clock stands at 10:15 today; returns that now."""
    now = dates.at(today, 10, 15)
    runtime_of(app).use_clock(lambda: now)
    signed_in("staff")
    return now


def test_entry_receipt_date_defaults_to_today(
    client: FlaskClient, db_session: Session, clerk: datetime, today: date
) -> None:
    now = clerk
    form = client.get("/admin/entry").get_data(as_text=True)
    assert f'name="received_on" value="{today.isoformat()}"' in form
    assert f'max="{today.isoformat()}"' in form
    ward = h.ward(db_session).id
    cal = wf.WorkCalendar.load(db_session)
    for extra in ({}, {"received_on": today.isoformat()}):  # left out, or today as shown
        assert post(client, "/admin/entry", _entry(ward, **extra)).status_code == 302
        p = _newest(db_session)
        assert p.received_at == now  # today: the moment it was typed in
        assert p.triage_due_on == cal.add_working_days(today, 1)
        assert _submit_event(db_session, p).note == ""
        page = client.get(f"/admin/petitions/{p.id}").get_data(as_text=True)
        assert "Nhận ngày" not in page


def test_a_letter_received_days_ago_runs_its_clocks_from_that_day(
    client: FlaskClient, db_session: Session, clerk: datetime, today: date
) -> None:
    from handlers.reports import compute
    from handlers.reports.periods import month_of

    now = clerk
    s, cal = db_session, wf.WorkCalendar.load(db_session)
    day = today - timedelta(days=25)
    typed = post(client, "/admin/entry", _entry(h.ward(s).id, received_on=f"{day:%d/%m/%Y}"))
    assert typed.status_code == 302, typed.get_data(as_text=True)
    p = _newest(s)
    assert p.received_at == wf.start_of_day(day)
    assert p.triage_due_on == cal.add_working_days(day, 1)
    assert p.triage_hard_due_on == cal.add_working_days(day, 3)
    assert p.decision_due_on == cal.next_working_day(day + timedelta(days=10))
    assert p.next_due_at == wf.end_of_day(min(p.triage_due_on, p.decision_due_on))
    # The code is a register number of the day it was entered; the trail keeps who and when.
    assert p.code is not None and p.code.split("-")[1] == f"{today:%y%m}"
    event = _submit_event(s, p)
    assert event.created_at == now and event.actor_id is not None
    assert event.note == f"Nhận ngày {day:%d/%m/%Y}, nhập ngày {today:%d/%m/%Y}"
    # Every Front clock of a 25-day-old letter has run out: overdue at once, where staff look.
    assert wf.is_overdue(p, now)
    assert p.code in client.get("/admin/?overdue=1").get_data(as_text=True)
    page = client.get(f"/admin/petitions/{p.id}").get_data(as_text=True)
    assert "Quá hạn" in page
    assert f"Nhận ngày {day:%d/%m/%Y}, nhập ngày {today:%d/%m/%Y}" in page
    # The report counts it in the month it was received.
    figures = compute(s, month_of(day), ward=None, now=now)
    [row] = [r for r in figures["petitions"] if r["code"] == p.code]
    assert row["received_on"] == day.isoformat()


def test_a_back_dated_entry_tells_of_the_sent_report_that_leaves_it_out(
    client: FlaskClient, db_session: Session, clerk: datetime, today: date
) -> None:
    from handlers import reports
    from handlers.reports.periods import month_of

    s = db_session
    day = today - timedelta(days=30)  # the oldest day accepted
    month = month_of(day)
    after = dates.at(month.after, 9)  # the report is sent once its month is over
    area = reports.scope_of(s, None)
    assert area is not None
    draft = reports.create_draft(s, month, area, now=after, actor_id=None)
    signed = {"number": "7/BC-MTTQ", "place": "Tam Kỳ", "signer_name": "Nguyễn Văn A"}
    reports.save_text(s, draft, values=signed, issued_on=month.after, now=after)
    reports.send(s, draft, month, now=after, actor_id=None)
    s.commit()
    typed = post(client, "/admin/entry", _entry(h.ward(s).id, received_on=day.isoformat()))
    assert typed.status_code == 302, typed.get_data(as_text=True)
    page = client.get(typed.headers["Location"]).get_data(as_text=True)
    p = _newest(s)
    assert p.received_at == wf.start_of_day(day)
    assert f"Báo cáo {month.label} (toàn khu vực) đã chốt" in page and p.code in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (1, "Ngày nhận không thể sau hôm nay."),
        (-31, "Ngày nhận không được trước"),
        ("ngày hôm qua", "Ngày không hợp lệ"),
        ("2025-13-01", "Ngày không hợp lệ"),
        ("30/02/2025", "Ngày không hợp lệ"),
        ("99999-01-01", "Ngày không hợp lệ"),
    ],
)
def test_an_impossible_receipt_date_is_refused_and_the_form_kept(
    client: FlaskClient,
    db_session: Session,
    clerk: datetime,
    today: date,
    typed: int | str,
    message: str,
) -> None:
    before = db_session.scalar(select(func.count()).select_from(Petition))
    value = (today + timedelta(days=typed)).isoformat() if isinstance(typed, int) else typed
    response = post(client, "/admin/entry", _entry(h.ward(db_session).id, received_on=value))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert "kiệt 12 Phan Bội Châu" in page and f'value="{escape(value)}"' in page
    assert db_session.scalar(select(func.count()).select_from(Petition)) == before
