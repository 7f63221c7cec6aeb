"""Scripted residents, everyday wording: withdraw, correct, consent, data, "trả lời đi",
two problems, insults, personal numbers, not Vietnamese (signed webhook and stand-in)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from storage.models import Category, Citizen, PetitionMessage, Ward
from storage.models.enums import CloseReason, PetitionState
from tests.conversation.dialogue import (
    citizen_of,
    code_of,
    consent,
    has,
    notes_of,
    petition,
    petitions_of,
    send_after_questions,
    service_fixture,
    until_code,
)
from tests.conversation.service import Phone, Service

CCCD = "049203001234"


@pytest.fixture(scope="module")
def service(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    yield from service_fixture(database_url, tmp_path_factory)


def file_one(phone: Phone, text: str) -> str:
    phone.say(text)
    return send_after_questions(phone, phone.expect()[0])


WATER = "Khu phố 2 An Phú mất nước sinh hoạt 3 ngày nay, đề nghị công ty cấp nước kiểm tra"


def test_withdraw_in_free_words(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    code = file_one(phone, WATER)
    phone.say("thôi có nước lại rồi, cho em rút đơn nha")
    confirm = phone.expect()[0]
    assert code in confirm.text and "Xác nhận rút" in confirm.titles
    phone.tap(confirm, "Xác nhận rút")
    assert f"Hồ sơ {code} đã đóng" in phone.expect()[0].text
    p = petition(service, code)
    assert p.state == PetitionState.CLOSED and p.close_reason == CloseReason.WITHDRAWN


def test_correcting_the_ward_in_a_draft(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("đường bê tông ở thôn 3 xã Tam Thanh bị sụt lún một đoạn dài")
    summary = phone.expect()[0]
    assert "phường Quảng Phú" in summary.text
    phone.say("à e nhầm, xã Tam Thăng chứ ko phải Tam Thanh")
    again = phone.expect()[0]
    assert "phường Bàn Thạch (Tam Thăng cũ)" in again.text
    phone.tap(again, "GỬI")
    p = petition(service, code_of(until_code(phone)))
    with service.db() as session:
        assert session.get(Ward, p.ward_id).code == "ban_thach"  # type: ignore[union-attr]


def test_correcting_a_petition_already_sent_reaches_staff(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    code = file_one(phone, WATER)
    phone.say("à em nhầm, khu phố 3 chứ không phải khu phố 2")
    assert f"đính chính cho hồ sơ {code}" in phone.expect()[0].text
    with service.db() as session:
        p = petition(service, code)
        thread = session.scalars(
            select(PetitionMessage.text).where(PetitionMessage.petition_id == p.id)
        ).all()
    assert any("khu phố 3" in t for t in thread)
    assert notes_of(service, phone, "citizen_correction") == []  # the body names no citizen id
    with service.db() as session:
        from storage.models import StaffNotification

        note = session.scalar(
            select(StaffNotification).where(
                StaffNotification.kind == "citizen_correction",
                StaffNotification.petition_id == p.id,
            )
        )
        assert note is not None and "khu phố 3" in note.body


def test_withdrawing_consent_is_not_read_as_consent(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("thôi tôi rút lại đồng ý")
    assert "đã rút đồng ý" in phone.expect()[0].text
    citizen = citizen_of(service, phone)
    assert citizen.consent_withdrawn_at is not None and not citizen.has_consent


def test_asking_to_delete_personal_data(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    file_one(phone, WATER)
    phone.say("tôi muốn xoá hết thông tin cá nhân của tôi")
    confirm = phone.expect()[0]
    assert "Xác nhận xóa" in confirm.titles
    phone.tap(confirm, "Xác nhận xóa")
    assert "Cán bộ sẽ xác nhận" in phone.expect()[0].text
    assert len(notes_of(service, phone, "data_deletion")) == 1


def test_answer_me_gives_the_latest_petitions_status(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    code = file_one(phone, WATER)
    phone.say("trả lời đi")
    assert f"Hồ sơ {code}: Đã tiếp nhận" in phone.expect()[0].text
    phone.say("sao chưa thấy trả lời")
    assert f"Hồ sơ {code}" in phone.expect()[0].text


def test_answer_me_without_any_petition(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("sao chưa thấy trả lời")
    assert "chưa có hồ sơ nào" in phone.expect()[0].text


TWO = (
    "Đường Hùng Vương trước chợ An Xuân có ổ gà rất lớn, xe máy té hoài. "
    "Ngoài ra trường mầm non ở khối phố 4 An Xuân thu học phí quá cao, phụ huynh bức xúc"
)


def test_two_problems_in_one_message_filed_as_two(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say(TWO)
    offer = phone.expect()[0]
    assert "2 việc khác nhau" in offer.text and offer.titles == ["Gửi 2 phản ánh", "Gửi chung 1"]
    phone.tap(offer, "Gửi 2 phản ánh")
    first = phone.expect()[0]
    assert "ổ gà" in first.text and "học phí" not in first.text
    phone.tap(first, "GỬI")
    replies = phone.expect(
        until=lambda bs: has(bs, "phản ánh thứ hai") and bs[-1].titles == ["GỬI", "Sửa"]
    )
    assert "học phí" in replies[-1].text and "phường Tam Kỳ" in replies[-1].text
    phone.tap(replies[-1], "GỬI")
    until_code(phone)
    filed = [p for p in petitions_of(service, phone) if p.state == PetitionState.RECEIVED]
    assert len(filed) == 2
    with service.db() as session:
        codes = {session.get(Category, p.category_id).code for p in filed}  # type: ignore[union-attr]
    assert len(codes) == 2


def test_two_problems_kept_together_on_request(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say(TWO)
    offer = phone.expect()[0]
    phone.tap(offer, "Gửi chung 1")
    summary = phone.expect()[0]
    assert "ổ gà" in summary.text and "học phí" in summary.text
    phone.tap(summary, "GỬI")
    until_code(phone)
    assert len(petitions_of(service, phone)) == 1


def test_insults_while_asked_for_the_ward_never_become_the_petition(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("Cống thoát nước bị tắc, nước thải tràn ra đường bốc mùi")
    phone.expect()  # which ward?
    phone.say("đm mấy thằng ăn hại")
    assert "lời lẽ phù hợp" in phone.expect()[0].text
    phone.say("cống ở kiệt 7 đường Phan Bội Châu, phường An Mỹ, tắc cả tháng nay không ai thông")
    summary = phone.expect()[0]
    phone.tap(summary, "GỬI")
    p = petition(service, code_of(until_code(phone)))
    assert "ăn hại" not in p.text and "kiệt 7" in p.text
    assert citizen_of(service, phone).abuse_count >= 1


def test_repeated_insults_are_counted_and_flagged(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    for words in ("đồ ăn hại", "đm", "lũ vô dụng"):
        phone.say(words)
    replies = phone.expect(3)
    assert "chuyển cho cán bộ" in replies[-1].text
    citizen = citizen_of(service, phone)
    assert citizen.flagged_at is not None and citizen.abuse_count == 3
    with service.db() as session:
        from storage.models import StaffNotification

        flagged = session.scalars(
            select(StaffNotification).where(StaffNotification.kind == "abuse")
        ).all()
    assert any(f"#{citizen.id} " in n.body for n in flagged)


def test_an_id_number_is_masked_in_every_echo(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say(f"Tôi nộp hồ sơ ở phường An Mỹ 2 tháng chưa có kết quả, CCCD {CCCD}, xin xem lại")
    summary = phone.expect()[0]
    assert CCCD not in summary.text and "04********34" in summary.text
    phone.tap(summary, "GỬI")
    code = code_of(until_code(phone))
    phone.say(f"TRA {code}")
    lookup = phone.expect()[0]
    assert CCCD not in lookup.text
    assert CCCD in petition(service, code).text  # kept in full for staff (shown on demand)


def test_a_bank_number_is_masked_too(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("Tôi bị lừa chuyển 5 triệu vào stk 0071000123456 tại An Xuân, đề nghị công an xử lý")
    summary = phone.expect()[0]
    if "Bỏ qua" in summary.titles:
        phone.tap(summary, "Bỏ qua")
        summary = phone.expect()[0]
    assert "0071000123456" not in summary.text and "00*********56" in summary.text


def test_english_gets_a_short_english_reply(service: Service) -> None:
    phone = service.phone()
    phone.say("Hello, I want to report a broken street light near my hotel")
    reply = phone.expect()[0]
    assert (
        reply.text.startswith("Hello!") and "113" in reply.text and "Monday to Friday" in reply.text
    )
    assert petitions_of(service, phone) == []


def test_other_scripts_get_the_english_reply(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("你好，我想反映一个问题")
    assert phone.expect()[0].text.startswith("Hello!")


def test_an_ordinary_petition_with_an_old_ward_name_still_works(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("Rác thải đổ bừa bãi ven đường, bốc mùi hôi suốt tuần nay")
    phone.say("o thon Ngoc Nam, xa tam ngoc cu")
    summary = phone.expect(until=lambda bs: bool(bs) and bs[-1].titles == ["GỬI", "Sửa"])[-1]
    assert "phường Hương Trà" in summary.text
    phone.tap(summary, "GỬI")
    assert "10 ngày" in until_code(phone)[0].text  # the routine receipt for routine petitions


def test_greeting_then_a_question_after_consent(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("chào ad")
    assert "Xin chào" in phone.expect()[0].text
    phone.say("số điện thoại cứu hỏa là số mấy ạ")
    assert "114" in phone.expect()[0].text
    assert petitions_of(service, phone) == []
    with service.db() as session:
        assert session.scalar(select(Citizen).where(Citizen.zalo_user_id == phone.user_id))


PHONE_HINT = "có thể nhắn số điện thoại"


def test_the_summary_asks_for_a_phone_only_until_one_is_given(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say(WATER)
    summary = phone.expect()[0]
    if "Bỏ qua" in summary.titles:
        phone.tap(summary, "Bỏ qua")
        summary = phone.expect()[0]
    assert "GỬI" in summary.titles and PHONE_HINT in summary.text
    phone.say("sdt cua toi 0905 123 456")
    again = phone.expect()[0]
    assert "Số điện thoại liên hệ: 0905123456" in again.text
    assert PHONE_HINT not in again.text and "GỬI" in again.titles
