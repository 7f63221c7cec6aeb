"""Việc cần làm items: one way to raise them, de-duplicated; the workflow settles what an
action handles; the same rule decides who sees an item in SQL and in Python."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers import tasks
from handlers import workflow as wf
from handlers.tasks import NewItem
from storage.models import StaffNotification, StaffUser
from storage.models.enums import Role
from tests.workflow import helpers as h

NOW = datetime.now(UTC).replace(microsecond=0)


def _open_kinds(s: Session, petition_id: int) -> list[str]:
    return sorted(
        s.scalars(
            select(StaffNotification.kind).where(
                StaffNotification.petition_id == petition_id, StaffNotification.done_at.is_(None)
            )
        )
    )


def test_a_key_raises_an_item_once_and_a_recurring_alert_again(db_session: Session) -> None:
    first = tasks.raise_item(db_session, kind="abuse", title="Một", now=NOW, key="k:1")
    again = tasks.raise_item(db_session, kind="abuse", title="Hai", now=NOW, key="k:1")
    assert again.id == first.id and again.title == "Một"
    assert first.role == Role.STAFF and first.priority == tasks.NORMAL  # officers by default
    tasks.finish(first, now=NOW, staff_id=None)
    done = tasks.raise_item(db_session, kind="abuse", title="Ba", now=NOW, key="k:1")
    assert done.id == first.id and done.done_at is not None  # a done item stays done …
    later = NOW + timedelta(hours=1)
    alert = tasks.raise_item(
        db_session, kind="zalo_token", title="Bốn", now=later, key="k:1", again_when_done=True
    )
    assert alert.id == first.id and alert.done_at is None and alert.created_at == later
    assert alert.priority == tasks.HIGH and alert.title == "Bốn"  # … unless it recurs
    count = db_session.scalar(select(func.count()).select_from(StaffNotification))
    assert count == 1


def test_a_batch_skips_the_keys_already_raised(db_session: Session) -> None:
    tasks.raise_item(db_session, kind="letter", title="Cũ", now=NOW, key="letter:b1")
    added = tasks.raise_items(
        db_session,
        [NewItem("letter", f"Thư {n}", key=f"letter:b{n}") for n in (1, 2, 3, 2)],
        now=NOW,
    )
    assert added == 2
    titles = db_session.scalars(
        select(StaffNotification.title).where(StaffNotification.dedup_key.like("letter:b%"))
    ).all()
    assert sorted(titles) == ["Cũ", "Thư 2", "Thư 3"]


def test_the_workflow_settles_what_an_action_handles(db_session: Session) -> None:
    officer = h.staff(db_session)
    p = h.draft(db_session, urgent=True)
    wf.submit(db_session, p, now=NOW)
    for kind in ("urgent", "citizen_followup", "data_deletion", "callback", "agency_message"):
        tasks.raise_item(db_session, kind=kind, title=kind, now=NOW, petition_id=p.id)
    wf.assign(db_session, p, actor=officer, assignee=officer, now=NOW)
    assert _open_kinds(db_session, p.id) == [
        "agency_message",
        "callback",
        "citizen_followup",
        "data_deletion",
        "urgent",
    ]
    wf.triage(
        db_session,
        p,
        actor=officer,
        category_id=p.category_id,
        ward_id=p.ward_id,
        legal_type=p.legal_type,
        urgent=True,
        now=NOW + timedelta(minutes=5),
    )
    assert _open_kinds(db_session, p.id) == ["agency_message", "callback", "data_deletion"]
    urgent = db_session.scalar(select(StaffNotification).where(StaffNotification.kind == "urgent"))
    assert urgent is not None and urgent.done_by_id == officer.id
    assert urgent.done_note == "Đã xử lý: Phân loại"
    wf.close(db_session, p, actor=officer, reason="resolved", now=NOW + timedelta(minutes=9))
    # Closing ends the petition's work; a deletion request is about the citizen and stays, and
    # a liaison's question still waits for the Front's answer in the thread.
    assert _open_kinds(db_session, p.id) == ["agency_message", "data_deletion"]


def _users(s: Session) -> dict[str, StaffUser]:
    return {
        "staff_tk": h.staff(s, "staff", wards=("tam_ky",)),
        "staff_qp": h.staff(s, "staff", wards=("quang_phu",)),
        "sup_all": h.staff(s, "supervisor"),
        "admin": h.staff(s, "admin"),
        "liaison": h.staff(s, "agency", agency_code="ubnd_tam_ky"),
        "liaison_qp": h.staff(s, "agency", agency_code="ubnd_quang_phu"),
    }


ITEMS = {
    "ward_tk": {"role": Role.STAFF, "ward": "tam_ky"},
    "no_ward": {"role": Role.STAFF, "ward": None},
    "urgent_tk": {"role": Role.STAFF, "ward": "tam_ky", "priority": 2},
    "supervisors": {"role": Role.SUPERVISOR, "ward": None},
    "admins": {"role": Role.ADMIN, "ward": None},
    "agency_tk": {"role": Role.AGENCY, "ward": "tam_ky", "agency": "ubnd_tam_ky"},
    "person": {"staff": "staff_qp"},
}

SEES = {
    "staff_tk": {"ward_tk", "no_ward", "urgent_tk"},
    "staff_qp": {"no_ward", "person"},
    "sup_all": {"urgent_tk", "supervisors"},
    "admin": {"admins"},
    "liaison": {"agency_tk"},
    "liaison_qp": set(),
}


def test_who_sees_which_item_in_sql_and_in_python(db_session: Session) -> None:
    users = _users(db_session)
    raised = {}
    for name, spec in ITEMS.items():
        ward = h.ward(db_session, spec["ward"]).id if spec.get("ward") else None
        agency = h.agency(db_session, spec["agency"]).id if spec.get("agency") else None
        person = users[spec["staff"]].id if spec.get("staff") else None
        raised[name] = tasks.raise_item(
            db_session,
            kind="other",
            title=name,
            now=NOW,
            role=spec.get("role"),
            ward_id=ward,
            agency_id=agency,
            staff_id=person,
            priority=spec.get("priority"),
        )
    for name, user in users.items():
        actor = wf.Actor.of_staff(user)
        in_sql = {i.title for i in tasks.items_for(db_session, actor, now=NOW)}
        in_python = {k for k, item in raised.items() if tasks.is_visible(item, actor)}
        assert in_sql == in_python == SEES[name], name


def test_snoozed_items_leave_the_count_until_their_time(db_session: Session) -> None:
    officer = wf.Actor.of_staff(h.staff(db_session))
    item = tasks.raise_item(db_session, kind="urgent", title="Cháy", now=NOW)
    tasks.raise_item(db_session, kind="abuse", title="Lời lẽ", now=NOW)
    assert tasks.count_waiting(db_session, officer, now=NOW) == (2, 1)
    tasks.snooze(item, until=NOW + timedelta(days=1), now=NOW)
    assert tasks.count_waiting(db_session, officer, now=NOW) == (1, 0)
    assert [i.title for i in tasks.items_for(db_session, officer, now=NOW, tab="snoozed")] == [
        "Cháy"
    ]
    assert tasks.count_waiting(db_session, officer, now=NOW + timedelta(days=1)) == (2, 1)
    with pytest.raises(ValueError):
        tasks.snooze(item, until=NOW - timedelta(minutes=1), now=NOW)


def test_the_list_puts_the_most_urgent_then_the_newest_first(db_session: Session) -> None:
    officer = wf.Actor.of_staff(h.staff(db_session))
    for minutes, kind in ((0, "abuse"), (1, "urgent"), (2, "callback"), (3, "abuse")):
        tasks.raise_item(
            db_session, kind=kind, title=f"{kind}{minutes}", now=NOW + timedelta(minutes=minutes)
        )
    titles = [i.title for i in tasks.items_for(db_session, officer, now=NOW + timedelta(hours=1))]
    assert titles == ["urgent1", "callback2", "abuse3", "abuse0"]
