"""The app's database: one engine per process, one session per request."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app, g
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from config.settings import INSTANCE_DIR
from storage.db import make_engine, make_sessionmaker


@dataclass
class Database:
    """The engine and the session factory the app and its CLI share."""

    engine: Engine
    sessions: sessionmaker[Session]


def instance_dir(settings: Settings) -> Path:
    """Where the SQLite file and uploads live by default."""
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(str(url.database)).resolve().parent
    return INSTANCE_DIR


def init_app(app: Flask, settings: Settings) -> None:
    """Create the engine and close each request's session when the request ends."""
    engine = make_engine(settings.database_url)
    app.extensions["pakn.db"] = Database(engine, make_sessionmaker(engine))
    app.teardown_appcontext(_close_session)


def get_db(app: Flask | None = None) -> Database:
    """The app's Database."""
    db: Database = (app or current_app).extensions["pakn.db"]
    return db


def db_session() -> Session:
    """The current request's session, opened on first use."""
    if "db_session" not in g:
        g.db_session = get_db().sessions()
    session: Session = g.db_session
    return session


def _close_session(_exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()
