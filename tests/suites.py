"""Run the whole test suite on SQLite and on PostgreSQL and print one summary.

`make test` calls this. PostgreSQL: the server at PAKN_TEST_POSTGRES (default
127.0.0.1:5432, trust auth); if none answers, a throwaway cluster is started from the
installed server binaries; if there are none, the PostgreSQL run is skipped loudly — and under
CI=true that is a failure. Each run gets a database of its own, dropped afterwards. Under
CI=true a skipped test fails the run. PAKN_TEST_BACKENDS=sqlite runs SQLite alone, on purpose
(the CI step that moves the clock ahead, which a PostgreSQL server outside it would not see).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
import xml.etree.ElementTree as ET  # noqa: S405 - parses our own pytest report
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass
from glob import glob
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass
class Outcome:
    name: str
    exit_code: int
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0


def _pg_answers(dsn: str) -> bool:
    try:
        with psycopg.connect(dsn, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _throwaway_cluster() -> Iterator[str | None]:
    """Start a private PostgreSQL from the installed binaries; yield its DSN (or None)."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        yield None
        return
    workdir = Path(tempfile.mkdtemp(prefix="pakn-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root; run it as the postgres system user
        prefix = ["runuser", "-u", "postgres", "--"]
        shutil.chown(workdir, "postgres")
    port = _free_port()
    data = workdir / "data"
    try:
        subprocess.run(
            [*prefix, initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                *prefix,
                pg_ctl,
                "-D",
                str(data),
                "-w",
                "-l",
                str(workdir / "log"),
                "-o",
                f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1",
                "start",
            ],
            check=True,
            capture_output=True,
        )
        print(f"tests: started a throwaway PostgreSQL on port {port}")
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        with suppress(Exception):
            subprocess.run(
                [*prefix, pg_ctl, "-D", str(data), "-m", "fast", "stop"],
                capture_output=True,
                check=False,
            )
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def _pg_database(admin_dsn: str) -> Iterator[str]:
    """A fresh database for one run, dropped afterwards; yields a SQLAlchemy URL."""
    name = f"pakn_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin_dsn.rsplit("/", 1)[0]
    try:
        yield f"{base.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run_pytest(name: str, url: str, extra: list[str], workdir: Path) -> Outcome:
    report = workdir / f"{name}.xml"
    env = {**os.environ, "PAKN_TEST_DATABASE_URL": url, "PAKN_TEST_BACKEND": name}
    print(f"\n===== {name}: {url.split('@')[-1]} =====", flush=True)
    started = time.monotonic()
    code = subprocess.call(
        [sys.executable, "-m", "pytest", f"--junitxml={report}", *extra], cwd=ROOT, env=env
    )
    outcome = Outcome(name, code, seconds=time.monotonic() - started)
    if report.exists():
        suite = ET.parse(report).getroot()  # noqa: S314 - our own file
        suite = suite if suite.tag == "testsuite" else suite[0]
        total = int(suite.get("tests", 0))
        outcome.failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        outcome.skipped = int(suite.get("skipped", 0))
        outcome.passed = total - outcome.failed - outcome.skipped
    return outcome


def main(argv: list[str]) -> int:
    ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    workdir = Path(tempfile.mkdtemp(prefix="pakn-tests-"))
    outcomes: list[Outcome] = []
    notes: list[str] = []
    sqlite_url = f"sqlite:///{workdir / 'test.sqlite3'}"
    outcomes.append(_run_pytest("sqlite", sqlite_url, argv, workdir))
    if os.environ.get("PAKN_TEST_BACKENDS", "sqlite,postgresql").strip() == "sqlite":
        shutil.rmtree(workdir, ignore_errors=True)
        return _summarise(outcomes, [], ci)

    admin_dsn = os.environ.get("PAKN_TEST_POSTGRES", DEFAULT_PG)
    with nullcontext(admin_dsn) if _pg_answers(admin_dsn) else _throwaway_cluster() as dsn:
        if dsn is None:
            notes.append("PostgreSQL went UNTESTED: no server answers and no server binaries.")
        else:
            with _pg_database(dsn) as url:
                outcomes.append(_run_pytest("postgresql", url, argv, workdir))
    shutil.rmtree(workdir, ignore_errors=True)
    return _summarise(outcomes, notes, ci)


def _summarise(outcomes: list[Outcome], notes: list[str], ci: bool) -> int:
    print("\n===== summary =====")
    failed = False
    for o in outcomes:
        print(
            f"{o.name:<11} {o.passed} passed, {o.failed} failed, {o.skipped} skipped "
            f"({o.seconds:.0f}s, exit {o.exit_code})"
        )
        failed |= o.exit_code != 0
        if ci and o.skipped:
            print(f"FAIL: {o.skipped} skipped test(s) on {o.name}; CI allows no skips.")
            failed = True
    for note in notes:
        print("!" * 72 + f"\n!! {note}\n" + "!" * 72)
        if ci:
            print("FAIL: CI requires the PostgreSQL run.")
            failed = True
    print(f"{sum(o.passed for o in outcomes)} passed, {sum(o.failed for o in outcomes)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
