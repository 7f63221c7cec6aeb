"""Items for people to act on ("Việc cần làm"): StaffNotification rows for the Front officer
in charge of a petition, or for an agency's liaisons."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from handlers.agencies.disclosure import for_agency
from storage.models import Petition, StaffNotification
from storage.models.enums import Role


def front_item(
    session: Session, petition: Petition, *, kind: str, title: str, now: datetime, body: str = ""
) -> StaffNotification:
    """For the petition's officer; without one, for every officer of its ward."""
    item = StaffNotification(
        staff_id=petition.assignee_id,
        role=None if petition.assignee_id else Role.STAFF,
        ward_id=None if petition.assignee_id else petition.ward_id,
        petition_id=petition.id,
        kind=kind,
        title=title[:300],
        body=body,
        created_at=now,
    )
    session.add(item)
    return item


def agency_item(
    session: Session,
    petition: Petition,
    agency_id: int,
    *,
    kind: str,
    title: str,
    now: datetime,
    body: str = "",
) -> StaffNotification:
    """For the liaisons of an agency (their inbox); the text passes the disclosure filter."""
    item = StaffNotification(
        role=Role.AGENCY,
        agency_id=agency_id,
        petition_id=petition.id,
        kind=kind,
        title=for_agency(petition, title)[:300],
        body=for_agency(petition, body),
        created_at=now,
    )
    session.add(item)
    return item
