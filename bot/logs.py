"""Logging that never writes personal data: every line passes through a masking formatter.

Code logs ids and counts, never citizen text; the mask is the second line of defence for
phone numbers, ID numbers, emails, bank accounts and Zalo ids that slip into a message or
an exception.
"""

from __future__ import annotations

import logging
import re

from nlp.pii import mask

#: Zalo user/app/message ids are long digit runs; keep the last four digits for correlation.
_LONG_ID = re.compile(r"(?<!\d)\d{13,20}(?!\d)")


def mask_for_log(text: str) -> str:
    """Mask personal data in a log line."""
    return mask(_LONG_ID.sub(lambda m: "…" + m.group()[-4:], text))


class MaskingFormatter(logging.Formatter):
    """Format as usual, then mask the whole line, traceback included."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_for_log(super().format(record))


_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure(level: str = "INFO") -> None:
    """Install the masking handler on the root logger once per process."""
    root = logging.getLogger()
    root.setLevel(level.upper())
    for handler in root.handlers:
        if isinstance(handler.formatter, MaskingFormatter):
            return
    handler = logging.StreamHandler()
    handler.setFormatter(MaskingFormatter(_FORMAT))
    root.addHandler(handler)
    # Werkzeug logs request lines with query strings; they go through the same mask.
    for existing in root.handlers:
        if not isinstance(existing.formatter, MaskingFormatter):
            existing.setFormatter(MaskingFormatter(_FORMAT))
