"""The bot's own grammar: button payloads and the few words citizens type as commands.

Pure functions over text (no database): what a message asks the bot to do, before any NLP.
Typed commands work with or without diacritics ("tra cứu" = "tra cuu"); button payloads
start with "#" and carry what the button means ("#ward:tam_ky", "#kq:TK-2611-000123:0").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.everyday import everyday
from nlp.normalize import fold


@dataclass(frozen=True)
class Command:
    """What a message asks for: a name and its arguments (a code, a ward, a number)."""

    name: str
    arg: str | None = None
    value: str | None = None


# Tracking codes: unit-year-month-sequence, typed with or without dashes or spaces.
_CODE = re.compile(r"(?<![a-z0-9])([a-z]{1,8})[\s-]?(\d{2})(\d{2})[\s-]?(\d{1,6})(?![0-9])")
_LOOKUP = re.compile(r"^(?:tra cuu|tra|kiem tra|tinh trang|xem)\b(?:\s*(?:ho so|ma|don))?\s*(.*)$")
_LIST = re.compile(r"^(?:ds|danh sach)(?:\s+(?:ho so|cua toi|don))*\s*$")
_WITHDRAW_CONSENT = re.compile(r"^(?:toi\s+|em\s+)?(?:rut|huy|thu hoi|bo)\s+(?:su\s+)?dong y\b")
_WITHDRAW = re.compile(r"^(?:toi\s+|em\s+)?(?:rut|rut lai|rut don|rut ho so)\b(.*)$")
_REOPEN = re.compile(r"^(?:mo lai|mo lai ho so)\b(.*)$")
_CONSENT_NO = re.compile(r"^(?:toi\s+|em\s+|minh\s+)?(?:khong|ko|k|kg|hong|chua)\s+(?:dong y|dy)\b")
_CONSENT_YES = re.compile(
    r"^(?:vang|da|ok|oke|co|u|uh|toi|em|minh|,|\s)*(?:dong y|dy|chap nhan|ok|oke|co)\b"
)
_SEND = re.compile(r"^(?:gui|gui di|gui luon|ok gui|xac nhan gui|xac nhan)[.!\s]*$")
_EDIT = re.compile(r"^(?:sua|chinh sua|sua lai)[.!\s]*$")
_CANCEL = re.compile(r"^(?:huy|huy bo|huy phan anh|thoi khong gui)[.!\s]*$")
_SKIP = re.compile(r"^(?:bo qua|khong can|khong|ko|k|thoi|skip)[.!\s]*$")
_DATA = re.compile(r"^(?:xem\s+)?du lieu(?:\s+ca nhan)?(?:\s+cua toi)?[.?!\s]*$")
_FEEDBACK = re.compile(r"^(?:(da)|(chua))\s+(?:duoc\s+)?giai quyet(?:\s+(?:xong|roi))?\b(.*)$")
_RATING = re.compile(r"^([1-5])(?:\s*(?:sao|diem|/\s*5))?[.!\s]*$")


def find_code(text: str, prefix: str = "TK") -> str | None:
    """The first tracking code in the text, in its canonical form (TK-2611-000123)."""
    for m in _CODE.finditer(fold(text)):
        unit, yy, mm, seq = m.groups()
        if unit.upper() != prefix.upper() or not 1 <= int(mm) <= 12:
            continue
        return f"{unit.upper()}-{yy}{mm}-{int(seq):06d}"
    return None


def parse_payload(text: str) -> Command | None:
    """A button payload ("#name:arg:value") as a Command, or None for ordinary text."""
    raw = text.strip()
    if not raw.startswith("#") or " " in raw:
        return None
    name, _, rest = raw[1:].partition(":")
    arg, _, value = rest.partition(":")
    return Command(name, arg or None, value or None) if name else None


def parse_text(text: str, prefix: str = "TK") -> Command | None:
    """A typed command, or None when the text is something to understand, not a command."""
    payload = parse_payload(text)
    if payload is not None:
        return payload
    folded = fold(text).strip(" .!?")
    if not folded:
        return None
    code = find_code(text, prefix)
    for parse in (_parse_consent_words, _parse_petition_words, _parse_draft_words):
        found = parse(folded, code)
        if found is not None:
            return found
    return None


def _parse_consent_words(folded: str, code: str | None) -> Command | None:
    if _WITHDRAW_CONSENT.match(folded) or everyday(folded) == "withdraw_consent":
        return Command("withdraw_consent")
    if _DATA.match(folded):
        return Command("data")
    if _CONSENT_NO.match(folded) and len(folded.split()) <= 6:
        return Command("consent", "no")
    if _CONSENT_YES.match(folded) and len(folded.split()) <= 5:
        return Command("consent", "yes")
    return None


def _parse_petition_words(folded: str, code: str | None) -> Command | None:
    lookup = _LOOKUP.match(folded)
    if lookup and (code or len(lookup.group(1).split()) <= 2):
        return Command("lookup", code)
    if _LIST.match(folded):
        return Command("list")
    withdraw = _WITHDRAW.match(folded)
    if withdraw and (code or len(withdraw.group(1).split()) <= 2):
        return Command("withdraw", code)
    reopen = _REOPEN.match(folded)
    if reopen and (code or not reopen.group(1).strip()):
        return Command("reopen", code)
    feedback = _FEEDBACK.match(folded)
    if feedback and len(feedback.group(3).split()) <= 3:
        return Command("kq", code, "1" if feedback.group(1) else "0")
    if code and folded.replace("-", "").replace(" ", "") == code.lower().replace("-", ""):
        return Command("lookup", code)
    return None


def _parse_draft_words(folded: str, code: str | None) -> Command | None:
    if _SEND.match(folded):
        return Command("send")
    if _EDIT.match(folded):
        return Command("edit")
    if _CANCEL.match(folded):
        return Command("edit", "cancel")
    if _SKIP.match(folded):
        return Command("skip")
    rating = _RATING.match(folded)
    if rating:
        return Command("rating", None, rating.group(1))
    return None
