"""What a process hands its handlers and jobs besides a session and `now`.

Built once from the settings where the process is wired (bot.runtime); typed, so a missing
or misspelt service is an error at start-up rather than a silent default at run time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers.conversation.config import ConversationConfig
from handlers.nlp_models.store import ModelStore
from handlers.reminders.config import ReminderConfig


@dataclass(frozen=True)
class Services:
    """Configuration of the conversation, the reminders, the retention of raw events, and
    where the classifier's versions live (None: the learning loop is not wired)."""

    conversation: ConversationConfig = field(default_factory=ConversationConfig)
    reminders: ReminderConfig = field(default_factory=ReminderConfig)
    raw_retention_days: int = 7
    # Months after closing before a petition's personal data is erased (the office setting
    # "retention.anonymise_months" overrides it).
    anonymise_months: int = 24
    nlp_models: ModelStore | None = None
