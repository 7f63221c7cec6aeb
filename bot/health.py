"""Liveness and readiness: `GET /healthz` checks the database and the disk files go to."""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.database import db_session
from bot.runtime import runtime_of
from storage.migrate import head_revision

bp = Blueprint("health", __name__)
logger = logging.getLogger(__name__)


def storage_problem(folder: Path, min_free_mb: int) -> tuple[str | None, int]:
    """(what is wrong with the folder files are written to, or None; its free MB).

    A full disk fails every upload and download and, on SQLite, every write: say so here,
    where the operator's monitoring looks, before staff meet the errors.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        free_mb = shutil.disk_usage(folder).free // (1024 * 1024)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".health-"):
            pass
    except OSError:
        logger.exception("health check: the attachments folder cannot be written")
        return "not writable", 0
    if free_mb < min_free_mb:
        logger.error("health check: %s MB free on the attachments disk", free_mb)
        return "low disk space", free_mb
    return None, free_mb


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """200 when the database answers and is migrated to the newest revision and the files'
    disk has room and takes writes, else 503."""
    try:
        revision = db_session().execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        logger.exception("health check: database unavailable")
        return jsonify(status="error", database="unavailable"), 503
    head = head_revision()
    if revision != head:
        return jsonify(status="error", database="not migrated", revision=revision), 503
    settings = runtime_of().settings
    problem, free_mb = storage_problem(Path(settings.attachment_dir), settings.health_min_free_mb)
    if problem is not None:
        body = jsonify(status="error", database="ok", storage=problem, free_mb=free_mb)
        return body, 503
    return jsonify(status="ok", database="ok", revision=revision, storage="ok", free_mb=free_mb)
