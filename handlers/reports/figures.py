"""The report's figures for a period and a scope (the whole area or one ward).

Definitions (the columns of every table, as the report's notes explain them):
- carried_in: petitions received before the period and not settled when it began;
  received: petitions received in the period; reopened: settled petitions reopened in it;
  settled: petitions whose handling ended in it (answered by the Front, result sent to the
  citizen, or closed — a merged duplicate too), withdrawn: those of them the citizen withdrew
  (shown apart: nothing was solved); carried_out: not settled at the period's end.
  carried_in + received + reopened − settled = carried_out, exactly, because every count is
  replayed from the audit trail.
- forwarded: forwards sent in the period (a re-forward counts again); for an agency, what
  was forwarded to it ("Tiếp nhận" in the agency table).
- answered: answers given in the period — the Front's own (answered_by_front) and agencies'
  (the forward's answer); on_time: before the deadline ran out (the forward's handler
  deadline, extensions and paused days included; for the Front, 10 days from receipt plus
  paused days); late: after it.
- overdue_open: at the period's end (or now, for the running period), deadlines that have
  run out without an answer — a forward an agency still holds, or a petition the Front has
  not decided. A deadline that has not run out yet is never overdue, and a paused clock
  (waiting on the citizen) is not counted. overdue = late + overdue_open; the on-time rate
  is on_time / (answered + overdue_open).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from handlers.reports import counting
from handlers.reports.counting import (
    DIMENSIONS,
    FRONT,
    FRONT_NAME,
    LIST_LIMIT,
    MEASURES,
    UNKNOWN,
    UNKNOWN_NAME,
    Names,
    Tally,
)
from handlers.reports.history import SETTLED, Trail, feedback_answers, load_trails, ratings
from handlers.reports.periods import Period
from handlers.workflow.calendar import WorkCalendar, end_of_day, local_date, start_of_day
from handlers.workflow.labels import CLOSE_REASON_LABELS, STAFF_STATE_LABELS
from storage.models import Ward
from storage.models.enums import CloseReason
from storage.models.enums import PetitionState as S

#: Rows of the overdue list kept (oldest deadlines first); the totals count every one.
OVERDUE_LIMIT = 1000

__all__ = ["FRONT", "FRONT_NAME", "MEASURES", "compute", "compute_scopes"]


def compute(
    session: Session,
    period: Period,
    *,
    ward: Ward | None,
    now: datetime,
    calendar: WorkCalendar | None = None,
) -> dict[str, Any]:
    """Every figure of the report of `period` for `ward` (None: the whole area), as of the
    period's end — or `now`, while the period runs. JSON-ready: a sent version stores it."""
    return compute_scopes(session, period, [ward], now=now, calendar=calendar)[0]


def compute_scopes(
    session: Session,
    period: Period,
    wards: Sequence[Ward | None],
    *,
    now: datetime,
    calendar: WorkCalendar | None = None,
    detail: bool = True,
) -> list[dict[str, Any]]:
    """The figures of several scopes from one read of the petitions (the monthly job's five
    reports cost one pass, not five); without `detail`, no lists (a comparison's figures)."""
    start, end = start_of_day(period.first), start_of_day(period.after)
    as_of = min(now, end)
    cal = calendar if calendar is not None else WorkCalendar.load(session)
    names = Names(session)
    only = wards[0].id if len(wards) == 1 and wards[0] is not None else None
    trails = load_trails(session, start, as_of, only)
    feedback = list(feedback_answers(session, start, as_of, only))
    rated = ratings(session, sorted({pid for pid, _, _ in feedback}))
    window = Window(period, start, as_of, counting.LateDays(cal, as_of), names, detail)
    return [
        _figures(
            window,
            ward,
            [t for t in trails if ward is None or t.ward_id == ward.id],
            [(pid, ok) for pid, ward_id, ok in feedback if ward is None or ward_id == ward.id],
            rated,
        )
        for ward in wards
    ]


@dataclass(frozen=True, slots=True)
class Window:
    """What every scope of one computation shares."""

    period: Period
    start: datetime
    as_of: datetime
    late_days: counting.LateDays
    names: Names
    detail: bool = True  # the overdue list and the list of petitions


def _figures(
    w: Window,
    ward: Ward | None,
    trails: list[Trail],
    feedback: list[tuple[int, bool]],
    rated: dict[int, int],
) -> dict[str, Any]:
    names, start, as_of = w.names, w.start, w.as_of
    tally = Tally()
    by_month: Counter[str] = Counter()
    overdue: list[counting.Overdue] = []
    for trail in trails:
        keys = names.keys(trail)
        counting.count_flow(tally, trail, keys, start, as_of, by_month)
        counting.count_answers(tally, trail, keys, names, start, as_of, overdue, w.late_days.cal)
        counting.count_overdue(tally, trail, keys, names, as_of, overdue, w.late_days.cal)
    counting.count_forwards(tally, trails, names, w.period)
    for ward_id, (code, _name, _order) in names.wards.items():  # every ward, even a quiet one
        if ward is None or ward.id == ward_id:
            tally.by["ward"][code]["received"] += 0
    for _pid, satisfied in feedback:
        tally.totals["feedback"] += 1
        tally.totals["satisfied"] += satisfied
    scores = [rated[pid] for pid in {pid for pid, _ in feedback} if pid in rated]
    tally.totals["overdue"] = tally.totals["late"] + tally.totals["overdue_open"]
    for dim in DIMENSIONS:
        for counts in tally.by[dim].values():
            counts["overdue"] = counts["late"] + counts["overdue_open"]
    return {
        "period": w.period.key,
        "scope": ward.code if ward else "all",
        "as_of": as_of.isoformat(),
        "complete": as_of >= start_of_day(w.period.after),
        "totals": {m: int(tally.totals[m]) for m in MEASURES},
        "ratings": {"count": len(scores), "sum": sum(scores)},
        **{f"by_{dim}": _rows(tally, names, dim) for dim in DIMENSIONS},
        "by_month": [
            {"key": m.key, "name": m.short, "received": by_month[m.key]} for m in w.period.months()
        ],
        "closed_by_reason": _reasons(trails, start, as_of),
        "overdue_list": _overdue_rows(w, overdue),
        "petitions": _listing(trails, names, start, as_of) if w.detail else [],
    }


def _rows(tally: Tally, names: Names, dim: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for key, counts in tally.by[dim].items():
        name, order = names.label(dim, key)
        rows.append(
            {"key": key, "name": name, "order": order, **{m: int(counts[m]) for m in MEASURES}}
        )
    if dim == "agency":
        rows.sort(key=lambda r: (r["order"], -r["forwarded"], -r["answered"], r["name"]))
    else:
        rows.sort(key=lambda r: (r["order"], r["name"]))
    return rows


def _reasons(trails: list[Trail], start: datetime, as_of: datetime) -> list[dict[str, Any]]:
    """Closures in the period by the reason each was given (older trails, written before the
    close note named it: the petition's latest reason)."""
    counts: Counter[str] = Counter()
    for trail in trails:
        for change in trail.changes_in(start, as_of):
            if change.to_state != S.CLOSED:
                continue
            if change.action == "merge":
                counts[CloseReason.DUPLICATE] += 1
            elif change.action == "feedback":
                counts[CloseReason.RESOLVED] += 1
            else:
                counts[change.reason or trail.close_reason or UNKNOWN] += 1
    order = list(CLOSE_REASON_LABELS)
    return [
        {"key": k, "name": CLOSE_REASON_LABELS.get(k, UNKNOWN_NAME), "closed": n}
        for k, n in sorted(
            counts.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99
        )
    ]


def _overdue_rows(w: Window, overdue: list[counting.Overdue]) -> list[dict[str, Any]]:
    if not w.detail:
        return []
    kept = sorted(overdue, key=lambda item: item[:3])[:OVERDUE_LIMIT]
    return [counting.overdue_row(w.names, w.late_days, item) for item in kept]


def _listing(
    trails: list[Trail], names: Names, start: datetime, as_of: datetime
) -> list[dict[str, Any]]:
    """The petitions of the period — received in it or carried into it — as they stood."""
    rows: list[dict[str, Any]] = []
    for trail in trails:
        if len(rows) >= LIST_LIMIT:
            break
        state = trail.state_at(as_of)
        before = trail.state_at(start)
        if state is None or (
            before is not None and before in SETTLED and not any(trail.changes_in(start, as_of))
        ):
            continue
        keys = names.keys(trail)
        forward = trail.forward_at(as_of)
        agency = names.agency(forward.agency_id)[1] if forward else ""
        answered = forward.answered_at if forward and forward.answered_before(as_of) else None
        result = ""
        if answered is not None and forward is not None:
            result = "Đúng hạn" if forward.on_time else "Quá hạn"
        elif (
            forward is not None
            and trail.running_forward(as_of)
            and end_of_day(forward.due_on) <= as_of
        ):
            result = "Đang quá hạn"
        rows.append(
            {
                "code": trail.code,
                "received_on": local_date(trail.received_at).isoformat(),
                "channel": names.label("channel", keys["channel"])[0],
                "field": names.label("field", keys["field"])[0],
                "ward": names.label("ward", keys["ward"])[0],
                "type": names.label("type", keys["type"])[0],
                "state": STAFF_STATE_LABELS.get(state, state),
                "agency": agency,
                "due_on": forward.due_on.isoformat() if forward else "",
                "answered_on": local_date(answered).isoformat() if answered else "",
                "result": result,
            }
        )
    return rows
