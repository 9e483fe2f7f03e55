"""Deduction for deprivation of liberty (STRL § 83)."""

from __future__ import annotations

import pytest

from .builders import calc, codes, prison, remand

START = "2024-06-03"


def deduction(*deprivations: object) -> int:
    return calc(START, prison(days=90), deprivations=deprivations).remand_deduction_days


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        ("2024-05-01T10:00", "2024-05-01T14:00", 0),  # exactly 4 hours: nothing
        ("2024-05-01T10:00", "2024-05-01T14:01", 1),  # 4 h 1 min: one started period
        ("2024-05-01T10:00", "2024-05-02T14:00", 1),  # 28 hours: 24 beyond the first 4
        ("2024-05-01T10:00", "2024-05-02T14:01", 2),  # 28 hours 1 minute
        ("2024-05-01T10:00", "2024-05-03T14:00", 2),  # 52 hours
        ("2024-05-01T10:00", "2024-05-01T10:00", 0),  # zero length
    ],
)
def test_strl_83_one_day_per_started_24_hours_beyond_4(start: str, end: str, days: int) -> None:
    assert deduction(remand(start, end)) == days


def test_strl_83_14_days_full_isolation_gives_21_days() -> None:
    dep = remand("2024-01-08T12:00", "2024-01-22T12:00", ("2024-01-08T12:00", "2024-01-22T12:00"))
    assert calc("2024-01-22", prison(years=1), deprivations=(dep,)).remand_deduction_days == 21


@pytest.mark.parametrize(
    ("iso_start", "iso_end", "extra"),
    [
        ("2024-05-02T10:00", "2024-05-02T14:00", 0),  # 4 hours: no extra day
        ("2024-05-02T10:00", "2024-05-02T14:01", 1),  # over 4 hours: one started 2-day period
        ("2024-05-02T10:00", "2024-05-04T10:00", 1),  # exactly 48 hours
        ("2024-05-02T10:00", "2024-05-04T10:01", 2),
    ],
)
def test_strl_83_full_isolation_one_day_per_started_2_days(
    iso_start: str, iso_end: str, extra: int
) -> None:
    base = remand("2024-05-01T10:00", "2024-05-10T10:00")
    with_isolation = remand("2024-05-01T10:00", "2024-05-10T10:00", (iso_start, iso_end))
    assert deduction(with_isolation) - deduction(base) == extra


def test_strl_83_periods_are_added() -> None:
    assert (
        deduction(
            remand("2024-01-01T10:00", "2024-01-02T14:00"),  # 1
            remand("2024-02-01T10:00", "2024-02-02T14:01"),  # 2
        )
        == 3
    )


def test_strl_83_back_to_back_records_are_one_continuous_deprivation() -> None:
    # 4 h 30 of police custody then 20 h of remand: one 24 h 30 deprivation, 1 day (not 1 + 1).
    police = remand("2024-02-01T20:00", "2024-02-02T00:30")
    custody = remand("2024-02-02T00:30", "2024-02-02T20:30")
    assert deduction(custody, police) == 1
    result = calc(START, prison(days=90), deprivations=(police, custody))
    assert result.explanation["remand_deduction_days"][0].values["parts"] == 2


def test_strl_83_isolation_orders_renewed_back_to_back_are_one_period() -> None:
    # 49 h + 49 h separately would be 2 + 2 extra days; continuous 98 h is 3.
    dep = remand(
        "2024-05-01T00:00",
        "2024-05-10T00:00",
        ("2024-05-01T00:00", "2024-05-03T01:00"),
        ("2024-05-03T01:00", "2024-05-05T02:00"),
    )
    assert deduction(dep) - deduction(remand("2024-05-01T00:00", "2024-05-10T00:00")) == 3


def test_strl_83_hours_are_real_hours_over_the_autumn_clock_change() -> None:
    # 27 h 01 on the wall clock, 28 h 01 real time.
    dep = remand("2024-10-26T10:00", "2024-10-27T13:01")
    assert calc("2024-11-04", prison(days=60), deprivations=(dep,)).remand_deduction_days == 2


def test_strl_83_hours_are_real_hours_over_the_spring_clock_change() -> None:
    # 28 h 01 on the wall clock, 27 h 01 real time.
    assert deduction(remand("2024-03-30T10:00", "2024-03-31T14:01")) == 1


def test_strl_83_explicit_utc_offsets_are_respected() -> None:
    assert deduction(remand("2024-05-01T10:00+02:00", "2024-05-02T12:01+00:00")) == 2


def test_strl_83_explanation_lists_each_period_and_the_total() -> None:
    dep = remand("2024-05-01T10:00", "2024-05-02T14:01", ("2024-05-01T12:00", "2024-05-01T18:00"))
    result = calc(START, prison(days=90), deprivations=(dep,))
    steps = result.explanation["remand_deduction_days"]
    assert [s.code for s in steps] == [
        "remand.deprivation",
        "remand.full_isolation",
        "remand.total",
    ]
    assert steps[0].values == {
        "from": dep.start,
        "to": dep.end,
        "hours": 28,
        "minutes": 1,
        "parts": 1,
        "days": 2,
    }
    assert steps[1].values["days"] == 1
    assert steps[2].values == {"days": 3}
    assert {s.rule for s in steps} == {"STRL § 83"}


def test_strl_83_no_deprivation_no_deduction() -> None:
    result = calc(START, prison(days=90))
    assert result.remand_deduction_days == 0
    assert codes(result, "remand_deduction_days") == ["remand.none"]


def test_strl_83_zero_length_record_does_not_break_continuity_in_any_order() -> None:
    # Found by hypothesis: the order of the records must not change the deduction.
    records = (
        remand("2024-05-01T19:59", "2024-05-01T19:59"),
        remand("2024-05-01T19:59", "2024-05-01T23:59"),
        remand("2024-05-01T23:59", "2024-05-02T00:00"),  # 4 h 01 in all
    )
    assert deduction(*records) == deduction(*reversed(records)) == 1
