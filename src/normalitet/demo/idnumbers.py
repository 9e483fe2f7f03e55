"""Synthetic Norwegian identity numbers (fødselsnummer and D-number) for demo persons.

The numbers carry the person's real (synthetic) birth date and gender and valid check digits, so
python-stdnum accepts them and gives back the birth date. Their month is raised by 40, as in the
synthetic numbers of Norway's test registers: no real person has such a number, so a demo number
can never be someone's. A D-number also has its day raised by 40.
"""

from __future__ import annotations

import datetime as dt
import random

from stdnum.no import fodselsnummer

SYNTHETIC_MONTH_OFFSET = 40
D_NUMBER_DAY_OFFSET = 40


def check_digits(first9: str) -> str | None:
    """The two check digits for nine digits (python-stdnum's), or None if the number cannot
    be completed (a check digit of 10)."""
    k1 = fodselsnummer.calc_check_digit1(first9)
    if k1 == "10":
        return None
    k2 = fodselsnummer.calc_check_digit2(first9 + k1)
    if k2 == "10":
        return None
    return k1 + k2


def _individual_range(year: int) -> range:
    """Individual numbers that encode the century of birth."""
    if 1900 <= year <= 1999:
        return range(0, 500)
    if 2000 <= year <= 2039:
        return range(500, 1000)
    raise ValueError(f"no individual numbers for persons born in {year}")


def synthetic_number(
    rng: random.Random, birth_date: dt.date, *, female: bool, d_number: bool, used: set[str]
) -> str:
    """A new 11-digit number for this birth date and gender, not in ``used`` (which is updated)."""
    day = birth_date.day + (D_NUMBER_DAY_OFFSET if d_number else 0)
    month = birth_date.month + SYNTHETIC_MONTH_OFFSET
    prefix = f"{day:02d}{month:02d}{birth_date.year % 100:02d}"
    span = _individual_range(birth_date.year)
    for _attempt in range(200):
        individual = rng.randrange(span.start, span.stop)
        # the third individual digit is even for women and odd for men
        if (individual % 2 == 0) != female:
            individual = individual + 1 if individual + 1 < span.stop else individual - 1
        first9 = f"{prefix}{individual:03d}"
        check = check_digits(first9)
        if check is None:
            continue
        number = first9 + check
        if number not in used:
            used.add(number)
            return number
    raise RuntimeError(f"no free identity number left for {birth_date}")
