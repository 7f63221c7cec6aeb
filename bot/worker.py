"""The worker process: processes stored events, answers quiet bursts, sends the outbox.

`flask --app wsgi worker`; several may run, on several machines. The web process only
verifies, stores and answers; the conversation, the NLP and every call to Zalo happen here,
so a burst of messages never slows the webhook's 200. A worker sleeps until woken: on
PostgreSQL a NOTIFY (storage.wake) reaches it from any process when an event is stored or a
message queued; on SQLite commits of its own process wake it and other processes' work is
found by a short poll (WORKER_POLL_MS). Each pass claims and processes due events (the
oldest open one of each citizen, so their messages stay in order), answers conversations
whose gathering window has passed; sender threads send what is due and a thread of its own
fetches evidence, so neither Zalo's network time nor a slow file server holds up the
processing. Everything is claimed in the database, so a killed worker loses nothing and a
second one repeats nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import click
import psycopg
from flask.cli import with_appcontext
from sqlalchemy import Engine

from bot.clock import offset_clock, parse_now, stop_on_signals
from bot.loops import Loop
from bot.runtime import Runtime, runtime_of
from handlers.conversation.jobs import flush
from storage import wake

logger = logging.getLogger(__name__)

#: Seconds between download passes when nothing new arrived.
DOWNLOAD_POLL = 5.0


@dataclass
class Worker:
    """One worker: a loop of passes, a waiter, sender threads and a download thread."""

    runtime: Runtime
    batch: int = 8
    #: Threads sending the outbox: a call to Zalo waits on the network, not on this process,
    #: so several at once keep a burst's replies flowing (rows are claimed: never twice).
    senders: int = 4
    _outbox: threading.Event = field(default_factory=threading.Event, repr=False)
    _downloads: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def poll(self) -> float:
        return max(self.runtime.settings.worker_poll_ms, 10) / 1000

    def run(self, stop: threading.Event) -> None:
        """Work until `stop` is set."""
        waiter = Waiter.for_engine(self.runtime.db.engine)
        helpers = [
            self._repeat("downloads", self._fetch, self._downloads, DOWNLOAD_POLL),
            *(
                self._repeat(f"sender-{n}", self._send, self._outbox, self.poll)
                for n in range(self.senders)
            ),
        ]
        for loop in helpers:
            loop.start()
        logger.info("worker started")
        try:
            while not stop.is_set():
                if not self._pass_safely():
                    waiter.wait(self.poll)
                    self._outbox.set()  # woken by a NOTIFY: it may be a message to send
        finally:
            for loop in helpers:
                loop.stop_event.set()
            self._outbox.set()  # wake them so they see the stop
            self._downloads.set()
            for loop in helpers:
                loop.stop()
            waiter.close()
            logger.info("worker stopped")

    def step(self) -> bool:
        """One pass of processing; whether it found anything to do."""
        processed = self.runtime.zalo.processor.process_due(limit=self.batch, download=False)
        if processed["processed"]:
            self._downloads.set()
        answered = flush(self.runtime.job_context())
        if processed.total() or answered:
            self._outbox.set()
        return bool(processed.total() or answered)

    def _pass_safely(self) -> bool:
        try:
            return self.step()
        except Exception:  # the database went away, a bug: log, breathe, go on
            logger.exception("worker pass failed")
            return False

    def _send(self) -> bool:
        return bool(self.runtime.zalo.sender.drain(limit=20).total())

    def _fetch(self) -> bool:
        return bool(self.runtime.zalo.processor.fetch_downloads())

    @staticmethod
    def _repeat(name: str, work: Callable[[], bool], signal: threading.Event, idle: float) -> Loop:
        """A thread doing `work` while it finds some, then waiting for `signal` (or `idle`)."""

        def loop(stop: threading.Event) -> None:
            while not stop.is_set():
                try:
                    busy = work()
                except Exception:
                    logger.exception("%s pass failed", name)
                    busy = False
                if not busy:
                    signal.wait(idle)
                    signal.clear()

        return Loop(name, loop)


class Waiter:
    """Sleeps until woken or `timeout` (SQLite: this process's commits)."""

    def wait(self, timeout: float) -> None:
        wake.LOCAL.wait(timeout)
        wake.LOCAL.clear()

    def close(self) -> None:
        """Nothing to release."""

    @staticmethod
    def for_engine(engine: Engine) -> Waiter:
        return PgWaiter(engine) if engine.dialect.name == "postgresql" else Waiter()


class PgWaiter(Waiter):
    """LISTENs on a connection of its own; a NOTIFY from any process wakes it."""

    def __init__(self, engine: Engine) -> None:
        raw = engine.raw_connection()
        self._conn: psycopg.Connection[Any] = raw.driver_connection  # type: ignore[assignment]
        raw.detach()  # never back to the pool: it stays LISTENing
        self._raw = raw
        self._conn.rollback()  # the pool's ping may have left a transaction open
        self._conn.autocommit = True
        self._conn.execute(f"LISTEN {wake.CHANNEL}")

    def wait(self, timeout: float) -> None:
        got = list(self._conn.notifies(timeout=timeout, stop_after=1))
        if got:  # swallow the rest of a burst: one pass serves them all
            list(self._conn.notifies(timeout=0.001))  # (0 would mean: wait forever)

    def close(self) -> None:
        self._raw.close()


def embedded(runtime: Runtime) -> Loop:
    """A worker in a thread of this process (`make run`, tests)."""
    return Loop("worker", Worker(runtime).run)


@click.command("worker")
@click.option("--now", "now_text", default=None, help="Run as if the clock read this (ISO-8601).")
@with_appcontext
def worker_command(now_text: str | None) -> None:
    """Process stored Zalo events and send replies until stopped (several may run)."""
    runtime = runtime_of()
    if now_text:
        runtime.use_clock(offset_clock(parse_now(now_text)))
    Worker(runtime).run(stop_on_signals())
