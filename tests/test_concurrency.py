"""The shipped arrangement under load: no request fails on database lock contention.

gunicorn with two workers, a worker process and the scheduler share one database while
citizens' events pour in and officers sign in and read the inbox at the same moment. On
SQLite a request that read first and wrote later used to fail with "database is locked"
whenever another process committed in between (the first admin login answered 500).
"""

from __future__ import annotations

import os
import re
import signal
import threading
from collections import Counter
from pathlib import Path

import pytest
import requests
from sqlalchemy.orm import Session

from handlers import accounts
from handlers.seed import seed_reference
from storage import migrate
from storage.db import make_engine
from tests.conftest import make_settings
from tests.support import free_port, start_command, start_gunicorn
from tests.zalo.helpers import sign, text_event

OFFICERS = 6
ROUNDS = 4
EVENTS = 150
PASSWORD = "mat-khau-du-dai-2026"  # noqa: S105 - a test account


def _prepare(url: str) -> None:
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        with Session(engine) as session, session.begin():
            seed_reference(session)
            for n in range(OFFICERS):
                accounts.create_user(session, username=f"canbo{n}", password=PASSWORD, role="admin")
    finally:
        engine.dispose()


def _officer(base: str, n: int, statuses: Counter[int], lock: threading.Lock) -> None:
    """Sign in and read the inbox, ROUNDS times, as a browser would."""
    for _ in range(ROUNDS):
        http = requests.Session()
        page = http.get(f"{base}/admin/login", timeout=30)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None, page.text[:500]
        form = {"csrf_token": token.group(1), "username": f"canbo{n}", "password": PASSWORD}
        signed_in = http.post(f"{base}/admin/login", data=form, timeout=30)
        inbox = http.get(f"{base}/admin/", timeout=30)
        with lock:
            statuses.update(r.status_code for r in (page, signed_in, inbox))
            statuses[-1 if "Đăng xuất" in inbox.text else -2] += 1  # signed in or not


def _citizens(base: str, k: int, statuses: Counter[int], lock: threading.Lock) -> None:
    """Post EVENTS signed messages from 30 citizens, one after another."""
    settings = make_settings("sqlite://", Path("/nonexistent"))
    http = requests.Session()
    for i in range(EVENTS):
        raw = text_event(f"Đường ngập số {i}", msg_id=f"load-{k}-{i}", user=f"8{k}{i % 30:016d}")
        headers = {"X-ZEvent-Signature": sign(raw, settings), "Content-Type": "application/json"}
        resp = http.post(f"{base}/webhooks/zalo", data=raw, headers=headers, timeout=30)
        with lock:
            statuses[resp.status_code] += 1


@pytest.mark.slow
def test_no_request_fails_on_lock_contention(empty_database_url: str, tmp_path: Path) -> None:
    _prepare(empty_database_url)
    env = {
        **os.environ,
        "PAKN_DEMO": "1",
        "DATABASE_URL": empty_database_url,
        "ZALO_API_BASE": "http://127.0.0.1:9",  # nothing answers: replies wait, as in an outage
        "ZALO_OAUTH_BASE": "http://127.0.0.1:9",
        "ATTACHMENT_DIR": str(tmp_path / "attachments"),
        "LETTER_DIR": str(tmp_path / "letters"),
        "WORKER_POLL_MS": "20",
        "LOG_LEVEL": "INFO",
    }
    port = free_port()
    log = tmp_path / "gunicorn.log"
    web = start_gunicorn("wsgi:app", port, env, log, ["-w", "2", "--no-control-socket"])
    others = [
        start_command("wsgi", name, env, tmp_path / f"{name}.log")
        for name in ("worker", "scheduler")
    ]
    base = f"http://127.0.0.1:{port}"
    statuses: Counter[int] = Counter()
    events: Counter[int] = Counter()
    lock = threading.Lock()
    try:
        threads = [
            threading.Thread(target=_officer, args=(base, n, statuses, lock))
            for n in range(OFFICERS)
        ]
        threads += [
            threading.Thread(target=_citizens, args=(base, k, events, lock)) for k in range(2)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=240)
    finally:
        for proc in [web, *others]:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)
    logs = "\n".join(p.read_text(errors="replace") for p in tmp_path.glob("*.log"))
    assert "database is locked" not in logs
    assert not [s for s in statuses if s >= 500], statuses
    assert statuses[-1] == OFFICERS * ROUNDS, statuses  # every officer got in, every time
    assert events == Counter({200: 2 * EVENTS})
