"""The conversation row of one citizen: its step, its draft and small facts in `data`.

Everything the bot remembers between messages lives here, in the database, so a restart
loses nothing. `data` is JSON: always replace it (`put`), never mutate it in place, so
SQLAlchemy sees the change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from handlers.conversation.config import ConversationConfig
from storage.models import Citizen, Conversation, Petition


class Step:
    """Where the conversation stands (the `conversations.step` column)."""

    IDLE = "idle"
    CONSENT = "consent"  # asked for consent, waiting
    GATHERING = "gathering"  # a draft is collecting a burst of messages
    ASK_WHICH = "ask_which"  # new petition or follow-up of an open one?
    ASK_TEXT = "ask_text"
    ASK_WARD = "ask_ward"
    ASK_PLACE = "ask_place"
    CONFIRM = "confirm"  # summary shown, GỬI / Sửa
    EDIT = "edit"
    EDIT_TEXT = "edit_text"
    RATING = "rating"
    WITHDRAW = "withdraw"  # choosing or confirming a petition to withdraw
    DATA = "data"  # the data menu or the deletion confirmation


#: Steps in which a draft petition exists.
DRAFT_STEPS = frozenset(
    {
        Step.GATHERING,
        Step.ASK_WHICH,
        Step.ASK_TEXT,
        Step.ASK_WARD,
        Step.ASK_PLACE,
        Step.CONFIRM,
        Step.EDIT,
        Step.EDIT_TEXT,
    }
)


@dataclass
class Turn:
    """One inbound event being handled: who, when, the conversation and the settings."""

    session: Session
    citizen: Citizen
    conversation: Conversation
    now: datetime
    config: ConversationConfig
    replies: int = 0
    quiet: bool = False  # flood: record, but answer nothing
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def step(self) -> str:
        return self.conversation.step

    def get(self, key: str, default: Any = None) -> Any:
        return (self.conversation.data or {}).get(key, default)

    def put(self, **changes: Any) -> None:
        """Change `data` keys (None removes a key)."""
        data = dict(self.conversation.data or {})
        for key, value in changes.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        self.conversation.data = data

    def go(self, step: str, **changes: Any) -> None:
        """Move to a step, touching the expiry of a draft."""
        self.conversation.step = step
        self.put(**changes)
        if step in DRAFT_STEPS:
            self.conversation.expires_at = self.now + timedelta(hours=self.config.draft_ttl_hours)
        else:
            self.conversation.expires_at = None

    def draft(self) -> Petition | None:
        """The petition being drafted, if any."""
        pid = self.conversation.draft_petition_id
        return self.session.get(Petition, pid) if pid is not None else None

    def next_turn_id(self) -> int:
        """A counter per conversation, for outbox de-duplication keys."""
        n = int(self.get("turn", 0)) + 1
        self.put(turn=n)
        return n


def conversation_for(session: Session, citizen: Citizen, *, lock: bool = True) -> Conversation:
    """The citizen's conversation, created on first contact; locked for this transaction."""
    query = select(Conversation).where(Conversation.citizen_id == citizen.id)
    if lock:
        query = query.with_for_update()
    conv = session.scalar(query)
    if conv is not None:
        return conv
    conv = Conversation(citizen_id=citizen.id, step=Step.IDLE, data={})
    try:
        with session.begin_nested():
            session.add(conv)
    except IntegrityError:
        # Two events of one citizen raced on first contact; use the other's row.
        conv = session.scalars(query).one()
    return conv


def is_first_contact(conv: Conversation) -> bool:
    """Whether the bot has not greeted this citizen yet."""
    return not (conv.data or {}).get("greeted")
