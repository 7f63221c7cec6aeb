"""Keep personal data no longer than the work needs it.

A webhook's raw body is kept so a failed event can be processed again; once it has been
processed and Zalo's retry window is long past, only its de-duplication key is still needed.
The body (citizen text, names, phone numbers — also of citizens who never consented) goes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from handlers.jobs import JobContext
from handlers.office_settings import effective
from storage.db import transaction
from storage.models import InboundEvent
from storage.models.enums import InboundState


def purge_raw_bodies(session: Session, *, before: datetime) -> int:
    """Empty the raw body of events processed before `before`; return how many."""
    result = session.execute(
        update(InboundEvent)
        .where(
            InboundEvent.state == InboundState.PROCESSED,
            InboundEvent.processed_at < before,
            InboundEvent.raw_body != b"",
        )
        .values(raw_body=b"")
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def purge_job(ctx: JobContext) -> Mapping[str, Any]:
    """Nightly: drop raw webhook bodies past the retention period."""
    configured = ctx.services.raw_retention_days
    with transaction(ctx.sessions) as session:
        days = int(effective(session, "retention.inbound_raw_days", configured))
        purged = purge_raw_bodies(session, before=ctx.now - timedelta(days=days))
    return {"purged": purged, "retention_days": days}
