"""Scripted residents of the third user walk (07/12/2026, res22): the conversation faults it found.

Residents who type without diacritics answer «Dùng làm nội dung phản ánh?» with "dung", give
a callback number in a message of their own, and report a second emergency after declining
to use the first. Signed webhook in, the stand-in's record out, on the session's database.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conversation.dialogue import (
    code_of,
    has,
    notes_of,
    petition,
    service_fixture,
    until_code,
)
from tests.conversation.service import Service


@pytest.fixture(scope="module")
def service(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    yield from service_fixture(database_url, tmp_path_factory)


# --- the held emergency, answered in the resident's own words ------------------------------

TREE = "cay do de len day dien o duong phan chau trinh gan cho tam ky, nguy hiem lam, co tia lua"


@pytest.mark.parametrize("answer", ["dung", "đúng rồi", "dùng luôn đi"])
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
