"""The request's database session: opened on first use, closed when the request ends.

A request that may change something (any method but GET and HEAD) takes SQLite's write lock
when its transaction begins (storage.db explains why); GET and HEAD begin as readers and
never queue behind the writer.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, g, has_request_context, request
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.runtime import runtime_of
from config import Settings
from config.settings import INSTANCE_DIR
from storage.db import Database


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
        reading = has_request_context() and request.method in {"GET", "HEAD"}
        g.db_session = (db.deferred if reading else db.sessions)()
    session: Session = g.db_session
    return session


def _close_session(_exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()
