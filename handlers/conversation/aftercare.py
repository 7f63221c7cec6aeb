"""After sending: look a petition up, list the open ones, give feedback, withdraw, reopen.

Every answer is read from the petition itself; the bot states only what is recorded, and
only for the citizen's own petitions (another citizen's code reads as "not found").
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime

from sqlalchemy import select

from handlers.conversation import alerts, drafts, phone_notices
from handlers.conversation.followups import open_petitions, own_petition
from handlers.conversation.replies import button, day, say, short, state_label, text
from handlers.conversation.state import Turn
from handlers.conversation.understand import intent_of
from handlers.messages import render
from handlers.outbox import Button
from handlers.workflow import (
    FEEDBACK_STATES,
    WorkflowError,
    active_forward,
    record_feedback,
    withdraw,
    within_reopen_window,
)
from nlp.normalize import fold
from storage.models import Petition
from storage.models.enums import OPEN_STATES, PetitionState

logger = logging.getLogger(__name__)

LIST_LIMIT = 10


def _date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return day(value) if isinstance(value, datetime) else value.strftime("%d/%m/%Y")


def lookup(turn: Turn, code: str | None) -> None:
    """TRA <mã>: the state in plain words with its dates and agency."""
    if code is None:
        found = open_petitions(turn)
        if len(found) == 1:
            describe(turn, found[0])
        elif found:
            listing(turn)
        else:
            say(turn, "bot.lookup_ask_code")
        return
    petition = own_petition(turn, code)
    if petition is None or petition.state == PetitionState.DRAFT:
        say(turn, "bot.lookup_not_found", code=code)
        return
    describe(turn, petition)


def describe(turn: Turn, petition: Petition) -> None:
    session = turn.session
    lines = [render(session, "bot.lookup_received", date=_date(petition.received_at))]
    forward = active_forward(session, petition)
    if petition.state == PetitionState.NEED_INFO:
        lines.append(render(session, "bot.lookup_need_info"))
    elif forward is not None and petition.state in OPEN_STATES:
        lines.append(
            render(
                session,
                "bot.lookup_forwarded",
                agency=forward.agency.name,
                date=_date(forward.sent_on),
                due=_date(forward.handler_due_on),
            )
        )
    elif petition.decision_due_on and petition.state in {
        PetitionState.RECEIVED,
        PetitionState.TRIAGED,
        PetitionState.REOPENED,
    }:
        lines.append(
            render(session, "bot.lookup_decision_due", date=_date(petition.decision_due_on))
        )
    lines += phone_notices.lookup_lines(session, petition)
    if petition.state == PetitionState.CLOSED and petition.closed_at is not None:
        lines.append(render(session, "bot.lookup_closed", date=_date(petition.closed_at)))
    say(
        turn,
        "bot.lookup",
        petition=petition,
        code=petition.code,
        state=state_label(turn, petition),
        summary=petition.summary or short(petition.text),
        details="".join(lines).rstrip("\n"),
    )


def listing(turn: Turn) -> None:
    """DS: the citizen's open petitions, newest first."""
    found = open_petitions(turn)
    if not found:
        say(turn, "bot.list_empty")
        return
    items = [
        render(
            turn.session,
            "bot.list_item",
            code=p.code,
            date=_date(p.received_at),
            state=state_label(turn, p),
            summary=short(p.summary or p.text, 60),
        )
        for p in found[:LIST_LIMIT]
    ]
    say(turn, "bot.list", items="\n".join(items))


def _latest_result(turn: Turn, *, unrated: bool = False) -> Petition | None:
    query = select(Petition).where(
        Petition.citizen_id == turn.citizen.id, Petition.result_sent_at.is_not(None)
    )
    if unrated:
        query = query.where(Petition.rating.is_(None))
    else:
        query = query.where(Petition.state.in_(FEEDBACK_STATES))
    return turn.session.scalar(query.order_by(Petition.result_sent_at.desc()).limit(1))


def feedback(turn: Turn, code: str | None, satisfied: bool) -> None:
    """'Đã giải quyết' closes the petition; 'Chưa giải quyết' within 30 days reopens it."""
    petition = own_petition(turn, code) if code else _latest_result(turn)
    if petition is None:
        if code:
            say(turn, "bot.lookup_not_found", code=code)
        else:
            say(turn, "bot.feedback_ask_which")
        return
    if petition.state not in FEEDBACK_STATES:
        if petition.state == PetitionState.CLOSED and not satisfied:
            reopen(turn, petition.code)
        else:
            say(
                turn,
                "bot.feedback_not_open",
                code=petition.code,
                state=state_label(turn, petition),
            )
        return
    late = not satisfied and not within_reopen_window(petition, turn.now)
    if not _apply(turn, petition, satisfied=satisfied, rating=None):
        return
    if late:
        say(turn, "bot.reopen_too_late", petition=petition, code=petition.code)
    # Otherwise the workflow queued notify.closed or notify.reopened: nothing to add.


def rate(turn: Turn, code: str | None, stars: int) -> None:
    """A 1–5 rating, kept whatever the petition's later state."""
    petition = own_petition(turn, code) if code else _latest_result(turn, unrated=True)
    if petition is None:
        say(turn, "bot.feedback_ask_which")
        return
    if _apply(turn, petition, satisfied=None, rating=stars):
        say(turn, "bot.rating_thanks", petition=petition, code=petition.code, rating=stars)


def _apply(turn: Turn, petition: Petition, *, satisfied: bool | None, rating: int | None) -> bool:
    try:
        with turn.session.begin_nested():
            record_feedback(
                turn.session, petition, satisfied=satisfied, rating=rating, now=turn.now
            )
    except WorkflowError:
        say(turn, "bot.feedback_not_open", code=petition.code, state=state_label(turn, petition))
        return False
    return True


def reopen(turn: Turn, code: str | None) -> None:
    """MO LAI <mã>: 'not resolved' if the result awaits feedback, else a request to staff."""
    petition = own_petition(turn, code)
    if petition is None:
        say(turn, "bot.lookup_not_found", code=code or "")
        return
    if petition.state in FEEDBACK_STATES:
        feedback(turn, petition.code, False)
    elif petition.state != PetitionState.CLOSED:
        describe(turn, petition)
    elif not within_reopen_window(petition, turn.now):
        say(turn, "bot.reopen_too_late", petition=petition, code=petition.code)
    else:
        title = render(turn.session, "staff.reopen_title", code=petition.code)
        alerts.notify_staff(turn, "reopen_request", title, petition=petition)
        say(turn, "bot.reopen_requested", petition=petition, code=petition.code)
        turn.state.reopen_asked, turn.state.reopen_asked_at = petition.code, turn.now


def withdraw_start(turn: Turn, code: str | None) -> None:
    """Rút: confirm the one petition meant, or ask which."""
    if code is None and drafts.in_draft(turn) and not open_petitions(turn):
        drafts.discard(turn)
        say(turn, "bot.draft_cancelled")
        return
    if code is not None:
        petition = own_petition(turn, code)
        if petition is None or petition.state not in OPEN_STATES:
            say(turn, "bot.lookup_not_found", code=code)
            return
        _confirm_withdraw(turn, petition)
        return
    found = open_petitions(turn)
    if not found:
        say(turn, "bot.withdraw_none")
    elif len(found) == 1:
        _confirm_withdraw(turn, found[0])
    else:
        choices = [Button(title=p.code or "", payload=f"#rut:{p.code}") for p in found[:5]]
        say(turn, "bot.withdraw_which", buttons=choices)


def _confirm_withdraw(turn: Turn, petition: Petition) -> None:
    turn.state.withdraw_asked = petition.code
    say(
        turn,
        "bot.withdraw_confirm",
        petition=petition,
        code=petition.code,
        summary=short(petition.summary or petition.text, 60),
        buttons=[
            button(turn, "button.confirm_withdraw", f"#rut_ok:{petition.code}"),
            button(turn, "button.keep", f"#rut_no:{petition.code}"),
        ],
    )


#: Typed answers to "Ông/Bà có chắc muốn rút…?", folded. «không rút» is a no and «thôi rút
#: đi» a yes: the explicit phrases are read before the first word.
_SAYS_NO = re.compile(r"\b(?:khong|ko|dung|chua|hong) rut\b|\bgiu lai\b|\bde lai\b")
_SAYS_YES = re.compile(r"\b(?:xac nhan|dong y|chac chan)\b|\brut (?:di|luon|nha|nhe|a|roi)\b")
_STARTS_NO = re.compile(r"^(?:khong|ko|k|hong|thoi|huy|chua|khoan)\b")
_STARTS_YES = re.compile(r"^(?:co|u|uh|um|vang|da|ok|oke|okay|rut)\b")


def withdraw_reply(turn: Turn, words: str) -> bool:
    """A typed answer to the withdrawal question works like its buttons; True if it was one.

    Anything else ends the question and is handled as usual (never dropped in silence).
    """
    code, turn.state.withdraw_asked = turn.state.withdraw_asked, None
    folded = fold(words).lower().strip(" .!?,")
    if code is None or len(folded.split()) > 8:
        return False
    intent = intent_of(words)
    if _SAYS_NO.search(folded):
        answer = False
    elif _SAYS_YES.search(folded):
        answer = True
    elif _STARTS_NO.search(folded) or intent == "consent_no":
        answer = False
    elif _STARTS_YES.search(folded) or intent == "consent_yes":
        answer = True
    else:
        return False
    withdraw_confirmed(turn, code, answer)
    return True


def withdraw_confirmed(turn: Turn, code: str | None, confirmed: bool) -> None:
    turn.state.withdraw_asked = None
    petition = own_petition(turn, code)
    if petition is None or petition.state not in OPEN_STATES:
        say(turn, "bot.lookup_not_found", code=code or "")
        return
    if not confirmed:
        say(turn, "bot.withdraw_kept", petition=petition, code=petition.code)
        return
    try:
        with turn.session.begin_nested():
            withdraw(turn.session, petition, now=turn.now, reason_note="Người dân rút qua Zalo")
    except WorkflowError:
        logger.exception("withdraw refused for petition %s", petition.id)
        text(turn, state_label(turn, petition), petition=petition)
    # The workflow queued notify.closed (reason: withdrawn).
