"""Scripted residents of the second user walk (07/12/2026): the conversation faults it found.

Urgent petitions that name no ward, replies to «Yêu cầu bổ sung», typed withdrawal answers,
declining consent, a photo while the ward is asked, the out-of-hours notice. Signed webhook in,
the stand-in's record out, on the session's database; the officer's side through the admin.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from bot.runtime import runtime_of
from storage.models import Attachment, Petition, PetitionEvent, PetitionMessage, StaffUser, Ward
from tests import dates
from tests.admin.conftest import login
from tests.conversation import staffwork
from tests.conversation.chat import Chat
from tests.conversation.chat import Reply as ChatReply
from tests.conversation.conftest import OFFICE_DAY
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
from tests.conversation.service import Bubble, Phone, Service
from tests.workflow import helpers as h


@pytest.fixture(scope="module")
def service(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    yield from service_fixture(database_url, tmp_path_factory)


def officer_client(service: Service, ward: str) -> tuple[FlaskClient, StaffUser]:
    """An officer of `ward`, signed in to the admin of the running service."""
    with service.db() as session:
        user = h.staff(session, "staff", wards=(ward,))
        session.expunge(user)
    client = service.app.test_client()
    assert login(client, user.username).status_code == 302
    return client, user


def opens(client: FlaskClient, item_id: int, petition_id: int) -> bool:
    """The alert's link (as its email carries it) leads to the petition, which opens."""
    link = client.get(f"/admin/tasks/{item_id}/open")
    if link.status_code != 302 or not link.location.endswith(f"/admin/petitions/{petition_id}"):
        return False
    return client.get(f"/admin/petitions/{petition_id}").status_code == 200


# --- P1.1: an urgent petition is always where the alerted officers can open it -------------

FIRE = "cháy nhà hàng xóm rồi, khói đen bốc lên, có người còn kẹt bên trong, cứu với"
LIGHT = "Đèn đường kiệt 12 Phan Bội Châu tắt cả tuần nay, tối đi lại rất sợ"
MORE = "lửa lan qua mái tôn nhà bên cạnh rồi, mọi người đang dùng xô múc nước dập"


def test_urgent_without_a_ward_goes_to_the_residents_last_ward_as_a_guess(
    service: Service,
) -> None:
    phone = service.phone()
    consent(phone)
    phone.say(LIGHT)
    send_after_questions(phone, phone.expect()[0], ward="P. Tam Kỳ")
    phone.say(FIRE)
    first = phone.expect(2)
    assert "114" in first[0].text and first[1].titles[:1] == ["P. Tam Kỳ"]
    phone.say(MORE)  # more about the fire, not the ward: it is filed at once
    code = code_of(until_code(phone))
    p = petition(service, code)
    with service.db() as session:
        tam_ky = session.scalar(select(Ward.id).where(Ward.code == "tam_ky"))
        events = session.scalars(
            select(PetitionEvent.note).where(
                PetitionEvent.petition_id == p.id, PetitionEvent.action == "ward_guess"
            )
        ).all()
    assert p.urgent and p.ward_id == tam_ky
    assert len(events) == 1 and "cần xác nhận" in events[0]
    note = notes_of(service, phone, "urgent")[0]
    assert note.petition_id == p.id and note.ward_id == p.ward_id
    assert "cần xác nhận" in note.body
    officer, _ = officer_client(service, "tam_ky")
    assert opens(officer, note.id, p.id)
    other, _ = officer_client(service, "huong_tra")
    assert other.get(f"/admin/petitions/{p.id}").status_code == 404


def test_urgent_with_no_ward_at_all_opens_for_every_wards_officers(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say(FIRE)
    first = phone.expect(2)
    assert first[1].titles[:1] == ["P. Tam Kỳ"]
    phone.say(MORE)
    p = petition(service, code_of(until_code(phone)))
    assert p.urgent and p.ward_id is None
    note = notes_of(service, phone, "urgent")[0]
    assert note.ward_id is None and note.petition_id == p.id
    for ward in ("tam_ky", "huong_tra"):
        officer, _ = officer_client(service, ward)
        assert opens(officer, note.id, p.id), ward


# --- P1.2: a reply to «Yêu cầu bổ sung» completes that petition, even an alarming one -------

DRAIN = "Đường Trần Quý Cáp đoạn gần trường học ngập nước mỗi khi mưa to, cống thoát nước bị tắc"


def waiting_petition(service: Service, phone: Phone, text: str) -> Petition:
    """A petition filed in Tam Kỳ that staff asked more information about."""
    phone.say(text)
    code = send_after_questions(phone, phone.expect()[0])
    with service.db() as session:
        p = staffwork.petition(session, code)
        staffwork.ask_info(session, p, runtime_of(service.app).clock())
    assert has(phone.expect(), "ảnh hiện trường")
    return petition(service, code)


def test_a_danger_told_in_reply_escalates_the_waiting_petition(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    waiting = waiting_petition(service, phone, DRAIN)
    phone.say("nước lên nhanh quá tràn vô nhà rồi, ông bà già với đứa nhỏ kẹt trên gác, cứu với")
    replies = phone.expect(until=lambda bs: has(bs, waiting.code or "?"))
    assert "114" in replies[0].text  # the guidance at once
    assert not has(replies, "Mã hồ sơ: ")  # no new petition
    p = petition(service, waiting.code or "")
    assert p.urgent and p.state != "need_info"
    assert [q.id for q in petitions_of(service, phone)] == [p.id]
    note = notes_of(service, phone, "urgent")[0]
    assert note.petition_id == p.id and note.ward_id == p.ward_id


def test_another_danger_in_reply_to_a_question_about_a_streetlight_is_new(
    service: Service,
) -> None:
    phone = service.phone()
    consent(phone)
    waiting = waiting_petition(service, phone, LIGHT)
    phone.say(FIRE + " ở kiệt 12 Phan Bội Châu")
    first = phone.expect(2)
    assert "114" in first[0].text
    phone.tap(first[1], "P. Tam Kỳ")  # a new emergency: its ward is asked
    code = code_of(until_code(phone))
    assert code != waiting.code and petition(service, code).urgent
    assert petition(service, waiting.code or "").state == "need_info"


def test_knee_deep_water_in_reply_is_information_not_an_emergency(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    waiting = waiting_petition(service, phone, DRAIN)
    phone.say("da em gui anh roi, mua xong la nuoc ngap toi dau goi, xe may chet may hoai")
    replies = phone.expect()
    assert not has(replies, "114") and waiting.code in replies[0].text
    p = petition(service, waiting.code or "")
    assert not p.urgent and p.state != "need_info"
    assert notes_of(service, phone, "urgent") == []


# --- P2.3: a typed answer to «Ông/Bà có chắc muốn rút…?» works like the buttons ------------


@pytest.mark.parametrize(
    ("answer", "withdrawn"),
    [
        ("có", True),
        ("Xác nhận rút", True),
        ("dong y rut", True),
        ("ok rút đi", True),
        ("thôi rút đi cho rồi", True),
        ("không", False),
        ("thôi", False),
        ("ko rut nua", False),
    ],
)
def test_typed_answer_to_the_withdrawal_question(
    service: Service, answer: str, withdrawn: bool
) -> None:
    phone = service.phone()
    consent(phone)
    phone.say(LIGHT)
    code = send_after_questions(phone, phone.expect()[0])
    phone.say("cho em rút đơn")
    confirm = phone.expect()[0]
    assert "có chắc muốn rút" in confirm.text
    phone.say(answer)
    reply = phone.expect()[0]
    p = petition(service, code)
    if withdrawn:
        assert f"Hồ sơ {code} đã đóng" in reply.text and p.state == "closed"
    else:
        assert "vẫn tiếp tục được xử lý" in reply.text and p.state != "closed"


# --- P2.4: after declining consent, content gets a short true reply and is not kept --------


def test_after_declining_content_gets_a_reply_and_is_not_kept(service: Service) -> None:
    phone = service.phone()
    phone.say("Xin chào")
    asked = phone.expect(2)
    phone.tap(asked[-1], "Không đồng ý")
    declined = phone.expect()[0]
    assert "đã được xóa" in declined.text and "không được lưu" in declined.text
    phone.say(LIGHT)
    assert "không được lưu" in phone.expect()[0].text  # at once, not after a minute
    phone.photo()
    assert "không được lưu" in phone.expect()[0].text
    with service.db() as session:
        kept = session.scalars(
            select(PetitionMessage.text).where(
                PetitionMessage.citizen_id == citizen_of(service, phone).id
            )
        ).all()
    assert "Phan Bội Châu" not in " ".join(kept)
    phone.say("đồng ý")
    thanks = phone.expect()
    assert not has(thanks, "Phan Bội Châu")  # nothing held to quote back
    assert has(thanks, "Cảm ơn Ông/Bà đã đồng ý")


# --- P3.11: the out-of-hours notice once per closed period, not after every message --------


def test_the_out_of_hours_notice_is_said_once(new_chat: Callable[..., Chat]) -> None:
    saturday_night = dates.at(OFFICE_DAY + timedelta(days=4), 21)
    chat = new_chat(saturday_night)
    chat.consent()
    chat.say(LIGHT + ", phường Tam Kỳ")
    replies = chat.wait()
    replies = chat.tap(replies[-1], "GỬI")
    assert sum("ngoài giờ làm việc" in r.text for r in replies) == 1
    code = code_of([Bubble(r.text, r.buttons) for r in replies])

    def add(words: str) -> list[ChatReply]:
        chat.say(words)
        which = chat.wait()
        assert which[-1].titles[:1] == [code], chat.log[-4:]
        return chat.tap(which[-1], code)

    later = [*add("đèn thứ hai trong kiệt cũng tắt luôn rồi"), *add("tối qua cả kiệt tối om")]
    assert sum(code in r.text for r in later) == 2
    assert not any("ngoài giờ làm việc" in r.text for r in later), chat.log[-6:]
    chat.now = saturday_night + timedelta(days=2)  # Monday night: another closed period
    later = add("tối nay đèn kiệt 12 vẫn tắt hết")
    assert sum("ngoài giờ làm việc" in r.text for r in later) == 1, chat.log[-4:]


# --- P3.7: a photo while the ward is asked is kept, and the question asked again clearly ---


def test_a_photo_while_the_ward_is_asked_is_acknowledged(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say(LIGHT)
    asked = phone.expect()[0]
    assert asked.titles[:1] == ["P. Tam Kỳ"]
    phone.photo()
    again = phone.expect()[0]
    assert "Đã nhận ảnh" in again.text and "phường nào" in again.text
    assert "chưa xác định được phường" not in again.text and again.titles[:1] == ["P. Tam Kỳ"]
    code = send_after_questions(phone, again)
    with service.db() as session:
        p = staffwork.petition(session, code)
        files = session.scalars(select(Attachment).where(Attachment.petition_id == p.id)).all()
    assert len(files) == 1
