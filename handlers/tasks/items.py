"""Raising, settling, finishing and snoozing items of "Việc cần làm".

Every writer raises items through `raise_item`, in its own transaction: an item exists exactly
when the change that caused it does. A de-duplication key makes a retry (a re-run job, a
repeated webhook) find the item it raised the first time instead of adding a second one.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from handlers.tasks.kinds import KINDS, kind_of
from storage.models import StaffNotification
from storage.models.enums import Role

logger = logging.getLogger(__name__)

Item = StaffNotification
#: Kinds about the citizen rather than the petition: closing the petition leaves them open.
CITIZEN_LEVEL = sorted(name for name, kind in KINDS.items() if not kind.petition_bound)
#: Items a close does not settle: the citizen's own requests, and a liaison's message, which
#: still waits for the Front's answer in the thread (open on a closed petition too).
OUTLIVE_CLOSE = sorted({*CITIZEN_LEVEL, "agency_message"})


def raise_item(
    session: Session,
    *,
    kind: str,
    title: str,
    now: datetime,
    body: str = "",
    petition_id: int | None = None,
    staff_id: int | None = None,
    role: str | None = None,
    ward_id: int | None = None,
    agency_id: int | None = None,
    priority: int | None = None,
    key: str | None = None,
    link: str | None = None,
    again_when_done: bool = False,
) -> Item:
    """Add an item for a person (staff_id) or for a role in a ward or agency.

    Without a person or a role the item is for the ward's officers. With `key`, an item
    already raised under that key is returned unchanged while it is open; once done it is
    returned as it is, or, with `again_when_done`, raised again (a recurring alert).
    """
    if staff_id is None and role is None:
        role = Role.STAFF
    values = {
        "kind": kind,
        "title": title.strip()[:300],
        "body": body,
        "petition_id": petition_id,
        "staff_id": staff_id,
        "role": role,
        "ward_id": ward_id,
        "agency_id": agency_id,
        "priority": kind_of(kind).priority if priority is None else priority,
        "link": link,
        "created_at": now,
    }
    if key is not None:
        key = key[:200]
        found = session.scalar(select(Item).where(Item.dedup_key == key))
        if found is not None:
            return _again(found, values) if again_when_done and found.done_at else found
    item = Item(dedup_key=key, **values)
    try:
        with session.begin_nested():
            session.add(item)
    except IntegrityError:
        # Another transaction raised the same key between our check and our insert.
        found = session.scalar(select(Item).where(Item.dedup_key == key))
        if found is None:
            raise
        return found
    logger.info("to-do item %s raised (%s)", item.id, kind)
    return item


@dataclass(frozen=True)
class NewItem:
    """One item of a batch (`raise_items`): the same fields as `raise_item` takes."""

    kind: str
    title: str
    key: str
    body: str = ""
    petition_id: int | None = None
    staff_id: int | None = None
    role: str | None = None
    ward_id: int | None = None
    agency_id: int | None = None
    link: str | None = None


def raise_items(
    session: Session, items: Sequence[NewItem], *, now: datetime, mailed: bool = False
) -> int:
    """`raise_item` for thousands at once (a reminder pass's letters): one query for the keys
    already raised, one INSERT for the rest; return how many were added. `mailed`: the caller
    has emailed these itself (a digest), so the email jobs leave them to the daily list."""
    known: set[str] = set()
    keys = [i.key[:200] for i in items]
    for start in range(0, len(keys), 1000):
        chunk = keys[start : start + 1000]
        known.update(session.scalars(select(Item.dedup_key).where(Item.dedup_key.in_(chunk))))
    rows = []
    for spec in items:
        key = spec.key[:200]
        if key in known:
            continue
        known.add(key)
        row = {**asdict(spec), "dedup_key": key, "title": spec.title.strip()[:300]}
        del row["key"]
        row["role"] = row["role"] or (Role.STAFF if spec.staff_id is None else None)
        row["emailed_at"] = now if mailed else None
        rows.append({**row, "priority": kind_of(spec.kind).priority, "created_at": now})
    if rows:
        session.execute(insert(Item), rows)
    return len(rows)


def _again(item: Item, values: Mapping[str, object]) -> Item:
    """Open a finished item once more with the new wording (same key, same row)."""
    for name, value in values.items():
        setattr(item, name, value)
    item.done_at = item.done_by_id = item.done_note = None
    item.snoozed_until = item.emailed_at = item.read_at = None
    return item


def settle(
    session: Session,
    petition_id: int,
    action: str,
    *,
    now: datetime,
    closed: bool = False,
    staff_id: int | None = None,
    note: str = "",
) -> int:
    """Mark done the petition's open items this action handles; return how many.

    Closing the petition (`closed`) settles every item about it, but not those about the
    citizen (a deletion request, a withdrawn consent), which outlive the petition, nor a
    liaison's message still unanswered.
    """
    if closed:
        matched = Item.kind.not_in(OUTLIVE_CLOSE)
    else:
        kinds = [name for name, kind in KINDS.items() if action in kind.settled_by]
        if not kinds:
            return 0
        matched = Item.kind.in_(kinds)
    result = session.execute(
        update(Item)
        .where(Item.petition_id == petition_id, Item.done_at.is_(None), matched)
        .values(done_at=now, done_by_id=staff_id, done_note=note[:300] or None)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def settle_item(
    session: Session, key: str, *, now: datetime, staff_id: int | None = None, note: str = ""
) -> bool:
    """Mark done the open item raised under `key` (e.g. the letter once it was sent)."""
    item = session.scalar(select(Item).where(Item.dedup_key == key, Item.done_at.is_(None)))
    if item is None:
        return False
    finish(item, now=now, staff_id=staff_id, note=note)
    return True


def finish(item: Item, *, now: datetime, staff_id: int | None, note: str = "") -> None:
    """Done (by a person, or by the action that handled it)."""
    item.done_at = now
    item.done_by_id = staff_id
    item.done_note = note[:300] or None
    item.snoozed_until = None


def reopen(item: Item) -> None:
    """Undo a 'done' made by mistake."""
    item.done_at = item.done_by_id = item.done_note = None


def snooze(item: Item, *, until: datetime, now: datetime) -> None:
    """Hide the item until `until` (it comes back on its own, still open)."""
    if until <= now:
        raise ValueError("snooze until a later time")
    item.snoozed_until = until
