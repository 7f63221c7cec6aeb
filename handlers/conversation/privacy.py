"""Consent (asked once, recorded with time and version) and the citizen's data requests
(recorded for staff with their legal time limit: handlers.privacy)."""

from __future__ import annotations

import logging

from sqlalchemy import select

from handlers.conversation import drafts, emergency, held
from handlers.conversation.replies import button, clock, consent_buttons, day, say, short
from handlers.conversation.state import Step, Turn
from handlers.messages import render
from handlers.privacy import requests
from handlers.privacy.limits import COPY, CORRECT, DELETE, KINDS, WITHDRAW
from storage.models import Attachment, DataRequest, OrgUnit, PetitionMessage
from storage.models.enums import UnitKind

logger = logging.getLogger(__name__)


def front_name(turn: Turn) -> str:
    """The Front committee greeting the citizen: their ward's, else the city's."""
    query = select(OrgUnit.name).where(OrgUnit.active.is_(True))
    if turn.citizen.ward_id is not None:
        name = turn.session.scalar(query.where(OrgUnit.ward_id == turn.citizen.ward_id))
        if name:
            return name
    name = turn.session.scalar(query.where(OrgUnit.kind == UnitKind.CITY_FRONT).limit(1))
    return name or render(turn.session, "bot.front_name")


def first_contact(turn: Turn) -> None:
    """Greeting, purpose, privacy notice and the consent question (buttons)."""
    say(turn, "bot.welcome", unit=front_name(turn))
    ask_consent(turn, first=True)
    turn.state.greeted = True


def ask_consent(turn: Turn, *, first: bool = False) -> None:
    turn.state.consent_asked_at = turn.now
    turn.go(Step.CONSENT)
    key = "bot.consent_ask" if first else "bot.consent_required"
    say(turn, key, buttons=consent_buttons(turn))


def give_consent(turn: Turn) -> None:
    turn.citizen.consent_at = turn.now
    turn.citizen.consent_version = turn.config.consent_version
    turn.state.declined_at = None
    turn.go(Step.IDLE)
    emergency.consent_given(turn)
    if turn.state.held:
        say(turn, "bot.consent_thanks_short")
        if held.offer(turn):
            logger.info("citizen %s consented; held messages offered", turn.citizen.id)
            return
    say(turn, "bot.consent_thanks")
    logger.info("citizen %s consented (version %s)", turn.citizen.id, turn.config.consent_version)


def decline(turn: Turn) -> None:
    """Nothing is kept, except an emergency already with staff: say both, truthfully."""
    vital = turn.state.urgent_alerted == "pre"
    turn.state.declined_at = turn.now
    held.drop(turn)
    turn.go(Step.IDLE)
    say(turn, "bot.consent_declined")
    if vital:
        say(turn, "bot.consent_declined_vital")


def withdraw_consent(turn: Turn) -> None:
    """'rút đồng ý' takes effect at once, as the bot tells the citizen: nothing new is stored,
    a draft in progress and held messages are forgotten. Staff see the withdrawal as done
    (for information): there is nothing left for them to carry out or to refuse."""
    if not turn.citizen.has_consent:
        say(turn, "bot.consent_not_given")
        return
    turn.citizen.consent_withdrawn_at = turn.now
    drafts.discard(turn)
    held.drop(turn)
    turn.state.consent_asked_at = None
    turn.go(Step.IDLE)
    requests.record(
        turn.session,
        turn.citizen,
        WITHDRAW,
        now=turn.now,
        done="Đã ngừng xử lý dữ liệu mới ngay khi người dân rút đồng ý qua Zalo",
    )
    say(turn, "bot.consent_withdrawn", time=clock(turn.now))
    logger.info("citizen %s withdrew consent", turn.citizen.id)


def scrub(turn: Turn, message: PetitionMessage | None) -> None:
    """Without consent keep nothing of a message but its id: no text, place or file.

    An emergency kept for its vital interest is the exception (emergency.py).
    """
    if message is None or (message.data or {}).get("vital_interest"):
        return
    message.text = ""
    message.data = {"event": (message.data or {}).get("event"), "withheld": "no_consent"}
    for attachment in turn.session.scalars(
        select(Attachment).where(Attachment.message_id == message.id)
    ):
        path, sha = attachment.storage_path, attachment.sha256
        turn.session.delete(attachment)
        turn.session.flush()
        drafts.remove_file_if_unused(turn.session, sha, path, turn.config.attachment_dir)


# --- "Dữ liệu của tôi" -------------------------------------------------------------------


def set_draft_aside(turn: Turn) -> None:
    """A data request starts while a petition is half written: drop the draft and say so,
    rather than come back later with its ward question out of the blue."""
    if not drafts.in_draft(turn):
        return
    draft = turn.draft()
    summary = short(draft.text, 60) if draft is not None and draft.text else "chưa có nội dung"
    drafts.discard(turn)
    say(turn, "bot.draft_set_aside", summary=summary)


def data_menu(turn: Turn) -> None:
    set_draft_aside(turn)
    buttons = [
        button(turn, "button.data_copy", "#data:copy"),
        button(turn, "button.data_correct", "#data:correct"),
        button(turn, "button.data_delete", "#data:delete"),
    ]
    if turn.citizen.has_consent:
        buttons.append(button(turn, "button.data_withdraw", "#data:withdraw"))
    count = requests.petition_count(turn.session, turn.citizen.id)
    say(turn, "bot.data_menu", count=count, buttons=buttons)


def data_action(turn: Turn, what: str | None) -> None:
    """A data-menu button: copy, correct, withdraw, delete (asks to confirm), delete_ok/no."""
    if what in {"copy", "correct", "delete"}:
        set_draft_aside(turn)
    if what == "copy":
        _received(turn, _record(turn, COPY))
    elif what == "correct":
        turn.go(Step.DATA_CORRECT)
        say(turn, "bot.data_correct_ask")
    elif what == "withdraw":
        withdraw_consent(turn)
    elif what == "delete":
        say(
            turn,
            "bot.data_delete_confirm",
            buttons=[
                button(turn, "button.confirm_delete", "#data:delete_ok"),
                button(turn, "button.cancel", "#data:delete_no"),
            ],
        )
    elif what == "delete_ok":
        request = _record(turn, DELETE)
        say(turn, "bot.data_delete_requested", date=day(request.received_at), due=_due(request))
        logger.info("citizen %s asked for deletion of their data", turn.citizen.id)
    elif what == "delete_no":
        say(turn, "bot.data_delete_cancelled")
    else:
        data_menu(turn)


def correction_text(turn: Turn, words: str) -> None:
    """The answer to "what should be corrected?" (or a message that already says it, "sửa số
    điện thoại của tôi thành …"): a correction request for staff."""
    set_draft_aside(turn)
    turn.go(Step.IDLE)
    _received(turn, _record(turn, CORRECT, detail=words.strip()))


def _record(turn: Turn, kind: str, detail: str = "") -> DataRequest:
    return requests.record(turn.session, turn.citizen, kind, now=turn.now, detail=detail)


def _received(turn: Turn, request: DataRequest) -> None:
    what = KINDS[request.kind].label.lower()
    say(
        turn,
        "bot.data_request_received",
        what=what,
        date=day(request.received_at),
        due=_due(request),
    )


def _due(request: DataRequest) -> str:
    return f"{request.due_on:%d/%m/%Y}"
