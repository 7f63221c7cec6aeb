"""Helpers of the scripted-resident dialogues (signed webhook in, the stand-in's record out)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.models import Citizen, Petition, StaffNotification
from tests.conversation import staffwork
from tests.conversation.service import Bubble, Phone, Service, own_database, running_service

#: Replies written to the transcript folder when PAKN_TRANSCRIPTS names one (for the report).
TRANSCRIPTS = Path.cwd() / "instance" / "transcripts"


def service_fixture(database_url: str, tmp: pytest.TempPathFactory) -> Iterator[Service]:
    folder = tmp.mktemp("dialogues")
    with own_database(database_url, folder) as url, running_service(url, folder) as svc:
        yield svc


def consent(phone: Phone) -> None:
    phone.say("Xin chào")
    asked = phone.expect(2)
    phone.tap(asked[-1], "Đồng ý")
    assert "Cảm ơn Ông/Bà đã đồng ý" in phone.expect()[0].text


def send_after_questions(phone: Phone, step: Bubble, ward: str = "P. Tam Kỳ") -> str:
    """Answer the ward and place questions if asked, tap GỬI; return the code."""
    if step.titles[:1] == ["P. Tam Kỳ"]:
        phone.tap(step, ward)
        step = phone.expect()[0]
    if "Bỏ qua" in step.titles:
        phone.tap(step, "Bỏ qua")
        step = phone.expect()[0]
    phone.tap(step, "GỬI")
    return code_of(until_code(phone))


def has(bubbles: list[Bubble], words: str) -> bool:
    return any(words in b.text for b in bubbles)


def until_code(phone: Phone) -> list[Bubble]:
    return phone.expect(until=lambda bs: has(bs, "Mã hồ sơ"))


def code_of(bubbles: list[Bubble]) -> str:
    for b in bubbles:
        if "Mã hồ sơ: " in b.text:
            return b.text.split("Mã hồ sơ: ")[1][:14]
    raise AssertionError([b.text for b in bubbles])


def petition(service: Service, code: str) -> Petition:
    with service.db() as session:
        found = staffwork.petition(session, code)
        session.expunge(found)
        return found


def citizen_of(service: Service, phone: Phone) -> Citizen:
    with service.db() as session:
        found = session.scalar(select(Citizen).where(Citizen.zalo_user_id == phone.user_id))
        assert found is not None
        session.expunge(found)
        return found


def petitions_of(service: Service, phone: Phone) -> list[Petition]:
    cid = citizen_of(service, phone).id
    with service.db() as session:
        rows = list(session.scalars(select(Petition).where(Petition.citizen_id == cid)))
        session.expunge_all()
        return rows


def notes_of(service: Service, phone: Phone, kind: str) -> list[StaffNotification]:
    cid = citizen_of(service, phone).id
    with service.db() as session:
        rows = list(
            session.scalars(
                select(StaffNotification)
                .where(StaffNotification.kind == kind)
                .where(StaffNotification.body.contains(f"#{cid}"))
            )
        )
        session.expunge_all()
        return rows


def save_transcript(phone: Phone, name: str) -> None:
    TRANSCRIPTS.mkdir(parents=True, exist_ok=True)
    (TRANSCRIPTS / f"{name}.txt").write_text("\n".join(phone.transcript) + "\n", encoding="utf-8")
