"""What a drafted chase document leaves behind: a ChaseLetter row for the letters screen, a
line in the petition's history, and an item for the people who must sign and send it.

All in the pass's transaction, in bulk (a catch-up drafts thousands): the document counts as
drafted exactly when its ledger row does. It is "sent" only once staff record its number,
signer and date (handlers.chase.record_sent).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from handlers.reminders import ladder
from handlers.reminders.engine import Pass, Planned
from handlers.tasks import NewItem, raise_items
from storage.models import ChaseLetter, PetitionEvent, Reminder
from storage.models.enums import ActorType, Role

#: The document each rung drafts (ChaseLetter.kind).
KIND_OF_RUNG = {
    ladder.AGENCY_OVERDUE: "letter1",
    ladder.AGENCY_LETTER2: "letter2",
    ladder.AGENCY_AGENDA: "agenda",
}
#: The rung whose template fills each kind (the final copy is filled again when sent).
RUNG_OF_KIND = {kind: rung for rung, kind in KIND_OF_RUNG.items()}

KIND_LABELS = {
    "letter1": "Văn bản đôn đốc lần 1",
    "letter2": "Văn bản đôn đốc lần 2",
    "agenda": "Đề xuất đưa vào chương trình giám sát",
}


def record_drafts(
    session: Session, p: Pass, drafted: Sequence[tuple[Planned, dict[str, str]]]
) -> int:
    """Rows, history lines and items for documents just written; return how many."""
    if not drafted:
        return 0
    keys = [pl.act.key for pl, _ in drafted]
    reminder_ids: dict[str, int] = {}
    for start in range(0, len(keys), 1000):
        chunk = keys[start : start + 1000]
        found = session.execute(select(Reminder.key, Reminder.id).where(Reminder.key.in_(chunk)))
        reminder_ids.update((key, rid) for key, rid in found)
    rows = [_row(p, pl, values, reminder_ids[pl.act.key]) for pl, values in drafted]
    created = session.execute(
        insert(ChaseLetter).returning(ChaseLetter.id, ChaseLetter.reminder_id), rows
    ).all()
    letter_ids = {reminder_id: letter_id for letter_id, reminder_id in created}
    session.execute(insert(PetitionEvent), [_event(p, pl) for pl, _ in drafted])
    items = [_item(p, pl, letter_ids[reminder_ids[pl.act.key]]) for pl, _ in drafted]
    raise_items(session, items, now=p.now, mailed=True)  # the ward's digest email lists them
    return len(rows)


def _row(p: Pass, pl: Planned, values: dict[str, str], reminder_id: int) -> dict[str, Any]:
    row = pl.item.row
    return {
        "reminder_id": reminder_id,
        "petition_id": row.petition_id,
        "forward_id": row.id,
        "agency_id": row.agency_id,
        "kind": KIND_OF_RUNG[pl.act.rung],
        "draft_path": pl.act.letter_path,
        "fields": values,
        "created_at": p.now,
    }


def _event(p: Pass, pl: Planned) -> dict[str, Any]:
    """The history line: drafted, waiting for a number and a signature (not sent)."""
    kind = KIND_OF_RUNG[pl.act.rung]
    agency = p.agencies[pl.item.row.agency_id].name
    note = (
        f"Hệ thống soạn dự thảo {KIND_LABELS[kind].lower()} gửi {agency}; chờ cán bộ trình ký, "
        "ghi số và gửi."
    )
    return {
        "petition_id": pl.item.petition_id,
        "actor_type": ActorType.SYSTEM,
        "actor_id": None,
        "action": "agenda_drafted" if kind == "agenda" else "letter_drafted",
        "from_state": pl.item.row.state,
        "to_state": pl.item.row.state,
        "note": note,
        "created_at": p.now,
    }


def _item(p: Pass, pl: Planned, letter_id: int) -> NewItem:
    """Letters are for the ward's officers to sign and send; proposals for its supervisors."""
    row = pl.item.row
    kind = KIND_OF_RUNG[pl.act.rung]
    agency = p.agencies[row.agency_id]
    if kind == "agenda":
        title = f"{row.code}: {agency.name} quá hạn 20 ngày làm việc — đề xuất đưa vào giám sát"
    else:
        to = agency.name if kind == "letter1" else (agency.head_title or agency.name)
        title = f"{row.code}: ký, ghi số và gửi {KIND_LABELS[kind].lower()} đến {to}"
    return NewItem(
        kind="agenda" if kind == "agenda" else "letter",
        title=title,
        key=f"letter:{letter_id}",
        petition_id=row.petition_id,
        role=Role.SUPERVISOR if kind == "agenda" else Role.STAFF,
        ward_id=pl.item.ward_id,
        link=f"/letters/{letter_id}",
    )
