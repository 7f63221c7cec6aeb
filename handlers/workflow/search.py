"""The inbox's search keys: code, text and phone folded (no diacritics, lower case) for Front
staff, who may read it all; and what an agency may read, for its liaisons (a search must not
find what its user cannot see: masked digits, a tố cáo's author)."""

from __future__ import annotations

import re

from handlers.agencies.disclosure import agency_search_key
from nlp.normalize import fold
from storage.models import Petition

_NON_DIGITS = re.compile(r"\D+")


def search_key(petition: Petition) -> str:
    """fold(code + text + phone); the phone also digits-only so '0905 123 456' matches."""
    phones = [p for p in (petition.callback_phone, _citizen_phone(petition)) if p]
    digits = [_NON_DIGITS.sub("", p) for p in phones]
    parts = [petition.code or "", petition.summary or "", petition.text or "", *phones, *digits]
    return fold(" ".join(p for p in parts if p))


def refresh_search_text(petition: Petition) -> None:
    """Call wherever code, text, phone or what an agency may read change (submit, entry,
    classification, redaction, the review for agencies, forwarding)."""
    petition.search_text = search_key(petition)
    petition.agency_search_text = agency_search_key(petition)


def search_query(text: str) -> str:
    """What the inbox matches: the staff's words folded the same way."""
    return fold(text)


def _citizen_phone(petition: Petition) -> str | None:
    citizen = petition.citizen
    return citizen.phone if citizen is not None else None
