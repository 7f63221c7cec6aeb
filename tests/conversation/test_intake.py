"""Consent and taking a petition, in process (same handlers and database as production)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from handlers.conversation.jobs import drafts_expire
from handlers.jobs import JobContext
from handlers.services import Services
from storage.models import Attachment, Petition, PetitionMessage, StaffNotification
from storage.models.enums import PetitionState
from tests import dates
from tests.conversation.chat import Chat
from tests.conversation.conftest import OFFICE_DAY

POTHOLE = "Đường Phan Châu Trinh đoạn trước chợ có ổ gà rất lớn, xe máy té ngã nhiều lần"


def file_petition(chat: Chat, text: str = POTHOLE, ward: str = "P. Tam Kỳ") -> str:
    """Consent, one message, the ward, GỬI; return the code (an emergency is filed at once)."""
    chat.consent()
    replies = [*chat.say(text), *chat.wait()]
    if replies[-1].buttons and ward in replies[-1].titles:
        replies = chat.tap(replies[-1], ward)
    if "Bỏ qua" in replies[-1].titles:
        replies = chat.tap(replies[-1], "Bỏ qua")
    if not any("Mã hồ sơ:" in r.text for r in replies):
        replies = chat.tap(replies[-1], "GỬI")
    received = [r for r in replies if "Mã hồ sơ:" in r.text]
    assert received, replies
    return received[0].text.split("Mã hồ sơ: ")[1].split(".")[0]


def test_first_contact_asks_consent_and_holds_the_message_only_briefly(
    chat: Chat, session_factory: Any
) -> None:
    replies = chat.say(POTHOLE)
    assert "xin chào Ông/Bà" in replies[0].text
    assert replies[-1].titles == ["Đồng ý", "Không đồng ý"]
    assert "Bảo vệ dữ liệu cá nhân" in replies[-1].text
    kept = chat.session.scalars(
        select(PetitionMessage).where(PetitionMessage.citizen_id == chat.citizen.id)
    ).all()
    assert [m.text for m in kept] == [POTHOLE] and kept[0].data["held"] is True
    later = chat.now + timedelta(minutes=chat.config.hold_minutes + 1)
    ctx = JobContext(session_factory, later, Services(conversation=chat.config))
    assert drafts_expire(ctx)["expired"] == 1
    chat.session.expire_all()
    assert [m.text for m in kept] == [""]
    assert kept[0].data["withheld"] == "no_consent"
    assert chat.conversation.step == "consent" and chat.conversation.expires_at is None
    assert chat.citizen.consent_at is None
    assert (
        chat.session.scalar(
            select(func.count()).select_from(Petition).where(Petition.citizen_id == chat.citizen.id)
        )
        == 0
    )


def test_a_burst_before_consent_gets_one_reminder(chat: Chat) -> None:
    chat.say("chào")
    replies = chat.say("ổ gà")
    replies += chat.photo()
    assert replies == []


@pytest.mark.parametrize("words", ["đồng ý", "dong y", "Vâng, tôi đồng ý"])
def test_typed_consent_is_recorded_with_time_and_version(chat: Chat, words: str) -> None:
    chat.say("alo")
    replies = chat.say(words)
    assert "Cảm ơn Ông/Bà đã đồng ý" in replies[0].text
    assert chat.citizen.consent_at == chat.now
    assert chat.citizen.consent_version == chat.config.consent_version


def test_declining_explains_why_the_bot_cannot_proceed(chat: Chat) -> None:
    first = chat.say("chào")
    replies = chat.tap(first[-1], "Không đồng ý")
    assert "không được lưu thông tin" in replies[0].text
    replies = chat.say("khong dong y")
    assert chat.citizen.consent_at is None


def test_withdrawing_consent_forgets_the_draft(chat: Chat) -> None:
    chat.consent()
    chat.say(POTHOLE)
    replies = chat.say("rút đồng ý")
    assert "đã rút đồng ý" in replies[0].text
    assert chat.conversation.draft_petition_id is None
    assert not chat.citizen.has_consent
    replies = chat.say("ổ gà lớn lắm")
    assert replies[-1].titles == ["Đồng ý", "Không đồng ý"]


def test_complete_petition_gets_a_code_and_can_be_looked_up(chat: Chat) -> None:
    code = file_petition(chat)
    assert code.startswith(f"TK-{OFFICE_DAY:%y%m}-")
    petition = chat.session.scalar(select(Petition).where(Petition.code == code))
    assert petition is not None and petition.state == PetitionState.RECEIVED
    assert petition.citizen_id == chat.citizen.id
    replies = chat.say(f"TRA {code}")
    assert f"Hồ sơ {code}: Đã tiếp nhận" in replies[0].text
    assert f"Ngày tiếp nhận: {OFFICE_DAY:%d/%m/%Y}" in replies[0].text


def test_ward_asked_with_four_buttons_and_old_name_without_diacritics(chat: Chat) -> None:
    chat.consent()
    chat.say("Đèn đường khu dân cư bị hỏng cả tháng nay, tối đi lại rất nguy hiểm")
    replies = chat.wait()
    assert replies[-1].titles == ["P. Tam Kỳ", "P. Quảng Phú", "P. Bàn Thạch", "P. Hương Trà"]
    replies = chat.say("o tam thang")
    summary = replies[-1]
    assert "phường Bàn Thạch (Tam Thăng cũ)" in summary.text
    assert "«Điện, nước sạch, chiếu sáng, thoát nước, ngập úng»" in summary.text
    assert summary.titles == ["GỬI", "Sửa"]


def test_ward_not_understood_asks_again(chat: Chat) -> None:
    chat.consent()
    chat.say("Rác thải đổ bừa bãi ven đường, bốc mùi hôi suốt tuần nay")
    chat.wait()
    replies = chat.say("ở gần nhà tôi")
    assert "chưa xác định được phường" in replies[0].text
    assert len(replies[0].buttons) == 4


def test_three_quick_messages_and_a_photo_become_one_petition(chat: Chat) -> None:
    chat.consent()
    assert chat.say("Cho em phản ánh") == []
    assert chat.say("cống thoát nước ở kiệt 12 Hùng Vương, An Mỹ bị tắc") == []
    assert chat.say("mưa xuống là ngập nước bốc mùi") == []
    assert chat.photo() == []
    replies = chat.wait()
    assert len(replies) == 1
    assert "phường Tam Kỳ (An Mỹ cũ)" in replies[0].text
    assert "Kèm theo: 1 ảnh/tệp" in replies[0].text
    draft = chat.session.get(Petition, chat.conversation.draft_petition_id)
    assert draft is not None
    assert draft.text.count("\n") == 2
    assert chat.session.scalar(select(func.count()).where(Attachment.petition_id == draft.id)) == 1


def test_place_asked_once_for_field_problems(chat: Chat) -> None:
    chat.consent()
    chat.say("Ổ gà rất sâu làm nhiều người té xe, đề nghị sửa gấp")
    replies = chat.wait()
    replies = chat.tap(replies[-1], "P. Hương Trà")
    assert replies[-1].titles == ["Bỏ qua"]
    replies = chat.location()
    assert "Địa điểm: vị trí đã chia sẻ" in replies[-1].text
    draft = chat.session.get(Petition, chat.conversation.draft_petition_id)
    assert draft is not None and draft.latitude == pytest.approx(15.5736)


def test_phone_at_confirmation_and_edit_of_ward(chat: Chat) -> None:
    chat.consent()
    chat.say(POTHOLE + ", phường Quảng Phú")
    chat.wait()
    replies = chat.say("sdt 0905 123 456")
    assert "Số điện thoại liên hệ: 0905123456" in replies[-1].text
    replies = chat.tap(replies[-1], "Sửa")
    replies = chat.tap(replies[-1], "Sửa phường")
    replies = chat.tap(replies[-1], "P. Bàn Thạch")
    assert "phường Bàn Thạch" in replies[-1].text


def test_edit_text_replaces_the_content(chat: Chat) -> None:
    chat.consent()
    chat.say(POTHOLE + " ở An Xuân")
    replies = chat.wait()
    replies = chat.tap(replies[-1], "Sửa")
    replies = chat.tap(replies[-1], "Sửa nội dung")
    assert "nhắn lại toàn bộ nội dung" in replies[0].text
    chat.say("Cây xanh gãy đổ chắn ngang đường Trần Phú, phường An Xuân")
    replies = chat.wait()
    draft = chat.session.get(Petition, chat.conversation.draft_petition_id)
    assert draft is not None and draft.text.startswith("Cây xanh")
    assert "Cây xanh gãy" in replies[-1].text


def test_cancel_from_the_edit_menu(chat: Chat) -> None:
    chat.consent()
    chat.say(POTHOLE + " ở An Xuân")
    replies = chat.wait()
    replies = chat.tap(replies[-1], "Sửa")
    replies = chat.tap(replies[-1], "Hủy phản ánh")
    assert "Đã hủy" in replies[0].text
    assert chat.conversation.draft_petition_id is None


def test_urgent_report_gets_emergency_numbers_first_and_alerts_staff(chat: Chat) -> None:
    chat.consent()
    replies = chat.say("Cháy nhà ở khối phố 3 An Sơn, lửa đang bốc lên dữ dội!")
    assert "114" in replies[0].text and "113" in replies[0].text and "115" in replies[0].text
    note = chat.session.scalars(
        select(StaffNotification).where(StaffNotification.kind == "urgent")
    ).all()[-1]
    draft = chat.session.get(Petition, chat.conversation.draft_petition_id)
    assert draft is not None and draft.urgent and note.petition_id == draft.id
    replies = chat.wait()
    assert all("114" not in r.text for r in replies[1:])  # told once, not again
    receipt = next(r for r in replies if "Mã hồ sơ" in r.text)  # sent without GỬI
    assert "KHẨN" in receipt.text and "10 ngày" not in receipt.text
    assert not any("ngoài giờ" in r.text for r in replies)


def test_urgent_before_consent_still_gets_the_numbers_first(chat: Chat) -> None:
    replies = chat.say("Cháy lớn ở chợ Tam Kỳ, lửa đang lan sang nhà bên cạnh")
    assert "114" in replies[0].text
    assert "chưa đồng ý" in replies[1].text and "cán bộ trực" in replies[1].text
    assert "xin chào" in replies[2].text
    note = chat.session.scalars(
        select(StaffNotification).where(StaffNotification.kind == "urgent")
    ).all()[-1]
    assert "lửa đang lan sang nhà bên cạnh" in note.body and "cháy" in note.title
    assert "CHƯA đồng ý" in note.body
    assert (
        chat.session.scalar(
            select(func.count())
            .select_from(StaffNotification)
            .where(
                StaffNotification.kind == "urgent",
                StaffNotification.body.contains(f"#{chat.citizen.id}"),
            )
        )
        == 1
    )


def test_outside_office_hours_says_when_staff_will_look(new_chat: Callable[..., Chat]) -> None:
    saturday_night = dates.at(OFFICE_DAY + timedelta(days=4), 21)
    chat = new_chat(saturday_night)
    chat.consent()
    chat.say(POTHOLE + " ở An Xuân")
    replies = chat.wait()
    replies = chat.tap(replies[-1], "GỬI")
    assert "Mã hồ sơ" in replies[0].text
    assert "ngoài giờ làm việc" in replies[1].text
    monday = OFFICE_DAY + timedelta(days=6)
    assert f"7 giờ 30 thứ Hai, ngày {monday:%d/%m/%Y}" in replies[1].text


def test_state_survives_a_new_session(chat: Chat, session_factory) -> None:  # type: ignore[no-untyped-def]
    chat.consent()
    chat.say(POTHOLE)
    chat.wait()
    chat.session.commit()
    with session_factory() as other:
        chat.session = other
        replies = chat.say("an xuan")
        assert "phường Tam Kỳ (An Xuân cũ)" in replies[-1].text
