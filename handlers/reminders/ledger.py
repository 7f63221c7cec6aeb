"""The reminder ledger: one row per rung with a unique key, the fact that makes a send happen once.

A pass claims rows with INSERT … ON CONFLICT DO NOTHING RETURNING, in the transaction that
also queues the rung's messages. A row that already exists (an earlier pass, a re-run, a
second scheduler racing this one) is not returned, so its messages are not queued again; a
pass that fails rolls back its rows and its messages together.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import String, Table, any_, bindparam, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models import Reminder

#: Rows per INSERT statement (SQLite allows 32,766 bound parameters; a row binds 8).
_CHUNK = 1000


@dataclass
class Rung:
    """A reminder about to be claimed: what, for which petition/forward, and its deadline."""

    key: str
    rung: str
    petition_id: int | None
    forward_id: int | None = None
    due_on: date | None = None
    data: dict[str, Any] = field(default_factory=dict)
    letter_path: str | None = None


def petition_key(petition_id: int, rung: str, due_on: date | None) -> str:
    """p12:triage:2026-12-07 — the due date is the deadline's version (a pause moves it)."""
    return f"p{petition_id}:{rung}:{due_on.isoformat() if due_on else '-'}"


def forward_key(forward_id: int, version: int, due_on: date, rung: str) -> str:
    """f7:v2:2026-12-21:overdue — a re-forward or an extension starts a new ladder."""
    return f"f{forward_id}:v{version}:{due_on.isoformat()}:{rung}"


def existing_keys(session: Session, keys: Iterable[str]) -> set[str]:
    """Which of these keys are already in the ledger (one query per thousand keys; on
    PostgreSQL one array parameter per ten thousand)."""
    wanted = list(dict.fromkeys(keys))
    found: set[str] = set()
    if _is_postgresql(session):
        for start in range(0, len(wanted), 10 * _CHUNK):
            part = wanted[start : start + 10 * _CHUNK]
            keys_param = bindparam("keys", value=part, type_=ARRAY(String))
            found.update(
                session.scalars(select(Reminder.key).where(Reminder.key == any_(keys_param)))
            )
        return found
    for start in range(0, len(wanted), _CHUNK):
        part = wanted[start : start + _CHUNK]
        found.update(session.scalars(select(Reminder.key).where(Reminder.key.in_(part))))
    return found


#: PostgreSQL: a whole chunk as eight array parameters instead of 8,000 bound values.
_PG_CLAIM = text(
    "INSERT INTO reminders (key, petition_id, forward_id, rung, due_on, letter_path, data, "
    "created_at) SELECT * FROM unnest(CAST(:key AS varchar[]), CAST(:petition_id AS int[]), "
    "CAST(:forward_id AS int[]), CAST(:rung AS varchar[]), CAST(:due_on AS varchar[]), "
    "CAST(:letter_path AS varchar[]), CAST(:data AS json[]), CAST(:created_at AS timestamptz[])) "
    "ON CONFLICT (key) DO NOTHING RETURNING key"
)


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def claim(session: Session, rungs: Sequence[Rung], *, now: datetime) -> list[Rung]:
    """Insert the rows; return the rungs this transaction created (the ones to act on)."""
    if not rungs:
        return []
    if _is_postgresql(session):
        return _claim_postgresql(session, rungs, now)
    table = cast(Table, Reminder.__table__)
    stmt = (
        sqlite_insert(table)
        .on_conflict_do_nothing(index_elements=[table.c.key])
        .returning(table.c.key)
    )
    # executemany with RETURNING: SQLAlchemy batches it into multi-row INSERTs ("insertmanyvalues").
    conn = session.connection()
    created: set[str] = set()
    for start in range(0, len(rungs), _CHUNK):
        rows = [_row(r, now) for r in rungs[start : start + _CHUNK]]
        created.update(conn.execute(stmt, rows).scalars())
    return [r for r in rungs if r.key in created]


def _claim_postgresql(session: Session, rungs: Sequence[Rung], now: datetime) -> list[Rung]:
    created: set[str] = set()
    for start in range(0, len(rungs), 10 * _CHUNK):
        part = [_row(r, now) for r in rungs[start : start + 10 * _CHUNK]]
        columns = {name: [row[name] for row in part] for name in part[0]}
        columns["data"] = [json.dumps(d) for d in columns["data"]]
        created.update(session.scalars(_PG_CLAIM, columns))
    return [r for r in rungs if r.key in created]


def _row(r: Rung, now: datetime) -> dict[str, Any]:
    return {
        "key": r.key,
        "petition_id": r.petition_id,
        "forward_id": r.forward_id,
        "rung": r.rung,
        "due_on": r.due_on.isoformat() if r.due_on else None,
        "letter_path": r.letter_path,
        "data": r.data,
        "created_at": now,
    }
