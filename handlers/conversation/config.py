"""The conversation's tunables, built from the process settings where the app is wired."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any


@dataclass(frozen=True)
class ConversationConfig:
    """How patient the bot is: gathering window, draft lifetime, flood and abuse limits."""

    #: Quiet seconds after the last message before the bot answers a burst (one draft).
    gather_seconds: float = 6.0
    #: A burst that never goes quiet is answered anyway after this long.
    gather_max_seconds: float = 60.0
    #: Unsent drafts are deleted (with a polite message) after this many hours of silence.
    draft_ttl_hours: float = 24.0
    #: Messages sent before consent are kept this long at most, to be offered after consent.
    hold_minutes: float = 30.0
    #: Per-citizen rate limit: at most this many messages per window get answers.
    rate_limit_messages: int = 20
    rate_limit_seconds: int = 60
    #: Abusive messages before the citizen is flagged for staff.
    abuse_flag_after: int = 3
    #: Office hours (local time), morning and afternoon, Monday–Friday except holidays.
    office_hours: tuple[tuple[time, time], ...] = (
        (time(7, 30), time(11, 30)),
        (time(13, 30), time(17, 0)),
    )
    consent_version: str = "2026-01"
    code_prefix: str = "TK"
    #: Where downloaded evidence lives (stored paths are relative to it).
    attachment_dir: str = ""

    @classmethod
    def from_settings(cls, settings: Any) -> ConversationConfig:
        """Read the `conversation_*` fields of a Settings object (duck-typed: no config import)."""
        default = cls()
        hours = getattr(settings, "conversation_office_hours", None)
        return cls(
            gather_seconds=getattr(settings, "conversation_gather_ms", 6000) / 1000,
            gather_max_seconds=default.gather_max_seconds,
            draft_ttl_hours=getattr(settings, "conversation_draft_ttl_hours", 24),
            hold_minutes=getattr(settings, "conversation_hold_minutes", default.hold_minutes),
            rate_limit_messages=getattr(settings, "conversation_rate_limit", 20),
            rate_limit_seconds=default.rate_limit_seconds,
            abuse_flag_after=getattr(settings, "conversation_abuse_flag_after", 3),
            office_hours=parse_office_hours(hours) if hours else default.office_hours,
            consent_version=getattr(settings, "consent_version", default.consent_version),
            code_prefix=getattr(settings, "petition_code_prefix", default.code_prefix),
            attachment_dir=getattr(settings, "attachment_dir", default.attachment_dir),
        )


def parse_office_hours(value: str | tuple[str, ...]) -> tuple[tuple[time, time], ...]:
    """Parse "07:30-11:30,13:30-17:00" (or a tuple of such spans) into time pairs."""
    spans = value.split(",") if isinstance(value, str) else list(value)
    result: list[tuple[time, time]] = []
    for span in spans:
        start, _, end = span.strip().partition("-")
        result.append((time.fromisoformat(start.strip()), time.fromisoformat(end.strip())))
    if not result or any(a >= b for a, b in result):
        raise ValueError("office hours need spans like 07:30-11:30")
    return tuple(result)
