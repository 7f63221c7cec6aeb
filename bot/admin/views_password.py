"""Changing one's own password (forced after a one-time password) and set-password links."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from bot.admin.auth import begin_session, end_session
from bot.admin.blueprint import bp, staff_user, utcnow
from bot.database import db_session
from handlers import password_links, users
from storage.models import StaffUser


@bp.get("/password")
def password() -> ResponseReturnValue:
    """The change-password form (the only page open while a change is required)."""
    return render_template("admin/password.html", problems=[])


@bp.post("/password")
def password_post() -> ResponseReturnValue:
    """Change the password; this session stays signed in, every other one ends."""
    user = staff_user()
    f = request.form
    s = db_session()
    problems = users.change_own_password(
        s,
        user,
        f.get("current", ""),
        f.get("new", ""),
        f.get("confirm", ""),
        now=utcnow(),
    )
    if problems:
        s.rollback()
        return render_template("admin/password.html", problems=problems), 400
    end_session(s)
    begin_session(s, user)
    s.commit()
    flash("Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc.", "ok")
    return redirect(url_for("admin.inbox"))


@bp.get("/set-password/<token>")
def set_password(token: str) -> ResponseReturnValue:
    """The form behind an emailed link (404 once used, expired or replaced)."""
    found = password_links.usable(db_session(), token, now=utcnow())
    if found is None:
        return render_template("admin/set_password.html", expired=True, problems=[]), 404
    user = db_session().get(StaffUser, found.user_id)
    return render_template("admin/set_password.html", expired=False, user=user, problems=[])


@bp.post("/set-password/<token>")
def set_password_post(token: str) -> ResponseReturnValue:
    """Set the password once; then sign in with it."""
    s = db_session()
    f = request.form
    user, problems = password_links.redeem(
        s, token, f.get("new", ""), f.get("confirm", ""), now=utcnow()
    )
    if problems:
        s.rollback()
        status = 404 if user is None else 400
        page = render_template(
            "admin/set_password.html", expired=user is None, user=user, problems=problems
        )
        return page, status
    s.commit()
    session.clear()
    flash("Đã đặt mật khẩu. Mời đồng chí đăng nhập.", "ok")
    return redirect(url_for("admin.login"))
