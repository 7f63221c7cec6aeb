"""Crafted ids, cursors and form values get a 4xx with a message, never a 500."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Petition, StaffUser
from tests.admin.conftest import post
from tests.workflow import helpers as h

HUGE = "9" * 31  # beyond any 64-bit key


def _cursor(ident: int) -> str:
    raw = json.dumps(["2026-01-01T00:00:00+00:00", ident]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"/admin/?after={_cursor(10**30)}", 200),  # an impossible cursor: the first page
        (f"/admin/?ward={HUGE}&category={HUGE}&agency={HUGE}", 200),  # unknown filter: ignored
        (f"/admin/petitions/{HUGE}", 404),
        ("/admin/reports?month=9999-12", 400),
        ("/admin/reports?month=0000-01", 400),
    ],
)
def test_crafted_addresses_are_answered_without_a_500(
    client: FlaskClient, signed_in: Callable[..., StaffUser], path: str, status: int
) -> None:
    signed_in("admin")
    assert client.get(path).status_code == status


def test_an_entry_naming_an_unknown_category_or_ward_is_refused(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("admin")
    ward = h.ward(db_session).id
    before = db_session.scalar(select(func.count()).select_from(Petition))
    form = {"channel": "walk_in", "ward": str(ward), "text": "Đèn đường hỏng ở kiệt 5"}
    for bad in ({"category": "99999"}, {"category": HUGE}, {"ward": "99999"}):
        response = post(client, "/admin/entry", {**form, **bad})
        assert response.status_code == 400, bad
        page = response.get_data(as_text=True)
        assert "không có trong danh mục" in page or "không hợp lệ" in page
    assert db_session.scalar(select(func.count()).select_from(Petition)) == before
