"""Helpers shared by the test packages and the benchmarks: throwaway databases, a stand-in
with demo secrets, free ports and a gunicorn started in its own process group."""

from __future__ import annotations

import socket
import subprocess
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import psycopg
import requests
from sqlalchemy import make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.runtime import services_from
from bot.zalo.services import ZaloServices
from bot.zalo.services import build as build_zalo
from bot.zalo.standin import StandIn, StandinState
from config import Settings
from handlers.inbound import Router
from handlers.inbound import router as default_router

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


ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_gunicorn(
    app: str, port: int, env: Mapping[str, str], log: Path, options: Sequence[str] = ()
) -> subprocess.Popen[bytes]:
    """Serve `app` ("module:callable") with the project's gunicorn on 127.0.0.1:`port`, in a
    process group of its own (so a test can kill the whole server); return once /healthz
    answers 200, or raise with the end of the log after 60 s."""
    with log.open("ab") as handle:
        proc = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "-b", f"127.0.0.1:{port}", *options, app],
            cwd=ROOT,
            env=dict(env),
            stdout=subprocess.DEVNULL,
            stderr=handle,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except requests.RequestException:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("gunicorn did not start: " + log.read_text()[-3000:])


def start_command(
    app: str, command: str, env: Mapping[str, str], log: Path
) -> subprocess.Popen[bytes]:
    """`flask --app <app> <command>` (worker, scheduler) in a process group of its own."""
    with log.open("ab") as handle:
        return subprocess.Popen(
            [str(ROOT / ".venv/bin/flask"), "--app", app, command],
            cwd=ROOT,
            env=dict(env),
            stdout=subprocess.DEVNULL,
            stderr=handle,
            start_new_session=True,
        )


def zalo_layer(
    settings: Settings, sessions: sessionmaker[Session], router: Router | None = None
) -> ZaloServices:
    """The Zalo layer a process with these settings builds, on the given sessions."""
    return build_zalo(
        settings,
        sessions,
        router=router or default_router,
        services=services_from(settings),
    )
