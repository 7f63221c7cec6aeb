"""Shared fixtures: settings, a migrated and seeded database, app, client, CLI runner.

The database URL comes from PAKN_TEST_DATABASE_URL (set by `make test` for each backend);
without it a SQLite file in a temporary folder is used. The schema is created by the
migrations, once per session, and each test runs inside a transaction that is rolled back.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Connection, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from bot import create_app
from bot.database import get_db
from bot.runtime import runtime_of
from config import Settings, load_settings
from handlers.seed import seed_reference
from storage import migrate
from storage.db import make_engine, make_sessionmaker, transaction
from tests import dates
from tests.support import fresh_database


@pytest.fixture
def today() -> date:
    """Today's date in Vietnam: tests build their dates from it (helpers in tests/dates.py),
    never from literals that expire; CI also runs the suite 400 days ahead."""
    return dates.today()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The database the whole session runs against."""
    url = os.environ.get("PAKN_TEST_DATABASE_URL")
    return url or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def backend(database_url: str) -> str:
    """'sqlite' or 'postgresql'."""
    return make_url(database_url).get_backend_name()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on a database migrated to head and seeded with the reference data."""
    eng = make_engine(database_url)
    migrate.upgrade(eng)
    with Session(eng) as session, session.begin():
        seed_reference(session)
    yield eng
    eng.dispose()


def make_settings(database_url: str, tmp: Path, **overrides: object) -> Settings:
    """Test settings: demo secrets, the test database, files under a temporary folder."""
    return load_settings(
        environ={},
        env_file=tmp / "no.env",
        testing=True,
        database_url=database_url,
        attachment_dir=str(tmp / "attachments"),
        session_cookie_secure=False,
        **overrides,
    )


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Settings for one test."""
    return make_settings(database_url, tmp_path)


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back after the test."""
    with engine.connect() as conn:
        trans = conn.begin()
        yield conn
        trans.rollback()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    """Sessions bound to the test's connection; their commits become savepoints."""
    return sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )


@pytest.fixture
def db_session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work disappears after the test."""
    with session_factory() as session:
        yield session


@pytest.fixture
def app(settings: Settings, session_factory: sessionmaker[Session]) -> Iterator[Flask]:
    """The app, its requests running inside the test's rolled-back transaction."""
    application = create_app(settings)
    runtime_of(application).use_sessions(session_factory)
    yield application
    get_db(application).engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def empty_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A brand-new empty database of the session's backend, dropped afterwards."""
    with fresh_database(database_url, tmp_path, "pakn_empty") as url:
        yield url


@pytest.fixture
def fresh_app(empty_database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """An app on a migrated, seeded database of its own (the scheduler commits for real)."""
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine)
    with transaction(make_sessionmaker(engine)) as session:
        seed_reference(session)
    engine.dispose()
    settings = make_settings(
        empty_database_url,
        tmp_path,
        letter_dir=str(tmp_path / "letters"),
        scheduler_poll_seconds=1,
        scheduler_lease_seconds=2,
        zalo_api_base="http://127.0.0.1:9",
        zalo_inline_mode="off",
    )
    app = create_app(settings)
    yield app
    get_db(app).engine.dispose()
