"""Dates for the tests, taken from today so that no test expires.

CI runs the suite a second time with the clock moved 400 days ahead, so a test that needs "a
Monday of an ordinary week" or "a working day" asks for one here instead of writing a literal.
An ordinary stretch is checked against the official Vietnamese calendar of the years around
today (the one the holiday table is seeded from), so it holds whatever the database has seeded.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from handlers.seed import _official_days  # the list the holiday table is seeded from
from handlers.workflow.calendar import LOCAL_TZ, WorkCalendar, local_date

#: Days an ordinary stretch lasts after its Monday: the longest default clock (55 calendar
#: days for a complex khiếu nại) lands inside it, with a week to spare.
ORDINARY_SPAN = 63


def now() -> datetime:
    """The real current instant, aware UTC (what the app's clock reads)."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in Vietnam."""
    return local_date(now())


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """A local time in Vietnam on `day`, as an aware UTC instant."""
    return datetime.combine(day, time(hour, minute), LOCAL_TZ).astimezone(UTC)


def official_calendar(around: date) -> WorkCalendar:
    """The official days off and làm-bù Saturdays of the years around `around`."""
    days = _official_days((around.year - 1, around.year, around.year + 1))
    return WorkCalendar.from_days(
        off=(d for d, _, working in days if not working),
        working=(d for d, _, working in days if working),
    )


def is_ordinary(cal: WorkCalendar, first: date, last: date) -> bool:
    """Every weekday from `first` to `last` is worked and every weekend day is off."""
    day = first
    while day <= last:
        if cal.is_working_day(day) != (day.weekday() < 5):
            return False
        day += timedelta(days=1)
    return True


def ordinary_monday(before: date | None = None, span: int = ORDINARY_SPAN) -> date:
    """The latest Monday before `before` (default today) whose week before and `span` days
    after hold no holiday and no làm-bù Saturday: counts from it are plain day counts."""
    limit = before or today()
    cal = official_calendar(limit)
    monday = limit - timedelta(days=limit.weekday() or 7)
    for _ in range(104):
        if is_ordinary(cal, monday - timedelta(days=7), monday + timedelta(days=span)):
            return monday
        monday -= timedelta(days=7)
    raise AssertionError("no ordinary stretch in two years")


def working_day_after(cal: WorkCalendar, day: date) -> date:
    """The first weekday after `day` that is a working day of `cal` (not a làm-bù Saturday)."""
    day += timedelta(days=1)
    while day.weekday() >= 5 or not cal.is_working_day(day):
        day += timedelta(days=1)
    return day
