"""Scripted residents of the third user walk (07/12/2026, res22): the conversation faults it found.

Residents who type without diacritics answer «Dùng làm nội dung phản ánh?» with "dung", give
a callback number in a message of their own, and report a second emergency after declining
to use the first. Signed webhook in, the stand-in's record out, on the session's database.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.runtime import runtime_of
from handlers.conversation import held
from handlers.conversation.understand import intent_of
from storage.models import PetitionMessage, StaffNotification
from storage.models.base import utcnow
from tests.conversation import staffwork
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


@pytest.fixture(scope="module")
def service(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    yield from service_fixture(database_url, tmp_path_factory)


# --- the held emergency, answered in the resident's own words ------------------------------

TREE = "cay do de len day dien o duong phan chau trinh gan cho tam ky, nguy hiem lam, co tia lua"


@pytest.mark.parametrize("answer", ["dung", "đúng rồi", "dùng luôn đi", "dùng nội dung đó"])
def test_dung_uses_the_held_emergency_as_the_petition(service: Service, answer: str) -> None:
    phone = service.phone()
    phone.say(TREE)  # before consent: guidance, the vital-interest notice, the consent question
    assert has(phone.expect(until=lambda bs: has(bs, "đồng ý không")), "114")
    phone.say("ok dong y")
    offer = phone.expect(2)[1]
    assert "cay do de len day dien" in offer.text
    phone.say(answer)  # "dùng" / "đúng" typed without diacritics: use it, do not drop it
    p = petition(service, code_of(until_code(phone)))
    assert p.text.startswith("cay do de len day dien") and answer not in p.text
    assert p.urgent
    alerts = notes_of(service, phone, "urgent")
    assert len(alerts) == 1 and alerts[0].petition_id == p.id


@pytest.mark.parametrize(
    ("answer", "takes"),
    [
        ("dùng nội dung đó", True),
        ("dung roi", True),
        ("e nhắn ở trên rồi mà", True),
        ("đừng làm", False),
        ("Đừng, cái đó", False),
        ("đừng", False),
        ("dừng nhé", False),
        ("không dùng nội dung đó", False),
        ("ko lay noi dung tren", False),
        ("bỏ cái tôi nhắn ở trên đi", False),
        ("ok đừng", False),
    ],
)
def test_what_takes_the_offer(answer: str, takes: bool) -> None:
    """Folded, "đừng" (don't) and "dừng" (stop) read "dung" (use): typed with their marks, or
    beside a "không", they refuse."""
    takes_it = (
        held.accepts(answer) or held.points_back(answer) or intent_of(answer) == "consent_yes"
    )
    assert (takes_it and not held.refuses(answer)) is takes  # as the dispatcher decides


def test_dung_with_its_marks_drops_the_held_messages(service: Service) -> None:
    phone = service.phone()
    phone.say(TREE)
    phone.expect(until=lambda bs: has(bs, "đồng ý không"))
    phone.say("ok dong y")
    phone.expect(2)
    phone.say("đừng")  # was taken as «dùng»: the held emergency became a petition
    dropped = phone.expect()
    assert len(dropped) == 1 and "Đã xóa nội dung nhắn trước đó" in dropped[0].text


def test_a_second_emergency_after_dropping_the_first_is_alerted_again(service: Service) -> None:
    phone = service.phone()
    phone.say(TREE)
    phone.expect(until=lambda bs: has(bs, "đồng ý không"))
    phone.say("ok dong y")
    offer = phone.expect(2)[1]
    phone.tap(offer, "Không dùng")
    phone.expect()
    phone.say("chay nha o khoi pho 3 an my roi, khoi den mu mit, co nguoi ket ben trong")
    first = phone.expect(until=lambda bs: has(bs, "114"))
    assert has(first, "đã báo ngay cán bộ trực")
    assert len(notes_of(service, phone, "urgent")) == 2  # the first alert stays for staff


# --- a callback number in a message of its own ----------------------------------------------

PIPE = "duong kiet 45 hung vuong bi be ong nuoc, nuoc chay lenh lang ca tuan nay r ma ko ai sua"


def test_a_number_typed_while_describing_is_the_callback_phone(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say(PIPE)
    phone.say("bn ơi sdt e 0935.111.222 goi e nha")  # read as spam before: the number was lost
    step = _until_send(phone, phone.expect()[0])
    assert "0935111222" in step.text and "nhắn số điện thoại" not in step.text
    p = petition(service, send_after_questions(phone, step))
    assert p.callback_phone == "0935111222"


def test_a_number_sent_after_the_receipt_goes_to_the_open_petition(service: Service) -> None:
    phone = service.phone()
    code = _filed(phone)
    phone.say("sdt cua toi 0905 123 456 nha")  # was answered with the status, number dropped
    reply = phone.expect(until=lambda bs: has(bs, code))
    assert has(reply, "Đã bổ sung") and not has(reply, "Hạn thông báo")
    assert petition(service, code).callback_phone == "0905123456"
    with service.db() as session:
        p = staffwork.petition(session, code)
        followups = session.scalars(
            select(StaffNotification).where(
                StaffNotification.petition_id == p.id,
                StaffNotification.kind == "citizen_followup",
            )
        ).all()
    assert len(followups) == 1


def _filed(phone: Phone) -> str:
    """A consenting resident files PIPE, answering the draft's questions; its code."""
    consent(phone)
    phone.say(PIPE)
    return send_after_questions(phone, _until_send(phone, phone.expect()[0]))


def _until_send(phone: Phone, step: Bubble) -> Bubble:
    """The draft's questions answered until its summary offers GỬI."""
    while "GỬI" not in step.titles:
        step = _answer(phone, step)
    return step


def _answer(phone: Phone, step: Bubble) -> Bubble:
    """The ward or place question of the draft, answered; the next bubble."""
    if "P. Tam Kỳ" in step.titles:
        phone.tap(step, "P. Tam Kỳ")
    elif "Đúng, Tam Kỳ" in step.titles:
        phone.tap(step, "Đúng, Tam Kỳ")
    elif "Bỏ qua" in step.titles:
        phone.tap(step, "Bỏ qua")
    else:
        raise AssertionError(step.text)
    return phone.expect()[0]


# --- a photo and a location sent before consent ------------------------------------------------


def test_a_location_held_before_consent_is_the_petitions_place(service: Service) -> None:
    phone = service.phone()
    phone.photo(caption="rac o day ca thang nay ko ai don")
    phone.expect(2)
    phone.location(15.5650, 108.4800)
    phone.say("dong y")
    offer = phone.expect(2)[1]
    phone.tap(offer, "Dùng nội dung này")
    step = phone.expect()[0]
    assert "Vị trí Ông/Bà gửi" in step.text  # not «Sự việc xảy ra ở phường nào»
    step = _until_send(phone, step)
    assert "vị trí đã chia sẻ" in step.text and "1 ảnh" in step.text
    p = petition(service, send_after_questions(phone, step))
    assert p.latitude == pytest.approx(15.5650) and p.longitude == pytest.approx(108.4800)


def test_a_location_alone_before_consent_is_offered_not_dropped(service: Service) -> None:
    phone = service.phone()
    phone.location(15.5650, 108.4800)
    phone.expect(2)
    phone.say("dong y")
    offer = phone.expect(2)[1]
    assert "vị trí" in offer.text and "Dùng nội dung này" in offer.titles


# --- why a closed petition should be reopened ----------------------------------------------------


def test_the_reason_after_mo_lai_goes_to_the_petition_not_a_new_one(service: Service) -> None:
    phone = service.phone()
    code = _filed(phone)
    phone.say(f"huy ho so {code}")
    phone.tap(phone.expect()[0], "Xác nhận rút")
    phone.expect()
    phone.say(f"mo lai {code}")
    assert "mở lại" in phone.expect()[0].text
    phone.say("van chua ai sua het, nuoc van chay")  # was a new draft: «phường nào ạ?»
    reply = phone.expect()[0]
    assert code in reply.text and "Đã bổ sung" in reply.text
    assert len(petitions_of(service, phone)) == 1
    with service.db() as session:
        p = staffwork.petition(session, code)
        kinds = set(
            session.scalars(
                select(StaffNotification.kind).where(StaffNotification.petition_id == p.id)
            )
        )
        thread = session.scalars(
            select(PetitionMessage.text).where(PetitionMessage.petition_id == p.id)
        ).all()
    assert {"reopen_request", "citizen_followup"} <= kinds
    assert "van chua ai sua het, nuoc van chay" in thread


# --- details of an emergency sent before consent -------------------------------------------------


def test_details_after_an_emergency_before_consent_reach_the_alert(service: Service) -> None:
    phone = service.phone()
    phone.say(TREE)
    phone.expect(until=lambda bs: has(bs, "đồng ý không"))
    phone.say("o truoc nha so 45, doi dien tiem thuoc tay Minh Chau")  # no consent yet
    ack = phone.expect()  # at once, not with the consent reminder a minute later
    assert len(ack) == 1 and "Đã chuyển thêm thông tin này cho cán bộ trực" in ack[0].text
    assert "114" in ack[0].text and "1900 1909" in ack[0].text  # a live wire: the power line
    alerts = notes_of(service, phone, "urgent")
    assert len(alerts) == 1 and "tiem thuoc tay Minh Chau" in alerts[0].body
    later = utcnow() + timedelta(minutes=service.settings.conversation_hold_minutes + 1)
    runtime = runtime_of(service.app)
    runtime.jobs["drafts-expire"](runtime.job_context(later))  # consent never came
    with service.db() as session:
        kept = session.scalars(
            select(PetitionMessage.text).where(
                PetitionMessage.citizen_id == citizen_of(service, phone).id,
                PetitionMessage.direction == "in",
            )
        ).all()
    assert any("tiem thuoc tay" in t for t in kept)  # kept for staff with the emergency


# --- buttons of earlier messages ------------------------------------------------------------


def test_a_button_of_an_earlier_message_is_answered_not_ignored(service: Service) -> None:
    phone = service.phone()
    phone.say("Xin chào")
    asked = phone.expect(2)
    phone.tap(asked[-1], "Đồng ý")
    phone.expect()
    phone.say(PIPE)
    summary = _until_send(phone, phone.expect()[0])
    phone.tap(summary, "GỬI")
    until_code(phone)
    for old, title in ((summary, "Sửa"), (asked[-1], "Đồng ý")):  # silence before
        phone.tap(old, title)
        reply = phone.expect()
        assert len(reply) == 1 and "không còn dùng được" in reply[0].text
