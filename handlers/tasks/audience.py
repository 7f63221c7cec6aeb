"""Whose an item is: the person it names, or everyone of its role within its ward or agency.

The same rule twice — as a WHERE clause for the lists and counts, and as a predicate for the
email jobs, which sort a few new items among a few dozen users — kept equal by the tests.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, false, or_, true

from handlers.tasks.kinds import URGENT
from storage.models import StaffNotification
from storage.models.enums import Role

if TYPE_CHECKING:  # handlers.workflow raises items: importing it here would be a cycle
    from handlers.workflow.actors import Actor

Item = StaffNotification


def visible_clause(actor: Actor) -> ColumnElement[bool]:
    """Items addressed to this user: by name, or to their role where they work.

    Officers see their wards' items and those of no known ward. Supervisors see their own
    role's items and the officers' urgent ones (nothing urgent waits for one absent officer).
    Liaisons see their agency's. Administrators see theirs (system alerts).
    """
    if actor.id is None:
        return false()
    mine = Item.staff_id == actor.id
    shared = Item.staff_id.is_(None)
    wards = sorted(actor.ward_ids)
    in_wards = or_(Item.ward_id.is_(None), Item.ward_id.in_(wards)) if wards else true()
    if actor.role == Role.AGENCY:
        if actor.agency_id is None:
            return mine
        return or_(mine, and_(shared, Item.role == Role.AGENCY, Item.agency_id == actor.agency_id))
    if actor.role == Role.STAFF:
        ward_ok = or_(Item.ward_id.is_(None), Item.ward_id.in_(wards))
        return or_(mine, and_(shared, Item.role == Role.STAFF, ward_ok))
    if actor.role == Role.SUPERVISOR:
        officers_urgent = and_(Item.role == Role.STAFF, Item.priority >= URGENT)
        return or_(mine, and_(shared, or_(Item.role == Role.SUPERVISOR, officers_urgent), in_wards))
    if actor.role == Role.ADMIN:
        return or_(mine, and_(shared, Item.role == Role.ADMIN))
    return mine


def is_visible(item: Item, actor: Actor) -> bool:
    """`visible_clause` for one loaded item."""
    if actor.id is None:
        return False
    if item.staff_id is not None:
        return item.staff_id == actor.id
    in_wards = item.ward_id is None or not actor.ward_ids or item.ward_id in actor.ward_ids
    if actor.role == Role.AGENCY:
        return (
            actor.agency_id is not None
            and item.role == Role.AGENCY
            and item.agency_id == actor.agency_id
        )
    if actor.role == Role.STAFF:
        return item.role == Role.STAFF and (item.ward_id is None or item.ward_id in actor.ward_ids)
    if actor.role == Role.SUPERVISOR:
        urgent = item.role == Role.STAFF and item.priority >= URGENT
        return (item.role == Role.SUPERVISOR or urgent) and in_wards
    if actor.role == Role.ADMIN:
        return item.role == Role.ADMIN
    return False


def waiting_clause(now: datetime) -> ColumnElement[bool]:
    """Open and not snoozed: what the list and the count in the navigation show."""
    return and_(
        Item.done_at.is_(None),
        or_(Item.snoozed_until.is_(None), Item.snoozed_until <= now),
    )
