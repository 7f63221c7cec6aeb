"""Working days in Vietnam: weekends, Tết, substitute days, làm-bù Saturdays, local dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from handlers.workflow import WorkCalendar, add_days, end_of_day, local_date


@pytest.fixture
def cal(db_session: Session) -> WorkCalendar:
    return WorkCalendar.load(db_session)


def test_weekends_are_skipped(cal: WorkCalendar) -> None:
    friday = date(2026, 11, 6)
    assert cal.add_working_days(friday, 1) == date(2026, 11, 9)
    assert cal.add_working_days(date(2026, 11, 7), 1) == date(2026, 11, 9)  # Saturday
    assert cal.add_working_days(friday, 3) == date(2026, 11, 11)


def test_tet_2026_is_skipped(cal: WorkCalendar) -> None:
    # 16–20 February 2026 are Tết holidays: Friday 13th + 1 working day is Monday 23rd.
    assert all(not cal.is_working_day(date(2026, 2, d)) for d in range(14, 23))
    assert cal.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert cal.add_working_days(date(2026, 2, 13), 3) == date(2026, 2, 25)
    assert cal.working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1


def test_substitute_day_and_compensating_saturday(cal: WorkCalendar) -> None:
    assert cal.is_working_day(date(2026, 8, 22))  # Saturday worked in exchange
    assert not cal.is_working_day(date(2026, 8, 31))  # the Monday taken off
    assert cal.add_working_days(date(2026, 8, 21), 1) == date(2026, 8, 22)
    assert cal.add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 3)  # 31/8, 1–2/9 off


def test_the_holiday_table_is_editable_data() -> None:
    cal = WorkCalendar.from_days(off=[date(2026, 11, 9)])
    assert cal.add_working_days(date(2026, 11, 6), 1) == date(2026, 11, 10)


@pytest.mark.parametrize("n", [0, 1, 2, 5, 10, 22, 60])
def test_between_is_the_inverse_of_add(cal: WorkCalendar, n: int) -> None:
    for offset in range(0, 400, 7):
        start = date(2025, 12, 1) + timedelta(days=offset)
        later = cal.add_working_days(start, n)
        assert cal.working_days_between(start, later) == n
        assert later == start or cal.is_working_day(later)
        assert cal.working_days_between(later, start) == -n


def test_walking_back(cal: WorkCalendar) -> None:
    assert cal.add_working_days(date(2026, 2, 23), -1) == date(2026, 2, 13)


def test_local_dates_are_vietnamese() -> None:
    late_utc = datetime(2026, 11, 1, 17, 30, tzinfo=UTC)  # 00:30 on 2 November in Tam Kỳ
    assert local_date(late_utc) == date(2026, 11, 2)
    assert end_of_day(date(2026, 11, 2)) == datetime(2026, 11, 2, 17, 0, tzinfo=UTC)
    assert add_days(date(2026, 2, 13), 10) == date(2026, 2, 23)
    with pytest.raises(ValueError):
        local_date(datetime(2026, 11, 1, 12, 0))  # noqa: DTZ001 - the naive case under test
