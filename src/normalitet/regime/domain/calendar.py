"""Norwegian public holidays and the kind of day, from the ``holidays`` library (Easter-based
holidays computed, Sundays not counted as holidays)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

WEEKDAY = "weekday"
WEEKEND = "weekend"


@lru_cache(maxsize=64)
def _year(year: int, language: str) -> dict[dt.date, str]:
    return dict(holidays.Norway(years=year, include_sundays=False, language=language).items())


def holiday_name(day: dt.date, language: str = "no") -> str | None:
    """The public holiday on ``day`` (Norwegian name by default; 'en_US' for English)."""
    return _year(day.year, language if language in ("no", "en_US") else "no").get(day)


def is_public_holiday(day: dt.date) -> bool:
    return holiday_name(day) is not None


def day_type(day: dt.date) -> str:
    """Weekend regime on Saturdays, Sundays and public holidays; the weekday regime otherwise."""
    return WEEKEND if day.weekday() >= 5 or is_public_holiday(day) else WEEKDAY


def is_working_day(day: dt.date) -> bool:
    return day_type(day) == WEEKDAY


def week_of(day: dt.date) -> list[dt.date]:
    """The Monday-to-Sunday week that holds ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    return [monday + dt.timedelta(days=i) for i in range(7)]
