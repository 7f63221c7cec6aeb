"""Scripted residents exercising their data rights in everyday words: a copy, a correction,
withdrawing consent; what the copy holds; what is kept after «Không đồng ý» or a withdrawal
(signed webhook and stand-in)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from handlers.privacy import actions, requests
from handlers.privacy.limits import COPY, CORRECT, WITHDRAW
from storage.models import DataRequest, PetitionMessage, StaffNotification
from storage.models.base import utcnow
from tests.conversation.dialogue import citizen_of, consent, petitions_of, service_fixture
from tests.conversation.service import Phone, Service
from tests.workflow import helpers as h

CONSENT_BUTTONS = ["Đồng ý", "Không đồng ý"]


@pytest.fixture(scope="module")
def service(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    yield from service_fixture(database_url, tmp_path_factory)


def _asked_consent(phone: Phone) -> list:  # type: ignore[type-arg]
    return phone.expect(until=lambda bs: any(b.titles == CONSENT_BUTTONS for b in bs))


def _thread(service: Service, phone: Phone) -> list[str]:
    with service.db() as session:
        return list(
            session.scalars(
                select(PetitionMessage.text)
                .where(
                    PetitionMessage.citizen_id == citizen_of(service, phone).id,
                    PetitionMessage.direction == "in",
                )
                .order_by(PetitionMessage.id)
            )
        )


def _requests(service: Service, phone: Phone) -> list[DataRequest]:
    with service.db() as session:
        rows = list(
            session.scalars(
                select(DataRequest)
                .where(DataRequest.citizen_id == citizen_of(service, phone).id)
                .order_by(DataRequest.id)
            )
        )
        session.expunge_all()
        return rows


def _copy_sent(service: Service, phone: Phone) -> str:
    """Staff carry out the pending copy request; return the copy the resident receives."""
    with service.db() as session:
        found = requests.pending_request(session, citizen_of(service, phone).id, COPY)
        assert found is not None
        officer = h.staff(session, "supervisor")
        actions.provide_copy(session, found, by=officer, now=utcnow())
    return phone.expect(until=lambda bs: any("Bản sao dữ liệu" in b.text for b in bs))[-1].text


# --- P2.6: the copy ---------------------------------------------------------------------------


def test_the_copy_holds_neither_button_codes_nor_what_was_said_before_consent(
    service: Service,
) -> None:
    phone = service.phone()
    phone.say("alo ad ơi")
    phone.tap(_asked_consent(phone)[-1], "Không đồng ý")
    assert "không được lưu" in phone.expect()[0].text
    phone.say("Dữ liệu của tôi")  # before consent: answered, not kept
    phone.expect()
    phone.say("đồng ý")
    assert "Cảm ơn Ông/Bà đã đồng ý" in phone.expect()[0].text
    phone.say("nắp cống trước nhà số 7 đường Lê Lợi bị vỡ, xe máy dễ sa xuống")
    step = phone.expect()[0]
    if "P. Tam Kỳ" in step.titles:
        phone.tap(step, "P. Tam Kỳ")
        step = phone.expect()[0]
    if "Bỏ qua" in step.titles:
        phone.tap(step, "Bỏ qua")
        step = phone.expect()[0]
    phone.tap(step, "GỬI")
    phone.expect(until=lambda bs: any("Mã hồ sơ" in b.text for b in bs))
    phone.say("du lieu cua toi")
    menu = phone.expect()[0]
    phone.tap(menu, "Nhận bản sao")
    phone.expect()
    # What the system said it did not keep is not stored at all (not merely left out).
    thread = _thread(service, phone)
    assert "alo ad ơi" not in thread and "Dữ liệu của tôi" not in thread
    assert not any(t.startswith("#consent") for t in thread)
    copy = _copy_sent(service, phone)
    assert "nắp cống trước nhà số 7" in copy  # what the resident did say after consenting
    assert "#" not in copy, copy  # no "#consent:no", "#ward:tam_ky", "#send", "#data:copy"
    assert "alo ad ơi" not in copy and "Không đồng ý" not in copy


# --- P2.5: withdrawing consent -------------------------------------------------------------


def test_withdrawal_takes_effect_at_once_and_staff_only_see_it_done(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("toi khong dong y nua")
    assert "đã rút đồng ý lúc" in phone.expect()[0].text
    [withdrawal] = _requests(service, phone)
    assert withdrawal.kind == WITHDRAW and withdrawal.state == requests.DONE
    assert withdrawal.handled_at is not None and withdrawal.state not in requests.PENDING
    with service.db() as session:
        item = session.scalar(
            select(StaffNotification).where(
                StaffNotification.dedup_key == requests.item_key(withdrawal)
            )
        )
        assert item is not None and item.done_at is not None  # informational, nothing to do
        found = session.get(DataRequest, withdrawal.id)
        officer = h.staff(session, "supervisor")
        with pytest.raises(actions.PrivacyError):
            actions.refuse(
                session, found, "không xác minh được người yêu cầu", by=officer, now=utcnow()
            )
    assert _requests(service, phone)[0].state == requests.DONE


def test_messages_after_a_withdrawal_are_not_kept_nor_offered_back(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("rut lai dong y")
    phone.expect()
    phone.say("Đèn đường hẻm 42 Phan Bội Châu tắt cả tuần nay rồi")
    assert "chưa được lưu" in _asked_consent(phone)[-1].text
    assert not any("Đèn đường" in t for t in _thread(service, phone))
    phone.say("thôi đồng ý lại")
    replies = phone.expect()
    assert not any("Ông/Bà đã nhắn" in b.text for b in replies)
    assert "Cảm ơn Ông/Bà đã đồng ý" in replies[0].text


# --- P2.4: everyday ways of asking --------------------------------------------------------


def test_asking_to_see_ones_data_in_everyday_words_opens_the_data_menu(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("tôi muốn xem dữ liệu của tôi")
    menu = phone.expect()[0]
    assert "Dữ liệu chúng tôi lưu về Ông/Bà" in menu.text and "Nhận bản sao" in menu.titles


@pytest.mark.parametrize(
    "words", ["cho toi ban sao du lieu", "gửi cho tôi thông tin các người lưu về tôi"]
)
def test_asking_for_a_copy_in_everyday_words_records_the_request(
    service: Service, words: str
) -> None:
    phone = service.phone()
    consent(phone)
    phone.say(words)
    reply = phone.expect()[0]
    assert "Đã ghi nhận yêu cầu cung cấp bản sao dữ liệu cá nhân" in reply.text
    assert "phường nào" not in reply.text
    assert [r.kind for r in _requests(service, phone)] == [COPY]
    assert petitions_of(service, phone) == []  # never the text of a petition


def test_correcting_ones_data_asks_what_then_records_it(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("toi muon sua thong tin ca nhan")
    assert "thông tin cần sửa" in phone.expect()[0].text
    phone.say("tên đúng của tôi là Phạm Thị Thu")
    assert "chỉnh sửa dữ liệu cá nhân" in phone.expect()[0].text
    [request] = _requests(service, phone)
    assert request.kind == CORRECT and request.detail == "tên đúng của tôi là Phạm Thị Thu"
    assert petitions_of(service, phone) == []


def test_a_correction_that_says_what_is_recorded_at_once(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("sua so dien thoai cua toi thanh 0905 222 333")
    reply = phone.expect()[0]
    assert "chỉnh sửa dữ liệu cá nhân" in reply.text and "TRA" not in reply.text
    [request] = _requests(service, phone)
    assert request.kind == CORRECT and "0905 222 333" in request.detail


def test_a_data_request_puts_a_half_written_draft_aside_and_says_so(service: Service) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("cây xanh trước nhà văn hóa khối phố 6 bị đổ chắn lối đi")
    asked = phone.expect()[0]
    assert "phường nào" in asked.text
    phone.say("à mà cho em sửa thông tin cá nhân trước đã")
    replies = phone.expect(2)
    assert "soạn dở" in replies[0].text and "cây xanh trước nhà văn hóa" in replies[0].text
    assert "thông tin cần sửa" in replies[1].text
    phone.say("số điện thoại đúng của em là 0935 111 222")
    assert "chỉnh sửa dữ liệu cá nhân" in phone.expect()[0].text
    phone.say("cảm ơn")
    after = phone.expect()[0]
    assert "phường nào" not in after.text  # the old draft's question does not come back
    assert petitions_of(service, phone) == []
    assert [r.kind for r in _requests(service, phone)] == [CORRECT]


def test_petitions_and_lookups_mentioning_information_stay_what_they_are(
    service: Service,
) -> None:
    phone = service.phone()
    consent(phone)
    phone.say("Đề nghị phường công khai thông tin dự án mở rộng đường Hùng Vương cho bà con biết")
    step = phone.expect()[0]
    assert "Dữ liệu chúng tôi lưu" not in step.text and "yêu cầu" not in step.text
    assert "GỬI" in step.titles or "phường nào" in step.text or "Bỏ qua" in step.titles
    assert _requests(service, phone) == []
