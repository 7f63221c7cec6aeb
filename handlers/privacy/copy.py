"""The copy of a citizen's data: who they are to us, their consent, numbers, petitions and
messages, as the text of one Zalo message (the sender splits long texts)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.conversation.commands import parse_payload
from handlers.conversation.replies import clock, day, short
from handlers.messages import render
from handlers.workflow import citizen_state_label, latest_forward
from storage.models import Citizen, Petition, PetitionMessage
from storage.models.enums import MessageDirection, PetitionState


def copy_text(session: Session, citizen: Citizen, *, now_label: str) -> str:
    """The whole copy, rendered from the catalogue (staff may reword every line)."""
    petitions = list(
        session.scalars(
            select(Petition)
            .where(Petition.citizen_id == citizen.id, Petition.state != PetitionState.DRAFT)
            .order_by(Petition.id)
        )
    )
    lines = _identity(session, citizen, petitions)
    for p in petitions:
        fwd = latest_forward(session, p)
        lines.append(
            render(
                session,
                "bot.data_copy_item",
                code=p.code,
                date=day(p.received_at),
                state=citizen_state_label(p, fwd.agency.name if fwd is not None else None),
                summary=short(p.text, 300),
            )
        )
    lines += _messages(session, citizen)
    return render(session, "bot.data_copy", date=now_label, body="\n".join(lines))


def _identity(session: Session, citizen: Citizen, petitions: list[Petition]) -> list[str]:
    lines = [render(session, "bot.data_copy_zalo_id", zalo_id=citizen.zalo_user_id or "")]
    if citizen.display_name:
        lines.append(render(session, "bot.data_copy_name", name=citizen.display_name))
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
    if citizen.consent_withdrawn_at is not None:
        lines.append(
            render(session, "bot.data_copy_withdrawn", date=clock(citizen.consent_withdrawn_at))
        )
    phones = {x for x in [citizen.phone, *(p.callback_phone for p in petitions)] if x}
    return lines + [render(session, "bot.data_copy_phone", phone=x) for x in sorted(phones)]


def _messages(session: Session, citizen: Citizen) -> list[str]:
    """What the citizen wrote; a button tap ("#ward:tam_ky") is a code, not their words."""
    rows = session.scalars(
        select(PetitionMessage)
        .where(
            PetitionMessage.citizen_id == citizen.id,
            PetitionMessage.direction == MessageDirection.IN,
            PetitionMessage.text != "",
        )
        .order_by(PetitionMessage.created_at, PetitionMessage.id)
    )
    return [
        render(session, "bot.data_copy_message", time=clock(m.created_at), text=short(m.text, 300))
        for m in rows
        if parse_payload(m.text) is None
    ]
