"""Set-password links: sent by email, usable once, expiring; only their hash is stored.

An invitation lets a new user choose the first password; a reset link replaces one the
administrator has already made unusable. Issuing a link revokes the user's older links.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from handlers import audit
from handlers.accounts import AccountError
from handlers.outbox import queue_email
from handlers.users import password_problems, revoke_links, set_password
from handlers.workflow.calendar import LOCAL_TZ
from storage.models import OutboxMessage, PasswordToken, StaffUser

LINK_HOURS = 48
INVITE, RESET = "invite", "reset"
_TOKEN_MAX = 100

_SUBJECTS = {
    INVITE: "[PAKN Tam Kỳ] Tài khoản trang quản trị của đồng chí",
    RESET: "[PAKN Tam Kỳ] Đặt lại mật khẩu trang quản trị",
}
_OPENINGS = {
    INVITE: "Quản trị viên đã tạo tài khoản «{username}» cho đồng chí trên trang quản trị hệ "
    "thống tiếp nhận phản ánh, kiến nghị của Ủy ban MTTQ Việt Nam khu vực Tam Kỳ.",
    RESET: "Quản trị viên đã đặt lại mật khẩu tài khoản «{username}» của đồng chí trên trang "
    "quản trị; mật khẩu cũ không còn dùng được.",
}


def digest(raw: str) -> str:
    """What is stored for a token: its SHA-256 in hex."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def issue(
    session: Session,
    user: StaffUser,
    *,
    purpose: str,
    by: StaffUser,
    now: datetime,
    hours: int = LINK_HOURS,
) -> tuple[str, PasswordToken]:
    """A new link token for the user (returned raw, once); older links stop working."""
    if purpose not in _SUBJECTS:
        raise AccountError("Loại liên kết không hợp lệ.")
    if not user.email:
        raise AccountError("Tài khoản chưa có địa chỉ thư điện tử để gửi liên kết.")
    revoke_links(session, user, now=now)
    raw = secrets.token_urlsafe(32)
    token = PasswordToken(
        user_id=user.id,
        token_hash=digest(raw),
        purpose=purpose,
        created_by_id=by.id,
        created_at=now,
        expires_at=now + timedelta(hours=hours),
    )
    session.add(token)
    session.flush()
    audit.write(
        session,
        "user.link_sent",
        now=now,
        actor=by,
        summary=f"Gửi liên kết đặt mật khẩu cho tài khoản {user.username} đến {user.email}",
        target=("user", user.id),
        after={"purpose": purpose, "email": user.email, "expires_at": token.expires_at},
    )
    return raw, token


def send(session: Session, user: StaffUser, token: PasswordToken, link: str) -> OutboxMessage:
    """Queue the email carrying the link (leaves with the outbox, like every email)."""
    expires = token.expires_at.astimezone(LOCAL_TZ).strftime("%H:%M ngày %d/%m/%Y")
    body = (
        f"Kính gửi đồng chí {user.display_name or user.username},\n\n"
        + _OPENINGS[token.purpose].format(username=user.username)
        + "\n\nĐể đặt mật khẩu, đồng chí mở liên kết sau (chỉ dùng được một lần, hết hạn lúc "
        f"{expires}):\n{link}\n\nNếu đồng chí không đề nghị việc này, vui lòng báo ngay cho "
        "quản trị viên.\n\n--\nThư gửi tự động, vui lòng không trả lời thư này."
    )
    if not user.email:
        raise AccountError("Tài khoản chưa có địa chỉ thư điện tử để gửi liên kết.")
    return queue_email(
        session,
        to=user.email,
        subject=_SUBJECTS[token.purpose],
        body=body,
        dedup_key=f"password-link:{token.id}",
    )


def latest_mail(session: Session, user: StaffUser) -> OutboxMessage | None:
    """The email of the user's newest link while it is still open (unused, not revoked): the
    account page says whether it left, so a refused or unreachable server is not hidden."""
    token = session.scalar(
        select(PasswordToken)
        .where(PasswordToken.user_id == user.id)
        .order_by(PasswordToken.id.desc())
        .limit(1)
    )
    if token is None or token.used_at is not None:
        return None
    return session.scalar(
        select(OutboxMessage).where(OutboxMessage.dedup_key == f"password-link:{token.id}")
    )


def usable(session: Session, raw: str, *, now: datetime) -> PasswordToken | None:
    """The token behind a link, if it is unused, unexpired and its user still active."""
    if not raw or len(raw) > _TOKEN_MAX:
        return None
    token = session.scalar(select(PasswordToken).where(PasswordToken.token_hash == digest(raw)))
    if token is None or token.used_at is not None or token.expires_at <= now:
        return None
    user = session.get(StaffUser, token.user_id)
    return token if user is not None and user.active else None


def redeem(
    session: Session, raw: str, new: str, confirm: str, *, now: datetime
) -> tuple[StaffUser | None, list[str]]:
    """Set the password through a link: (the user, []) or (None or the user, problems)."""
    token = usable(session, raw, now=now)
    if token is None:
        return None, [EXPIRED]
    user = session.get(StaffUser, token.user_id)
    if user is None:
        return None, [EXPIRED]
    problems = password_problems(user, new, confirm)
    if problems:
        return user, problems
    # The conditional update makes the link work once even when two requests race.
    claimed = session.execute(
        update(PasswordToken)
        .where(PasswordToken.id == token.id, PasswordToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        return None, [EXPIRED]
    set_password(user, new)
    audit.write(
        session,
        audit.PASSWORD_SET,
        now=now,
        actor=user,
        summary="Đặt mật khẩu qua liên kết "
        + ("(lời mời)" if token.purpose == INVITE else "(đặt lại)"),
        target=("user", user.id),
    )
    return user, []


EXPIRED = (
    "Liên kết không còn hiệu lực (đã dùng, đã hết hạn hoặc đã có liên kết mới hơn). "
    "Vui lòng đề nghị quản trị viên gửi lại."
)
