"""SIGKILL the server while deliveries are in flight; restart; nothing lost, nothing twice."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.zalo import build
from bot.zalo.standin import StandIn
from bot.zalo.tokens import TokenPair, store_pair
from config import Settings
from storage.db import transaction
from storage.models import InboundEvent, OutboxMessage, PetitionMessage
from tests.conftest import make_settings
from tests.support import free_port, start_gunicorn
from tests.zalo.crash_handlers import crash_router
from tests.zalo.helpers import sign, text_event

ROOT = Path(__file__).resolve().parents[2]
EVENTS = 240


def _start(url: str, standin: StandIn, port: int, tmp: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PAKN_DEMO": "1",
        "DATABASE_URL": url,
        "ZALO_API_BASE": standin.base_url,
        "ZALO_OAUTH_BASE": standin.base_url,
        "ZALO_OA_ID": "388613280878808645",
        "ZALO_INLINE_MODE": "thread",
        "ATTACHMENT_DIR": str(tmp / "attachments"),
        "LOG_LEVEL": "WARNING",
    }
    options = ["-w", "2", "--graceful-timeout", "1", "--no-control-socket"]
    return start_gunicorn("tests.zalo.crash_app:app", port, env, tmp / "gunicorn.log", options)


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


@pytest.mark.slow
def test_sigkill_while_deliveries_are_in_flight_loses_and_repeats_nothing(
    fresh_url: str,
    fresh_sessions: sessionmaker[Session],
    standin: StandIn,
    tmp_path: Path,
) -> None:
    settings = make_settings(
        fresh_url,
        tmp_path,
        zalo_api_base=standin.base_url,
        zalo_oauth_base=standin.base_url,
        zalo_inline_mode="off",
    )
    access, refresh = standin.state.issue_pair()
    with transaction(fresh_sessions) as session:
        store_pair(session, TokenPair(access, refresh, 90000), now=datetime.now(UTC), source="t")
    users = [f"9{i:017d}" for i in range(12)]
    bodies = {
        f"crash-{i}": text_event(f"Phản ánh số {i} 🚧", msg_id=f"crash-{i}", user=users[i % 12])
        for i in range(EVENTS)
    }
    chunks = [dict(list(bodies.items())[k::6]) for k in range(6)]
    port = free_port()
    server = _start(fresh_url, standin, port, tmp_path)
    ok: set[str] = set()
    stop, lock = threading.Event(), threading.Lock()
    threads = [
        threading.Thread(target=_deliver, args=(port, c, settings, ok, stop, lock)) for c in chunks
    ]
    try:
        for t in threads:
            t.start()
        while len(ok) < EVENTS // 3:  # kill mid-stream, with deliveries in flight
            time.sleep(0.01)
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
        stop.set()
        for t in threads:
            t.join(timeout=30)
        before_restart = set(ok)
        assert 0 < len(before_restart) < EVENTS
        # Restart; Zalo re-sends everything it got no 200 for (and we re-send a few that did).
        server = _start(fresh_url, standin, port, tmp_path)
        missing = {k: v for k, v in bodies.items() if k not in ok}
        repeats = {k: bodies[k] for k in sorted(before_restart)[:10]}
        again = list({**missing, **repeats}.items())
        retries = [
            threading.Thread(
                target=_deliver,
                args=(port, dict(again[k::6]), settings, ok, threading.Event(), lock),
            )
            for k in range(6)
        ]
        for t in retries:
            t.start()
        for t in retries:
            t.join(timeout=60)
        assert ok == set(bodies)
        # The scheduler's jobs finish what the dead process left (its lease has run out).
        jobs = build(settings, fresh_sessions, router=crash_router())
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            jobs.processor.process_due()
            jobs.sender.drain(now=datetime.now(UTC) + jobs.sender.lease + timedelta(seconds=5))
            with transaction(fresh_sessions) as session:
                counts = dict(
                    session.execute(
                        select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
                    ).all()
                )
                pending = session.scalar(
                    select(func.count(InboundEvent.id)).where(InboundEvent.state != "processed")
                )
            if pending == 0 and counts == {"sent": EVENTS}:
                break
            time.sleep(0.2)
    finally:
        stop.set()
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
    with transaction(fresh_sessions) as session:
        inbound = session.execute(select(InboundEvent.dedup_key, InboundEvent.state)).all()
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
