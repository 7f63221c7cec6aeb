"""The job_runs table: what ran when, how it ended; the scheduler's catch-up reads it.

A cron job gets a row of its own, 'running' until it ends, so a run a dead leader left behind is
visible (and re-run). An interval job's successful runs are counted on one row (`runs`), so the
outbox drain every 15 seconds does not add thousands of rows a day.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from storage.db import transaction
from storage.models import JobRun


def start(sessions: sessionmaker[Session], job: str, now: datetime, holder: str) -> int:
    """A 'running' row for a cron job; its id."""
    with transaction(sessions) as session:
        run = JobRun(job=job, started_at=now, outcome="running", detail={"by": holder})
        session.add(run)
        session.flush()
        return run.id


def finish(
    sessions: sessionmaker[Session],
    job: str,
    run_id: int | None,
    *,
    started: datetime,
    finished: datetime,
    outcome: str,
    detail: dict[str, Any],
) -> None:
    """Close a cron job's row, or count an interval job's run."""
    with transaction(sessions) as session:
        if run_id is not None:
            values = {"outcome": outcome, "finished_at": finished, "detail": detail}
            session.execute(update(JobRun).where(JobRun.id == run_id).values(**values))
            return
        last = session.scalars(
            select(JobRun).where(JobRun.job == job).order_by(JobRun.id.desc()).limit(1)
        ).first()
        if last is not None and last.outcome == outcome == "ok":
            last.runs, last.finished_at, last.detail = last.runs + 1, finished, detail
            return
        session.add(
            JobRun(
                job=job,
                started_at=started,
                finished_at=finished,
                outcome=outcome,
                detail=detail,
                runs=1,
            )
        )


def abandon_running(sessions: sessionmaker[Session], now: datetime) -> int:
    """Rows left 'running' by a leader that died become 'interrupted' (and are re-run)."""
    with transaction(sessions) as session:
        result = session.execute(
            update(JobRun)
            .where(JobRun.outcome == "running")
            .values(outcome="interrupted", finished_at=now)
        )
        return int(getattr(result, "rowcount", 0) or 0)


def last_successful(sessions: sessionmaker[Session]) -> dict[str, datetime]:
    """When each job's latest successful run started."""
    with transaction(sessions) as session:
        rows = session.execute(
            select(JobRun.job, func.max(JobRun.started_at))
            .where(JobRun.outcome == "ok")
            .group_by(JobRun.job)
        )
        return {job: started for job, started in rows}
