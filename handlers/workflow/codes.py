"""Tracking codes TK-YYMM-NNNNNN from one counter row per prefix and month, race-free."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from handlers.workflow.calendar import local_date
from storage.models import CodeSequence

DEFAULT_CODE_PREFIX = "TK"


def next_code(session: Session, now: datetime, prefix: str = DEFAULT_CODE_PREFIX) -> str:
    """Take the next number with one atomic upsert (the row lock serialises writers)."""
    period = local_date(now).strftime("%y%m")
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    table = CodeSequence.__table__
    assert isinstance(table, Table)  # noqa: S101 - for the type checker
    stmt = (
        insert(table)
        .values(prefix=prefix, period=period, last_value=1)
        .on_conflict_do_update(
            index_elements=[table.c.prefix, table.c.period],
            set_={"last_value": table.c.last_value + 1},
        )
        .returning(table.c.last_value)
    )
    value = session.execute(stmt).scalar_one()
    return f"{prefix}-{period}-{value:06d}"
