"""What each button and typed command does, step by step (the dispatch's command table)."""

from __future__ import annotations

from typing import Any

from handlers.conversation import (
    aftercare,
    followups,
    held,
    intake,
    phone_notices,
    privacy,
    questions,
)
from handlers.conversation.commands import Command
from handlers.conversation.replies import say
from handlers.conversation.state import DRAFT_STEPS, Step, Turn

#: What a handler returns for a button of an earlier message, which means nothing now.
STALE = "stale"


def _in_draft_steps(turn: Turn) -> bool:
    return turn.step in DRAFT_STEPS and turn.conversation.draft_petition_id is not None


def _consent(turn: Turn, c: Command) -> bool:
    if turn.step == Step.CONFIRM:
        (intake.send if c.arg == "yes" else intake.edit_menu)(turn)
        return True
    if c.arg == "yes" and turn.step == Step.CONSENT:
        turn.go(Step.IDLE)
        privacy.give_consent(turn)
        return True
    return False  # "ok" while idle: let the intent decide (a tapped one is stale, see run)


def _send(turn: Turn, c: Command) -> bool:
    if not _in_draft_steps(turn):
        return False
    (intake.send if turn.step == Step.CONFIRM else intake.advance)(turn)
    return True


def _edit(turn: Turn, c: Command) -> bool | str:
    if not _in_draft_steps(turn):
        return STALE if c.arg is not None else False  # a typed «sửa» is words
    (intake.edit(turn, c.arg) if c.arg else intake.edit_menu(turn))
    return True


def _skip(turn: Turn, c: Command) -> bool:
    if turn.step == Step.ASK_PLACE:
        turn.state.asked_place = True
        intake.advance(turn)
        return True
    return False


def _ward(turn: Turn, c: Command) -> bool | str:
    if not _in_draft_steps(turn):
        return STALE
    intake.answer_ward(turn, code=c.arg)
    return True


def _add(turn: Turn, c: Command) -> bool | str:
    if turn.step != Step.ASK_WHICH:
        return STALE
    if not followups.choose(turn, c.arg):
        intake.advance(turn)
    return True


def _new(turn: Turn, c: Command) -> bool | str:
    if turn.step != Step.ASK_WHICH:
        return STALE
    turn.state.decided = True
    intake.advance(turn)
    return True


def _rating(turn: Turn, c: Command) -> bool:
    if c.arg is None and _in_draft_steps(turn):
        return False  # a bare digit inside a draft is content (a house number…)
    aftercare.rate(turn, c.arg, int(c.value or 0))
    return True


def _held(turn: Turn, c: Command) -> bool | str:
    if turn.step != Step.HELD:
        return STALE
    (held.use(turn) if c.arg == "use" else held.drop(turn, tell=True))
    return True


def _question(turn: Turn, c: Command) -> bool:
    if turn.step == Step.QUESTION or (c.arg == "staff" and turn.state.pending_text):
        questions.choose(turn, c.arg)
    return True


def _split(turn: Turn, c: Command) -> bool | str:
    if turn.step != Step.SPLIT:
        return STALE
    intake.split_choice(turn, c.arg == "two")
    return True


COMMANDS: dict[str, Any] = {
    "held": _held,
    "q": _question,
    "split": _split,
    "consent": _consent,
    "withdraw_consent": lambda t, c: privacy.withdraw_consent(t),
    "data": lambda t, c: privacy.data_action(t, c.arg) if c.arg else privacy.data_menu(t),
    "lookup": lambda t, c: aftercare.lookup(t, c.arg),
    "list": lambda t, c: aftercare.listing(t),
    "withdraw": lambda t, c: aftercare.withdraw_start(t, c.arg),
    "rut": lambda t, c: aftercare.withdraw_start(t, c.arg),
    "rut_ok": lambda t, c: aftercare.withdraw_confirmed(t, c.arg, True),
    "rut_no": lambda t, c: aftercare.withdraw_confirmed(t, c.arg, False),
    "reopen": lambda t, c: aftercare.reopen(t, c.arg),
    "kq": lambda t, c: aftercare.feedback(t, c.arg, c.value == "1"),
    "rating": _rating,
    "send": _send,
    "edit": _edit,
    "skip": _skip,
    "ward": _ward,
    "add": _add,
    "new": _new,
    "zns": lambda t, c: phone_notices.agree(t),
}
#: Typed commands that fall back to ordinary text when they mean nothing in the step.
TYPED_ONLY = frozenset({"consent", "send", "edit", "skip"})


def run(turn: Turn, command: Command, *, tapped: bool = False) -> bool:
    """Carry out a button or typed command; False when it means nothing in this step.

    A tapped button of an earlier message (`tapped`: the text is a button payload) gets a
    short answer saying so, rather than silence or being read as new content.
    """
    handler = COMMANDS.get(command.name)
    result = handler(turn, command) if handler is not None else STALE
    if result == STALE or (tapped and result is False):
        if tapped:
            say(turn, "bot.stale_button")
        return handler is not None or command.name not in TYPED_ONLY
    return True if result is None else bool(result)
