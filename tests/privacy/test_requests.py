"""A request made in the chat becomes an item on «Việc cần làm» with its legal due date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from handlers.privacy.limits import KINDS
from storage.models import DataRequest, StaffNotification
from tests.conversation.chat import Chat
from tests.conversation.conftest import OFFICE_DAY
from tests.conversation.test_intake import POTHOLE, file_petition


def _item(chat: Chat, kind: str) -> StaffNotification:
    [item] = chat.session.scalars(
        select(StaffNotification).where(StaffNotification.kind == kind)
    ).all()
    return item


@pytest.mark.parametrize(
    ("button", "kind", "due"),
    [
        # The office Tuesday + 10 days is a Friday, + 20 a Monday (a week with no day off).
        ("Nhận bản sao", "data_copy", OFFICE_DAY + timedelta(days=10)),
        ("Yêu cầu xóa", "data_deletion", OFFICE_DAY + timedelta(days=20)),
    ],
)
def test_a_chat_request_is_an_item_with_its_due_date(
    chat: Chat, button: str, kind: str, due: date
) -> None:
    file_petition(chat, POTHOLE + " ở An Xuân")
    menu = chat.say("Dữ liệu của tôi")[0]
    replies = chat.tap(menu, button)
    if "Xác nhận xóa" in replies[0].titles:
        replies = chat.tap(replies[0], "Xác nhận xóa")
    assert f"chậm nhất ngày {due:%d/%m/%Y}" in replies[0].text
    item = _item(chat, kind)
    assert f"hạn {due:%d/%m/%Y}" in item.title and item.done_at is None
    assert item.ward_id == chat.citizen.ward_id and item.link and item.link.startswith("/privacy/")
    [request] = chat.session.scalars(select(DataRequest)).all()
    assert request.due_on == due and request.citizen_id == chat.citizen.id
    # A second tap finds the open request: no second item.
    replies = chat.tap(menu, button)
    if "Xác nhận xóa" in replies[0].titles:
        chat.tap(replies[0], "Xác nhận xóa")
    assert len(chat.session.scalars(select(DataRequest)).all()) == 1


def test_a_correction_and_a_withdrawal_from_the_chat(chat: Chat) -> None:
    file_petition(chat, POTHOLE + " ở An Xuân")
    menu = chat.say("Dữ liệu của tôi")[0]
    assert chat.tap(menu, "Sửa thông tin")[0].text.startswith("Ông/Bà vui lòng nhắn")
    replies = chat.say("Tên đúng của tôi là Lê Văn Tám")
    assert "chỉnh sửa dữ liệu cá nhân" in replies[0].text
    correction = _item(chat, "data_correction")
    assert "Lê Văn Tám" not in correction.body  # the words stay on the request page
    request = chat.session.scalars(select(DataRequest)).one()
    assert request.detail == "Tên đúng của tôi là Lê Văn Tám"
    chat.tap(menu, "Rút đồng ý")
    withdrawn = _item(chat, "consent_withdrawn")
    # It took effect at once: an item for information, already done, with no deadline to meet.
    assert withdrawn.done_at == chat.now and "hiệu lực ngay" in withdrawn.title
    assert "hạn" not in withdrawn.title
    request = chat.session.scalars(select(DataRequest).where(DataRequest.kind == "withdraw")).one()
    assert request.state == "done" and request.handled_at == chat.now
    assert request.due_on == OFFICE_DAY + timedelta(days=15)  # a Wednesday; recorded all the same
    assert KINDS["withdraw"].days == 15
