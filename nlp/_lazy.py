"""Thread-safe lazy values: heavy resources load on first use, once per process."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Lazy(Generic[T]):
    """Build a value with ``factory`` on the first ``get()``; later calls reuse it."""

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._lock = threading.Lock()
        self._value: T | None = None
        self._ready = False

    def get(self) -> T:
        """Return the value, building it under a lock if no thread has yet."""
        if not self._ready:
            with self._lock:
                if not self._ready:
                    self._value = self._factory()
                    self._ready = True
        return self._value  # type: ignore[return-value]

    def set(self, value: T) -> None:
        """Replace the value (a newly installed model version)."""
        with self._lock:
            self._value = value
            self._ready = True

    def reset(self) -> None:
        """Forget the value so the next ``get()`` rebuilds it (after retraining, in tests)."""
        with self._lock:
            self._value = None
            self._ready = False

    @property
    def loaded(self) -> bool:
        """Tell whether the value has been built."""
        return self._ready
