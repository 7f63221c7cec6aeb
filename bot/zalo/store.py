"""The webhook's durable write: one row per delivery under its de-duplication key.

This is the hot path the benchmark measures, so on a real engine it speaks to the driver
directly (one prepared INSERT … ON CONFLICT DO NOTHING RETURNING id and the commit); on
SQLite it takes the write lock with BEGIN IMMEDIATE, and the threads of one process queue on
a Python lock instead of SQLite's sleeping busy handler. Bound to a Connection (the tests'
rolled-back transaction) it runs the same statements through SQLAlchemy Core. A new row
wakes the workers (storage.wake): a NOTIFY in the same transaction on PostgreSQL.
"""

from __future__ import annotations

import threading
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite

from storage import wake
from storage.models import InboundEvent
from storage.models.enums import InboundState

_TABLE = cast(Table, InboundEvent.__table__)
_INSERT = (
    "INSERT INTO inbound_events (dedup_key, event_name, subject, raw_body, signature_variant, "
    "state, attempts, deliveries, event_time, received_at) VALUES (?, ?, ?, ?, ?, ?, 0, 1, ?, ?) "
    "ON CONFLICT (dedup_key) DO NOTHING RETURNING id"
)
_REPEAT = "UPDATE inbound_events SET deliveries = deliveries + 1 WHERE dedup_key = ? RETURNING id"
#: The same statements in each driver's parameter style (qmark / format).
_SQL = {
    "sqlite": (_INSERT, _REPEAT),
    "postgresql": (_INSERT.replace("?", "%s"), _REPEAT.replace("?", "%s")),
}
_SQLITE_WRITERS = threading.Lock()
_NOTIFY = f"SELECT pg_notify('{wake.CHANNEL}', '')"


@dataclass(frozen=True)
class Delivery:
    """A verified delivery about to be stored."""

    key: str
    event_name: str
    subject: str | None
    raw: bytes
    variant: str
    event_time: datetime
    received_at: datetime


def store(bind: Engine | Connection, d: Delivery, *, stale: bool) -> int | None:
    """The new row's id; minus the stored id for a repeat; None for a stale new delivery."""
    if stale or isinstance(bind, Connection):
        return _store_core(bind, d, stale=stale)
    return _store_driver(bind, d)


def _store_driver(engine: Engine, d: Delivery) -> int:
    dialect = engine.dialect.name
    insert_sql, repeat_sql = _SQL["postgresql" if dialect == "postgresql" else "sqlite"]
    times: tuple[Any, Any] = (d.event_time, d.received_at)
    if dialect == "sqlite":  # how SQLAlchemy stores UTCDateTime there: naive UTC text
        times = tuple(_sqlite_time(t) for t in times)  # type: ignore[assignment]
    params = (d.key, d.event_name, d.subject, d.raw, d.variant, InboundState.PENDING.value, *times)
    with _SQLITE_WRITERS if dialect == "sqlite" else nullcontext():
        conn = engine.raw_connection()
        try:
            cursor = conn.cursor()
            try:
                if dialect == "sqlite":
                    cursor.execute("BEGIN IMMEDIATE")
                cursor.execute(insert_sql, params)
                row = cursor.fetchone()
                sign = 1
                if row is None:
                    cursor.execute(repeat_sql, (d.key,))
                    row, sign = cursor.fetchone(), -1
                elif dialect == "postgresql":
                    cursor.execute(_NOTIFY)
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
            finally:
                cursor.close()
        finally:
            conn.close()  # back to the pool
    if sign > 0:
        wake.LOCAL.set()
    return sign * int(row[0]) if row else 0


def _sqlite_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


_SELECT_ID = select(_TABLE.c.id).where(_TABLE.c.dedup_key == bindparam("key"))
_COUNT_REPEAT = (
    update(_TABLE)
    .where(_TABLE.c.dedup_key == bindparam("key"))
    .values(deliveries=_TABLE.c.deliveries + 1)
    .returning(_TABLE.c.id)
)


def _store_core(bind: Engine | Connection, d: Delivery, *, stale: bool) -> int | None:
    if isinstance(bind, Engine):
        with bind.begin() as conn:
            stored = _core(conn, d, stale=stale)
    else:
        with bind.begin_nested():
            stored = _core(bind, d, stale=stale)
    if stored is not None and stored > 0:
        wake.LOCAL.set()
    return stored


def _core(conn: Connection, d: Delivery, *, stale: bool) -> int | None:
    if stale:
        existing = conn.execute(_SELECT_ID, {"key": d.key}).scalar()
        if existing is None:
            return None
        conn.execute(_COUNT_REPEAT, {"key": d.key})
        return -int(existing)
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    values = {
        "dedup_key": d.key,
        "event_name": d.event_name,
        "subject": d.subject,
        "raw_body": d.raw,
        "signature_variant": d.variant,
        "state": InboundState.PENDING.value,
        "attempts": 0,
        "deliveries": 1,
        "event_time": d.event_time,
        "received_at": d.received_at,
    }
    statement = (
        insert(_TABLE).on_conflict_do_nothing(index_elements=["dedup_key"]).returning(_TABLE.c.id)
    )
    new_id = conn.execute(statement, values).scalar()
    if new_id is not None:
        wake.notify(conn)
        return int(new_id)
    return -int(conn.execute(_COUNT_REPEAT, {"key": d.key}).scalar() or 0)
