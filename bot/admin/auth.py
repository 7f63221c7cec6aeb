"""Signing in (throttled, see handlers.signin), signing out, and signing out everywhere.

The cookie holds only a server-side session's token (handlers.staff_sessions): signing out
ends that session on the server, so a copy of the cookie stops working too. A user may also
end one of their other devices from /admin/me.
"""

from __future__ import annotations

import logging
import secrets

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from bot.admin import auditing
from bot.admin.blueprint import (
    SESSION_KEY,
    bp,
    current_session,
    current_user,
    safe_next,
    settings,
    utcnow,
)
from bot.database import db_session
from handlers import audit, signin, staff_sessions
from handlers import login_throttle as throttle
from storage.models import StaffUser

logger = logging.getLogger(__name__)


def begin_session(s: Session, user: StaffUser) -> None:
    """A new server-side session in a fresh cookie (no fixation; a new CSRF token)."""
    token = staff_sessions.start(
        s, user, now=utcnow(), address=request.remote_addr, agent=request.user_agent.string
    )
    session.clear()
    session[SESSION_KEY] = token
    session["csrf"] = secrets.token_urlsafe(32)


def end_session(s: Session) -> None:
    """End this browser's server-side session and empty its cookie."""
    token = session.get(SESSION_KEY)
    if token:
        staff_sessions.end(s, str(token), now=utcnow())
    session.clear()


@bp.get("/login")
def login() -> ResponseReturnValue:
    """The sign-in form."""
    if current_user() is not None:
        return redirect(safe_next(request.args.get("next")))
    return render_template("admin/login.html", next=safe_next(request.args.get("next"), ""))


@bp.post("/login")
def login_post() -> ResponseReturnValue:
    """Sign in; every refusal reads the same, whatever its reason (that goes to the audit)."""
    cfg = settings()
    limits = throttle.Limits(per_name=cfg.login_max_failures, minutes=cfg.login_lockout_minutes)
    s = db_session()
    typed = request.form.get("username", "")
    attempt = signin.Attempt(typed, request.form.get("password", ""), request.remote_addr)
    outcome = signin.authenticate(s, attempt, now=utcnow(), limits=limits)
    auditing.sign_in(s, typed, outcome.user, outcome.reason)
    if outcome.user is None:
        s.commit()
        flash(signin.refusal(limits), "error")
        next_page = safe_next(request.form.get("next"), "")
        return render_template("admin/login.html", next=next_page), 401
    begin_session(s, outcome.user)
    s.commit()
    logger.info("staff user %s signed in", outcome.user.id)
    return redirect(safe_next(request.form.get("next")))


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """End this session (the user's other browsers stay signed in)."""
    s = db_session()
    signed_in = current_user() is not None
    if signed_in:
        auditing.record(audit.LOGOUT, summary="Đăng xuất")
    end_session(s)
    s.commit()
    if signed_in:
        flash("Đồng chí đã đăng xuất. Hẹn gặp lại!", "ok")
    return redirect(url_for("admin.login"))


@bp.post("/me/sessions/<int:sid>/end")
def end_device(sid: int) -> ResponseReturnValue:
    """Sign out one of the user's other devices (this one: the ordinary sign-out)."""
    user = current_user()
    row = current_session()
    if user is None or row is None:
        abort(401)
    if sid == row.id:
        return logout()
    s = db_session()
    if not staff_sessions.end_one(s, user, sid, now=utcnow()):
        abort(404)
    auditing.record(
        audit.LOGOUT_DEVICE, summary="Đăng xuất một thiết bị khác", target=("session", sid)
    )
    s.commit()
    logger.info("staff user %s ended session %s", user.id, sid)
    flash("Đã đăng xuất thiết bị đó.", "ok")
    return redirect(url_for("admin.my_settings"))


@bp.post("/logout-everywhere")
def logout_everywhere() -> ResponseReturnValue:
    """End every session of this user on every device."""
    user = current_user()
    s = db_session()
    if user is not None:
        staff_sessions.end_all(s, user, now=utcnow())
        auditing.record(audit.LOGOUT_EVERYWHERE, summary="Đăng xuất khỏi mọi thiết bị")
        logger.info("staff user %s logged out everywhere", user.id)
    end_session(s)
    s.commit()
    flash("Đã đăng xuất khỏi mọi thiết bị.", "ok")
    return redirect(url_for("admin.login"))
