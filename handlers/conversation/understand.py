"""What the bot understands of a message: the NLP's answers, wards, phones and places."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.places import extra_ward_names
from nlp import pii, urgency
from nlp.normalize import fold
from nlp.wards import resolve
from storage.models import Ward

#: Fields where the exact place matters to whoever goes and fixes it.
PLACE_FIELDS = frozenset(
    {"giao_thong", "ha_tang_dien_nuoc", "moi_truong", "xay_dung_do_thi", "an_ninh_trat_tu"}
)
# Words that say where: a house number and street, an alley, a hamlet, a landmark.
_PLACE_CUES = re.compile(
    r"\b(?:so nha|so \d+|\d+[a-z]? (?:duong|pho)|duong|kiet|hem|ngo|khoi pho|kp|thon|to dan pho|"
    r"to \d+|nga (?:ba|tu|nam)|truoc (?:nha|cong|cua)|gan (?:cho|truong|cau|nha)|cau [a-z]+|"
    r"cho [a-z]+|truong [a-z]+|khu (?:dan cu|do thi|pho)|kdc|quoc lo|ql ?\d+|tinh lo)\b"
)


@dataclass(frozen=True)
class WardAnswer:
    """A ward the citizen named, and the words that named it (an old name, say)."""

    ward: Ward
    matched: str
    via: str


def intent_of(text: str) -> str:
    """The NLP's intent label: petition, greeting, thanks, bot_question, status_lookup, …"""
    from nlp.intent import detect  # the intent model loads on first use

    return str(detect(text))


def analyse(session: Session, text: str) -> Any:
    """The NLP pipeline's Analysis of a petition text (field, ward, urgency, legal type)."""
    from nlp.pipeline import analyse as run  # the classifier loads on first use

    return run(text, extra_ward_names(session))


def urgent_reasons(text: str) -> tuple[str, ...]:
    """The hazards that make a message urgent (rules, no model: must never wait)."""
    found = urgency.detect(text)
    return tuple(found.reasons) if found.urgent else ()


def ward_by_code(session: Session, code: str | None) -> Ward | None:
    if not code:
        return None
    return session.scalar(select(Ward).where(Ward.code == code, Ward.active.is_(True)))


def resolve_ward(session: Session, text: str, *, weak_ok: bool = False) -> WardAnswer | None:
    """The current ward a text names (old names, no diacritics), or None when unsure."""
    match = resolve(text, extra_ward_names(session))
    if match is None or (match.via == "city_name" and not weak_ok):
        return None
    ward = ward_by_code(session, match.code)
    return WardAnswer(ward, match.matched, match.via) if ward is not None else None


def phone_in(text: str) -> str | None:
    """The first phone number in the text, digits only (0xxxxxxxxx)."""
    for span in pii.find(text):
        if span.kind == "phone":
            digits = re.sub(r"\D", "", text[span.start : span.end])
            return "0" + digits[2:] if digits.startswith("84") else digits
    return None


# The words around a number given for a call back: "bn ơi sdt e 0935… gọi e nha".
_PHONE_WORDS = re.compile(
    r"\b(?:sdt|so dien thoai|dien thoai|dt|so|cua|la|goi|lai|lien he|cho|giup|voi|vs|neu can|"
    r"ad|admin|bn|ban|oi|e|em|a|anh|chi|toi|tui|minh|t|nha|nhe|nhen|ak|day|ne|nay)\b"
)


def only_phone(text: str) -> str | None:
    """A message that is just a phone number (with a few words around it, a name say)."""
    phone = phone_in(text)
    if phone is None:
        return None
    rest = re.sub(r"[^\w\s]|\d", " ", fold(text))
    return phone if len(_PHONE_WORDS.sub(" ", rest).split()) <= 2 else None


def names_a_place(text: str) -> bool:
    """Whether the text already says where (an address, a hamlet, a landmark)."""
    return bool(_PLACE_CUES.search(fold(text)))
