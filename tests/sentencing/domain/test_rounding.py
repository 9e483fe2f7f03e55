"""The rounding rule for fractions of a sentence, in one named function (RULES.md § 4,
UNVERIFIED; issue 3: ceil)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from normalitet.sentencing.domain import days_for_fraction
from normalitet.sentencing.domain.rounding import ROUND_DOWN, ROUND_UP

TWO_THIRDS, HALF, THIRD = Fraction(2, 3), Fraction(1, 2), Fraction(1, 3)


@pytest.mark.parametrize(
    ("total", "fraction", "expected"),
    [
        (74, TWO_THIRDS, 50),  # 49.33 -> 50
        (73, TWO_THIRDS, 49),  # 48.67 -> 49
        (90, TWO_THIRDS, 60),  # exact
        (7671, TWO_THIRDS, 5114),  # 21 years
        (10958, TWO_THIRDS, 7306),  # 30 years: 7305.33 -> 7306
        (74, HALF, 37),
        (73, HALF, 37),  # 36.5 -> 37
        (74, THIRD, 25),  # 24.67 -> 25
        (0, TWO_THIRDS, 0),
    ],
)
def test_rules_4_fraction_of_sentence_rounds_up(
    total: int, fraction: Fraction, expected: int
) -> None:
    assert days_for_fraction(total, fraction) == expected
    assert days_for_fraction(total, fraction, ROUND_UP) == expected


def test_rules_4_fraction_rounding_is_exact_integer_arithmetic() -> None:
    # 2/3 of 3 * 10**17 + 1 needs more precision than a float has.
    total = 3 * 10**17 + 1
    assert days_for_fraction(total, TWO_THIRDS) == 2 * 10**17 + 1


def test_rules_4_fraction_rounding_down_is_configurable() -> None:
    assert days_for_fraction(74, TWO_THIRDS, ROUND_DOWN) == 49
    assert days_for_fraction(90, TWO_THIRDS, ROUND_DOWN) == 60


def test_rules_4_unknown_rounding_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown rounding"):
        days_for_fraction(74, TWO_THIRDS, "nearest")
