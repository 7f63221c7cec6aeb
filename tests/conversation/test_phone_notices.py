"""Notices by phone (ZNS) only with the citizen's own agreement, asked under the summary."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import select

from handlers import outbox
from storage.models import OutboxMessage
from tests.conversation import staffwork
from tests.conversation.chat import Chat
from tests.conversation.test_intake import file_petition

VN = ZoneInfo("Asia/Ho_Chi_Minh")

POTHOLE = "Đường Phan Bội Châu có ổ gà lớn trước số nhà 25, xe máy hay té ngã"


def test_a_given_phone_is_offered_for_notices_and_used_only_after_the_tap(chat: Chat) -> None:
    chat.consent()
    chat.say(POTHOLE + ", phường Quảng Phú")
    chat.wait()
    replies = chat.say("sdt 0905 123 456")
    assert "Nhận tin qua SĐT" in replies[-1].titles
    assert "gửi qua Zalo đến số điện thoại này" in replies[-1].text
    assert chat.citizen.zns_number is None  # giving a number is not agreeing to notices
    replies = chat.tap(replies[-1], "Nhận tin qua SĐT")
    assert "0905123456" in replies[0].text
    assert chat.citizen.zns_number == "84905123456"
    assert "Nhận tin qua SĐT" not in replies[-1].titles  # the summary again, without the offer
    chat.say("rút đồng ý")
    assert chat.citizen.zns_number is None  # withdrawing consent stops notices by phone


def test_a_landline_is_not_offered(chat: Chat) -> None:
    chat.consent()
    chat.say(POTHOLE + ", phường Quảng Phú")
    chat.wait()
    replies = chat.say("sdt 0235 3812 345")
    assert "Số điện thoại liên hệ: 02353812345" in replies[-1].text
    assert "Nhận tin qua SĐT" not in replies[-1].titles


def test_the_look_up_says_the_result_reached_the_citizen_only_when_it_did(chat: Chat) -> None:
    code = file_petition(chat, POTHOLE + " ở An Xuân")
    petition = staffwork.petition(chat.session, code)
    staffwork.send_result(chat.session, petition, chat.now)
    chat.session.flush()
    replies = chat.say(f"TRA {code}")
    assert "Kết quả: Đã vá ổ gà." in replies[-1].text
    assert "Kết quả đã gửi Ông/Bà" not in replies[-1].text  # released, not delivered
    assert "chưa đến được Ông/Bà" in replies[-1].text
    result = chat.session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedup_key.like("%notify.result"))
    ).one()
    _sent(chat, result, "template")
    rating = chat.session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedup_key.like("%:rating"))
    ).one()
    _sent(chat, rating, "zns")
    replies = chat.say(f"TRA {code}")
    assert f"Kết quả đã gửi Ông/Bà ngày {chat.now.astimezone(VN):%d/%m/%Y}" in replies[-1].text
    assert "đã đến Ông/Bà qua tin Zalo đến số điện thoại" in replies[-1].text


def _sent(chat: Chat, row: OutboxMessage, via: str) -> None:
    """What the sender records when `via` reached the citizen (the sender has its own tests)."""
    row.state, row.sent_at = "sent", chat.now
    outbox.reach.delivered(chat.session, row.id, via=via, now=chat.now)
