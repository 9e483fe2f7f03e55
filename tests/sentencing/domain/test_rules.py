"""Effective-dated rule sets (RULES.md preamble): chosen by start date, reported, and with the
UNVERIFIED parameters flagged."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest

from normalitet.sentencing.domain import (
    NO_2024_1,
    NoRuleSet,
    RuleSet,
    calculate,
    rule_set_by_id,
    rule_set_for,
)
from normalitet.sentencing.domain.rounding import ROUND_DOWN

from .builders import d, make, prison

FUTURE = replace(NO_2024_1, id="no-2030-1", valid_from=date(2030, 1, 1), parole_minimum_days=90)


def test_rule_set_in_force_on_the_start_date_is_chosen() -> None:
    sets = (NO_2024_1, FUTURE)
    assert rule_set_for(date(2029, 12, 31), sets) is NO_2024_1
    assert rule_set_for(date(2030, 1, 1), sets) is FUTURE
    assert rule_set_for(date(2030, 1, 1), (FUTURE, NO_2024_1)) is FUTURE


def test_rule_set_none_in_force_before_the_first() -> None:
    with pytest.raises(NoRuleSet):
        rule_set_for(date(2001, 1, 1))


def test_rule_set_by_id() -> None:
    assert rule_set_by_id("no-2024-1") is NO_2024_1
    with pytest.raises(NoRuleSet):
        rule_set_by_id("no-1999-1")


def test_calculation_reports_and_uses_the_chosen_rule_set() -> None:
    inp = make("2030-03-04", prison(days=120))
    assert calculate(inp).rule_set == "no-2024-1"
    result = calculate(inp, rule_sets=(NO_2024_1, FUTURE))
    assert result.rule_set == "no-2030-1"
    assert result.parole_date == d("2030-06-01")  # 90 days minimum in the future set


def test_calculation_with_an_explicit_rule_set() -> None:
    result = calculate(make("2024-03-04", prison(days=74)), rules=replace(NO_2024_1, id="x"))
    assert result.rule_set == "x"


def test_rules_4_unverified_parameters_are_flagged() -> None:
    assert NO_2024_1.unverified == {
        "preventive_leave_fraction",
        "month_convention",
        "fraction_rounding",
    }
    assert NO_2024_1.is_unverified("fraction_rounding")
    assert not NO_2024_1.is_unverified("parole_fraction")


def test_rule_constants_named_after_their_sources() -> None:
    assert NO_2024_1.parole_fraction == Fraction(2, 3)
    assert NO_2024_1.parole_minimum_days == 60
    assert NO_2024_1.minimum_sentence_days == 14
    assert NO_2024_1.maximum_sentence_years == 21
    assert NO_2024_1.citations["parole"] == "SGL § 42"
    assert NO_2024_1.citations["deduction"] == "STRL § 83"


def test_rounding_direction_is_a_rule_set_parameter() -> None:
    down = replace(NO_2024_1, fraction_rounding=ROUND_DOWN)
    up = calculate(make("2024-03-04", prison(days=121)))  # 2/3 = 80.67
    lower = calculate(make("2024-03-04", prison(days=121)), rules=down)
    assert lower.parole_date is not None and up.parole_date is not None
    assert (up.parole_date - lower.parole_date).days == 1


def test_only_implemented_conventions_are_accepted() -> None:
    with pytest.raises(ValueError, match="calendar"):
        replace(NO_2024_1, month_convention="30-day")
    with pytest.raises(ValueError, match="fraction_rounding"):
        RuleSet(id="x", valid_from=date(2024, 1, 1), description="", fraction_rounding="nearest")
