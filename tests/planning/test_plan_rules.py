"""The review schedule of the sentence plan and the risk review default: service standards
under SGL § 41 / RULES.md § 10, effective-dated. Pure functions, no database."""

from __future__ import annotations

import datetime as dt

import pytest

from normalitet.planning.domain import rules

D = dt.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2026, 3, 2), 12, D(2027, 3, 2)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
    ],
)
def test_add_months_stays_inside_the_month(day, months, expected):
    assert rules.add_months(day, months) == expected


@pytest.mark.parametrize(
    ("last", "release", "due", "months", "final"),
    [
        # More than a year left: every third month.
        (D(2026, 3, 2), D(2028, 1, 1), D(2026, 6, 2), 3, False),
        (D(2026, 3, 2), D(2027, 3, 3), D(2026, 6, 2), 3, False),
        # A year or less left: every month.
        (D(2026, 3, 2), D(2027, 3, 2), D(2026, 4, 2), 1, True),
        (D(2026, 3, 2), D(2026, 9, 1), D(2026, 4, 2), 1, True),
        # Never after the expected release.
        (D(2026, 3, 2), D(2026, 3, 20), D(2026, 3, 20), 1, True),
        # No expected release (remand, not calculated yet): the longer interval.
        (D(2026, 3, 2), None, D(2026, 6, 2), 3, False),
    ],
)
def test_sgl_41_service_standard_plan_review_by_time_left(last, release, due, months, final):
    result = rules.next_plan_review(last, release)
    assert (result.due_on, result.months, result.final_period) == (due, months, final)
    assert "SGL § 41" in result.source and "service standard" in result.source


def test_review_schedule_is_effective_dated(monkeypatch):
    newer = rules.ReviewSchedule(2, 1, 6, D(2027, 1, 1), "new standard")
    monkeypatch.setattr(rules, "PLAN_REVIEW_SCHEDULE", (*rules.PLAN_REVIEW_SCHEDULE, newer))
    assert rules.next_plan_review(D(2026, 12, 1), D(2028, 1, 1)).due_on == D(2027, 3, 1)
    assert rules.next_plan_review(D(2027, 1, 5), D(2028, 1, 1)).due_on == D(2027, 3, 5)
    assert rules.next_plan_review(D(2027, 1, 5), D(2027, 5, 1)).months == 1
    with pytest.raises(LookupError):
        rules.schedule_on(D(1999, 12, 31))


def test_rules_md_10_risk_review_defaults_to_six_months():
    assert rules.risk_review_due(D(2026, 3, 2)) == D(2026, 9, 2)
    assert rules.risk_review_due(D(2026, 8, 31)) == D(2027, 2, 28)
