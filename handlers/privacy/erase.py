"""Erasing a person from the records while the statistics stay.

A petition keeps its category, ward, legal type, channel, dates, states, forwards and
ratings (the reports count them); it loses its link to the citizen, the contact fields, the
place, the files the citizen sent, and every name or number in its free text. A citizen
loses their Zalo id, name and numbers, their conversation and the raw webhook bodies.
Files go from disk once the transaction commits (drafts.remove_file_if_unused).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from handlers.conversation.drafts import remove_file_if_unused
from handlers.privacy.scrub import Scrubber
from handlers.workflow.search import refresh_search_text
from nlp import author
from storage.models import (
    AgencyMessage,
    AgencyRedaction,
    Attachment,
    ChaseLetter,
    Citizen,
    Conversation,
    DataRequest,
    Forward,
    InboundEvent,
    OutboxMessage,
    Petition,
    PetitionEvent,
    PetitionMessage,
    PetitionNote,
    Reminder,
    StaffNotification,
)
from storage.models.enums import InboundState, OutboxState, PetitionState

#: Free text about a petition written by staff, agencies and the system: (model, columns).
PETITION_TEXTS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (PetitionNote, ("body",)),
    (PetitionEvent, ("note",)),
    (AgencyMessage, ("body",)),
    (Forward, ("answer_text", "return_reason")),
    (StaffNotification, ("title", "body")),
    (ChaseLetter, ("fields",)),
    (Reminder, ("data",)),
    (AgencyRedaction, ("summary", "text", "hidden")),
)
_DIGITS = re.compile(r"\D+")


def scrubber_for(citizen: Citizen | None, petitions: Iterable[Petition]) -> Scrubber:
    """A scrubber knowing the person's names and numbers, from the citizen and petitions."""
    values: list[str | None] = []
    for p in petitions:
        values += [p.reporter_name, p.callback_phone, p.contact_email]
        # How the author names themself in the text, and what staff hid from agencies.
        values += [term for _, term in author.terms(p.text or "")]
        if p.agency_redaction is not None:
            values += p.agency_redaction.hidden or []
    if citizen is not None:
        values += [citizen.display_name, citizen.phone, citizen.zns_phone, citizen.zalo_user_id]
    phones = [_DIGITS.sub("", v) for v in values if v and any(c.isdigit() for c in v)]
    return Scrubber.knowing([*values, *phones])


def anonymise_petition(
    session: Session, petition: Petition, scrub: Scrubber, *, now: datetime, files_root: str
) -> None:
    """Erase the petition's personal data; keep what the reports count."""
    petition.citizen_id = None
    petition.citizen = None
    petition.text = scrub.text(petition.text)
    petition.summary = scrub.text(petition.summary)[:300]
    petition.suggestions = scrub.value(petition.suggestions or {})
    petition.place = petition.latitude = petition.longitude = None
    petition.callback_phone = petition.reporter_name = petition.contact_email = None
    if petition.result_delivery_note:
        petition.result_delivery_note = scrub.text(petition.result_delivery_note)
    for model, columns in PETITION_TEXTS:
        for row in session.scalars(select(model).where(model.petition_id == petition.id)):
            for column in columns:
                setattr(row, column, scrub.value(getattr(row, column)))
    scrub_messages(session, thread(session, petition), scrub, files_root)
    _scrub_outbox(session, OutboxMessage.petition_id == petition.id, scrub)
    _drop_files(session, petition, files_root)
    petition.anonymised_at = now
    refresh_search_text(petition)


def thread(session: Session, petition: Petition) -> list[PetitionMessage]:
    """The petition's messages."""
    return list(
        session.scalars(select(PetitionMessage).where(PetitionMessage.petition_id == petition.id))
    )


def scrub_messages(
    session: Session, messages: list[PetitionMessage], scrub: Scrubber, files_root: str
) -> None:
    """A thread's messages keep their kind and time; text masked, payload and files gone."""
    for message in messages:
        message.citizen_id = None
        message.text = scrub.text(message.text)
        message.data = {"event": (message.data or {}).get("event"), "anonymised": True}
    ids = [m.id for m in messages]
    if not ids:
        return
    for attachment in session.scalars(select(Attachment).where(Attachment.message_id.in_(ids))):
        _delete_attachment(session, attachment, files_root)
    events = [m.inbound_event_id for m in messages if m.inbound_event_id]
    if events:
        session.execute(
            update(InboundEvent)
            .where(InboundEvent.id.in_(events), InboundEvent.state != InboundState.PENDING)
            .values(raw_body=b"")
            .execution_options(synchronize_session=False)
        )


def _drop_files(session: Session, petition: Petition, files_root: str) -> None:
    """The citizen's files and the forwarding slips go; an agency's answer documents stay."""
    forwards = list(session.scalars(select(Forward).where(Forward.petition_id == petition.id)))
    kept = {f.answer_attachment_id for f in forwards} | {
        int(i) for f in forwards for i in (f.answer_files or [])
    }
    for attachment in session.scalars(
        select(Attachment).where(Attachment.petition_id == petition.id)
    ):
        if attachment.id not in kept:
            _delete_attachment(session, attachment, files_root)
    for fwd in forwards:
        if fwd.slip_path:
            remove_file_if_unused(session, None, fwd.slip_path, files_root)
            fwd.slip_path = None


def _delete_attachment(session: Session, attachment: Attachment, files_root: str) -> None:
    path, sha = attachment.storage_path, attachment.sha256
    session.execute(
        update(Attachment)
        .where(Attachment.redacted_from_id == attachment.id)
        .values(redacted_from_id=None)
        .execution_options(synchronize_session=False)
    )
    session.delete(attachment)
    session.flush()
    remove_file_if_unused(session, sha, path, files_root)


def _scrub_outbox(session: Session, where: Any, scrub: Scrubber, keep: int | None = None) -> None:
    """Messages already sent keep only their kind and time; unsent ones are not sent."""
    rows = session.scalars(select(OutboxMessage).where(where, OutboxMessage.id != (keep or 0)))
    for row in rows:
        if row.state == OutboxState.SENDING:
            continue  # a sender holds it; the retention job blanks it once sent
        if row.state == OutboxState.SENT:
            row.recipient = ""
            row.payload = {"anonymised": True}
            row.citizen_id = None
        else:
            session.delete(row)


def anonymise_citizen(
    session: Session,
    citizen: Citizen,
    *,
    now: datetime,
    files_root: str,
    keep_outbox: int | None = None,
) -> int:
    """Erase the citizen and every petition of theirs; return how many petitions.

    `keep_outbox` is the message telling them the outcome: it still has to leave.
    """
    petitions = list(session.scalars(select(Petition).where(Petition.citizen_id == citizen.id)))
    scrub = scrubber_for(citizen, petitions)
    for petition in petitions:
        if petition.state == PetitionState.DRAFT:
            scrub_messages(session, thread(session, petition), scrub, files_root)
            _drop_files(session, petition, files_root)
            session.delete(petition)
        else:
            anonymise_petition(session, petition, scrub, now=now, files_root=files_root)
    session.flush()
    loose = session.scalars(select(PetitionMessage).where(PetitionMessage.citizen_id == citizen.id))
    scrub_messages(session, list(loose), scrub, files_root)
    _scrub_outbox(session, OutboxMessage.citizen_id == citizen.id, scrub, keep=keep_outbox)
    _forget_webhooks(session, citizen.zalo_user_id)
    session.execute(delete(Conversation).where(Conversation.citizen_id == citizen.id))
    session.execute(
        update(DataRequest).where(DataRequest.citizen_id == citizen.id).values(detail="")
    )
    citizen.zalo_user_id = citizen.display_name = citizen.phone = citizen.zns_phone = None
    citizen.anonymised_at = now
    return sum(p.state != PetitionState.DRAFT for p in petitions)


def _forget_webhooks(session: Session, zalo_user_id: str | None) -> None:
    """Raw bodies emptied; the Zalo id leaves the subject and the de-duplication keys."""
    if not zalo_user_id:
        return
    token = "anon-" + hashlib.sha256(zalo_user_id.encode()).hexdigest()[:16]
    session.execute(
        update(InboundEvent)
        .where(
            or_(
                InboundEvent.subject == zalo_user_id, InboundEvent.dedup_key.contains(zalo_user_id)
            ),
            InboundEvent.state != InboundState.PENDING,
        )
        .values(
            raw_body=b"",
            subject=None,
            dedup_key=func.replace(InboundEvent.dedup_key, zalo_user_id, token),
        )
        .execution_options(synchronize_session=False)
    )
