"""Checking a sign-in so that no answer tells an account that exists from one that does not.

Every attempt costs one argon2 verification (of a throwaway hash when the name is unknown or
the client is held back), and every refusal has the same words and status, whether the name
is unknown, the password wrong, the account disabled or the client locked out
(handlers.login_throttle decides that, by the typed name, never by the account).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers import audit, staff_sessions
from handlers import login_throttle as throttle
from handlers.accounts import hash_password, needs_rehash, verify_password
from handlers.clock import LOCAL_TZ
from handlers.jobs import JobContext
from handlers.tasks.items import raise_item
from storage.db import transaction
from storage.models import StaffUser
from storage.models.enums import Role

logger = logging.getLogger(__name__)

#: Verified against when there is no account to check, so every answer takes as long.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))

#: How long ended sessions and old failure counts stay before the nightly purge.
KEEP = timedelta(days=1)

_LOCK_WORDS = {
    throttle.Scope.PAIR: "từ địa chỉ {client} vào tên đăng nhập «{name}»",
    throttle.Scope.ACCOUNT: "tên đăng nhập «{name}» từ mọi địa chỉ đã nhập sai (khóa mềm)",
    throttle.Scope.CLIENT: "từ địa chỉ {client} với mọi tên đăng nhập",
}


def refusal(limits: throttle.Limits) -> str:
    """The one message of every refused sign-in."""
    return (
        "Tên đăng nhập hoặc mật khẩu không đúng. Sau "
        f"{limits.per_name} lần nhập sai, máy này phải chờ {limits.minutes} phút "
        "mới được đăng nhập lại."
    )


@dataclass(frozen=True)
class Attempt:
    """What was typed, and from where."""

    username: str
    password: str
    address: str | None


@dataclass(frozen=True)
class Outcome:
    """The signed-in user, or None and why (for the audit log only, never for the page)."""

    user: StaffUser | None
    reason: str = ""


def authenticate(
    session: Session, attempt: Attempt, *, now: datetime, limits: throttle.Limits
) -> Outcome:
    """The user, if the password is right and the client is not held back."""
    name, client = throttle.key_name(attempt.username), throttle.key_client(attempt.address)
    user = session.scalar(select(StaffUser).where(func.lower(StaffUser.username) == name))
    held = throttle.blocked(session, client, name, now=now, limits=limits)
    checked = user.password_hash if user is not None and user.active and not held else _DUMMY_HASH
    right = verify_password(checked, attempt.password)
    if held:
        return Outcome(None, "đang tạm dừng do nhập sai nhiều lần")
    if user is None or not user.active or not right:
        for lock in throttle.failed(session, client, name, now=now, limits=limits):
            _record_lock(session, lock, client, user, now=now)
        return Outcome(None, _why(user))
    throttle.succeeded(session, client, name)
    user.last_login_at = now
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(attempt.password)
    return Outcome(user)


def _why(user: StaffUser | None) -> str:
    if user is None:
        return "tên đăng nhập không tồn tại"
    return "sai mật khẩu" if user.active else "tài khoản đã vô hiệu hóa"


def _record_lock(
    session: Session,
    lock: throttle.Lock,
    client: str,
    user: StaffUser | None,
    *,
    now: datetime,
) -> None:
    """Audit a lock that began; an account lock shows on the account's line in the list."""
    shown = user.username if user is not None else "(không tồn tại)"
    where = _LOCK_WORDS[lock.scope].format(client=client, name=shown)
    minutes = round((lock.until - now).total_seconds() / 60)
    audit.write(
        session,
        audit.LOCKOUT,
        now=now,
        summary=f"Tạm dừng đăng nhập {where} {minutes} phút sau {lock.failures} lần sai",
        target=("user", user.id) if user is not None else None,
        after={"scope": lock.scope.value, "until": lock.until.isoformat()},
    )
    if lock.scope is throttle.Scope.ACCOUNT and user is not None:
        user.locked_until = lock.until
    if lock.scope is not throttle.Scope.PAIR:  # one mistyping person is not an alert
        _tell_admins(session, lock, where, user, now=now)
    logger.warning(
        "sign-in locked: %s, user %s, %s failures",
        lock.scope.value,
        user.id if user else None,
        lock.failures,
    )


def _tell_admins(
    session: Session,
    lock: throttle.Lock,
    where: str,
    user: StaffUser | None,
    *,
    now: datetime,
) -> None:
    """An item for administrators: a guessed password or a scan of names needs a person."""
    account = user.id if lock.scope is throttle.Scope.ACCOUNT and user is not None else None
    until = lock.until.astimezone(LOCAL_TZ)
    raise_item(
        session,
        kind="signin_lockout",
        title=f"Tạm dừng đăng nhập {where}",
        body=(
            f"{lock.failures} lần nhập sai; tạm dừng đến {until:%H:%M %d/%m/%Y}. "
            "Nếu không phải cán bộ gõ nhầm, hãy đặt lại mật khẩu hoặc vô hiệu hóa tài khoản; "
            "chi tiết trong nhật ký (nhóm «Đăng nhập, mật khẩu»)."
        ),
        now=now,
        role=Role.ADMIN,
        key=f"signin_lockout:{lock.scope.value}:{account or where}:{lock.until}",
        link=f"/users/{account}" if account else "/audit?kind=auth",
    )


def purge_job(ctx: JobContext) -> Mapping[str, Any]:
    """Nightly: forget sessions that expired and failure counts that no longer hold anything."""
    before = ctx.now - KEEP
    with transaction(ctx.sessions) as session:
        sessions = staff_sessions.purge(session, before=before)
        counts = throttle.purge(session, before=before)
    return {"sessions": sessions, "failure_counts": counts}
