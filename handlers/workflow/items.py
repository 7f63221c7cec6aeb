"""Items of «Việc cần làm» the workflow raises: for the Front officer in charge of a petition,
or for an agency's liaisons (whose text passes the disclosure filter)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from handlers.agencies.disclosure import for_agency
from handlers.tasks import raise_item
from storage.models import Petition, StaffNotification
from storage.models.enums import Role


def front_item(
    session: Session,
    petition: Petition,
    *,
    kind: str,
    title: str,
    now: datetime,
    body: str = "",
    key: str | None = None,
) -> StaffNotification:
    """For the petition's officer; without one, for every officer of its ward."""
    return raise_item(
        session,
        kind=kind,
        title=title,
        body=body,
        now=now,
        petition_id=petition.id,
        staff_id=petition.assignee_id,
        ward_id=petition.ward_id,
        key=key,
    )


def agency_item(
    session: Session,
    petition: Petition,
    agency_id: int,
    *,
    kind: str,
    title: str,
    now: datetime,
    body: str = "",
    key: str | None = None,
) -> StaffNotification:
    """For the liaisons of an agency (their inbox); the text passes the disclosure filter."""
    return raise_item(
        session,
        kind=kind,
        title=for_agency(petition, title),
        body=for_agency(petition, body),
        now=now,
        petition_id=petition.id,
        role=Role.AGENCY,
        agency_id=agency_id,
        key=key,
    )
