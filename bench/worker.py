"""How soon citizens get their reply with the worker processing behind the webhook.

As the operator runs it: gunicorn (2 sync workers) verifies, stores and answers; W `flask
worker` processes (1, then 2) process the events, gather bursts, run the NLP and send the
replies to the Zalo stand-in (loopback); the scheduler runs beside them. Consented citizens
each post one signed petition text:

  steady — 10 messages/s for S seconds;
  burst  — 1,000 messages, posted as fast as 50 connections go.

Reply latency beyond the gathering window = the stand-in's clock when it recorded the reply
− the moment the webhook answered 200 − CONVERSATION_GATHER_MS. Throughput = messages fully
answered per second over the burst (first 200 → last reply). Every 200 must get its reply once.

    .venv/bin/python -m bench.worker                          # both databases, 1 and 2 workers
    .venv/bin/python -m bench.worker --backend sqlite --seconds 30 --burst 1000

Target: reply p95 ≤ 2 s beyond the gathering window at 10 messages/s.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import requests
from sqlalchemy import make_url

from bot.simulator.events import message_event, signed
from bot.zalo.standin import StandIn
from bot.zalo.tokens import TokenPair, store_pair
from config import Settings, load_settings
from handlers.seed import seed_reference
from storage import migrate
from storage.db import make_engine, make_sessionmaker, transaction
from storage.models import Citizen
from tests.support import OA_ID, free_port, start_command, start_gunicorn, start_standin

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
TEXT = "Đèn đường ở kiệt 45 Trần Cao Vân, phường An Xuân tắt cả tuần nay, đề nghị sửa"


@dataclass
class Run:
    """One scenario's measurements (seconds)."""

    name: str
    posted: dict[str, float] = field(default_factory=dict)  # user id → time of the 200
    replied: dict[str, float] = field(default_factory=dict)  # user id → first reply's time
    replies: Counter[str] = field(default_factory=Counter)
    gather: float = 0.0

    def beyond(self) -> list[float]:
        return sorted(
            self.replied[u] - t - self.gather for u, t in self.posted.items() if u in self.replied
        )

    def pct(self, q: float) -> float:
        values = self.beyond()
        return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")

    def throughput(self) -> float:
        if not self.replied:
            return 0.0
        return len(self.replied) / (max(self.replied.values()) - min(self.posted.values()))


def _settings(url: str, standin: StandIn, folder: Path, gather_ms: int) -> Settings:
    return load_settings(
        environ={"PAKN_DEMO": "1"},
        env_file=folder / "none.env",
        database_url=url,
        zalo_api_base=standin.base_url,
        zalo_oauth_base=standin.base_url,
        zalo_oa_id=OA_ID,
        conversation_gather_ms=gather_ms,
    )


def _prepare(url: str, standin: StandIn, users: list[str]) -> None:
    """Migrate, seed, store the stand-in's tokens, and make every citizen a consented one."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    now = datetime.now(UTC)
    with transaction(make_sessionmaker(engine)) as s:
        seed_reference(s)
        access, refresh = standin.state.issue_pair()
        store_pair(s, TokenPair(access, refresh, 90000), now=now, source="bench")
        s.add_all(
            Citizen(zalo_user_id=u, consent_at=now, consent_version="2026-01", following=True)
            for u in users
        )
    engine.dispose()
    for u in users:
        standin.state.touch(u, standin.state.now())


def _env(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "PAKN_DEMO": "1",
        "DATABASE_URL": settings.database_url,
        "ZALO_API_BASE": settings.zalo_api_base,
        "ZALO_OAUTH_BASE": settings.zalo_oauth_base,
        "ZALO_OA_ID": OA_ID,
        "CONVERSATION_GATHER_MS": str(settings.conversation_gather_ms),
        "LOG_LEVEL": "WARNING",
    }


@contextmanager
def service(settings: Settings, workers: int, folder: Path) -> Iterator[str]:
    """gunicorn + `workers` worker processes + the scheduler; yields the base URL."""
    env, port = _env(settings), free_port()
    web = start_gunicorn(
        "wsgi:app", port, env, folder / "web.log", ["-w", "2", "--no-control-socket"]
    )
    others = [start_command("wsgi", "worker", env, folder / f"w{n}.log") for n in range(workers)]
    others.append(start_command("wsgi", "scheduler", env, folder / "scheduler.log"))
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        for proc in [web, *others]:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in [web, *others]:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def _post(http: requests.Session, base: str, settings: Settings, user: str, run: Run) -> None:
    raw, headers = signed(settings, message_event(settings, user, "text", text=TEXT))
    resp = http.post(f"{base}/webhooks/zalo", data=raw, headers=headers, timeout=30)
    if resp.status_code == 200:
        run.posted[user] = time.time()


def steady(base: str, settings: Settings, users: list[str], rate: float, run: Run) -> None:
    """`rate` messages per second, one citizen each, on a fixed schedule."""
    http = requests.Session()
    began = time.monotonic()
    for n, user in enumerate(users):
        wait = began + n / rate - time.monotonic()
        if wait > 0:
            threading.Event().wait(wait)
        _post(http, base, settings, user, run)


def burst(base: str, settings: Settings, users: list[str], connections: int, run: Run) -> None:
    """Every citizen at once, as fast as `connections` concurrent posters go."""
    local = threading.local()

    def one(user: str) -> None:
        if not hasattr(local, "http"):
            local.http = requests.Session()
        _post(local.http, base, settings, user, run)

    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(one, users))


def collect(standin: StandIn, run: Run, users: list[str], timeout: float) -> None:
    """Wait for every posted citizen's reply (or the timeout); note the first one's time."""
    wanted = set(users)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for m in standin.state.sent_to(None):
            user = m["user_id"]
            if user in wanted and user not in run.replied:
                run.replied[user] = m["time"] / 1000
        if set(run.posted) <= set(run.replied):
            break
        threading.Event().wait(0.2)
    run.replies = Counter(
        m["user_id"] for m in standin.state.sent_to(None) if m["user_id"] in wanted
    )


def bench(url: str, backend: str, workers: int, args: argparse.Namespace) -> list[Run]:
    steady_users = [f"81{uuid.uuid4().int % 10**17:017d}" for _ in range(int(args.seconds * 10))]
    burst_users = [f"82{uuid.uuid4().int % 10**17:017d}" for _ in range(args.burst)]
    standin = start_standin()
    try:
        with tempfile.TemporaryDirectory(prefix="pakn-bench-worker-") as tmp:
            folder = Path(tmp)
            settings = _settings(url, standin, folder, args.gather_ms)
            _prepare(url, standin, steady_users + burst_users)
            gather = args.gather_ms / 1000
            label = f"{backend}, {workers} worker(s)"
            runs = [
                Run(f"{label}, steady 10/s", gather=gather),
                Run(f"{label}, burst {args.burst}", gather=gather),
            ]
            with service(settings, workers, folder) as base:
                threading.Event().wait(2)  # the worker and the scheduler settle
                steady(base, settings, steady_users, 10.0, runs[0])
                collect(standin, runs[0], steady_users, args.gather_ms / 1000 + 60)
                burst(base, settings, burst_users, args.connections, runs[1])
                collect(standin, runs[1], burst_users, args.gather_ms / 1000 + 300)
            return runs
    finally:
        standin.close()


@contextmanager
def database(backend: str, folder: Path, admin: str) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'bench-{uuid.uuid4().hex[:6]}.sqlite3'}"
        return
    name = f"pakn_bench_worker_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(admin.replace("postgresql://", "postgresql+psycopg://", 1)).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def report(runs: list[Run]) -> bool:
    print(
        f"\n{'scenario':<40}{'answered':>10}{'twice':>7}{'p50 s':>8}{'p95 s':>8}{'max s':>8}"
        f"{'msg/s':>8}"
    )
    ok = True
    for run in runs:
        twice = sum(1 for u in run.posted if run.replies[u] > 1)
        answered = f"{len(run.replied)}/{len(run.posted)}"
        values = run.beyond()
        print(
            f"{run.name:<40}{answered:>10}{twice:>7}{run.pct(0.5):>8.2f}{run.pct(0.95):>8.2f}"
            f"{(values[-1] if values else float('nan')):>8.2f}{run.throughput():>8.1f}"
        )
        ok &= len(run.replied) == len(run.posted) and twice == 0
        if "steady" in run.name:
            ok &= run.pct(0.95) <= 2.0
    print(
        "(latency beyond the gathering window; target: steady p95 ≤ 2 s, every 200 answered once)"
    )
    return ok


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--seconds", type=float, default=30.0, help="of the steady 10 msg/s")
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", default="1,2", help="worker processes, comma-separated")
    parser.add_argument("--gather-ms", type=int, default=6000, help="CONVERSATION_GATHER_MS")
    parser.add_argument("--pg", default=os.environ.get("PAKN_TEST_POSTGRES", DEFAULT_PG))
    args = parser.parse_args(argv)
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="pakn-bench-db-") as tmp:
        for backend in backends:
            for workers in (int(w) for w in args.workers.split(",")):
                with database(backend, Path(tmp), args.pg) as url:
                    runs += bench(url, backend, workers, args)
    print(
        f"\ngunicorn 2 sync workers + W `flask worker` + scheduler, stand-in on loopback, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, gather "
        f"{args.gather_ms} ms"
    )
    return 0 if report(runs) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
