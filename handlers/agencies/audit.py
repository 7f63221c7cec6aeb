"""The audit of agency settings: every change to an agency, its liaisons or a routing rule.

One function writes it, in the caller's transaction, so the admin's audit-log viewer can read
these rows (or the lead can point this function at a general audit table).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from handlers.workflow import Actor
from storage.models import AgencyChange


def record_change(
    session: Session,
    actor: Actor,
    *,
    entity: str,
    entity_id: int | None,
    action: str,
    detail: dict[str, Any],
    now: datetime,
) -> AgencyChange:
    """Write who changed what (before/after values in `detail`)."""
    row = AgencyChange(
        actor_id=actor.id,
        entity=entity,
        entity_id=entity_id,
        action=action,
        detail=detail,
        created_at=now,
    )
    session.add(row)
    return row


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The fields that changed, as {field: [old, new]}."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
