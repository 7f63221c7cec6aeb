"""Liveness and readiness: `GET /healthz` checks the database answers."""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.database import db_session
from storage.migrate import head_revision

bp = Blueprint("health", __name__)
logger = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """200 when the database answers and is migrated to the newest revision, else 503."""
    try:
        revision = db_session().execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        logger.exception("health check: database unavailable")
        return jsonify(status="error", database="unavailable"), 503
    head = head_revision()
    if revision != head:
        return jsonify(status="error", database="not migrated", revision=revision), 503
    return jsonify(status="ok", database="ok", revision=revision)
