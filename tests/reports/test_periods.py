"""Report periods: months, quarters, years; malformed, too old or future periods refused."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from handlers.reports.periods import BadPeriod, Period, parse_period, recent_periods

NOW = datetime.now(UTC)


@pytest.mark.parametrize(
    ("text", "key", "first", "after", "label"),
    [
        ("2024-02", "2024-02", date(2024, 2, 1), date(2024, 3, 1), "tháng 2 năm 2024"),  # leap
        ("2025-12", "2025-12", date(2025, 12, 1), date(2026, 1, 1), "tháng 12 năm 2025"),
        ("2025-q4", "2025-Q4", date(2025, 10, 1), date(2026, 1, 1), "quý IV năm 2025"),
        ("2025-Q1", "2025-Q1", date(2025, 1, 1), date(2025, 4, 1), "quý I năm 2025"),
        (" 2025 ", "2025", date(2025, 1, 1), date(2026, 1, 1), "năm 2025"),
    ],
)
def test_periods_parse(text: str, key: str, first: date, after: date, label: str) -> None:
    period = parse_period(text, NOW)
    assert (period.key, period.first, period.after, period.label) == (key, first, after, label)


@pytest.mark.parametrize(
    "text",
    ["9999-12", "0000-01", "2026-13", "2026-00", "2026-Q5", "x'; drop", "2026-1", "20261", "٢٠٢٥"],
)
def test_bad_periods_are_refused_with_a_message(text: str) -> None:
    with pytest.raises(BadPeriod) as refused:
        parse_period(text, NOW)
    assert str(refused.value)  # the officer reads why


def test_empty_is_the_current_month_and_neighbours_wrap() -> None:
    today = datetime.now(UTC)
    period = parse_period("", today)
    assert period.kind == "month" and period.first <= today.date() < period.after
    assert Period(2026, "month", 1).previous() == Period(2025, "month", 12)
    assert Period(2026, "quarter", 4).following() == Period(2027, "quarter", 1)
    assert [m.key for m in Period(2026, "quarter", 2).months()] == ["2026-04", "2026-05", "2026-06"]
    offered = recent_periods(today)
    assert offered[0] == period and {p.kind for p in offered} == {"month", "quarter", "year"}
