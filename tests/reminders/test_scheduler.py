"""The scheduler: job table, catch-up, run records, leader locks, in-process hand-over."""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session, sessionmaker

from bot import job_runs
from bot.clock import offset_clock
from bot.database import get_db
from bot.leader import AdvisoryLock, LeaseLock, make_lock
from bot.loops import Loop
from bot.runtime import runtime_of
from bot.scheduler import JOBS, JobSpec, SchedulerService, build_service, last_fire_time
from config import ConfigError
from handlers.jobs import JobContext, JobFn
from handlers.privacy import retention
from storage.db import make_engine, transaction
from storage.models import JobRun, SchedulerLease
from tests import dates
from tests.reminders.helpers import VN
from tests.workflow.helpers import MONDAY

OURS = {
    "reminders-triage",
    "reminders-decision",
    "reminders-agency",
    "reminders-relay",
    "reminders-satisfaction",
    "supervisors-digest",
    "monthly-report",
    "holidays-sync",
    "zalo-refresh-token",
    "drafts-expire",
    "inbound-purge",
    "audit-purge",
    "privacy-anonymise",
    "signin-purge",
    "tasks-alert",
    "tasks-digest",
    "model-retrain",
    "model-train-queued",
}


@pytest.fixture
def jobs(app: Flask) -> Mapping[str, JobFn]:
    """Every job a process has."""
    return runtime_of(app).jobs


def _vn(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Vietnam on `day`, as the cron triggers see it."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN)


def _service(
    sessions: sessionmaker[Session], engine: Engine, now: datetime, jobs: Mapping[str, JobFn]
) -> SchedulerService:
    lock = make_lock(engine, holder="test", lease=timedelta(seconds=5))
    return SchedulerService(sessions, lock, jobs, clock=lambda: now, holder="test")


def test_the_job_table(
    engine: Engine, session_factory: sessionmaker[Session], jobs: Mapping[str, JobFn]
) -> None:
    ids = [spec.id for spec in JOBS]
    assert len(ids) == len(set(ids)) and set(ids) == OURS
    # The worker's work is not scheduled (it runs continuously), but stays runnable by hand.
    assert {"outbox-drain", "zalo-inbound", "conversation-flush"} <= set(jobs) - set(ids)
    service = _service(session_factory, engine, datetime.now(UTC), jobs)
    scheduler = service.build_scheduler()
    scheduler.start(paused=True)  # job defaults are applied when the scheduler starts
    try:
        registered = {j.id: j for j in scheduler.get_jobs()}
        assert set(registered) == set(ids)
        for spec in JOBS:
            j = registered[spec.id]
            assert (j.coalesce, j.max_instances, j.misfire_grace_time) == (True, 1, spec.grace)
        agency = registered["reminders-agency"].trigger
        today = dates.today()
        midnight_utc = datetime(today.year, today.month, today.day, tzinfo=UTC)  # 07:00 local
        first = agency.get_next_fire_time(None, midnight_utc)
        assert first == _vn(today, 8, 15)
    finally:
        scheduler.shutdown(wait=False)
        service.lock.close()


def test_start_up_fails_naming_a_job_nobody_registered(
    engine: Engine, session_factory: sessionmaker[Session], jobs: Mapping[str, JobFn]
) -> None:
    table = (*JOBS, JobSpec("reminders-typo", "cron", {"hour": 8}))
    lock = make_lock(engine, holder="test", lease=timedelta(seconds=5))
    try:
        with pytest.raises(ConfigError, match="reminders-typo"):
            SchedulerService(session_factory, lock, jobs, table=table)
    finally:
        lock.close()


def test_last_fire_time_in_vietnam() -> None:
    specs = {spec.id: spec for spec in JOBS}
    sixth = dates.today().replace(day=6)  # the monthly report fires on days 1–15
    now = _vn(sixth, 7)
    agency = last_fire_time(specs["reminders-agency"].make_trigger(), now)  # type: ignore[arg-type]
    assert agency == _vn(sixth - timedelta(days=1), 8, 15)
    monthly = last_fire_time(specs["monthly-report"].make_trigger(), now)  # type: ignore[arg-type]
    assert monthly == now


def test_catch_up_picks_jobs_without_a_successful_run_since_their_fire_time(
    engine: Engine,
    session_factory: sessionmaker[Session],
    db_session: Session,
    jobs: Mapping[str, JobFn],
) -> None:
    now = _vn(MONDAY + timedelta(days=4), 9, 30)  # the Friday of an ordinary week
    db_session.add_all(
        [
            # ran after its 08:15 fire time: nothing to catch up
            JobRun(job="reminders-agency", started_at=now - timedelta(minutes=70), outcome="ok"),
            # ran yesterday only: missed today's 08:00
            JobRun(job="reminders-triage", started_at=now - timedelta(days=1), outcome="ok"),
            # started today but the leader died mid-run
            JobRun(job="reminders-relay", started_at=now - timedelta(hours=1), outcome="running"),
            JobRun(job="monthly-report", started_at=now - timedelta(hours=2), outcome="ok"),
        ]
    )
    db_session.commit()
    service = _service(session_factory, engine, now, jobs)
    try:
        job_runs.abandon_running(session_factory, now)
        missed = {spec.id for spec in service.missed(list(JOBS))}
    finally:
        service.lock.close()
    assert "reminders-agency" not in missed and "monthly-report" not in missed
    assert {"reminders-triage", "reminders-relay", "supervisors-digest"} <= missed
    assert not {"zalo-refresh-token", "drafts-expire", "model-train-queued"} & missed
    relay = db_session.scalars(select(JobRun).where(JobRun.job == "reminders-relay")).one()
    db_session.refresh(relay)
    assert relay.outcome == "interrupted"


def _fails(ctx: JobContext) -> Mapping[str, Any]:
    raise RuntimeError("boom")


def test_runs_are_recorded(
    engine: Engine,
    session_factory: sessionmaker[Session],
    db_session: Session,
    jobs: Mapping[str, JobFn],
) -> None:
    saturday = MONDAY + timedelta(days=5)  # of an ordinary week: not a làm-bù Saturday
    now = _vn(saturday, 8)  # the pass says it is no working day
    failing_job = "test-always-fails"
    service = _service(session_factory, engine, now, {**jobs, failing_job: _fails})
    try:
        assert service.execute("reminders-triage") == {
            "skipped": "not a working day",
            "date": saturday.isoformat(),
        }
        assert service.execute(failing_job) is None
        for _ in range(3):  # an interval job: its runs are counted on one row
            assert service.execute("drafts-expire") is not None
    finally:
        service.lock.close()
    runs = {r.job: r for r in db_session.scalars(select(JobRun))}
    ok, failed = runs["reminders-triage"], runs[failing_job]
    assert (ok.outcome, ok.detail["skipped"], ok.detail["by"]) == (
        "ok",
        "not a working day",
        "test",
    )
    assert ok.started_at == now and ok.finished_at is not None
    assert (failed.outcome, failed.detail["error"]) == ("failed", "RuntimeError")
    drains = db_session.scalars(select(JobRun).where(JobRun.job == "drafts-expire")).all()
    assert [(d.outcome, d.runs) for d in drains] == [("ok", 3)]


def test_offset_clock_reads_the_given_time() -> None:
    start = datetime.now(UTC) + timedelta(days=1234, minutes=5)
    clock = offset_clock(start)
    assert abs((clock() - start).total_seconds()) < 1
    assert abs((offset_clock(None)() - datetime.now(UTC)).total_seconds()) < 1


def test_lease_lock(tmp_path: Path) -> None:
    """SQLite: a lease a standby takes once it has run out; a holder that lost it steps down."""
    engine = make_engine(f"sqlite:///{tmp_path / 'lease.sqlite3'}")
    try:
        SchedulerLease.__table__.create(engine)
        a = LeaseLock(engine, "a", timedelta(seconds=1))
        b = LeaseLock(engine, "b", timedelta(seconds=1))
        assert a.acquire() and not b.acquire()
        assert a.still_held() and a.acquire()  # re-acquiring one's own lease renews it
        time.sleep(1.1)  # a stalls: no renewal
        assert b.acquire() and not a.still_held() and not a.acquire()
        b.release()  # a graceful stop frees it at once
        assert a.acquire()
    finally:
        engine.dispose()


def test_the_backends_leader_lock(engine: Engine, backend: str) -> None:
    """PostgreSQL: an advisory lock that dies with its connection. SQLite: the lease row."""
    a = make_lock(engine, holder="lock-test-a", lease=timedelta(seconds=1))
    b = make_lock(engine, holder="lock-test-b", lease=timedelta(seconds=1))
    assert isinstance(a, AdvisoryLock if backend == "postgresql" else LeaseLock)
    try:
        assert a.acquire()
        assert not b.acquire()
        assert a.still_held()
        if isinstance(a, AdvisoryLock):
            assert a.conn is not None
            a.conn.close()  # the leader's connection dies with its process
            assert not a.still_held()
            # The server frees the lock once its backend has ended, a moment after the close.
            _wait(b.acquire, seconds=5)
        else:
            time.sleep(1.1)
            assert b.acquire()
        assert not a.acquire()
        b.release()
        assert a.acquire()
        a.release()
    finally:
        a.close()
        b.close()
        with engine.begin() as conn:
            conn.execute(delete(SchedulerLease))


def _wait(condition: Any, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_embedded_schedulers_hand_over(fresh_app: Flask) -> None:
    """Two embedded schedulers in one process: one leads and catches up; stopping it (a
    graceful shutdown) hands over to the standby, which finds nothing left to catch up."""
    runtime = runtime_of(fresh_app)
    services = build_service(runtime), build_service(runtime)
    first, second = (Loop("scheduler", s.run).start() for s in services)
    sessions = get_db(fresh_app).sessions
    try:
        _wait(lambda: any(s.leading.is_set() for s in services))
        leads = services[0].leading.is_set()
        leader, standby = (first, second) if leads else (second, first)
        lead, stand = services if leads else services[::-1]
        assert not stand.leading.is_set()

        def finished(by: str) -> set[str]:
            with transaction(sessions) as s:
                rows = s.scalars(select(JobRun).where(JobRun.outcome == "ok")).all()
                return {r.job for r in rows if r.detail.get("by") == by}

        _wait(lambda: "reminders-satisfaction" in finished(lead.holder))
        leader.stop()
        assert not leader.alive
        _wait(stand.leading.is_set)
        _wait(lambda: "drafts-expire" in finished(stand.holder))
        # Every cron job ran once, by the first leader; the catch-up found nothing missed.
        assert "reminders-agency" not in finished(stand.holder)
    finally:
        first.stop()
        second.stop()
    assert not first.alive and not second.alive


def _nested(ctx: JobContext) -> Mapping[str, Any]:
    return {"skipped": {"to_cao": 2}, "months": 24, "when": ctx.now.date(), "ids": (1, 2)}


def test_nested_counts_are_stored_as_counts_and_read_back_by_the_privacy_screen(
    engine: Engine,
    session_factory: sessionmaker[Session],
    db_session: Session,
    jobs: Mapping[str, JobFn],
) -> None:
    now = _vn(MONDAY, 9)
    service = _service(session_factory, engine, now, {**jobs, "test-nested": _nested})
    try:
        service.execute("test-nested")
        service.execute("privacy-anonymise")
    finally:
        service.lock.close()
    runs = {r.job: r for r in db_session.scalars(select(JobRun))}
    nested = runs["test-nested"].detail
    assert nested["skipped"] == {"to_cao": 2} and nested["ids"] == [1, 2]
    assert nested["when"] == MONDAY.isoformat()
    assert "bỏ qua 2 hồ sơ" in retention.summary(nested)
    assert retention.summary(runs["privacy-anonymise"].detail).startswith("Ẩn danh 0 hồ sơ")
    assert retention.summary({"skipped": "{}"}).startswith("Ẩn danh")  # an older record
