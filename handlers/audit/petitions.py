"""Petition changes in the audit log: a snapshot when a transition starts, the difference
when it is recorded.

Free-text and contact fields are compared in memory only; the entry says that they changed,
never what they said (the audit log must hold no citizen's words or phone number).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from handlers.audit import PETITION_PREFIX, Who, write
from storage.models import AuditEntry, Petition

_SNAPSHOTS = "pakn.audit.petitions"

#: Fields whose values go into the entry (ids and codes, nothing personal).
TRACKED = (
    "state",
    "category_id",
    "ward_id",
    "legal_type",
    "urgent",
    "assignee_id",
    "duplicate_of_id",
    "close_reason",
)
#: Fields only said to have changed.
PRIVATE = ("text", "summary", "place", "callback_phone", "reporter_name", "latitude", "longitude")
CHANGED = "(đã sửa)"


def snapshot(petition: Petition) -> dict[str, Any]:
    """The petition's audited values now (private fields as in-memory hashes)."""
    values: dict[str, Any] = {f: getattr(petition, f) for f in TRACKED}
    values.update({f: hash(getattr(petition, f)) for f in PRIVATE})
    return values


def remember(session: Session, petition: Petition) -> None:
    """Keep the petition's values as they are before a transition changes them."""
    if petition.id is not None:
        session.info.setdefault(_SNAPSHOTS, {})[petition.id] = snapshot(petition)


def record_change(
    session: Session,
    petition: Petition,
    actor: Who,
    action: str,
    *,
    now: datetime,
    from_state: str | None,
    event_id: int | None = None,
) -> AuditEntry:
    """Write the entry of one transition: what moved from what to what."""
    kept: dict[int, dict[str, Any]] = session.info.setdefault(_SNAPSHOTS, {})
    old = kept.get(petition.id) or {"state": from_state}
    new = snapshot(petition)
    kept[petition.id] = new
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name in TRACKED:
        if name in old and old[name] != new[name]:
            before[name], after[name] = old[name], new[name]
    for name in PRIVATE:
        if name in old and old[name] != new[name]:
            before[name], after[name] = "", CHANGED
    if event_id is not None:
        after["event_id"] = event_id
    return write(
        session,
        PETITION_PREFIX + action,
        now=now,
        actor=actor,
        summary=f"Hồ sơ {petition.code or '#' + str(petition.id)}",
        petition=petition,
        target=("petition", petition.code or petition.id),
        before=before,
        after=after,
    )
