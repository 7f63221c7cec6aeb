"""Wrong passwords sent all at once to a real server are all counted: the lock still comes,
once, and the owner at another address still gets in."""

from __future__ import annotations

import os
import re
import signal
import threading
from collections import Counter
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers import accounts, audit
from handlers.seed import seed_reference
from storage import migrate
from storage.db import make_engine
from storage.models import AuditEntry, LoginThrottle
from tests.support import free_port, start_gunicorn

AT_ONCE = 10
NAME = "quantri"
PASSWORD = "mat-khau-du-dai-2026"  # noqa: S105 - a test account
ATTACKER, OWNER = "203.0.113.7", "198.51.100.20"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _sign_in(base: str, password: str, address: str) -> int:
    """One browser: open the form, send it; the status of the answer."""
    http = requests.Session()
    page = http.get(f"{base}/admin/login", timeout=60)
    token = _TOKEN.search(page.text)
    assert token is not None, page.text[:300]
    form = {"csrf_token": token.group(1), "username": NAME, "password": password}
    headers = {"X-Forwarded-For": address}
    answer = http.post(
        f"{base}/admin/login", data=form, headers=headers, timeout=60, allow_redirects=False
    )
    return answer.status_code


def _all_at_once(base: str) -> Counter[int]:
    """AT_ONCE wrong passwords from one address, released together."""
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    gate = threading.Barrier(AT_ONCE)

    def guess() -> None:
        gate.wait()
        status = _sign_in(base, "sai-mat-khau-1234", ATTACKER)
        with lock:
            statuses[status] += 1

    threads = [threading.Thread(target=guess) for _ in range(AT_ONCE)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=240)
    return statuses


def _counted(url: str) -> tuple[int, Counter[str]]:
    """(failures counted for the attacker on the name, lockout entries by scope)."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            failures = session.scalar(
                select(func.max(LoginThrottle.failures)).where(
                    LoginThrottle.client == ATTACKER, LoginThrottle.name == NAME
                )
            )
            entries = session.scalars(select(AuditEntry).where(AuditEntry.kind == audit.LOCKOUT))
            scopes = Counter(str((e.after or {}).get("scope")) for e in entries)
    finally:
        engine.dispose()
    return int(failures or 0), scopes


@pytest.mark.slow
def test_concurrent_wrong_passwords_lock_once(empty_database_url: str, tmp_path: Path) -> None:
    engine = make_engine(empty_database_url)
    try:
        migrate.upgrade(engine)
        with Session(engine) as session, session.begin():
            seed_reference(session)
            accounts.create_user(session, username=NAME, password=PASSWORD, role="admin")
    finally:
        engine.dispose()
    env = {
        **os.environ,
        "PAKN_DEMO": "1",
        "DATABASE_URL": empty_database_url,
        "ATTACHMENT_DIR": str(tmp_path / "attachments"),
        "LETTER_DIR": str(tmp_path / "letters"),
    }
    port = free_port()
    options = ["-w", "2", "--threads", "4", "--no-control-socket"]
    web = start_gunicorn("wsgi:app", port, env, tmp_path / "gunicorn.log", options)
    base = f"http://127.0.0.1:{port}"
    try:
        statuses = _all_at_once(base)
        held = _sign_in(base, PASSWORD, ATTACKER)
        owner = _sign_in(base, PASSWORD, OWNER)
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        web.wait(timeout=30)
    assert statuses == Counter({401: AT_ONCE})
    failures, scopes = _counted(empty_database_url)
    assert failures >= 5  # no guess lost: at least the threshold was counted
    assert scopes == Counter({"pair": 1, "account": 1}), scopes  # each lock began once
    assert held == 401  # the right password, from the guessing address: still held back
    assert owner == 302  # the owner, from elsewhere, gets in
