"""The admin blueprint: one guard for sign-in, CSRF and a forced password change, security
headers on every page."""

from __future__ import annotations

import hmac
import re
import secrets
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from bot.database import db_session, start_writing
from bot.runtime import runtime_of
from config import Settings
from handlers import audit, staff_sessions
from handlers.tasks import count_waiting
from handlers.workflow import Actor, local_date
from handlers.workflow.calendar import LOCAL_TZ
from nlp.pii import mask_ids
from storage.models import StaffSession, StaffUser
from storage.models.enums import Role

bp = Blueprint("admin", __name__, url_prefix="/admin")

#: Roles that see the whole area's screens: templates, holidays, undelivered messages, reports.
MANAGERS: tuple[str, ...] = (Role.ADMIN, Role.SUPERVISOR)

#: Endpoints reachable without signing in (CSRF still applies to their POSTs).
PUBLIC_ENDPOINTS = frozenset(
    {"admin.login", "admin.login_post", "admin.set_password", "admin.set_password_post"}
)
#: What a user who must change their password may still open.
PASSWORD_ENDPOINTS = frozenset({"admin.password", "admin.password_post", "admin.logout"})
#: The cookie's key for the server-side session's token.
SESSION_KEY = "sid"
#: "/admin", alone or followed by a path, query or fragment; no backslash, no control character.
_LOCAL_PATH = re.compile(r"/admin(?:[/?#][^\\\x00-\x1f\x7f]*)?")

#: No inline script or style, nothing from another origin, no framing.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def settings() -> Settings:
    """The app's settings."""
    return runtime_of().settings


def utcnow() -> datetime:
    """The request's time, from the process's clock."""
    return runtime_of().clock()


def csrf_token() -> str:
    """The session's CSRF token (created on first use)."""
    token = session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return str(token)


def _csrf_ok() -> bool:
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    expected = session.get("csrf") or ""
    if not expected or not hmac.compare_digest(str(expected), sent):
        return False
    origin = request.headers.get("Origin")
    try:
        return origin is None or urlsplit(origin).netloc == request.host
    except ValueError:  # not a URL at all ("http://[")
        return False


def idle_limit() -> timedelta:
    """How long a staff session may go unused before it ends."""
    return timedelta(minutes=settings().session_idle_minutes)


def current_user() -> StaffUser | None:
    """The signed-in user of this request, while their server-side session is open."""
    if "user" in g:
        user: StaffUser | None = g.user
        return user
    token = session.get(SESSION_KEY)
    found = (
        staff_sessions.open_session(db_session(), str(token), now=utcnow(), idle=idle_limit())
        if token
        else None
    )
    g.user, g.staff_session = found if found is not None else (None, None)
    return g.user


def current_session() -> StaffSession | None:
    """This browser's server-side session (once current_user found it open)."""
    current_user()
    row: StaffSession | None = g.get("staff_session")
    return row


#: What the sign-in page says when a cookie's session stopped working (staff_sessions.why_closed).
CLOSED_REASONS = {
    staff_sessions.ENDED: "Phiên đăng nhập trên thiết bị này đã được kết thúc từ một thiết bị "
    "khác. Nếu không phải Đồng chí làm, hãy đăng nhập lại và đổi mật khẩu.",
    staff_sessions.SIGNED_OUT_ALL: "Phiên đăng nhập đã kết thúc vì tài khoản vừa đăng xuất "
    "khỏi mọi thiết bị hoặc vừa đổi mật khẩu. Vui lòng đăng nhập lại.",
    staff_sessions.EXPIRED: "Phiên đăng nhập đã hết hạn (tối đa 12 giờ). Vui lòng đăng nhập lại.",
    staff_sessions.IDLE: "Phiên đăng nhập đã tự kết thúc vì lâu không sử dụng. "
    "Vui lòng đăng nhập lại.",
}


def _explain_closed_session() -> None:
    """A cookie whose session stopped working: forget it and say why on the sign-in page."""
    token = session.pop(SESSION_KEY, None)
    if not token:
        return
    why = staff_sessions.why_closed(db_session(), str(token), now=utcnow(), idle=idle_limit())
    if why is not None:
        flash(CLOSED_REASONS[why], "info")


def actor() -> Actor:
    """The signed-in user as a workflow actor (the guard guarantees one)."""
    if "actor" not in g:
        user = current_user()
        if user is None:
            abort(401)
        g.actor = Actor.of_staff(user)
    value: Actor = g.actor
    return value


ROLE_LABELS: dict[str, str] = {
    Role.ADMIN: "quản trị",
    Role.SUPERVISOR: "lãnh đạo",
    Role.STAFF: "cán bộ",
    Role.AGENCY: "liên lạc cơ quan",
}


def require_role(*roles: str) -> None:
    """403 with a page that says so, for a screen the user's role does not include (a
    petition out of the user's scope stays 404: it does not exist for them)."""
    if actor().role not in roles:
        g.allowed_roles = [ROLE_LABELS.get(r, r) for r in roles]
        abort(403)


@bp.errorhandler(403)
def forbidden(exc: Exception) -> ResponseReturnValue:
    """The page exists, but not for this role: say so, and say for whom."""
    allowed = g.get("allowed_roles") or []
    role = ROLE_LABELS.get(actor().role or "", "") if current_user() else ""
    reason = g.get("forbidden_reason") or ""  # a view may say why beyond the role
    return render_template("admin/forbidden.html", allowed=allowed, role=role, reason=reason), 403


def staff_user(*roles: str) -> StaffUser:
    """The signed-in user, once their role is among `roles` (403 otherwise; none: any role)."""
    if roles:
        require_role(*roles)
    user = current_user()
    if user is None:
        abort(401)
    return user


@bp.before_request
def guard() -> ResponseReturnValue | None:
    """Signed in (except the login page) and a valid CSRF token on every POST."""
    if request.method not in ("GET", "HEAD", "OPTIONS") and not _csrf_ok():
        abort(400, description="csrf")
    audit.bind_client(db_session(), request.remote_addr)
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    user = current_user()
    if user is None:
        _explain_closed_session()
        if request.method == "GET":
            return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
        abort(401)
    row, now = current_session(), utcnow()
    if row is not None and staff_sessions.seen_due(row, now=now):
        start_writing(db_session())  # a GET's session only read so far (bot.database)
        row.last_seen_at = now
        db_session().commit()
    if user.must_change_password and request.endpoint not in PASSWORD_ENDPOINTS:
        if request.method == "GET":
            return redirect(url_for("admin.password"))
        abort(403)
    return None


@bp.after_request
def security_headers(response: Response) -> Response:
    """CSP, no framing, no sniffing, and no caching of pages with personal data."""
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def nav_counts() -> tuple[int, int]:
    """(items waiting, urgent ones) for the navigation's "Việc cần làm" badge (once a page)."""
    if "nav_counts" not in g:
        g.nav_counts = count_waiting(db_session(), actor(), now=utcnow())
    value: tuple[int, int] = g.nav_counts
    return value


@bp.app_context_processor
def _template_globals() -> dict[str, Any]:
    return {
        "csrf_token": csrf_token,
        "current_user": current_user,
        "managers": MANAGERS,
        "nav_counts": nav_counts,
    }


@bp.app_template_filter("vn_dt")
def vn_datetime(value: datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Vietnam time."""
    return value.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M") if value else "—"


@bp.app_template_filter("mask_ids")
def mask_id_numbers(value: str | None) -> str:
    """ID-card and bank numbers starred (the petition page reveals them on request)."""
    return mask_ids(value or "")


@bp.app_template_filter("vn_date")
def vn_date(value: Any) -> str:
    """dd/mm/yyyy (a date, or an instant shown as its local date)."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = local_date(value)
    return str(value.strftime("%d/%m/%Y"))


def safe_next(target: str | None, fallback: str | None = None) -> str:
    """`target` if it is a path inside the admin view, else `fallback` (the landing page).

    Nothing that leaves the site (`//host`, `https://host`, `/\\host`) and nothing that could
    split the Location header (control characters) gets through.
    """
    if target and _LOCAL_PATH.fullmatch(target):
        return target
    return url_for("admin.today") if fallback is None else fallback


def back(default: str | None = None) -> Response:
    """Post/redirect/get back to where the form was."""
    return redirect(safe_next(request.form.get("next") or default))
