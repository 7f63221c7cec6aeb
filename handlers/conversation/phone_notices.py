"""Hooks of reaching the citizen in the conversation: notices by phone (ZNS), offered under
the summary when a phone is given, and the honest delivery lines of the TRA look-up.

The citizen's agreement is recorded by handlers.outbox.consent; this only asks and answers.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.conversation.replies import day, say, short
from handlers.conversation.state import Step, Turn
from handlers.messages import render
from handlers.outbox import consent, reach
from storage.models import Citizen, Petition, PetitionEvent


def may_offer(citizen: Citizen, phone: str) -> bool:
    """Offer the button while the citizen has not agreed for this (mobile) number."""
    number = consent.normalise_phone(phone)
    return number is not None and citizen.zns_number != number


def agree(turn: Turn) -> bool:
    """«Nhận tin qua SĐT»: record the agreement for the number on the draft (or the citizen)."""
    draft = turn.draft()
    phone = (draft.callback_phone if draft is not None else None) or turn.citizen.phone
    if not phone:
        return False
    if not consent.grant(turn.citizen, phone, turn.now):
        say(turn, "bot.zns_bad_phone", phone=phone)
        return True
    say(turn, "bot.zns_thanks", phone=phone)
    if draft is not None and turn.step == Step.CONFIRM:
        from handlers.conversation import intake

        intake.show_summary(turn, draft)
    return True


def lookup_lines(session: Session, petition: Petition) -> list[str]:
    """The result only when it truly reached the citizen; the latest message's fate."""
    lines: list[str] = []
    if petition.result_delivered_at is not None:
        when = day(petition.result_delivered_at)
        lines.append(render(session, "bot.lookup_result", date=when))
    if petition.result_sent_at is not None:
        result = session.scalar(
            select(PetitionEvent.note)
            .where(
                PetitionEvent.petition_id == petition.id,
                PetitionEvent.action.in_(("send_result", "answer_directly")),
            )
            .order_by(PetitionEvent.id.desc())
            .limit(1)
        )
        if result:
            lines.append(render(session, "bot.lookup_result_text", result=short(result, 1000)))
    found = reach.latest(session, [petition.id]).get(petition.id)
    if found is not None and found.state == "sent":
        via = reach.VIA_LABELS.get(found.via or "", found.via or "")
        lines.append(render(session, "bot.lookup_last_sent", via=via, date=day(found.at)))
    elif found is not None and found.state == "waiting":
        lines.append(render(session, "bot.lookup_last_waiting", reason=found.reason_text))
    return lines
