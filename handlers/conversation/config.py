"""The conversation's tunables; the process builds them from its settings (bot.runtime)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time


@dataclass(frozen=True)
class ConversationConfig:
    """How patient the bot is: gathering window, draft lifetime, flood and abuse limits."""

    #: Quiet seconds after the last message before the bot answers a burst (one draft).
    gather_seconds: float = 6.0
    #: A burst that never goes quiet is answered anyway after this long.
    gather_max_seconds: float = 60.0
    #: Unsent drafts are deleted (with a polite message) after this many hours of silence.
    draft_ttl_hours: float = 24.0
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
