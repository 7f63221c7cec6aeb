"""Honest status: the petition page and the inbox say whether the citizen was told.

A walk-in petition's result is "not delivered" until staff record how they told the
citizen (audited); a Zalo citizen's waiting message shows why it waits.
"""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import workflow as wf
from handlers.outbox import reach
from storage.models import OutboxMessage, Petition, PetitionEvent, StaffNotification
from storage.models.base import utcnow
from storage.models.enums import Channel
from tests.admin.conftest import login, post
from tests.workflow import helpers as h


def _answered(db: Session, *, zalo: bool, phone: str | None = None, email: str | None = None):  # type: ignore[no-untyped-def]
    officer = h.staff(db, "staff", wards=("tam_ky",))
    person = h.citizen(db, zalo=zalo)
    p = h.draft(db, person=person, channel=Channel.ZALO if zalo else Channel.WALK_IN, phone=phone)
    p.contact_email = email
    now = utcnow()
    wf.submit(db, p, now=now)
    wf.triage(
        db,
        p,
        actor=officer,
        category_id=p.category_id,
        ward_id=p.ward_id,
        legal_type=p.legal_type,
        urgent=False,
        now=now,
    )
    wf.forward(
        db,
        p,
        actor=officer,
        agency=h.agency(db),
        channel="van_ban",
        document_number="1/MTTQ",
        sent_on=wf.local_date(now),
        now=now,
    )
    wf.record_agency_answer(db, p, actor=officer, text="Đã xử lý.", now=now)
    return p, officer


def test_a_walk_in_result_is_an_officer_item_until_staff_record_the_call(
    db_session: Session, client: FlaskClient
) -> None:
    p, officer = _answered(db_session, zalo=False, phone="0905111222")
    db_session.commit()
    assert login(client, officer.username).status_code == 302
    resp = post(client, f"/admin/petitions/{p.id}/send_result", {"result": "Đã vá đường."})
    assert resp.status_code == 302
    page = client.get(f"/admin/petitions/{p.id}").get_data(as_text=True)
    assert "Chưa đến người dân" in page and "Ghi nhận đã báo kết quả" in page
    item = db_session.scalars(
        select(StaffNotification).where(StaffNotification.kind == "deliver_result")
    ).one()
    assert "gọi điện" in item.title and item.petition_id == p.id
    resp = post(
        client,
        f"/admin/petitions/{p.id}/record_delivery",
        {"via": "phone", "note": "Ông A nghe máy"},
    )
    assert resp.status_code == 302
    db_session.expire_all()
    assert p.result_delivered_via == "phone" and p.result_delivered_at is not None
    audit = db_session.scalars(
        select(PetitionEvent.action).where(PetitionEvent.petition_id == p.id)
    ).all()
    assert audit[-1] == "record_delivery"
    page = client.get(f"/admin/petitions/{p.id}").get_data(as_text=True)
    assert "Đã đến người dân qua gọi điện thoại" in page and "Ông A nghe máy" in page
    resp = post(client, f"/admin/petitions/{p.id}/record_delivery", {"via": "fax"})
    assert resp.status_code == 400  # refused with a message, nothing stored
    db_session.expire_all()
    assert p.result_delivered_via == "phone"


def test_an_emailed_result_is_queued_to_the_address_the_citizen_gave(
    db_session: Session,
) -> None:
    p, officer = _answered(db_session, zalo=False, email="nguoidan@example.vn")
    wf.send_result(db_session, p, actor=officer, result_text="Đã vá.", now=utcnow())
    row = db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "result_email")
    ).one()
    assert row.recipient == "nguoidan@example.vn" and "Đã vá." in row.payload["body"]
    assert p.result_delivered_at is None  # only when the mail has left
    assert reach.latest(db_session, [p.id])[p.id].state == "waiting"
    row.state = "sent"  # what the sender records once the SMTP server accepted it
    reach.delivered(db_session, row.id, via="email", now=utcnow())
    assert p.result_delivered_via == "email"


def test_the_inbox_says_a_zalo_citizen_has_not_heard_yet(
    db_session: Session, client: FlaskClient
) -> None:
    p, officer = _answered(db_session, zalo=True)
    wf.send_result(db_session, p, actor=officer, result_text="Đã vá.", now=utcnow())
    row = db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedup_key.like("%notify.result"))
    ).one()
    row.state, row.last_error = "held", "window"
    reach.waiting(db_session, row.id, ["window", "not_follower", "no_phone"])
    rating = db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedup_key.like("%:rating"))
    ).one()
    rating.state = "held"
    reach.waiting(db_session, rating.id, ["window", "not_follower", "no_phone"])
    db_session.commit()
    assert login(client, officer.username).status_code == 302
    page = client.get("/admin/").get_data(as_text=True)
    assert "Đang chờ gửi: quá 7 ngày" in page and "không quan tâm OA" in page


def test_entry_on_behalf_keeps_the_email_for_the_result(
    client: FlaskClient, db_session: Session
) -> None:
    officer = h.staff(db_session, "staff", wards=("tam_ky",))
    db_session.commit()
    assert login(client, officer.username).status_code == 302
    form = {
        "channel": "email",
        "ward": h.ward(db_session).id,
        "reporter_name": "Lê Thị Hoa",
        "text": "Đề nghị sửa đèn chiếu sáng đường Hùng Vương bị hỏng.",
    }
    bad = post(client, "/admin/entry", {**form, "email": "hoa at example"})
    assert bad.status_code == 400 and "thư điện tử không hợp lệ" in bad.get_data(as_text=True)
    ok = post(client, "/admin/entry", {**form, "email": "hoa@example.vn"})
    assert ok.status_code == 302
    p = db_session.scalars(select(Petition).order_by(Petition.id.desc())).first()
    assert p is not None and p.contact_email == "hoa@example.vn"
