"""Managing staff accounts from the admin view: create, change role and scope, disable,
reset passwords, and the rule that at least one active administrator always remains.

Every change writes an audit entry in the caller's transaction. Messages are Vietnamese:
they are shown to the administrator as they are.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from handlers import audit, login_throttle, staff_sessions
from handlers.accounts import MIN_PASSWORD_LENGTH, AccountError, hash_password, verify_password
from storage.models import Agency, PasswordToken, StaffUser, Ward
from storage.models.enums import Role

ROLE_LABELS: dict[str, str] = {
    Role.ADMIN: "Quản trị viên",
    Role.SUPERVISOR: "Lãnh đạo, giám sát",
    Role.STAFF: "Cán bộ phường",
    Role.AGENCY: "Đầu mối cơ quan",
}

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: Letters and digits that cannot be mistaken for each other when read aloud or copied.
_READABLE = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class Profile:
    """What the user form sets: name, contact, role and scope."""

    display_name: str
    email: str | None
    role: str
    ward_ids: tuple[int, ...] = ()
    agency_id: int | None = None


def one_time_password(length: int = 14) -> str:
    """A random password to read out once; its owner must change it at first sign-in."""
    return "".join(secrets.choice(_READABLE) for _ in range(length))


def create(
    session: Session, username: str, profile: Profile, *, by: StaffUser, now: datetime
) -> tuple[StaffUser, str]:
    """A new account with a one-time password (returned, shown once, never stored)."""
    name = username.strip().lower()
    if not _USERNAME.match(name):
        raise AccountError(
            "Tên đăng nhập cần 3–80 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang."
        )
    if session.scalar(select(StaffUser.id).where(func.lower(StaffUser.username) == name)):
        raise AccountError(f"Tên đăng nhập «{name}» đã có người dùng.")
    password = one_time_password()
    user = StaffUser(username=name, password_hash=hash_password(password), created_at=now)
    user.must_change_password = True
    _apply(session, user, profile)
    session.add(user)
    session.flush()
    audit.write(
        session,
        "user.create",
        now=now,
        actor=by,
        summary=f"Tạo tài khoản {name}",
        target=("user", user.id),
        after=describe(user),
    )
    return user, password


def update(
    session: Session, user: StaffUser, profile: Profile, *, by: StaffUser, now: datetime
) -> StaffUser:
    """Change name, email, role and scope; the last active administrator keeps the role."""
    before = describe(user)
    if profile.role != Role.ADMIN:
        _keep_an_admin(session, user, "đổi vai trò")
    _apply(session, user, profile)
    after = describe(user)
    old, new = audit.changes(before, after)
    if new:
        session.flush()
        audit.write(
            session,
            "user.update",
            now=now,
            actor=by,
            summary=f"Sửa tài khoản {user.username}",
            target=("user", user.id),
            before=old,
            after=new,
        )
    return user


def set_active(
    session: Session, user: StaffUser, active: bool, *, by: StaffUser, now: datetime
) -> StaffUser:
    """Disable (signs the user out everywhere) or enable an account."""
    if user.active == active:
        return user
    if not active:
        if user.id == by.id:
            raise AccountError("Không thể tự vô hiệu hóa tài khoản của chính mình.")
        _keep_an_admin(session, user, "vô hiệu hóa")
        staff_sessions.end_all(session, user, now=now)
    user.active = active
    if not active:
        revoke_links(session, user, now=now)
    audit.write(
        session,
        "user.enable" if active else "user.disable",
        now=now,
        actor=by,
        summary=("Kích hoạt lại" if active else "Vô hiệu hóa") + f" tài khoản {user.username}",
        target=("user", user.id),
        before={"active": not active},
        after={"active": active},
    )
    return user


RESET_METHODS = {
    "one_time_password": "mật khẩu dùng một lần",
    "link": "liên kết đặt mật khẩu gửi qua thư",
}


def reset_password(
    session: Session,
    user: StaffUser,
    *,
    by: StaffUser,
    now: datetime,
    method: str = "one_time_password",
) -> str:
    """A new one-time password (returned once; dropped when a link is sent instead).

    The old password stops working at once, every session ends, a lockout is lifted and the
    user must choose a new password.
    """
    if method not in RESET_METHODS:
        raise AccountError("Cách đặt lại mật khẩu không hợp lệ.")
    if method == "link" and not user.email:
        raise AccountError("Tài khoản chưa có địa chỉ thư điện tử để gửi liên kết.")
    password = one_time_password()
    set_password(user, password, must_change=True)
    revoke_links(session, user, now=now)
    login_throttle.forgive(session, user.username)
    audit.write(
        session,
        "user.reset_password",
        now=now,
        actor=by,
        summary=f"Đặt lại mật khẩu tài khoản {user.username} ({RESET_METHODS[method]})",
        target=("user", user.id),
        after={"method": method},
    )
    return password


def revoke_links(session: Session, user: StaffUser, *, now: datetime) -> None:
    """Unused set-password links of the user stop working."""
    session.execute(
        sql_update(PasswordToken)
        .where(PasswordToken.user_id == user.id, PasswordToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )


def password_problems(user: StaffUser, new: str, confirm: str) -> list[str]:
    """Why a new password is refused (an empty list: it is fine)."""
    problems = []
    if len(new) < MIN_PASSWORD_LENGTH:
        problems.append(f"Mật khẩu mới cần ít nhất {MIN_PASSWORD_LENGTH} ký tự.")
    if len(new) > 200:
        problems.append("Mật khẩu mới quá dài (tối đa 200 ký tự).")
    if new != confirm:
        problems.append("Hai lần nhập mật khẩu mới không khớp.")
    if new and user.username.lower() in new.lower():
        problems.append("Mật khẩu không được chứa tên đăng nhập.")
    if new and verify_password(user.password_hash, new):
        problems.append("Mật khẩu mới phải khác mật khẩu cũ.")
    return problems


def change_own_password(
    session: Session, user: StaffUser, current: str, new: str, confirm: str, *, now: datetime
) -> list[str]:
    """The signed-in user's change (forced or not); other sessions end. Problems, or []."""
    if not verify_password(user.password_hash, current):
        return ["Mật khẩu hiện tại không đúng."]
    problems = password_problems(user, new, confirm)
    if problems:
        return problems
    set_password(user, new)
    audit.write(
        session,
        audit.PASSWORD_CHANGED,
        now=now,
        actor=user,
        summary=f"Đổi mật khẩu tài khoản {user.username}",
        target=("user", user.id),
    )
    return []


def set_password(user: StaffUser, password: str, *, must_change: bool = False) -> None:
    """Store a new password: every session of the user ends (session_version moves on) and
    the account list stops showing a lock (reset_password also forgives the failure counts).

    must_change: an administrator's one-time password, to be replaced at the next sign-in.
    """
    user.password_hash = hash_password(password)
    user.must_change_password = must_change
    user.session_version += 1
    user.locked_until = None


def describe(user: StaffUser) -> dict[str, Any]:
    """The audited profile of an account (ids and codes; wards as sorted codes)."""
    return {
        "display_name": user.display_name,
        "email": user.email,
        "role": user.role,
        "wards": sorted(w.code for w in user.wards),
        "agency_id": user.agency_id,
    }


def _apply(session: Session, user: StaffUser, profile: Profile) -> None:
    """Check and set name, email, role and scope (staff need wards, liaisons an agency)."""
    if profile.role not in set(Role):
        raise AccountError("Vai trò không hợp lệ.")
    email = (profile.email or "").strip() or None
    if email is not None and (len(email) > 200 or not _EMAIL.match(email)):
        raise AccountError("Địa chỉ thư điện tử không hợp lệ.")
    wards = _wards(session, profile.ward_ids)
    agency = session.get(Agency, profile.agency_id) if profile.agency_id else None
    if profile.agency_id and agency is None:
        raise AccountError("Không tìm thấy cơ quan đã chọn.")
    if profile.role == Role.STAFF and not wards:
        raise AccountError("Cán bộ phường cần được giao ít nhất một phường.")
    if profile.role == Role.AGENCY and agency is None:
        raise AccountError("Đầu mối cơ quan cần chọn một cơ quan.")
    user.display_name = profile.display_name.strip()[:200] or user.username
    user.email = email
    user.role = profile.role
    user.wards = wards if profile.role == Role.STAFF else []
    user.agency_id = agency.id if profile.role == Role.AGENCY and agency else None


def _wards(session: Session, ids: Sequence[int]) -> list[Ward]:
    wards = list(session.scalars(select(Ward).where(Ward.id.in_(ids)))) if ids else []
    if len(wards) != len(set(ids)):
        raise AccountError("Không tìm thấy phường đã chọn.")
    return sorted(wards, key=lambda w: w.sort_order)


def _keep_an_admin(session: Session, user: StaffUser, what: str) -> None:
    """Refuse a change that would leave no active administrator (rows locked on PostgreSQL)."""
    if user.role != Role.ADMIN or not user.active:
        return
    others = session.scalars(
        select(StaffUser.id)
        .where(StaffUser.role == Role.ADMIN, StaffUser.active.is_(True), StaffUser.id != user.id)
        .with_for_update()
    ).all()
    if not others:
        raise AccountError(
            f"Không thể {what}: đây là quản trị viên cuối cùng đang hoạt động. "
            "Hãy cấp quyền quản trị cho một người khác trước."
        )


def status(user: StaffUser, now: datetime) -> tuple[str, str]:
    """(css class, Vietnamese label) of an account's state for the list."""
    if not user.active:
        return "off", "Đã vô hiệu hóa"
    if user.locked_until is not None and user.locked_until > now:
        return "locked", "Tạm khóa (đăng nhập sai)"
    if user.must_change_password:
        return "pending", "Chờ đổi mật khẩu" if user.last_login_at else "Chưa đăng nhập lần đầu"
    return "on", "Đang hoạt động"
