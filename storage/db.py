"""Engine and session factories; SQLite gets foreign keys, WAL and a busy timeout.

SQLite lets one writer in at a time. A transaction that begins as a reader and then writes
fails at once with "database is locked" when another connection committed in between,
whatever the busy timeout. So a process's sessions (`Database.sessions`) begin IMMEDIATE on
SQLite and wait their turn for the write lock; `Database.deferred` begin as readers, for work
that only reads (GET requests, which then never queue behind the writer) or that must not
hold the lock while it waits on the network (a call to Zalo). PostgreSQL is unaffected.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """Enforce foreign keys and let readers and one writer work side by side."""
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    """Start transactions ourselves so SAVEPOINT and BEGIN IMMEDIATE behave (pysqlite quirk)."""
    immediate = conn.get_execution_options().get(BEGIN_OPTION) == "IMMEDIATE"
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


#: Execution option choosing how a SQLite transaction begins: "IMMEDIATE" or "DEFERRED".
BEGIN_OPTION = "pakn_sqlite_begin"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine configured for this product on either database."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("hide_parameters", True)  # parameters carry citizens' text
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 10}, **kwargs
        )
        event.listen(engine, "connect", _sqlite_pragmas)

        @event.listens_for(engine, "connect")
        def _no_autobegin(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None

        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("hide_parameters", True)
    return create_engine(url, **kwargs)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (views render after saving)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@dataclass
class Database:
    """One process's engine, its sessions, and sessions that begin as readers."""

    engine: Engine
    sessions: sessionmaker[Session]
    deferred: sessionmaker[Session]

    @classmethod
    def connect(cls, url: str) -> Database:
        engine = make_engine(url)
        immediate = engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
        return cls(engine, make_sessionmaker(immediate), make_sessionmaker(engine))

    def use(self, sessions: sessionmaker[Session]) -> None:
        """Run everything on another session factory (tests: a rolled-back connection)."""
        self.sessions = self.deferred = sessions


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work commits on success and rolls back on any error."""
    with factory() as session, session.begin():
        yield session
