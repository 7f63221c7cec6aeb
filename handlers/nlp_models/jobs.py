"""The monthly job of the learning loop ("model-retrain")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from handlers.jobs import JobContext, job
from handlers.nlp_models import loop
from handlers.nlp_models.store import NLP_MODELS_SERVICE, ModelStore
from storage.db import transaction

CLOCK_SERVICE = "nlp_models.clock"  # optional: a clock for the run's end time


@job("model-retrain")
def model_retrain(ctx: JobContext) -> Mapping[str, Any]:
    """Train a candidate on the corpus and staff labels; install it only if it is better."""
    store = ctx.services.get(NLP_MODELS_SERVICE)
    if not isinstance(store, ModelStore):
        return {"skipped": "no model store wired"}
    with transaction(ctx.sessions) as session:
        run = loop.queue_run(session, ctx.now, "job")
        run_id = run.id if run else None
    if run_id is None:
        return {"skipped": "another training run is under way"}
    clock = ctx.services.get(CLOCK_SERVICE) or (lambda: ctx.now)
    return {"run": run_id, "outcome": loop.execute(ctx.sessions, store, run_id, clock)}
