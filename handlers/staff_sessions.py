"""Server-side sessions of staff users: opened at sign-in, checked on every request, ended
by signing out.

A signed cookie alone cannot be taken back: a copy keeps working until it expires. So the
cookie carries only a random token and the server keeps the session; signing out ends that
one row and leaves the user's other browsers signed in. Ending every session at once (a new
password, a disabled account, "sign out everywhere") moves the user's session_version on.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from storage.models import StaffSession, StaffUser

#: How long a sign-in lasts, however active the user is.
LIFETIME = timedelta(hours=12)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(
    session: Session,
    user: StaffUser,
    *,
    now: datetime,
    address: str | None = None,
    agent: str | None = None,
) -> str:
    """Open a session for the user; return the token for the cookie (never stored)."""
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            token_hash=_digest(token),
            user_id=user.id,
            version=user.session_version,
            created_at=now,
            expires_at=now + LIFETIME,
            address=(address or "")[:64] or None,
            agent=(agent or "")[:200] or None,
        )
    )
    return token


def user_of(session: Session, token: str, *, now: datetime) -> StaffUser | None:
    """The active user whose open, unexpired, current-version session this token is."""
    return session.scalar(
        select(StaffUser)
        .join(StaffSession, StaffSession.user_id == StaffUser.id)
        .where(
            StaffSession.token_hash == _digest(token),
            StaffSession.ended_at.is_(None),
            StaffSession.expires_at > now,
            StaffSession.version == StaffUser.session_version,
            StaffUser.active.is_(True),
        )
    )


def end(session: Session, token: str, *, now: datetime) -> None:
    """End the session this token opened (a copied cookie then leads to the sign-in page)."""
    session.execute(
        update(StaffSession)
        .where(StaffSession.token_hash == _digest(token), StaffSession.ended_at.is_(None))
        .values(ended_at=now)
        .execution_options(synchronize_session=False)
    )


def end_all(session: Session, user: StaffUser, *, now: datetime) -> None:
    """End every session of the user, on every device."""
    user.session_version += 1
    session.execute(
        update(StaffSession)
        .where(StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
        .values(ended_at=now)
        .execution_options(synchronize_session=False)
    )


def open_count(session: Session, user: StaffUser, *, now: datetime) -> int:
    """How many browsers the user is signed in on right now."""
    rows = session.scalars(
        select(StaffSession.id).where(
            StaffSession.user_id == user.id,
            StaffSession.ended_at.is_(None),
            StaffSession.expires_at > now,
            StaffSession.version == user.session_version,
        )
    )
    return len(rows.all())


def purge(session: Session, *, before: datetime) -> int:
    """Delete sessions that expired before `before`; return how many."""
    result = session.execute(
        delete(StaffSession)
        .where(StaffSession.expires_at < before)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
