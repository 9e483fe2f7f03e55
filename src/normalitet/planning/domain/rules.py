"""Parameters of the contact officer scheme and the needs mapping, effective-dated.

The law (SGL § 41, RULES.md § 10) says release preparation starts in good time and that the
contact officer maps needs *soon after arrival*; it sets no number of days. The 14 days and the
six persons per contact officer below are **service standards**, configurable policy of the
correctional service, not statute: change them here by adding a row with its start date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


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


def parameter_on(rows: tuple[Parameter, ...], on: dt.date) -> Parameter:
    """The row in force on ``on``: the latest whose ``valid_from`` is not after it."""
    valid = [r for r in rows if r.valid_from <= on]
    if not valid:
        raise LookupError(f"no parameter in force on {on.isoformat()}")
    return max(valid, key=lambda r: r.valid_from)


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
