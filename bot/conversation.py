"""Wiring the citizen's conversation into a process: its settings and the quiet-window tick.

The conversation answers a burst of messages once it has gone quiet (CONVERSATION_GATHER_MS).
The scheduler's `conversation-flush` job does that every few seconds in any case; each web
process also runs a light tick (CONVERSATION_TICK_MS) so the answer comes within about a
second. In the Zalo layer's `thread` mode the commit wakes its sender; in `sync` mode (tests,
the simulator) the tick drains the outbox itself.
"""

from __future__ import annotations

import logging
import os
import threading

from flask import Flask

import handlers.conversation  # noqa: F401 - registers the conversation on the router and jobs
from bot.database import get_db
from config import Settings
from handlers.conversation import ConversationConfig, flush
from handlers.jobs import JobContext
from storage.models.base import utcnow

logger = logging.getLogger(__name__)


def init_app(app: Flask, settings: Settings) -> None:
    """Hand the conversation its settings; start the tick with the first request."""
    config = ConversationConfig.from_settings(settings)
    app.extensions["pakn.conversation"] = config
    app.extensions.setdefault("pakn.handler_services", {})["conversation"] = config
    if settings.conversation_tick_ms > 0 and not settings.testing:
        app.before_request(ticker_of(app).ensure_started)


def ticker_of(app: Flask) -> Ticker:
    """The app's tick (created on first use; started explicitly or by the first request)."""
    ticker: Ticker | None = app.extensions.get("pakn.conversation.ticker")
    if ticker is None:
        ticker = Ticker(app)
        app.extensions["pakn.conversation.ticker"] = ticker
    return ticker


class Ticker:
    """A daemon thread answering quiet bursts every CONVERSATION_TICK_MS."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        settings: Settings = app.extensions["pakn.settings"]
        self.interval = max(settings.conversation_tick_ms, 50) / 1000
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._lock = threading.Lock()

    def tick(self) -> int:
        """Answer what is due now; return how many conversations were answered."""
        settings: Settings = self.app.extensions["pakn.settings"]
        config: ConversationConfig = self.app.extensions["pakn.conversation"]
        ctx = JobContext(
            sessions=get_db(self.app).sessions, now=utcnow(), services={"conversation": config}
        )
        answered = flush(ctx, config)
        if answered:
            from bot.zalo import inline_mode, services_of

            if inline_mode(settings) == "sync":
                services_of(self.app).sender.drain(limit=50)
        return answered

    def ensure_started(self) -> None:
        """Start the thread in this process if it is not running (after a fork, too)."""
        if self._thread is not None and self._thread.is_alive() and self._pid == os.getpid():
            return
        with self._lock:
            if self._thread is not None and self._thread.is_alive() and self._pid == os.getpid():
                return
            self.start()

    def start(self) -> Ticker:
        self._stop.clear()
        self._pid = os.getpid()
        self._thread = threading.Thread(target=self._run, name="conversation-tick", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.tick()
            except Exception:  # the scheduler's job catches up; never let the thread die
                logger.exception("conversation tick failed")
