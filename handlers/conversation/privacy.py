"""Consent (asked once, recorded with time and version) and the citizen's data requests."""

from __future__ import annotations

import logging

from sqlalchemy import func, select

from handlers.conversation import alerts, drafts, held
from handlers.conversation.replies import (
    button,
    clock,
    consent_buttons,
    day,
    say,
    short,
    state_label,
    text,
)
from handlers.conversation.state import Step, Turn
from handlers.messages import render
from storage.models import Attachment, OrgUnit, Petition, PetitionMessage
from storage.models.enums import PetitionState, UnitKind

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
    if turn.state.held:
        say(turn, "bot.consent_thanks_short")
        if held.offer(turn):
            logger.info("citizen %s consented; held messages offered", turn.citizen.id)
            return
    say(turn, "bot.consent_thanks")
    logger.info("citizen %s consented (version %s)", turn.citizen.id, turn.config.consent_version)


def decline(turn: Turn) -> None:
    turn.state.declined_at = turn.now
    held.drop(turn)
    turn.go(Step.IDLE)
    say(turn, "bot.consent_declined")


def withdraw_consent(turn: Turn) -> None:
    """'rút đồng ý': nothing new is stored; a draft in progress is forgotten."""
    if not turn.citizen.has_consent:
        say(turn, "bot.consent_not_given")
        return
    turn.citizen.consent_withdrawn_at = turn.now
    drafts.discard(turn)
    turn.state.consent_asked_at = None
    alerts.notify_staff(
        turn,
        "consent_withdrawn",
        render(turn.session, "staff.consent_withdrawn_title"),
        render(
            turn.session,
            "staff.consent_withdrawn_body",
            citizen_id=turn.citizen.id,
            time=clock(turn.now),
            count=len(_petitions(turn)),
        ),
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


def _petitions(turn: Turn) -> list[Petition]:
    return list(
        turn.session.scalars(
            select(Petition)
            .where(Petition.citizen_id == turn.citizen.id, Petition.state != PetitionState.DRAFT)
            .order_by(Petition.id)
        )
    )


def data_menu(turn: Turn) -> None:
    count = turn.session.scalar(
        select(func.count())
        .select_from(Petition)
        .where(Petition.citizen_id == turn.citizen.id, Petition.state != PetitionState.DRAFT)
    )
    say(
        turn,
        "bot.data_menu",
        count=int(count or 0),
        buttons=[
            button(turn, "button.data_copy", "#data:copy"),
            button(turn, "button.data_delete", "#data:delete"),
        ],
    )


def data_action(turn: Turn, what: str | None) -> None:
    """A data-menu button: copy, delete (asks to confirm), delete_ok, delete_no."""
    if what == "copy":
        _send_copy(turn)
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
        _request_deletion(turn)
    elif what == "delete_no":
        say(turn, "bot.data_delete_cancelled")
    else:
        data_menu(turn)


def _send_copy(turn: Turn) -> None:
    """The copy: consent, phone numbers and every petition, as one message."""
    session, citizen = turn.session, turn.citizen
    lines = [render(session, "bot.data_copy_zalo_id", zalo_id=citizen.zalo_user_id)]
    if citizen.consent_at is not None:
        lines.append(
            render(
                session,
                "bot.data_copy_consent",
                date=clock(citizen.consent_at),
                version=citizen.consent_version or "",
            )
        )
    else:
        lines.append(render(session, "bot.data_copy_no_consent"))
    petitions = _petitions(turn)
    phones = {p for p in [citizen.phone, *(x.callback_phone for x in petitions)] if p}
    lines += [render(session, "bot.data_copy_phone", phone=p) for p in sorted(phones)]
    for p in petitions:
        lines.append(
            render(
                session,
                "bot.data_copy_item",
                code=p.code,
                date=day(p.received_at),
                state=state_label(turn, p),
                summary=short(p.text, 200),
            )
        )
    body = render(session, "bot.data_copy", date=day(turn.now), body="\n".join(lines))
    text(turn, body, tag="bot.data_copy")


def _request_deletion(turn: Turn) -> None:
    """Staff confirm deletions (open petitions, legal holds): raise it for them."""
    count = len(_petitions(turn))
    alerts.notify_staff(
        turn,
        "data_deletion",
        render(turn.session, "staff.deletion_title"),
        render(turn.session, "staff.deletion_body", citizen_id=turn.citizen.id, count=count),
    )
    turn.state.deletion_requested_at = turn.now
    say(turn, "bot.data_delete_requested")
    logger.info("citizen %s asked for deletion of their data", turn.citizen.id)
