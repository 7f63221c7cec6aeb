"""The delivery screen: dead letters, held messages and parked events, and sending again."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from handlers import outbox
from handlers import workflow as wf
from handlers.workflow.calendar import LOCAL_TZ
from storage.models import InboundEvent, OutboxMessage, StaffUser
from storage.models.enums import InboundState, OutboxState
from tests.admin.conftest import post
from tests.workflow import helpers as h

T0 = h.ORDINARY_MONDAY


def _problems(s: Session) -> tuple[OutboxMessage, OutboxMessage, OutboxMessage, InboundEvent]:
    citizen = h.citizen(s)
    citizen.display_name = "Lê Thị <b>Hoa</b>"
    petition = wf.submit(s, h.draft(s, person=citizen), now=T0)
    dead = outbox.queue_zalo(
        s, citizen=citizen, text="Hồ sơ đã chuyển <script>alert(1)</script>", petition=petition
    )
    mail = outbox.queue_email(s, to="vanthu@tamky.gov.vn", subject="Đôn đốc hồ sơ", body="…")
    held = outbox.queue_zalo(s, citizen=citizen, text="Kết quả giải quyết")
    s.flush()
    outbox.dead_letter(s, dead.id, now=T0, reason="user_not_exist (-213)")
    outbox.dead_letter(s, mail.id, now=T0, reason="550 mailbox unavailable")
    outbox.hold(s, held.id)
    event = InboundEvent(
        dedup_key="evt-parked-1",
        event_name="user_send_text",
        raw_body=b"{}",
        state=InboundState.PARKED,
        attempts=3,
        last_error="RuntimeError: boom",
    )
    s.add(event)
    s.commit()
    return dead, mail, held, event


def test_supervisor_sees_what_did_not_leave_escaped(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    dead, mail, held, event = _problems(db_session)
    signed_in("supervisor")
    page = client.get("/admin/delivery").get_data(as_text=True)
    assert "Gửi không thành (2)" in page and "Chờ người dân nhắn lại (1)" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "Lê Thị &lt;b&gt;Hoa&lt;/b&gt;" in page
    assert "vanthu@tamky.gov.vn" in page
    local = T0.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")
    assert f"{local}: 550 mailbox unavailable" in page  # the stop time in local dd/mm/yyyy
    assert "Quá 7 ngày" in page and "RuntimeError: boom" in page
    assert f"/admin/petitions/{dead.petition_id}" in page


def test_sending_again_and_processing_again(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    dead, mail, _, event = _problems(db_session)
    signed_in("admin")
    response = post(client, f"/admin/delivery/messages/{dead.id}/requeue")
    assert response.status_code == 302
    again = post(client, f"/admin/delivery/messages/{dead.id}/requeue", follow_redirects=True)
    assert "không còn ở trạng thái gửi không thành" in again.get_data(as_text=True)
    assert post(client, f"/admin/delivery/events/{event.id}/requeue").status_code == 302
    db_session.expire_all()
    assert db_session.get(OutboxMessage, dead.id).state == OutboxState.PENDING
    assert db_session.get(OutboxMessage, mail.id).state == OutboxState.DEAD
    assert db_session.get(InboundEvent, event.id).state == InboundState.PENDING
    assert post(client, "/admin/delivery/messages/999999/requeue").status_code == 404


def test_ward_staff_and_liaisons_do_not_see_it(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    dead, _, _, event = _problems(db_session)
    signed_in("staff")
    page = client.get("/admin/delivery")  # a page of another role: it says so
    assert page.status_code == 403 and "không dành cho vai trò" in page.get_data(as_text=True)
    assert post(client, f"/admin/delivery/messages/{dead.id}/requeue").status_code == 403
    assert post(client, f"/admin/delivery/events/{event.id}/requeue").status_code == 403
    db_session.expire_all()
    assert db_session.get(OutboxMessage, dead.id).state == OutboxState.DEAD
    assert "Tin chưa gửi" not in client.get("/admin/").get_data(as_text=True)
