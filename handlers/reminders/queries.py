"""What the admin view lists from the ledger: letters awaiting signature, the supervision agenda.

Read-only helpers for the admin screens; scope by ward like the inbox.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.reminders.ladder import AGENCY_AGENDA, AGENCY_LETTER2, AGENCY_OVERDUE
from storage.models import Agency, Forward, Petition, Reminder
from storage.models.enums import OPEN_STATES


@dataclass(frozen=True)
class LedgerEntry:
    """One letter or agenda item, with what a list row shows."""

    reminder_id: int
    rung: str
    petition_id: int
    code: str | None
    ward_id: int | None
    agency: str | None
    handler_due_on: str | None
    letter_path: str | None
    created_at: datetime


def _entries(session: Session, query: Any) -> list[LedgerEntry]:
    return [LedgerEntry(*row) for row in session.execute(query)]


def _base(ward_ids: Collection[int] | None) -> Any:
    query = (
        select(
            Reminder.id,
            Reminder.rung,
            Petition.id,
            Petition.code,
            Petition.ward_id,
            Agency.name,
            Reminder.due_on,
            Reminder.letter_path,
            Reminder.created_at,
        )
        .join(Petition, Petition.id == Reminder.petition_id)
        .outerjoin(Forward, Forward.id == Reminder.forward_id)
        .outerjoin(Agency, Agency.id == Forward.agency_id)
        .where(Petition.state.in_(sorted(OPEN_STATES)))
        .order_by(Reminder.created_at.desc(), Reminder.id.desc())
    )
    if ward_ids is not None:
        query = query.where(Petition.ward_id.in_(list(ward_ids)))
    return query


def letters_to_sign(
    session: Session, *, ward_ids: Collection[int] | None = None, limit: int = 200
) -> list[LedgerEntry]:
    """Generated đôn đốc letters of petitions still open, newest first (None: every ward)."""
    letters = (AGENCY_OVERDUE, AGENCY_LETTER2)
    query = _base(ward_ids).where(Reminder.rung.in_(letters)).limit(limit)
    return _entries(session, query)


def supervision_agenda(
    session: Session, *, ward_ids: Collection[int] | None = None, limit: int = 200
) -> list[LedgerEntry]:
    """Open petitions listed for the standing committee's supervision, newest first."""
    query = _base(ward_ids).where(Reminder.rung == AGENCY_AGENDA).limit(limit)
    return _entries(session, query)
