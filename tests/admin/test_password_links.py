"""Set-password links over a real SMTP server on loopback: sent, usable once, expiring."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot import create_app
from bot.database import get_db
from bot.runtime import runtime_of
from handlers import password_links
from storage.models import AuditEntry, StaffUser
from storage.models.base import utcnow
from tests.admin.conftest import login, post
from tests.conftest import make_settings
from tests.reminders.conftest import Inbox
from tests.support import free_port
from tests.workflow import helpers as h

_LINK = re.compile(r"(https?://\S+/admin/set-password/\S+)")


@pytest.fixture
def inbox() -> Iterator[tuple[str, Inbox]]:
    """A real SMTP server (aiosmtpd) on a free loopback port."""
    box, port = Inbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port, decode_data=False)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}", box
    finally:
        controller.stop()


@pytest.fixture
def mail_app(
    database_url: str,
    tmp_path: Path,
    session_factory: sessionmaker[Session],
    inbox: tuple[str, Inbox],
) -> Iterator[Flask]:
    settings = make_settings(
        database_url, tmp_path, smtp_url=inbox[0], admin_base_url="https://pakn.example.vn"
    )
    application = create_app(settings)
    runtime_of(application).use_sessions(session_factory)
    yield application
    get_db(application).engine.dispose()


def _deliver(app: Flask, box: Inbox) -> tuple[str, str]:
    """Send what the outbox holds; the newest email's body and the path of its link."""
    counts = runtime_of(app).zalo.sender.drain()
    assert counts["sent"] >= 1, counts
    body = box.messages[-1].get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    match = _LINK.search(text)
    assert match, text
    assert match.group(1).startswith("https://pakn.example.vn/admin/set-password/")
    return text, urlsplit(match.group(1)).path


def _admin(app: Flask, session: Session) -> tuple[FlaskClient, StaffUser]:
    admin = h.staff(session, "admin")
    session.commit()
    client = app.test_client()
    assert login(client, admin.username).status_code == 302
    return client, admin


def test_an_invitation_works_once(
    mail_app: Flask, db_session: Session, inbox: tuple[str, Inbox]
) -> None:
    client, _ = _admin(mail_app, db_session)
    ward = h.ward(db_session, "ban_thach")
    created = post(
        client,
        "/admin/users",
        {
            "username": "moi.vao",
            "display_name": "Phạm Văn Bình",
            "email": "binh@mttq.test",
            "role": "staff",
            "wards": [str(ward.id)],
            "method": "link",
        },
    )
    assert created.status_code == 302
    text, path = _deliver(mail_app, inbox[1])
    assert inbox[1].envelopes[-1][1] == ["binh@mttq.test"]
    assert "Kính gửi đồng chí Phạm Văn Bình" in text and "«moi.vao»" in text
    token = path.rsplit("/", 1)[1]
    stored = db_session.scalars(select(password_links.PasswordToken)).all()
    assert [t.token_hash for t in stored] == [password_links.digest(token)]  # hash only
    user = db_session.scalars(select(StaffUser).where(StaffUser.username == "moi.vao")).one()
    assert login(mail_app.test_client(), "moi.vao", "bat-ky-mat-khau-nao").status_code == 401

    visitor = mail_app.test_client()
    form = visitor.get(path)
    assert form.status_code == 200 and "moi.vao" in form.get_data(as_text=True)
    mismatch = post(visitor, path, {"new": "mat-khau-cua-binh-1", "confirm": "khac"})
    assert mismatch.status_code == 400 and "không khớp" in mismatch.get_data(as_text=True)
    done = post(visitor, path, {"new": "mat-khau-cua-binh-1", "confirm": "mat-khau-cua-binh-1"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/admin/login")
    again = post(visitor, path, {"new": "mat-khau-khac-123", "confirm": "mat-khau-khac-123"})
    assert again.status_code == 404 and "không còn hiệu lực" in again.get_data(as_text=True)
    assert visitor.get(path).status_code == 404

    fresh = mail_app.test_client()
    assert login(fresh, "moi.vao", "mat-khau-cua-binh-1").status_code == 302
    assert fresh.get("/admin/").status_code == 200  # chosen by the user: no forced change
    kinds = db_session.scalars(
        select(AuditEntry.kind).where(AuditEntry.actor_id == user.id).order_by(AuditEntry.id)
    ).all()
    assert "auth.password_set" in kinds and kinds[-1] == "auth.login"


def test_expired_replaced_and_disabled_links_do_not_open(
    mail_app: Flask, db_session: Session, inbox: tuple[str, Inbox]
) -> None:
    _client, admin = _admin(mail_app, db_session)
    user = h.staff(db_session, "supervisor", username="lien.ket")
    user.email = "lien.ket@mttq.test"
    now = utcnow()
    old, _ = password_links.issue(db_session, user, purpose="reset", by=admin, now=now)
    newer, _ = password_links.issue(db_session, user, purpose="reset", by=admin, now=now)
    late = h.staff(db_session, "staff", username="qua.han")
    late.email = "qua.han@mttq.test"
    expired, _ = password_links.issue(
        db_session, late, purpose="invite", by=admin, now=now - timedelta(hours=49)
    )
    db_session.commit()
    visitor = mail_app.test_client()
    assert visitor.get(f"/admin/set-password/{old}").status_code == 404  # replaced
    assert visitor.get(f"/admin/set-password/{newer}").status_code == 200
    assert visitor.get(f"/admin/set-password/{expired}").status_code == 404
    late_post = post(
        visitor, f"/admin/set-password/{expired}", {"new": "a" * 12, "confirm": "a" * 12}
    )
    assert late_post.status_code == 404
    assert visitor.get("/admin/set-password/" + "x" * 500).status_code == 404
    assert password_links.usable(db_session, newer, now=now + timedelta(hours=49)) is None
    user.active = False
    db_session.commit()
    assert visitor.get(f"/admin/set-password/{newer}").status_code == 404


def test_a_reset_by_link_stops_the_old_password(
    mail_app: Flask, db_session: Session, inbox: tuple[str, Inbox]
) -> None:
    client, _ = _admin(mail_app, db_session)
    user = h.staff(db_session, "staff", username="dat.lai")
    user.email = "dat.lai@mttq.test"
    db_session.commit()
    assert login(mail_app.test_client(), "dat.lai").status_code == 302
    response = post(client, f"/admin/users/{user.id}/reset", {"method": "link"})
    assert response.status_code == 302
    text, path = _deliver(mail_app, inbox[1])
    assert "đặt lại mật khẩu" in text
    assert login(mail_app.test_client(), "dat.lai").status_code == 401
    post(
        mail_app.test_client(),
        path,
        {"new": "mat-khau-moi-dat-lai", "confirm": "mat-khau-moi-dat-lai"},
    )
    assert login(mail_app.test_client(), "dat.lai", "mat-khau-moi-dat-lai").status_code == 302


def test_the_account_page_says_when_the_link_email_did_not_leave(
    database_url: str,
    tmp_path: Path,
    session_factory: sessionmaker[Session],
    db_session: Session,
    inbox: tuple[str, Inbox],
) -> None:
    """The walk: nothing listened on SMTP_URL, the page still said «đã gửi liên kết»."""
    nobody = f"smtp://127.0.0.1:{free_port()}"
    app = create_app(make_settings(database_url, tmp_path, smtp_url=nobody))
    runtime_of(app).use_sessions(session_factory)
    try:
        client, _ = _admin(app, db_session)
        user = h.staff(db_session, "staff", username="khong.nhan")
        user.email = "khong.nhan@mttq.test"
        db_session.commit()
        done = post(
            client, f"/admin/users/{user.id}/reset", {"method": "link"}, follow_redirects=True
        )
        page = done.get_data(as_text=True)
        assert "Đã gửi liên kết" not in page and "đã vào hàng đợi" in page
        assert "đang chờ gửi đến khong.nhan@mttq.test" in page
        counts = runtime_of(app).zalo.sender.drain()
        assert counts["sent"] == 0, counts
        page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
        assert "chưa gửi được</b> đến khong.nhan@mttq.test" in page
        assert "SMTP unavailable" in page and "Tạo mật khẩu dùng một lần» rồi trao" in page

        # A one-time password instead: the link is revoked, the warning goes.
        assert (
            post(client, f"/admin/users/{user.id}/reset", {"method": "password"}).status_code == 200
        )
        page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
        assert "chưa gửi được" not in page
    finally:
        get_db(app).engine.dispose()


def test_the_account_page_says_when_the_link_email_left(
    mail_app: Flask, db_session: Session, inbox: tuple[str, Inbox]
) -> None:
    client, _ = _admin(mail_app, db_session)
    user = h.staff(db_session, "staff", username="se.nhan")
    user.email = "se.nhan@mttq.test"
    db_session.commit()
    assert post(client, f"/admin/users/{user.id}/reset", {"method": "link"}).status_code == 302
    _deliver(mail_app, inbox[1])
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "Thư chứa liên kết đặt mật khẩu đã gửi đến se.nhan@mttq.test lúc" in page
