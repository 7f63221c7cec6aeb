"""After sending: lookups, follow-ups, results, withdrawal, data requests, and the rest."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import func, select

from handlers import knowledge
from handlers.conversation.jobs import drafts_expire
from handlers.jobs import JobContext
from handlers.knowledge import AnswerForm
from handlers.services import Services
from storage.models import (
    Attachment,
    KnowledgeAnswer,
    Petition,
    PetitionMessage,
    StaffNotification,
)
from storage.models.enums import CloseReason, PetitionState
from tests.conversation import staffwork
from tests.conversation.chat import Chat
from tests.conversation.conftest import OFFICE_DAY
from tests.conversation.test_intake import POTHOLE, file_petition

LIGHTS = "Đèn đường ở kiệt 45 Trần Cao Vân, phường An Xuân tắt cả tuần nay"


def test_lookup_in_words_without_diacritics_and_the_list(chat: Chat) -> None:
    code = file_petition(chat, POTHOLE + " ở An Xuân")
    staffwork.forward(chat.session, staffwork.petition(chat.session, code), chat.now)
    replies = chat.say(f"tinh trang {code.lower()}")
    assert f"Hồ sơ {code}: Đã chuyển đến UBND phường Tam Kỳ" in replies[-1].text
    assert "hạn giải quyết" in replies[-1].text
    replies = chat.say("tra cuu")
    assert code in replies[-1].text  # the one open petition
    replies = chat.say("DS")
    assert replies[-1].text.startswith("Các hồ sơ đang xử lý của Ông/Bà:")
    assert code in replies[-1].text


def test_someone_elses_code_reads_as_not_found(new_chat: Callable[..., Chat]) -> None:
    alice, bob = new_chat(), new_chat()
    code = file_petition(alice, POTHOLE + " ở An Xuân")
    bob.consent()
    replies = bob.say(f"TRA {code}")
    assert replies[0].text.startswith(f"Không tìm thấy hồ sơ {code}")
    assert "ổ gà" not in replies[0].text
    nowhere = bob.say(f"TRA {code[:-6]}999999")  # the same month: only the number differs
    assert nowhere[0].text.replace("999999", "X") == replies[0].text.replace(code[-6:], "X")


def test_follow_up_goes_to_the_petition_the_citizen_picks(chat: Chat) -> None:
    first = file_petition(chat, POTHOLE + " ở An Xuân")
    chat.say(LIGHTS)
    replies = chat.tap(chat.wait()[-1], "Phản ánh mới")
    replies = chat.tap(replies[-1], "GỬI")
    second = [r for r in replies if "Mã hồ sơ" in r.text][0].text.split("Mã hồ sơ: ")[1][:14]
    chat.say("Hôm nay ổ gà còn sâu hơn, thêm một người bị ngã")
    replies = chat.wait()
    assert replies[-1].titles == [second, first, "Phản ánh mới"]
    replies = chat.tap(replies[-1], first)
    assert f"Đã bổ sung nội dung vào hồ sơ {first}" in replies[0].text
    target = staffwork.petition(chat.session, first)
    texts = chat.session.scalars(
        select(PetitionMessage.text).where(PetitionMessage.petition_id == target.id)
    ).all()
    assert any("thêm một người bị ngã" in t for t in texts)
    assert chat.conversation.draft_petition_id is None
    assert (
        chat.session.scalar(
            select(func.count())
            .select_from(StaffNotification)
            .where(
                StaffNotification.petition_id == target.id,
                StaffNotification.kind == "citizen_followup",
            )
        )
        == 1
    )


def test_a_later_photo_joins_the_one_open_petition(chat: Chat) -> None:
    code = file_petition(chat, POTHOLE + " ở An Xuân")
    chat.photo()
    replies = chat.wait()
    assert f"hồ sơ {code}" in replies[0].text
    petition = staffwork.petition(chat.session, code)
    assert (
        chat.session.scalar(select(func.count()).where(Attachment.petition_id == petition.id)) == 1
    )


def test_a_code_in_the_text_picks_the_petition(chat: Chat) -> None:
    first = file_petition(chat, POTHOLE + " ở An Xuân")
    chat.say(LIGHTS)
    chat.tap(chat.tap(chat.wait()[-1], "Phản ánh mới")[-1], "GỬI")
    chat.say(f"Bổ sung cho hồ sơ {first}: ổ gà đã lan rộng ra giữa đường")
    replies = chat.wait()
    assert f"Đã bổ sung nội dung vào hồ sơ {first}" in replies[0].text


def test_information_asked_by_staff_resumes_the_petition(chat: Chat) -> None:
    code = file_petition(chat, POTHOLE + " ở An Xuân")
    petition = staffwork.petition(chat.session, code)
    staffwork.ask_info(chat.session, petition, chat.now)
    chat.replies()
    chat.say("Ổ gà nằm ngay trước số nhà 120")
    chat.photo()
    replies = chat.wait()
    assert f"bổ sung thông tin cho hồ sơ {code}" in replies[0].text
    assert petition.state == PetitionState.RECEIVED


def test_result_then_not_resolved_reopens_and_rating_is_kept(chat: Chat) -> None:
    code = file_petition(chat, POTHOLE + " ở An Xuân")
    petition = staffwork.petition(chat.session, code)
    staffwork.send_result(chat.session, petition, chat.now)
    result, rating = chat.replies()[-2:]
    assert result.titles == ["Đã giải quyết", "Chưa giải quyết"]
    assert len(rating.buttons) == 5
    replies = chat.tap(rating, "★★")
    assert petition.rating == 2
    assert "2/5" in replies[0].text
    replies = chat.tap(result, "Chưa giải quyết")
    assert petition.state == PetitionState.REOPENED
    assert "mở lại" in replies[0].text


def test_typed_resolved_closes_the_latest_result(chat: Chat) -> None:
    code = file_petition(chat, POTHOLE + " ở An Xuân")
    petition = staffwork.petition(chat.session, code)
    staffwork.send_result(chat.session, petition, chat.now)
    chat.replies()
    replies = chat.say("da giai quyet")
    assert petition.state == PetitionState.CLOSED
    assert petition.close_reason == CloseReason.RESOLVED
    assert "đã đóng" in replies[0].text
    replies = chat.say("5 sao")
    assert petition.rating == 5


def test_not_resolved_after_thirty_days_cannot_reopen(chat: Chat) -> None:
    code = file_petition(chat, POTHOLE + " ở An Xuân")
    petition = staffwork.petition(chat.session, code)
    staffwork.send_result(chat.session, petition, chat.now)
    chat.replies()
    chat.now += timedelta(days=31)
    replies = chat.say(f"chưa giải quyết {code}")
    assert "quá 30 ngày" in replies[-1].text
    assert petition.state == PetitionState.RESULT_SENT


def test_withdrawal_asks_to_confirm(chat: Chat) -> None:
    code = file_petition(chat, POTHOLE + " ở An Xuân")
    replies = chat.say("Rút")
    assert replies[0].titles == ["Xác nhận rút", "Không rút"]
    replies = chat.tap(replies[0], "Xác nhận rút")
    petition = staffwork.petition(chat.session, code)
    assert petition.state == PetitionState.CLOSED
    assert petition.close_reason == CloseReason.WITHDRAWN
    assert f"Hồ sơ {code} đã đóng" in replies[0].text


def test_withdrawal_with_several_asks_which(chat: Chat) -> None:
    file_petition(chat, POTHOLE + " ở An Xuân")
    chat.say(LIGHTS)
    chat.tap(chat.tap(chat.wait()[-1], "Phản ánh mới")[-1], "GỬI")
    replies = chat.say("rut ho so")
    assert len(replies[0].buttons) == 2
    replies = chat.tap(replies[0], replies[0].titles[1])
    assert replies[0].titles == ["Xác nhận rút", "Không rút"]
    replies = chat.tap(replies[0], "Không rút")
    assert "vẫn tiếp tục được xử lý" in replies[0].text


def test_data_request_copy_and_deletion(chat: Chat) -> None:
    code = file_petition(chat, POTHOLE + " ở An Xuân")
    menu = chat.say("Dữ liệu của tôi")[0]
    assert "1 hồ sơ" in menu.text
    copy = chat.tap(menu, "Nhận bản sao")[0]
    ten_days = OFFICE_DAY + timedelta(days=10)  # a Friday: no day off that week
    assert "bản sao" in copy.text and f"chậm nhất ngày {ten_days:%d/%m/%Y}" in copy.text
    assert code
    confirm = chat.tap(menu, "Yêu cầu xóa")[0]
    replies = chat.tap(confirm, "Xác nhận xóa")
    assert "Cán bộ sẽ xác nhận" in replies[0].text
    note = chat.session.scalars(
        select(StaffNotification).where(StaffNotification.kind == "data_deletion")
    ).all()[-1]
    assert f"#{chat.citizen.id}" in note.body


def test_abuse_gets_calm_answers_then_flags(chat: Chat) -> None:
    chat.consent()
    answers = [chat.say("đồ ngu") for _ in range(4)]
    assert "lời lẽ phù hợp" in answers[0][0].text
    assert "chuyển cho cán bộ" in answers[2][0].text
    assert answers[3] == []
    assert chat.citizen.abuse_count == 4 and chat.citizen.flagged_at is not None


def test_a_flood_gets_one_notice_and_no_storm(chat: Chat) -> None:
    chat.consent()
    replies = []
    for n in range(40):
        replies += chat.say(f"xin chào {n}")
    assert len(replies) <= chat.config.rate_limit_messages + 1
    assert sum("nhiều tin nhắn" in r.text for r in replies) == 1


def test_greeting_thanks_sticker_and_faq(chat: Chat) -> None:
    chat.consent()
    assert "Xin chào Ông/Bà" in chat.say("chào bạn")[0].text
    assert "cảm ơn Ông/Bà" in chat.say("cảm ơn nhiều")[0].text
    assert len(chat.sticker()) == 1
    assert chat.sticker() == []  # not every sticker gets an answer
    assert "10 ngày" in chat.say("Bao lâu thì có kết quả?")[0].text
    row = chat.session.scalar(
        select(KnowledgeAnswer).where(
            KnowledgeAnswer.topic == "front_office", KnowledgeAnswer.ward_id.is_(None)
        )
    )
    assert row is not None
    form = AnswerForm(row.topic, row.question, row.phrasings, "Điện thoại: 0235 3 000 000.")
    knowledge.update(chat.session, row, form, staff_id=None, now=chat.now)
    chat.session.flush()
    assert "0235 3 000 000" in chat.say("Cho xin số điện thoại mặt trận?")[0].text


def test_spam_gets_no_answer(chat: Chat) -> None:
    chat.consent()
    assert chat.say("Vay tiền nhanh lãi suất thấp, giải ngân trong ngày, bit.ly/abc") == []


def test_forgotten_draft_expires_politely(chat: Chat, session_factory) -> None:  # type: ignore[no-untyped-def]
    chat.consent()
    chat.say(POTHOLE)
    chat.wait()
    draft_id = chat.conversation.draft_petition_id
    later = chat.now + timedelta(hours=chat.config.draft_ttl_hours + 1)
    ctx = JobContext(session_factory, later, Services(conversation=chat.config))
    assert drafts_expire(ctx)["expired"] >= 1
    chat.session.expire_all()
    assert chat.session.get(Petition, draft_id) is None
    assert chat.conversation.step == "idle"
    assert "đã hết hạn" in chat.replies()[-1].text
