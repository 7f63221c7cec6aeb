"""The scheduler process: `flask --app wsgi scheduler` (or embedded in `make run`'s demo).

Jobs are declared in one table (JOBS) with stable ids, run by APScheduler 3.x in
Asia/Ho_Chi_Minh with coalesce, max_instances=1 and a misfire grace, one at a time (SQLite
has one writer, and a reminder pass never races the outbox drain). Only the leader runs
jobs: PostgreSQL gives it a session advisory lock on a dedicated connection, SQLite a lease
row it renews; a second scheduler waits as a hot standby and takes over when the leader dies.
On taking over, every cron job whose last fire time has no successful run since is run once
(a catch-up, coalesced: each job once, however long the downtime).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import click
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session, sessionmaker

import handlers.reminders  # noqa: F401 - registers the reminder jobs
from bot import job_runs
from bot.database import get_db
from bot.leader import LeaderLock, make_lock
from config import Settings
from handlers.jobs import REGISTRY, JobContext, run_job
from handlers.reminders.config import SERVICE, ReminderConfig

logger = logging.getLogger(__name__)

TIMEZONE = "Asia/Ho_Chi_Minh"
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class JobSpec:
    """A row of the job table: the registered job's name is its stable id."""

    id: str
    trigger: str  # "cron" or "interval"
    args: Mapping[str, Any]
    grace: int = 3600  # seconds a late run may still start (misfire_grace_time)

    def make_trigger(self) -> CronTrigger | IntervalTrigger:
        if self.trigger == "cron":
            return CronTrigger(timezone=TIMEZONE, **self.args)
        return IntervalTrigger(timezone=TIMEZONE, **self.args)


#: The one job table. Jobs another layer has not registered yet are skipped with a warning.
JOBS: tuple[JobSpec, ...] = (
    JobSpec("outbox-drain", "interval", {"seconds": 15}, grace=60),
    JobSpec("zalo-inbound", "interval", {"minutes": 1}, grace=120),
    JobSpec("conversation-flush", "interval", {"seconds": 10}, grace=60),
    JobSpec("zalo-refresh-token", "interval", {"minutes": 30}, grace=900),
    JobSpec("drafts-expire", "interval", {"minutes": 15}, grace=900),
    JobSpec("supervisors-digest", "cron", {"hour": 7, "minute": 30}),
    JobSpec("reminders-triage", "cron", {"hour": 8, "minute": 0}),
    JobSpec("reminders-decision", "cron", {"hour": 8, "minute": 5}),
    JobSpec("reminders-relay", "cron", {"hour": 8, "minute": 10}),
    JobSpec("reminders-agency", "cron", {"hour": 8, "minute": 15}),
    # Hourly in office hours: auto-closes are capped per run (ReminderConfig.auto_close_per_run).
    JobSpec("reminders-satisfaction", "cron", {"hour": "8-17", "minute": 40}),
    # Việc cần làm by email: new urgent items at once; each reader's digest after the ladders.
    JobSpec("tasks-alert", "interval", {"minutes": 1}, grace=300),
    JobSpec("tasks-digest", "cron", {"hour": 8, "minute": 30}),
    JobSpec("monthly-stats", "cron", {"day": 1, "hour": 1, "minute": 30}, grace=6 * 3600),
    JobSpec("holidays-sync", "cron", {"day": 2, "hour": 2, "minute": 0}, grace=6 * 3600),
    JobSpec("inbound-purge", "cron", {"hour": 2, "minute": 30}, grace=6 * 3600),
)

DRAIN_JOB = "outbox-drain"
CRON_JOBS = frozenset(spec.id for spec in JOBS if spec.trigger == "cron")
INTERVAL_JOBS = frozenset(spec.id for spec in JOBS if spec.trigger == "interval")

#: How far back a catch-up looks for a missed cron fire time.
CATCH_UP_WINDOW = timedelta(days=35)


def reminder_config(settings: Settings) -> ReminderConfig:
    """The reminder jobs' settings."""
    return ReminderConfig(
        letter_dir=settings.letter_dir,
        letter_template_dir=settings.letter_template_dir,
        batch_size=settings.reminder_batch_size,
        admin_url=settings.admin_base_url.rstrip("/") + "/admin",
        auto_close_per_run=settings.reminder_auto_close_per_run,
    )


def offset_clock(start: datetime | None) -> Clock:
    """Real time, or real time shifted so that it reads `start` now (replays, tests)."""
    if start is None:
        return lambda: datetime.now(UTC)
    offset = start - datetime.now(UTC)
    return lambda: datetime.now(UTC) + offset


@dataclass
class SchedulerService:
    """Stand by until leader, then run the job table until stopped or the lock is lost."""

    sessions: sessionmaker[Session]
    lock: LeaderLock
    services: Mapping[str, Any] = field(default_factory=dict)
    jobs: tuple[JobSpec, ...] = JOBS
    clock: Clock = field(default=lambda: datetime.now(UTC))
    poll_seconds: float = 5.0
    renew_seconds: float = 10.0
    holder: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    leading: threading.Event = field(default_factory=threading.Event)
    _scheduler: BackgroundScheduler | None = field(default=None, init=False, repr=False)
    _drain_waiting: threading.Event = field(default_factory=threading.Event, repr=False)

    def run(self, stop: threading.Event) -> None:
        """Block until `stop` is set: stand by, lead, and stand by again if the lock is lost."""
        logger.info("scheduler %s started (standby)", self.holder)
        try:
            while not stop.is_set():
                if not self._try_acquire():
                    stop.wait(self.poll_seconds)
                    continue
                try:
                    self._lead(stop)
                except Exception:  # the database went away while leading: stand by again
                    logger.exception("scheduler %s stopped leading", self.holder)
                    stop.wait(self.poll_seconds)
        finally:
            self.lock.close()
            logger.info("scheduler %s stopped", self.holder)

    def _try_acquire(self) -> bool:
        try:
            return self.lock.acquire()
        except Exception:  # the database is away: stay a standby and try again
            logger.exception("scheduler %s cannot reach the lock", self.holder)
            return False

    def build_scheduler(self) -> BackgroundScheduler:
        """The APScheduler of the job table: one worker, coalesced, one instance per job.

        Interval jobs (outbox, inbound retries) start at once: a new leader drains first.
        """
        scheduler = BackgroundScheduler(
            timezone=TIMEZONE,
            executors={"default": ThreadPoolExecutor(max_workers=1)},
            job_defaults={"coalesce": True, "max_instances": 1},
        )
        for spec in self.jobs:
            if spec.id not in REGISTRY:
                logger.warning("job %s is in the table but not registered; skipped", spec.id)
                continue
            scheduler.add_job(
                self.execute,
                trigger=spec.make_trigger(),
                args=[spec.id],
                id=spec.id,
                name=spec.id,
                misfire_grace_time=spec.grace,
                replace_existing=True,
                **({"next_run_time": datetime.now(UTC)} if spec.trigger == "interval" else {}),
            )
        return scheduler

    def _lead(self, stop: threading.Event) -> None:
        logger.info("scheduler %s is the leader", self.holder)
        self.leading.set()
        scheduler = self._scheduler = self.build_scheduler()
        try:
            job_runs.abandon_running(self.sessions, self.clock())
            scheduler.start()
            for spec in self.missed([s for s in self.jobs if scheduler.get_job(s.id)]):
                logger.info("catch-up: %s missed a run; running it now", spec.id)
                scheduler.modify_job(spec.id, next_run_time=datetime.now(UTC))
            while not stop.wait(self.renew_seconds):
                if not self.lock.still_held():
                    logger.warning("scheduler %s lost the lock; standing by", self.holder)
                    break
        finally:
            self.leading.clear()
            self._scheduler = None
            if scheduler.running:
                scheduler.shutdown(wait=stop.is_set())
            self.lock.release()

    def _wake_drain(self) -> None:
        """Drain the outbox as soon as the worker is free (a pass has just queued mail); once:
        a drain already waiting for the worker will send this pass's mail too."""
        scheduler = self._scheduler
        if self._drain_waiting.is_set() or scheduler is None or not scheduler.running:
            return
        if scheduler.get_job(DRAIN_JOB):
            self._drain_waiting.set()
            scheduler.modify_job(DRAIN_JOB, next_run_time=datetime.now(UTC))

    def missed(self, specs: list[JobSpec]) -> list[JobSpec]:
        """Cron jobs whose latest fire time (by this clock) has no successful run after it."""
        now = self.clock()
        last_ok = job_runs.last_successful(self.sessions)
        due = []
        for spec in specs:
            if spec.trigger != "cron":
                continue
            fired = last_fire_time(spec.make_trigger(), now)
            if fired is not None and (spec.id not in last_ok or last_ok[spec.id] < fired):
                due.append(spec)
        return due

    def execute(self, name: str) -> Mapping[str, Any] | None:
        """Run one job now, recording the run in job_runs."""
        if name == DRAIN_JOB:
            self._drain_waiting.clear()
        now = self.clock()
        run_id = (
            None if name in INTERVAL_JOBS else job_runs.start(self.sessions, name, now, self.holder)
        )
        outcome, detail = "ok", {}
        try:
            ctx = JobContext(sessions=self.sessions, now=now, services=self.services)
            result = run_job(name, ctx)
            detail = _jsonable(result)
            return result
        except Exception as exc:
            outcome, detail = "failed", {"error": type(exc).__name__}
            logger.exception("job %s failed", name)
            return None
        finally:
            job_runs.finish(
                self.sessions,
                name,
                run_id,
                started=now,
                finished=self.clock(),
                outcome=outcome,
                detail={**detail, "by": self.holder},
            )
            logger.info("job %s finished: %s", name, outcome)
            if name in CRON_JOBS:
                self._wake_drain()


def last_fire_time(trigger: CronTrigger, now: datetime) -> datetime | None:
    """The trigger's latest fire time at or before `now` within the catch-up window."""
    fired = None
    for moment in _fire_times(trigger, now - CATCH_UP_WINDOW, now):
        fired = moment
    return fired


def _fire_times(trigger: CronTrigger, start: datetime, end: datetime) -> Iterator[datetime]:
    previous = None
    moment = trigger.get_next_fire_time(None, start)
    while moment is not None and moment <= end:
        yield moment
        previous = moment
        moment = trigger.get_next_fire_time(previous, previous + timedelta(seconds=1))


def _jsonable(result: Mapping[str, Any] | None) -> dict[str, Any]:
    plain = (int, float, str, bool)
    return {str(k): v if isinstance(v, plain) else str(v) for k, v in (result or {}).items()}


def reminder_services(app: Flask) -> dict[str, object]:
    """What the reminder jobs take from JobContext.services (wired by bot.cli._job_services)."""
    return {SERVICE: reminder_config(app.extensions["pakn.settings"])}


def build_service(app: Flask, *, clock: Clock | None = None) -> SchedulerService:
    """A scheduler for this app's database and settings, with the CLI's job services."""
    from bot.cli import _job_services

    settings: Settings = app.extensions["pakn.settings"]
    db = get_db(app)
    # APScheduler logs every add and run at INFO; job_runs and our own lines say enough.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    with app.app_context():
        services = _job_services()
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
    return SchedulerService(
        sessions=db.sessions,
        lock=make_lock(
            db.engine, holder=holder, lease=timedelta(seconds=settings.scheduler_lease_seconds)
        ),
        services=services,
        clock=clock or offset_clock(None),
        poll_seconds=float(settings.scheduler_poll_seconds),
        renew_seconds=max(0.5, settings.scheduler_lease_seconds / 3),
        holder=holder,
    )


@dataclass
class Embedded:
    """A scheduler running in a thread of this process."""

    service: SchedulerService
    stop_event: threading.Event
    thread: threading.Thread

    def stop(self, timeout: float = 30) -> None:
        """Finish the running job, release the lock, and end the thread."""
        self.stop_event.set()
        self.thread.join(timeout)


def start_embedded(app: Flask) -> Embedded:
    """Run the scheduler in a daemon thread of this process (the demo server)."""
    service = build_service(app)
    stop = threading.Event()
    thread = threading.Thread(target=service.run, args=(stop,), name="scheduler", daemon=True)
    thread.start()
    return Embedded(service, stop, thread)


@click.command("scheduler")
@click.option("--now", "now_text", default=None, help="Run as if the clock read this (ISO-8601).")
@with_appcontext
def scheduler_command(now_text: str | None) -> None:
    """Run the scheduler; a second one waits as a hot standby."""
    from bot.cli import _parse_now

    start = _parse_now(now_text) if now_text else None
    service = build_service(current_app, clock=offset_clock(start))
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    service.run(stop)
