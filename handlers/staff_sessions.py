"""Server-side sessions of staff users: opened at sign-in, checked on every request, ended
by signing out.

A signed cookie alone cannot be taken back: a copy keeps working until it expires. So the
cookie carries only a random token and the server keeps the session; signing out ends that
one row and leaves the user's other browsers signed in; the owner may also end one of their
other browsers from /admin/me. Ending every session at once (a new password, a disabled account,
"sign out everywhere") moves the user's session_version on. A session unused for longer than
the idle limit ends too: a browser closed without signing out neither works nor counts.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.orm import Session

from storage.models import StaffSession, StaffUser

#: How long a sign-in lasts, however active the user is.
LIFETIME = timedelta(hours=12)
#: last_seen_at is written at most this often (not a database write on every page).
SEEN_EVERY = timedelta(minutes=1)

#: Why a cookie's session no longer works, as the sign-in page explains it.
ENDED, SIGNED_OUT_ALL, EXPIRED, IDLE = "ended", "signed_out_all", "expired", "idle"


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
            last_seen_at=now,
            address=(address or "")[:64] or None,
            agent=(agent or "")[:200] or None,
        )
    )
    return token


def _live(now: datetime, idle: timedelta) -> list[ColumnElement[bool]]:
    """Open, within its lifetime, and used within the idle limit (version checked apart)."""
    return [
        StaffSession.ended_at.is_(None),
        StaffSession.expires_at > now,
        StaffSession.last_seen_at > now - idle,
    ]


def open_session(
    session: Session, token: str, *, now: datetime, idle: timedelta
) -> tuple[StaffUser, StaffSession] | None:
    """The active user and the live, current-version session this token opened."""
    row = session.execute(
        select(StaffUser, StaffSession)
        .join(StaffSession, StaffSession.user_id == StaffUser.id)
        .where(
            StaffSession.token_hash == _digest(token),
            StaffSession.version == StaffUser.session_version,
            StaffUser.active.is_(True),
            *_live(now, idle),
        )
    ).first()
    return (row[0], row[1]) if row is not None else None


def seen_due(row: StaffSession, *, now: datetime) -> bool:
    """Whether this request should note that the session is in use (a write)."""
    return now - row.last_seen_at >= SEEN_EVERY


def why_closed(session: Session, token: str, *, now: datetime, idle: timedelta) -> str | None:
    """Why this token's session no longer works (ENDED, ...), None when unknown or live."""
    found = session.execute(
        select(StaffSession, StaffUser)
        .join(StaffUser, StaffSession.user_id == StaffUser.id)
        .where(StaffSession.token_hash == _digest(token))
    ).first()
    if found is None:
        return None
    row, user = found
    if row.version != user.session_version or not user.active:
        return SIGNED_OUT_ALL
    if row.ended_at is not None:
        return ENDED
    if row.expires_at <= now:
        return EXPIRED
    if row.last_seen_at <= now - idle:
        return IDLE
    return None


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


def live(
    session: Session, user: StaffUser, *, now: datetime, idle: timedelta
) -> list[StaffSession]:
    """The user's browsers signed in right now, the most recently used first."""
    return list(
        session.scalars(
            select(StaffSession)
            .where(
                StaffSession.user_id == user.id,
                StaffSession.version == user.session_version,
                *_live(now, idle),
            )
            .order_by(StaffSession.last_seen_at.desc(), StaffSession.id.desc())
        )
    )


def end_one(session: Session, user: StaffUser, session_id: int, *, now: datetime) -> bool:
    """End one of the user's own sessions (another device); False when none such is open."""
    result = session.execute(
        update(StaffSession)
        .where(
            StaffSession.id == session_id,
            StaffSession.user_id == user.id,
            StaffSession.ended_at.is_(None),
        )
        .values(ended_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def purge(session: Session, *, before: datetime) -> int:
    """Delete sessions that expired before `before`; return how many."""
    result = session.execute(
        delete(StaffSession)
        .where(StaffSession.expires_at < before)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
