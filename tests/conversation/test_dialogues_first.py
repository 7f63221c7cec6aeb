"""Scripted residents, first contact: emergencies, questions, messages before consent, places.

Every resident talks through the signed webhook and reads the bot's replies from the Zalo
stand-in, on the session's database (the suite runs on SQLite and on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.runtime import runtime_of
from handlers import accounts, knowledge, office_settings
from storage.models import KnowledgeAnswer, PetitionMessage, Ward, WardAlias
from storage.models.base import utcnow
from storage.models.enums import LegalType
from tests.conversation.dialogue import (
    citizen_of,
    code_of,
    consent,
    has,
    notes_of,
    petition,
    petitions_of,
    save_transcript,
    send_after_questions,
    service_fixture,
    until_code,
)
from tests.conversation.service import Service


@pytest.fixture(scope="module")
def service(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    yield from service_fixture(database_url, tmp_path_factory)


# --- emergencies ------------------------------------------------------------------------


def test_fire_with_someone_trapped_is_escalated_at_once(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("cháy nhà ở khối phố 5 An Mỹ, khói mù mịt, có người kẹt trong nhà")
    replies = until_code(phone)
    assert "114" in replies[0].text and "115" in replies[0].text
    receipt = next(b for b in replies if "Mã hồ sơ" in b.text)
    assert "KHẨN" in receipt.text and "cán bộ trực" in receipt.text
    assert not has(replies, "10 ngày") and not has(replies, "ngoài giờ")
    p = petition(service, code_of(replies))
    assert p.urgent and p.state == "received"
    note = notes_of(service, phone, "urgent")[0]
    assert note.petition_id == p.id and note.ward_id == p.ward_id
    assert "cháy" in note.title and "người bị mắc kẹt" in note.body and "khói mù mịt" in note.body
    save_transcript(phone, "emergency")


def test_fallen_wire_typed_without_diacritics_asks_only_the_ward(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("day dien dut roi xuong duong, 1 nguoi bi giat nam do, cuu voi")
    first = phone.expect(2)
    assert "1900 1909" in first[0].text  # the power company's hotline
    assert first[1].titles[:1] == ["P. Tam Kỳ"]
    phone.tap(first[1], "P. Quảng Phú")
    receipt = until_code(phone)
    p = petition(service, code_of(receipt))
    assert p.urgent and not has(receipt, "10 ngày")
    with service.db() as session:
        assert session.get(Ward, p.ward_id).code == "quang_phu"  # type: ignore[union-attr]
    assert notes_of(service, phone, "urgent")[0].ward_id == p.ward_id


def test_teencode_flood_with_old_people_who_cannot_leave(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("ad ơi nhà e ở Tam Thăng bị ngập tới cổ r, ba mẹ già ko lội ra đc, cứu vs")
    replies = until_code(phone)
    assert "chỗ cao" in replies[0].text  # flood advice
    assert petition(service, code_of(replies)).urgent


def test_violence_in_progress(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("nhiều người kéo đến nhà tôi ở kiệt 5 An Xuân đập phá, dọa giết")
    replies = until_code(phone)
    assert "113" in replies[0].text
    note = notes_of(service, phone, "urgent")[0]
    assert "bạo lực" in note.title


def test_the_emergency_numbers_are_the_ones_staff_set(service: Service) -> None:
    with service.db() as session:
        admin = accounts.create_user(
            session, username="hotlines-admin", password="mat-khau-dai-du-16", role="admin"
        )
        hotlines = "114: Cứu hỏa\n113: Công an phường\n0235 3851 234: Trực ban phường"
        office_settings.change(session, "emergency.hotlines", hotlines, by=admin, now=utcnow())
    try:
        phone = service.phone()
        consent(phone)
        phone.say("cháy lớn ở chợ, có người bị kẹt bên trong")
        first = phone.expect(2)[0].text
        assert "02353851234 (Trực ban phường)" in first and "113 (Công an phường)" in first
        assert "115" not in first
    finally:
        with service.db() as session:
            office_settings.change(session, "emergency.hotlines", None, by=admin, now=utcnow())


def test_emergency_before_consent_keeps_text_and_place_for_staff(service: Service) -> None:
    phone = service.phone()
    phone.say("cứu với, nhà bên cạnh ở An Phú đang cháy, có bà cụ còn trong nhà")
    first = phone.expect(until=lambda bs: any(b.titles == ["Đồng ý", "Không đồng ý"] for b in bs))
    assert "114" in first[0].text and "chưa đồng ý" in first[1].text
    note = notes_of(service, phone, "urgent")[0]
    assert "bà cụ còn trong nhà" in note.body and "phường Quảng Phú" in note.body
    assert "CHƯA đồng ý" in note.body
    phone.tap(first[-1], "Không đồng ý")
    declined = phone.expect(2)  # «đã được xóa», and the truth about the emergency kept
    assert "đã được xóa" in declined[0].text and "vẫn được giữ" in declined[1].text
    with service.db() as session:
        kept = session.scalars(
            select(PetitionMessage.text).where(
                PetitionMessage.citizen_id == citizen_of(service, phone).id,
                PetitionMessage.direction == "in",
            )
        ).all()
    assert any("bà cụ" in t for t in kept)  # the vital-interest exception


def test_emergency_before_consent_then_consent_files_it_urgent(service: Service) -> None:
    phone = service.phone()
    phone.say("dây điện đứt rơi xuống sân trường tiểu học ở Tân Thạnh, còn tóe lửa")
    asked = phone.expect(until=lambda bs: any(b.titles == ["Đồng ý", "Không đồng ý"] for b in bs))
    phone.tap(asked[-1], "Đồng ý")
    offer = phone.expect(2)
    assert "Ông/Bà đã nhắn: «dây điện đứt" in offer[1].text
    phone.tap(offer[1], "Dùng nội dung này")
    receipt = until_code(phone)
    p = petition(service, code_of(receipt))
    assert p.urgent
    assert len(notes_of(service, phone, "urgent")) == 1  # one alert, now naming the petition
    alert = notes_of(service, phone, "urgent")[0]
    assert alert.petition_id == p.id
    assert "CHƯA đồng ý" not in alert.body and "tóe lửa" in alert.body  # consent came since


def test_a_past_fire_is_not_an_emergency(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("tuần trước nhà tôi ở An Sơn bị cháy bếp, nay xin hỗ trợ sửa lại mái")
    summary = phone.expect()[0]
    assert "114" not in summary.text and summary.titles == ["GỬI", "Sửa"]


def test_a_lost_child(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("con tôi 5 tuổi đi lạc ở chợ Tam Kỳ từ 30 phút trước, mặc áo đỏ")
    replies = until_code(phone)
    assert petition(service, code_of(replies)).urgent
    assert "trẻ đi lạc" in notes_of(service, phone, "urgent")[0].title


# --- questions ----------------------------------------------------------------------------


def test_office_hours_question_is_answered_not_filed(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("cho hỏi ubnd phường tam kỳ làm việc mấy giờ, thứ 7 có làm ko")
    answer = phone.expect()[0]
    assert "7 giờ 30" in answer.text and "thứ Bảy" in answer.text
    phone.nothing(0.8)  # no ward question, no draft
    assert petitions_of(service, phone) == []
    save_transcript(phone, "question")


def test_front_office_of_a_named_ward(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("MTTQ phường Bàn Thạch ở đâu, sđt bao nhiêu")
    answer = phone.expect()[0]
    assert "phường Bàn Thạch" in answer.text and "đang cập nhật" in answer.text
    assert petitions_of(service, phone) == []


def test_procedure_question_points_to_the_portal(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("làm giấy xác nhận tình trạng hôn nhân cần giấy tờ gì")
    answer = phone.expect()[0]
    assert "dichvucong.gov.vn" in answer.text and "UBND phường" in answer.text
    assert petitions_of(service, phone) == []


def test_a_question_answered_before_consent_stores_nothing(service: Service) -> None:
    phone = service.phone()
    phone.say("mặt trận có xử phạt được hàng xóm không?")
    answer = phone.expect()[0]
    assert "không thay cơ quan nhà nước" in answer.text
    with service.db() as session:
        texts = session.scalars(
            select(PetitionMessage.text).where(
                PetitionMessage.citizen_id == citizen_of(service, phone).id,
                PetitionMessage.direction == "in",
            )
        ).all()
    assert all(t == "" for t in texts)


def test_unsure_question_asks_and_the_citizen_files_it(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("đường Hùng Vương đoạn qua An Mỹ bao giờ mới sửa xong vậy?")
    ask = phone.expect()[0]
    assert ask.text == "Ông/Bà muốn hỏi hay muốn gửi phản ánh?"
    phone.tap(ask, "Gửi phản ánh")
    summary = phone.expect()[0]
    phone.tap(summary, "GỬI")
    code = code_of(until_code(phone))
    assert "Hùng Vương" in petition(service, code).text


def test_unknown_question_goes_to_staff_only_when_asked(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("cho hỏi năm nay có tổ chức lễ hội đua thuyền trên sông không?")
    ask = phone.expect()[0]
    phone.tap(ask, "Tôi muốn hỏi")
    unknown = phone.expect()[0]
    assert "chưa có sẵn câu trả lời" in unknown.text and unknown.titles == ["Gửi câu hỏi"]
    assert petitions_of(service, phone) == []
    phone.tap(unknown, "Gửi câu hỏi")
    p = petition(service, send_after_questions(phone, phone.expect()[0]))
    assert p.legal_type == LegalType.HOI_DAP


def test_staff_edit_of_an_answer_reaches_citizens(service: Service) -> None:
    with service.db() as session:
        row = session.scalar(
            select(KnowledgeAnswer).where(
                KnowledgeAnswer.topic == "duration", KnowledgeAnswer.ward_id.is_(None)
            )
        )
        assert row is not None
        form = knowledge.AnswerForm(row.topic, row.question, row.phrasings, row.answer + " (X1)")
        knowledge.update(session, row, form, staff_id=None, now=utcnow())
    phone = service.phone()
    consent(phone)
    phone.say("bao lâu thì có kết quả ạ")
    assert "(X1)" in phone.expect()[0].text


# --- messages before consent ----------------------------------------------------------------


def test_three_flood_messages_then_consent_then_up_there_already(service: Service) -> None:
    phone = service.phone()
    phone.say("nước ngập cả con hẻm 12 Trần Cao Vân")
    phone.expect(2)
    phone.say("cống bị tắc từ tuần trước")
    phone.say("mưa xuống là nước tràn vào nhà dân")
    phone.say("đồng ý")
    offer = phone.expect(2)
    assert "nước ngập cả con hẻm" in offer[1].text and "tràn vào nhà dân" in offer[1].text
    phone.say("e nhắn ở trên rồi mà")
    p = petition(service, send_after_questions(phone, phone.expect()[0]))
    assert "cống bị tắc" in p.text and "e nhắn ở trên" not in p.text
    assert p.text.count("\n") == 2


def test_held_messages_not_used_are_deleted(service: Service) -> None:
    phone = service.phone()
    phone.say("rác đổ trộm ở bãi đất trống sau chợ An Sơn")
    asked = phone.expect(2)
    phone.tap(asked[-1], "Đồng ý")
    offer = phone.expect(2)
    phone.tap(offer[1], "Không dùng")
    assert "Đã xóa" in phone.expect()[0].text
    with service.db() as session:
        texts = session.scalars(
            select(PetitionMessage.text).where(
                PetitionMessage.citizen_id == citizen_of(service, phone).id,
                PetitionMessage.direction == "in",
            )
        ).all()
    assert not any("rác đổ trộm" in t for t in texts)


def test_held_messages_expire_when_consent_never_comes(service: Service) -> None:
    phone = service.phone()
    phone.say("ổ gà lớn trước cổng trường tiểu học An Xuân")
    phone.expect(2)
    later = utcnow() + timedelta(minutes=service.settings.conversation_hold_minutes + 1)
    runtime = runtime_of(service.app)
    assert runtime.jobs["drafts-expire"](runtime.job_context(later))["expired"] >= 1
    with service.db() as session:
        texts = session.scalars(
            select(PetitionMessage.text).where(
                PetitionMessage.citizen_id == citizen_of(service, phone).id,
                PetitionMessage.direction == "in",
            )
        ).all()
    assert texts and all(t == "" for t in texts)


# --- places -----------------------------------------------------------------------------------


def test_a_place_outside_the_area_gets_where_to_turn(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("đường trước chợ Hội An ngập nặng mấy ngày nay, đề nghị xử lý")
    answer = phone.expect()[0]
    assert "Hội An" in answer.text and "ngoài khu vực" in answer.text
    assert "dichvucong.gov.vn" in answer.text and "Hủy phản ánh" in answer.titles
    save_transcript(phone, "outside")
    phone.tap(answer, "Hủy phản ánh")
    phone.expect()
    assert [p.state for p in petitions_of(service, phone)] == []


def test_not_tam_ky_but_hoi_an(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("cây xanh gãy đổ chắn ngang đường, xe không qua được")
    ward = phone.expect()[0]
    phone.say("ở Hội An mà, không phải Tam Kỳ")
    answer = phone.expect()[0]
    assert "Hội An" in answer.text and "ngoài khu vực" in answer.text
    assert all(p.ward_id is None for p in petitions_of(service, phone))
    assert ward.titles[:1] == ["P. Tam Kỳ"]


def test_another_province(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("tôi ở Hà Nội, khu tập thể nhà tôi mất nước cả tuần")
    assert "Hà Nội" in phone.expect()[0].text


def test_shared_location_inside_the_area_proposes_the_ward(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("rác thải ùn ứ ven đường bốc mùi hôi cả tuần nay")
    phone.expect()
    phone.location(15.6190, 108.4795)  # near the former Tam Thăng
    proposal = phone.expect()[0]
    assert "phường Bàn Thạch" in proposal.text and proposal.titles[0] == "Đúng, Bàn Thạch"
    phone.tap(proposal, "Đúng, Bàn Thạch")
    summary = phone.expect()[0]
    assert "phường Bàn Thạch" in summary.text
    phone.tap(summary, "GỬI")
    p = petition(service, code_of(until_code(phone)))
    assert p.latitude is not None


def test_shared_location_far_away_is_outside(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("đèn đường hỏng cả dãy, tối om")
    phone.expect()
    phone.location(16.0544, 108.2022)  # the centre of Đà Nẵng, far from Tam Kỳ
    assert "ngoài khu vực" in phone.expect()[0].text


def test_a_neighbourhood_name_staff_added(service: Service) -> None:
    with service.db() as session:
        ward = session.scalar(select(Ward).where(Ward.code == "huong_tra"))
        assert ward is not None
        session.add(
            WardAlias(ward_id=ward.id, name="xóm Bàu Sen", folded="xom bau sen", kind="thon")
        )
    phone = service.phone()
    consent(phone)
    phone.say("đường bê tông ở xóm Bàu Sen bị sụt lún, xe đi rất khó")
    summary = phone.expect()[0]
    assert "phường Hương Trà" in summary.text
