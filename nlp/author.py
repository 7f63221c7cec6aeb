"""Find where a citizen names themself in their own text: their name and their home address.

A tố cáo's author must never be identifiable to the body handling it, and citizens write
their name and address into the text ("Tôi là Phạm Văn Tố Giác, nhà ở 12 Hùng Vương …").
Numbers are `nlp.pii`'s job; this finds the words. It looks only for the *author*:
- a name after a self-introduction ("tôi là", "tên tôi là", "em tên", "con là" …) or a form
  label / signature line ("Họ tên:", "Người tố cáo" + new line), starting with a Vietnamese
  family name (or any capitalised word after a "tên" phrase or a label);
- an address after "nhà ở", "địa chỉ", "trú tại" … or a house number and street ("số 12
  đường Hùng Vương", "12 Hùng Vương") — kept only when the nearest person the text speaks of
  before it is the writer ("tôi", their name), not someone else ("ông", "bà" …).
So "tôi tố cáo ông Nguyễn Văn B, nhà ở 5 Lê Lợi, nhận hối lộ" yields nothing: the accused is
not the author. Works with and without diacritics, in any case. Pure and linear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from nlp import person_words as w
from nlp.normalize import fold

AuthorKind = Literal["name", "address"]
#: The longest name taken (family name, middle names, given name).
MAX_NAME = 5
#: The longest address taken, in words and numbers.
MAX_ADDRESS = 14
#: How far back (in words) the person an address belongs to is looked for.
CONTEXT = 40

_TOKEN = re.compile(r"[^\W_]+(?:/[^\W_]+)*")
_SENTENCE_END = re.compile(r"[.;!?…\n]")


@dataclass(frozen=True, slots=True)
class AuthorSpan:
    """`text[start:end]` names the author (kind "name") or gives their home ("address")."""

    kind: AuthorKind
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    folded: str
    start: int
    end: int

    @property
    def named(self) -> bool:
        """Capitalised as a name is ("Giác", "A"), not in capitals throughout ("GIÁC")."""
        return self.text[:1].isupper() and not self.text[1:].isupper()

    @property
    def number(self) -> bool:
        return self.text[:1].isdigit()


class _Text:
    """The text cut into words, with the gaps between them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = [
            _Token(m.group(), fold(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)
        ]

    def gap(self, i: int) -> str:
        """What stands between token i-1 and token i."""
        start = self.tokens[i - 1].end if i > 0 else 0
        return self.text[start : self.tokens[i].start]

    def phrase_at(self, i: int, phrase: tuple[str, ...]) -> bool:
        """Whether the words from i are `phrase`, separated by spaces only."""
        end = i + len(phrase)
        if end > len(self.tokens):
            return False
        if any(self.tokens[i + k].folded != word for k, word in enumerate(phrase)):
            return False
        return all(not self.gap(k).strip() for k in range(i + 1, end))


def find(text: str) -> list[AuthorSpan]:
    """Where the author names themself or gives their home, in order; never raises."""
    if not isinstance(text, str) or not text.strip():
        return []
    return list(_find(text))


def terms(text: str) -> tuple[tuple[AuthorKind, str], ...]:
    """The author's names and addresses as written, to be looked for elsewhere too; an
    address also gives its house number and street alone ("12 Hùng Vương")."""
    if not find(text):
        return ()
    doc = _Text(text)
    found: dict[tuple[AuthorKind, str], None] = {}
    for span in find(text):
        found[(span.kind, text[span.start : span.end])] = None
        if span.kind == "address":
            for core in _house_numbers(doc, span):
                found[("address", core)] = None
    return tuple(found)


def _house_numbers(doc: _Text, span: AuthorSpan) -> list[str]:
    """The "12 Hùng Vương" parts of an address span."""
    inside = [i for i, t in enumerate(doc.tokens) if span.start <= t.start < span.end]
    cores = []
    for i in inside:
        end = _house_and_street(doc, i)
        if end is not None:
            cores.append(doc.text[doc.tokens[i].start : doc.tokens[end - 1].end])
    return cores


@lru_cache(maxsize=512)
def _find(text: str) -> tuple[AuthorSpan, ...]:
    doc = _Text(text)
    names = _names(doc)
    addresses = _addresses(doc, names)
    spans = [_span(doc, "name", a, b) for a, b in names]
    spans += [_span(doc, "address", a, b) for a, b in addresses]
    return tuple(sorted(_without_overlaps(spans), key=lambda s: s.start))


def _span(doc: _Text, kind: AuthorKind, first: int, end: int) -> AuthorSpan:
    return AuthorSpan(kind, doc.tokens[first].start, doc.tokens[end - 1].end)


def _without_overlaps(spans: list[AuthorSpan]) -> list[AuthorSpan]:
    kept: list[AuthorSpan] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept


# ---------------------------------------------------------------- names


_INTRODUCTIONS = sorted((tuple(p.split()) for p in w.INTRODUCTIONS), key=len, reverse=True)
_LABELS = sorted((tuple(p.split()) for p in w.LABELS), key=len, reverse=True)


def _names(doc: _Text) -> list[tuple[int, int]]:
    """(first, end) token ranges of the author's name."""
    found = []
    for i in range(len(doc.tokens)):
        start = _after_marker(doc, i)
        if start is None:
            continue
        strong, at = start
        if at < len(doc.tokens) and doc.tokens[at].folded in w.HONORIFICS:
            at += 1 if at + 1 < len(doc.tokens) and not doc.gap(at + 1).strip() else 0
        end = _name_from(doc, at, strong)
        if end is not None:
            found.append((at, end))
    return found


def _after_marker(doc: _Text, i: int) -> tuple[bool, int] | None:
    """(strong, first token after) when a self-introduction or a label starts at token i."""
    for phrase in _INTRODUCTIONS:
        if doc.phrase_at(i, phrase) and _plain_gap(doc, i + len(phrase)):
            return "ten" in phrase, i + len(phrase)
    for phrase in _LABELS:
        end = i + len(phrase)
        if doc.phrase_at(i, phrase) and end < len(doc.tokens) and _label_gap(doc.gap(end)):
            return True, end
    if doc.tokens[i].folded == "toi" and i + 1 < len(doc.tokens):
        if doc.gap(i + 1).strip() == ",":  # "Tôi, Phạm Văn A, sinh năm …"
            return False, i + 1
    return None


def _plain_gap(doc: _Text, i: int) -> bool:
    return i < len(doc.tokens) and doc.gap(i).strip() in ("", ":")


def _label_gap(gap: str) -> bool:
    """A label is followed by a colon, or the name stands on the next line."""
    return ":" in gap or "\n" in gap


def _name_from(doc: _Text, i: int, strong: bool) -> int | None:
    """The end of the name starting at token i, or None when no name starts there."""
    if i >= len(doc.tokens) or not _may_start_name(doc.tokens[i], strong):
        return None
    end = i + 1
    while end < len(doc.tokens) and end - i < MAX_NAME and _continues_name(doc, end):
        end += 1
    if end - i < 2 and not (strong and doc.tokens[i].named):
        return None
    return end


def _may_start_name(token: _Token, strong: bool) -> bool:
    if not token.text.isalpha():
        return False
    if token.folded in w.SURNAMES:
        return True
    return strong and token.named and token.folded not in w.NAME_STOPS


def _continues_name(doc: _Text, i: int) -> bool:
    token = doc.tokens[i]
    if doc.gap(i).strip() or "\n" in doc.gap(i) or not token.text.isalpha():
        return False
    if token.named:
        return True
    if token.folded in w.NAME_STOPS or token.text.lower() in w.PARTICLES:
        return False
    return not any(doc.phrase_at(i, p) for p in w.NAME_STOP_PHRASES if p[0] == token.folded)


# ---------------------------------------------------------------- addresses


_MARKERS = sorted((tuple(p.split()) for p in w.ADDRESS_MARKERS), key=len, reverse=True)


def _addresses(doc: _Text, names: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(first, end) token ranges of the author's home address."""
    named = {k for a, b in names for k in range(a, b)}
    found = []
    i = 0
    while i < len(doc.tokens):
        hit = _address_at(doc, i)
        if hit is None:
            i += 1
            continue
        first, end, own = hit
        if end > first and (own or _about_author(doc, i, named)):
            found.append((first, end))
        i = max(end, i + 1)
    return found


def _address_at(doc: _Text, i: int) -> tuple[int, int, bool] | None:
    """(first, end, first-person marker) of an address introduced or starting at token i."""
    for phrase in _MARKERS:
        if doc.phrase_at(i, phrase):
            first = i + len(phrase)
            own = any(word in w.FIRST_PERSON for word in phrase)
            return first, _address_end(doc, first), own
    end = _house_and_street(doc, i)
    return (i, end, False) if end is not None else None


def _address_end(doc: _Text, i: int) -> int:
    end = i
    while end < len(doc.tokens) and end - i < MAX_ADDRESS:
        gap = doc.gap(end)
        if end > i and _SENTENCE_END.search(gap):
            break
        if end == i and gap.strip() not in ("", ":", "-"):
            break
        token = doc.tokens[end]
        if _ends_address(doc, end) or ("," in gap and not _address_like(token)):
            break
        end += 1
    return end


def _ends_address(doc: _Text, i: int) -> bool:
    token = doc.tokens[i]
    if token.named and token.folded not in w.FIRST_PERSON | w.THIRD_PERSON:
        return False
    if token.folded in w.ADDRESS_STOPS:
        return True
    return any(doc.phrase_at(i, p) for p in w.ADDRESS_STOP_PHRASES if p[0] == token.folded)


def _address_like(token: _Token) -> bool:
    """A word that carries an address on after a comma ("…, phường Tam Kỳ", "…, tổ 5")."""
    return token.number or token.named or token.folded in _PLACE_WORDS


_PLACE_WORDS = frozenset(
    "duong pho so kiet hem ngo ngach to thon khoi khu phuong xa quan huyen tp thanh tinh ap "
    "xom lang kp p q tt thi tran chung cu can ho lo tang".split()
)


def _house_and_street(doc: _Text, i: int) -> int | None:
    """The end of "[số|kiệt …] 12 [đường] Hùng Vương" starting at token i."""
    at = i
    while at < len(doc.tokens) and doc.tokens[at].folded in w.HOUSE_WORDS and at - i < 2:
        at += 1
    if at >= len(doc.tokens) or not doc.tokens[at].number or len(doc.tokens[at].text) > 6:
        return None
    if at > i and doc.gap(at).strip():
        return None
    at += 1
    street = at < len(doc.tokens) and doc.tokens[at].folded in w.STREET_WORDS
    at += 1 if street else 0
    end = at
    while end < len(doc.tokens) and end - at < 4 and not doc.gap(end).strip():
        token = doc.tokens[end]
        if token.number or not (token.named or (street and token.folded not in w.NAME_STOPS)):
            break
        end += 1
    return end if end > at else None


def _about_author(doc: _Text, i: int, named: set[int]) -> bool:
    """Whether the nearest person mentioned before token i is the writer."""
    for k in range(i - 1, max(-1, i - CONTEXT), -1):
        if k in named:
            return True
        token = doc.tokens[k]
        if token.folded in w.FIRST_PERSON and (token.folded in {"toi", "tui"} or not token.named):
            return True
        if token.folded in w.THIRD_PERSON and (token.folded in {"ong", "ba"} or not token.named):
            return False
    return False
