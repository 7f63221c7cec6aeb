"""Wiring of the classifier's learning loop: the model store, following the active version,
and starting a training run from the admin without holding the request."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, current_app

import handlers.nlp_models.jobs  # noqa: F401 - registers the model-retrain job
from bot.database import get_db
from config import Settings
from handlers.nlp_models import NLP_MODELS_SERVICE, ModelStore, loop
from handlers.nlp_models.jobs import CLOCK_SERVICE
from handlers.nlp_models.versions import database_source
from nlp import registry

logger = logging.getLogger(__name__)
EXTENSION = "pakn.nlp_models"


def clock() -> datetime:
    """The wall clock, for a run's end time (processes own the clock)."""
    return datetime.now(UTC)


def init_app(app: Flask, settings: Settings) -> None:
    """Keep the store; outside tests, follow the version installed in the database."""
    store = ModelStore(Path(settings.nlp_model_dir))
    app.extensions[EXTENSION] = store
    if not settings.testing:
        follow_database(app)


def follow_database(app: Flask, every: float = 15.0) -> None:
    """Make this process's classifier the database's active version (checked every few s)."""
    registry.follow(database_source(get_db(app).sessions, store(app)), every)


def store(app: Flask | None = None) -> ModelStore:
    """This app's model store."""
    value: ModelStore = (app or current_app).extensions[EXTENSION]
    return value


def job_services(app: Flask) -> dict[str, object]:
    """What the model-retrain job takes from JobContext.services."""
    return {NLP_MODELS_SERVICE: store(app), CLOCK_SERVICE: clock}


def start_run(app: Flask, run_id: int) -> None:
    """Run a queued training run: in a thread (a minute of CPU), inline under tests."""
    sessions = get_db(app).sessions
    if app.testing:
        loop.execute(sessions, store(app), run_id, clock)
        return
    thread = threading.Thread(
        target=loop.execute, args=(sessions, store(app), run_id, clock), daemon=True,
        name=f"training-run-{run_id}",
    )  # fmt: skip
    thread.start()
