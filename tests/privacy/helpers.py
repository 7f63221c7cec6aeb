"""A citizen with a petition full of personal data, filed through the chat, and the places
their data can hide (for the erasure tests)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import Session

from handlers import workflow as wf
from handlers.privacy import requests
from storage.models import (
    Attachment,
    Citizen,
    DataRequest,
    InboundEvent,
    OutboxMessage,
    Petition,
    PetitionMessage,
    StaffUser,
)
from storage.models.enums import CloseReason, InboundState, MessageDirection
from tests.conversation.chat import Chat
from tests.conversation.test_intake import POTHOLE, file_petition

NAME = "Trần Thị Bích Ngọc"
PHONE = "0905 123 456"
DIGITS = "0905123456"
TEXT = f"{POTHOLE}. Tôi là {NAME}, nhà số 12, gọi {PHONE} nếu cần."


def file_personal(chat: Chat, root: Path) -> Petition:
    """File TEXT through the chat, give the citizen a name, a photo on disk and a raw event."""
    code = file_petition(chat, TEXT + " ở An Xuân")
    chat.citizen.display_name = NAME
    chat.citizen.phone = PHONE
    petition = chat.session.scalars(select(Petition).where(Petition.code == code)).one()
    message = chat.session.scalars(
        select(PetitionMessage).where(PetitionMessage.petition_id == petition.id)
    ).first()
    assert message is not None
    photo = root / "ab" / "photo.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(b"\xff\xd8 photo of " + NAME.encode())
    chat.session.add(
        Attachment(
            message_id=message.id,
            petition_id=petition.id,
            kind="image",
            sha256="ab" * 32,
            storage_path="ab/photo.jpg",
            original_name=f"{NAME}.jpg",
            source_url="https://example.invalid/p.jpg",
        )
    )
    event = InboundEvent(
        dedup_key=f"follow|{chat.user_id}|1",
        event_name="user_send_text",
        subject=chat.user_id,
        raw_body=f'{{"sender":{{"id":"{chat.user_id}"}},"text":"{NAME} {PHONE}"}}'.encode(),
        state=InboundState.PROCESSED,
    )
    chat.session.add(event)
    chat.session.flush()
    message.inbound_event_id = event.id
    chat.session.flush()
    return petition


def close(session: Session, petition: Petition, now: datetime) -> None:
    wf.close(session, petition, actor=wf.SYSTEM, reason=CloseReason.RESOLVED, now=now)
    session.flush()


def findable(session: Session, needle: str, root: Path) -> list[str]:
    """Where `needle` still is: every text-like column of the stores, and files on disk."""
    like = f"%{needle}%"
    places = []
    checks = {
        "petitions": select(Petition.id).where(
            or_(
                *(c.like(like) for c in (Petition.text, Petition.summary, Petition.search_text)),
                cast(Petition.callback_phone, String).like(like),
                cast(Petition.reporter_name, String).like(like),
            ),
        ),
        "messages": select(PetitionMessage.id).where(
            or_(PetitionMessage.text.like(like), cast(PetitionMessage.data, String).like(like))
        ),
        "citizens": select(Citizen.id).where(
            or_(
                Citizen.display_name.like(like),
                Citizen.phone.like(like),
                Citizen.zalo_user_id.like(like),
            )
        ),
        "outbox": select(OutboxMessage.id).where(
            or_(OutboxMessage.recipient.like(like), cast(OutboxMessage.payload, String).like(like))
        ),
        "attachments": select(Attachment.id).where(
            or_(Attachment.original_name.like(like), Attachment.storage_path.like(like))
        ),
        "requests": select(DataRequest.id).where(DataRequest.detail.like(like)),
        "inbound": select(InboundEvent.id).where(
            or_(InboundEvent.subject.like(like), InboundEvent.dedup_key.like(like))
        ),
    }
    for name, query in checks.items():
        if session.scalars(query).first() is not None:
            places.append(name)
    for event in session.scalars(select(InboundEvent)):
        if needle.encode() in bytes(event.raw_body or b""):
            places.append("inbound raw body")
    for path in root.rglob("*"):
        if path.is_file() and needle.encode() in path.read_bytes():
            places.append(str(path))
    return places


def carry_out_staff(session: Session, username: str = "privacy-officer") -> StaffUser:
    from tests.workflow import helpers as h

    return h.staff(session, "supervisor", username=username)


def pending(session: Session, citizen_id: int, kind: str) -> DataRequest:
    found = requests.pending_request(session, citizen_id, kind)
    assert found is not None
    return found


def days(n: int) -> timedelta:
    return timedelta(days=n)


__all__ = ["DIGITS", "MessageDirection"]
