"""Two problems in one message: cancelling the first draft forgets the second too."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import Petition
from tests.conversation.chat import Chat

TWO = (
    "Đường Hùng Vương trước chợ An Xuân có ổ gà rất lớn, xe máy té hoài. "
    "Ngoài ra trường mầm non ở khối phố 4 An Xuân thu học phí quá cao, phụ huynh bức xúc"
)


def _drafts(chat: Chat) -> int:
    return int(
        chat.session.scalar(
            select(func.count())
            .select_from(Petition)
            .where(Petition.citizen_id == chat.citizen.id, Petition.state == "draft")
        )
        or 0
    )


def test_cancelling_a_split_draft_forgets_both(chat: Chat) -> None:
    chat.consent()
    chat.say(TWO)
    offer = chat.wait()[-1]
    first = chat.tap(offer, "Gửi 2 phản ánh")[-1]
    assert _drafts(chat) == 2 and first.titles == ["GỬI", "Sửa"]
    menu = chat.tap(first, "Sửa")[-1]
    assert "Đã hủy" in chat.tap(menu, "Hủy phản ánh")[-1].text
    assert _drafts(chat) == 0
    assert chat.conversation.step == "idle"
