"""Working days in Asia/Ho_Chi_Minh: weekends and the editable holiday table (Tết included).

Rows of the holidays table with working_day=True are compensating working Saturdays (làm bù);
the other rows are days off. Deadlines are local calendar dates: a clock "due on D" runs out
at the end of D, local time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.clock import LOCAL_TZ
from storage.models import Holiday

_MAX_STEPS = 366 * 5  # a guard against a calendar that has no working day at all


def local_date(dt: datetime) -> date:
    """The calendar date in Vietnam of an aware instant."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime given to local_date")
    return dt.astimezone(LOCAL_TZ).date()


def end_of_day(day: date) -> datetime:
    """The aware UTC instant at which a deadline on a local date runs out (next midnight)."""
    return datetime.combine(day + timedelta(days=1), time(0), LOCAL_TZ).astimezone(UTC)


def start_of_day(day: date) -> datetime:
    """The aware UTC instant at which a local date begins."""
    return datetime.combine(day, time(0), LOCAL_TZ).astimezone(UTC)


def add_days(start: date, n: int) -> date:
    """Plain calendar days (the 10-day decision notice, statutory 30-day clocks)."""
    return start + timedelta(days=n)


@dataclass(frozen=True)
class WorkCalendar:
    """Which local dates are working days; build with `WorkCalendar.load(session)`."""

    days_off: frozenset[date] = field(default_factory=frozenset)
    working_weekend_days: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def load(cls, session: Session) -> WorkCalendar:
        """Read the holiday table (a few dozen rows per year)."""
        rows = session.execute(select(Holiday.day, Holiday.working_day)).all()
        return cls.from_days(
            off=(day for day, working in rows if not working),
            working=(day for day, working in rows if working),
        )

    @classmethod
    def from_days(cls, *, off: Iterable[date] = (), working: Iterable[date] = ()) -> WorkCalendar:
        """A calendar from explicit lists (tests, previews)."""
        return cls(frozenset(off), frozenset(working))

    def is_working_day(self, d: date) -> bool:
        """Monday to Friday unless a holiday; a làm-bù Saturday is a working day."""
        if d in self.working_weekend_days:
            return True
        return d.weekday() < 5 and d not in self.days_off

    def next_working_day(self, d: date) -> date:
        """`d` itself if it is a working day, else the first working day after it."""
        for _ in range(_MAX_STEPS):
            if self.is_working_day(d):
                return d
            d += timedelta(days=1)
        raise ValueError("no working day within five years")

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (start itself not counted); n<0 walks back."""
        step = timedelta(days=1 if n >= 0 else -1)
        remaining, d = abs(n), start
        for _ in range(_MAX_STEPS + remaining):
            if remaining == 0:
                return d
            d += step
            if self.is_working_day(d):
                remaining -= 1
        raise ValueError("no working day within five years")

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]; negative when b is before a. Inverse of add_working_days."""
        if b < a:
            return -self.working_days_between(b, a)
        count, d = 0, a
        while d < b:
            d += timedelta(days=1)
            count += self.is_working_day(d)
        return count

    def local_date(self, dt: datetime) -> date:
        """The calendar date in Vietnam of an aware instant."""
        return local_date(dt)

    def add_days(self, start: date, n: int) -> date:
        """Plain calendar days."""
        return add_days(start, n)
