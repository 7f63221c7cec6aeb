"""Counting one petition's history into the report's measures: the chain, the answers and
their deadlines, the overdue list, the forwards by agency. figures.py says what each measure
means."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.reports.history import SETTLED, UNDECIDED, Change, Trail
from handlers.reports.periods import Period, month_of
from handlers.workflow.calendar import WorkCalendar, end_of_day, local_date
from handlers.workflow.labels import CHANNEL_LABELS, LEGAL_TYPE_LABELS
from storage.models import Agency, Category, Ward
from storage.models.enums import CloseReason
from storage.models.enums import PetitionState as S

MEASURES = (
    "carried_in",
    "received",
    "reopened",
    "settled",
    "withdrawn",
    "carried_out",
    "merged",
    "forwarded",
    "answered",
    "answered_front",
    "answered_agency",
    "on_time",
    "late",
    "overdue_open",
    "overdue",
    "closed",
    "feedback",
    "satisfied",
)
FRONT = "__front__"
FRONT_NAME = "Mặt trận: tự trả lời hoặc chưa chuyển"
UNKNOWN = "__unknown__"
UNKNOWN_NAME = "Chưa xác định"
DIMENSIONS = ("field", "ward", "channel", "type", "agency")
LIST_LIMIT = 20000


class Tally:
    """Counts by measure, in total and per key of each dimension."""

    def __init__(self) -> None:
        self.totals: Counter[str] = Counter()
        self.by: dict[str, dict[str, Counter[str]]] = {d: defaultdict(Counter) for d in DIMENSIONS}

    def add(self, measure: str, keys: dict[str, str], n: int = 1) -> None:
        self.totals[measure] += n
        for dim, key in keys.items():
            self.by[dim][key][measure] += n


class Names:
    """Codes, names and display order of fields, wards and agencies (read once)."""

    def __init__(self, session: Session) -> None:
        self.fields = {
            r.id: (r.code, r.name, r.sort_order)
            for r in session.execute(
                select(Category.id, Category.code, Category.name, Category.sort_order)
            )
        }
        self.wards = {
            r.id: (r.code, r.name, r.sort_order)
            for r in session.execute(select(Ward.id, Ward.code, Ward.name, Ward.sort_order))
        }
        self.agencies = {
            r.id: (r.code, r.name)
            for r in session.execute(select(Agency.id, Agency.code, Agency.name))
        }

    def keys(self, trail: Trail) -> dict[str, str]:
        field = self.fields.get(trail.category_id or -1)
        ward = self.wards.get(trail.ward_id or -1)
        return {
            "field": field[0] if field else UNKNOWN,
            "ward": ward[0] if ward else UNKNOWN,
            "channel": trail.channel,
            "type": trail.legal_type or UNKNOWN,
        }

    def agency(self, agency_id: int) -> tuple[str, str]:
        return self.agencies.get(agency_id, (UNKNOWN, UNKNOWN_NAME))

    def label(self, dim: str, key: str) -> tuple[str, int]:
        """A key's name and sort order."""
        if key == UNKNOWN:
            return UNKNOWN_NAME, 10_000
        if key == FRONT:
            return FRONT_NAME, -1
        return self._labels[dim].get(key, (key, 9_999))

    @cached_property
    def _labels(self) -> dict[str, dict[str, tuple[str, int]]]:
        channels, types = list(CHANNEL_LABELS), list(LEGAL_TYPE_LABELS)
        return {
            "field": {code: (name, order) for code, name, order in self.fields.values()},
            "ward": {code: (f"Phường {name}", order) for code, name, order in self.wards.values()},
            "agency": {code: (name, 0) for code, name in self.agencies.values()},
            "channel": {k: (v, channels.index(k)) for k, v in CHANNEL_LABELS.items()},
            "type": {k: (v, types.index(k)) for k, v in LEGAL_TYPE_LABELS.items()},
        }


#: (status, due date ISO, code, trail, agency key, agency name, due date, answered at): sorted
#: on the first three, and turned into a row only when kept.
Overdue = tuple[str, str, str, Trail, str, str, date, datetime | None]


class LateDays:
    """Working days from a deadline to the last day counted. Overdue forwards can be years
    old and number in thousands: the counts are built once, walking back from the last day."""

    def __init__(self, cal: WorkCalendar, as_of: datetime) -> None:
        self.cal, self.last = cal, local_date(as_of - timedelta(microseconds=1))
        self.back: dict[date, int] = {self.last: 0}  # working days in (day, last]
        self.earliest = self.last

    def __call__(self, due: date) -> int:
        if due > self.last:
            return 0
        while self.earliest > due:
            after = self.earliest
            self.earliest = after - timedelta(days=1)
            self.back[self.earliest] = self.back[after] + self.cal.is_working_day(after)
        return self.back[due]


def count_flow(
    tally: Tally,
    trail: Trail,
    keys: dict[str, str],
    start: datetime,
    as_of: datetime,
    by_month: Counter[str],
) -> None:
    """Carried in, received, reopened, settled, carried out — the chain of the period."""
    before = trail.state_at(start)
    if before is not None and before not in SETTLED:
        tally.add("carried_in", keys)
    if start <= trail.received_at < as_of:
        tally.add("received", keys)
        by_month[month_of(local_date(trail.received_at)).key] += 1
    for change in trail.changes_in(start, as_of):
        if change.settles:
            tally.add("settled", keys)
            if withdrawn(trail, change):
                tally.add("withdrawn", keys)
        elif change.unsettles:
            tally.add("reopened", keys)
        if change.to_state == S.CLOSED:
            tally.add("closed", keys)
            if change.action == "merge":
                tally.add("merged", keys)
    after = trail.state_at(as_of)
    if after is not None and after not in SETTLED:
        tally.add("carried_out", keys)


def withdrawn(trail: Trail, change: Change) -> bool:
    """The citizen withdrew: the close ends the Front's work (settled) but solved nothing, so
    the report names it apart from «giải quyết xong» (petition-workflow.md: closed, reason)."""
    if change.to_state != S.CLOSED or change.action in {"merge", "feedback"}:
        return False
    return change.action == "withdraw" or trail.close_reason == CloseReason.WITHDRAWN


def count_answers(
    tally: Tally,
    trail: Trail,
    keys: dict[str, str],
    names: Names,
    start: datetime,
    as_of: datetime,
    overdue: list[Overdue],
    cal: WorkCalendar,
) -> None:
    """Answers given in the period, on time or late: the Front's own and the agencies'."""
    for change in trail.changes_in(start, as_of):
        if change.to_state != S.ANSWERED_BY_FRONT:
            continue
        due = trail.decision_due(change.at, cal)
        late = change.at >= end_of_day(due)
        tally.add("answered", {**keys, "agency": FRONT})
        tally.add("answered_front", {**keys, "agency": FRONT})
        tally.add("late" if late else "on_time", {**keys, "agency": FRONT})
        if late:
            overdue.append(
                ("late", due.isoformat(), trail.code, trail, FRONT, FRONT_NAME, due, change.at)
            )
    for forward in trail.forwards:
        if forward.answered_at is None or not start <= forward.answered_at < as_of:
            continue
        code, name = names.agency(forward.agency_id)
        agency_keys = {**keys, "agency": code}
        tally.add("answered", agency_keys)
        tally.add("answered_agency", agency_keys)
        tally.add("on_time" if forward.on_time else "late", agency_keys)
        if not forward.on_time:
            item = ("late", forward.due_on.isoformat(), trail.code, trail, code, name)
            overdue.append((*item, forward.due_on, forward.answered_at))


def count_overdue(
    tally: Tally,
    trail: Trail,
    keys: dict[str, str],
    names: Names,
    as_of: datetime,
    overdue: list[Overdue],
    cal: WorkCalendar,
) -> None:
    """A deadline that has run out by `as_of` with no answer yet (never one still to come)."""
    forward = trail.running_forward(as_of)
    if forward is not None:
        due = forward.due_on
        code, name = names.agency(forward.agency_id)
    elif trail.state_at(as_of) in UNDECIDED:
        due = trail.decision_due(as_of, cal)
        code, name = FRONT, FRONT_NAME
    else:
        return
    if end_of_day(due) > as_of:
        return
    tally.add("overdue_open", {**keys, "agency": code})
    overdue.append(("open", due.isoformat(), trail.code, trail, code, name, due, None))


def count_forwards(tally: Tally, trails: list[Trail], names: Names, period: Period) -> None:
    """Forwards sent in the period, by agency: what each agency received from the Front."""
    for trail in trails:
        keys = names.keys(trail)
        for forward in trail.forwards:
            if period.contains(forward.sent_on):
                tally.add("forwarded", {**keys, "agency": names.agency(forward.agency_id)[0]})


def overdue_row(names: Names, late_days: LateDays, item: Overdue) -> dict[str, Any]:
    """One line of the overdue list (built only for the lines kept)."""
    status, due_iso, code, trail, agency_key, agency, due, answered = item
    keys = names.keys(trail)
    return {
        "code": code,
        "field": names.label("field", keys["field"])[0],
        "ward": names.label("ward", keys["ward"])[0],
        "agency_key": agency_key,
        "agency": agency,
        "due_on": due_iso,
        "status": status,
        "answered_on": local_date(answered).isoformat() if answered else None,
        "days_late": late_days(due) if status == "open" else None,
    }
