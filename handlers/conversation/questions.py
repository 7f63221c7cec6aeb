"""Questions are answered from the staff's «Hỏi đáp», never filed unless the citizen asks.

A message worded as a question, or close to an answer, gets the answer when the match is
sure. When it is not sure, the bot asks "Ông/Bà muốn hỏi hay muốn gửi phản ánh?". A
question with no answer can be sent to staff, as a petition of type hỏi đáp, only on the
citizen's own tap.
"""

from __future__ import annotations

from handlers.conversation import drafts
from handlers.conversation.replies import button, say, text
from handlers.conversation.state import Step, Turn
from handlers.knowledge import Found, find_answer
from handlers.messages import render
from nlp.everyday import is_question
from storage.models.enums import LegalType

MAX_WORDS = 40  # longer messages are petitions that may contain a question


def _lookup(turn: Turn, words: str) -> Found | None:
    return find_answer(turn.session, words, turn.citizen.ward_id)


def consider(turn: Turn, words: str, *, urgent: bool) -> bool:
    """Answer, or ask which it is; False when the message is not a question at all."""
    if urgent or not words or len(words.split()) > MAX_WORDS:
        return False
    found = _lookup(turn, words)
    asking = is_question(words)
    if found is not None and found.sure and (asking or len(words.split()) <= 12):
        answer(turn, found)
        return True
    if not asking:
        return False
    if not turn.citizen.has_consent:
        return False  # the consent flow holds it; nothing to ask yet
    turn.state.pending_text = words
    turn.go(Step.QUESTION)
    say(
        turn,
        "bot.ask_question_or_petition",
        buttons=[
            button(turn, "button.question", "#q:ask"),
            button(turn, "button.petition", "#q:petition"),
        ],
    )
    return True


def answer(turn: Turn, found: Found) -> None:
    footer = render(turn.session, "bot.answer_footer")
    text(turn, found.answer.answer + footer, tag=f"kb.{found.answer.topic}")


def choose(turn: Turn, choice: str | None) -> None:
    """The citizen's answer to "hỏi hay phản ánh?" (or to "Gửi câu hỏi")."""
    pending = turn.state.pending_text or ""
    if choice == "ask":
        found = _lookup(turn, pending)
        turn.go(Step.IDLE)
        if found is not None:
            answer(turn, found)
        else:
            staff = button(turn, "button.ask_staff", "#q:staff")
            say(turn, "bot.question_unknown", buttons=[staff])
        return
    turn.state.pending_text = None
    if choice in {"petition", "staff"} and pending:
        draft = drafts.ensure_draft(turn)
        draft.text = pending
        if choice == "staff":
            draft.legal_type = LegalType.HOI_DAP
            turn.state.decided = True
        from handlers.conversation import intake

        intake.advance(turn)
        return
    turn.go(Step.IDLE)
    say(turn, "bot.petition_go_ahead")
