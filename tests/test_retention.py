"""Raw webhook bodies are emptied after the retention period, and only when processed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import InboundEvent
from storage.models.enums import InboundState

NOW = datetime.now(UTC).replace(microsecond=0)


def _event(key: str, state: str, processed_days_ago: int | None) -> InboundEvent:
    processed = None if processed_days_ago is None else NOW - timedelta(days=processed_days_ago)
    return InboundEvent(
        dedup_key=key,
        event_name="user_send_text",
        raw_body='{"message": {"text": "nhà tôi số 0905 123 456"}}'.encode(),
        state=state,
        received_at=NOW - timedelta(days=30),
        processed_at=processed,
    )


def test_purge_keeps_what_may_still_be_needed(runner: FlaskCliRunner, db_session: Session) -> None:
    db_session.add_all(
        [
            _event("old-processed", InboundState.PROCESSED, 10),
            _event("new-processed", InboundState.PROCESSED, 1),
            _event("old-parked", InboundState.PARKED, None),
            _event("old-failed", InboundState.FAILED, None),
        ]
    )
    db_session.commit()
    result = runner.invoke(args=["jobs", "run", "inbound-purge", "--now", NOW.isoformat()])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["purged"] == 1 and out["retention_days"] == 7
    bodies = dict(db_session.execute(select(InboundEvent.dedup_key, InboundEvent.raw_body)).all())
    assert bodies["old-processed"] == b""
    assert all(bodies[k] for k in ("new-processed", "old-parked", "old-failed"))
    again = json.loads(
        runner.invoke(args=["jobs", "run", "inbound-purge", "--now", NOW.isoformat()]).output
    )
    assert again["purged"] == 0
