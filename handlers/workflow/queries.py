"""Small reads the transitions share: the active forward, duplicates, the state before a pause."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Forward, Petition, PetitionEvent
from storage.models.enums import PetitionState as S


def active_forward(session: Session, petition: Petition) -> Forward | None:
    """The forward whose handler clock is running (the newest active one)."""
    return session.scalar(
        select(Forward)
        .where(Forward.petition_id == petition.id, Forward.active.is_(True))
        .order_by(Forward.id.desc())
        .limit(1)
    )


def latest_forward(session: Session, petition: Petition) -> Forward | None:
    """The newest forward, active or not (its answer is the result to review)."""
    return session.scalar(
        select(Forward)
        .where(Forward.petition_id == petition.id)
        .order_by(Forward.id.desc())
        .limit(1)
    )


def forwards_of(session: Session, petition: Petition) -> list[Forward]:
    """Every forward of a petition, oldest first."""
    return list(
        session.scalars(
            select(Forward).where(Forward.petition_id == petition.id).order_by(Forward.id)
        )
    )


def duplicates_of(session: Session, petition: Petition) -> list[Petition]:
    """Petitions merged into this one (their reporters hear the master's outcome)."""
    return list(
        session.scalars(
            select(Petition).where(Petition.duplicate_of_id == petition.id).order_by(Petition.id)
        )
    )


def state_before_pause(session: Session, petition: Petition) -> str:
    """The working state a petition left when it went to need_info (from the audit trail)."""
    source = session.scalar(
        select(PetitionEvent.from_state)
        .where(PetitionEvent.petition_id == petition.id, PetitionEvent.to_state == S.NEED_INFO)
        .order_by(PetitionEvent.id.desc())
        .limit(1)
    )
    return source if source and source != S.NEED_INFO else S.RECEIVED


def entered_at(session: Session, petition: Petition) -> datetime | None:
    """When the petition was submitted into the system (its submit event): later than
    received_at for a letter staff entered after the day it arrived."""
    return session.scalar(
        select(PetitionEvent.created_at)
        .where(PetitionEvent.petition_id == petition.id, PetitionEvent.action == "submit")
        .order_by(PetitionEvent.id)
        .limit(1)
    )
