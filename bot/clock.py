"""The process's clock (the only place that reads the wall clock for the handlers), and the
command-line plumbing every long-running command shares."""

from __future__ import annotations

import signal
import threading
from datetime import UTC, datetime

import click

from handlers.clock import Clock


def system_clock() -> datetime:
    """The current instant, aware UTC."""
    return datetime.now(UTC)


def offset_clock(start: datetime | None) -> Clock:
    """Real time, or real time shifted so that it reads `start` now (replays, catch-ups)."""
    if start is None:
        return system_clock
    offset = start - system_clock()
    return lambda: system_clock() + offset


def parse_now(text: str) -> datetime:
    """A `--now` option: an ISO-8601 time with a zone, as aware UTC."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"not an ISO-8601 time: {text}", param_hint="--now") from None
    if parsed.tzinfo is None:
        raise click.BadParameter(
            "needs a time zone, e.g. 2026-11-30T08:00:00+07:00", param_hint="--now"
        )
    return parsed.astimezone(UTC)


def stop_on_signals() -> threading.Event:
    """An event that SIGTERM or SIGINT sets: long-running commands stop cleanly on it."""
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    return stop
