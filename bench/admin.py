"""Benchmark the admin inbox at 1,000,000 petitions on SQLite and PostgreSQL.

Generates petitions (texts from nlp/data/petitions, 3 years of history, ~18 % still open),
then times the inbox's real queries (handlers.workflow.inbox.build_query) — the default
view, filtered views, a deep keyset page and diacritics-insensitive searches — side by side
with a plain indexed `SELECT … ORDER BY id DESC LIMIT 50` on the same table.

    .venv/bin/python -m bench.admin --backend sqlite --rows 1000000
    .venv/bin/python -m bench.admin --backend postgresql --rows 1000000 \
        --pg postgresql+psycopg://postgres@127.0.0.1:5432/postgres

Databases are built once under bench/results/ (SQLite) or as `pakn_bench_<rows>`
(PostgreSQL) and reused; --rebuild starts over.
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Engine, func, make_url, select, text
from sqlalchemy.orm import Session

from handlers.seed import seed_reference
from handlers.workflow import SYSTEM, Actor
from handlers.workflow.inbox import InboxFilter, build_query, count_matching, inbox_page
from nlp.normalize import fold
from storage import migrate
from storage.db import make_engine
from storage.models import Category, Petition, StaffUser, Ward
from storage.models.enums import PetitionState, Role

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
OPEN_MIX = [
    ("received", 4),
    ("triaged", 3),
    ("need_info", 1),
    ("forwarded", 5),
    ("agency_acknowledged", 2),
    ("agency_answered", 1),
    ("result_sent", 1),
    ("reopened", 1),
]
COLUMNS = (
    "id code state channel citizen_id unit_id ward_id category_id legal_type urgent summary text "
    "callback_phone search_text suggestions category_confidence needs_manual_classification "
    "assignee_id received_at next_due_at paused_days created_at updated_at"
).split()


# ---------------------------------------------------------------- data


def _texts() -> list[str]:
    out = []
    for path in sorted((ROOT / "nlp" / "data" / "petitions").glob("*.jsonl")):
        out += [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines() if line]
    return out


def _rows(n: int, wards: list[int], cats: list[int], staff: list[int]) -> Iterator[tuple[Any, ...]]:
    rng = random.Random(6)
    texts = _texts()
    legal = ["phan_anh"] * 5 + ["kien_nghi"] * 3 + ["khieu_nai", "to_cao", "hoi_dap"]
    states, weights = zip(*OPEN_MIX, strict=True)
    start = NOW - timedelta(days=3 * 365)
    span = (NOW - start).total_seconds()
    for i in range(1, n + 1):
        received = start + timedelta(seconds=span * i / n + rng.random() * 60)
        month = f"{received:%y%m}"
        code = f"TK-{month}-{i:06d}"
        recent = (NOW - received).days < 200
        state = rng.choices(states, weights)[0] if recent and rng.random() < 0.55 else "closed"
        if not recent and rng.random() < 0.01:
            state = rng.choices(states, weights)[0]
        phone = f"09{rng.randrange(10**8):08d}" if rng.random() < 0.3 else None
        body = (
            f"{rng.choice(texts)} (số nhà {rng.randrange(1, 400)}, khối phố {rng.randrange(1, 12)})"
        )
        due = None
        if state not in ("closed", "need_info"):
            due = received + timedelta(days=rng.choice([1, 3, 5, 10, 30, 40]))
        conf = round(rng.random(), 3)
        yield (
            i,
            code,
            state,
            "zalo",
            None,
            None,
            rng.choice(wards),
            rng.choice(cats),
            rng.choice(legal),
            rng.random() < 0.03,
            body[:120],
            body,
            phone,
            fold(" ".join(x for x in (code, body[:120], body, phone or "") if x)),
            "{}",
            conf,
            conf < 0.35,
            rng.choice(staff) if rng.random() < 0.7 else None,
            received,
            due,
            0,
            received,
            received,
        )


def build(engine: Engine, n: int) -> None:
    """Migrate, seed, and bulk-load n petitions (COPY on PostgreSQL, executemany on SQLite)."""
    migrate.upgrade(engine)
    with Session(engine) as s, s.begin():
        seed_reference(s)
        if not s.scalar(select(func.count()).select_from(StaffUser)):
            from handlers.accounts import create_user

            for k in range(20):
                ward = ["tam_ky", "quang_phu", "ban_thach", "huong_tra"][k % 4]
                create_user(
                    s,
                    username=f"bench{k}",
                    password=secrets.token_urlsafe(12),
                    role="staff",
                    ward_codes=[ward],
                )
    with Session(engine) as s:
        wards = list(s.scalars(select(Ward.id)))
        cats = list(s.scalars(select(Category.id)))
        staff = list(s.scalars(select(StaffUser.id)))
    started = time.perf_counter()
    if engine.dialect.name == "postgresql":
        _copy_pg(engine, _rows(n, wards, cats, staff))
    else:
        _insert_sqlite(engine, _rows(n, wards, cats, staff))
    print(f"loaded {n:,} petitions in {time.perf_counter() - started:.0f}s", flush=True)


def _insert_sqlite(engine: Engine, rows: Iterator[tuple[Any, ...]]) -> None:
    sql = f"INSERT INTO petitions ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("BEGIN")
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(tuple(_sqlite_value(v) for v in row))
            if len(batch) == 20_000:
                cur.executemany(sql, batch)
                batch.clear()
        cur.executemany(sql, batch)
        cur.execute("COMMIT")
        cur.execute("ANALYZE")
    finally:
        raw.close()


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ")
    return value


def _copy_pg(engine: Engine, rows: Iterator[tuple[Any, ...]]) -> None:
    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url) as conn:
        with conn.cursor() as cur:
            with cur.copy(f"COPY petitions ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        conn.execute("SELECT setval('petitions_id_seq', (SELECT max(id) FROM petitions))")
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE petitions")


# ---------------------------------------------------------------- timing


def _time(fn: Callable[[], Any], runs: int) -> tuple[float, float, int]:
    for _ in range(3):
        fn()
    samples, count = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        count = len(fn())
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[max(0, int(round(0.95 * len(samples))) - 1)]
    return statistics.median(samples), p95, count


def run(engine: Engine, runs: int) -> list[tuple[str, float, float, int]]:
    """Time each query; return (name, p50 ms, p95 ms, rows)."""
    dialect = engine.dialect.name
    out = []
    with Session(engine) as s:
        total = s.scalar(select(func.count()).select_from(Petition))
        ward = s.scalar(select(Ward).where(Ward.code == "quang_phu"))
        cat = s.scalar(select(Category.id).where(Category.code == "moi_truong"))
        assert ward is not None
        staff = Actor(type="staff", id=1, role=Role.STAFF, ward_ids=frozenset({ward.id}))
        cursor = None
        for _ in range(200):  # 200 pages = 10,000 rows deep
            cursor = inbox_page(s, SYSTEM, InboxFilter(), now=NOW, cursor=cursor).next_cursor
        deep = cursor

        def inbox(actor: Actor, f: InboxFilter, after: str | None = None) -> Callable[[], Any]:
            stmt = build_query(actor, f, now=NOW, dialect=dialect, cursor=after)
            return lambda: s.execute(stmt).all()

        baseline = text(
            "SELECT id, code, received_at, ward_id, category_id, state, next_due_at "
            "FROM petitions ORDER BY id DESC LIMIT 50"
        )

        def counted(actor: Actor, f: InboxFilter, cap: int | None = None) -> Callable[[], Any]:
            return lambda: [count_matching(s, actor, f, now=NOW, cap=cap)]

        cases: list[tuple[str, Callable[[], Any]]] = [
            ("baseline: SELECT … ORDER BY id DESC LIMIT 50", lambda: s.execute(baseline).all()),
            ("inbox default (open, newest first)", inbox(SYSTEM, InboxFilter())),
            ("inbox default, staff of one ward", inbox(staff, InboxFilter())),
            (
                "filter: ward + field + open, by deadline",
                inbox(SYSTEM, InboxFilter(ward_id=ward.id, category_id=cat, sort="deadline")),
            ),
            (
                "filter: overdue, most overdue first",
                inbox(SYSTEM, InboxFilter(overdue=True, sort="deadline")),
            ),
            ("filter: overdue, newest first", inbox(SYSTEM, InboxFilter(overdue=True))),
            (
                "filter: forwarded + urgent, all time",
                inbox(SYSTEM, InboxFilter(state=PetitionState.FORWARDED, urgent=True)),
            ),
            (
                "filter: closed (history), staff ward",
                inbox(staff, InboxFilter(state=PetitionState.CLOSED)),
            ),
            (
                "filter: unassigned + needs manual",
                inbox(SYSTEM, InboxFilter(unassigned=True, manual=True)),
            ),
            ("deep page (keyset, 10,000 rows in)", inbox(SYSTEM, InboxFilter(), deep)),
            ("total shown above the list: default", counted(SYSTEM, InboxFilter())),
            ("total: staff of one ward", counted(staff, InboxFilter())),
            ("total: overdue", counted(SYSTEM, InboxFilter(overdue=True, sort="deadline"))),
            ("total: all states", counted(SYSTEM, InboxFilter(state="all"))),
            (
                "total: search 'đèn đường hư', counted to 1,000",
                counted(SYSTEM, InboxFilter(state="all", q="đèn đường hư"), cap=1000),
            ),
            ("search 'ngap nuoc' (open)", inbox(SYSTEM, InboxFilter(q="ngap nuoc"))),
            (
                "search 'đèn đường hư' (all states)",
                inbox(SYSTEM, InboxFilter(state="all", q="đèn đường hư")),
            ),
            (
                "search by code (all states)",
                inbox(SYSTEM, InboxFilter(state="all", q="TK-2611-999")),
            ),
            (
                "search by phone digits (all states)",
                inbox(SYSTEM, InboxFilter(state="all", q="0912345")),
            ),
        ]
        print(f"\n{dialect}: {total:,} petitions, {runs} runs per query")
        print(f"{'query':<46} {'p50 ms':>8} {'p95 ms':>8} {'rows':>5}")
        for name, fn in cases:
            p50, p95, count = _time(fn, runs)
            out.append((name, p50, p95, count))
            print(f"{name:<46} {p50:8.1f} {p95:8.1f} {count:5d}", flush=True)
    return out


# ---------------------------------------------------------------- databases


def sqlite_engine(rows: int, rebuild: bool) -> Engine:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"admin-{rows}.sqlite3"
    if rebuild:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    fresh = not path.exists()
    engine = make_engine(f"sqlite:///{path}")
    if fresh:
        build(engine, rows)
    return engine


def pg_engine(admin_url: str, rows: int, rebuild: bool) -> Engine:
    url = make_url(admin_url)
    name = f"pakn_bench_{rows}"
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and rebuild:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if not exists or rebuild:
            conn.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(url.set(database=name).render_as_string(hide_password=False))
    if not exists or rebuild:
        build(engine, rows)
    return engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for backend in backends:
        engine = (
            sqlite_engine(args.rows, args.rebuild)
            if backend == "sqlite"
            else pg_engine(args.pg, args.rows, args.rebuild)
        )
        try:
            run(engine, args.runs)
        finally:
            engine.dispose()


if __name__ == "__main__":
    main()
