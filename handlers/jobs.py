"""The registry of scheduled jobs, runnable once from the CLI or by the scheduler.

A job gets a JobContext (sessions, the clock, and the services the process wired) and
returns a small dict of counts for the log and the job_runs table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from handlers.seed import seed_holidays
from storage.db import transaction


@dataclass(frozen=True)
class JobContext:
    """What a job run may use; `now` is injectable so tests and catch-ups control time."""

    sessions: sessionmaker[Session]
    now: datetime
    services: Mapping[str, Any] = field(default_factory=dict)


JobFn = Callable[[JobContext], Mapping[str, Any]]

REGISTRY: dict[str, JobFn] = {}


class UnknownJob(LookupError):
    """No job has that name."""


def job(name: str) -> Callable[[JobFn], JobFn]:
    """Register a job under a stable name (the scheduler's job id)."""

    def register(fn: JobFn) -> JobFn:
        if name in REGISTRY:
            raise ValueError(f"job {name} registered twice")
        REGISTRY[name] = fn
        return fn

    return register


def run_job(name: str, ctx: JobContext) -> Mapping[str, Any]:
    """Run one job once."""
    try:
        fn = REGISTRY[name]
    except KeyError:
        raise UnknownJob(name) from None
    return fn(ctx)


@job("holidays-sync")
def sync_holidays(ctx: JobContext) -> Mapping[str, Any]:
    """Keep the holiday calendar filled for this year and the next two."""
    year = ctx.now.year
    added: Counter[str] = Counter()
    with transaction(ctx.sessions) as session:
        seed_holidays(session, (year, year + 1, year + 2), added)
    return {"added": added["holidays"]}
