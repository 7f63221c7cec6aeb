"""What an agency may read about a petition: the one filter every agency-facing text goes through.

Emails, slips, the liaison's pages and the internal thread all call `for_agency`. It masks
personal data (phones, ID numbers, emails, accounts, and any other run of six or more digits,
such as a phone number cut short) everywhere, and for a protected petition
(a tố cáo, or a field handled confidentially) it also removes every way the author is named
that the petition knows of: the name the citizen gave and their Zalo display name, matched
without regard to case or diacritics ("Lê Văn Tám", "le van tam", "LÊ VĂN TÁM").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from nlp.normalize import fold
from nlp.pii import mask
from storage.models import Petition
from storage.models.enums import LegalType

#: What stands where a protected author's name was.
AUTHOR = "[người tố cáo]"
#: The slip's "from" line for a protected petition.
PROTECTED_AUTHOR = "Người tố cáo (thông tin được giữ bí mật theo Điều 47 Luật Tố cáo năm 2018)"
#: Names shorter than this (after folding) are not searched for: too many false hits.
_MIN_NAME = 3
#: What stands where six or more digits were that the personal-data masker did not take
#: (a phone number cut short by a summary's length limit, "0905 123").
DIGITS = "[số đã che]"
_LONG_DIGITS = re.compile(r"(?<![\w-])\d(?:[ .]?\d){5,}(?!\w)")
_LINK = re.compile(r"(https?://[^\s<>\"]+)")


def is_protected(petition: Petition) -> bool:
    """A tố cáo, or a field handled confidentially: the author is never forwarded."""
    confidential = petition.category is not None and petition.category.confidential
    return petition.legal_type == LegalType.TO_CAO or confidential


def for_agency(petition: Petition, text: str | None) -> str:
    """The text as an agency may read it (see the module docstring).

    Links (the petition's page in an email) pass untouched: masking would break them.
    """
    parts = _LINK.split(unicodedata.normalize("NFC", text or ""))
    names = author_names(petition) if is_protected(petition) else []
    return "".join(part if n % 2 else _filter(part, names) for n, part in enumerate(parts))


def _filter(text: str, names: list[str]) -> str:
    out = _LONG_DIGITS.sub(DIGITS, mask(text))
    for name in names:
        out = _name_pattern(name).sub(AUTHOR, out)
    return out


def author_names(petition: Petition) -> list[str]:
    """The names this petition knows its author by (longest first, so no name is half-cut)."""
    citizen = petition.citizen
    names = {petition.reporter_name, citizen.display_name if citizen else None}
    found = [n.strip() for n in names if n and len(fold(n)) >= _MIN_NAME]
    return sorted(found, key=len, reverse=True)


@lru_cache(maxsize=256)
def _name_pattern(name: str) -> re.Pattern[str]:
    """A regex matching the name in any case, with or without diacritics, any spacing."""
    parts = [_word_pattern(word) for word in fold(name).split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)", re.IGNORECASE)


def _word_pattern(folded_word: str) -> str:
    return "".join(_letter_class(ch) for ch in folded_word)


@lru_cache(maxsize=64)
def _letter_class(base: str) -> str:
    """Every NFC letter that folds to `base` (a → [aàáảãạăằ…âầ…]); others stand for themselves."""
    variants = {base}
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        ch = chr(code)
        if fold(ch) == base:
            variants.add(ch.lower())
    if len(variants) == 1:
        return re.escape(base)
    return "[" + "".join(re.escape(v) for v in sorted(variants)) + "]"
