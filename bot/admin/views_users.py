"""Staff accounts (administrators only): list, create, change role and scope, disable,
reset passwords. A one-time password is shown once, in the answer to the POST that made it:
it never sits in a cookie, a URL or the database."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import or_, select
from werkzeug.wrappers import Response

from bot.admin import forms
from bot.admin.blueprint import bp, settings, staff_user, utcnow
from bot.database import db_session
from bot.simulator.mailbox import catcher_of
from handlers import password_links, users
from handlers.accounts import AccountError
from storage.models import Agency, AuditEntry, StaffUser, Ward
from storage.models.enums import ActorType, Role


def _admin() -> StaffUser:
    return staff_user(Role.ADMIN)


def _choices() -> dict[str, Any]:
    s = db_session()
    return {
        "roles": users.ROLE_LABELS,
        "wards": list(s.scalars(select(Ward).order_by(Ward.sort_order))),
        "agencies": list(s.scalars(select(Agency).where(Agency.active).order_by(Agency.name))),
    }


def _profile(f: forms.Form) -> users.Profile:
    return users.Profile(
        display_name=forms.text(f, "display_name", 200),
        email=forms.text(f, "email", 200) or None,
        role=f.get("role", ""),
        ward_ids=tuple(int(v) for v in f.getlist("wards") if v.isdigit()),
        agency_id=forms.integer(f, "agency", required=False),
    )


def _link(raw: str) -> str:
    return settings().admin_base_url.rstrip("/") + url_for("admin.set_password", token=raw)


@bp.get("/users")
def users_list() -> ResponseReturnValue:
    """Every account with its role, scope, last sign-in and state."""
    _admin()
    rows = db_session().scalars(select(StaffUser).order_by(StaffUser.role, StaffUser.username))
    now = utcnow()
    listed = [(u, users.status(u, now)) for u in rows]
    return render_template("admin/users.html", listed=listed, **_choices())


@bp.get("/users/new")
def user_new() -> ResponseReturnValue:
    _admin()
    return render_template("admin/user_new.html", form={}, problems=[], **_choices())


@bp.post("/users")
def user_create() -> ResponseReturnValue:
    """Create an account: a one-time password shown once, or an emailed set-password link."""
    me = _admin()
    s, f, now = db_session(), request.form, utcnow()
    by_link = f.get("method") == "link"
    try:
        profile = _profile(f)
        if by_link and not profile.email:
            raise AccountError("Cần địa chỉ thư điện tử để gửi liên kết đặt mật khẩu.")
        user, password = users.create(s, forms.text(f, "username", 80), profile, by=me, now=now)
        if by_link:
            raw, token = password_links.issue(
                s, user, purpose=password_links.INVITE, by=me, now=now
            )
            password_links.send(s, user, token, _link(raw))
    except AccountError as exc:
        s.rollback()
        page = render_template("admin/user_new.html", form=f, problems=[str(exc)], **_choices())
        return page, 400
    s.commit()
    if by_link:
        flash(
            f"Đã tạo tài khoản {user.username}; thư chứa liên kết đặt mật khẩu đã vào hàng đợi "
            f"gửi đến {user.email}. Tình trạng thư hiện ở mục «Mật khẩu».",
            "ok",
        )
        return redirect(url_for("admin.user_edit", uid=user.id))
    return _secret(user, password, "Đã tạo tài khoản")


def _secret(user: StaffUser, password: str, title: str) -> Response:
    response = make_response(
        render_template("admin/user_secret.html", user=user, password=password, title=title)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _load(uid: int) -> StaffUser:
    user = db_session().get(StaffUser, uid)
    if user is None:
        abort(404)
    return user


@bp.get("/users/<int:uid>")
def user_edit(uid: int) -> ResponseReturnValue:
    """One account: profile, state, password reset and its recent audit entries."""
    _admin()
    user = _load(uid)
    return _edit_page(user, problems=[])


def _edit_page(user: StaffUser, problems: list[str], form: Any = None) -> str:
    s = db_session()
    history = s.scalars(
        select(AuditEntry)
        .where(
            or_(
                (AuditEntry.actor_type == ActorType.STAFF) & (AuditEntry.actor_id == user.id),
                (AuditEntry.target_type == "user") & (AuditEntry.target_id == str(user.id)),
            )
        )
        .order_by(AuditEntry.id.desc())
        .limit(15)
    )
    return render_template(
        "admin/user_edit.html",
        user=user,
        state=users.status(user, utcnow()),
        form=form,
        problems=problems,
        history=list(history),
        link_mail=password_links.latest_mail(s, user),
        mailbox=catcher_of() is not None,
        **_choices(),
    )


@bp.post("/users/<int:uid>")
def user_update(uid: int) -> ResponseReturnValue:
    """Name, email, role and scope."""
    me = _admin()
    s = db_session()
    user = _load(uid)
    try:
        users.update(s, user, _profile(request.form), by=me, now=utcnow())
    except AccountError as exc:
        s.rollback()
        return _edit_page(_load(uid), [str(exc)], request.form), 400
    s.commit()
    flash("Đã lưu tài khoản.", "ok")
    return redirect(url_for("admin.user_edit", uid=uid))


@bp.post("/users/<int:uid>/active")
def user_active(uid: int) -> ResponseReturnValue:
    """Disable (signs out everywhere) or enable an account."""
    me = _admin()
    s = db_session()
    user = _load(uid)
    active = request.form.get("active") == "1"
    try:
        users.set_active(s, user, active, by=me, now=utcnow())
    except AccountError as exc:
        s.rollback()
        return _edit_page(_load(uid), [str(exc)]), 400
    s.commit()
    flash("Đã kích hoạt lại tài khoản." if active else "Đã vô hiệu hóa tài khoản.", "ok")
    return redirect(url_for("admin.user_edit", uid=uid))


@bp.post("/users/<int:uid>/reset")
def user_reset(uid: int) -> ResponseReturnValue:
    """A new one-time password (shown once) or an emailed link; the user must change it."""
    me = _admin()
    s, now = db_session(), utcnow()
    user = _load(uid)
    method = "link" if request.form.get("method") == "link" else "one_time_password"
    try:
        password = users.reset_password(s, user, by=me, now=now, method=method)
        if method == "link":
            raw, token = password_links.issue(s, user, purpose=password_links.RESET, by=me, now=now)
            password_links.send(s, user, token, _link(raw))
    except AccountError as exc:
        s.rollback()
        return _edit_page(_load(uid), [str(exc)]), 400
    s.commit()
    if method == "link":
        flash(
            f"Thư chứa liên kết đặt lại mật khẩu đã vào hàng đợi gửi đến {user.email}. "
            "Tình trạng thư hiện ở mục «Mật khẩu».",
            "ok",
        )
        return redirect(url_for("admin.user_edit", uid=uid))
    return _secret(user, password, "Đã đặt lại mật khẩu")
