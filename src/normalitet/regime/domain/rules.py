"""Effective-dated parameters of the daily regime (RULES.md § 8). Pure Python.

Each row says where its number comes from. Rows marked ``verified=False`` could not be checked
against the regulation's current text: they are configurable, and the UI says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from normalitet.core.dated import parameter_on

# The row in force on a date: the latest whose ``valid_from`` is not after it (the same lookup
# as the planning rules').
in_force = parameter_on


@dataclass(frozen=True)
class AllowanceRates:
    """Daily allowance rates (dagpenger, SGF § 3-13), in øre a day, set yearly."""

    valid_from: dt.date
    ordinary_ore: int
    supplement_max_ore: int
    reduced_ore: int
    food_ore: int  # food money in self-catering units, every day
    source: str
    verified: bool

    @property
    def name(self) -> str:
        return f"SGF § 3-13 ({self.valid_from.isoformat()})"


ALLOWANCE_RATES: tuple[AllowanceRates, ...] = (
    AllowanceRates(
        valid_from=dt.date(2023, 1, 1),
        ordinary_ore=7_900,
        supplement_max_ore=3_200,
        reduced_ore=5_300,
        food_ore=12_200,
        source="SGF § 3-13; rates for 2023 (RULES.md § 8)",
        verified=True,
    ),
    # The 2023 rates carried forward: the rates for later years were not confirmed
    # (UNVERIFIED in RULES.md § 8). Add a row with the year's rates when they are set.
    AllowanceRates(
        valid_from=dt.date(2024, 1, 1),
        ordinary_ore=7_900,
        supplement_max_ore=3_200,
        reduced_ore=5_300,
        food_ore=12_200,
        source="SGF § 3-13; 2023 rates carried forward (UNVERIFIED)",
        verified=False,
    ),
)


@dataclass(frozen=True)
class AllowancePolicy:
    """How the allowance treats situations the regulation leaves to guidance."""

    valid_from: dt.date
    # A person on remand has no activity duty; without an activity and not waiting for one,
    # they receive nothing (True) or the reduced rate (False).
    remand_idle_none: bool
    # A person with the duty who has no activity through no fault of their own (none offered,
    # waiting list, suspended for health) receives the reduced rate.
    idle_not_own_fault_reduced: bool
    # Share of a session paid when the person came late or left early.
    late_share_percent: int
    source: str
    verified: bool


ALLOWANCE_POLICY: tuple[AllowancePolicy, ...] = (
    AllowancePolicy(
        valid_from=dt.date(2002, 3, 1),
        remand_idle_none=True,
        idle_not_own_fault_reduced=True,
        late_share_percent=50,
        source="SGF § 3-13 and the correctional service's guidelines (UNVERIFIED)",
        verified=False,
    ),
)


@dataclass(frozen=True)
class TimeOutOfCellRules:
    """The Parliamentary Ombudsman's measure and the service's minimum."""

    valid_from: dt.date
    # Locked in this many hours or more in a day is counted (the Ombudsman's measure).
    locked_in_hours_measure: int
    # The minimum time out of cell a day, unless the unit sets its own (service standard).
    minimum_out_of_cell_minutes: int
    source: str


TIME_OUT_OF_CELL: tuple[TimeOutOfCellRules, ...] = (
    TimeOutOfCellRules(
        valid_from=dt.date(2000, 1, 1),
        locked_in_hours_measure=16,
        minimum_out_of_cell_minutes=8 * 60,
        source="The Parliamentary Ombudsman (16 hours); minimum: service standard",
    ),
)


@dataclass(frozen=True)
class ActivityDutyRules:
    valid_from: dt.date
    # Newly arrived persons are in reception for this many days before the duty is counted.
    reception_days: int
    source: str


ACTIVITY_DUTY: tuple[ActivityDutyRules, ...] = (
    ActivityDutyRules(
        valid_from=dt.date(2002, 3, 1),
        reception_days=14,
        source="SGL § 3, SGF § 1-4; reception period: service standard",
    ),
)
