"""The monthly report's figures: received, forwarded, answered, overdue — by field, ward, agency.

Definitions (what the report's columns mean):
- received: petitions whose received_at falls in the month (local time);
- forwarded: forwards sent in the month (a re-forward counts again);
- answered: answers recorded in the month — the Front's own (answered_by_front) and agencies'
  (agency_answered), from the audit trail; per agency, forwards answered in the month;
- overdue: forwards whose handler deadline fell in the month and that were not answered by the
  end of that day (answered later, or not yet); on_time: answered by then.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from handlers.workflow.calendar import end_of_day, local_date, start_of_day
from storage.models import Agency, Category, Forward, Petition, PetitionEvent, Ward
from storage.models.enums import PetitionState as S

MEASURES = ("received", "forwarded", "answered", "overdue", "on_time")


def previous_month(now: datetime) -> tuple[date, str]:
    """The first day and the 'YYYY-MM' period of the month before `now` (local)."""
    today = local_date(now)
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return date(year, month, 1), f"{year:04d}-{month:02d}"


def _next_month(first: date) -> date:
    return date(first.year + (first.month == 12), first.month % 12 + 1, 1)


def compute_month(session: Session, first: date) -> dict[str, Any]:
    """Every figure of one month, by field (category code), ward code and agency code."""
    after = _next_month(first)
    start, end = start_of_day(first), start_of_day(after)
    names = _codes(session)
    totals: dict[str, int] = dict.fromkeys(MEASURES, 0)
    by: dict[str, dict[str, dict[str, int]]] = {
        "field": defaultdict(lambda: dict.fromkeys(MEASURES, 0)),
        "ward": defaultdict(lambda: dict.fromkeys(MEASURES, 0)),
        "agency": defaultdict(lambda: dict.fromkeys(MEASURES, 0)),
    }

    def add(measure: str, rows: Any, dims: tuple[str, ...]) -> None:
        for row in rows:
            *keys, n = row
            totals[measure] += n
            for dim, key in zip(dims, keys, strict=True):
                by[dim][names[dim].get(key, "khong_ro")][measure] += n

    received = (
        select(Petition.category_id, Petition.ward_id, func.count())
        .where(Petition.received_at >= start, Petition.received_at < end)
        .group_by(Petition.category_id, Petition.ward_id)
    )
    add("received", session.execute(received), ("field", "ward"))
    forwarded = _forward_counts(and_(Forward.sent_on >= first, Forward.sent_on < after))
    add("forwarded", session.execute(forwarded), ("field", "ward", "agency"))
    answered = (
        select(Petition.category_id, Petition.ward_id, func.count())
        .select_from(PetitionEvent)
        .join(Petition, Petition.id == PetitionEvent.petition_id)
        .where(
            PetitionEvent.created_at >= start,
            PetitionEvent.created_at < end,
            PetitionEvent.to_state.in_((S.ANSWERED_BY_FRONT, S.AGENCY_ANSWERED)),
            PetitionEvent.from_state != PetitionEvent.to_state,
        )
        .group_by(Petition.category_id, Petition.ward_id)
    )
    add("answered", session.execute(answered), ("field", "ward"))
    by_agency_answered = (
        select(Forward.agency_id, func.count())
        .where(Forward.answered_at >= start, Forward.answered_at < end)
        .group_by(Forward.agency_id)
    )
    for agency_id, n in session.execute(by_agency_answered):
        by["agency"][names["agency"].get(agency_id, "khong_ro")]["answered"] += n
    due = session.execute(
        select(Petition.category_id, Petition.ward_id, Forward.agency_id)
        .add_columns(Forward.handler_due_on, Forward.answered_at)
        .select_from(Forward)
        .join(Petition, Petition.id == Forward.petition_id)
        .where(Forward.handler_due_on >= first, Forward.handler_due_on < after)
    )
    outcome: dict[tuple[str, Any, Any, Any], int] = defaultdict(int)
    for category_id, ward_id, agency_id, due_on, answered_at in due:
        late = answered_at is None or answered_at >= end_of_day(due_on)
        outcome[("overdue" if late else "on_time", category_id, ward_id, agency_id)] += 1
    for measure in ("overdue", "on_time"):
        rows = [(*k[1:], n) for k, n in outcome.items() if k[0] == measure]
        add(measure, rows, ("field", "ward", "agency"))
    return {
        "period": f"{first:%Y-%m}",
        "totals": totals,
        "by_field": dict(by["field"]),
        "by_ward": dict(by["ward"]),
        "by_agency": dict(by["agency"]),
    }


def _forward_counts(where: Any) -> Select[int | None, int | None, int, int]:
    return (
        select(Petition.category_id, Petition.ward_id, Forward.agency_id, func.count())
        .select_from(Forward)
        .join(Petition, Petition.id == Forward.petition_id)
        .where(where)
        .group_by(Petition.category_id, Petition.ward_id, Forward.agency_id)
    )


def _codes(session: Session) -> dict[str, dict[Any, str]]:
    return {
        "field": {k: v for k, v in session.execute(select(Category.id, Category.code))},
        "ward": {k: v for k, v in session.execute(select(Ward.id, Ward.code))},
        "agency": {k: v for k, v in session.execute(select(Agency.id, Agency.code))},
    }
