"""The pure rules of the regime's day: public holidays, the rule rows in force, and time out of
cell and in company (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from normalitet.regime.domain import calendar
from normalitet.regime.domain.out_of_cell import (
    Block,
    Span,
    day_time,
    thresholds,
    union_minutes,
)
from normalitet.regime.domain.rules import ALLOWANCE_RATES, in_force


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (dt.date(2026, 1, 1), "Første nyttårsdag"),
        (dt.date(2026, 4, 2), "Skjærtorsdag"),
        (dt.date(2026, 4, 3), "Langfredag"),
        (dt.date(2026, 4, 6), "Andre påskedag"),
        (dt.date(2026, 5, 1), "Arbeidernes dag"),
        (dt.date(2026, 5, 14), "Kristi himmelfartsdag"),
        (dt.date(2026, 5, 17), "Grunnlovsdag"),
        (dt.date(2026, 5, 25), "Andre pinsedag"),
        (dt.date(2026, 12, 26), "Andre juledag"),
        (dt.date(2027, 3, 25), "Skjærtorsdag"),  # Easter moves: 28 March 2027
    ],
)
def test_public_holidays_are_named(day: dt.date, name: str) -> None:
    assert calendar.holiday_name(day) == name
    assert calendar.day_type(day) == calendar.WEEKEND
    assert not calendar.is_working_day(day)


def test_english_names_and_ordinary_days() -> None:
    assert calendar.holiday_name(dt.date(2026, 5, 17), "en_US") == "Constitution Day"
    # An ordinary Sunday is a weekend day but not a public holiday.
    assert calendar.holiday_name(dt.date(2026, 3, 1)) is None
    assert calendar.day_type(dt.date(2026, 3, 1)) == calendar.WEEKEND
    assert calendar.day_type(dt.date(2026, 3, 2)) == calendar.WEEKDAY
    assert calendar.week_of(dt.date(2026, 3, 4))[0] == dt.date(2026, 3, 2)
    assert calendar.week_of(dt.date(2026, 3, 4))[-1] == dt.date(2026, 3, 8)


def test_rates_in_force_by_date() -> None:
    assert in_force(ALLOWANCE_RATES, dt.date(2023, 6, 1)).verified is True
    later = in_force(ALLOWANCE_RATES, dt.date(2026, 3, 2))
    assert later.valid_from == dt.date(2024, 1, 1)
    assert later.verified is False
    assert later.ordinary_ore == 7_900
    with pytest.raises(LookupError):
        in_force(ALLOWANCE_RATES, dt.date(2022, 12, 31))


@pytest.mark.parametrize(
    ("spans", "minutes"),
    [
        ([], 0),
        ([(0, 60)], 60),
        ([(0, 60), (30, 90)], 90),  # overlap counted once
        ([(0, 60), (60, 120)], 120),  # touching
        ([(100, 200), (0, 50), (120, 150)], 150),  # contained, unsorted
    ],
)
def test_union_minutes(spans: list[tuple[int, int]], minutes: int) -> None:
    assert union_minutes(spans) == minutes


H = 60
PLAN = [
    Block("association", 7 * H + 30, 8 * H + 15),
    Block("activities", 8 * H + 30, 15 * H),
    Block("meal", 15 * H + 15, 16 * H),
    Block("outdoor", 16 * H, 17 * H),
    Block("association", 17 * H, 20 * H + 30),
]
WORK = [Span(8 * H + 30, 11 * H + 30), Span(12 * H, 15 * H)]


def test_a_working_day_in_an_ordinary_unit() -> None:
    time = day_time(PLAN, WORK)
    # 45 unlock + 6 h work + 45 meal + 60 outdoor + 3 h 30 evening.
    assert time.out_of_cell == 45 + 360 + 45 + 60 + 210
    assert time.in_company == time.out_of_cell
    assert time.locked_in == 24 * H - time.out_of_cell


def test_activities_block_counts_only_for_those_taking_part() -> None:
    idle = day_time(PLAN)
    assert idle.out_of_cell == 45 + 45 + 60 + 210
    assert idle.locked_in >= 16 * H  # no activity: locked in 16+ hours


def test_closure_leaves_outdoor_time_alone() -> None:
    time = day_time(PLAN, WORK, closed=True)
    assert (time.out_of_cell, time.in_company) == (60, 0)


def test_restriction_on_company_keeps_individual_time_only() -> None:
    solo = Span(10 * H, 11 * H, in_company=False)
    time = day_time(PLAN, [*WORK, solo], restricted=True)
    assert (time.out_of_cell, time.in_company) == (60 + 60, 0)


def test_away_all_day_has_no_time_in_the_unit() -> None:
    assert day_time(PLAN, WORK, present=False).out_of_cell == 0


def test_outdoor_alone_is_out_of_cell_but_not_in_company() -> None:
    plan = [Block("outdoor", 9 * H, 10 * H, in_company=False)]
    assert day_time(plan).out_of_cell == 60
    assert day_time(plan).in_company == 0


def test_thresholds_use_the_unit_minimum_when_set() -> None:
    rules = thresholds(dt.date(2026, 3, 2))
    assert rules.locked_in_minutes == 16 * H
    assert rules.minimum_out_of_cell == 8 * H
    assert thresholds(dt.date(2026, 3, 2), unit_minimum=360).minimum_out_of_cell == 360
