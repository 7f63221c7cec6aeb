"""Sign-in, logout everywhere, CSRF on every form, cookie flags, safe redirects."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from bot.admin.actions import ACTIONS
from handlers import workflow as wf
from storage.models import StaffUser
from tests.admin.conftest import csrf, login, post
from tests.workflow import helpers as h


def test_pages_need_a_signed_in_user(client: FlaskClient) -> None:
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    assert client.get("/admin/petitions/1").status_code == 302
    assert post(client, "/admin/petitions/1/close", {}, follow_redirects=False).status_code == 401


def test_login_and_cookie_flags(client: FlaskClient, db_session: Session) -> None:
    user = h.staff(db_session)
    db_session.commit()
    response = login(client, user.username)
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/admin/").status_code == 200
    db_session.refresh(user)
    assert user.last_login_at is not None


def test_secure_cookie_behind_https(database_url: str, tmp_path, session_factory) -> None:  # type: ignore[no-untyped-def]
    from bot import create_app
    from bot.database import get_db
    from bot.runtime import runtime_of
    from tests.conftest import make_settings

    app = create_app(
        make_settings(database_url, tmp_path).with_overrides(session_cookie_secure=True)
    )
    runtime_of(app).use_sessions(session_factory)
    try:
        with app.test_client() as c:
            c.get("/admin/login", base_url="https://pakn.example")
            cookies = c.get_cookie("session", domain="pakn.example")
            assert cookies is not None and cookies.secure and cookies.http_only
    finally:
        get_db(app).engine.dispose()


def test_wrong_password_and_unknown_user_look_the_same(
    client: FlaskClient, db_session: Session
) -> None:
    user = h.staff(db_session)
    db_session.commit()
    wrong = login(client, user.username, "sai-mat-khau-1234")
    unknown = login(client, "khong-ton-tai", "sai-mat-khau-1234")
    assert wrong.status_code == unknown.status_code == 401
    message = "Tên đăng nhập hoặc mật khẩu không đúng."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_logout_everywhere_ends_other_sessions(
    app: Flask, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    user = h.staff(db_session)
    db_session.commit()
    phone, office = app.test_client(), app.test_client()
    login(phone, user.username)
    login(office, user.username)
    assert office.get("/admin/").status_code == 200
    assert post(phone, "/admin/logout-everywhere").status_code == 302
    assert office.get("/admin/").status_code == 302  # back to the login page
    assert phone.get("/admin/").status_code == 302
    login(office, user.username)
    assert office.get("/admin/").status_code == 200


def test_logout_ends_this_session(client: FlaskClient, signed_in: Callable[..., StaffUser]) -> None:
    signed_in()
    assert post(client, "/admin/logout").status_code == 302
    assert client.get("/admin/").status_code == 302


def test_every_form_needs_the_csrf_token(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("admin")
    p = wf.submit(db_session, h.draft(db_session), now=h.ORDINARY_MONDAY)
    db_session.commit()
    paths = [f"/admin/petitions/{p.id}/{name}" for name in sorted(ACTIONS)] + [
        "/admin/entry",
        "/admin/templates/edit",
        "/admin/templates/replies",
        "/admin/holidays",
        "/admin/logout",
        "/admin/logout-everywhere",
    ]
    for path in paths:
        assert client.post(path, data={"reason": "resolved"}).status_code == 400, path
        bad = client.post(path, data={"csrf_token": "forged", "reason": "resolved"})
        assert bad.status_code == 400, path
    token = csrf(client, "/admin/")
    cross = client.post(
        f"/admin/petitions/{p.id}/note",
        data={"csrf_token": token, "body": "x"},
        headers={"Origin": "https://evil.example"},
    )
    assert cross.status_code == 400
    db_session.refresh(p)
    assert p.state == "received"
    assert client.post("/admin/login", data={"username": "a", "password": "b"}).status_code == 400


#: Where a crafted `next` tries to lead: off-site, or a header split by CR/LF.
BAD_NEXT = [
    "https://evil.example/",
    "//evil.example/x",
    "/\\evil.example",
    "/admin\\..\\evil",
    "\t//evil.example",
    "/admin/\r\nSet-Cookie: x=1",
    "/admin\nLocation: https://evil.example",
    "/admin@evil.example",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("target", BAD_NEXT)
def test_a_bad_next_leads_to_the_landing_page(
    client: FlaskClient, db_session: Session, target: str
) -> None:
    user = h.staff(db_session)
    db_session.commit()
    form = {"username": user.username, "password": h.PASSWORD, "next": target}
    signed = client.post("/admin/login", data={**form, "csrf_token": csrf(client)})
    assert signed.status_code == 302 and signed.headers["Location"] == "/admin/today"
    again = client.get("/admin/login", query_string={"next": target})  # already signed in
    assert again.status_code == 302 and again.headers["Location"] == "/admin/today"
    post(client, "/admin/logout")
    page = client.get("/admin/login", query_string={"next": target})
    assert page.status_code == 200 and 'name="next" value=""' in page.get_data(as_text=True)


def test_a_local_next_is_followed(client: FlaskClient, db_session: Session) -> None:
    user = h.staff(db_session)
    db_session.commit()
    target = "/admin/petitions?q=%C4%91%C6%B0%E1%BB%9Dng&page=2"
    form = {"username": user.username, "password": h.PASSWORD, "next": target}
    signed = client.post("/admin/login", data={**form, "csrf_token": csrf(client)})
    assert signed.status_code == 302 and signed.headers["Location"] == target


def test_security_headers(client: FlaskClient, signed_in: Callable[..., StaffUser]) -> None:
    signed_in()
    response = client.get("/admin/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "object-src 'none'" in csp and "unsafe" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
