"""Tokens in the database: rotation under a cross-process lock, early refresh, bootstrap."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import Engine, func, make_url, select, text
from sqlalchemy.orm import Session, sessionmaker

from bot.zalo.errors import TokenError, TokenRefreshFailed, ZaloApiError
from bot.zalo.jobs import zalo_jobs
from bot.zalo.services import ZaloServices
from bot.zalo.standin import StandIn
from bot.zalo.tokens import OAuthClient, TokenPair, TokenStore, newest, store_pair
from handlers.jobs import JobContext, run_job
from storage.db import transaction
from storage.models import StaffNotification, ZaloToken
from tests.zalo.conftest import control

ROOT = Path(__file__).resolve().parents[2]


def oauth(standin: StandIn, secret: str = "demo-app-secret") -> OAuthClient:  # noqa: S107
    return OAuthClient(base=standin.base_url, app_id="1000000000000000001", app_secret=secret)


def test_oauth_rotation_is_single_use(standin: StandIn) -> None:
    access, refresh = standin.state.issue_pair()
    pair = oauth(standin).refresh(refresh)
    assert pair.expires_in == 90000 and pair.refresh_token != refresh
    with pytest.raises(ZaloApiError) as err:
        oauth(standin).refresh(refresh)
    assert err.value.code == -14014
    with pytest.raises(ZaloApiError):
        oauth(standin, "wrong-secret").refresh(pair.refresh_token)


def test_access_token_refreshes_just_before_expiry(
    zalo: ZaloServices, standin: StandIn, db_session: Session
) -> None:
    access, refresh = standin.state.issue_pair()
    t = datetime.now(UTC)
    store_pair(db_session, TokenPair(access, refresh, 90000), now=t, source="test")
    db_session.commit()
    assert zalo.tokens.access_token(now=t + timedelta(hours=20)) == access
    fresh = zalo.tokens.access_token(now=t + timedelta(hours=24, minutes=59))
    assert fresh != access and standin.state.access_ok(fresh)
    assert db_session.scalar(select(func.count(ZaloToken.id))) == 2


def test_early_refresh_job(zalo: ZaloServices, standin: StandIn, db_session: Session) -> None:
    jobs = zalo_jobs(zalo)
    ctx = lambda now: JobContext(sessions=zalo.sessions, now=now)  # noqa: E731
    t = datetime.now(UTC)
    assert run_job(jobs, "zalo-refresh-token", ctx(t)) == {
        "refreshed": False,
        "reason": "no tokens stored",
    }
    access, refresh = standin.state.issue_pair()
    store_pair(db_session, TokenPair(access, refresh, 90000), now=t, source="test")
    db_session.commit()
    assert run_job(jobs, "zalo-refresh-token", ctx(t + timedelta(hours=19)))["refreshed"] is False
    result = run_job(jobs, "zalo-refresh-token", ctx(t + timedelta(hours=20, minutes=30)))
    assert result["refreshed"] is True
    row = newest(db_session)
    assert row is not None and row.access_token != access and row.source == "refresh"


def test_refresh_failure_alerts_administrators_once(
    zalo: ZaloServices, standin: StandIn, db_session: Session
) -> None:
    store_pair(
        db_session, TokenPair("AT-x", "RT-unknown", 90000), now=datetime.now(UTC), source="test"
    )
    db_session.commit()
    with pytest.raises(TokenRefreshFailed):
        zalo.tokens.refresh()
    with pytest.raises(TokenRefreshFailed):
        zalo.tokens.access_token()
    notes = db_session.scalars(select(StaffNotification)).all()
    assert [(n.kind, n.role) for n in notes] == [("zalo_token", "admin")]
    assert "zalo set-tokens" in notes[0].body
    assert zalo.tokens.status()["refresh_failed"] is True


def test_no_token_is_a_clean_error(zalo: ZaloServices) -> None:
    with pytest.raises(TokenError, match="set-tokens"):
        zalo.tokens.access_token()
    assert zalo.tokens.status() == {"stored": False}


def test_set_tokens_and_status_commands(runner: FlaskCliRunner, db_session: Session) -> None:
    result = runner.invoke(args=["zalo", "set-tokens"], input="AT-console\nRT-console\n")
    assert result.exit_code == 0, result.output
    assert "tokens stored" in result.output
    row = newest(db_session)
    assert row is not None and (row.access_token, row.refresh_token, row.source) == (
        "AT-console",
        "RT-console",
        "manual",
    )
    status = runner.invoke(args=["zalo", "status"])
    figures = json.loads(status.output)
    assert figures["tokens"]["stored"] is True and "AT-console" not in status.output
    assert runner.invoke(args=["zalo", "set-tokens"], input="\n\n").exit_code != 0


def test_jobs_are_listed_and_run_from_the_cli(runner: FlaskCliRunner) -> None:
    listed = runner.invoke(args=["jobs", "list"]).output.split()
    assert {"zalo-inbound", "outbox-drain", "zalo-refresh-token"} <= set(listed)
    result = runner.invoke(args=["jobs", "run", "outbox-drain"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["job"] == "outbox-drain"


# --- two processes, one refresh ------------------------------------------------------------


def _lock_is_held(backend: str, url: str, engine: Engine) -> bool:
    """Whether another process holds the refresh lock right now (and one waits, on PG)."""
    if backend == "postgresql":
        with engine.connect() as conn:
            rows = (
                conn.execute(text("SELECT granted FROM pg_locks WHERE locktype = 'advisory'"))
                .scalars()
                .all()
            )
        return True in rows and False in rows  # one holds it, the other waits for it
    path = make_url(url).database
    probe = sqlite3.connect(str(path), timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True  # the write lock is taken: the refresh runs inside an immediate transaction
    finally:
        probe.close()


@pytest.mark.postgres_only
@pytest.mark.slow
def test_two_processes_refreshing_at_once_spend_the_refresh_token_once(
    backend: str,
    fresh_url: str,
    fresh_engine: Engine,
    fresh_sessions: sessionmaker[Session],
    standin: StandIn,
    tmp_path: Path,
) -> None:
    """PostgreSQL: the advisory lock; SQLite: the immediate transaction. Both run for real."""
    access, refresh = standin.state.issue_pair()
    with transaction(fresh_sessions) as session:
        store_pair(session, TokenPair(access, refresh, 90000), now=datetime.now(UTC), source="t")
    control(standin, "fail", path="/v4/oa/access_token", mode="slow", delay=3.0, times=1)
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.zalo.token_worker",
                fresh_url,
                standin.base_url,
                access,
                str(go),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        for p in procs:
            assert p.stdout is not None and json.loads(p.stdout.readline()) == {"ready": True}
        go.touch()
        deadline, held = time.monotonic() + 2.8, False
        while time.monotonic() < deadline and not held:
            time.sleep(0.05)
            held = _lock_is_held(backend, fresh_url, fresh_engine)
        results = [json.loads(p.communicate(timeout=30)[0].splitlines()[-1]) for p in procs]
    finally:
        for p in procs:
            p.kill() if p.poll() is None else None
    assert held, "the second process did not wait for the first one's lock"
    assert all("token" in r for r in results), results
    assert results[0]["token"] == results[1]["token"] != access
    assert len([c for c in standin.state.calls if c[0] == "/v4/oa/access_token"]) == 1
    assert refresh not in standin.state.refresh and len(standin.state.refresh) == 1
    with transaction(fresh_sessions) as session:
        rows = session.scalars(select(ZaloToken).order_by(ZaloToken.id)).all()
        assert len(rows) == 2 and rows[1].access_token == results[0]["token"]
        assert rows[1].refresh_token in standin.state.refresh


def test_token_store_in_one_process_skips_a_refresh_already_done(
    fresh_sessions: sessionmaker[Session], standin: StandIn
) -> None:
    access, refresh = standin.state.issue_pair()
    with transaction(fresh_sessions) as session:
        store_pair(session, TokenPair(access, refresh, 90000), now=datetime.now(UTC), source="t")
    a = TokenStore(fresh_sessions, oauth(standin))
    b = TokenStore(fresh_sessions, oauth(standin))
    new = a.refresh(stale=access)
    assert b.refresh(stale=access) == new  # b saw the stale token, a had already refreshed
    assert len([c for c in standin.state.calls if c[0] == "/v4/oa/access_token"]) == 1
