"""Table-driven tests of family contact's pure rules (contact/domain/rules.py): ages, months,
police checks, phone minutes, and the continuous total and problems of full isolation."""

from __future__ import annotations

import datetime as dt

import pytest

from normalitet.contact.domain import rules
from normalitet.contact.domain.rules import Period

D = dt.date


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (D(2008, 3, 2), D(2026, 3, 2), 18),  # the birthday itself
        (D(2008, 3, 3), D(2026, 3, 2), 17),  # the day before
        (D(2008, 2, 29), D(2026, 2, 28), 17),  # a leap-day birthday in a common year
        (D(2008, 2, 29), D(2026, 3, 1), 18),
    ],
)
def test_age_on(birth, on, age):
    assert rules.age_on(birth, on) == age


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2026, 3, 15), 12, D(2027, 3, 15)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2100, 1, 31), 1, D(2100, 2, 28)),  # not a leap year
    ],
)
def test_add_months(day, months, expected):
    assert rules.add_months(day, months) == expected


@pytest.mark.parametrize(
    ("birth", "needed"),
    [(D(2011, 3, 2), True), (D(2011, 3, 3), False), (D(1980, 1, 1), True)],
)
def test_police_check_from_15(birth, needed):
    assert rules.police_check_needed(birth, D(2026, 3, 2)) is needed


def test_police_check_valid_twelve_months():
    assert rules.police_check_expiry(D(2026, 1, 31)) == D(2027, 1, 31)


@pytest.mark.parametrize(
    ("on", "under_18", "facility", "minutes"),
    [
        (D(2026, 3, 2), False, None, 30),
        (D(2026, 3, 2), False, 20, 30),  # never below the law's minimum
        (D(2026, 3, 2), False, 60, 60),
        (D(2026, 3, 2), True, 30, 60),  # 3 calls of 20 minutes
        (D(2021, 6, 1), False, None, 20),  # the earlier rule
    ],
)
def test_weekly_minutes(on, under_18, facility, minutes):
    assert rules.weekly_minutes(on, under_18=under_18, facility_minutes=facility) == minutes


def P(a: dt.date, b: dt.date) -> Period:
    return Period(a, b)


@pytest.mark.parametrize(
    ("earlier", "new", "days"),
    [
        ([], P(D(2026, 3, 1), D(2026, 3, 14)), 14),
        ([P(D(2026, 2, 15), D(2026, 2, 28))], P(D(2026, 3, 1), D(2026, 3, 14)), 28),  # next day
        ([P(D(2026, 2, 15), D(2026, 2, 27))], P(D(2026, 3, 1), D(2026, 3, 14)), 14),  # a break
        (
            [P(D(2026, 2, 1), D(2026, 2, 14)), P(D(2026, 2, 15), D(2026, 2, 28))],
            P(D(2026, 3, 1), D(2026, 3, 14)),
            42,
        ),  # transitively
        ([P(D(2026, 3, 5), D(2026, 3, 18))], P(D(2026, 3, 1), D(2026, 3, 14)), 18),  # overlap
    ],
)
def test_continuous_days(earlier, new, days):
    assert rules.continuous_days(earlier, new) == days


STEP = P(D(2026, 3, 1), D(2026, 3, 14))


@pytest.mark.parametrize(
    ("earlier", "new", "age", "years", "problems"),
    [
        ([], STEP, 30, 6, []),
        ([], STEP, 17, 6, ["under_18"]),
        ([], P(D(2026, 3, 1), D(2026, 3, 15)), 30, 6, ["step"]),
        ([], STEP, 30, None, ["penalty_unknown"]),
        # 6 weeks where the offence carries up to 6 years; 12 weeks above.
        ([P(D(2026, 1, 18), D(2026, 2, 28))], STEP, 30, 6, ["maximum"]),
        ([P(D(2026, 1, 18), D(2026, 2, 28))], STEP, 30, 7, []),
        (
            [P(D(2026, 1, 4), D(2026, 2, 14))],
            P(D(2026, 2, 15), D(2026, 3, 1)),
            30,
            6,
            ["step", "maximum"],
        ),
        ([P(D(2025, 12, 7), D(2026, 2, 28))], STEP, 30, 10, ["maximum"]),  # 84 + 14 days
        ([P(D(2025, 12, 21), D(2026, 2, 28))], STEP, 30, 10, []),  # exactly 84 days
        ([], P(D(2026, 3, 1), D(2026, 3, 20)), 16, None, ["under_18", "step", "penalty_unknown"]),
    ],
)
def test_isolation_problems(earlier, new, age, years, problems):
    found = rules.isolation_problems(
        earlier=earlier, new=new, person_age=age, offence_max_years=years
    )
    assert found == problems


@pytest.mark.parametrize(("years", "weeks"), [(1, 6), (6, 6), (7, 12), (21, 12)])
def test_isolation_maximum_weeks(years, weeks):
    assert rules.isolation_maximum_weeks(D(2026, 3, 2), years) == weeks


def test_every_rule_row_names_its_source_and_runs_in_order():
    for table in (rules.VISIT_RULES, rules.PHONE_RULES, rules.ISOLATION_RULES):
        assert all(row.source for row in table)
        starts = [row.valid_from for row in table]
        assert starts == sorted(starts)
