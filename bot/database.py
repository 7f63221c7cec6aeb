"""The request's database session: opened on first use, closed when the request ends.

A request that may change something (any method but GET and HEAD) takes SQLite's write lock
when its transaction begins (storage.db explains why); GET and HEAD begin as readers and
never queue behind the writer. What a GET must write (an audit entry for a page that shows
personal data) begins a write transaction of its own first (`start_writing`).
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, g, has_request_context, request
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.runtime import runtime_of
from config import Settings
from config.settings import INSTANCE_DIR
from storage.db import BEGIN_OPTION, Database


def instance_dir(settings: Settings) -> Path:
    """Where the SQLite file and uploads live by default."""
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(str(url.database)).resolve().parent
    return INSTANCE_DIR


def init_app(app: Flask) -> None:
    """Close each request's session when the request ends."""
    app.teardown_appcontext(_close_session)


def get_db(app: Flask | None = None) -> Database:
    """The app's Database."""
    return runtime_of(app).db


def db_session() -> Session:
    """The current request's session, opened on first use."""
    if "db_session" not in g:
        db = get_db()
        g.db_session = (db.deferred if request_reads() else db.sessions)()
    session: Session = g.db_session
    return session


def start_writing(session: Session) -> None:
    """End a GET's read and begin a write transaction in its session, for what the page must
    write (an audit entry): on SQLite the reader could not write once another connection had
    committed, so the new transaction begins IMMEDIATE and waits its turn for the lock."""
    session.commit()
    session.connection(execution_options={BEGIN_OPTION: "IMMEDIATE"})


def request_reads() -> bool:
    """Whether this request's session began as a reader (GET and HEAD)."""
    return has_request_context() and request.method in {"GET", "HEAD"}


def _close_session(_exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()
