"""Who hears about a rung: the ward's staff, its supervisors, an agency's liaisons.

Loaded once per pass (the staff table is small) and detached from the session.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from storage.models import StaffUser
from storage.models.enums import Role


@dataclass(frozen=True)
class Person:
    """A recipient: the id keys the email's dedup, the email may be missing; `email_mode`
    says whether they want each notice at once ("all") or in their daily digest."""

    id: int
    email: str | None
    email_mode: str = "digest"


@dataclass
class Audience:
    """Recipients by ward and by agency."""

    staff_by_ward: dict[int, list[Person]] = field(default_factory=lambda: defaultdict(list))
    supervisors_by_ward: dict[int, list[Person]] = field(default_factory=lambda: defaultdict(list))
    supervisors_anywhere: list[Person] = field(default_factory=list)
    admins: list[Person] = field(default_factory=list)
    liaisons_by_agency: dict[int, list[Person]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def load(cls, session: Session) -> Audience:
        """Every active staff user, sorted into the lists above."""
        audience = cls()
        users = session.scalars(
            select(StaffUser)
            .where(StaffUser.active.is_(True))
            .options(selectinload(StaffUser.wards))
            .order_by(StaffUser.id)
        )
        for user in users:
            person = Person(user.id, user.email, user.email_mode)
            ward_ids = [w.id for w in user.wards]
            if user.role == Role.STAFF:
                for ward_id in ward_ids:
                    audience.staff_by_ward[ward_id].append(person)
            elif user.role == Role.SUPERVISOR:
                for ward_id in ward_ids:
                    audience.supervisors_by_ward[ward_id].append(person)
                if not ward_ids:
                    audience.supervisors_anywhere.append(person)
            elif user.role == Role.ADMIN:
                audience.admins.append(person)
            elif user.role == Role.AGENCY and user.agency_id is not None:
                audience.liaisons_by_agency[user.agency_id].append(person)
        return audience

    def staff(self, ward_id: int | None) -> list[Person]:
        """The ward's officers; without any, its supervisors (someone must hear)."""
        found = self.staff_by_ward.get(ward_id, []) if ward_id is not None else []
        return found or self.supervisors(ward_id)

    def supervisors(self, ward_id: int | None) -> list[Person]:
        """Supervisors of the ward and those of every ward; without any, administrators."""
        scoped = self.supervisors_by_ward.get(ward_id, []) if ward_id is not None else []
        found = _unique([*scoped, *self.supervisors_anywhere])
        return found or list(self.admins)

    def liaisons(self, agency_id: int) -> list[Person]:
        """The agency's liaison accounts."""
        return list(self.liaisons_by_agency.get(agency_id, []))


def _unique(people: list[Person]) -> list[Person]:
    seen: set[int] = set()
    return [p for p in people if not (p.id in seen or seen.add(p.id))]  # type: ignore[func-returns-value]
