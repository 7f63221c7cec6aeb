"""Taking a petition: ask only for what is missing, read it back, send it on GỬI."""

from __future__ import annotations

import hashlib
import logging

from sqlalchemy import select

from handlers.conversation import alerts, drafts, followups
from handlers.conversation.hours import after_hours_note
from handlers.conversation.replies import button, say, short, text, ward_buttons
from handlers.conversation.state import Step, Turn
from handlers.conversation.understand import PLACE_FIELDS, analyse, names_a_place, resolve_ward
from handlers.messages import render
from handlers.workflow import WorkflowError, apply_suggestions, submit
from nlp.normalize import fold
from storage.models import Category, OrgUnit, Petition, Ward, WardAlias

logger = logging.getLogger(__name__)


def advance(turn: Turn) -> None:
    """After a burst or an answer: understand the draft, then ask the next thing."""
    draft = turn.draft()
    if draft is None:
        turn.go(Step.IDLE)
        return
    turn.put(due_at=None, burst_started=None)
    _understand(turn, draft)
    if not turn.get("decided"):
        if followups.settle(turn, draft):
            return  # added to an open petition, or asked which one
        turn.put(decided=True)
    if not draft.text.strip():
        turn.go(Step.ASK_TEXT)
        say(turn, "bot.ask_text", count=drafts.attachment_count(turn.session, draft))
    elif draft.ward_id is None:
        ask_ward(turn)
    elif _wants_place(turn, draft):
        ask_place(turn)
    else:
        show_summary(turn, draft)


def _understand(turn: Turn, draft: Petition) -> None:
    """Run the NLP once per version of the text and keep its suggestions on the draft."""
    key = hashlib.sha256(draft.text.encode()).hexdigest()[:16]
    if not draft.text.strip() or turn.get("analysed") == key:
        return
    analysis = analyse(turn.session, draft.text)
    chosen = draft.ward_id if turn.get("ward_chosen") else None
    apply_suggestions(turn.session, draft, analysis)
    ward = getattr(analysis, "ward", None)
    if chosen is not None:
        draft.ward_id = chosen
    elif ward is not None and getattr(ward, "via", "") == "city_name":
        draft.ward_id = None  # "Tam Kỳ" alone may mean the old city: ask
    elif ward is not None:
        turn.put(ward_matched=getattr(ward, "matched", None), ward_via=getattr(ward, "via", None))
    elif draft.ward_id is None and (answer := resolve_ward(turn.session, draft.text)):
        draft.ward_id = answer.ward.id
        turn.put(ward_matched=answer.matched, ward_via=answer.via)
    draft.summary = short(draft.text, 200)
    if getattr(analysis, "urgent", False):
        alerts.raise_urgent(turn, draft, tuple(getattr(analysis, "urgency_reasons", ()) or ()))
    turn.put(analysed=key)


def _wants_place(turn: Turn, draft: Petition) -> bool:
    """Ask for the exact place once, for field problems that do not say where."""
    if turn.get("asked_place") or draft.urgent or draft.place or draft.latitude is not None:
        return False
    code = turn.session.scalar(select(Category.code).where(Category.id == draft.category_id))
    return code in PLACE_FIELDS and not names_a_place(draft.text)


def ask_ward(turn: Turn) -> None:
    asked = int(turn.get("asked_ward", 0))
    turn.go(Step.ASK_WARD, asked_ward=asked + 1)
    key = "bot.ward_not_understood" if asked else "bot.ask_ward"
    say(turn, key, buttons=ward_buttons(turn))


def ask_place(turn: Turn) -> None:
    turn.go(Step.ASK_PLACE, asked_place=True)
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
    turn.put(
        ward_chosen=True,
        ward_matched=matched if matched and fold(matched) != fold(ward.name) else None,
    )
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
    if draft.callback_phone:
        details += render(session, "bot.summary_phone", phone=draft.callback_phone)
    say(
        turn,
        "bot.summary",
        category=category or render(session, "bot.category_unknown"),
        ward=_ward_words(turn, draft),
        summary=short(draft.text, 160),
        details=details,
        buttons=[button(turn, "button.send", "#send"), button(turn, "button.edit", "#edit")],
    )


def _ward_words(turn: Turn, draft: Petition) -> str:
    ward = turn.session.get(Ward, draft.ward_id) if draft.ward_id else None
    if ward is None:
        return ""
    matched = turn.get("ward_matched")
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
    alerts.attach_urgent(turn, draft)
    _promised_items(turn, draft)
    turn.conversation.draft_petition_id = None
    turn.go(Step.IDLE, decided=None, asked_ward=None, asked_place=None, analysed=None)
    note = after_hours_note(turn.session, turn.now, turn.config)
    if note:
        text(turn, note, petition=draft, tag="bot.after_hours")


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
        turn.put(ward_chosen=None, ward_matched=None, asked_ward=0)
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
