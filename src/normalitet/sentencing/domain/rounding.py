"""The rounding rule for fractions of a sentence (two-thirds, half, one-third).

RULES.md § 4 (UNVERIFIED, choose and document): the two-thirds point is computed on the total day
count and rounded so that the person is never held longer. Issue 3 fixes the convention as
ceil(2/3 · T): "the day N days are served" is the day *during which* the fractional point is
reached, so rounding up names that day and rounding down would name a day before the point.
The direction is a parameter of the rule set (`fraction_rounding`) so that a different reading of
the law is a configuration change, not a code change. This is the only place it is applied.
"""

from __future__ import annotations

from fractions import Fraction

ROUND_UP = "up"
ROUND_DOWN = "down"
ROUNDINGS = (ROUND_UP, ROUND_DOWN)


def days_for_fraction(total_days: int, fraction: Fraction, rounding: str = ROUND_UP) -> int:
    """Whole days in `fraction` of `total_days`, rounded as the rule set says (RULES.md § 4).

    Exact integer arithmetic: no floating point ever decides a release date.

    >>> days_for_fraction(74, Fraction(2, 3))
    50
    >>> days_for_fraction(74, Fraction(2, 3), "down")
    49
    """
    product = total_days * fraction.numerator
    if rounding == ROUND_UP:
        return -(-product // fraction.denominator)
    if rounding == ROUND_DOWN:
        return product // fraction.denominator
    raise ValueError(f"unknown rounding {rounding!r}")
