"""Messages about a petition already sent: add them to the right one, ask when unsure."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from handlers.conversation import alerts, drafts
from handlers.conversation.commands import find_code
from handlers.conversation.hours import tell_after_hours
from handlers.conversation.replies import button, say
from handlers.conversation.state import Step, Turn
from handlers.conversation.understand import only_phone
from handlers.messages import render
from handlers.outbox import Button
from handlers.workflow import WorkflowError, add_citizen_info
from storage.models import Category, OutboxMessage, Petition, PetitionMessage, StaffNotification
from storage.models.enums import OPEN_STATES, PetitionState

logger = logging.getLogger(__name__)

MAX_CHOICES = 4  # plus "Phản ánh mới": Zalo shows at most five buttons
REOPEN_REASON_WINDOW = timedelta(minutes=30)  # after MO LAI, the next burst says why
SAME_FIELD = 0.3  # the reply's probability of the waiting petition's field: the same matter


def open_petitions(turn: Turn) -> list[Petition]:
    """The citizen's petitions still being worked on, newest first."""
    return list(
        turn.session.scalars(
            select(Petition)
            .where(Petition.citizen_id == turn.citizen.id, Petition.state.in_(OPEN_STATES))
            .order_by(Petition.received_at.desc(), Petition.id.desc())
        )
    )


def own_petition(turn: Turn, code: str | None) -> Petition | None:
    """The citizen's own petition with this code (never anyone else's)."""
    if not code:
        return None
    return turn.session.scalar(
        select(Petition).where(Petition.code == code, Petition.citizen_id == turn.citizen.id)
    )


def settle(turn: Turn, draft: Petition) -> bool:
    """Decide whether a new burst is a follow-up; True when it was handled here."""
    reopening = _reopen_asked(turn)
    if reopening is not None:
        add_to(turn, draft, reopening)  # why it should be reopened: for the staff deciding
        return True
    candidates = open_petitions(turn)
    if not candidates:
        return False
    target = _evident_target(turn, draft, candidates)
    if target is not None:
        add_to(turn, draft, target)
        return True
    turn.go(Step.ASK_WHICH)
    choices = [Button(title=p.code or "", payload=f"#add:{p.code}") for p in candidates]
    say(
        turn,
        "bot.followup_which",
        buttons=[*choices[:MAX_CHOICES], button(turn, "button.new_petition", "#new")],
    )
    return True


def _reopen_asked(turn: Turn) -> Petition | None:
    """The closed petition the citizen asked to reopen a moment ago (MO LAI), still closed."""
    code, asked = turn.state.reopen_asked, turn.state.reopen_asked_at
    turn.state.reopen_asked, turn.state.reopen_asked_at = None, None
    if code is None or asked is None or turn.now - asked > REOPEN_REASON_WINDOW:
        return None
    petition = own_petition(turn, code)
    return petition if petition is not None and petition.state == PetitionState.CLOSED else None


def escalate_waiting(turn: Turn, draft: Petition) -> bool:
    """An emergency told in reply to «Yêu cầu bổ sung» completes and escalates that petition.

    The guidance and the alert went out when the message came; here the alert moves to the
    waiting petition (and its ward), which becomes urgent. Unless the reply names or quotes
    that petition, one the NLP gives less than SAME_FIELD for the petition's field (a fire told
    in reply to a question about a streetlight) is another matter: a new urgent petition.
    """
    candidates = open_petitions(turn)
    target = _evident_target(turn, draft, candidates)
    if target is None or target.state != PetitionState.NEED_INFO:
        return False
    named = target.code == find_code(draft.text, turn.config.code_prefix)
    quoted = _quoted_petition(turn, draft)
    if (
        not named
        and (quoted is None or quoted.id != target.id)
        and _other_matter(turn, draft, target)
    ):
        return False
    target.urgent = True
    alerts_of_draft = turn.session.scalars(
        select(StaffNotification).where(
            StaffNotification.petition_id == draft.id, StaffNotification.kind == "urgent"
        )
    )
    for note in alerts_of_draft:
        note.ward_id = target.ward_id if target.ward_id is not None else note.ward_id
    turn.state.urgent_alerted = str(target.id)
    add_to(turn, draft, target, note=render(turn.session, "staff.info_urgent_note"))
    return True


def _other_matter(turn: Turn, draft: Petition, target: Petition) -> bool:
    """The waiting petition's field is not a likely reading of the reply."""
    guesses = (draft.suggestions or {}).get("top3") or []
    if target.category_id is None or not guesses:
        return False
    code = turn.session.scalar(select(Category.code).where(Category.id == target.category_id))
    return not any(str(c) == code and float(p or 0) >= SAME_FIELD for c, p in guesses)


def _evident_target(turn: Turn, draft: Petition, candidates: list[Petition]) -> Petition | None:
    """The open petition the burst is clearly about: a code, a quote, a pending question."""
    by_code = {p.code: p for p in candidates}
    code = find_code(draft.text, turn.config.code_prefix)
    if code in by_code:
        return by_code[code]
    quoted = _quoted_petition(turn, draft)
    if quoted is not None and quoted.id in {p.id for p in candidates}:
        return quoted
    waiting = [p for p in candidates if p.state == PetitionState.NEED_INFO]
    if len(waiting) == 1:
        return waiting[0]
    if (not draft.text.strip() or only_phone(draft.text)) and len(candidates) == 1:
        return candidates[0]  # a photo or a phone number sent later: the one open petition
    return None


def _quoted_petition(turn: Turn, draft: Petition) -> Petition | None:
    """The petition of a message the citizen quoted (theirs or one of the bot's replies)."""
    rows = turn.session.scalars(
        select(PetitionMessage.data).where(PetitionMessage.petition_id == draft.id)
    )
    for data in rows:
        quoted = (data or {}).get("quote_msg_id")
        if not quoted:
            continue
        pid = turn.session.scalar(
            select(PetitionMessage.petition_id).where(PetitionMessage.zalo_msg_id == quoted)
        ) or turn.session.scalar(
            select(OutboxMessage.petition_id).where(OutboxMessage.external_id == quoted)
        )
        if pid is not None:
            return turn.session.get(Petition, pid)
    return None


def choose(turn: Turn, code: str | None) -> bool:
    """The citizen picked a petition ("#add:<code>") for the burst; False if not theirs."""
    draft = turn.draft()
    target = own_petition(turn, code)
    if draft is None or target is None or target.state not in OPEN_STATES:
        return False
    add_to(turn, draft, target)
    return True


def add_to(
    turn: Turn, draft: Petition, target: Petition, *, note: str = "Bổ sung qua Zalo"
) -> None:
    """Move the burst into the open petition's thread and tell who needs to know."""
    drafts.move_thread(turn.session, draft, target)
    if draft.callback_phone and not target.callback_phone:
        target.callback_phone = draft.callback_phone
    was_waiting = target.state == PetitionState.NEED_INFO
    drafts.discard(turn)
    if was_waiting:
        try:
            with turn.session.begin_nested():
                add_citizen_info(turn.session, target, now=turn.now, note=note)
        except WorkflowError:
            logger.exception("add_citizen_info refused for petition %s", target.id)
        else:
            alerts.notify_staff(
                turn,
                "citizen_info",
                render(turn.session, "staff.info_title", code=target.code),
                petition=target,
            )
            say(turn, "bot.info_added", petition=target, code=target.code)
            _after_hours(turn, target)
            return
    alerts.notify_staff(
        turn,
        "citizen_followup",
        render(turn.session, "staff.followup_title", code=target.code),
        petition=target,
    )
    say(turn, "bot.followup_added", petition=target, code=target.code)
    _after_hours(turn, target)


def _after_hours(turn: Turn, petition: Petition) -> None:
    """Outside office hours, say when staff will read what was just added (not if urgent)."""
    if petition.urgent:
        return
    tell_after_hours(turn, petition)
