"""What citizens hear from the reminder jobs, through the outbox (which waits for the window).

Only petitions with a Zalo citizen get a message; walk-in, letter and phone petitions are told
by staff. Texts come from the message catalogue (handlers/messages.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from handlers import messages
from handlers.outbox import HELD_UNREACHABLE, Button
from handlers.outbox.queueing import zalo_payload
from handlers.reminders.notices import dedup
from handlers.workflow.notify import FEEDBACK_NO, FEEDBACK_YES
from storage.models import Citizen, OutboxMessage, Petition
from storage.models.enums import OutboxChannel, OutboxState
from storage.wake import wake_after_commit

logger = logging.getLogger(__name__)

OVERDUE_KEY = "notify.overdue"
FEEDBACK_REMINDER_KEY = "notify.feedback_reminder"


@dataclass(frozen=True)
class Target:
    """A petition whose citizen can get Zalo messages (columns only, no ORM objects)."""

    petition_id: int
    code: str
    citizen_id: int
    zalo_user_id: str
    unreachable: bool


def _targets(session: Session, ids: Sequence[int]) -> dict[int, Target]:
    """The petitions of `ids` with a Zalo citizen, in a query per thousand."""
    found: dict[int, Target] = {}
    for start in range(0, len(ids), 1000):
        rows = session.execute(
            select(
                Petition.id, Petition.code, Citizen.id, Citizen.zalo_user_id, Citizen.unreachable_at
            )
            .join(Citizen, Citizen.id == Petition.citizen_id)
            .where(
                Petition.id.in_(list(ids[start : start + 1000])),
                Petition.code.is_not(None),
                Citizen.zalo_user_id.is_not(None),
                Citizen.anonymised_at.is_(None),
            )
        )
        for pid, code, cid, zalo_id, unreachable_at in rows:
            found[pid] = Target(pid, str(code), cid, str(zalo_id), unreachable_at is not None)
    return found


Queued = tuple[Target, str, str, tuple[Button, ...]]


def _queue(session: Session, messages: Sequence[Queued], now: datetime) -> int:
    """Queue text messages in one statement (the outbox's rules, without a query per row).

    Each dedup key derives from a reminder row this transaction has just claimed, so no row
    with that key can exist yet; the unique index would fail the whole pass if one did.
    """
    if not messages:
        return 0
    rows = []
    for target, text, key, buttons in messages:
        held = target.unreachable  # blocked or unfollowed: kept for staff, sent if they return
        rows.append(
            {
                "channel": OutboxChannel.ZALO,
                "recipient": target.zalo_user_id,
                "citizen_id": target.citizen_id,
                "petition_id": target.petition_id,
                "kind": "text",
                "payload": zalo_payload("text", text, buttons, None, None, None),
                "dedup_key": dedup(key, "citizen"),
                "state": OutboxState.HELD if held else OutboxState.PENDING,
                "last_error": HELD_UNREACHABLE if held else None,
                "attempts": 0,
                "created_at": now,
            }
        )
    session.execute(insert(OutboxMessage), rows)
    wake_after_commit(session)
    return len(rows)


def tell_overdue(session: Session, items: Sequence[tuple[int, str, str]], now: datetime) -> int:
    """(petition id, agency name, reminder key) → notify.overdue; return how many queued."""
    targets = _targets(session, [pid for pid, _, _ in items])
    template = messages.template_for(session, OVERDUE_KEY)
    queued: list[Queued] = []
    for pid, agency, key in items:
        target = targets.get(pid)
        if target is not None:
            text = _fill(session, template, OVERDUE_KEY, code=target.code, agency=agency)
            queued.append((target, text, key, ()))
    return _queue(session, queued, now)


def ask_feedback_again(session: Session, items: Sequence[tuple[int, str]], now: datetime) -> int:
    """(petition id, reminder key) → the satisfaction question once more, with its buttons."""
    targets = _targets(session, [pid for pid, _ in items])
    template = messages.template_for(session, FEEDBACK_REMINDER_KEY)
    yes = messages.render(session, "button.resolved")[:20]
    no = messages.render(session, "button.not_resolved")[:20]
    queued: list[Queued] = []
    for pid, key in items:
        target = targets.get(pid)
        if target is not None:
            text = _fill(session, template, FEEDBACK_REMINDER_KEY, code=target.code)
            buttons = (
                Button(yes, FEEDBACK_YES.format(code=target.code)),
                Button(no, FEEDBACK_NO.format(code=target.code)),
            )
            queued.append((target, text, key, buttons))
    return _queue(session, queued, now)


def _fill(session: Session, template: str, key: str, **params: str) -> str:
    """The template read once per pass; a broken override falls back through render()."""
    try:
        return template.format_map(params)
    except (KeyError, IndexError, ValueError):
        return messages.render(session, key, **params)
