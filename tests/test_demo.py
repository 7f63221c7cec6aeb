"""The demo data goes through the real workflow and is created only once."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.demo_data import DEMO_PETITIONS, seed_demo_petitions
from storage.models import Forward, Petition, PetitionEvent
from storage.models.base import utcnow
from storage.models.enums import PetitionState


def test_demo_petitions_are_real_workflow_rows(db_session: Session) -> None:
    assert seed_demo_petitions(db_session, now=utcnow(), code_prefix="TK") == len(DEMO_PETITIONS)
    petitions = list(db_session.scalars(select(Petition)))
    assert len(petitions) == len(DEMO_PETITIONS)
    assert all(p.code and p.code.startswith("TK-") for p in petitions)
    assert all(p.suggestions.get("category") for p in petitions)
    states = sorted(p.state for p in petitions)
    assert states.count(PetitionState.FORWARDED) == 1
    assert states.count(PetitionState.RECEIVED) == len(DEMO_PETITIONS) - 1
    assert db_session.scalar(select(Forward.document_number)) == "12/MTTQ-BTT"
    assert db_session.scalars(select(PetitionEvent)).first() is not None
    assert seed_demo_petitions(db_session, now=utcnow(), code_prefix="TK") == 0
