"""Calendar arithmetic (SGF § 3-2 convention, RULES.md § 4: calendar months and years)."""

from __future__ import annotations

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from normalitet.sentencing.domain.dates import (
    add_calendar,
    completed,
    day_served,
    duration_days,
    month_length,
)

from .builders import d


@pytest.mark.parametrize(
    ("start", "years", "months", "days", "expected"),
    [
        ("2023-01-31", 0, 1, 0, "2023-02-28"),  # one month from 31 January: last day of February
        ("2024-01-31", 0, 1, 0, "2024-02-29"),  # ... in a leap year
        ("2024-02-29", 1, 0, 0, "2025-02-28"),  # a year from a leap day
        ("2024-02-29", 4, 0, 0, "2028-02-29"),
        ("2024-03-31", 0, -1, 0, "2024-02-29"),  # backwards, clamped
        ("2024-05-31", 0, -3, 0, "2024-02-29"),
        ("2023-12-15", 0, 1, 20, "2024-02-04"),  # months first, then days
        ("2024-01-01", 21, 0, 0, "2045-01-01"),
        ("2024-01-01", 0, 0, 0, "2024-01-01"),
        ("2023-11-30", 0, 14, 0, "2025-01-30"),
    ],
)
def test_sgf_3_2_calendar_arithmetic(
    start: str, years: int, months: int, days: int, expected: str
) -> None:
    assert add_calendar(d(start), years, months, days) == d(expected)


@given(
    st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31)),
    st.integers(-40, 40),
    st.integers(-500, 500),
    st.integers(0, 20000),
)
def test_sgf_3_2_calendar_arithmetic_matches_relativedelta(
    start: date, years: int, months: int, days: int
) -> None:
    expected = start + relativedelta(years=years, months=months, days=days)
    assert add_calendar(start, years, months, days) == expected


def test_sgf_3_2_duration_in_days_from_start() -> None:
    assert duration_days(d("2023-01-31"), months=1) == 28
    assert duration_days(d("2023-03-01"), years=1) == 366
    assert duration_days(d("2024-01-01"), years=21) == 7671


def test_sgf_3_2_day_n_days_are_served_is_s_plus_n_minus_d_minus_1() -> None:
    assert day_served(d("2024-03-04"), 74, 0) == d("2024-05-16")
    assert day_served(d("2024-03-04"), 74, 10) == d("2024-05-06")
    assert day_served(d("2024-03-04"), 1, 0) == d("2024-03-04")


def test_sgf_3_2_calendar_duration_completed_is_a_plus_x_minus_1() -> None:
    assert completed(d("2024-01-08"), months=4) == d("2024-05-07")
    assert completed(d("2023-10-31"), months=4) == d("2024-02-28")  # 29 Feb - 1


def test_month_length_gregorian_leap_years() -> None:
    assert [month_length(y, 2) for y in (1900, 2000, 2023, 2024)] == [28, 29, 28, 29]
