"""The general audit log and the one function that writes to it.

`write()` adds an entry in the caller's transaction, so an audited change and its entry
commit (or roll back) together. The client address comes from the caller, or from
`bind_client()`, which the web layer calls once per request. Entries name people by id and
petitions by code; callers never put a citizen's text, name or phone number in them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any, Protocol

from sqlalchemy.orm import Session

from storage.models import AuditEntry, Petition, StaffUser
from storage.models.enums import ActorType

#: session.info key holding the client address of the request that owns the session.
CLIENT_KEY = "pakn.audit.client"

# Kinds (the part before the dot is the group the viewer filters on).
LOGIN = "auth.login"
LOGIN_FAILED = "auth.login_failed"
LOCKOUT = "auth.lockout"
LOGOUT = "auth.logout"
LOGOUT_EVERYWHERE = "auth.logout_all"
LOGOUT_DEVICE = "auth.logout_device"
PASSWORD_CHANGED = "auth.password_changed"  # noqa: S105 - an event name, not a secret
PASSWORD_SET = "auth.password_set"  # noqa: S105
VIEW_PETITION = "pii.petition"
VIEW_FILE = "pii.file"
EXPORT_REPORT = "export.report"
EXPORT_SLIP = "export.slip"
EXPORT_AUDIT = "export.audit"
EXPORT_INBOX = "export.inbox"
PETITION_PREFIX = "petition."

ANONYMOUS = "anonymous"


class Who(Protocol):
    """Whoever acted: a workflow Actor, or anything with the same three attributes."""

    @property
    def type(self) -> str: ...
    @property
    def id(self) -> int | None: ...
    @property
    def name(self) -> str: ...


def bind_client(session: Session, address: str | None) -> None:
    """Remember where this session's requests come from (entries default to it)."""
    session.info[CLIENT_KEY] = (address or "")[:64] or None


def write(
    session: Session,
    kind: str,
    *,
    now: datetime,
    actor: Who | StaffUser | None = None,
    summary: str = "",
    petition: Petition | int | None = None,
    target: tuple[str, object] | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    address: str | None = None,
) -> AuditEntry:
    """Add one audit entry to the caller's transaction (None actor: the system)."""
    actor_type, actor_id, actor_name = identify(actor)
    entry = AuditEntry(
        at=now,
        kind=kind[:40],
        actor_type=actor_type,
        actor_id=actor_id,
        actor_name=actor_name[:200],
        address=(address or session.info.get(CLIENT_KEY) or None),
        petition_id=petition.id if isinstance(petition, Petition) else petition,
        target_type=target[0][:24] if target else None,
        target_id=str(target[1])[:80] if target else None,
        summary=summary[:1000],
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
    )
    if entry.address:
        entry.address = entry.address[:64]
    session.add(entry)
    return entry


def identify(actor: Who | StaffUser | None) -> tuple[str, int | None, str]:
    """(actor type, id, name as shown later) of whoever acted."""
    if actor is None:
        return ActorType.SYSTEM, None, "Hệ thống"
    if isinstance(actor, StaffUser):
        return ActorType.STAFF, actor.id, staff_name(actor)
    name = actor.name
    if actor.type == ActorType.CITIZEN:
        name = f"Người dân #{actor.id}" if actor.id else "Người dân"
    return actor.type, actor.id, name or actor.type


def staff_name(user: StaffUser) -> str:
    """'Display Name (username)', the way entries name staff."""
    if user.display_name and user.display_name != user.username:
        return f"{user.display_name} ({user.username})"
    return user.username


def jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON-safe copy: dates as ISO text, enums as their values, sets as sorted lists."""
    return {str(k): _plain(v) for k, v in values.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple | list):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, Mapping):
        return jsonable(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def changes(
    old: Mapping[str, Any], new: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The (before, after) pair of the keys whose values differ."""
    keys = [k for k in new if old.get(k) != new.get(k)]
    return {k: old.get(k) for k in keys}, {k: new.get(k) for k in keys}
