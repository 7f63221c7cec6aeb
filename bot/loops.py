"""A loop in a thread of this process: how `make run` and the tests embed the worker and the
scheduler, which production runs as processes of their own."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Loop:
    """Runs `target(stop)` in a daemon thread until `stop()` sets the event it was given."""

    name: str
    target: Callable[[threading.Event], None]
    stop_event: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None

    def start(self) -> Loop:
        self.stop_event.clear()
        self.thread = threading.Thread(
            target=self.target, args=(self.stop_event,), name=self.name, daemon=True
        )
        self.thread.start()
        return self

    def stop(self, timeout: float = 30) -> None:
        """Ask the loop to end and wait for it (its current pass finishes first)."""
        self.stop_event.set()
        if self.thread is not None:
            self.thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self.thread is not None and self.thread.is_alive()
