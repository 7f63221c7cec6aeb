"""Helpers shared by the test packages: throwaway databases and a stand-in with demo secrets."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy import make_url

from bot.zalo.standin import StandIn, StandinState

#: The OA id the tests' events and the stand-in agree on.
OA_ID = "388613280878808645"


@contextmanager
def fresh_database(database_url: str, folder: Path, prefix: str = "pakn_fresh") -> Iterator[str]:
    """A new, empty database of the session's backend, dropped afterwards.

    For tests whose commits must be real (other processes, threads, a live server).
    """
    url = make_url(database_url)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{folder / f'{name}.sqlite3'}"
        return
    admin = url.set(drivername="postgresql", database="postgres")
    dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_standin() -> StandIn:
    """A Zalo stand-in on a free loopback port that knows the test settings' secrets."""
    state = StandinState(
        app_id="1000000000000000001",
        app_secret="demo-app-secret",
        oa_secret_key="demo-oa-secret-key",
        oa_id=OA_ID,
    )
    return StandIn(state).start()
