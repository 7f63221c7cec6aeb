"""In-process work right after a commit: process the new event, send what was queued.

Modes (ZALO_INLINE_MODE): `thread` — one background thread per process, started on first
use (after gunicorn forks), fed by the webhook and woken whenever a transaction that queued
outbox rows commits; `sync` — done in the request before it answers (tests, the simulator);
`off` — only the jobs do it. Nothing here is needed for correctness: whatever is not done
in-process (crash, restart, `off`) is done by the jobs `zalo-inbound` and `outbox-drain`.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import weakref
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from bot.zalo.services import ZaloServices
from handlers.outbox import QUEUED_FLAG

logger = logging.getLogger(__name__)

_WORKERS: weakref.WeakSet[InlineWorker] = weakref.WeakSet()
_DRAIN = -1


class InlineWorker:
    """A daemon thread that processes submitted inbound ids and drains the outbox."""

    def __init__(self, services: Callable[[], ZaloServices]) -> None:
        self._services = services
        self._queue: queue.SimpleQueue[int] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._lock = threading.Lock()
        _WORKERS.add(self)

    def submit(self, inbound_id: int) -> None:
        """Process this stored delivery soon."""
        self._ensure_thread()
        self._queue.put(inbound_id)

    def wake(self) -> None:
        """Drain the outbox soon (rows were queued or released)."""
        self._ensure_thread()
        self._queue.put(_DRAIN)

    def _ensure_thread(self) -> None:
        with self._lock:
            alive = self._thread is not None and self._thread.is_alive()
            if alive and self._pid == os.getpid():
                return
            self._pid = os.getpid()  # a forked child has no thread: start its own
            self._thread = threading.Thread(target=self._run, name="zalo-inline", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                services = self._services()
                if item != _DRAIN:
                    services.processor.process(item)
                services.sender.drain(limit=50)
            except Exception:  # the jobs will pick it up; never let the thread die
                logger.exception("inline Zalo work failed (item %s)", item)


def _after_commit(session: Session) -> None:
    if session.info.pop(QUEUED_FLAG, False):
        for worker in list(_WORKERS):
            worker.wake()


def _after_rollback(session: Session) -> None:
    session.info.pop(QUEUED_FLAG, None)


def install_commit_hook() -> None:
    """Wake the workers whenever a session that queued outbox rows commits (once per process)."""
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_rollback_soft)


def _after_rollback_soft(session: Session, _previous: Any) -> None:
    _after_rollback(session)
