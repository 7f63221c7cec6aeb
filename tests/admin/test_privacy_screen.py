"""«Dữ liệu cá nhân»: record a request received by letter, carry each out by one action."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.privacy.limits import due_on
from handlers.workflow import local_date
from handlers.workflow.calendar import WorkCalendar
from storage.models import (
    AuditEntry,
    Citizen,
    DataRequest,
    OutboxMessage,
    StaffNotification,
    StaffUser,
)
from storage.models.base import utcnow
from tests.admin.conftest import post
from tests.workflow import helpers as h


def _citizen_with_petition(db_session: Session) -> tuple[Citizen, str]:
    person = h.citizen(db_session, phone="0905 111 222")
    p = h.draft(db_session, person=person, text="Cống tắc trước nhà ông Hoàng Văn Dũng")
    p.state, p.code, p.received_at = "closed", f"TK-2611-{p.id:06d}", h.ORDINARY_MONDAY
    p.closed_at, p.close_reason = h.ORDINARY_MONDAY, "resolved"
    db_session.commit()
    return person, p.code


def test_a_letter_request_is_recorded_then_a_copy_sent_by_one_action(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("supervisor")
    person, code = _citizen_with_petition(db_session)
    response = post(client, "/admin/privacy", {"who": code, "kind": "copy", "channel": "letter"})
    assert response.status_code == 302
    request = db_session.scalars(select(DataRequest)).one()
    assert request.citizen_id == person.id and request.channel == "letter"
    listing = client.get("/admin/privacy").get_data(as_text=True)
    assert f"{request.due_on:%d/%m/%Y}" in listing and "Cung cấp bản sao" in listing
    page = client.get(f"/admin/privacy/{request.id}").get_data(as_text=True)
    assert "Gửi bản sao cho người dân" in page
    assert post(client, f"/admin/privacy/{request.id}/carry-out").status_code == 302
    db_session.expire_all()
    assert request.state == "done"
    copy = db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.citizen_id == person.id)
    ).all()[-1]
    assert code in copy.payload["text"] and "0905 111 222" in copy.payload["text"]
    kinds = set(db_session.scalars(select(AuditEntry.kind)))
    assert {"privacy.request", "privacy.copy", "pii.data_request"} <= kinds


def test_correction_and_deletion_through_the_screen(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("supervisor")
    person, code = _citizen_with_petition(db_session)
    post(client, "/admin/privacy", {"who": f"#{person.id}", "kind": "correct", "channel": "phone"})
    request = db_session.scalars(select(DataRequest)).one()
    bad = post(client, f"/admin/privacy/{request.id}/carry-out", {"phone": "12ab"})
    assert bad.status_code == 400 and "số điện thoại" in bad.get_data(as_text=True)
    done = post(
        client,
        f"/admin/privacy/{request.id}/carry-out",
        {"display_name": "Hoàng Văn Dũng", "phone": "0905 333 444"},
    )
    assert done.status_code == 302
    db_session.expire_all()
    assert person.phone == "0905333444" and person.display_name == "Hoàng Văn Dũng"
    post(client, "/admin/privacy", {"who": code, "kind": "delete", "channel": "walk_in"})
    deletion = db_session.scalars(select(DataRequest).where(DataRequest.kind == "delete")).one()
    page = client.get(f"/admin/privacy/{deletion.id}").get_data(as_text=True)
    assert f'gõ <strong class="code">{code}</strong>' in page and 'name="confirm"' in page
    # Irreversible: not without typing the petition code, nor with another one.
    for typed in (None, "", "TK-2611-999999", f"#{person.id}"):
        form = {} if typed is None else {"confirm": typed}
        refused = post(client, f"/admin/privacy/{deletion.id}/carry-out", form)
        assert refused.status_code == 400 and f"cần gõ đúng «{code}»" in refused.get_data(
            as_text=True
        )
        db_session.expire_all()
        assert person.anonymised_at is None and deletion.state == "open"
    done = post(client, f"/admin/privacy/{deletion.id}/carry-out", {"confirm": code.lower()})
    assert done.status_code == 302
    db_session.expire_all()
    assert person.anonymised_at is not None and person.phone is None
    assert person.display_name is None and person.zalo_user_id is None


def test_bad_input_is_a_clear_400(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("supervisor")
    response = post(client, "/admin/privacy", {"who": "1", "kind": "nope", "channel": "letter"})
    assert response.status_code == 400
    assert client.get("/admin/privacy/999999").status_code == 404


def test_the_time_limit_is_said_once(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    """The page writes "(N ngày — basis)"; a basis naming the days again read twice."""
    signed_in("supervisor")
    _, code = _citizen_with_petition(db_session)
    for kind in ("copy", "correct", "withdraw", "delete"):
        post(client, "/admin/privacy", {"who": code, "kind": kind, "channel": "letter"})
    for request in db_session.scalars(select(DataRequest)):
        page = client.get(f"/admin/privacy/{request.id}").get_data(as_text=True)
        limit = page.split("Hạn thực hiện", 1)[1].split("</dd>", 1)[0]
        assert limit.count("ngày") == 1, limit


def test_the_list_tells_who_asked_without_the_full_name(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("supervisor")
    person, code = _citizen_with_petition(db_session)
    person.display_name = "Trần Thị Thu Hà"
    bare = h.citizen(db_session)
    bare.display_name = None
    db_session.commit()
    post(client, "/admin/privacy", {"who": code, "kind": "copy", "channel": "letter"})
    post(client, "/admin/privacy", {"who": f"#{bare.id}", "kind": "copy", "channel": "phone"})
    listing = client.get("/admin/privacy").get_data(as_text=True)
    rows = listing.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr")[1:]
    mine = next(r for r in rows if f"#{person.id}<" in r)
    assert "T*** T** T** Hà" in mine and code in mine
    assert "Trần" not in listing and "Thu Hà" not in listing
    other = next(r for r in rows if f"#{bare.id}<" in r)
    assert "Chưa có tên" in other and "TK-" not in other
    # The request's own page names the resident in full.
    rid = db_session.scalars(select(DataRequest.id).where(DataRequest.citizen_id == person.id))
    page = client.get(f"/admin/privacy/{rid.one()}").get_data(as_text=True)
    assert "Trần Thị Thu Hà" in page


def test_the_time_limit_counts_from_the_day_the_letter_arrived(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("supervisor")
    person, code = _citizen_with_petition(db_session)
    today = local_date(utcnow())
    page = client.get("/admin/privacy").get_data(as_text=True)
    assert f'name="received_on" value="{today.isoformat()}"' in page
    arrived = today - timedelta(days=6)
    form = {"who": code, "kind": "copy", "channel": "letter"}
    done = post(client, "/admin/privacy", {**form, "received_on": f"{arrived:%d/%m/%Y}"})
    assert done.status_code == 302
    request = db_session.scalars(select(DataRequest)).one()
    calendar = WorkCalendar.load(db_session)
    assert local_date(request.received_at) == arrived
    assert request.due_on == calendar.next_working_day(arrived + timedelta(days=10))
    assert request.due_on == due_on("copy", request.received_at, calendar)
    shown = client.get(f"/admin/privacy/{request.id}").get_data(as_text=True)
    assert f"{arrived:%d/%m/%Y} (Đơn, thư)" in shown and "ghi nhận vào hệ thống" in shown
    item = db_session.scalars(select(StaffNotification)).one()
    assert f"nhận lúc {arrived:%d/%m/%Y} (Đơn, thư)" in item.body
    entry = db_session.scalars(select(AuditEntry).where(AuditEntry.kind == "privacy.request"))
    assert entry.one().after["received_on"] == arrived.isoformat()


@pytest.mark.parametrize(
    ("days_ago", "message"),
    [(-1, "không thể sau hôm nay"), (91, "không được trước"), (None, "không hợp lệ")],
    ids=["tomorrow", "too old", "not a date"],
)
def test_an_impossible_day_of_receipt_is_refused(
    client: FlaskClient,
    db_session: Session,
    signed_in: Callable[..., StaffUser],
    days_ago: int | None,
    message: str,
) -> None:
    signed_in("supervisor")
    _, code = _citizen_with_petition(db_session)
    today = local_date(utcnow())
    typed = "31/02/2026" if days_ago is None else f"{today - timedelta(days=days_ago):%d/%m/%Y}"
    form = {"who": code, "kind": "delete", "channel": "walk_in", "received_on": typed}
    response = post(client, "/admin/privacy", form, follow_redirects=True)
    assert message in response.get_data(as_text=True)
    assert db_session.scalars(select(DataRequest)).all() == []
