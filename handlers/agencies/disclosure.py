"""What an agency may read about a petition: the one rule every agency-facing output follows.

Emails, slips, the liaison's pages and lists, the internal thread, file names and the
liaisons' search all go through this module. `for_agency` masks personal data (phones, ID
numbers, emails, accounts, any other run of six or more digits) everywhere, and for a
protected petition (a tố cáo, or a field handled confidentially) it also removes every way
the author is named or located (see `handlers.agencies.identity`). The petition's own summary
and text are read from the version Front staff reviewed for agencies (`AgencyRedaction`),
when there is one, and that passes the same filter as a second net.
"""

from __future__ import annotations

import re
import unicodedata

from handlers.agencies.identity import (
    AUTHOR,
    NOBODY,
    identity,
    replace_spans,
    sensitive_spans,
)
from nlp.normalize import fold
from storage.models import Petition
from storage.models.enums import LegalType

__all__ = ["AUTHOR", "PROTECTED_AUTHOR", "agency_search_key", "for_agency", "is_protected"]

#: The slip's "from" line for a protected petition.
PROTECTED_AUTHOR = "Người tố cáo (thông tin được giữ bí mật theo Điều 47 Luật Tố cáo năm 2018)"
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
    who = identity(petition) if is_protected(petition) else NOBODY
    return "".join(
        part if n % 2 else replace_spans(part, sensitive_spans(part, who))
        for n, part in enumerate(parts)
    )


def agency_summary(petition: Petition) -> str:
    """The summary an agency reads (staff's reviewed one for a protected petition)."""
    review = petition.agency_redaction if is_protected(petition) else None
    return for_agency(petition, review.summary if review is not None else petition.summary)


def agency_text(petition: Petition) -> str:
    """The petition's text an agency reads (staff's reviewed one for a protected petition)."""
    review = petition.agency_redaction if is_protected(petition) else None
    if review is not None:
        return for_agency(petition, review.text)
    return for_agency(petition, petition.text or petition.summary)


def agency_search_key(petition: Petition) -> str:
    """What a liaison's search matches: the code and what they may read, folded."""
    parts = (
        petition.code or "",
        agency_summary(petition),
        agency_text(petition),
        for_agency(petition, petition.place),
    )
    return fold(" ".join(p for p in parts if p))
