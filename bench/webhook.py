"""The webhook (signature + durable store + 200) against a bare Flask route, same server,
in the configuration the operator runs: the worker processing what is stored, meanwhile.

One gunicorn (2 sync workers) serves the real app plus a bare route that returns 200; W
`flask worker` processes (default 1) and the scheduler run beside it, answering every stored
event through the Zalo stand-in on loopback. A loopback load generator (asyncio, one
connection per request, as Zalo's deliveries come) keeps C connections busy for S seconds on
each route, alternating bare → webhook → bare → webhook, and prints requests/s and p50/p99
latency for both and the ratio, on SQLite and on PostgreSQL. Every webhook request is a
distinct, correctly signed `user_send_text` event from one of 997 citizens; afterwards the
bench checks that every 200 left exactly one stored row.

    .venv/bin/python -m bench.webhook                       # both databases, 50 connections
    .venv/bin/python -m bench.webhook --backend sqlite --seconds 10 --connections 50
    .venv/bin/python -m bench.webhook --processing-workers 0   # store and answer only

Targets: webhook ≥ 0.5 × bare on SQLite, ≥ 0.4 × bare on PostgreSQL, with processing running.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from flask import Flask
from sqlalchemy import func, make_url, select

from bot.zalo import signature
from bot.zalo.standin import StandIn
from bot.zalo.tokens import TokenPair, store_pair
from storage import migrate
from storage.db import make_engine, make_sessionmaker, transaction
from storage.models import InboundEvent
from tests.support import free_port, start_command, start_gunicorn, start_standin

ROOT = Path(__file__).resolve().parent.parent
APP_ID, OA = "1000000000000000001", "388613280878808645"
SECRETS = signature.Secrets(APP_ID, "demo-oa-secret-key", "demo-app-secret", OA)
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"


def _utc() -> datetime:
    return datetime.now(UTC)


def make_app() -> Flask:
    """gunicorn 'bench.webhook:make_app()': the real app plus the bare baseline route."""
    from bot import create_app

    app = create_app()
    app.add_url_rule("/bare", "bare", lambda: ("", 200), methods=["POST"])
    return app


@dataclass
class Result:
    route: str
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


# --- load generation ----------------------------------------------------------------------


def signed_request(port: int, index: int, run: str) -> bytes:
    """A distinct, signed delivery as raw HTTP/1.1 bytes (built before the clock starts)."""
    body = json.dumps(
        {
            "app_id": APP_ID,
            "event_name": "user_send_text",
            "sender": {"id": f"7{index % 997:017d}"},
            "recipient": {"id": OA},
            "user_id_by_app": "552177279717587730",
            "message": {"msg_id": f"{run}-{index}", "text": "Đèn đường tổ 5 bị hỏng 3 hôm nay"},
            "timestamp": str(int(time.time() * 1000)),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    ts = json.loads(body)["timestamp"]
    header = signature.sign(body, secrets=SECRETS, timestamp=ts)
    return _http("/webhooks/zalo", port, body, f"{signature.HEADER}: {header}\r\n")


def _http(path: str, port: int, body: bytes, extra: str = "") -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n{extra}\r\n"
    )
    return head.encode() + body


async def _one(port: int, request: bytes) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        await writer.drain()
        status = int((await reader.readline()).split()[1])
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        if length:
            await reader.readexactly(length)
        return status
    finally:
        writer.close()


async def _load(port: int, requests_: list[bytes], connections: int, seconds: float) -> Result:
    latencies: list[float] = []
    errors = 0
    position = 0
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal errors, position
        while time.perf_counter() < deadline and position < len(requests_):
            request = requests_[position]
            position += 1
            started = time.perf_counter()
            try:
                status = await _one(port, request)
            except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
                status = 0
            if status == 200:
                latencies.append(time.perf_counter() - started)
            else:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    return Result("", len(latencies), errors, time.perf_counter() - started, latencies)


def run_load(port: int, requests_: list[bytes], connections: int, seconds: float) -> Result:
    return asyncio.run(_load(port, requests_, connections, seconds))


# --- the server ---------------------------------------------------------------------------


def start_server(
    url: str, port: int, workdir: Path, args: argparse.Namespace, standin: StandIn
) -> list[subprocess.Popen]:
    """gunicorn, the worker processes and the scheduler (the operator's set of processes)."""
    env = {
        **os.environ,
        "PAKN_DEMO": "1",
        "DATABASE_URL": url,
        "ZALO_API_BASE": standin.base_url,
        "ZALO_OAUTH_BASE": standin.base_url,
        "ZALO_OA_ID": OA,
        "ATTACHMENT_DIR": str(workdir / "attachments"),
        "LOG_LEVEL": "WARNING",
    }
    options = ["-w", str(args.workers), "--worker-class", args.worker_class]
    options += ["--threads", str(args.threads), "--no-control-socket", "--backlog", "2048"]
    web = start_gunicorn("bench.webhook:make_app()", port, env, workdir / "gunicorn.log", options)
    others = [
        start_command("wsgi", "worker", env, workdir / f"worker-{n}.log")
        for n in range(args.processing_workers)
    ]
    if args.processing_workers:
        others.append(start_command("wsgi", "scheduler", env, workdir / "scheduler.log"))
    return [web, *others]


def stop_server(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# --- one backend --------------------------------------------------------------------------


def bench_backend(name: str, url: str, args: argparse.Namespace, workdir: Path) -> dict:
    engine = make_engine(url)
    migrate.upgrade(engine)
    standin = start_standin()
    access, refresh = standin.state.issue_pair()
    with transaction(make_sessionmaker(engine)) as session:
        store_pair(session, TokenPair(access, refresh, 90000), now=_utc(), source="bench")
    port = free_port()
    server = start_server(url, port, workdir, args, standin)
    try:
        expected = int(args.seconds * 6000)  # more than the server can take in that time
        bare_request = _http("/bare", port, b'{"ok":true}')
        run_load(port, [bare_request] * 2000, args.connections, 2)  # warm-up
        results: dict[str, list[Result]] = {"bare": [], "webhook": []}
        for round_ in range(args.rounds):
            results["bare"].append(
                run_load(port, [bare_request] * expected, args.connections, args.seconds)
            )
            tag = f"{name}-{round_}-{uuid.uuid4().hex[:6]}"
            deliveries = [signed_request(port, i, tag) for i in range(expected)]
            results["webhook"].append(run_load(port, deliveries, args.connections, args.seconds))
    finally:
        stop_server(server)
        sent = len(standin.state.sent_to(None))
        standin.close()
    with engine.connect() as conn:
        stored = conn.execute(select(func.count(InboundEvent.id))).scalar_one()
        processed = conn.execute(
            select(func.count(InboundEvent.id)).where(InboundEvent.state == "processed")
        ).scalar_one()
    engine.dispose()
    accepted = sum(r.requests for r in results["webhook"])
    best = {k: max(v, key=lambda r: r.rps) for k, v in results.items()}
    return {
        "backend": name,
        "bare": best["bare"],
        "webhook": best["webhook"],
        "stored": stored,
        "processed": processed,
        "replies": sent,
        "accepted": accepted,
        "errors": sum(r.errors for rs in results.values() for r in rs),
    }


def _pg_database(admin: str, async_commit: bool) -> tuple[str, str]:
    name = f"pakn_bench_webhook_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
        if async_commit:  # diagnosis only: shows what the WAL fsync per commit costs
            conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    url = make_url(admin.replace("postgresql://", "postgresql+psycopg://", 1)).set(database=name)
    return name, url.render_as_string(hide_password=False)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1, help="per worker (gthread)")
    parser.add_argument(
        "--processing-workers",
        type=int,
        default=1,
        help="`flask worker` processes (and the scheduler) running meanwhile; 0: none",
    )
    parser.add_argument("--pg", default=os.environ.get("PAKN_TEST_POSTGRES", DEFAULT_PG))
    parser.add_argument(
        "--pg-async-commit",
        action="store_true",
        help="diagnosis, NOT the product: synchronous_commit=off on the bench database",
    )
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="pakn-bench-webhook-") as tmp:
        workdir = Path(tmp)
        if args.backend in ("sqlite", "both"):
            rows.append(
                bench_backend("sqlite", f"sqlite:///{workdir / 'bench.sqlite3'}", args, workdir)
            )
        if args.backend in ("postgresql", "both"):
            name, url = _pg_database(args.pg, args.pg_async_commit)
            try:
                rows.append(bench_backend("postgresql", url, args, workdir))
            finally:
                with psycopg.connect(args.pg, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(
        f"\nwebhook vs bare route — gunicorn {args.workers} {args.worker_class} workers × "
        f"{args.threads} threads, {args.connections} connections, {args.seconds:.0f} s × "
        f"{args.rounds} rounds (best), {args.processing_workers} processing worker(s) + "
        f"scheduler, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f}, Python {sys.version.split()[0]}"
    )
    print(f"{'backend':<11}{'route':<9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    failed = False
    targets = {"sqlite": 0.5, "postgresql": 0.4}
    for row in rows:
        for route in ("bare", "webhook"):
            r = row[route]
            print(
                f"{row['backend']:<11}{route:<9}{r.rps:>9.0f}{r.pct(0.5):>9.1f}{r.pct(0.99):>9.1f}"
                f"{r.errors:>8}"
            )
        ratio = row["webhook"].rps / row["bare"].rps
        p99 = row["webhook"].pct(0.99)
        target = targets[row["backend"]]
        ok = ratio >= target and row["stored"] == row["accepted"]
        failed |= not ok
        print(
            f"{'':<11}ratio webhook/bare = {ratio:.2f} (target ≥ {target}), webhook p99 "
            f"{p99:.1f} ms, stored {row['stored']} / 200s {row['accepted']}, processed meanwhile "
            f"{row['processed']}, replies sent {row['replies']} → {'MEETS' if ok else 'MISSES'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
