"""The letters screen's lists: drafted documents to sign and send, sent ones, moot ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, func, not_, select
from sqlalchemy.orm import Session

from handlers.workflow.actors import Actor
from handlers.workflow.rules import scope_clause
from storage.models import Agency, ChaseLetter, Forward, Petition

TABS = {
    "pending": "Chờ ký, gửi",
    "sent": "Đã gửi",
    "moot": "Không còn cần gửi",
    "all": "Tất cả",
}

#: Still worth sending: not sent, and the agency has not answered nor been replaced.
_RUNNING = and_(Forward.active.is_(True), Forward.answered_at.is_(None))


@dataclass(frozen=True)
class LetterRow:
    """One line of the screen."""

    letter: ChaseLetter
    code: str | None
    ward_id: int | None
    agency: str | None
    handler_due_on: date | None
    running: bool

    @property
    def status(self) -> str:
        if self.letter.sent_on is not None:
            return "sent"
        return "pending" if self.running else "moot"


def _query(actor: Actor) -> Any:
    return (
        select(
            ChaseLetter,
            Petition.code,
            Petition.ward_id,
            Agency.name,
            Forward.handler_due_on,
            _RUNNING,
        )
        .join(Petition, Petition.id == ChaseLetter.petition_id)
        .outerjoin(Agency, Agency.id == ChaseLetter.agency_id)
        .outerjoin(Forward, Forward.id == ChaseLetter.forward_id)
        .where(scope_clause(actor), Petition.state != "draft")
    )


def letters_for(
    session: Session,
    actor: Actor,
    *,
    tab: str = "pending",
    kind: str | None = None,
    agency_id: int | None = None,
    petition_id: int | None = None,
    limit: int = 300,
) -> list[LetterRow]:
    """The documents this user may see, of one tab (oldest waiting first; sent: latest)."""
    query = _query(actor)
    if tab == "pending":
        query = query.where(ChaseLetter.sent_on.is_(None), _RUNNING)
    elif tab == "sent":
        query = query.where(ChaseLetter.sent_on.is_not(None))
    elif tab == "moot":
        query = query.where(ChaseLetter.sent_on.is_(None), not_(_RUNNING))
    if kind:
        query = query.where(ChaseLetter.kind == kind)
    if agency_id is not None:
        query = query.where(ChaseLetter.agency_id == agency_id)
    if petition_id is not None:
        query = query.where(ChaseLetter.petition_id == petition_id)
    if tab == "pending":
        order: tuple[Any, ...] = (ChaseLetter.created_at, ChaseLetter.id)
    else:
        order = (ChaseLetter.created_at.desc(), ChaseLetter.id.desc())
    rows = session.execute(query.order_by(*order).limit(limit))
    return [LetterRow(*row) for row in rows]


def letter_for(session: Session, actor: Actor, letter_id: int) -> LetterRow | None:
    """One document if this user may see its petition (else it does not exist for them)."""
    row = session.execute(_query(actor).where(ChaseLetter.id == letter_id)).first()
    return LetterRow(*row) if row is not None else None


def count_pending(session: Session, actor: Actor) -> int:
    """Documents waiting to be signed and sent, in this user's scope."""
    query = (
        select(func.count())
        .select_from(ChaseLetter)
        .join(Petition, Petition.id == ChaseLetter.petition_id)
        .join(Forward, Forward.id == ChaseLetter.forward_id)
        .where(scope_clause(actor), ChaseLetter.sent_on.is_(None), _RUNNING)
    )
    return int(session.scalar(query) or 0)
