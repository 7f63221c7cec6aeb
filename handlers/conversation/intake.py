"""Taking a petition: ask only for what is missing, read it back, send it on GỬI."""

from __future__ import annotations

import hashlib
import logging

from sqlalchemy import select

from handlers.conversation import alerts, drafts, emergency, followups, phone_notices, places
from handlers.conversation.hours import tell_after_hours
from handlers.conversation.memory import forget_draft
from handlers.conversation.replies import button, say, short, ward_buttons
from handlers.conversation.state import Step, Turn
from handlers.conversation.understand import PLACE_FIELDS, analyse, names_a_place, resolve_ward
from handlers.messages import render
from handlers.workflow import WorkflowError, apply_suggestions, submit
from nlp.normalize import fold
from nlp.problems import split
from storage.models import Category, OrgUnit, Petition, Ward, WardAlias
from storage.models.enums import Channel, PetitionState

logger = logging.getLogger(__name__)


def advance(turn: Turn) -> None:
    """After a burst or an answer: understand the draft, then ask the next thing."""
    draft = turn.draft()
    if draft is None:
        turn.go(Step.IDLE)
        return
    turn.conversation.due_at = None
    turn.state.burst_started = None
    _understand(turn, draft)
    if draft.urgent:
        if not turn.state.decided and followups.escalate_waiting(turn, draft):
            return  # the danger belongs to the petition waiting for this reply
        _urgent(turn, draft)
        return
    if not turn.state.decided:
        if followups.settle(turn, draft):
            return  # added to an open petition, or asked which one
        turn.state.decided = True
    if not draft.text.strip():
        turn.go(Step.ASK_TEXT)
        say(turn, "bot.ask_text", count=drafts.attachment_count(turn.session, draft))
    elif _offer_split(turn, draft):
        return
    elif draft.ward_id is None:
        if not places.settle_ward(turn, draft):
            ask_ward(turn)
    elif _wants_place(turn, draft):
        ask_place(turn)
    else:
        show_summary(turn, draft)


def _urgent(turn: Turn, draft: Petition) -> None:
    """An emergency is sent at once; only the ward is asked (once) so the right officers go.

    Not answered: the ward the alert named (a place in the text, else the resident's last
    ward) is filed as a guess staff confirm, so the officers alerted can open the petition.
    """
    turn.state.decided = True
    if draft.ward_id is None and (weak := resolve_ward(turn.session, draft.text, weak_ok=True)):
        draft.ward_id = weak.ward.id  # "chợ Tam Kỳ": good enough to send the officers
    if draft.ward_id is None and turn.state.asked_ward == 0:
        if draft.latitude is not None and places.settle_ward(turn, draft):
            return
        turn.state.asked_ward = 1
        turn.go(Step.ASK_WARD)
        say(turn, "bot.urgent_ask_ward", buttons=ward_buttons(turn))
        return
    guess = emergency.ward_guess(turn, draft.text) if draft.ward_id is None else None
    if guess is not None:
        draft.ward_id = guess[0].id
    send(turn)
    if guess is not None and draft.state != PetitionState.DRAFT:
        emergency.note_ward_guess(turn, draft, guess[1])


def _offer_split(turn: Turn, draft: Petition) -> bool:
    """Two problems in one message: offer to file two (once per draft)."""
    if turn.state.split_offered or turn.state.split_next is not None:
        return False
    parts = split(draft.text)
    if len(parts) != 2:
        return False
    turn.state.split_offered, turn.state.split_parts = True, parts
    turn.go(Step.SPLIT)
    say(
        turn,
        "bot.split_offer",
        first=short(parts[0], 120),
        second=short(parts[1], 120),
        buttons=[
            button(turn, "button.split_two", "#split:two"),
            button(turn, "button.split_one", "#split:one"),
        ],
    )
    return True


def split_choice(turn: Turn, two: bool) -> None:
    """File the draft as two petitions (the second follows the first) or as one."""
    draft = turn.draft()
    parts = turn.state.split_parts
    if draft is not None and two and len(parts) == 2:
        second = Petition(
            state=PetitionState.DRAFT,
            channel=Channel.ZALO,
            citizen_id=turn.citizen.id,
            text=parts[1],
            created_at=turn.now,
        )
        turn.session.add(second)
        turn.session.flush()
        draft.text, draft.category_id, draft.legal_type = parts[0], None, None
        turn.state.split_next, turn.state.analysed = second.id, None
    turn.state.split_parts = []
    advance(turn)


def _understand(turn: Turn, draft: Petition) -> None:
    """Run the NLP once per version of the text and keep its suggestions on the draft."""
    key = hashlib.sha256(draft.text.encode()).hexdigest()[:16]
    if not draft.text.strip() or turn.state.analysed == key:
        return
    analysis = analyse(turn.session, draft.text)
    chosen = draft.ward_id if turn.state.ward_chosen else None
    apply_suggestions(turn.session, draft, analysis)
    ward = getattr(analysis, "ward", None)
    if chosen is not None:
        draft.ward_id = chosen
    elif ward is not None and getattr(ward, "via", "") == "city_name":
        draft.ward_id = None  # "Tam Kỳ" alone may mean the old city: ask
    elif ward is not None:
        turn.state.ward_matched = getattr(ward, "matched", None)
        turn.state.ward_via = getattr(ward, "via", None)
    elif draft.ward_id is None and (answer := resolve_ward(turn.session, draft.text)):
        draft.ward_id = answer.ward.id
        turn.state.ward_matched, turn.state.ward_via = answer.matched, answer.via
    draft.summary = short(draft.text, 200)
    if getattr(analysis, "urgent", False):
        reasons = tuple(getattr(analysis, "urgency_reasons", ()) or ())
        emergency.raise_urgent(turn, draft, reasons, text=draft.text)
    turn.state.analysed = key


def _wants_place(turn: Turn, draft: Petition) -> bool:
    """Ask for the exact place once, for field problems that do not say where."""
    if turn.state.asked_place or draft.urgent or draft.place or draft.latitude is not None:
        return False
    code = turn.session.scalar(select(Category.code).where(Category.id == draft.category_id))
    return code in PLACE_FIELDS and not names_a_place(draft.text)


def ask_ward(turn: Turn) -> None:
    asked = turn.state.asked_ward
    turn.state.asked_ward = asked + 1
    turn.go(Step.ASK_WARD)
    key = "bot.ward_not_understood" if asked else "bot.ask_ward"
    say(turn, key, buttons=ward_buttons(turn))


def ask_place(turn: Turn) -> None:
    turn.state.asked_place = True
    turn.go(Step.ASK_PLACE)
    say(turn, "bot.ask_place", buttons=[button(turn, "button.skip", "#skip")])


def answer_ward(turn: Turn, words: str | None = None, code: str | None = None) -> bool:
    """Take the citizen's ward (a button or typed, old names too); False if not understood."""
    draft = turn.draft()
    if draft is None:
        return False
    if code is not None:
        ward = turn.session.scalar(select(Ward).where(Ward.code == code, Ward.active.is_(True)))
        matched = None
    else:
        answer = resolve_ward(turn.session, words or "", weak_ok=True)
        ward, matched = (answer.ward, answer.matched) if answer else (None, None)
    if ward is None:
        return False
    draft.ward_id = ward.id
    turn.state.ward_chosen = True
    turn.state.ward_matched = matched if matched and fold(matched) != fold(ward.name) else None
    advance(turn)
    return True


def answer_place(turn: Turn, words: str) -> None:
    draft = turn.draft()
    if draft is not None and words.strip():
        draft.place = " ".join(words.split())[:300]
    advance(turn)


def show_summary(turn: Turn, draft: Petition) -> None:
    """The one-line reading of the petition with the field understood; GỬI / Sửa."""
    turn.go(Step.CONFIRM)
    session = turn.session
    category = session.scalar(select(Category.name).where(Category.id == draft.category_id))
    details = ""
    if draft.place or draft.latitude is not None:
        place = draft.place or render(session, "bot.summary_location")
        details += render(session, "bot.summary_place", place=place)
    count = drafts.attachment_count(session, draft)
    if count:
        details += render(session, "bot.summary_attachments", count=count)
    buttons = [button(turn, "button.send", "#send"), button(turn, "button.edit", "#edit")]
    if draft.callback_phone:
        details += render(session, "bot.summary_phone", phone=draft.callback_phone)
        if phone_notices.may_offer(turn.citizen, draft.callback_phone):
            details += render(session, "bot.summary_zns")
            buttons.append(button(turn, "button.zns_yes", "#zns:yes"))
    else:  # asking for a number already given reads as if it was not heard
        details += render(session, "bot.summary_phone_ask")
    say(
        turn,
        "bot.summary",
        category=category or render(session, "bot.category_unknown"),
        ward=_ward_words(turn, draft),
        summary=short(draft.text, 160),
        details=details,
        buttons=buttons,
    )


def _ward_words(turn: Turn, draft: Petition) -> str:
    ward = turn.session.get(Ward, draft.ward_id) if draft.ward_id else None
    if ward is None:
        return ""
    matched = turn.state.ward_matched
    if not matched or fold(matched) == fold(ward.name):
        return ward.full_name
    old = turn.session.scalar(
        select(WardAlias.name).where(
            WardAlias.ward_id == ward.id, WardAlias.folded == fold(matched)
        )
    )
    return render(turn.session, "bot.summary_old_name", ward=ward.full_name, old=old or matched)


def send(turn: Turn) -> None:
    """GỬI: the workflow receives the petition, issues the code and tells the citizen."""
    draft = turn.draft()
    if draft is None:
        turn.go(Step.IDLE)
        return
    if draft.unit_id is None and draft.ward_id is not None:
        draft.unit_id = turn.session.scalar(
            select(OrgUnit.id).where(OrgUnit.ward_id == draft.ward_id, OrgUnit.active.is_(True))
        )
    try:
        with turn.session.begin_nested():
            submit(turn.session, draft, now=turn.now, code_prefix=turn.config.code_prefix)
    except WorkflowError:
        logger.exception("submit refused for draft %s", draft.id)
        say(turn, "bot.submit_failed", buttons=[button(turn, "button.send", "#send")])
        return
    if draft.ward_id is not None:
        turn.citizen.ward_id = draft.ward_id
    emergency.attach_urgent(turn, draft)
    _promised_items(turn, draft)
    turn.conversation.draft_petition_id = None
    forget_draft(turn.state)
    turn.go(Step.IDLE)
    if not draft.urgent:
        tell_after_hours(turn, draft)
    _next_of_split(turn, draft)


def _next_of_split(turn: Turn, first: Petition) -> None:
    """The second petition of a split message is drafted next, in the same ward."""
    second = turn.session.get(Petition, turn.state.split_next) if turn.state.split_next else None
    turn.state.split_next = None
    if second is None or second.state != PetitionState.DRAFT:
        return
    turn.conversation.draft_petition_id = second.id
    if first.ward_id is not None:
        second.ward_id = first.ward_id
        turn.state.ward_chosen = True
    turn.state.decided, turn.state.split_offered = True, True
    say(turn, "bot.split_next")
    advance(turn)


def _promised_items(turn: Turn, draft: Petition) -> None:
    """What the summary promised: staff classify an unknown field, and call back a phone."""
    if draft.category_id is None:  # "cán bộ sẽ phân loại"
        title = render(turn.session, "staff.classify_title", code=draft.code)
        alerts.notify_staff(turn, "classify", title, petition=draft)
    if draft.callback_phone:  # "Nếu muốn cán bộ gọi lại…"
        # The number itself stays on the petition's page (never in an email).
        title = render(turn.session, "staff.callback_title", code=draft.code)
        alerts.notify_staff(turn, "callback", title, petition=draft)


def edit_menu(turn: Turn) -> None:
    turn.go(Step.EDIT)
    say(
        turn,
        "bot.edit_menu",
        buttons=[
            button(turn, "button.edit_text", "#edit:text"),
            button(turn, "button.edit_ward", "#edit:ward"),
            button(turn, "button.edit_place", "#edit:place"),
            button(turn, "button.cancel_draft", "#edit:cancel"),
        ],
    )


def edit(turn: Turn, what: str | None) -> None:
    """One of the edit menu's choices."""
    draft = turn.draft()
    if draft is None:
        turn.go(Step.IDLE)
        return
    if what == "text":
        turn.go(Step.EDIT_TEXT)
        say(turn, "bot.edit_text")
    elif what == "ward":
        draft.ward_id = None
        turn.state.ward_chosen, turn.state.ward_matched, turn.state.asked_ward = False, None, 0
        ask_ward(turn)
    elif what == "place":
        draft.place = None
        draft.latitude = draft.longitude = None
        ask_place(turn)
    elif what == "cancel":
        drafts.discard(turn)
        say(turn, "bot.draft_cancelled")
    else:
        edit_menu(turn)
