"""Sign-in with argon2 hashes, lockout after repeated failures, logout and logout everywhere."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.admin import auditing
from bot.admin.blueprint import bp, current_user, safe_next, settings, utcnow
from bot.database import db_session
from handlers import audit
from handlers.accounts import hash_password, needs_rehash, verify_password
from storage.models import StaffUser

logger = logging.getLogger(__name__)

#: Verified against when the username is unknown, so timing does not reveal which names exist.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class LoginResult:
    user: StaffUser | None
    error: str = ""


def authenticate(
    session: Session,
    username: str,
    password: str,
    *,
    now: datetime,
    max_failures: int,
    lockout_minutes: int,
) -> LoginResult:
    """Check a password; count failures and lock the account for a while after too many."""
    user = session.scalar(select(StaffUser).where(StaffUser.username == username.strip()))
    if user is None or not user.active:
        verify_password(_DUMMY_HASH, password)
        return LoginResult(None, "Tên đăng nhập hoặc mật khẩu không đúng.")
    if user.locked_until is not None and user.locked_until > now:
        return LoginResult(None, _locked_message(user.locked_until, now))
    if not verify_password(user.password_hash, password):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= max_failures:
            user.locked_until = now + timedelta(minutes=lockout_minutes)
            user.failed_logins = 0
            logger.warning("staff user %s locked after %s failures", user.id, max_failures)
            return LoginResult(None, _locked_message(user.locked_until, now))
        return LoginResult(None, "Tên đăng nhập hoặc mật khẩu không đúng.")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return LoginResult(user)


def _locked_message(until: datetime, now: datetime) -> str:
    minutes = max(1, int((until - now).total_seconds() // 60) + 1)
    return f"Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau {minutes} phút."


@bp.get("/login")
def login() -> ResponseReturnValue:
    """The sign-in form."""
    if current_user() is not None:
        return redirect(safe_next(request.args.get("next")))
    return render_template("admin/login.html", next=request.args.get("next", ""))


@bp.post("/login")
def login_post() -> ResponseReturnValue:
    """Sign in: a fresh session (no fixation) bound to the user's session_version."""
    cfg = settings()
    s = db_session()
    result = authenticate(
        s,
        request.form.get("username", ""),
        request.form.get("password", ""),
        now=utcnow(),
        max_failures=cfg.login_max_failures,
        lockout_minutes=cfg.login_lockout_minutes,
    )
    auditing.sign_in(s, request.form.get("username", ""), result.user, result.error)
    s.commit()
    if result.user is None:
        flash(result.error, "error")
        return render_template("admin/login.html", next=request.form.get("next", "")), 401
    session.clear()
    session["uid"] = result.user.id
    session["sv"] = result.user.session_version
    session["t"] = utcnow().timestamp()
    session["csrf"] = secrets.token_urlsafe(32)  # rotated with the session
    logger.info("staff user %s signed in", result.user.id)
    return redirect(safe_next(request.form.get("next")))


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """End this session."""
    if current_user() is not None:
        auditing.record(audit.LOGOUT, summary="Đăng xuất", commit=True)
    session.clear()
    return redirect(url_for("admin.login"))


@bp.post("/logout-everywhere")
def logout_everywhere() -> ResponseReturnValue:
    """End every session of this user on every device (session_version moves on)."""
    user = current_user()
    if user is not None:
        user.session_version += 1
        auditing.record(audit.LOGOUT_EVERYWHERE, summary="Đăng xuất khỏi mọi thiết bị")
        db_session().commit()
        logger.info("staff user %s logged out everywhere", user.id)
    session.clear()
    flash("Đã đăng xuất khỏi mọi thiết bị.", "ok")
    return redirect(url_for("admin.login"))
