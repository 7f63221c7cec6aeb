"""Zalo fixtures: a stand-in on loopback, settings pointing at it, tokens in the database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from flask import Flask
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot import create_app
from bot.database import get_db
from bot.runtime import runtime_of
from bot.zalo.services import ZaloServices
from bot.zalo.standin import StandIn
from bot.zalo.tokens import TokenPair, store_pair
from config import Settings
from handlers.events import Event
from handlers.inbound import Router, record_event
from storage import migrate
from storage.db import make_engine, make_sessionmaker
from storage.models import Base
from storage.models.base import utcnow
from tests.conftest import make_settings
from tests.support import fresh_database, start_standin
from tests.zalo.helpers import OA


@pytest.fixture
def standin() -> Iterator[StandIn]:
    """A fresh stand-in on a free loopback port."""
    server = start_standin()
    yield server
    server.close()


@pytest.fixture
def settings(database_url: str, tmp_path: Path, standin: StandIn) -> Settings:
    """Test settings whose Zalo is the stand-in (and whose media host is loopback)."""
    return make_settings(
        database_url,
        tmp_path,
        zalo_api_base=standin.base_url,
        zalo_oauth_base=standin.base_url,
        zalo_oa_id=OA,
        zalo_media_hosts=("127.0.0.1",),
        attachment_private_networks=("127.0.0.1/32",),
        zalo_connect_timeout_seconds=2,
        zalo_timeout_seconds=2,
        zalo_inline_mode="sync",
    )


def platform_router() -> Router:
    """Only the platform's recording default (the conversation's handlers are tested there)."""
    r = Router()
    r.on(Event)(record_event)
    return r


@pytest.fixture
def app(settings: Settings, session_factory: sessionmaker[Session]) -> Iterator[Flask]:
    """The app inside the test's rolled-back transaction, with the platform router only."""
    application = create_app(settings, router=platform_router())
    runtime_of(application).use_sessions(session_factory)
    yield application
    get_db(application).engine.dispose()


@pytest.fixture
def zalo(app: Flask) -> ZaloServices:
    """The app's Zalo services (bound to the test's rolled-back transaction)."""
    return runtime_of(app).zalo


@pytest.fixture
def tokens(standin: StandIn, db_session: Session) -> tuple[str, str]:
    """A valid pair issued by the stand-in and stored as current."""
    access, refresh = standin.state.issue_pair()
    store_pair(db_session, TokenPair(access, refresh, 90000), now=utcnow(), source="test")
    db_session.commit()
    return access, refresh


def control(standin: StandIn, endpoint: str, /, **body: object) -> dict:
    """POST to the stand-in's control API."""
    resp = requests.post(f"{standin.base_url}/_standin/{endpoint}", json=body, timeout=5)
    resp.raise_for_status()
    result: dict = resp.json()
    return result


@pytest.fixture(scope="module")
def fresh_url(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of its own for tests whose commits must be real (processes, threads)."""
    with fresh_database(database_url, tmp_path_factory.mktemp("fresh"), "pakn_zalo") as url:
        yield url


@pytest.fixture(scope="module")
def fresh_engine(fresh_url: str) -> Iterator[Engine]:
    eng = make_engine(fresh_url)
    migrate.upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def fresh_sessions(fresh_engine: Engine) -> sessionmaker[Session]:
    """Sessions on the fresh database, emptied before the test."""
    with fresh_engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name != "audit_log":  # append-only: the database refuses to delete it
                conn.execute(table.delete())
    return make_sessionmaker(fresh_engine)
