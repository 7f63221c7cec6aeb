"""The conversation row of one citizen: its step, its draft, its memory and its deadlines.

Everything the bot remembers between messages lives in the database, so a restart loses
nothing: the step and the draft in their columns, the small facts in a typed
`ConversationState` (handlers/conversation/memory.py), the gathering deadline in the
indexed `due_at` column and the draft's or held messages' expiry in `expires_at`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from handlers.conversation.config import ConversationConfig
from handlers.conversation.memory import ConversationState, dump, load
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
    CONFIRM_WARD = "confirm_ward"  # a shared location proposed a ward: confirm it
    SPLIT = "split"  # one message held two problems: file two?
    RATING = "rating"
    WITHDRAW = "withdraw"  # choosing or confirming a petition to withdraw
    DATA = "data"  # the data menu or the deletion confirmation
    DATA_CORRECT = "data_correct"  # asked what to correct in the citizen's data
    QUESTION = "question"  # asked "a question or a petition?"
    HELD = "held"  # after consent: use the messages sent before it?


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
        Step.CONFIRM_WARD,
        Step.SPLIT,
    }
)


@dataclass
class Turn:
    """One inbound event being handled: who, when, the conversation and the settings.

    `state` is the conversation's memory, read once here; `save()` writes it back (the
    entry points call it when the turn ends).
    """

    session: Session
    citizen: Citizen
    conversation: Conversation
    now: datetime
    config: ConversationConfig
    replies: int = 0
    quiet: bool = False  # flood: record, but answer nothing
    facts: dict[str, Any] = field(default_factory=dict)
    state: ConversationState = field(init=False)

    def __post_init__(self) -> None:
        self.state = load(self.conversation.data)

    @property
    def step(self) -> str:
        return self.conversation.step

    def save(self) -> None:
        """Write the memory back to its column (a new dict, so SQLAlchemy sees the change)."""
        self.conversation.data = dump(self.state)

    def go(self, step: str) -> None:
        """Move to a step, keeping the expiry of a draft or of held messages in step."""
        self.conversation.step = step
        if step != Step.GATHERING:
            self.conversation.due_at = None
        if step in DRAFT_STEPS:
            self.conversation.expires_at = self.now + timedelta(hours=self.config.draft_ttl_hours)
        else:
            self.conversation.expires_at = self.state.held_until if self.state.held else None

    def draft(self) -> Petition | None:
        """The petition being drafted, if any."""
        pid = self.conversation.draft_petition_id
        return self.session.get(Petition, pid) if pid is not None else None

    def next_turn_id(self) -> int:
        """A counter per conversation, for outbox de-duplication keys."""
        self.state.turn += 1
        return self.state.turn


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
    return not load(conv.data).greeted
