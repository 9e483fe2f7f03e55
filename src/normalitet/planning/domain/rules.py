"""Parameters of the contact officer scheme and the needs mapping, effective-dated.

The law (SGL § 41, RULES.md § 10) says release preparation starts in good time and that the
contact officer maps needs *soon after arrival*; it sets no number of days. The 14 days and the
six persons per contact officer below are **service standards**, configurable policy of the
correctional service, not statute: change them here by adding a row with its start date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Re-exported: planning.domain.placement and the planning tests import these from here.
from normalitet.core.dated import add_months as add_months
from normalitet.core.dated import age_on as age_on
from normalitet.core.dated import parameter_on as parameter_on


@dataclass(frozen=True)
class Parameter:
    """A rule parameter valid from a date, with its source."""

    value: int
    valid_from: dt.date
    source: str


# Needs mapping to be completed within this many days of admission (service standard).
NEEDS_MAPPING_DEADLINE_DAYS: tuple[Parameter, ...] = (
    Parameter(14, dt.date(2000, 1, 1), "SGL § 41; RULES.md § 10 (service standard)"),
)

# Persons one contact officer follows at most, unless a capacity is set for them (service
# standard, for the facility leader to adjust per officer).
CONTACT_OFFICER_CAPACITY: tuple[Parameter, ...] = (
    Parameter(6, dt.date(2000, 1, 1), "RULES.md § 10 (service standard)"),
)


def needs_mapping_due(admitted_on: dt.date) -> dt.date:
    """The last day for the needs mapping of a person admitted on ``admitted_on``
    (SGL § 41: soon after arrival; the number of days is a service standard)."""
    days = parameter_on(NEEDS_MAPPING_DEADLINE_DAYS, admitted_on).value
    return admitted_on + dt.timedelta(days=days)


def default_capacity(on: dt.date) -> int:
    return parameter_on(CONTACT_OFFICER_CAPACITY, on).value


def week_end(today: dt.date) -> dt.date:
    """The Sunday that ends the (Monday-first, Norwegian) week of ``today``."""
    return today + dt.timedelta(days=6 - today.weekday())


# --- Risk assessment review and sentence plan (framtidsplan) reviews ---------------------------
#
# The law asks that release preparation starts in good time and follows the person (SGL § 41,
# RULES.md § 10) but sets no review intervals. The months below are **service standards**.

# A risk assessment is to be reviewed within this many months unless a date is set.
RISK_REVIEW_MONTHS: tuple[Parameter, ...] = (
    Parameter(6, dt.date(2000, 1, 1), "RULES.md § 10 (service standard)"),
)


@dataclass(frozen=True)
class ReviewSchedule:
    """How often the sentence plan is reviewed, by the time left to serve."""

    months_long: int  # while more than ``final_period_months`` remain
    months_final: int  # in the final period before expected release
    final_period_months: int
    valid_from: dt.date
    source: str


PLAN_REVIEW_SCHEDULE: tuple[ReviewSchedule, ...] = (
    ReviewSchedule(3, 1, 12, dt.date(2000, 1, 1), "SGL § 41; RULES.md § 10 (service standard)"),
)


def schedule_on(on: dt.date) -> ReviewSchedule:
    return parameter_on(PLAN_REVIEW_SCHEDULE, on)


@dataclass(frozen=True)
class PlanReviewDue:
    due_on: dt.date
    months: int
    final_period: bool
    source: str


def next_plan_review(last: dt.date, expected_release: dt.date | None) -> PlanReviewDue:
    """When the sentence plan is next reviewed after the review (or creation) on ``last``:
    every ``months_long`` months while more than the final period remains before the expected
    release, every ``months_final`` months in the final period, never after the release. With
    no expected release (remand, not yet calculated) the longer interval applies."""
    rule = schedule_on(last)
    final = expected_release is not None and expected_release <= add_months(
        last, rule.final_period_months
    )
    months = rule.months_final if final else rule.months_long
    due = add_months(last, months)
    if expected_release is not None and expected_release > last:
        due = min(due, expected_release)
    return PlanReviewDue(due, months, final, rule.source)


def risk_review_due(assessed_on: dt.date) -> dt.date:
    """The default review date of a risk assessment (service standard)."""
    return add_months(assessed_on, parameter_on(RISK_REVIEW_MONTHS, assessed_on).value)


# --- Reentry: release readiness and the SGL § 41 duty -------------------------------------------
#
# The law says release preparation starts "in good time" (SGL § 41, RULES.md § 10) and names no
# number of months: the readiness window and the release list's horizon are **service
# standards**. The age limit of the duty is statute: SGL § 41 second paragraph, persons under 25
# who consent.

# Release readiness is followed from this many months before the expected release.
READINESS_WINDOW_MONTHS: tuple[Parameter, ...] = (
    Parameter(
        6, dt.date(2000, 1, 1), "SGL § 41 ('in good time'); RULES.md § 10 (service standard)"
    ),
)

# The facility's release list shows everyone expected to leave within this many days.
RELEASE_LIST_DAYS: tuple[Parameter, ...] = (
    Parameter(90, dt.date(2000, 1, 1), "SGL § 41; RULES.md § 10 (service standard)"),
)

# Coordinated release preparation is a duty for persons under this age who consent.
SECTION_41_AGE_LIMIT: tuple[Parameter, ...] = (
    Parameter(25, dt.date(2000, 1, 1), "SGL § 41 second paragraph"),
)


def readiness_window_opens(expected_release: dt.date, today: dt.date) -> dt.date:
    """The first day of release readiness follow-up: the window's months (in force ``today``)
    before the expected release (SGL § 41: in good time; the months are a service standard)."""
    return add_months(expected_release, -parameter_on(READINESS_WINDOW_MONTHS, today).value)


def release_list_end(today: dt.date) -> dt.date:
    """The last expected release date on the facility's release list of ``today``."""
    return today + dt.timedelta(days=parameter_on(RELEASE_LIST_DAYS, today).value)


def under_section_41_age(birth_date: dt.date, on: dt.date) -> bool:
    """Whether the person is under the SGL § 41 age limit (25) on ``on``."""
    return age_on(birth_date, on) < parameter_on(SECTION_41_AGE_LIMIT, on).value
