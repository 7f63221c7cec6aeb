"""Everyday requests in free words: withdraw, correct, "trả lời đi", data, not Vietnamese.

`handle` runs before the step's own question: these requests mean the same in any step.
Withdrawing consent is never read as consent; deleting data goes to the privacy flow (staff
confirm); a withdrawal goes through the usual confirmation; a correction changes the draft,
or reaches staff for a petition already sent.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from handlers.conversation import aftercare, alerts, drafts, intake, privacy
from handlers.conversation.commands import find_code
from handlers.conversation.followups import open_petitions
from handlers.conversation.replies import say
from handlers.conversation.state import Step, Turn
from handlers.conversation.understand import phone_in, resolve_ward
from handlers.messages import render
from nlp.everyday import everyday, language
from nlp.normalize import fold
from storage.models import Petition, PetitionMessage
from storage.models.enums import OPEN_STATES, PetitionState


def handle(turn: Turn, words: str, message: PetitionMessage | None) -> bool:
    """Carry out an everyday request; False when the message is not one."""
    if language(words) != "vi":
        say(turn, "bot.english")
        return True
    kind = everyday(words)
    if kind == "withdraw_consent":
        privacy.withdraw_consent(turn)
    elif kind == "delete_data":
        privacy.data_action(turn, "delete")
    elif kind in DATA_REQUESTS and find_code(words, turn.config.code_prefix) is None:
        data_request(turn, kind, words)
    elif not turn.citizen.has_consent:
        return False
    elif kind == "withdraw_petition":
        aftercare.withdraw_start(turn, find_code(words, turn.config.code_prefix))
    elif kind == "status_nudge":
        nudge(turn, words)
    elif kind == "correction":
        return correct(turn, words, message)
    else:
        return False
    return True


#: Everyday ways of asking about one's own data (nlp.everyday), with or without consent.
DATA_REQUESTS = frozenset({"data_view", "data_copy", "data_correct"})
# "sửa số điện thoại thành 0905…", "tên đúng là …": the message already says the correction.
_SAYS_WHAT = re.compile(r"\b(?:thanh|la|dung la|lai la)\b")


def data_request(turn: Turn, kind: str, words: str) -> None:
    """ "cho tôi bản sao dữ liệu", "sửa thông tin cá nhân", "xem dữ liệu của tôi"."""
    if kind == "data_view":
        privacy.data_menu(turn)
    elif kind == "data_copy":
        privacy.data_action(turn, "copy")
    elif turn.step == Step.CONFIRM and (phone := phone_in(words)) and (draft := turn.draft()):
        draft.callback_phone = phone  # the number on the summary just shown
        intake.show_summary(turn, draft)
    elif phone_in(words) or _SAYS_WHAT.search(fold(words)):
        privacy.correction_text(turn, words)
    else:
        privacy.data_action(turn, "correct")


def nudge(turn: Turn, words: str) -> None:
    """ "trả lời đi": while gathering, a word of patience; otherwise the latest petition."""
    if turn.step == Step.GATHERING:
        say(turn, "bot.nudge_draft")
        return
    code = find_code(words, turn.config.code_prefix)
    if code is not None:
        aftercare.lookup(turn, code)
        return
    latest = _latest(turn)
    if latest is None:
        say(turn, "bot.nudge_none")
    else:
        aftercare.describe(turn, latest)


def _latest(turn: Turn) -> Petition | None:
    found = open_petitions(turn)
    if found:
        return found[0]
    return turn.session.scalar(
        select(Petition)
        .where(Petition.citizen_id == turn.citizen.id, Petition.state != PetitionState.DRAFT)
        .order_by(Petition.received_at.desc(), Petition.id.desc())
        .limit(1)
    )


def correct(turn: Turn, words: str, message: PetitionMessage | None) -> bool:
    """ "à em nhầm, Tam Thăng chứ không phải Tam Thanh": fix the draft, or tell staff."""
    draft = turn.draft() if drafts.in_draft(turn) else None
    ward = resolve_ward(turn.session, words, weak_ok=True)
    if draft is not None:
        drafts.link_message(turn.session, message, draft)
        if ward is not None:
            draft.ward_id = ward.ward.id
            turn.state.ward_chosen, turn.state.ward_matched = True, ward.matched
            turn.state.outside = None
        else:
            draft.text = f"{draft.text}\nĐính chính: {words.strip()}".strip()
            turn.state.analysed = None
        intake.advance(turn)
        return True
    target = _latest(turn)
    if target is None or target.state not in OPEN_STATES:
        return False
    drafts.link_message(turn.session, message, target)
    alerts.notify_staff(
        turn,
        "citizen_correction",
        render(turn.session, "staff.correction_title", code=target.code),
        words.strip()[:2000],
        petition=target,
    )
    say(turn, "bot.correction_noted", petition=target, code=target.code)
    return True
