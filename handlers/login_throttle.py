"""Slowing down password guessing without letting a stranger lock an administrator out.

Failed sign-ins are counted in three rows, each with one atomic upsert
(`failures = failures + 1` in the database, so concurrent guesses are never lost):

- one client (address) on one name: after `per_name` failures that client may not try the
  name again for `minutes` minutes — the guesser is stopped;
- one name from every client: after `per_name` failures the account is *softly* locked —
  clients that already failed on it are refused, a client with a clean record still gets its
  attempt. Guessing from many addresses is cut to one try per address, and the real owner,
  signing in from elsewhere, is not locked out by someone else's guesses;
- one client over every name: after `per_name * CLIENT_FACTOR` failures the address may not
  try any name — spraying one password over many names stops too.

Names are counted as typed, whether or not such an account exists, so a lock says nothing
about which accounts exist. A count starts again once `minutes` pass without a failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import Table, case, delete, or_, select, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models import LoginThrottle

#: How many more failures an address may make over all names than on one name.
CLIENT_FACTOR = 4
ANY = ""


class Scope(Enum):
    """What a row counts."""

    PAIR = "pair"  # one client on one name
    ACCOUNT = "account"  # one name from everywhere
    CLIENT = "client"  # one client over every name


@dataclass(frozen=True)
class Limits:
    """Failures allowed before a lock, and how long a lock lasts."""

    per_name: int
    minutes: int

    @property
    def window(self) -> timedelta:
        return timedelta(minutes=self.minutes)

    def threshold(self, scope: Scope) -> int:
        return self.per_name * (CLIENT_FACTOR if scope is Scope.CLIENT else 1)


@dataclass(frozen=True)
class Lock:
    """A lock that the failure just counted began."""

    scope: Scope
    failures: int
    until: datetime


def key_name(typed: str) -> str:
    """The name as counted: trimmed, lower case, at most 80 characters, never empty."""
    return typed.strip().lower()[:80] or "-"


def key_client(address: str | None) -> str:
    """The client as counted: its address, at most 64 characters, never empty."""
    return (address or "")[:64] or "-"


def _keys(client: str, name: str) -> dict[Scope, tuple[str, str]]:
    return {
        Scope.PAIR: (client, name),
        Scope.ACCOUNT: (ANY, name),
        Scope.CLIENT: (client, ANY),
    }


def blocked(session: Session, client: str, name: str, *, now: datetime, limits: Limits) -> bool:
    """Whether this client may not try this name now (see the module's rules)."""
    keys = _keys(client, name)
    rows = session.scalars(
        select(LoginThrottle).where(
            tuple_(LoginThrottle.client, LoginThrottle.name).in_(list(keys.values()))
        )
    ).all()
    found = {(r.client, r.name): r for r in rows}
    pair, account, everywhere = (found.get(keys[s]) for s in Scope)

    def locked(row: LoginThrottle | None) -> bool:
        return row is not None and row.locked_until is not None and row.locked_until > now

    if locked(pair) or locked(everywhere):
        return True
    failed_here = pair is not None and pair.last_failed_at > now - limits.window
    return locked(account) and failed_here


def failed(
    session: Session, client: str, name: str, *, now: datetime, limits: Limits
) -> list[Lock]:
    """Count one failure in each row; return the locks that this very failure began."""
    locks = []
    for scope, (c, n) in _keys(client, name).items():
        failures, until = _count(session, c, n, now=now, limits=limits, scope=scope)
        if failures == limits.threshold(scope) and until is not None:
            locks.append(Lock(scope, failures, until))
    return locks


def _count(
    session: Session, client: str, name: str, *, now: datetime, limits: Limits, scope: Scope
) -> tuple[int, datetime | None]:
    """One atomic upsert: +1 (or 1 after a quiet window); lock once the threshold is met."""
    table = LoginThrottle.__table__
    assert isinstance(table, Table)  # noqa: S101 - for the type checker
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    threshold = limits.threshold(scope)
    until = now + limits.window
    counted = case((table.c.last_failed_at < now - limits.window, 1), else_=table.c.failures + 1)
    stmt = (
        insert(table)
        .values(
            client=client,
            name=name,
            failures=1,
            last_failed_at=now,
            locked_until=until if threshold <= 1 else None,
        )
        .on_conflict_do_update(
            index_elements=[table.c.client, table.c.name],
            set_={
                "failures": counted,
                "last_failed_at": now,
                "locked_until": case((counted >= threshold, until), else_=table.c.locked_until),
            },
        )
        .returning(table.c.failures, table.c.locked_until)
    )
    failures, locked_until = session.execute(stmt).one()
    return int(failures), locked_until


def succeeded(session: Session, client: str, name: str) -> None:
    """The client signed in: forget its failures on this name."""
    session.execute(
        delete(LoginThrottle)
        .where(LoginThrottle.client == client, LoginThrottle.name == name)
        .execution_options(synchronize_session=False)
    )


def forgive(session: Session, name: str) -> None:
    """An administrator reset the account: lift every lock on its name."""
    session.execute(
        delete(LoginThrottle)
        .where(LoginThrottle.name == key_name(name))
        .execution_options(synchronize_session=False)
    )


def purge(session: Session, *, before: datetime) -> int:
    """Delete counts whose last failure and lock both ended before `before`."""
    result = session.execute(
        delete(LoginThrottle)
        .where(
            LoginThrottle.last_failed_at < before,
            or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < before),
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
