"""Server-side sessions: signing out ends the session for every copy of the cookie, other
browsers stay signed in, and a new password, a disabled account or "sign out everywhere"
end them all."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from bot.runtime import runtime_of
from handlers import signin, users
from handlers.jobs import JobContext
from storage.models import StaffUser
from storage.models.base import utcnow
from tests.admin.conftest import login, post
from tests.workflow import helpers as h


def _signed_in(app: Flask, user: StaffUser) -> FlaskClient:
    browser = app.test_client()
    assert login(browser, user.username).status_code == 302
    return browser


def _copy(app: Flask, browser: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of `browser`'s session cookie (a stolen cookie)."""
    cookie = browser.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    return thief


def _out(browser: FlaskClient) -> bool:
    """Whether the browser is sent to the sign-in page (and refused a POST)."""
    page = browser.get("/admin/")
    refused = post(browser, "/admin/me", {"email_mode": "digest"}).status_code == 401
    return page.status_code == 302 and "/admin/login" in page.headers["Location"] and refused


def test_logout_ends_a_copied_cookie(app: Flask, db_session: Session) -> None:
    user = h.staff(db_session)
    db_session.commit()
    browser = _signed_in(app, user)
    thief = _copy(app, browser)
    assert thief.get("/admin/").status_code == 200  # the copy works while signed in
    assert post(browser, "/admin/logout").status_code == 302
    assert _out(browser)
    assert _out(thief)


def test_logout_leaves_the_other_browsers_signed_in(app: Flask, db_session: Session) -> None:
    user = h.staff(db_session)
    db_session.commit()
    phone, office = _signed_in(app, user), _signed_in(app, user)
    post(phone, "/admin/logout")
    assert _out(phone)
    assert office.get("/admin/").status_code == 200


def test_logout_everywhere_from_the_personal_page(app: Flask, db_session: Session) -> None:
    user = h.staff(db_session)
    db_session.commit()
    phone, office = _signed_in(app, user), _signed_in(app, user)
    thief = _copy(app, office)
    page = phone.get("/admin/me").get_data(as_text=True)
    assert "đang đăng nhập trên 2 thiết bị" in page and "Đăng xuất khỏi mọi thiết bị" in page
    assert post(phone, "/admin/logout-everywhere").status_code == 302
    assert _out(phone) and _out(office) and _out(thief)
    assert _signed_in(app, user).get("/admin/").status_code == 200  # signing in again works


def _reset(db_session: Session, user: StaffUser, admin: StaffUser) -> None:
    users.reset_password(db_session, user, by=admin, now=utcnow())


def _disable(db_session: Session, user: StaffUser, admin: StaffUser) -> None:
    users.set_active(db_session, user, False, by=admin, now=utcnow())


@pytest.mark.parametrize("change", [_reset, _disable], ids=["password reset", "disabled"])
def test_an_administrators_change_ends_every_session(
    app: Flask, db_session: Session, change: Callable[[Session, StaffUser, StaffUser], None]
) -> None:
    user, admin = h.staff(db_session), h.staff(db_session, "admin")
    db_session.commit()
    browser = _signed_in(app, user)
    thief = _copy(app, browser)
    change(db_session, user, admin)
    db_session.commit()
    assert _out(browser) and _out(thief)


def test_own_password_change_keeps_this_browser_only(app: Flask, db_session: Session) -> None:
    user = h.staff(db_session)
    db_session.commit()
    browser, office = _signed_in(app, user), _signed_in(app, user)
    thief = _copy(app, browser)
    new = "mat-khau-moi-rat-dai-2026"
    form = {"current": h.PASSWORD, "new": new, "confirm": new}
    assert post(browser, "/admin/password", form).status_code == 302
    assert browser.get("/admin/").status_code == 200  # a fresh session for this browser
    assert _out(office) and _out(thief)  # the old cookie, copied before, no longer works


def test_a_session_lasts_twelve_hours(app: Flask, db_session: Session) -> None:
    user = h.staff(db_session)
    db_session.commit()
    start = utcnow()
    runtime_of(app).use_clock(lambda: start)
    browser = _signed_in(app, user)
    runtime_of(app).use_clock(lambda: start + timedelta(hours=11, minutes=59))
    assert browser.get("/admin/").status_code == 200
    runtime_of(app).use_clock(lambda: start + timedelta(hours=12, seconds=1))
    assert _out(browser)


def test_the_nightly_purge_keeps_what_still_counts(
    app: Flask, db_session: Session, session_factory: sessionmaker[Session]
) -> None:
    user = h.staff(db_session)
    db_session.commit()
    start = utcnow()
    runtime_of(app).use_clock(lambda: start)
    kept = _signed_in(app, user)
    login(app.test_client(), user.username, "sai-mat-khau-1234", "203.0.113.7")
    runtime_of(app).use_clock(lambda: start + timedelta(hours=24))
    fresh = _signed_in(app, user)
    ctx = JobContext(sessions=session_factory, now=start + timedelta(hours=24))
    assert signin.purge_job(ctx) == {"sessions": 0, "failure_counts": 0}
    ctx = JobContext(sessions=session_factory, now=start + timedelta(hours=36, seconds=1))
    assert signin.purge_job(ctx) == {"sessions": 1, "failure_counts": 3}
    assert _out(kept) and fresh.get("/admin/").status_code == 200
