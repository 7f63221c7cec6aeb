"""The monthly report staff send upward: figures by field, ward and agency, and the agencies
ranked by how many of their answers came on time.

A closed month is read from `monthly_stats` (what the monthly job stored, so a report sent
once never changes); the current month, or a closed month the job has not reached, is
computed from the petitions. Names come from the reference tables; codes that no longer
exist show as "Không rõ".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.reminders.stats import MEASURES, compute_month
from handlers.workflow.calendar import local_date
from storage.models import Agency, Category, MonthlyStat, Ward

PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
UNKNOWN = "Không rõ"


class BadPeriod(ValueError):
    """Not a month in the form YYYY-MM."""


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a table: a field, ward or agency and its figures."""

    name: str
    figures: dict[str, int]

    @property
    def on_time_rate(self) -> float | None:
        """Share of due answers that came on time (None when nothing fell due)."""
        due = self.figures["on_time"] + self.figures["overdue"]
        return self.figures["on_time"] / due if due else None


@dataclass(frozen=True, slots=True)
class MonthReport:
    """Everything the report page and its Excel file show."""

    period: str
    first: date
    stored: bool  # read from monthly_stats (the month is closed and summarised)
    totals: dict[str, int]
    by_field: list[Row]
    by_ward: list[Row]
    by_agency: list[Row]

    @property
    def ranking(self) -> list[Row]:
        """Agencies with answers due in the month, best on-time rate first."""
        rated = [r for r in self.by_agency if r.on_time_rate is not None]
        return sorted(rated, key=lambda r: (-(r.on_time_rate or 0), -r.figures["on_time"], r.name))


def parse_period(text: str | None, now: datetime) -> date:
    """The first day of the month `text` names ("2026-11"); the current month when empty."""
    if not text:
        today = local_date(now)
        return date(today.year, today.month, 1)
    match = PERIOD.match(text.strip())
    if not match:
        raise BadPeriod(text)
    return date(int(match.group(1)), int(match.group(2)), 1)


def _rows(session: Session, model: Any, figures: dict[str, dict[str, int]]) -> list[Row]:
    names = {code: name for code, name in session.execute(select(model.code, model.name))}
    rows = [
        Row(names.get(code, UNKNOWN), {m: int(values.get(m, 0)) for m in MEASURES})
        for code, values in figures.items()
    ]
    return sorted(rows, key=lambda r: (-r.figures["received"], -r.figures["forwarded"], r.name))


def month_report(session: Session, first: date) -> MonthReport:
    """The report of the month starting on `first`."""
    period = f"{first:%Y-%m}"
    stored = session.get(MonthlyStat, period)
    figures = stored.figures if stored is not None else compute_month(session, first)
    return MonthReport(
        period=period,
        first=first,
        stored=stored is not None,
        totals={m: int(figures["totals"].get(m, 0)) for m in MEASURES},
        by_field=_rows(session, Category, figures["by_field"]),
        by_ward=_rows(session, Ward, figures["by_ward"]),
        by_agency=_rows(session, Agency, figures["by_agency"]),
    )
