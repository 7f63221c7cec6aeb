"""What the bot remembers of one citizen between messages, as a typed record.

`ConversationState` is stored in the `conversations.data` JSON column; `load` and `dump` are
the only code that reads or writes that column, so every field has one name and one type.
Unknown keys (from an older release) are ignored; missing ones take their defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any


@dataclass
class ConversationState:
    """The conversation's small facts; the step and the draft live in their own columns."""

    # Bookkeeping of the exchange.
    turn: int = 0  # counter per conversation, for outbox de-duplication keys
    seen: list[str] = field(default_factory=list)  # message ids already answered
    greeted: bool = False
    consent_asked_at: datetime | None = None
    declined_at: datetime | None = None
    deletion_requested_at: datetime | None = None
    # Flood, spam and stickers.
    recent: list[float] = field(default_factory=list)  # epoch seconds of recent messages
    flood_at: float | None = None
    spam: int = 0
    sticker_at: datetime | None = None
    # The draft being written.
    burst_started: datetime | None = None
    decided: bool = False  # new petition, not a follow-up of an open one
    asked_ward: int = 0
    asked_place: bool = False
    ward_chosen: bool = False  # the citizen named the ward (the NLP must not override it)
    ward_matched: str | None = None  # the words that named it ("An Xuân")
    ward_via: str | None = None
    analysed: str | None = None  # hash of the text the NLP last read
    urgent_alerted: str | None = None  # "pre" or the draft id the staff alert was raised for
    urgent_note: int | None = None
    urgent_advice: list[str] = field(default_factory=list)  # its hazards' advice, said again
    proposed_ward: str | None = None  # ward code a shared location points to, to confirm
    outside: str | None = None  # a place outside the area the citizen named
    split_offered: bool = False
    split_next: int | None = None  # the second petition of a message holding two
    split_parts: list[str] = field(default_factory=list)
    # Messages sent before consent, held for a short time, then offered or deleted.
    held: list[int] = field(default_factory=list)  # petition_messages ids
    held_until: datetime | None = None
    # A message that may be a question or a petition: asked which.
    pending_text: str | None = None
    # "Ông/Bà có chắc muốn rút…?" asked for this code: a typed yes or no answers it.
    withdraw_asked: str | None = None
    # "MO LAI <mã>" sent to staff: the reason that follows goes to that petition, not a new one.
    reopen_asked: str | None = None
    reopen_asked_at: datetime | None = None
    # The office opening the out-of-hours notice last announced (said once per closed period).
    after_hours_told: str | None = None


_TIMES = frozenset(f.name for f in fields(ConversationState) if "datetime" in str(f.type))


def load(data: dict[str, Any] | None) -> ConversationState:
    """The state kept in the JSON column (tolerant of old or partial rows)."""
    state = ConversationState()
    for f in fields(ConversationState):
        if not data or data.get(f.name) is None:
            continue
        value = data[f.name]
        if f.name in _TIMES:
            value = datetime.fromisoformat(value)
        setattr(state, f.name, value)
    return state


def dump(state: ConversationState) -> dict[str, Any]:
    """The JSON the column stores (defaults left out, datetimes as ISO strings)."""
    default = ConversationState()
    out: dict[str, Any] = {}
    for f in fields(ConversationState):
        value = getattr(state, f.name)
        if value == getattr(default, f.name):
            continue
        out[f.name] = value.isoformat() if isinstance(value, datetime) else value
    return out


def forget_draft(state: ConversationState) -> None:
    """Clear what belonged to the draft that just ended (sent, discarded or moved)."""
    state.burst_started = None
    state.decided = False
    state.asked_ward = 0
    state.asked_place = False
    state.ward_chosen = False
    state.ward_matched = None
    state.ward_via = None
    state.analysed = None
    state.proposed_ward = None
    state.outside = None
    state.split_offered = False
    state.split_parts = []
