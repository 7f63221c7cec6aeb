"""The monthly job of the learning loop ("model-retrain")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from handlers.jobs import JobContext, JobFn
from handlers.nlp_models import loop
from storage.db import transaction


def model_retrain(ctx: JobContext) -> Mapping[str, Any]:
    """Train a candidate on the corpus and staff labels; install it only if it is better.

    The run's start and end times are the job's ``now`` (handlers do not read the clock).
    """
    store = ctx.services.nlp_models
    if store is None:
        return {"skipped": "no model store wired"}
    with transaction(ctx.sessions) as session:
        run = loop.queue_run(session, ctx.now, "job")
        run_id = run.id if run else None
    if run_id is None:
        return {"skipped": "another training run is under way"}
    return {"run": run_id, "outcome": loop.execute(ctx.sessions, store, run_id, lambda: ctx.now)}


JOBS: Mapping[str, JobFn] = {"model-retrain": model_retrain}
