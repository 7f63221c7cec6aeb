"""The quiet-window tick: answer bursts of messages once they have gone quiet."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from handlers.conversation import intake
from handlers.conversation.state import Step, Turn
from storage.models import Citizen, Conversation


def due_conversations(session: Session, now: datetime, *, limit: int = 100) -> list[int]:
    """Conversations whose burst has gone quiet and waits for the bot's answer."""
    return list(
        session.scalars(
            select(Conversation.id)
            .where(Conversation.due_at <= now, Conversation.step == Step.GATHERING)
            .order_by(Conversation.due_at)
            .limit(limit)
        )
    )


def flush_one(session: Session, conversation_id: int, now: datetime, config: Any) -> bool:
    """Answer one quiet burst (locked, so two processes never answer it twice)."""
    if session.get_bind().dialect.name == "sqlite":
        # First statement a write: SQLite takes its write lock now, not at the first change.
        session.execute(
            update(Conversation)
            .where(Conversation.id == conversation_id, Conversation.step == Step.GATHERING)
            .values(step=Step.GATHERING)
            .execution_options(synchronize_session=False)
        )
    conv = session.scalar(
        select(Conversation)
        .where(Conversation.id == conversation_id, Conversation.step == Step.GATHERING)
        .with_for_update(skip_locked=True)
    )
    if conv is None or conv.due_at is None or conv.due_at > now:
        return False
    citizen = session.get(Citizen, conv.citizen_id)
    if citizen is None:
        return False
    turn = Turn(session, citizen, conv, now, config)
    turn.next_turn_id()
    intake.advance(turn)
    turn.save()
    return True
