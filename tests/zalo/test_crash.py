"""SIGKILL the web server and a worker while deliveries are in flight; restart; nothing lost,
nothing twice. Production's arrangement: gunicorn only stores and answers, workers process."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.zalo.standin import StandIn
from bot.zalo.tokens import TokenPair, store_pair
from config import Settings
from storage.db import transaction
from storage.models import InboundEvent, OutboxMessage, PetitionMessage
from tests.conftest import make_settings
from tests.support import free_port, start_command, start_gunicorn
from tests.zalo.helpers import sign, text_event

ROOT = Path(__file__).resolve().parents[2]
EVENTS = 240
APP = "tests.zalo.crash_app"


def _env(url: str, standin: StandIn, tmp: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PAKN_DEMO": "1",
        "DATABASE_URL": url,
        "ZALO_API_BASE": standin.base_url,
        "ZALO_OAUTH_BASE": standin.base_url,
        "ZALO_OA_ID": "388613280878808645",
        "ATTACHMENT_DIR": str(tmp / "attachments"),
        "LOG_LEVEL": "WARNING",
        # A killed worker's claims run out quickly, so the test need not wait minutes.
        "INBOUND_LEASE_SECONDS": "3",
        "OUTBOX_LEASE_SECONDS": "5",
        "WORKER_POLL_MS": "50",
    }


def _web(env: dict[str, str], port: int, tmp: Path) -> subprocess.Popen[bytes]:
    options = ["-w", "2", "--graceful-timeout", "1", "--no-control-socket"]
    return start_gunicorn(f"{APP}:app", port, env, tmp / "gunicorn.log", options)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def _deliver(
    port: int,
    bodies: dict[str, bytes],
    settings: Settings,
    ok: set[str],
    stop: threading.Event,
    lock: threading.Lock,
) -> None:
    """Post each event (some twice) until told to stop; remember which got a 200."""
    http = requests.Session()
    for msg_id, raw in bodies.items():
        if stop.is_set():
            return
        for _ in range(2 if msg_id.endswith("7") else 1):  # a repeat delivery now and then
            try:
                resp = http.post(
                    f"http://127.0.0.1:{port}/webhooks/zalo",
                    data=raw,
                    timeout=5,
                    headers={
                        "X-ZEvent-Signature": sign(raw, settings),
                        "Content-Type": "application/json",
                    },
                )
            except requests.RequestException:
                continue  # in flight when the server died: Zalo will deliver it again
            if resp.status_code == 200:
                with lock:
                    ok.add(msg_id)


def _in_threads(port: int, items: list[tuple[str, bytes]], *args: object) -> list[threading.Thread]:
    threads = [
        threading.Thread(target=_deliver, args=(port, dict(items[k::6]), *args)) for k in range(6)
    ]
    for t in threads:
        t.start()
    return threads


def _replies(sessions: sessionmaker[Session]) -> tuple[int, dict[str, int]]:
    with transaction(sessions) as session:
        open_events = session.scalar(
            select(func.count(InboundEvent.id)).where(InboundEvent.state != "processed")
        )
        states = session.execute(
            select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
        ).all()
    return int(open_events or 0), {str(k): int(v) for k, v in states}


@pytest.mark.slow
def test_sigkill_of_web_and_worker_mid_burst_loses_and_repeats_nothing(
    fresh_url: str,
    fresh_sessions: sessionmaker[Session],
    standin: StandIn,
    tmp_path: Path,
) -> None:
    settings = make_settings(
        fresh_url, tmp_path, zalo_api_base=standin.base_url, zalo_oauth_base=standin.base_url
    )
    access, refresh = standin.state.issue_pair()
    with transaction(fresh_sessions) as session:
        store_pair(session, TokenPair(access, refresh, 90000), now=datetime.now(UTC), source="t")
    users = [f"9{i:017d}" for i in range(12)]
    bodies = {
        f"crash-{i}": text_event(f"Phản ánh số {i} 🚧", msg_id=f"crash-{i}", user=users[i % 12])
        for i in range(EVENTS)
    }
    env, port = _env(fresh_url, standin, tmp_path), free_port()
    server = _web(env, port, tmp_path)
    workers = [start_command(APP, "worker", env, tmp_path / f"worker-{n}.log") for n in range(2)]
    ok: set[str] = set()
    stop, lock = threading.Event(), threading.Lock()
    try:
        threads = _in_threads(port, list(bodies.items()), settings, ok, stop, lock)
        while len(ok) < EVENTS // 4:  # a worker dies mid-burst, with events claimed
            time.sleep(0.01)
        _kill(workers[0])
        while len(ok) < EVENTS // 2:  # then the web server, with deliveries in flight
            time.sleep(0.01)
        _kill(server)
        stop.set()
        for t in threads:
            t.join(timeout=30)
        before_restart = set(ok)
        assert 0 < len(before_restart) < EVENTS
        # Restart; Zalo re-sends everything it got no 200 for (and we re-send a few that did).
        server = _web(env, port, tmp_path)
        workers[0] = start_command(APP, "worker", env, tmp_path / "worker-2.log")
        repeats = {k: bodies[k] for k in sorted(before_restart)[:10]}
        for attempt in range(3):  # Zalo retries a delivery until it gets its 200
            missing = {k: v for k, v in bodies.items() if k not in ok}
            again = list({**missing, **(repeats if attempt == 0 else {})}.items())
            for t in _in_threads(port, again, settings, ok, threading.Event(), lock):
                t.join(timeout=60)
            if ok == set(bodies):
                break
        assert ok == set(bodies)
        deadline = time.monotonic() + 90
        while _replies(fresh_sessions) != (0, {"sent": EVENTS}):
            assert time.monotonic() < deadline, _replies(fresh_sessions)
            time.sleep(0.2)
    finally:
        stop.set()
        for proc in [server, *workers]:
            if proc.poll() is None:
                _kill(proc)
    with transaction(fresh_sessions) as session:
        inbound = session.execute(
            select(InboundEvent.dedup_key, InboundEvent.state).order_by(InboundEvent.id)
        ).all()
        assert len(inbound) == EVENTS  # every delivery stored once
        assert {state for _, state in inbound} == {"processed"}
        thread = Counter(
            session.scalars(
                select(PetitionMessage.zalo_msg_id).where(PetitionMessage.direction == "in")
            )
        )
        assert set(thread) == set(bodies) and set(thread.values()) == {1}  # processed once
        outbox_rows = session.execute(select(OutboxMessage.dedup_key, OutboxMessage.state)).all()
        assert len(outbox_rows) == EVENTS and {s for _, s in outbox_rows} == {"sent"}
    sent = Counter(m["text"] for m in standin.state.sent_to(None))
    assert sent == Counter(f"Đã nhận {k}" for k in bodies)  # every reply exactly once
    stored_order = [re.search(r"crash-\d+", key).group(0) for key, _ in inbound]  # type: ignore[union-attr]
    for user in users:  # each citizen's replies left in the order their events were stored
        replies = [m["text"].removeprefix("Đã nhận ") for m in standin.state.sent_to(user)]
        assert replies == [k for k in stored_order if k in set(replies)], user
