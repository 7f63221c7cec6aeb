"""The inbox: what needs work, with filters, two sort orders, search and keyset paging; the
total, the urgent petitions nobody has handled pinned on top, "Của tôi" and saved filters."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from flask import render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from bot.admin.blueprint import actor, bp, utcnow
from bot.admin.lookups import Lookups, deadline_badge
from bot.database import db_session
from handlers.agencies.disclosure import agency_summary
from handlers.outbox import reach
from handlers.overview import due_window
from handlers.workflow import WorkCalendar
from handlers.workflow.inbox import (
    SORTS,
    STATE_GROUPS,
    InboxFilter,
    Page,
    count_matching,
    inbox_page,
)
from handlers.workflow.labels import CLOSE_REASON_LABELS, LEGAL_TYPE_LABELS, STAFF_STATE_LABELS
from nlp.pii import mask_ids
from storage.models import Petition, SavedFilter
from storage.models.enums import CloseReason, LegalType, PetitionState

FLAGS = ("overdue", "urgent", "unassigned", "manual")
GROUP_LABELS = {"new": "Chưa phân loại (mới, mở lại)", "undecided": "Chưa có hướng giải quyết"}
DUE_LABELS = {"today": "Đến hạn hôm nay", "week": "Đến hạn trong 5 ngày làm việc tới"}
PINNED = 10
#: A search's total is counted this far (beyond it: "hơn 1.000"), so it never costs a second search.
SEARCH_TOTAL_CAP = 1000


def _int(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) <= 18 else None  # a 64-bit key at most


def parse_filter(cal: WorkCalendar | None = None) -> InboxFilter:
    """The filter from the query string; unknown values fall back to the defaults."""
    args = request.args
    state = args.get("state", "open")
    if state not in {"open", "all", *STATE_GROUPS, *PetitionState}:
        state = "open"
    legal = args.get("legal_type") or None
    due = args.get("due", "") if args.get("due") in DUE_LABELS else ""
    now = utcnow()
    assignee = _int("assignee")
    if args.get("mine") == "1":
        assignee = actor().id
    return InboxFilter(
        state=state,
        ward_id=_int("ward"),
        category_id=_int("category"),
        legal_type=legal if legal in set(LegalType) else None,
        agency_id=_int("agency"),
        assignee_id=assignee,
        overdue=args.get("overdue") == "1",
        urgent=args.get("urgent") == "1",
        unassigned=args.get("unassigned") == "1",
        manual=args.get("manual") == "1",
        q=args.get("q", "")[:200],
        sort=_sort(args.get("sort"), overdue=args.get("overdue") == "1" or bool(due)),
        due=due,
        due_bounds=due_window(cal, now, due) if due and cal is not None else None,
    )


def _sort(value: str | None, *, overdue: bool) -> str:
    """The chosen sort; the overdue and due lists default to the nearest deadline first."""
    if value in SORTS:
        return str(value)
    return "deadline" if overdue else "time"


def query_args(f: InboxFilter) -> dict[str, Any]:
    """The filter back as query arguments (the next-page link, exports, saved filters)."""
    mine = f.assignee_id is not None and f.assignee_id == actor().id
    raw = {
        "state": f.state,
        "ward": f.ward_id,
        "category": f.category_id,
        "legal_type": f.legal_type,
        "agency": f.agency_id,
        "assignee": None if mine else f.assignee_id,
        "mine": "1" if mine else None,
        "due": f.due,
        "q": f.q,
        "sort": f.sort,
        **{flag: "1" for flag in FLAGS if getattr(f, flag)},
    }
    return {k: v for k, v in raw.items() if v not in (None, "")}


def _pinned(s: Any, f: InboxFilter) -> Page:
    """Urgent petitions of this list that nobody has triaged yet, newest first."""
    if f.state not in ("open", "all", "new", PetitionState.RECEIVED, PetitionState.REOPENED):
        return Page()
    urgent = replace(f, urgent=True, state="new", sort="time", due="", due_bounds=None)
    return inbox_page(s, actor(), urgent, now=utcnow(), limit=PINNED)


@bp.get("/")
def inbox() -> ResponseReturnValue:
    """The inbox page."""
    s = db_session()
    who = actor()
    cal = WorkCalendar.load(s)
    f = parse_filter(cal)
    now = utcnow()
    first_page = not request.args.get("after")
    pinned = _pinned(s, f)
    listed = replace(f, exclude_ids=tuple(r.id for r in pinned.rows))
    page = inbox_page(s, who, listed, now=now, cursor=request.args.get("after"))
    names = Lookups.load(s)
    args = query_args(f)
    on_page = [*page.rows, *(pinned.rows if first_page else [])]
    told = {} if who.is_liaison else reach.latest(s, [r.id for r in on_page])
    petitions = {r.id: s.get(Petition, r.id) for r in on_page} if who.is_liaison else {}

    def shown(rows: list[Any]) -> list[dict[str, Any]]:
        return [
            {
                "row": r,
                "due": deadline_badge(r.state, r.next_due_at, now, cal),
                # A liaison reads the list through the disclosure filter (handlers.agencies);
                # staff see ID numbers masked in lists (in full on the petition page, on demand).
                "summary": agency_summary(found)
                if (found := petitions.get(r.id))
                else mask_ids(r.summary or ""),
                # Whether the citizen heard the latest news (shown when they have not).
                "reach": told.get(r.id),
            }
            for r in rows
        ]

    return render_template(
        "admin/inbox.html",
        rows=shown(page.rows),
        pinned=shown(pinned.rows) if first_page else [],
        total=count_matching(s, who, f, now=now, cap=SEARCH_TOTAL_CAP if f.q.strip() else None),
        total_cap=SEARCH_TOTAL_CAP,
        f=f,
        args=args,
        query=urlencode(args),
        next_cursor=page.next_cursor,
        first_page=first_page,
        names=names,
        wards=names.wards_for(who),
        states=STAFF_STATE_LABELS,
        groups=GROUP_LABELS,
        due_labels=DUE_LABELS,
        legal_types=LEGAL_TYPE_LABELS,
        is_liaison=who.is_liaison,
        mine=request.args.get("mine") == "1",
        saved=_saved(s, who.id),
        officers=sorted(
            (u for u in names.staff.values() if u.active and u.role != "agency"),
            key=lambda u: u.display_name or u.username,
        ),
        close_reasons={k: v for k, v in CLOSE_REASON_LABELS.items() if k != CloseReason.DUPLICATE},
    )


def _saved(s: Any, staff_id: int | None) -> list[SavedFilter]:
    if staff_id is None:
        return []
    return list(
        s.scalars(
            select(SavedFilter).where(SavedFilter.staff_id == staff_id).order_by(SavedFilter.name)
        )
    )
