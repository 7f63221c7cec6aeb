"""Audit entries written by the admin view: sign-ins, views of personal data, exports.

Changes made through handlers audit themselves; these are the acts only the web layer sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.admin.blueprint import current_user, utcnow
from bot.database import db_session, request_reads, start_writing
from handlers import audit
from storage.models import Petition, StaffUser


@dataclass(frozen=True)
class Unknown:
    """Someone who typed a user name that does not exist."""

    type: str = audit.ANONYMOUS
    id: int | None = None
    name: str = "Tên đăng nhập không tồn tại"


def record(kind: str, *, commit: bool = False, **fields: Any) -> None:
    """An entry by the signed-in user, now, from this request's address.

    A GET's session began as a reader, so it begins writing first (bot.database) and the
    entry is committed at once.
    """
    session = db_session()
    actor = current_user()
    if request_reads():
        start_writing(session)
        commit = True
    audit.write(session, kind, now=utcnow(), actor=actor, **fields)
    if commit:
        session.commit()


def viewed_petition(petition: Petition) -> None:
    """A staff member opened a petition's page, where personal data shows in full."""
    record(
        audit.VIEW_PETITION,
        commit=True,
        summary=f"Xem hồ sơ {petition.code} (đầy đủ dữ liệu cá nhân)",
        petition=petition,
        target=("petition", petition.code),
    )


def sign_in(session: Session, typed: str, user: StaffUser | None, error: str) -> None:
    """A successful or refused sign-in (the account it aimed at, when it exists)."""
    if user is not None:
        audit.write(session, audit.LOGIN, now=utcnow(), actor=user, summary="Đăng nhập")
        return
    name = typed.strip()[:80]
    target = session.scalar(select(StaffUser).where(func.lower(StaffUser.username) == name.lower()))
    audit.write(
        session,
        audit.LOGIN_FAILED,
        now=utcnow(),
        actor=target or Unknown(),
        summary=f"Đăng nhập không thành công: {error}",
        target=("user", target.id) if target else None,
    )
