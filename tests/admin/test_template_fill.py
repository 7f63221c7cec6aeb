"""A template with a format spec renders no gigabyte: refused on save, never obeyed on render."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from handlers import messages
from handlers.fill import UnsafeTemplate, fill
from handlers.reminders import texts
from storage.models import ResponseTemplate, StaffUser
from tests.admin.conftest import post

HUGE = "Đã nhận hồ sơ {code:>999999999}."


@pytest.mark.parametrize("action", ["preview", "save"])
def test_a_huge_format_spec_is_refused_at_once(
    client: FlaskClient, signed_in: Callable[..., StaffUser], action: str
) -> None:
    signed_in("supervisor")
    started = time.monotonic()
    response = post(
        client, "/admin/templates/edit", {"key": "notify.received", "body": HUGE, "action": action}
    )
    assert time.monotonic() - started < 5
    assert len(response.get_data()) < 200_000
    if action == "save":
        assert response.status_code == 400
        assert "không được kèm định dạng" in response.get_data(as_text=True)


def test_a_stored_override_with_a_spec_falls_back_to_the_default(db_session: Session) -> None:
    db_session.add(ResponseTemplate(key="notify.received", body=HUGE, active=True))
    db_session.add(
        ResponseTemplate(
            key="reminder.triage", title="{agency!r:>999999999}", body="x", active=True
        )
    )
    db_session.flush()
    text = messages.render(db_session, "notify.received", **_params("notify.received"))
    assert "TK-1" in text and len(text) < 5000
    mail = texts.render(db_session, "reminder.triage", **_email_params("reminder.triage"))
    assert len(mail.subject) < 500


@pytest.mark.parametrize(
    "template", ["{code:>9}", "{code!r}", "{code.__class__}", "{code[0]}", "{0}", "{", "a}b"]
)
def test_only_plain_placeholders_fill(template: str) -> None:
    with pytest.raises(UnsafeTemplate):
        fill(template, {"code": "TK-1"})


def test_plain_placeholders_and_doubled_braces_fill() -> None:
    assert fill("{{mã}} {code}: {code}", {"code": "TK-1"}) == "{mã} TK-1: TK-1"
    with pytest.raises(KeyError):
        fill("{missing}", {})


def _params(key: str) -> dict[str, object]:
    return {name: "TK-1" for name in messages.placeholders(messages.CATALOGUE[key])}


def _email_params(key: str) -> dict[str, object]:
    subject, body = texts.TEMPLATES[key]
    names = messages.placeholders(subject) | messages.placeholders(body)
    return {name: "TK-1" for name in names}
