"""Filling message templates staff can edit: plain {name} placeholders and nothing else.

`str.format_map` obeys format specs, conversions, attributes and indexes, so a template like
`{code:>999999999}` renders a gigabyte. Every template staff can change is filled here: only
`{name}` is replaced, `{{` and `}}` are literal braces, and anything else is refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}|[{}]")


class UnsafeTemplate(ValueError):
    """A brace that is neither a plain {name} nor a doubled literal brace."""


def fill(template: str, values: Mapping[str, object]) -> str:
    """`template` with each {name} replaced by str(values[name]) (KeyError if missing)."""

    def one(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = match.group(1)
        if name is None:
            raise UnsafeTemplate(f"not a plain placeholder near: {template[match.start() :][:30]}")
        return str(values[name])

    return _TOKEN.sub(one, template)
