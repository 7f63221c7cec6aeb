"""Find and mask personal data (phone, ID, email, bank account) in free text.

``mask`` runs inside the application's logging filter on every log line, so it
is a single precompiled regex pass with a fast path for text that holds no
digit and no ``@``.  Default replacement is a label (``[SĐT]``, ``[CCCD]``,
``[EMAIL]``, ``[STK]``) because logs must carry no phone or ID digits at all
(Law 91/2025); ``style="partial"`` keeps the first two and last two characters
("09******56"), which staff find easier to recognise when redacting.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

PiiKind = Literal["phone", "cccd", "email", "bank_account"]
MaskStyle = Literal["label", "partial"]

LABELS: dict[str, str] = {
    "phone": "[SĐT]",
    "cccd": "[CCCD]",
    "email": "[EMAIL]",
    "bank_account": "[STK]",
}


@dataclass(frozen=True, slots=True)
class PiiSpan:
    """One piece of personal data: ``text[start:end]`` is the value itself."""

    kind: PiiKind
    start: int
    end: int


_SEP = r"[ .\-]?"  # one optional separator between digit groups
_NB = r"(?<![\w@+])"  # not glued to a word, an email or another number
_NA = r"(?![\w@])"

_EMAIL = (
    r"(?P<email>[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@[A-Za-z0-9\-]{1,63}"
    r"(?:\.[A-Za-z0-9\-]{1,63})+)"
)
# Keyword, up to 30 chars of bank name or punctuation, then 6-19 digits in groups.
_BANK = (
    r"(?i:(?:s[oố]\s*t[aà]i\s*kho[aả]n|\bstk|t[aà]i\s*kho[aả]n|\btk|\bacc(?:ount)?|\bng[aâ]n\s*h[aà]ng)"
    r"[^\d\n]{0,30}?)"
    r"(?P<bank>(?<!\d)\d(?:" + _SEP + r"\d){5,18}(?!\d))"
)
_IDKW = (
    r"(?i:(?:cccd|cmnd|cmt|c[aă]n\s*c[uư][oớ]c|ch[uứ]ng\s*minh(?:\s*nh[aâ]n\s*d[aâ]n)?|"
    r"\bcc|\bdd?cn|\bs[oố]\s*đ[iị]nh\s*danh)[^\d\n]{0,15}?)"
    r"(?P<idkw>(?<!\d)(?:\d(?:" + _SEP + r"\d){11}|\d{9})(?!\d))"
)
_MOBILE = r"(?:0|\(?\+?84\)?" + _SEP + r"(?:\(0\)" + _SEP + r")?)[35789](?:" + _SEP + r"\d){8}"
_LANDLINE = r"(?:0|\(?\+?84\)?" + _SEP + r"(?:\(0\)" + _SEP + r")?)2(?:" + _SEP + r"\d){9}"
_PHONE = _NB + r"(?P<phone>" + _MOBILE + "|" + _LANDLINE + r")(?!\d)"
# Citizen ID: 12 digits, province code 001-096 so it starts with 0.
_CCCD = r"(?<![\d\w])(?P<cccd>0\d{2}" + _SEP + r"\d{3}" + _SEP + r"\d{3}" + _SEP + r"\d{3})(?!\d)"
# Card and account numbers: 13-19 digits in a row carry nothing else in Vietnam.
_LONG = r"(?<![\d\w])(?P<long>\d{13,19})(?!\d)"

# Petition tracking codes (TK-2611-000123) are matched first so that nothing inside them is.
_CODE = r"(?P<code>\b[A-Za-z]{2,4}-\d{4}-\d{3,8}\b)"
_PATTERN = re.compile("|".join((_CODE, _EMAIL, _BANK, _IDKW, _PHONE, _CCCD, _LONG)))
# Every digit pattern needs six digits in a row (separators aside); see _may_contain_pii.
_SIX_DIGITS = re.compile(r"\d(?:[ .\-()+]?\d){5}")
_GROUP_KIND: dict[str, PiiKind] = {
    "email": "email",
    "bank": "bank_account",
    "idkw": "cccd",
    "phone": "phone",
    "cccd": "cccd",
    "long": "bank_account",
}


def _may_contain_pii(text: str) -> bool:
    """Cheap pre-check: every pattern needs an ``@`` or six digits."""
    return "@" in text or _SIX_DIGITS.search(text) is not None


def find(text: str) -> list[PiiSpan]:
    """Return the personal-data spans of ``text`` in order; never raises on odd input."""
    if not isinstance(text, str) or not text or not _may_contain_pii(text):
        return []
    spans: list[PiiSpan] = []
    for match in _PATTERN.finditer(text):
        group = match.lastgroup
        if group is None or group == "code":
            continue
        kind = _GROUP_KIND[group]
        spans.append(PiiSpan(kind, match.start(group), match.end(group)))
    return spans


def _partial(value: str) -> str:
    """Keep the first two and last two characters, star the rest (separators kept out)."""
    if "@" in value:
        local, _, domain = value.partition("@")
        return local[:2] + "*" * max(len(local) - 2, 1) + "@" + domain
    compact = re.sub(r"[ .\-()]", "", value)
    if len(compact) <= 4:
        return "*" * len(compact)
    return compact[:2] + "*" * (len(compact) - 4) + compact[-2:]


def mask(text: str, style: MaskStyle = "label") -> str:
    """Replace personal data in ``text``: ``[SĐT]``-style labels, or partial stars."""
    if not isinstance(text, str):
        return text
    if style == "label":
        return _replace(text, find(text), lambda span, _value: LABELS[span.kind])
    return _replace(text, find(text), lambda _span, value: _partial(value))


def _replace(text: str, spans: list[PiiSpan], how: Callable[[PiiSpan, str], str]) -> str:
    """The text with each span replaced by ``how(span, value)``."""
    if not spans:
        return text
    parts: list[str] = []
    last = 0
    for span in spans:
        parts.append(text[last : span.start])
        parts.append(how(span, text[span.start : span.end]))
        last = span.end
    parts.append(text[last:])
    return "".join(parts)


def kinds(text: str) -> tuple[str, ...]:
    """Return the distinct kinds of personal data found, in order of first appearance."""
    seen: dict[str, None] = {}
    for span in find(text):
        seen.setdefault(span.kind, None)
    return tuple(seen)


#: Kinds that identify a person or an account: never echoed in full (ID and bank numbers).
ID_KINDS: frozenset[str] = frozenset({"cccd", "bank_account"})


def mask_ids(text: str) -> str:
    """Star the middle of ID-card and bank numbers ("04********34"), leave the rest as typed.

    Used wherever the citizen's words are echoed back (the bot's summaries, the inbox list):
    a phone number the citizen gave for a call-back stays readable, an ID number does not.
    """
    if not isinstance(text, str):
        return text
    spans = [s for s in find(text) if s.kind in ID_KINDS]
    return _replace(text, spans, lambda _span, value: _partial(value))
