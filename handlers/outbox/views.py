"""What staff see of the outbox: messages that need a person, and counts per state."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import OutboxMessage
from storage.models.enums import OutboxState


def dead_letters(session: Session, *, limit: int = 100) -> list[OutboxMessage]:
    """Messages that will not leave without a person's decision, newest first."""
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.state == OutboxState.DEAD)
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
        )
    )


def held_messages(session: Session, *, limit: int = 100) -> list[OutboxMessage]:
    """Messages waiting for the citizen to write again, oldest first."""
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.state == OutboxState.HELD)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
    )


def counts(session: Session) -> dict[str, int]:
    """How many rows are in each state (health page, tests)."""
    rows = session.execute(
        select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
    ).all()
    return {str(state): int(n) for state, n in rows}
