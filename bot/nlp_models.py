"""Wiring of the classifier's learning loop: every process follows the active version."""

from __future__ import annotations

from flask import Flask

from bot.runtime import runtime_of
from handlers.nlp_models import ModelStore
from handlers.nlp_models.versions import database_source
from nlp import registry

CHECK_SECONDS = 15.0


def init_app(app: Flask) -> None:
    """Outside tests, make this process's classifier the database's active version."""
    if not runtime_of(app).settings.testing:
        follow_database(app)


def follow_database(app: Flask, every: float = CHECK_SECONDS) -> None:
    """Ask the active-version row every few seconds; swap in a newly installed version."""
    runtime = runtime_of(app)
    registry.follow(database_source(runtime.db.deferred, store(app)), every)


def store(app: Flask | None = None) -> ModelStore:
    """Where this process keeps model versions (the NLP_MODEL_DIR setting)."""
    found = runtime_of(app).services.nlp_models
    if found is None:
        raise RuntimeError("the model store is not wired (bot.runtime.services_from)")
    return found
