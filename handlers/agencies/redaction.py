"""Staff review what an agency will read of a protected petition (a tố cáo) before it goes.

`proposal` offers a summary and text with the author taken out (numbers, names and addresses
found by `handlers.agencies.identity`) and the original cut into pieces, hidden ones marked,
for the petition page to highlight. `confirm` stores what staff approved, who and when, and
what they took out beyond the proposal, which is then hidden from every other agency-facing
text too. Forwarding waits for it (`handlers.agencies.review`).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import workflow as wf
from handlers.agencies.disclosure import for_agency, is_protected
from handlers.agencies.identity import identity, sensitive_spans
from handlers.agencies.review import needs_review, source_digest
from handlers.workflow.core import begin, record, required
from handlers.workflow.search import refresh_search_text
from nlp import author
from nlp.normalize import fold
from storage.models import AgencyRedaction, Petition, PetitionMessage, StaffUser
from storage.models.enums import MessageDirection

#: A run of words staff took out longer than this is a rewording, not a name or an address.
MAX_HIDDEN_WORDS = 12
MAX_TEXT = 20_000
_WORD = re.compile(r"[^\W_]+(?:/[^\W_]+)*")
#: The filter's own placeholders ("[người tố cáo]", "[SĐT]"): one unit each, never compared
#: word by word with the original (the "tố" of a label is not the "Tố" of a name).
_LABEL = re.compile(r"\[[^\[\]\n]{1,40}\]")
MAX_SUMMARY = 300


@dataclass(frozen=True)
class Piece:
    """Part of the original text; `label` is what an agency reads instead (None: as is)."""

    text: str
    label: str | None = None


@dataclass(frozen=True)
class Proposal:
    """What the review form shows: the text to confirm and the original, marked."""

    summary: str
    text: str
    marked_summary: list[Piece]
    marked_text: list[Piece]
    review: AgencyRedaction | None
    pending: bool  # no review yet, or the petition changed since


def proposal(petition: Petition) -> Proposal:
    """The confirmed version if still current, else the filter's proposal."""
    review = petition.agency_redaction
    pending = needs_review(petition)
    if review is not None and not pending:
        summary, text = review.summary, review.text
    else:
        summary = for_agency(petition, petition.summary)
        text = for_agency(petition, petition.text or petition.summary)
    return Proposal(
        summary=summary,
        text=text,
        marked_summary=marked(petition, petition.summary or ""),
        marked_text=marked(petition, petition.text or ""),
        review=review,
        pending=pending,
    )


def marked(petition: Petition, text: str) -> list[Piece]:
    """The text cut at every span the filter hides."""
    pieces, last = [], 0
    for span in sensitive_spans(text, identity(petition)):
        pieces += [Piece(text[last : span.start]), Piece(text[span.start : span.end], span.label)]
        last = span.end
    pieces.append(Piece(text[last:]))
    return [p for p in pieces if p.text]


def confirm(
    session: Session,
    petition: Petition,
    *,
    actor: wf.Actor | StaffUser,
    summary: str,
    text: str,
    now: datetime,
) -> AgencyRedaction:
    """Store the reviewed version (audited on the timeline and in the audit log)."""
    who = begin(session, actor, "confirm_redaction", petition)
    if not is_protected(petition):
        raise wf.InvalidInput("Hồ sơ này không phải đơn tố cáo hay lĩnh vực cần bảo mật.")
    summary = required(summary, "tóm tắt gửi cơ quan")[:MAX_SUMMARY]
    text = required(text, "nội dung gửi cơ quan")[:MAX_TEXT]
    hidden = removed(petition.text or "", text)
    for message in _citizen_messages(session, petition):
        hidden += [term for _kind, term in author.terms(message)]
    review = petition.agency_redaction or AgencyRedaction(petition_id=petition.id)
    review.summary, review.text = summary, text
    review.hidden = list(dict.fromkeys(hidden))
    review.source_digest = source_digest(petition)
    review.confirmed_by_id, review.confirmed_at = who.id, now
    session.add(review)
    session.flush()
    session.expire(petition, ["agency_redaction"])
    refresh_search_text(petition)
    record(session, petition, who, "confirm_redaction", now=now, note="Bản gửi cơ quan đã xác nhận")
    return review


def removed(original: str, reviewed: str) -> list[str]:
    """Runs of `original` that staff took out or replaced in `reviewed` and that look like a
    name or an address: two words or more, one capitalised or a number. (A single word would
    hide common words everywhere; numbers are masked anyway.)"""
    before = list(_WORD.finditer(original))
    after = _WORD.findall(_LABEL.sub(" ", reviewed))
    matcher = difflib.SequenceMatcher(
        a=[fold(m.group()) for m in before], b=[fold(x) for x in after], autojunk=False
    )
    runs = []
    for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
        words = [m.group() for m in before[i1:i2]]
        if tag not in ("delete", "replace") or not 2 <= len(words) <= MAX_HIDDEN_WORDS:
            continue
        if any(w[:1].isupper() or w[:1].isdigit() for w in words):
            runs.append(original[before[i1].start() : before[i2 - 1].end()])
    return runs


def _citizen_messages(session: Session, petition: Petition) -> list[str]:
    """Every message the citizen sent on the petition: their own words, which a staff
    redaction may already have replaced in the petition's text."""
    rows = session.scalars(
        select(PetitionMessage.text).where(
            PetitionMessage.petition_id == petition.id,
            PetitionMessage.direction == MessageDirection.IN,
        )
    )
    return [t for t in rows if t]
