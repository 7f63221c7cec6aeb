"""Where a text gives away personal data or a protected author: the spans the disclosure
filter replaces, and the review page highlights.

Numbers (phones, ID numbers, accounts, any run of six or more digits) are found everywhere.
For a protected petition the author is found too, by every way the petition knows them:
- the names it holds (the name the citizen gave, their Zalo display name);
- the names and home addresses the citizen wrote into the petition (`nlp.author`);
- what Front staff took out when they reviewed the text for agencies (`AgencyRedaction.hidden`);
each matched in any case, with or without diacritics, with any spacing or punctuation between
words (a file name "pham-van-to-giac.jpg" too); and the recogniser runs over the text itself
as a second net (a self-introduction typed later, in a thread or an addition).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from nlp import author, pii
from nlp.normalize import fold, loose_pattern
from storage.models import Petition

#: What stands where a protected author's name was.
AUTHOR = "[người tố cáo]"
#: What stands where a protected author's home address was.
AUTHOR_ADDRESS = "[địa chỉ người tố cáo]"
#: What stands where something staff took out in their review was.
HIDDEN = "[đã che]"
#: What stands where six or more digits were that the personal-data masker did not take
#: (a phone number cut short by a summary's length limit, "0905 123").
DIGITS = "[số đã che]"
LABELS = {"name": AUTHOR, "address": AUTHOR_ADDRESS, "hidden": HIDDEN}
#: Terms shorter than this (after folding) are not searched for: too many false hits.
MIN_TERM = 3

_LONG_DIGITS = re.compile(r"(?<![\w-])\d(?:[ .]?\d){5,}(?!\w)")
_WORDS = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Span:
    """`text[start:end]` is replaced by `label` for an agency."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class Identity:
    """Every way a protected petition's author is named: (kind, term) pairs."""

    terms: tuple[tuple[str, str], ...] = ()

    def spans(self, text: str) -> list[Span]:
        """Where any term, or a self-introduction, stands in `text`."""
        found = [Span(s.start, s.end, LABELS[s.kind]) for s in author.find(text)]
        for kind, term in self.terms:
            found += [Span(m.start(), m.end(), LABELS[kind]) for m in _pattern(term).finditer(text)]
        return found


NOBODY = Identity()


def identity(petition: Petition) -> Identity:
    """The author's identity as this petition knows it (nothing to hide if not protected)."""
    citizen = petition.citizen
    review = petition.agency_redaction
    return _identity(
        tuple(n for n in (petition.reporter_name, citizen.display_name if citizen else None) if n),
        (petition.text or "", petition.summary or ""),
        tuple(review.hidden) if review is not None else (),
    )


@lru_cache(maxsize=256)
def _identity(names: tuple[str, ...], texts: tuple[str, ...], hidden: tuple[str, ...]) -> Identity:
    terms: list[tuple[str, str]] = [("name", n.strip()) for n in names]
    for text in texts:
        terms += author.terms(text)
    terms += [("hidden", h) for h in hidden]
    useful = {t: None for t in terms if len("".join(_WORDS.findall(fold(t[1])))) >= MIN_TERM}
    # Longest first, so that no term is half-replaced by a shorter one inside it.
    return Identity(tuple(sorted(useful, key=lambda t: len(t[1]), reverse=True)))


def sensitive_spans(text: str, who: Identity = NOBODY) -> list[Span]:
    """Every span of `text` an agency may not read, merged so that none overlap."""
    spans = [Span(s.start, s.end, pii.LABELS[s.kind]) for s in pii.find(text)]
    spans += [Span(m.start(), m.end(), DIGITS) for m in _LONG_DIGITS.finditer(text)]
    spans += who.spans(text)
    return _merged(spans)


def replace_spans(text: str, spans: Iterable[Span]) -> str:
    """The text with each (non-overlapping, ordered) span replaced by its label."""
    out, last = [], 0
    for span in spans:
        out += [text[last : span.start], span.label]
        last = span.end
    out.append(text[last:])
    return "".join(out)


def _merged(spans: list[Span]) -> list[Span]:
    """Overlapping spans joined (the first one's label kept), in order."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = Span(last.start, max(last.end, span.end), last.label)
        else:
            merged.append(span)
    return merged


@lru_cache(maxsize=1024)
def _pattern(term: str) -> re.Pattern[str]:
    """The term's words in any case, with or without diacritics, anything non-word between."""
    return re.compile(rf"(?<![^\W_]){loose_pattern(term)}(?![^\W_])", re.IGNORECASE)
