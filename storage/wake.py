"""Waking the worker when there is work, instead of making it wait for its next poll.

PostgreSQL: a NOTIFY in the writer's own transaction, delivered only if it commits, to every
worker LISTENing on any machine. SQLite (one machine): a process-local event set after the
commit; workers in other processes find the work at their next short poll.
"""

from __future__ import annotations

import threading

from sqlalchemy import Connection, event, text
from sqlalchemy.orm import Session

CHANNEL = "pakn_work"
#: Set after a commit that queued work in this process (the embedded worker waits on it).
LOCAL = threading.Event()
_PENDING = "pakn.wake"
_NOTIFY = text(f"SELECT pg_notify('{CHANNEL}', '')")


def wake_after_commit(session: Session) -> None:
    """Wake the workers once the session's transaction commits."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_NOTIFY)
        return
    session.info[_PENDING] = True
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_rollback)


def notify(conn: Connection) -> None:
    """The same, for Core code that commits a connection itself."""
    if conn.dialect.name == "postgresql":
        conn.execute(_NOTIFY)


def _after_commit(session: Session) -> None:
    if session.info.pop(_PENDING, False):
        LOCAL.set()


def _after_rollback(session: Session, _previous: object) -> None:
    session.info.pop(_PENDING, None)
