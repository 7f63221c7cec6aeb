"""Masking what identifies a person in free text: the patterns nlp.pii finds (phone, ID,
email, account numbers) and the names and numbers the system knows for that person."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from nlp.normalize import loose_pattern
from nlp.pii import mask

NAME_LABEL = "[TÊN]"
_MIN_NAME = 3  # shorter "names" ("A") would mask ordinary words


@dataclass(frozen=True)
class Scrubber:
    """Call it on a text (or a JSON value) to get the version kept after anonymisation."""

    pattern: re.Pattern[str] | None

    @classmethod
    def knowing(cls, values: Iterable[str | None]) -> Scrubber:
        """A scrubber that also masks these names and numbers, however they are typed."""
        sources = {
            loose_pattern(value or "")
            for value in values
            if len(" ".join((value or "").split())) >= _MIN_NAME
        }
        sources.discard("")
        if not sources:
            return cls(None)
        body = "|".join(sorted(sources, key=len, reverse=True))
        return cls(re.compile(rf"(?<![^\W_])(?:{body})(?![^\W_])", re.IGNORECASE))

    def text(self, value: str | None) -> str:
        """The text with the known names replaced and every pattern of nlp.pii masked."""
        out = value or ""
        if self.pattern is not None:
            out = self.pattern.sub(NAME_LABEL, out)
        return mask(out)

    def value(self, value: Any) -> Any:
        """Strings anywhere inside a JSON value, masked; numbers and flags kept."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        return value
