"""The monthly job of the learning loop ("model-retrain")."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers.jobs import JobContext, JobFn
from handlers.nlp_models import loop
from storage.db import transaction
from storage.models import ClassificationLabel, TrainingRun


def new_labels(session: Session) -> int:
    """Category labels given since the last training run started (all, before any run)."""
    since = session.scalar(select(func.max(TrainingRun.started_at)))
    query = select(func.count()).where(ClassificationLabel.field == "category")
    if since is not None:
        query = query.where(ClassificationLabel.created_at > since)
    return int(session.scalar(query) or 0)


#: Fewer new staff labels than this cannot move the gate (it wants a net gain of two staff
#: petitions or a full point of team macro-F1), so the half-minute of training waits for more.
MIN_NEW_LABELS = 5


def model_retrain(ctx: JobContext) -> Mapping[str, Any]:
    """Train a candidate on the corpus and staff labels; install it only if it is better.

    Nothing new since the last run (no staff label, or too few to change anything): no run
    and no half-minute of CPU (a scheduler catching up after downtime, or a fresh demo, stays
    quick). The run's start and end times are the job's ``now`` (handlers do not read the
    clock).
    """
    store = ctx.services.nlp_models
    if store is None:
        return {"skipped": "no model store wired"}
    with transaction(ctx.sessions) as session:
        fresh = new_labels(session)
        if not fresh:
            return {"skipped": "no new staff labels"}
        if fresh < MIN_NEW_LABELS:
            return {"skipped": f"only {fresh} new staff label(s), fewer than {MIN_NEW_LABELS}"}
        run = loop.queue_run(session, ctx.now, "job")
        run_id = run.id if run else None
    if run_id is None:
        return {"skipped": "another training run is under way"}
    return {"run": run_id, "outcome": loop.execute(ctx.sessions, store, run_id, lambda: ctx.now)}


def queued_runs(ctx: JobContext) -> Mapping[str, Any]:
    """Run the training runs an admin asked for: the page only queues them, so half a minute
    of CPU never runs inside a web process (the scheduler picks them up within a minute)."""
    store = ctx.services.nlp_models
    if store is None:
        return {"skipped": "no model store wired"}
    with transaction(ctx.sessions) as session:
        ids = session.scalars(
            select(TrainingRun.id).where(TrainingRun.status == "queued").order_by(TrainingRun.id)
        ).all()
    return dict(Counter(loop.execute(ctx.sessions, store, i, lambda: ctx.now) for i in ids))


JOBS: Mapping[str, JobFn] = {"model-retrain": model_retrain, "model-train-queued": queued_runs}
