"""Scheduled jobs: the context a run gets, and the jobs of the handlers layer.

A job is a plain function of a JobContext (sessions, `now`, the typed services) returning a
small dict of counts for the log and the job_runs table. Nothing registers itself on import:
each package lists its jobs in a `JOBS` mapping and the process (bot.runtime) assembles the
table it runs from them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from handlers.seed import seed_holidays
from handlers.services import Services
from storage.db import transaction


@dataclass(frozen=True)
class JobContext:
    """What a job run may use; `now` is given so tests and catch-ups control time."""

    sessions: sessionmaker[Session]
    now: datetime
    services: Services = field(default_factory=Services)


JobFn = Callable[[JobContext], Mapping[str, Any]]


class UnknownJob(LookupError):
    """No job has that name."""


def run_job(jobs: Mapping[str, JobFn], name: str, ctx: JobContext) -> Mapping[str, Any]:
    """Run the job `name` of the table `jobs` once."""
    try:
        fn = jobs[name]
    except KeyError:
        raise UnknownJob(name) from None
    return fn(ctx)


def sync_holidays(ctx: JobContext) -> Mapping[str, Any]:
    """Keep the holiday calendar filled for this year and the next two."""
    year = ctx.now.year
    added: Counter[str] = Counter()
    with transaction(ctx.sessions) as session:
        seed_holidays(session, (year, year + 1, year + 2), added)
    return {"added": added["holidays"]}
