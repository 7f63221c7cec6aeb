"""The inbox: what needs work, with filters, two sort orders, search and keyset paging."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask.typing import ResponseReturnValue

from bot.admin.blueprint import actor, bp, utcnow
from bot.admin.lookups import Lookups, deadline_badge
from bot.database import db_session
from handlers.workflow import WorkCalendar
from handlers.workflow.inbox import SORTS, InboxFilter, inbox_page
from handlers.workflow.labels import LEGAL_TYPE_LABELS, STAFF_STATE_LABELS
from nlp.pii import mask
from storage.models.enums import LegalType, PetitionState

FLAGS = ("overdue", "urgent", "unassigned", "manual")


def _int(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


def parse_filter() -> InboxFilter:
    """The filter from the query string; unknown values fall back to the defaults."""
    args = request.args
    state = args.get("state", "open")
    if state not in {"open", "all", *PetitionState}:
        state = "open"
    legal = args.get("legal_type") or None
    return InboxFilter(
        state=state,
        ward_id=_int("ward"),
        category_id=_int("category"),
        legal_type=legal if legal in set(LegalType) else None,
        agency_id=_int("agency"),
        assignee_id=_int("assignee"),
        overdue=args.get("overdue") == "1",
        urgent=args.get("urgent") == "1",
        unassigned=args.get("unassigned") == "1",
        manual=args.get("manual") == "1",
        q=args.get("q", "")[:200],
        sort=_sort(args.get("sort"), overdue=args.get("overdue") == "1"),
    )


def _sort(value: str | None, *, overdue: bool) -> str:
    """The chosen sort; the overdue list defaults to the most overdue first."""
    if value in SORTS:
        return str(value)
    return "deadline" if overdue else "time"


def _query_args(f: InboxFilter) -> dict[str, Any]:
    """The filter back as query arguments (for the next-page link)."""
    raw = {
        "state": f.state,
        "ward": f.ward_id,
        "category": f.category_id,
        "legal_type": f.legal_type,
        "agency": f.agency_id,
        "assignee": f.assignee_id,
        "q": f.q,
        "sort": f.sort,
        **{flag: "1" for flag in FLAGS if getattr(f, flag)},
    }
    return {k: v for k, v in raw.items() if v not in (None, "")}


@bp.get("/")
def inbox() -> ResponseReturnValue:
    """The inbox page."""
    s = db_session()
    who = actor()
    f = parse_filter()
    now = utcnow()
    page = inbox_page(s, who, f, now=now, cursor=request.args.get("after"))
    names = Lookups.load(s)
    cal = WorkCalendar.load(s)
    rows = [
        {
            "row": r,
            "due": deadline_badge(r.state, r.next_due_at, now, cal),
            # A liaison never sees personal data in the list either.
            "summary": mask(r.summary or "") if who.is_liaison else r.summary,
        }
        for r in page.rows
    ]
    return render_template(
        "admin/inbox.html",
        rows=rows,
        f=f,
        args=_query_args(f),
        next_cursor=page.next_cursor,
        first_page=not request.args.get("after"),
        names=names,
        wards=names.wards_for(who),
        states=STAFF_STATE_LABELS,
        legal_types=LEGAL_TYPE_LABELS,
        is_liaison=who.is_liaison,
    )
