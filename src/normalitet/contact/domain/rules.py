"""Effective-dated parameters of family contact and of the court's restrictions on remand
(RULES.md §§ 7 and 8). Pure Python.

Each row names its legal source. A row marked ``verified=False`` was not confirmed against the
text: it is configurable, and the UI says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from normalitet.core.dated import add_months as add_months
from normalitet.core.dated import age_on as age_on
from normalitet.core.dated import parameter_on

in_force = parameter_on


@dataclass(frozen=True)
class VisitRules:
    """Visits (SGL § 31; SGF § 3-28)."""

    valid_from: dt.date
    # Listed visitors at arrival; the closest family together count as one entry.
    visitor_list_max: int
    # Visitors may be police-checked from this age; allow this many weeks for the check.
    police_check_from_age: int
    police_check_weeks: int
    # A police check is valid this many months (service standard).
    police_check_valid_months: int
    # Children under this age visit only together with an adult.
    child_with_adult_under: int
    # Persons under 18 have visits at least this often (days).
    under_18_visit_every_days: int
    # A visit hold in the family portal lapses after this many minutes unless confirmed.
    hold_minutes: int
    # Visitors may book this many days ahead, and no later than this many hours before.
    book_ahead_days: int
    book_before_hours: int
    source: str
    verified: bool


VISIT_RULES: tuple[VisitRules, ...] = (
    VisitRules(
        valid_from=dt.date(2002, 3, 1),
        visitor_list_max=4,
        police_check_from_age=15,
        police_check_weeks=4,
        police_check_valid_months=12,
        child_with_adult_under=15,
        under_18_visit_every_days=31,
        hold_minutes=15,
        book_ahead_days=28,
        book_before_hours=24,
        source="SGL § 31; SGF § 3-28 (RULES.md § 8); validity, hold and booking window are "
        "service standards",
        verified=True,
    ),
)


@dataclass(frozen=True)
class PhoneRules:
    """Telephone (SGL § 32; SGF § 3-29)."""

    valid_from: dt.date
    weekly_minutes_min: int
    under_18_calls_min: int
    under_18_call_minutes: int
    source: str
    verified: bool


PHONE_RULES: tuple[PhoneRules, ...] = (
    PhoneRules(
        valid_from=dt.date(2002, 3, 1),
        weekly_minutes_min=20,
        under_18_calls_min=3,
        under_18_call_minutes=20,
        source="SGF § 3-29 as first adopted: 20 minutes a week",
        verified=False,
    ),
    PhoneRules(
        valid_from=dt.date(2022, 1, 1),
        weekly_minutes_min=30,
        under_18_calls_min=3,
        under_18_call_minutes=20,
        source="SGL § 32; SGF § 3-29 (RULES.md § 8): at least 30 minutes a week; under-18s at "
        "least 3 calls of 20 minutes",
        verified=False,
    ),
)


@dataclass(frozen=True)
class IsolationRules:
    """Full isolation ordered by the court (STRPL § 186 a; RULES.md § 7)."""

    valid_from: dt.date
    step_days: int  # one order runs at most this long
    max_weeks_low: int  # continuous maximum where the offence carries up to ``threshold_years``
    max_weeks_high: int  # continuous maximum above it
    threshold_years: int
    remand_order_weeks: int  # remand orders run up to this long
    remand_order_weeks_under_18: int
    source: str
    verified: bool


ISOLATION_RULES: tuple[IsolationRules, ...] = (
    IsolationRules(
        valid_from=dt.date(2002, 3, 1),
        step_days=14,
        max_weeks_low=6,
        max_weeks_high=12,
        threshold_years=6,
        remand_order_weeks=4,
        remand_order_weeks_under_18=2,
        source="STRPL §§ 185, 186 a (RULES.md § 7)",
        verified=True,
    ),
)


def police_check_needed(birth: dt.date, on: dt.date) -> bool:
    return age_on(birth, on) >= in_force(VISIT_RULES, on).police_check_from_age


def police_check_expiry(cleared_on: dt.date) -> dt.date:
    months = in_force(VISIT_RULES, cleared_on).police_check_valid_months
    return add_months(cleared_on, months)


def weekly_minutes(on: dt.date, *, under_18: bool, facility_minutes: int | None) -> int:
    """Minutes of phone a week: the facility's setting, never below the law's minimum (for
    under-18s, at least the minutes of their minimum calls)."""
    rules = in_force(PHONE_RULES, on)
    floor = rules.weekly_minutes_min
    if under_18:
        floor = max(floor, rules.under_18_calls_min * rules.under_18_call_minutes)
    return max(floor, facility_minutes or 0)


@dataclass(frozen=True)
class Period:
    starts_on: dt.date
    ends_on: dt.date  # inclusive


def continuous_days(periods: list[Period], new: Period) -> int:
    """Days of full isolation running without a break through ``new``: the new order merged
    with earlier orders that overlap it or follow on the next day, transitively."""
    runs: list[list[dt.date]] = []
    for p in sorted([*periods, new], key=lambda p: p.starts_on):
        if runs and p.starts_on <= runs[-1][1] + dt.timedelta(days=1):
            runs[-1][1] = max(runs[-1][1], p.ends_on)
        else:
            runs.append([p.starts_on, p.ends_on])
    start, end = next(r for r in runs if r[0] <= new.starts_on <= r[1])
    return (end - start).days + 1


def isolation_problems(
    *,
    earlier: list[Period],
    new: Period,
    person_age: int,
    offence_max_years: int | None,
) -> list[str]:
    """Why a full isolation order cannot be recorded as given, as rule codes (empty: it can).

    - ``under_18``: never for persons under 18;
    - ``step``: one order runs at most ``step_days``;
    - ``maximum``: the continuous total passes the legal maximum for the offence;
    - ``penalty_unknown``: the maximum penalty of the offence is needed to know the maximum.
    """
    rules = in_force(ISOLATION_RULES, new.starts_on)
    problems: list[str] = []
    if person_age < 18:
        problems.append("under_18")
    if (new.ends_on - new.starts_on).days + 1 > rules.step_days:
        problems.append("step")
    if offence_max_years is None:
        problems.append("penalty_unknown")
    else:
        weeks = (
            rules.max_weeks_low
            if offence_max_years <= rules.threshold_years
            else (rules.max_weeks_high)
        )
        if continuous_days(earlier, new) > weeks * 7:
            problems.append("maximum")
    return problems


def isolation_maximum_weeks(on: dt.date, offence_max_years: int) -> int:
    rules = in_force(ISOLATION_RULES, on)
    if offence_max_years <= rules.threshold_years:
        return rules.max_weeks_low
    return rules.max_weeks_high
