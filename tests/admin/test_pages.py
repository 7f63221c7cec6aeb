"""The admin pages render and the main actions work through HTTP."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import workflow as wf
from storage.models import Forward, OutboxMessage, StaffUser
from tests.admin.conftest import post
from tests.workflow import helpers as h


def test_inbox_and_petition_page(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("staff")
    p = h.draft(db_session, text="Đường Hùng Vương ngập nước sau mưa lớn, xe không qua được.")
    wf.submit(db_session, p, now=h.ORDINARY_MONDAY)
    db_session.commit()
    page = client.get("/admin/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert p.code in html
    found = client.get("/admin/?q=ngap+nuoc").get_data(as_text=True)
    assert p.code in found
    detail = client.get(f"/admin/petitions/{p.id}")
    assert detail.status_code == 200, detail.get_data(as_text=True)
    assert "ngập nước" in detail.get_data(as_text=True)
    assert "Content-Security-Policy" in detail.headers


def test_triage_forward_answer_result(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("staff")
    p = h.draft(db_session)
    wf.submit(db_session, p, now=h.ORDINARY_MONDAY)
    db_session.commit()
    cat = h.category(db_session, "xay_dung_do_thi")
    r = post(
        client,
        f"/admin/petitions/{p.id}/triage",
        {"category": cat.id, "ward": p.ward_id, "legal_type": "phan_anh"},
    )
    assert r.status_code == 302
    db_session.refresh(p)
    assert p.state == "triaged" and p.category_id == cat.id
    agency = h.agency(db_session)
    r = post(
        client,
        f"/admin/petitions/{p.id}/forward",
        {
            "agency": agency.id,
            "channel": "van_ban",
            "document_number": "12/MTTQ",
            "sent_on": h.MONDAY.isoformat(),
        },
    )
    assert r.status_code == 302
    db_session.refresh(p)
    assert p.state == "forwarded", client.get(f"/admin/petitions/{p.id}").get_data(as_text=True)
    fwd = db_session.scalars(select(Forward).where(Forward.petition_id == p.id)).one()
    slip = client.get(f"/admin/forwards/{fwd.id}/slip.docx")
    assert slip.status_code == 200 and slip.data[:2] == b"PK"
    slip.close()
    r = post(client, f"/admin/petitions/{p.id}/record_answer", {"text": "Đã xử lý xong."})
    db_session.refresh(p)
    assert p.state == "agency_answered"
    r = post(client, f"/admin/petitions/{p.id}/send_result", {"result": "Đã xử lý xong."})
    db_session.refresh(p)
    assert p.state == "result_sent"
    texts = [
        o.payload
        for o in db_session.scalars(select(OutboxMessage).where(OutboxMessage.petition_id == p.id))
    ]
    assert any("Đã xử lý xong" in str(t) for t in texts)


def test_every_page_names_an_icon_that_is_served(client: FlaskClient) -> None:
    """Browsers asked for /favicon.ico on every page and got 404 in the log."""
    page = client.get("/admin/login").get_data(as_text=True)
    assert '<link rel="icon" type="image/svg+xml" href="/static/favicon.svg">' in page
    with client.get("/static/favicon.svg") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
