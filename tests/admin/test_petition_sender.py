"""Who sent a petition, on its page: the «Người gửi» line (the parts that exist, joined, none
dangling), and a warning before asking a citizen who withdrew consent for more."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from handlers import workflow as wf
from storage.models import StaffUser
from storage.models.enums import Channel
from tests.workflow import helpers as h

T0 = h.ORDINARY_MONDAY


def _sender_line(html: str) -> str:
    found = re.search(r"<dt>Người gửi</dt><dd>(.*?)</dd>", html, re.S)
    assert found is not None
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


@pytest.mark.parametrize(
    ("zalo", "name", "phone", "expected"),
    [
        (False, None, "0905 000 111", "gọi lại: 0905 000 111"),  # the walk: «· gọi lại: …»
        (False, "Bà Lê Thị Năm", "0905 000 111", "Bà Lê Thị Năm · gọi lại: 0905 000 111"),
        (False, "<b>Năm</b>", None, "&lt;b&gt;Năm&lt;/b&gt;"),  # typed by staff: escaped
        (True, None, None, "Người dùng Zalo"),
        (True, None, "0935 000 222", "Người dùng Zalo · gọi lại: 0935 000 222"),
        (False, None, None, "Không để lại tên, số điện thoại"),  # an anonymous letter: not blank
    ],
)
def test_the_sender_line_has_no_dangling_separator(
    client: FlaskClient,
    db_session: Session,
    signed_in: Callable[..., StaffUser],
    zalo: bool,
    name: str | None,
    phone: str | None,
    expected: str,
) -> None:
    s = db_session
    p = h.draft(s, phone=phone, channel=Channel.ZALO if zalo else Channel.PHONE)
    if zalo:
        p.citizen.display_name = None
    else:
        p.citizen = None
    p.reporter_name = name
    wf.submit(s, p, now=T0)
    s.commit()
    signed_in("supervisor")
    html = client.get(f"/admin/petitions/{p.id}").get_data(as_text=True)
    assert _sender_line(html) == expected


def test_the_sender_line_shows_the_email_given_for_the_result(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    s = db_session
    p = h.draft(s, channel=Channel.EMAIL)
    p.citizen, p.reporter_name, p.contact_email = None, "Ông Hai", "hai@example.vn"
    wf.submit(s, p, now=T0)
    s.commit()
    signed_in("supervisor")
    html = client.get(f"/admin/petitions/{p.id}").get_data(as_text=True)
    assert _sender_line(html) == "Ông Hai · thư: hai@example.vn"


@pytest.mark.parametrize("withdrawn", [False, True])
def test_the_request_form_warns_when_the_citizen_withdrew_consent(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser], withdrawn: bool
) -> None:
    s = db_session
    p = h.draft(s)
    wf.submit(s, p, now=T0)
    if withdrawn:  # their answer over Zalo would be refused: the officer must know before asking
        p.citizen.consent_withdrawn_at = T0
    s.commit()
    signed_in("supervisor")
    html = client.get(f"/admin/petitions/{p.id}").get_data(as_text=True)
    assert "Yêu cầu bổ sung thông tin" in html
    assert ("Người dân đã rút đồng ý xử lý dữ liệu" in html) is withdrawn
