"""What a GET page writes (an audit entry, an item marked read) survives a writer that
committed while the page was reading: on SQLite the page's reader transaction could not
write any more and the officer got a 500 after an action that had succeeded."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from bot.admin import auditing
from bot.database import db_session, get_db
from handlers import audit
from storage.db import transaction
from storage.models import AuditEntry


def _entries(app: Flask) -> int:
    with get_db(app).sessions() as s:
        return int(s.scalar(select(func.count(AuditEntry.id))) or 0)


def test_an_audit_entry_of_a_get_is_kept_when_another_writer_committed_meanwhile(
    fresh_app: Flask,
) -> None:
    before = _entries(fresh_app)
    with fresh_app.test_request_context("/admin/privacy/1", method="GET"):
        page = db_session()
        page.scalar(select(func.count(AuditEntry.id)))  # the page has begun reading
        with transaction(get_db().sessions) as worker:  # e.g. the outbox queued a message
            audit.write(worker, "test.worker", now=auditing.utcnow(), summary="meanwhile")
        auditing.record("pii.data_request", commit=True, summary="Xem yêu cầu", target=("x", 1))
        page.close()
    assert _entries(fresh_app) == before + 2
