"""Server-side sessions: signing out ends the session for every copy of the cookie, other
browsers stay signed in, and a new password, a disabled account or "sign out everywhere"
end them all."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.runtime import runtime_of
from handlers import signin, users
from handlers.jobs import JobContext
from storage.models import AuditEntry, StaffSession, StaffUser
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
    """Used every hour, a sign-in still ends after 12 hours."""
    user = h.staff(db_session)
    db_session.commit()
    start = utcnow()
    runtime_of(app).use_clock(lambda: start)
    browser = _signed_in(app, user)
    for hour in range(1, 12):
        runtime_of(app).use_clock(lambda hour=hour: start + timedelta(hours=hour))
        assert browser.get("/admin/").status_code == 200
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


_WINDOWS_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
_ANDROID_ZALO = (
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/131.0.0.0 Mobile Safari/537.36 Zalo android/12100667 ZaloTheme/light"
)


def _device(app: Flask, user: StaffUser, agent: str, address: str) -> FlaskClient:
    browser = app.test_client()
    browser.environ_base["HTTP_USER_AGENT"] = agent
    assert login(browser, user.username, address=address).status_code == 302
    return browser


def _rows(page: str) -> list[str]:
    """The rows of the devices table."""
    table = page.split('id="devices"', 1)[1].split("</table>", 1)[0]
    return table.split("<tr")[2:]


def test_the_account_page_lists_each_device(app: Flask, db_session: Session) -> None:
    user = h.staff(db_session)
    db_session.commit()
    office = _device(app, user, _WINDOWS_CHROME, "203.0.113.45")
    phone = _device(app, user, _ANDROID_ZALO, "2001:db8:85a3::8a2e:370:7334")
    page = office.get("/admin/me").get_data(as_text=True)
    assert "<title>Tài khoản của tôi: thiết bị đăng nhập, thư báo việc" in page
    assert 'href="/admin/password"' in page
    rows = _rows(page)
    assert len(rows) == 2 and "đang đăng nhập trên 2 thiết bị" in page
    this = [r for r in rows if 'class="this-device"' in r]
    assert len(this) == 1 and "Chrome trên Windows" in this[0] and "203.0.113.x" in this[0]
    other = next(r for r in rows if r is not this[0])
    assert "Zalo trên Android" in other and "2001:db8:85a3:…" in other
    assert "203.0.113.45" not in page and "8a2e" not in page
    first = _rows(phone.get("/admin/me").get_data(as_text=True))[0]  # this device first
    assert 'class="this-device"' in first and "Zalo trên Android" in first


def test_one_device_signed_out_from_another(app: Flask, db_session: Session) -> None:
    user, colleague = h.staff(db_session), h.staff(db_session)
    db_session.commit()
    office = _device(app, user, _WINDOWS_CHROME, "203.0.113.45")
    phone = _device(app, user, _ANDROID_ZALO, "198.51.100.9")
    other = _signed_in(app, colleague)
    rows = db_session.scalars(select(StaffSession).order_by(StaffSession.id)).all()
    office_id, phone_id, colleague_id = (r.id for r in rows)
    # Nobody ends a colleague's session, nor without the CSRF token.
    assert post(phone, f"/admin/me/sessions/{colleague_id}/end").status_code == 404
    assert phone.post(f"/admin/me/sessions/{office_id}/end").status_code == 400
    assert other.get("/admin/").status_code == 200 and office.get("/admin/").status_code == 200
    done = post(phone, f"/admin/me/sessions/{office_id}/end")
    assert done.status_code == 302 and done.headers["Location"].endswith("/admin/me")
    assert phone.get("/admin/").status_code == 200
    page = phone.get("/admin/me").get_data(as_text=True)
    assert len(_rows(page)) == 1 and "đang đăng nhập trên 1 thiết bị" in page
    landed = office.get("/admin/tasks", follow_redirects=True).get_data(as_text=True)
    assert "Đăng nhập cán bộ" in landed and "kết thúc từ một thiết bị khác" in landed
    assert post(phone, f"/admin/me/sessions/{office_id}/end").status_code == 404
    kinds = db_session.scalars(select(AuditEntry.kind)).all()
    assert kinds.count("auth.logout_device") == 1
    # Ending this device from its own row is the ordinary sign-out.
    post(phone, f"/admin/me/sessions/{phone_id}/end")
    assert _out(phone)


def test_idle_and_closed_browsers_do_not_count(app: Flask, db_session: Session) -> None:
    """Two browsers in use and three closed without signing out: the page says 2."""
    user = h.staff(db_session)
    db_session.commit()
    idle = timedelta(minutes=runtime_of(app).settings.session_idle_minutes)
    start = utcnow()
    runtime_of(app).use_clock(lambda: start)
    closed = [_signed_in(app, user) for _ in range(3)]
    office, phone = _signed_in(app, user), _signed_in(app, user)
    assert "đang đăng nhập trên 5 thiết bị" in office.get("/admin/me").get_data(as_text=True)
    later = start + idle - timedelta(minutes=1)
    runtime_of(app).use_clock(lambda: later)
    assert phone.get("/admin/").status_code == 200 and office.get("/admin/").status_code == 200
    runtime_of(app).use_clock(lambda: later + timedelta(minutes=2))
    page = office.get("/admin/me").get_data(as_text=True)
    assert "đang đăng nhập trên 2 thiết bị" in page and len(_rows(page)) == 2
    landed = closed[0].get("/admin/", follow_redirects=True).get_data(as_text=True)
    assert "lâu không sử dụng" in landed
    assert all(_out(b) for b in closed)


def test_signing_out_says_so_and_other_endings_explain_themselves(
    app: Flask, db_session: Session
) -> None:
    user = h.staff(db_session)
    db_session.commit()
    phone, office = _signed_in(app, user), _signed_in(app, user)
    out = post(phone, "/admin/logout", follow_redirects=True).get_data(as_text=True)
    assert "Đồng chí đã đăng xuất" in out and "Đăng nhập cán bộ" in out
    assert "Đồng chí đã đăng xuất" not in phone.get("/admin/login").get_data(as_text=True)
    elsewhere = _signed_in(app, user)
    post(elsewhere, "/admin/logout-everywhere")
    landed = office.get("/admin/", follow_redirects=True).get_data(as_text=True)
    assert "đăng xuất khỏi mọi thiết bị hoặc vừa đổi mật khẩu" in landed
    assert "đăng xuất khỏi mọi thiết bị" not in office.get("/admin/login").get_data(as_text=True)
