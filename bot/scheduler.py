"""The scheduler process: `flask --app wsgi scheduler` (or embedded in `make run`'s demo).

Jobs are declared in one table (JOBS) with stable ids, run by APScheduler 3.x in
Asia/Ho_Chi_Minh with coalesce, max_instances=1 and a misfire grace, one at a time (SQLite
has one writer). Start-up fails, naming them, if the table lists jobs the runtime does not
have. Messages the jobs queue wake the worker, which sends them. Only the leader runs
jobs: PostgreSQL gives it a session advisory lock on a dedicated connection, SQLite a lease
row it renews; a second scheduler waits as a hot standby and takes over when the leader dies.
On taking over, every cron job whose last fire time has no successful run since is run once
(a catch-up, coalesced: each job once, however long the downtime).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import click
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask.cli import with_appcontext
from sqlalchemy.orm import Session, sessionmaker

from bot import job_runs
from bot.clock import offset_clock, parse_now, stop_on_signals, system_clock
from bot.leader import LeaderLock, make_lock
from bot.loops import Loop
from bot.runtime import Runtime, runtime_of
from config import ConfigError
from handlers.clock import LOCAL_TZ, Clock
from handlers.jobs import JobContext, JobFn, run_job
from handlers.services import Services

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobSpec:
    """A row of the job table: the registered job's name is its stable id."""

    id: str
    trigger: str  # "cron" or "interval"
    args: Mapping[str, Any]
    grace: int = 3600  # seconds a late run may still start (misfire_grace_time)

    def make_trigger(self) -> CronTrigger | IntervalTrigger:
        if self.trigger == "cron":
            return CronTrigger(timezone=LOCAL_TZ, **self.args)
        return IntervalTrigger(timezone=LOCAL_TZ, **self.args)


#: The one job table. Inbound events, quiet bursts and the outbox are the worker's, not here.
JOBS: tuple[JobSpec, ...] = (
    JobSpec("zalo-refresh-token", "interval", {"minutes": 30}, grace=900),
    # Training runs an admin started from the model page.
    JobSpec("model-train-queued", "interval", {"minutes": 1}, grace=120),
    # Also deletes messages held before a consent that never came (CONVERSATION_HOLD_MINUTES).
    JobSpec("drafts-expire", "interval", {"minutes": 5}, grace=300),
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
    # Daily on days 1-15; drafts last month's reports once, from the first working day on.
    JobSpec("monthly-report", "cron", {"day": "1-15", "hour": 7, "minute": 0}, grace=6 * 3600),
    JobSpec("holidays-sync", "cron", {"day": 2, "hour": 2, "minute": 0}, grace=6 * 3600),
    JobSpec("inbound-purge", "cron", {"hour": 2, "minute": 30}, grace=6 * 3600),
    JobSpec("audit-purge", "cron", {"hour": 2, "minute": 45}, grace=6 * 3600),
    JobSpec("privacy-anonymise", "cron", {"hour": 2, "minute": 50}, grace=6 * 3600),
    JobSpec("signin-purge", "cron", {"hour": 2, "minute": 55}, grace=6 * 3600),
    JobSpec("model-retrain", "cron", {"day": 5, "hour": 3, "minute": 0}, grace=6 * 3600),
)

INTERVAL_JOBS = frozenset(spec.id for spec in JOBS if spec.trigger == "interval")

#: How far back a catch-up looks for a missed cron fire time.
CATCH_UP_WINDOW = timedelta(days=35)


def check_table(table: tuple[JobSpec, ...], jobs: Mapping[str, JobFn]) -> None:
    """Refuse to start when the table lists a job nobody registered."""
    unknown = [spec.id for spec in table if spec.id not in jobs]
    if unknown:
        raise ConfigError(f"the job table lists jobs nobody registered: {', '.join(unknown)}")


@dataclass
class SchedulerService:
    """Stand by until leader, then run the job table until stopped or the lock is lost."""

    sessions: sessionmaker[Session]
    lock: LeaderLock
    jobs: Mapping[str, JobFn]
    services: Services = field(default_factory=Services)
    table: tuple[JobSpec, ...] = JOBS
    clock: Clock = system_clock
    poll_seconds: float = 5.0
    renew_seconds: float = 10.0
    holder: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    leading: threading.Event = field(default_factory=threading.Event)
    _scheduler: BackgroundScheduler | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        check_table(self.table, self.jobs)

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
            timezone=LOCAL_TZ,
            executors={"default": ThreadPoolExecutor(max_workers=1)},
            job_defaults={"coalesce": True, "max_instances": 1},
        )
        for spec in self.table:
            scheduler.add_job(
                self.execute,
                trigger=spec.make_trigger(),
                args=[spec.id],
                id=spec.id,
                name=spec.id,
                misfire_grace_time=spec.grace,
                replace_existing=True,
                **({"next_run_time": system_clock()} if spec.trigger == "interval" else {}),
            )
        return scheduler

    def _lead(self, stop: threading.Event) -> None:
        logger.info("scheduler %s is the leader", self.holder)
        self.leading.set()
        scheduler = self._scheduler = self.build_scheduler()
        try:
            job_runs.abandon_running(self.sessions, self.clock())
            scheduler.start()
            for spec in self.missed(list(self.table)):
                logger.info("catch-up: %s missed a run; running it now", spec.id)
                scheduler.modify_job(spec.id, next_run_time=system_clock())
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
        now = self.clock()
        run_id = (
            None if name in INTERVAL_JOBS else job_runs.start(self.sessions, name, now, self.holder)
        )
        outcome, detail = "ok", {}
        try:
            ctx = JobContext(sessions=self.sessions, now=now, services=self.services)
            result = run_job(self.jobs, name, ctx)
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
    """The job's result as stored: nested counts stay counts (screens read them back)."""
    return {str(k): _plain(v) for k, v in (result or {}).items()}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, int | float | str | bool):
        return value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return str(value)


def build_service(runtime: Runtime) -> SchedulerService:
    """A scheduler on this runtime's database, jobs, services and clock."""
    settings = runtime.settings
    # APScheduler logs every add and run at INFO; job_runs and our own lines say enough.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
    return SchedulerService(
        sessions=runtime.db.sessions,
        lock=make_lock(
            runtime.db.engine,
            holder=holder,
            lease=timedelta(seconds=settings.scheduler_lease_seconds),
        ),
        jobs=runtime.jobs,
        services=runtime.services,
        clock=runtime.clock,
        poll_seconds=float(settings.scheduler_poll_seconds),
        renew_seconds=max(0.5, settings.scheduler_lease_seconds / 3),
        holder=holder,
    )


def embedded(runtime: Runtime) -> Loop:
    """A scheduler in a thread of this process (`make run`, tests); call `.start()`."""
    return Loop("scheduler", build_service(runtime).run)


@click.command("scheduler")
@click.option("--now", "now_text", default=None, help="Run as if the clock read this (ISO-8601).")
@with_appcontext
def scheduler_command(now_text: str | None) -> None:
    """Run the scheduler; a second one waits as a hot standby."""
    runtime = runtime_of()
    if now_text:
        runtime.use_clock(offset_clock(parse_now(now_text)))
    build_service(runtime).run(stop_on_signals())
