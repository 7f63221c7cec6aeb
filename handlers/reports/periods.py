"""Report periods: a month (2026-11), a quarter (2026-Q4) or a year (2026), in local dates.

A period is refused when it is malformed, before the system's time, or has not begun yet:
a report of 9999-12 or 0000-01 is a typing mistake or a probe, never a request to honour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from handlers.workflow.calendar import local_date

MIN_YEAR = 2020
ROMAN = ("I", "II", "III", "IV")
_FORMS = (
    ("month", re.compile(r"^([0-9]{4})-([0-9]{2})$")),
    ("quarter", re.compile(r"^([0-9]{4})-[Qq]([1-4])$")),
    ("year", re.compile(r"^([0-9]{4})$")),
)


class BadPeriod(ValueError):
    """A period that cannot be reported on; the message is shown to the officer."""


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A month, a quarter or a year; `number` is the month or quarter (0 for a year)."""

    year: int
    kind: str
    number: int = 0

    @property
    def key(self) -> str:
        """The stable text form used in links and in stored versions."""
        if self.kind == "month":
            return f"{self.year:04d}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year:04d}-Q{self.number}"
        return f"{self.year:04d}"

    @property
    def first(self) -> date:
        """The first local date of the period."""
        if self.kind == "month":
            return date(self.year, self.number, 1)
        if self.kind == "quarter":
            return date(self.year, 3 * self.number - 2, 1)
        return date(self.year, 1, 1)

    @property
    def after(self) -> date:
        """The first local date after the period."""
        if self.kind == "year":
            return date(self.year + 1, 1, 1)
        months = 1 if self.kind == "month" else 3
        month = self.first.month + months
        return date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def label(self) -> str:
        """As the report's title says it: "tháng 11 năm 2026", "quý IV năm 2026", "năm 2026"."""
        if self.kind == "month":
            return f"tháng {self.number} năm {self.year}"
        if self.kind == "quarter":
            return f"quý {ROMAN[self.number - 1]} năm {self.year}"
        return f"năm {self.year}"

    @property
    def short(self) -> str:
        """For tables and charts: "11/2026", "Quý IV/2026", "Năm 2026"."""
        if self.kind == "month":
            return f"{self.number:02d}/{self.year}"
        if self.kind == "quarter":
            return f"Quý {ROMAN[self.number - 1]}/{self.year}"
        return f"Năm {self.year}"

    @property
    def noun(self) -> str:
        """ "tháng", "quý" or "năm"."""
        return {"month": "tháng", "quarter": "quý", "year": "năm"}[self.kind]

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        if self.kind == "year":
            return Period(self.year - 1, "year")
        last = 12 if self.kind == "month" else 4
        if self.number > 1:
            return Period(self.year, self.kind, self.number - 1)
        return Period(self.year - 1, self.kind, last)

    def following(self) -> Period:
        """The period of the same kind just after this one."""
        if self.kind == "year":
            return Period(self.year + 1, "year")
        last = 12 if self.kind == "month" else 4
        if self.number < last:
            return Period(self.year, self.kind, self.number + 1)
        return Period(self.year + 1, self.kind, 1)

    def months(self) -> list[Period]:
        """The months the period covers (for the month-by-month chart)."""
        if self.kind == "month":
            return [self]
        start = self.first.month
        count = 3 if self.kind == "quarter" else 12
        return [Period(self.year, "month", start + i) for i in range(count)]

    def contains(self, day: date) -> bool:
        """Whether a local date falls in the period."""
        return self.first <= day < self.after


def month_of(day: date) -> Period:
    """The month a local date falls in."""
    return Period(day.year, "month", day.month)


def quarter_of(day: date) -> Period:
    """The quarter a local date falls in."""
    return Period(day.year, "quarter", (day.month - 1) // 3 + 1)


def periods_of(day: date) -> list[Period]:
    """The month, the quarter and the year a local date falls in."""
    return [month_of(day), quarter_of(day), Period(day.year, "year")]


def current_month(now: datetime) -> Period:
    """The month now falls in (Vietnam time)."""
    return month_of(local_date(now))


def previous_month(now: datetime) -> Period:
    """The last month that has ended."""
    return current_month(now).previous()


def parse_period(text: str | None, now: datetime) -> Period:
    """The period `text` names; the current month when empty. Raises BadPeriod."""
    if text is None or not text.strip():
        return current_month(now)
    value = text.strip()
    for kind, form in _FORMS:
        match = form.match(value)
        if match:
            return _checked(
                kind, int(match.group(1)), int(match.group(2) or 0) if kind != "year" else 0, now
            )
    raise BadPeriod("Kỳ báo cáo phải có dạng 2026-11 (tháng), 2026-Q4 (quý) hoặc 2026 (năm).")


def _checked(kind: str, year: int, number: int, now: datetime) -> Period:
    if kind == "month" and not 1 <= number <= 12:
        raise BadPeriod("Tháng phải từ 01 đến 12.")
    if year < MIN_YEAR:
        raise BadPeriod(f"Không có số liệu trước năm {MIN_YEAR}.")
    period = Period(year, kind, number)
    if period.first > local_date(now):
        raise BadPeriod("Kỳ báo cáo này chưa bắt đầu.")
    return period


def recent_periods(
    now: datetime, months: int = 24, quarters: int = 8, years: int = 3
) -> list[Period]:
    """The periods the page offers, newest first within each kind."""
    month = current_month(now)
    out: list[Period] = []
    for _ in range(months):
        out.append(month)
        month = month.previous()
    quarter = quarter_of(local_date(now))
    for _ in range(quarters):
        out.append(quarter)
        quarter = quarter.previous()
    year = Period(local_date(now).year, "year")
    for _ in range(years):
        out.append(year)
        year = year.previous()
    return [p for p in out if p.year >= MIN_YEAR]
