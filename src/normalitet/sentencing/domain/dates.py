"""Calendar arithmetic and day counting for the release-date engine.

Conventions (issue 3; RULES.md § 4, marked UNVERIFIED there and kept as a named convention of the
rule set): months and years are calendar months and years, and a day that does not exist in the
target month is clamped to the month's last day (one month from 31 January is the last day of
February). This is what `dateutil.relativedelta` does; it is reimplemented here because the engine
does it a dozen times per calculation and must stay fast.
"""

from __future__ import annotations

from datetime import date

# Dates the engine accepts (start dates outside are refused as an input format error).
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def month_length(year: int, month: int) -> int:
    """Number of days in `month` of `year` (Gregorian leap years)."""
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _MONTH_DAYS[month - 1]


def add_calendar(day: date, years: int = 0, months: int = 0, days: int = 0) -> date:
    """`day` plus a calendar duration: years and months first (clamped to the month's end), then
    days, exactly as `day + relativedelta(years=..., months=..., days=...)`."""
    if months:
        year, month0 = divmod(day.year * 12 + day.month - 1 + years * 12 + months, 12)
        month = month0 + 1
        last = (
            29
            if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
            else _MONTH_DAYS[month0]
        )
        dom = day.day
        day = date(year, month, dom if dom <= last else last)
    elif years:
        try:
            day = day.replace(year=day.year + years)
        except ValueError:  # 29 February in a year without one
            day = date(day.year + years, 2, 28)
    if days:
        day = date.fromordinal(day.toordinal() + days)
    return day


def duration_days(start: date, years: int = 0, months: int = 0, days: int = 0) -> int:
    """Length in days of a calendar duration counted from `start` (SGF § 3-2 convention)."""
    return add_calendar(start, years, months, days).toordinal() - start.toordinal()


def day_served(start: date, days: int, deduction: int) -> date:
    """The day N days are served: S + (N - D) - 1, credited days counting as served
    (STRL § 83). The result may precede S; callers clamp it to S."""
    return date.fromordinal(start.toordinal() + days - deduction - 1)


def completed(day: date, years: int = 0, months: int = 0) -> date:
    """The day a calendar duration X from day A is completed: A + X - 1."""
    return date.fromordinal(add_calendar(day, years, months).toordinal() - 1)
