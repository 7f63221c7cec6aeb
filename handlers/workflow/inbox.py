"""The staff inbox: filters, two sort orders, keyset paging and diacritics-insensitive search.

Only narrow columns are read (no text), names are joined in Python from small tables, and
paging continues after the last row's sort key, so page 1,000 costs what page 1 costs.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    and_,
    bindparam,
    column,
    exists,
    func,
    literal,
    select,
    text,
    tuple_,
)
from sqlalchemy.orm import Session

from handlers.workflow.actors import Actor
from handlers.workflow.clocks import CLOCKED_STATES, overdue_clause
from handlers.workflow.rules import scope_clause
from handlers.workflow.search import search_query
from storage.models import Forward, Petition
from storage.models.enums import OPEN_STATES, PetitionState

PAGE_SIZE = 50
FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)
SORTS = ("time", "deadline")
#: State groups the inbox offers beside single states ("open" and "all" aside).
STATE_GROUPS: dict[str, tuple[str, ...]] = {
    "new": (PetitionState.RECEIVED, PetitionState.REOPENED),
    "undecided": (PetitionState.RECEIVED, PetitionState.TRIAGED, PetitionState.REOPENED),
}
#: The most rows one export holds (a list bigger than this is narrowed by its filters).
EXPORT_LIMIT = 10_000
_WORD = re.compile(r"[a-z0-9@.+\-/]+")

#: The narrow row the inbox shows.
COLUMNS = (
    Petition.id,
    Petition.code,
    Petition.received_at,
    Petition.ward_id,
    Petition.category_id,
    Petition.category_confidence,
    # the model's field: its confidence is shown only beside the field it chose
    Petition.suggestions["category"].as_string().label("model_category"),
    Petition.needs_manual_classification,
    Petition.legal_type,
    Petition.urgent,
    Petition.state,
    Petition.next_due_at,
    Petition.assignee_id,
    Petition.summary,
    Petition.channel,
)


@dataclass(frozen=True)
class InboxFilter:
    """What the staff asked for; the empty filter is the default view (open, newest first)."""

    state: str = "open"  # a state, a STATE_GROUPS key, "open" or "all"
    ward_id: int | None = None
    category_id: int | None = None
    legal_type: str | None = None
    agency_id: int | None = None
    assignee_id: int | None = None
    overdue: bool = False
    urgent: bool = False
    unassigned: bool = False
    manual: bool = False
    q: str = ""
    sort: str = "time"
    # Not yet overdue and due in (after, until]: "today" or "week" (bounds set by the caller).
    due: str = ""
    due_bounds: tuple[datetime, datetime] | None = None
    # Rows shown elsewhere on the page (the pinned urgent ones).
    exclude_ids: tuple[int, ...] = ()

    def without(self, **changes: Any) -> InboxFilter:
        return replace(self, **changes)


@dataclass
class Page:
    rows: list[Any] = field(default_factory=list)
    next_cursor: str | None = None


def build_query(
    actor: Actor,
    f: InboxFilter,
    *,
    now: datetime,
    dialect: str,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> Select[*tuple[Any, ...]]:
    """The SELECT for one page (exposed for the benchmark and EXPLAIN)."""
    conditions: list[Any] = [scope_clause(actor), *_filters(actor, f, now, dialect)]
    order: list[Any]
    if f.sort == "deadline":
        conditions.append(Petition.next_due_at.is_not(None))
        order = [Petition.next_due_at.asc(), Petition.id.asc()]
        after = _decode(cursor)
        if after:
            key = datetime.fromisoformat(after[0])
            conditions.append(tuple_(Petition.next_due_at, Petition.id) > tuple_(key, after[1]))
    else:
        conditions.append(Petition.received_at.is_not(None))
        order = [Petition.received_at.desc(), Petition.id.desc()]
        after = _decode(cursor)
        if after:
            key = datetime.fromisoformat(after[0])
            conditions.append(tuple_(Petition.received_at, Petition.id) < tuple_(key, after[1]))
    return select(*COLUMNS).where(and_(*conditions)).order_by(*order).limit(limit + 1)


def inbox_page(
    session: Session,
    actor: Actor,
    f: InboxFilter,
    *,
    now: datetime,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> Page:
    """One page of the inbox and the cursor of the next one."""
    dialect = session.get_bind().dialect.name
    rows = list(
        session.execute(build_query(actor, f, now=now, dialect=dialect, cursor=cursor, limit=limit))
    )
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        key = last.next_due_at if f.sort == "deadline" else last.received_at
        next_cursor = _encode([key.isoformat(), last.id])
    return Page(rows=rows, next_cursor=next_cursor)


def count_matching(
    session: Session, actor: Actor, f: InboxFilter, *, now: datetime, cap: int | None = None
) -> int:
    """How many rows the whole list has (every page), for the inbox's total; with `cap`, it
    stops counting past cap (a search's total would otherwise cost a second search)."""
    dialect = session.get_bind().dialect.name
    conditions = [scope_clause(actor), *_filters(actor, f, now, dialect)]
    key = Petition.next_due_at if f.sort == "deadline" else Petition.received_at
    if cap is not None:
        ids = select(Petition.id).where(*conditions, key.is_not(None)).limit(cap + 1)
        return int(session.scalar(select(func.count()).select_from(ids.subquery())) or 0)
    query = select(func.count()).select_from(Petition).where(*conditions, key.is_not(None))
    return int(session.scalar(query) or 0)


def export_rows(session: Session, actor: Actor, f: InboxFilter, *, now: datetime) -> list[Any]:
    """Every row of the list (up to EXPORT_LIMIT), in its order, for CSV or Excel."""
    dialect = session.get_bind().dialect.name
    query = build_query(actor, f, now=now, dialect=dialect, limit=EXPORT_LIMIT - 1)
    return list(session.execute(query))


def _filters(actor: Actor, f: InboxFilter, now: datetime, dialect: str) -> list[Any]:
    out: list[Any] = []
    if f.state in STATE_GROUPS:
        out.append(Petition.state.in_(STATE_GROUPS[f.state]))
    elif f.state == "open":
        # Workflow invariant: next_due_at is set only on open petitions. Leaving out an
        # implied state list keeps the planners on the sort index (their row estimates
        # for "open and overdue" are off by 10x, and they would sort 100k rows instead).
        if not f.overdue and f.sort != "deadline":
            out.append(Petition.state.in_(sorted(OPEN_STATES)))
    elif f.state in set(PetitionState):
        out.append(Petition.state == f.state)
    else:
        out.append(Petition.state != PetitionState.DRAFT)
    if f.ward_id is not None:
        out.append(Petition.ward_id == f.ward_id)
    if f.category_id is not None:
        out.append(Petition.category_id == f.category_id)
    if f.legal_type:
        out.append(Petition.legal_type == f.legal_type)
    if f.agency_id is not None:
        out.append(
            exists(
                select(Forward.id).where(
                    Forward.petition_id == Petition.id, Forward.agency_id == f.agency_id
                )
            )
        )
    if f.assignee_id is not None:
        out.append(Petition.assignee_id == f.assignee_id)
    if f.overdue and f.sort == "deadline":
        out.append(overdue_clause(now))
    elif f.overdue:
        # Newest first: keep the planner on the received_at index, walking back until 50
        # overdue rows turn up (overdue petitions are mostly recent in a working office).
        # The indexable form would make it fetch and sort every overdue row instead.
        due = func.coalesce(Petition.next_due_at, literal(FAR_FUTURE, Petition.next_due_at.type))
        out.append(and_(Petition.state.in_(sorted(CLOCKED_STATES)), due <= now))
    if f.urgent:
        out.append(Petition.urgent.is_(True))
    if f.due_bounds is not None:
        after, until = f.due_bounds
        out.append(Petition.state.in_(sorted(CLOCKED_STATES)))
        out.append(and_(Petition.next_due_at > after, Petition.next_due_at <= until))
    if f.exclude_ids:
        out.append(Petition.id.not_in(f.exclude_ids))
    if f.unassigned:
        out.append(Petition.assignee_id.is_(None))
    if f.manual:
        out.append(Petition.needs_manual_classification.is_(True))
    if f.q.strip():
        out.append(search_condition(f.q, dialect, disclosed=actor.is_liaison))
    return out


def search_condition(query: str, dialect: str, *, disclosed: bool = False) -> Any:
    """Every word of the folded query appears in the search key (trigram-indexed substrings).

    `disclosed`: the key of what an agency may read (a liaison's search finds nothing they
    cannot see: no masked digit, no protected author); PostgreSQL has a trigram index on it,
    SQLite scans the liaison's few forwarded petitions.
    """
    words = _WORD.findall(search_query(query)) or [search_query(query) or "-"]
    if disclosed:
        return and_(*(_like(Petition.agency_search_text, w) for w in words))
    # Patterns are rendered into the SQL (escaped by SQLAlchemy), not bound: a server-side
    # prepared statement's generic plan cannot see how selective '%word%' is, and PostgreSQL
    # then picks plans 20x slower than for the actual words.
    likes = [_like(Petition.search_text, w) for w in words]
    indexable = [w for w in words if len(w) >= 3]
    if dialect != "sqlite" or not indexable:
        return and_(*likes)
    match = " AND ".join('"' + w.replace('"', '""') + '"' for w in indexable)
    fts = (
        text("SELECT rowid FROM petitions_fts WHERE petitions_fts MATCH :fts_match")
        .bindparams(fts_match=match)
        .columns(column("rowid", Integer))
    )
    return and_(Petition.id.in_(fts), *likes)


def _like(key: Any, word: str) -> Any:
    return key.like(bindparam(None, f"%{_escape(word)}%", literal_execute=True), escape="\\")


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _encode(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def _decode(cursor: str | None) -> tuple[str, int] | None:
    """A cursor from the URL; anything malformed starts from the first page."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key, ident = json.loads(raw)
        datetime.fromisoformat(key)
        if not 0 < int(ident) < 2**63:  # a row id; the driver fails on anything larger
            return None
        return str(key), int(ident)
    except (ValueError, TypeError):
        return None


def is_clocked(state: str) -> bool:
    """Whether the state's deadline is shown with a colour (the Front's or an agency's)."""
    return state in CLOCKED_STATES


__all__ = [
    "EXPORT_LIMIT",
    "PAGE_SIZE",
    "SORTS",
    "STATE_GROUPS",
    "InboxFilter",
    "Page",
    "build_query",
    "count_matching",
    "export_rows",
    "inbox_page",
]
