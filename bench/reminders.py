"""Reminder jobs at scale: 1,000,000 petitions of which 50,000 are due, on SQLite and PostgreSQL.

    .venv/bin/python bench/reminders.py                      # both backends, 1M rows, 50k due
    .venv/bin/python bench/reminders.py --rows 100000 --due 5000 --backend sqlite

For each backend: build the database (migrate, seed, bulk-load), then in a fresh process run
one full pass of every reminder job and print its time and peak memory next to the baseline,
a single indexed count query over the same rows (ix_petitions_state_next_due). Then a re-run
(everything already claimed) and a pass on a day when nothing is due. PostgreSQL comes from
PAKN_BENCH_POSTGRES (default postgresql://postgres@127.0.0.1:5432/postgres); a throwaway
database is created and dropped.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, func, insert, select  # noqa: E402

from handlers.workflow.calendar import WorkCalendar, end_of_day, start_of_day  # noqa: E402
from storage.models import (  # noqa: E402
    Agency,
    Category,
    Citizen,
    Forward,
    Petition,
    StaffUser,
    Ward,
    staff_wards,
)

JOBS = (
    "supervisors-digest",
    "reminders-triage",
    "reminders-decision",
    "reminders-relay",
    "reminders-agency",
    "reminders-satisfaction",
    "monthly-report",
)
#: Friday 06/11/2026, 08:30 in Vietnam: the day everything below is due.
NOW = datetime(2026, 11, 6, 1, 30, tzinfo=UTC)
#: A quiet day: nothing's rung has come yet.
QUIET = datetime(2026, 9, 15, 1, 30, tzinfo=UTC)
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
NO_LOGIN = "!"  # not a hash: these bench accounts cannot sign in

#: The 50,000 due, per 50,000: (name, count). Each kind fires one rung on NOW's morning.
DUE_MIX = (
    ("triage", 6000),
    ("triage_hard", 2000),
    ("decision_warn", 4000),
    ("decision_late", 3000),
    ("agency_remind", 6000),
    ("agency_overdue", 6000),
    ("agency_letter2", 4000),
    ("agency_agenda", 4000),
    ("relay", 5000),
    ("feedback_remind", 5000),
    ("auto_close", 5000),
)
OPEN_NOT_DUE = 50_000


# ----------------------------------------------------------------------------- building


def _defaults(table: Any) -> dict[str, Any]:
    """Every column, with its scalar default or None (executemany wants uniform rows)."""
    values: dict[str, Any] = {column.name: None for column in table.columns}
    for column in table.columns:
        default = column.default
        if default is not None and not callable(getattr(default, "arg", None)):
            values[column.name] = default.arg
    return values


def _petitions(rows: int, due: int, cal: WorkCalendar, refs: dict[str, Any]) -> Iterator[dict]:
    """Every petition row, with its forward (if any) as a `_forward` key."""
    today = NOW.date()
    wd = cal.add_working_days
    scale = due / sum(n for _, n in DUE_MIX)
    rng = random.Random(7)  # noqa: S311 - test data
    base = _defaults(Petition.__table__) | {"suggestions": {}, "paused_days": 0}
    pid = 0

    def row(state: str, **values: Any) -> dict[str, Any]:
        nonlocal pid
        pid += 1
        ward = refs["wards"][pid % len(refs["wards"])]
        received = values.pop("received_at", NOW - timedelta(days=rng.randint(30, 900)))
        return base | {
            "id": pid,
            "code": f"TK-B-{pid:07d}",
            "state": state,
            "channel": "zalo",
            "ward_id": ward,
            "category_id": refs["categories"][pid % len(refs["categories"])],
            "legal_type": "phan_anh",
            "urgent": False,
            "summary": "",
            "text": "",
            "search_text": "",
            "needs_manual_classification": False,
            "received_at": received,
            "created_at": received,
            "updated_at": received,
            "citizen_id": None,
            **values,
        }

    forward_base = _defaults(Forward.__table__)
    forward_base.pop("id")

    def forward(p: dict[str, Any], due_on: date, **values: Any) -> dict[str, Any]:
        agencies = refs["agencies"][p["ward_id"]]
        p["_forward"] = forward_base | {
            "petition_id": p["id"],
            "agency_id": agencies[p["id"] % len(agencies)],
            "channel": "van_ban",
            "document_number": f"{p['id']}/MTTQ",
            "sent_on": due_on - timedelta(days=10),
            "handler_due_on": due_on,
            "deadline_version": 1,
            "active": True,
            "created_at": NOW - timedelta(days=20),
            **values,
        }
        return p

    def open_row(state: str, **values: Any) -> dict[str, Any]:
        p = row(state, **values)
        p["citizen_id"] = p["id"]  # citizens are created with the same ids
        return p

    for kind, n in DUE_MIX:
        for _ in range(round(n * scale)):
            yield _due_row(kind, open_row, forward, cal, today, wd)
    for n in range(OPEN_NOT_DUE * due // 50_000):
        if n % 5 == 0:
            yield open_row(
                "received",
                triage_due_on=today,
                triage_hard_due_on=wd(today, 2),
                decision_due_on=today + timedelta(days=10),
                received_at=NOW,
                next_due_at=end_of_day(today),
            )
        elif n % 5 in (1, 2):
            p = open_row("forwarded", decided_at=NOW - timedelta(days=3))
            yield forward(p, wd(today, 15))
        else:
            yield open_row(
                "triaged",
                decision_due_on=today + timedelta(days=9),
                next_due_at=end_of_day(today + timedelta(days=9)),
            )
    closed = rows - pid
    for n in range(closed):
        p = row("closed", close_reason="resolved", closed_at=NOW - timedelta(days=30))
        if n % 2 == 0:
            forward(
                p,
                today - timedelta(days=60),
                active=False,
                answered_at=NOW - timedelta(days=62),
                answer_text="Đã xử lý",
            )
        yield p


def _due_row(
    kind: str, open_row: Any, forward: Any, cal: WorkCalendar, today: date, wd: Any
) -> dict[str, Any]:
    """One petition whose `kind` rung fires on NOW's morning."""
    yesterday = wd(today, -1)
    if kind in ("triage", "triage_hard"):
        hard = today if kind == "triage_hard" else wd(today, 1)
        target = wd(today, -1) if kind == "triage" else wd(today, -2)
        return open_row(
            "received",
            triage_due_on=target,
            triage_hard_due_on=hard,
            decision_due_on=today + timedelta(days=8),
            received_at=start_of_day(wd(today, -2)),
            next_due_at=end_of_day(yesterday),
        )
    if kind in ("decision_warn", "decision_late"):
        due = wd(today, 1) if kind == "decision_warn" else yesterday
        return open_row("triaged", decision_due_on=due, next_due_at=end_of_day(due))
    if kind.startswith("agency_"):
        offset = {
            "agency_remind": 2,
            "agency_overdue": -1,
            "agency_letter2": -10,
            "agency_agenda": -20,
        }[kind]
        due = wd(today, offset)
        p = open_row("forwarded", decided_at=NOW - timedelta(days=40), next_due_at=end_of_day(due))
        return forward(p, due)
    if kind == "relay":
        p = open_row(
            "agency_answered",
            decided_at=NOW - timedelta(days=20),
            result_relay_due_on=yesterday,
            next_due_at=end_of_day(yesterday),
        )
        return forward(
            p,
            wd(today, -5),
            active=False,
            answered_at=NOW - timedelta(days=4),
            answer_text="Đã xử lý",
        )
    sent = wd(today, -5) if kind == "feedback_remind" else wd(today, -11)
    p = open_row(
        "result_sent",
        decided_at=start_of_day(sent),
        result_sent_at=start_of_day(sent),
        next_due_at=end_of_day(wd(sent, 10)),
    )
    return forward(
        p,
        wd(sent, -3),
        active=False,
        answered_at=start_of_day(wd(sent, -1)),
        answer_text="Đã xử lý",
    )


def build(url: str, rows: int, due: int) -> dict[str, float]:
    """Migrate, seed and load the rows; return the seconds each step took."""
    from handlers.seed import seed_reference
    from storage import migrate
    from storage.db import make_engine, make_sessionmaker, transaction

    timings: dict[str, float] = {}
    engine = make_engine(url)
    started = time.perf_counter()
    migrate.upgrade(engine)
    with transaction(make_sessionmaker(engine)) as session:
        seed_reference(session)
        refs = _reference(session)
        cal = WorkCalendar.load(session)
    timings["migrate+seed"] = time.perf_counter() - started
    started = time.perf_counter()
    _load(engine, _petitions(rows, due, cal, refs))
    timings["load"] = time.perf_counter() - started
    started = time.perf_counter()
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
        else:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    timings["analyze"] = time.perf_counter() - started
    engine.dispose()
    return timings


def _reference(session: Any) -> dict[str, Any]:
    """Staff with emails, agencies with contacts, and the ids the rows point at."""
    wards = session.scalars(select(Ward.id).order_by(Ward.id)).all()
    agencies: dict[int, list[int]] = {}
    for ward in wards:
        found = session.scalars(select(Agency).where(Agency.ward_id == ward)).all()
        for agency in found:
            agency.contact_email = f"vanthu.{agency.code}@coquan.test"
            session.add(
                StaffUser(
                    username=f"lienlac_{agency.code}",
                    password_hash=NO_LOGIN,
                    role="agency",
                    agency_id=agency.id,
                    email=f"lienlac.{agency.code}@coquan.test",
                )
            )
        agencies[ward] = [a.id for a in found]
        staff = StaffUser(
            username=f"canbo_{ward}",
            password_hash=NO_LOGIN,
            role="staff",
            email=f"canbo{ward}@mttq.test",
        )
        session.add(staff)
        session.flush()
        session.execute(insert(staff_wards).values(staff_id=staff.id, ward_id=ward))
    session.add(
        StaffUser(
            username="lanhdao", password_hash=NO_LOGIN, role="supervisor", email="lanhdao@mttq.test"
        )
    )
    return {
        "wards": wards,
        "categories": session.scalars(select(Category.id).order_by(Category.id)).all(),
        "agencies": agencies,
    }


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value)
    return value


def _bulk(conn: Any, table: str, rows: list[dict[str, Any]]) -> None:
    """COPY on PostgreSQL, executemany on SQLite: the ORM would take minutes for 1M rows."""
    if not rows:
        return
    columns = list(rows[0])
    raw = conn.connection.dbapi_connection
    names = ", ".join(columns)
    if conn.dialect.name == "postgresql":
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([json.dumps(v) if isinstance(v, dict) else v for v in row.values()])
        return
    marks = ", ".join("?" for _ in columns)
    cur = raw.cursor()
    cur.executemany(
        f"INSERT INTO {table} ({names}) VALUES ({marks})",
        [[_sqlite_value(v) for v in row.values()] for row in rows],
    )
    cur.close()


def _load(engine: Engine, rows: Iterator[dict[str, Any]], chunk: int = 20_000) -> None:
    """Bulk-insert petitions, their citizens and forwards in chunks."""
    petitions, forwards, citizens = [], [], []
    citizen_base = _defaults(Citizen.__table__)

    def flush() -> None:
        with engine.begin() as conn:
            _bulk(conn, "citizens", citizens)
            _bulk(conn, "petitions", petitions)
            _bulk(conn, "forwards", forwards)
        petitions.clear(), forwards.clear(), citizens.clear()

    for p in rows:
        fwd = p.pop("_forward", None)
        if p["citizen_id"] is not None:
            citizens.append(
                citizen_base
                | {
                    "id": p["id"],
                    "zalo_user_id": f"zb{p['id']:012d}",
                    "following": True,
                    "abuse_count": 0,
                    "consent_at": NOW - timedelta(days=100),
                    "last_interaction_at": NOW - timedelta(days=1),
                    "created_at": NOW,
                }
            )
        petitions.append(p)
        if fwd is not None:
            forwards.append(fwd)
        if len(petitions) >= chunk:
            flush()
    if petitions:
        flush()
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            for table in ("petitions", "citizens", "forwards"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )


# ----------------------------------------------------------------------------- measuring


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would carry the parent's peak
    across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(url: str, now: datetime, letters: str) -> dict[str, Any]:
    """One full pass of every job in this (fresh) process: seconds and peak memory."""
    from handlers.jobs import JobContext, run_job
    from handlers.reminders.config import ReminderConfig
    from handlers.reminders.jobs import JOBS as REMINDER_JOBS
    from handlers.reports.jobs import JOBS as REPORT_JOBS
    from handlers.services import Services
    from handlers.workflow.clocks import CLOCKED_STATES
    from storage.db import make_engine, make_sessionmaker

    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    rss_before = _peak_mb()
    started = time.perf_counter()
    with engine.connect() as conn:
        count = conn.execute(
            select(func.count())
            .select_from(Petition)
            .where(Petition.state.in_(sorted(CLOCKED_STATES)), Petition.next_due_at <= now)
        ).scalar()
    baseline = time.perf_counter() - started
    services = Services(reminders=ReminderConfig(letter_dir=letters, batch_size=2000))
    per_job: dict[str, Any] = {}
    total = time.perf_counter()
    for name in JOBS:
        started = time.perf_counter()
        ctx = JobContext(sessions=sessions, now=now, services=services)
        result = run_job({**REMINDER_JOBS, **REPORT_JOBS}, name, ctx)
        per_job[name] = {"seconds": round(time.perf_counter() - started, 3), **result}
    total_seconds = time.perf_counter() - total
    engine.dispose()
    return {
        "baseline_count": count,
        "baseline_seconds": round(baseline, 4),
        "pass_seconds": round(total_seconds, 2),
        "peak_rss_mb": round(_peak_mb(), 1),
        "rss_after_imports_mb": round(rss_before, 1),
        "jobs": per_job,
    }


def _measure_in_child(url: str, now: datetime, letters: Path) -> dict[str, Any]:
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--measure",
            url,
            "--now",
            now.isoformat(),
            "--letters",
            str(letters),
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def run_backend(name: str, url: str, rows: int, due: int, workdir: Path) -> dict[str, Any]:
    print(f"\n=== {name}: building {rows:,} petitions ({due:,} due) ===", flush=True)
    timings = build(url, rows, due)
    print("  build: " + ", ".join(f"{k} {v:.1f}s" for k, v in timings.items()), flush=True)
    letters = workdir / f"letters-{name}"
    full = _measure_in_child(url, NOW, letters)
    again = _measure_in_child(url, NOW + timedelta(hours=1), letters)
    _measure_in_child(url, QUIET, letters)  # stores the quiet month's stats and its digest
    quiet = _measure_in_child(url, QUIET + timedelta(hours=1), letters)
    files = list(letters.rglob("*.docx"))
    size = sum(f.stat().st_size for f in files) / 2**20
    return {
        "build": timings,
        "full": full,
        "rerun": again,
        "quiet": quiet,
        "letters": len(files),
        "letters_mb": round(size, 1),
    }


def _print(name: str, result: dict[str, Any]) -> None:
    full, rerun, quiet = result["full"], result["rerun"], result["quiet"]
    print(f"\n--- {name} ---")
    print(f"{'':28}{'seconds':>10}{'peak MB':>10}")
    print(
        f"{'baseline: indexed count':28}{full['baseline_seconds']:>10.3f}{'':>10}"
        f"   ({full['baseline_count']:,} rows counted)"
    )
    print(f"{'full pass (every job)':28}{full['pass_seconds']:>10.2f}{full['peak_rss_mb']:>10.1f}")
    for job, info in full["jobs"].items():
        shown = ("due", "acted", "deferred", "letters", "emails", "citizens", "closed", "digests")
        extra = {k: v for k, v in info.items() if k in shown}
        print(f"  {job:26}{info['seconds']:>10.2f}   {extra}")
    print(f"{'re-run, 1 h later':28}{rerun['pass_seconds']:>10.2f}{rerun['peak_rss_mb']:>10.1f}")
    for job, info in rerun["jobs"].items():
        if info.get("acted"):
            print(f"  {job:26}{info['seconds']:>10.2f}   acted {info['acted']} (capped backlog)")
    print(f"{'nothing due':28}{quiet['pass_seconds']:>10.2f}{quiet['peak_rss_mb']:>10.1f}")
    print(
        f"letters written: {result['letters']:,} ({result['letters_mb']} MB); "
        f"memory after imports: {full['rss_after_imports_mb']} MB"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=50_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--measure")
    parser.add_argument("--now")
    parser.add_argument("--letters")
    args = parser.parse_args()
    if args.measure:
        print(
            json.dumps(
                measure(args.measure, datetime.fromisoformat(args.now), args.letters), default=str
            )
        )
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="pakn-bench-reminders-"))
    results: dict[str, Any] = {}
    try:
        if args.backend in ("sqlite", "both"):
            url = f"sqlite:///{workdir / 'bench.sqlite3'}"
            results["sqlite"] = run_backend("sqlite", url, args.rows, args.due, workdir)
            _print("SQLite", results["sqlite"])
        if args.backend in ("postgresql", "both"):
            results["postgresql"] = _with_pg(args.rows, args.due, workdir)
            _print("PostgreSQL", results["postgresql"])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str))
    return 0


def _with_pg(rows: int, due: int, workdir: Path) -> dict[str, Any]:
    import psycopg

    admin = os.environ.get("PAKN_BENCH_POSTGRES", DEFAULT_PG)
    name = f"pakn_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        return run_backend("postgresql", f"{base}/{name}", rows, due, workdir)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
