"""Carrying out a deletion: the citizen is nowhere (database, raw events, search, disk), the
statistics still count their petition, and a petition still being handled postpones it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from handlers.privacy import actions, retention
from handlers.workflow.inbox import search_condition
from storage.models import AuditEntry, OutboxMessage, Petition, StaffNotification
from storage.models.enums import OutboxState
from tests.conversation.chat import Chat
from tests.privacy.helpers import (
    DIGITS,
    NAME,
    PHONE,
    carry_out_staff,
    close,
    file_personal,
    findable,
    pending,
)


def _ask_deletion(chat: Chat) -> None:
    chat.replies()  # what the workflow told them before
    menu = chat.say("Dữ liệu của tôi")[0]
    chat.tap(chat.tap(menu, "Yêu cầu xóa")[0], "Xác nhận xóa")


def test_deletion_erases_the_citizen_everywhere_and_keeps_the_figures(
    chat: Chat, files: Path
) -> None:
    petition = file_personal(chat, files)
    user_id, citizen = chat.user_id, chat.citizen
    close(chat.session, petition, chat.now)
    category, ward, received = petition.category_id, petition.ward_id, petition.received_at
    assert findable(chat.session, NAME, files) and findable(chat.session, DIGITS, files)
    _ask_deletion(chat)
    request = pending(chat.session, citizen.id, "delete")
    staff = carry_out_staff(chat.session)

    count = actions.erase(chat.session, request, by=staff, now=chat.now, files_root=str(files))
    chat.session.commit()  # files go once the rows that named them are gone for good

    assert count == 1 and request.state == "done"
    for needle in (NAME, PHONE, DIGITS, "Bích Ngọc", "bich ngoc"):
        assert findable(chat.session, needle, files) == [], needle
    # The Zalo id stays only on the message that tells them, until it has left.
    assert findable(chat.session, user_id, files) == ["outbox"]
    assert not list(files.rglob("*.jpg"))
    assert citizen.anonymised_at is not None and citizen.zalo_user_id is None
    kept = chat.session.get(Petition, petition.id)
    assert kept is not None and kept.anonymised_at is not None and kept.citizen_id is None
    assert (kept.category_id, kept.ward_id, kept.received_at) == (category, ward, received)
    assert kept.state == "closed" and "ổ gà" in kept.text  # the problem, not the person
    dialect = chat.session.get_bind().dialect.name
    for words in ("bich ngoc", DIGITS):
        found = select(Petition.id).where(search_condition(words, dialect))
        assert chat.session.scalars(found).all() == [], words
    # The citizen hears the outcome (the one message still addressed to them) and the
    # item is settled; the audit entry names nobody.
    [told] = chat.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == user_id)
    ).all()
    assert "đã xóa dữ liệu cá nhân" in told.payload["text"]
    item = chat.session.scalars(
        select(StaffNotification).where(StaffNotification.kind == "data_deletion")
    ).one()
    assert item.done_at is not None
    told.state = OutboxState.SENT
    assert retention.run(chat.session, now=chat.now, months=24, files_root="").outbox_blanked == 1
    assert findable(chat.session, user_id, files) == []
    entry = chat.session.scalars(
        select(AuditEntry).where(AuditEntry.kind == "privacy.delete")
    ).one()
    assert NAME not in entry.summary and f"#{citizen.id}" in entry.summary


def test_a_petition_being_handled_postpones_the_deletion_and_says_why(
    chat: Chat, files: Path
) -> None:
    petition = file_personal(chat, files)
    _ask_deletion(chat)
    request = pending(chat.session, chat.citizen.id, "delete")
    staff = carry_out_staff(chat.session)
    actions.erase(chat.session, request, by=staff, now=chat.now, files_root=str(files))
    assert request.state == "postponed" and petition.code in request.outcome
    assert chat.citizen.anonymised_at is None and petition.anonymised_at is None
    told = chat.replies()[-1].text
    assert "chưa thể thực hiện ngay" in told and petition.code in told
    assert "đang được giải quyết" in told


def test_a_tố_cáo_under_handling_is_kept_by_law(chat: Chat, files: Path) -> None:
    petition = file_personal(chat, files)
    petition.legal_type = "to_cao"
    _ask_deletion(chat)
    request = pending(chat.session, chat.citizen.id, "delete")
    actions.erase(
        chat.session, request, by=carry_out_staff(chat.session), now=chat.now, files_root=""
    )
    assert "tố cáo" in chat.replies()[-1].text and request.state == "postponed"


def test_refusal_needs_a_reason_and_tells_the_citizen(chat: Chat, files: Path) -> None:
    file_personal(chat, files)
    _ask_deletion(chat)
    request = pending(chat.session, chat.citizen.id, "delete")
    staff = carry_out_staff(chat.session)
    try:
        actions.refuse(chat.session, request, "không", by=staff, now=chat.now)
    except actions.PrivacyError as exc:
        assert "lý do" in str(exc)
    else:
        raise AssertionError("a refusal without a reason was accepted")
    actions.refuse(
        chat.session, request, "không xác minh được người yêu cầu", by=staff, now=chat.now
    )
    assert request.state == "refused"
    assert "không xác minh được người yêu cầu" in chat.replies()[-1].text
