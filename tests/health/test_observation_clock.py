"""The observation clock, pure and table-driven (service standard of the prison health service,
SGL § 4 a; ``verified=False``): the next check is due one interval after the last check (or the
start); it is missed once the grace has passed too; a late check records the minutes beyond the
grace."""

from __future__ import annotations

import datetime as dt

import pytest

from normalitet.health.domain.rules import check_clock, interval_for, late_by, rules_on

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def at(hh: int, mm: int) -> dt.datetime:
    return START.replace(hour=hh, minute=mm)


@pytest.mark.parametrize(
    ("last", "interval", "now", "due", "overdue", "minutes"),
    [
        pytest.param(None, 15, at(9, 10), at(9, 15), False, 0, id="before-due"),
        pytest.param(None, 15, at(9, 15), at(9, 15), False, 0, id="on-time"),
        pytest.param(None, 15, at(9, 18), at(9, 15), False, 0, id="late-within-grace"),
        pytest.param(None, 15, at(9, 20), at(9, 15), False, 0, id="exactly-grace"),
        pytest.param(None, 15, at(9, 21), at(9, 15), True, 6, id="overdue-after-grace"),
        pytest.param(at(9, 12), 15, at(9, 30), at(9, 27), False, 0, id="from-last-check"),
        pytest.param(at(9, 12), 15, at(9, 40), at(9, 27), True, 13, id="overdue-from-check"),
        pytest.param(None, 60, at(10, 5), at(10, 0), False, 0, id="hourly-within-grace"),
        pytest.param(None, 60, at(11, 30), at(10, 0), True, 90, id="hourly-long-overdue"),
        pytest.param(at(8, 50), 30, at(9, 20), at(9, 30), False, 0, id="check-before-start"),
    ],
)
def test_check_clock(last, interval, now, due, overdue, minutes):
    c = check_clock(
        started_at=START, last_check_at=last, interval_minutes=interval, grace_minutes=5, now=now
    )
    assert (c.next_due, c.overdue, c.minutes_overdue) == (due, overdue, minutes)


@pytest.mark.parametrize(
    ("checked_at", "expected"),
    [
        pytest.param(at(9, 10), 0, id="early"),
        pytest.param(at(9, 15), 0, id="on-time"),
        pytest.param(at(9, 20), 0, id="within-grace"),
        pytest.param(at(9, 21), 1, id="one-minute-late"),
        pytest.param(at(9, 55), 35, id="long-late"),
    ],
)
def test_late_by_counts_beyond_the_grace(checked_at, expected):
    assert late_by(due=at(9, 15), checked_at=checked_at, grace_minutes=5) == expected


@pytest.mark.parametrize(
    ("level", "minutes"),
    [("constant", 15), ("close", 15), ("frequent", 30), ("hourly", 60)],
)
def test_interval_by_level_is_the_local_service_standard(level, minutes):
    assert interval_for(level, dt.date(2026, 3, 2)) == minutes
    rules = rules_on(dt.date(2026, 3, 2))
    assert rules.check_grace_minutes == 5 and rules.verified is False
