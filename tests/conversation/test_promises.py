"""Every promise to the citizen that a person will look raises an item for that person."""

from __future__ import annotations

import re

from sqlalchemy import select

from handlers.messages import CATALOGUE
from handlers.tasks.kinds import KINDS, PROMISED_BY
from storage.models import Petition, StaffNotification
from storage.models.enums import PetitionState
from tests.conversation import staffwork
from tests.conversation.chat import Chat
from tests.conversation.test_intake import POTHOLE, file_petition

#: Words by which a text tells the citizen that staff will see, confirm or handle something.
PROMISE = re.compile(r"cán bộ|xem xét|xác nhận", re.I)


def _items(chat: Chat, kind: str) -> list[StaffNotification]:
    return list(
        chat.session.scalars(
            select(StaffNotification)
            .where(StaffNotification.kind == kind)
            .order_by(StaffNotification.id)
        )
    )


def test_every_promise_in_the_catalogue_names_the_item_that_keeps_it() -> None:
    promises = {k for k, text in CATALOGUE.items() if k.startswith("bot.") and PROMISE.search(text)}
    assert promises, "the pattern finds the catalogue's promises"
    assert promises <= set(PROMISED_BY), sorted(promises - set(PROMISED_BY))
    assert {kind for kind in PROMISED_BY.values() if kind} <= set(KINDS)


def test_withdrawn_consent_reaches_staff(chat: Chat) -> None:
    file_petition(chat, POTHOLE + " ở An Xuân")
    replies = chat.say("rút đồng ý")
    assert "đã rút đồng ý" in replies[0].text
    [item] = _items(chat, "consent_withdrawn")
    assert f"#{chat.citizen.id} " in item.body and "1 hồ sơ" in item.body
    assert item.ward_id == chat.citizen.ward_id and item.role == "staff"


def test_information_the_staff_asked_for_reaches_them(chat: Chat) -> None:
    code = file_petition(chat, POTHOLE + " ở An Xuân")
    petition = staffwork.petition(chat.session, code)
    staffwork.ask_info(chat.session, petition, chat.now)
    chat.replies()
    chat.say("Ổ gà nằm ngay trước số nhà 120")
    replies = chat.wait()
    assert f"bổ sung thông tin cho hồ sơ {code}" in replies[0].text
    [item] = _items(chat, "citizen_info")
    assert item.petition_id == petition.id and code in item.title
    assert petition.state == PetitionState.RECEIVED


def test_a_reopen_request_reaches_staff(chat: Chat) -> None:
    code = file_petition(chat, POTHOLE + " ở An Xuân")
    petition = staffwork.petition(chat.session, code)
    staffwork.send_result(chat.session, petition, chat.now)
    chat.replies()
    chat.say("da giai quyet")
    assert petition.state == PetitionState.CLOSED
    replies = chat.say(f"MO LAI {code}")
    assert "chuyển đến cán bộ xem xét" in replies[-1].text
    [item] = _items(chat, "reopen_request")
    assert item.petition_id == petition.id and item.done_at is None


def test_a_callback_number_and_an_unknown_field_reach_staff(chat: Chat) -> None:
    phone = "0905 123 456"
    chat.consent()
    chat.say(POTHOLE + " ở An Xuân, gọi lại cho tôi số " + phone)
    replies = chat.wait()
    if replies[-1].buttons and "Bỏ qua" in replies[-1].titles:
        replies = chat.tap(replies[-1], "Bỏ qua")
    petition = chat.session.get(Petition, chat.conversation.draft_petition_id)
    assert petition is not None and petition.callback_phone
    petition.category_id = None  # the classifier could not tell the field
    replies = chat.tap(replies[-1], "GỬI")
    assert any("Mã hồ sơ" in r.text for r in replies)
    [callback] = _items(chat, "callback")
    [classify] = _items(chat, "classify")
    assert callback.petition_id == classify.petition_id == petition.id
    assert phone.replace(" ", "") not in (callback.title + callback.body).replace(" ", "")
