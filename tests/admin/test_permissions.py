"""Every role against every action and every other scope: out of scope is always 404."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from bot.admin.actions import ACTIONS
from handlers import workflow as wf
from handlers.workflow import rules
from storage.models import Petition
from storage.models.enums import ActorType, Role
from tests.admin.conftest import login, post
from tests.workflow import helpers as h

T0 = h.ORDINARY_MONDAY
STAFF_ACTIONS = sorted(a for a, r in rules.RULES.items() if r.roles)
CITIZEN_ONLY = sorted(a for a, r in rules.RULES.items() if not r.roles)
LIAISON_ACTIONS = {
    "view",
    "acknowledge",
    "record_answer",
    "return_forward",
    "request_extension",
    "agency_message",
}


def _forwarded(s: Session, ward: str, agency: str) -> Petition:
    officer = h.staff(s, "supervisor")
    p = wf.submit(s, h.draft(s, ward_code=ward), now=T0)
    wf.triage(
        s,
        p,
        actor=officer,
        category_id=p.category_id,
        ward_id=p.ward_id,
        legal_type="phan_anh",
        urgent=False,
        now=T0,
    )
    wf.forward(
        s,
        p,
        actor=officer,
        agency=h.agency(s, agency),
        channel="van_ban",
        document_number="9/MTTQ",
        sent_on=h.MONDAY,
        now=T0,
    )
    return p


@pytest.fixture
def world(db_session: Session) -> dict[str, Any]:
    """Two wards, each with a forwarded petition; users scoped to the first one."""
    s = db_session
    mine = _forwarded(s, "tam_ky", "ubnd_tam_ky")
    other = _forwarded(s, "quang_phu", "ubnd_quang_phu")
    users = {
        "admin": h.staff(s, "admin"),
        "supervisor": h.staff(s, "supervisor"),
        "staff": h.staff(s, "staff", wards=("tam_ky",)),
        "agency": h.staff(s, "agency", agency_code="ubnd_tam_ky"),
    }
    s.commit()
    return {"mine": mine, "other": other, "users": users}


ROLES = ("admin", "supervisor", "staff", "agency")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(rules.RULES))
def test_rule_matrix(db_session: Session, world: dict[str, Any], role: str, action: str) -> None:
    actor = wf.Actor.of_staff(world["users"][role])
    for key in ("mine", "other"):
        p: Petition = world[key]
        p.state = sorted(rules.RULES[action].from_states)[0]
        sees = role in (Role.ADMIN, Role.SUPERVISOR) or key == "mine"
        allowed = sees and (
            action not in CITIZEN_ONLY and (role != Role.AGENCY or action in LIAISON_ACTIONS)
        )
        if not sees:
            with pytest.raises(wf.OutOfScope):
                rules.check(db_session, actor, action, p)
        elif not allowed:
            with pytest.raises(wf.NotAllowed):
                rules.check(db_session, actor, action, p)
        else:
            rules.check(db_session, actor, action, p)
    db_session.rollback()


def test_citizens_act_only_on_their_own(db_session: Session, world: dict[str, Any]) -> None:
    mine: Petition = world["mine"]
    owner = wf.Actor.of_citizen(mine.citizen_id)
    stranger = wf.Actor(type=ActorType.CITIZEN, id=(mine.citizen_id or 0) + 999)
    rules.check(db_session, owner, "withdraw", mine)
    with pytest.raises(wf.OutOfScope):
        rules.check(db_session, stranger, "withdraw", mine)
    with pytest.raises(wf.NotAllowed):
        rules.check(db_session, owner, "forward", mine)


@pytest.mark.parametrize("role", ("staff", "agency"))
def test_other_scopes_are_not_found_over_http(
    client: FlaskClient, world: dict[str, Any], role: str
) -> None:
    assert login(client, world["users"][role].username).status_code == 302
    other: Petition = world["other"]
    mine: Petition = world["mine"]
    assert client.get(f"/admin/petitions/{mine.id}").status_code == 200
    assert client.get(f"/admin/petitions/{other.id}").status_code == 404
    assert client.get("/admin/petitions/999999").status_code == 404
    for name in sorted(ACTIONS):
        response = post(client, f"/admin/petitions/{other.id}/{name}", {"text": "x"})
        assert response.status_code == 404, name
    inbox = client.get("/admin/?state=all").get_data(as_text=True)
    assert mine.code in inbox and other.code not in inbox  # type: ignore[operator]
    assert client.get(f"/admin/forwards/{_forward_id(world, 'other')}/slip.docx").status_code == 404


def _forward_id(world: dict[str, Any], key: str) -> int:
    p: Petition = world[key]
    from sqlalchemy import inspect as sa_inspect

    session = sa_inspect(p).session
    assert session is not None
    fwd = wf.latest_forward(session, p)
    assert fwd is not None
    return fwd.id


@pytest.mark.parametrize("role", ("admin", "supervisor"))
def test_supervisors_see_every_ward(client: FlaskClient, world: dict[str, Any], role: str) -> None:
    login(client, world["users"][role].username)
    assert client.get(f"/admin/petitions/{world['other'].id}").status_code == 200
    assert client.get("/admin/templates").status_code == 200


def test_role_limits_over_http(client: FlaskClient, world: dict[str, Any]) -> None:
    login(client, world["users"]["agency"].username)
    mine: Petition = world["mine"]
    page = client.get(f"/admin/petitions/{mine.id}").get_data(as_text=True)
    assert "Trao đổi với người dân" not in page and "Người gửi" not in page
    assert post(client, f"/admin/petitions/{mine.id}/triage", {}).status_code == 403
    assert (
        post(client, f"/admin/petitions/{mine.id}/close", {"reason": "resolved"}).status_code == 403
    )
    assert client.get("/admin/templates").status_code == 403  # forbidden by role: said so
    assert client.get("/admin/entry").status_code == 403
    assert client.get("/admin/letters").status_code == 403
    response = post(client, f"/admin/petitions/{mine.id}/acknowledge")
    assert response.status_code == 302


def test_staff_cannot_open_templates_or_enter_for_another_ward(
    client: FlaskClient, world: dict[str, Any]
) -> None:
    login(client, world["users"]["staff"].username)
    forbidden = client.get("/admin/templates")
    assert forbidden.status_code == 403
    assert "Trang này dành cho: quản trị, lãnh đạo" in forbidden.get_data(as_text=True)
    assert client.get("/admin/holidays").status_code == 403
    other_ward = h.ward(_session(world), "quang_phu")
    response = post(
        client,
        "/admin/entry",
        {"channel": "phone", "ward": other_ward.id, "text": "Đèn đường hỏng"},
    )
    assert response.status_code == 400
    assert "ngoài phạm vi" in response.get_data(as_text=True)


def _session(world: dict[str, Any]) -> Session:
    from sqlalchemy import inspect as sa_inspect

    session = sa_inspect(world["mine"]).session
    assert session is not None
    return session


def test_a_liaison_keeps_reading_but_stops_acting_after_a_reforward(
    db_session: Session, world: dict[str, Any]
) -> None:
    mine: Petition = world["mine"]
    liaison = wf.Actor.of_staff(world["users"]["agency"])
    assert wf.allowed_actions(db_session, liaison, mine) == [
        "acknowledge",
        "record_answer",
        "request_extension",
        "return_forward",
    ]
    wf.forward(
        db_session,
        mine,
        actor=world["users"]["admin"],
        agency=h.agency(db_session, "ca_tam_ky"),
        channel="van_ban",
        document_number="2",
        sent_on=h.MONDAY + timedelta(days=1),
        now=T0,
    )
    assert wf.in_scope(db_session, liaison, mine)
    assert wf.allowed_actions(db_session, liaison, mine) == []
