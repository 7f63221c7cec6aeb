"""Leader election for the scheduler: only the holder of the lock runs jobs.

PostgreSQL: a session advisory lock on a dedicated, unpooled connection. It lasts as long as
that connection: a killed process's socket closes and the server frees the lock at once; a
vanished host is noticed by TCP keepalives within about half a minute. SQLite: a lease row
in scheduler_leases that the holder renews; a standby takes it once it has expired, and a
holder that finds the row no longer its own steps down. (Two leaders can overlap for at most
one renewal interval after a long stall; the reminder ledger keeps even that harmless.)
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Protocol

from sqlalchemy import Connection, Engine, or_, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from storage.db import make_engine
from storage.models import SchedulerLease
from storage.models.base import utcnow

logger = logging.getLogger(__name__)

LOCK_NAME = "scheduler"
#: pg_advisory_lock key: "PAKN" in ASCII, shared by every scheduler of this database.
ADVISORY_KEY = 0x50414B4E
_KEEPALIVE = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
}


class LeaderLock(Protocol):
    """acquire (non-blocking) → still_held (renew or check) … → release; close at exit."""

    def acquire(self) -> bool: ...

    def still_held(self) -> bool: ...

    def release(self) -> None: ...

    def close(self) -> None: ...


class AdvisoryLock:
    """pg_try_advisory_lock on a connection of its own."""

    def __init__(self, engine: Engine, key: int = ADVISORY_KEY) -> None:
        url = engine.url.render_as_string(hide_password=False)
        self.engine = make_engine(url, poolclass=NullPool, connect_args=_KEEPALIVE)
        self.key = key
        self.conn: Connection | None = None

    def acquire(self) -> bool:
        if self.conn is None:
            conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            # The server drops a silent client's session (and its lock) after ~25 s.
            conn.execute(text("SET tcp_keepalives_idle = 10"))
            conn.execute(text("SET tcp_keepalives_interval = 5"))
            conn.execute(text("SET tcp_keepalives_count = 3"))
            self.conn = conn
        got = self.conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}).scalar()
        return bool(got)

    def still_held(self) -> bool:
        """The lock lives as long as its connection answers."""
        if self.conn is None:
            return False
        try:
            self.conn.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            self._drop()
            return False

    def release(self) -> None:
        if self.conn is None:
            return
        try:
            self.conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
        except SQLAlchemyError:
            self._drop()

    def close(self) -> None:
        self._drop()
        self.engine.dispose()

    def _drop(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            except SQLAlchemyError:
                logger.info("advisory lock connection was already gone")
            self.conn = None


class LeaseLock:
    """A row (name, holder, expires_at): take it when free or expired, renew while holding."""

    def __init__(
        self, engine: Engine, holder: str, lease: timedelta, name: str = LOCK_NAME
    ) -> None:
        self.engine = engine
        self.holder = holder
        self.lease = lease
        self.name = name

    def acquire(self) -> bool:
        now = utcnow()
        lease = SchedulerLease
        with self.engine.begin() as conn:
            taken = conn.execute(
                update(lease)
                .where(
                    lease.name == self.name,
                    or_(lease.holder == self.holder, lease.expires_at < now),
                )
                .values(holder=self.holder, expires_at=now + self.lease)
            ).rowcount
            if not taken:
                taken = conn.execute(
                    sqlite_insert(lease)
                    .values(name=self.name, holder=self.holder, expires_at=now + self.lease)
                    .on_conflict_do_nothing(index_elements=[lease.name])
                ).rowcount
        return bool(taken)

    def still_held(self) -> bool:
        """Renew the lease; False when another scheduler has taken it."""
        lease = SchedulerLease
        try:
            with self.engine.begin() as conn:
                renewed = conn.execute(
                    update(lease)
                    .where(lease.name == self.name, lease.holder == self.holder)
                    .values(expires_at=utcnow() + self.lease)
                ).rowcount
        except DBAPIError:
            logger.exception("cannot renew the scheduler lease")
            return False
        return bool(renewed)

    def release(self) -> None:
        """Expire our lease now so a standby need not wait for it to run out."""
        lease = SchedulerLease
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    update(lease)
                    .where(lease.name == self.name, lease.holder == self.holder)
                    .values(expires_at=utcnow() - timedelta(seconds=1))
                )
        except DBAPIError:
            logger.exception("cannot release the scheduler lease")

    def close(self) -> None:
        return None


def make_lock(engine: Engine, *, holder: str, lease: timedelta) -> LeaderLock:
    """The advisory lock on PostgreSQL, a lease row elsewhere (SQLite)."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine)
    return LeaseLock(engine, holder, lease)
