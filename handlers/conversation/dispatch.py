"""The conversation's entry points: one inbound event (`converse`) and the quiet-window tick.

`converse` is registered on the inbound router for message, follow, chat-now and form
events; it runs after `record_event` has kept the citizen and the message, in the same
transaction. Order of concerns for a message: duplicates → flood limit → urgency → consent (messages
before it are held) → commands (buttons and typed) → everyday requests and insults → the
step's question → questions and chatter → content for a draft.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from handlers.conversation import (
    actions,
    aftercare,
    chatter,
    drafts,
    emergency,
    held,
    intake,
    places,
    privacy,
    questions,
    requests,
)
from handlers.conversation.commands import Command, find_code, parse_text
from handlers.conversation.replies import say, ward_buttons
from handlers.conversation.state import Step, Turn, conversation_for
from handlers.conversation.understand import intent_of, only_phone, urgent_reasons
from handlers.events import (
    AudioMessage,
    ClickChatNow,
    Event,
    FileMessage,
    Follow,
    GifMessage,
    ImageMessage,
    LocationMessage,
    MessageEvent,
    StickerMessage,
    SubmitInfo,
    TextMessage,
    VideoMessage,
)
from handlers.inbound import HandlerContext, citizen_for, message_for, router
from handlers.workflow import parse_feedback
from nlp.everyday import only_insults
from storage.models import PetitionMessage

logger = logging.getLogger(__name__)

SEEN_KEEP = 30  # message ids remembered against a second delivery under another key
CONSENT_REMINDER_SECONDS = 60  # pre-consent messages in a burst get one reminder


@router.on(MessageEvent, Follow, ClickChatNow, SubmitInfo)
def converse(session: Session, event: Event, ctx: HandlerContext) -> None:
    """Answer one inbound event in the caller's transaction."""
    citizen = citizen_for(session, event)
    if citizen is None:
        return
    turn = Turn(
        session, citizen, conversation_for(session, citizen), ctx.now, ctx.services.conversation
    )
    if _already_seen(turn, event):
        turn.save()
        return
    turn.next_turn_id()
    if isinstance(event, Follow | ClickChatNow):
        _arrival(turn, isinstance(event, Follow))
    elif isinstance(event, SubmitInfo):
        _submitted_info(turn, event)
    elif isinstance(event, MessageEvent):
        chatter.admit(turn)
        _message(turn, event, message_for(session, event))
    turn.save()


def _already_seen(turn: Turn, event: Event) -> bool:
    if not event.msg_id:
        return False
    seen = turn.state.seen
    if event.msg_id in seen:
        return True
    turn.state.seen = [*seen, event.msg_id][-SEEN_KEEP:]
    return False


def _arrival(turn: Turn, followed: bool) -> None:
    """Follow or 'chat now': greet once, ask consent if not given, welcome back otherwise."""
    if not turn.citizen.has_consent:
        if not turn.state.greeted:
            privacy.first_contact(turn)
        elif followed or _consent_reminder_due(turn):
            privacy.ask_consent(turn)
        return
    if followed:
        say(turn, "bot.greeting")


def _consent_reminder_due(turn: Turn) -> bool:
    asked = turn.state.consent_asked_at
    if asked is None:
        return True
    return (turn.now - asked).total_seconds() >= CONSENT_REMINDER_SECONDS


def _submitted_info(turn: Turn, event: SubmitInfo) -> None:
    """The contact card's answer: a callback phone for the draft (with consent only)."""
    phone = event.info.phone
    if not phone or not turn.citizen.has_consent:
        return
    phone = "0" + phone[2:] if phone.startswith("84") else phone
    draft = turn.draft()
    if draft is not None:
        draft.callback_phone = phone[:32]
        if turn.step == Step.CONFIRM:
            intake.show_summary(turn, draft)
    else:
        turn.citizen.phone = phone[:32]


# --- messages ----------------------------------------------------------------------------


def _command_of(turn: Turn, event: MessageEvent) -> Command | None:
    if not isinstance(event, TextMessage) or not event.text.strip():
        return None
    feedback = parse_feedback(event.text)
    if feedback is not None:
        kind, code, value = feedback
        name = "kq" if kind == "feedback" else "rating"
        return Command(name, code, str(value))
    return parse_text(event.text, turn.config.code_prefix)


def _message(turn: Turn, event: MessageEvent, message: PetitionMessage | None) -> None:
    words = (event.text or "").strip() if isinstance(event, TextMessage) else ""
    caption = (event.text or "").strip()
    command = _command_of(turn, event)
    reasons = urgent_reasons(caption) if caption and command is None else ()
    if not turn.citizen.has_consent:
        _before_consent(turn, event, message, command, words, reasons)
        return
    typed = command is None or command.name in actions.TYPED_ONLY  # «có», «thôi»: words
    if turn.state.withdraw_asked and typed and words and not reasons:
        if aftercare.withdraw_reply(turn, words):
            return
    if command is not None and actions.run(turn, command, tapped=words.startswith("#")):
        return
    if words and command is None and not reasons and _aside(turn, words, message):
        return
    _content(turn, event, message, words, reasons)


def _aside(turn: Turn, words: str, message: PetitionMessage | None) -> bool:
    """Everyday requests, insults and the held-messages question, before the step's own."""
    if requests.handle(turn, words, message):
        return True
    if only_insults(words):
        chatter.abuse(turn)
        return True
    if turn.step == Step.HELD:
        return _held_reply(turn, words)
    if turn.step == Step.QUESTION:
        turn.state.pending_text = None
        turn.go(Step.IDLE)
    return False


def _held_reply(turn: Turn, words: str) -> bool:
    """After consent, the answer to "Dùng làm nội dung phản ánh?" in free words."""
    intent = intent_of(words)
    refused = intent == "consent_no" or held.refuses(words)  # before any yes: «ok đừng»
    if not refused and (held.points_back(words) or held.accepts(words) or intent == "consent_yes"):
        held.use(turn)
        return True
    held.drop(turn, tell=refused)
    return refused  # anything else is new content: go on with it


def _before_consent(
    turn: Turn,
    event: MessageEvent,
    message: PetitionMessage | None,
    command: Command | None,
    words: str,
    reasons: tuple[str, ...],
) -> None:
    """Emergency help always; questions answered; the rest held until consent.

    Only content for a petition is held (and only for a first-time citizen: after a withdrawal
    or an explicit decline nothing new is kept, and after a decline each such message gets a
    short reply saying so). Everything else — buttons, commands, requests — is answered and its
    text dropped at once: the bot tells the citizen that nothing is kept without consent.
    """
    if reasons:
        emergency.raise_urgent(turn, None, reasons, text=words or event.text or "", message=message)
    if command is not None:
        if command.name == "consent" or (command.name == "skip" and turn.step == Step.CONSENT):
            privacy.scrub(turn, message)
            (privacy.give_consent if command.arg == "yes" else privacy.decline)(turn)
            return
        if command.name in {"lookup", "list", "data", "withdraw_consent", "kq", "rating"}:
            privacy.scrub(turn, message)
            actions.run(turn, command)
            return
    if words and turn.step == Step.DATA_CORRECT and not reasons:
        privacy.scrub(turn, message)  # the words go on the request, not in the thread
        privacy.correction_text(turn, words)
        return
    if words and not reasons and requests.handle(turn, words, message):
        privacy.scrub(turn, message)
        return
    intent = intent_of(words) if words else ""
    if words and turn.step == Step.CONSENT and intent in {"consent_yes", "consent_no"}:
        privacy.scrub(turn, message)
        (privacy.give_consent if intent == "consent_yes" else privacy.decline)(turn)
        return
    if words and not reasons and questions.consider(turn, words, urgent=False):
        privacy.scrub(turn, message)
        return
    refused = turn.citizen.consent_withdrawn_at is not None or turn.state.declined_at is not None
    detail = not reasons and emergency.add_detail(turn, message, words)
    if detail:
        reasons = ("detail",)  # kept like the emergency it belongs to (vital interest)
    worth = _worth_holding(event, intent, reasons)
    if worth and (reasons or not refused):
        held.hold(turn, message)
    else:
        privacy.scrub(turn, message)
    if not turn.state.greeted:
        privacy.first_contact(turn)
    elif detail:  # answered at once: the reminder below waits up to a minute
        emergency.acknowledge_detail(turn)
    elif worth and not reasons and turn.state.declined_at is not None:
        say(turn, "bot.consent_declined_reply")  # nothing kept: say so, every time
    elif _consent_reminder_due(turn):
        privacy.ask_consent(turn)


def _worth_holding(event: MessageEvent, intent: str, reasons: tuple[str, ...]) -> bool:
    """Content for a petition (not a greeting, a sticker or a swear word)."""
    if reasons:
        return True
    if isinstance(event, StickerMessage | GifMessage):
        return False
    if isinstance(event, TextMessage):
        return intent in {"petition", "smalltalk"} and not only_insults(event.text or "")
    return True


def _content(
    turn: Turn,
    event: MessageEvent,
    message: PetitionMessage | None,
    words: str,
    reasons: tuple[str, ...],
) -> None:
    """What the citizen says or sends that is not a command."""
    if isinstance(event, StickerMessage | GifMessage):
        if not drafts.in_draft(turn):
            chatter.sticker(turn)
        return
    if isinstance(event, AudioMessage | VideoMessage) and not drafts.in_draft(turn):
        chatter.unsupported(turn)
        return
    if _answers_question(turn, event, message, words, (event.text or "").strip()):
        return
    if words:
        intent = intent_of(words)
        if drafts.in_draft(turn):
            if _aside_in_draft(turn, intent, words):
                return
        elif _not_a_petition(turn, intent, words, reasons):
            return
        chatter.count_insults(turn, words)
    draft = drafts.absorb(turn, event, message)
    if reasons:
        emergency.raise_urgent(turn, draft, reasons, text=draft.text)


def _answers_question(
    turn: Turn, event: MessageEvent, message: PetitionMessage | None, words: str, caption: str
) -> bool:
    """A reply to the step's question (ward, place, phone); True when it was one."""
    step = turn.step
    if step == Step.DATA_CORRECT and words:
        privacy.correction_text(turn, words)
        return True
    if step == Step.ASK_WARD and words:
        return _ward_reply(turn, message, words)
    if step == Step.ASK_WARD and isinstance(event, ImageMessage | FileMessage) and not caption:
        drafts.link_message(turn.session, message, _draft(turn))  # kept with the draft
        say(turn, "bot.ward_photo_kept", buttons=ward_buttons(turn))
        return True
    if step == Step.ASK_PLACE:
        if isinstance(event, LocationMessage):
            drafts.absorb(turn, event, message)
            intake.advance(turn)
            return True
        if words and len(words.split()) <= 25:
            drafts.link_message(turn.session, message, _draft(turn))
            intake.answer_place(turn, words)
            return True
    if step == Step.CONFIRM and words and (phone := only_phone(words)):
        draft = _draft(turn)
        drafts.link_message(turn.session, message, draft)
        draft.callback_phone = phone
        intake.show_summary(turn, draft)
        return True
    return False


def _ward_reply(turn: Turn, message: PetitionMessage | None, words: str) -> bool:
    """The ward, typed; a longer message also adds to the text ("the real problem")."""
    draft = _draft(turn)
    if len(words.split()) > 6:
        draft.text = f"{draft.text}\n{words}".strip()
        turn.state.analysed = None
    if intake.answer_ward(turn, words=words):
        drafts.link_message(turn.session, message, draft)
        return True
    place = places.outside_name(turn, words)
    if place is not None:
        drafts.link_message(turn.session, message, draft)
        places.say_outside(turn, place)
        return True
    if len(words.split()) <= 6:
        intake.ask_ward(turn)
        return True
    drafts.link_message(turn.session, message, draft)
    intake.advance(turn)
    return True


def _draft(turn: Turn) -> Any:
    return drafts.ensure_draft(turn)


def _aside_in_draft(turn: Turn, intent: str, words: str) -> bool:
    """Inside a draft: abuse and spam are not content; a bare 'thanks' needs no answer."""
    if intent == "abuse":
        chatter.abuse(turn)
        return True
    if intent == "spam":
        return only_phone(words) is None  # "sdt e 0935…": the callback number, not spam
    return intent in {"greeting", "thanks", "consent_yes"} and len(words.split()) <= 4


def _not_a_petition(turn: Turn, intent: str, words: str, reasons: tuple[str, ...]) -> bool:
    """Idle: lookups, greetings, questions and the like are answered, not filed."""
    if only_phone(words) and find_code(words, turn.config.code_prefix) is None:
        return False  # a callback number: for the open petition (followups), not a look-up
    if intent == "status_lookup":
        aftercare.lookup(turn, find_code(words, turn.config.code_prefix))
        return True
    if intent in {"consent_yes", "consent_no", "withdraw_consent"}:
        return True  # "ok", "vâng" after a notification: nothing to say
    if questions.consider(turn, words, urgent=bool(reasons)):
        return True
    return chatter.reply_to_intent(turn, intent, words)
