"""Who acts on a petition: a citizen, a staff member with a role and a scope, or the system."""

from __future__ import annotations

from dataclasses import dataclass, field

from storage.models import Citizen, StaffUser
from storage.models.enums import ActorType, Role


@dataclass(frozen=True)
class Actor:
    """An actor and its scope, detached from the session (safe to keep across requests)."""

    type: str
    id: int | None = None
    role: str | None = None
    ward_ids: frozenset[int] = field(default_factory=frozenset)
    agency_id: int | None = None
    name: str = ""

    @classmethod
    def of_staff(cls, user: StaffUser) -> Actor:
        """A staff user's actor, with the wards or agency that bound what they see."""
        return cls(
            type=ActorType.STAFF,
            id=user.id,
            role=user.role,
            ward_ids=frozenset(w.id for w in user.wards),
            agency_id=user.agency_id,
            name=user.display_name or user.username,
        )

    @classmethod
    def of_citizen(cls, citizen: Citizen | int | None) -> Actor:
        """The citizen who owns a petition (None for one entered on a citizen's behalf)."""
        cid = citizen.id if isinstance(citizen, Citizen) else citizen
        return cls(type=ActorType.CITIZEN, id=cid)

    @property
    def is_staff(self) -> bool:
        return self.type == ActorType.STAFF

    @property
    def is_liaison(self) -> bool:
        return self.is_staff and self.role == Role.AGENCY

    @property
    def sees_everything(self) -> bool:
        """The system, administrators and supervisors are not bound to a ward."""
        return self.type == ActorType.SYSTEM or self.role in (Role.ADMIN, Role.SUPERVISOR)


SYSTEM = Actor(type=ActorType.SYSTEM, name="Hệ thống")


def as_actor(actor: Actor | StaffUser) -> Actor:
    """Accept a StaffUser wherever an Actor is expected."""
    return Actor.of_staff(actor) if isinstance(actor, StaffUser) else actor
