"""Telling a citizen who did not write by Zalo, end to end.

An officer releases the result on the petition page; the outbox job (`flask jobs run
outbox-drain`, the app's own sender) takes the email to a real SMTP server on loopback. A
refused address, and a citizen with neither phone nor email, become a «Việc cần làm» item that
«Ghi nhận đã báo kết quả» settles.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.mail import MailTransport, SmtpConfig
from bot.zalo.sender import Sender
from config import Settings
from storage.models import OutboxMessage, Petition, StaffNotification, StaffUser
from tests.admin.conftest import login, post
from tests.admin.test_delivery_status import _answered
from tests.conftest import make_settings
from tests.reminders.conftest import SmtpServer, smtp_server  # noqa: F401 - loopback SMTP
from tests.support import free_port

ADDRESS = "nguoidan.anh@example.vn"
RESULT = "UBND phường đã vá ổ gà trên đường Hùng Vương, hoàn thành ngày 12/01."


@pytest.fixture
def settings(database_url: str, tmp_path: Path, smtp_server: SmtpServer) -> Settings:  # noqa: F811
    """The app's email goes to the loopback SMTP server."""
    return make_settings(database_url, tmp_path, smtp_url=smtp_server.url)


def _released(
    db: Session, client: FlaskClient, *, email: str | None, phone: str | None = None
) -> tuple[Petition, StaffUser]:
    """A walk-in petition answered by the agency; the officer releases the result."""
    p, officer = _answered(db, zalo=False, phone=phone, email=email)
    p.reporter_name = "Nguyễn Văn Ánh"
    db.commit()
    assert login(client, officer.username).status_code == 302
    resp = post(client, f"/admin/petitions/{p.id}/send_result", {"result": RESULT})
    assert resp.status_code == 302
    return p, officer


def _drain(runner: FlaskCliRunner) -> dict[str, int]:
    result = runner.invoke(args=["jobs", "run", "outbox-drain"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output[result.output.index("{") :])


def _items(db: Session, p: Petition) -> list[StaffNotification]:
    return list(
        db.scalars(
            select(StaffNotification).where(
                StaffNotification.petition_id == p.id, StaffNotification.kind == "deliver_result"
            )
        )
    )


def test_the_result_email_leaves_through_the_outbox_job_and_marks_the_petition(
    db_session: Session,
    client: FlaskClient,
    runner: FlaskCliRunner,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    p, _ = _released(db_session, client, email=ADDRESS)
    assert smtp_server.inbox.messages == []  # queued, not sent inside the request
    assert _drain(runner).get("sent") == 1
    [msg] = smtp_server.inbox.messages
    assert smtp_server.inbox.envelopes == [("pakn@mttq-tamky.vn", [ADDRESS])]
    assert msg["Subject"] == f"Kết quả giải quyết phản ánh, kiến nghị — hồ sơ {p.code}"
    assert msg["From"].addresses[0].display_name == "Ủy ban MTTQ Việt Nam khu vực Tam Kỳ"
    part = msg.get_body(preferencelist=("plain",))
    assert part is not None and part.get_content_charset() == "utf-8"
    text = part.get_content()
    assert "Kính gửi Ông/Bà Nguyễn Văn Ánh," in text and RESULT in text
    assert f"(mã hồ sơ {p.code})" in text
    db_session.expire_all()
    row = db_session.scalars(select(OutboxMessage).where(OutboxMessage.petition_id == p.id)).one()
    assert (row.kind, row.state, row.delivered_via) == ("result_email", "sent", "email")
    assert p.result_delivered_via == "email" and p.result_delivered_at is not None
    assert _items(db_session, p) == []
    page = client.get(f"/admin/petitions/{p.id}").get_data(as_text=True)
    assert "Đã đến người dân qua thư điện tử" in page
    assert _drain(runner).get("sent", 0) == 0 and len(smtp_server.inbox.messages) == 1


def test_a_refused_address_becomes_an_item_for_the_officer(
    db_session: Session,
    client: FlaskClient,
    runner: FlaskCliRunner,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    smtp_server.inbox.refuse.add(ADDRESS)
    p, _ = _released(db_session, client, email=ADDRESS, phone="0905111222")
    assert _drain(runner).get("dead") == 1
    assert smtp_server.inbox.messages == []
    db_session.expire_all()
    row = db_session.scalars(select(OutboxMessage).where(OutboxMessage.petition_id == p.id)).one()
    assert row.state == "dead" and "recipient refused" in (row.last_error or "")
    assert p.result_delivered_at is None
    [item] = _items(db_session, p)
    assert "gọi điện báo kết quả" in item.title and "0905111222" in item.title
    assert ADDRESS in (item.body or "") and item.done_at is None
    tasks = client.get("/admin/tasks").get_data(as_text=True)
    assert str(p.code) in tasks and "gọi điện báo kết quả" in tasks
    page = client.get(f"/admin/petitions/{p.id}").get_data(as_text=True)
    assert "Chưa đến người dân" in page
    resp = post(client, f"/admin/petitions/{p.id}/record_delivery", {"via": "phone"})
    assert resp.status_code == 302
    db_session.expire_all()
    assert p.result_delivered_via == "phone" and _items(db_session, p)[0].done_at is not None


def test_a_citizen_without_phone_or_email_gets_a_letter_item_settled_by_the_record(
    db_session: Session, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    p, officer = _released(db_session, client, email=None)
    [item] = _items(db_session, p)
    assert item.title == f"{p.code}: gửi văn bản báo kết quả cho người dân"
    assert item.done_at is None and item.ward_id == p.ward_id
    tasks = client.get("/admin/tasks").get_data(as_text=True)
    assert "gửi văn bản báo kết quả cho người dân" in tasks
    assert "Báo kết quả cho người dân không dùng Zalo" in tasks
    assert _drain(runner).get("sent", 0) == 0  # nothing to send: a person must write
    resp = post(
        client,
        f"/admin/petitions/{p.id}/record_delivery",
        {"via": "letter", "note": "Văn bản số 12/MTTQ gửi bưu điện"},
    )
    assert resp.status_code == 302
    db_session.expire_all()
    assert p.result_delivered_via == "letter" and p.result_delivered_at is not None
    [item] = _items(db_session, p)
    assert item.done_at is not None and item.done_by_id == officer.id
    page = client.get(f"/admin/petitions/{p.id}").get_data(as_text=True)
    assert "Đã đến người dân qua văn bản gửi qua bưu điện" in page
    assert "Văn bản số 12/MTTQ gửi bưu điện" in page
    assert "gửi văn bản báo kết quả" not in client.get("/admin/tasks").get_data(as_text=True)


def test_an_email_server_down_for_two_days_also_becomes_an_item(
    db_session: Session, client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    """Transient failures for longer than the give-up time: the officer writes instead."""
    p, _ = _released(db_session, client, email=ADDRESS)
    down = MailTransport(SmtpConfig("127.0.0.1", free_port()), sender="pakn@mttq.vn", timeout=2)
    sender = Sender(session_factory, {"email": down}, give_up_after=timedelta(hours=48))
    row = db_session.scalars(select(OutboxMessage).where(OutboxMessage.petition_id == p.id)).one()
    assert sender.drain(now=row.created_at + timedelta(hours=1))["retry"] == 1
    assert _items(db_session, p) == []  # a retry is not yet a failure
    assert sender.drain(now=row.created_at + timedelta(hours=49))["dead"] == 1
    db_session.expire_all()
    [item] = _items(db_session, p)
    assert item.title == f"{p.code}: gửi văn bản báo kết quả cho người dân"
    assert ADDRESS in (item.body or "") and p.result_delivered_at is None
