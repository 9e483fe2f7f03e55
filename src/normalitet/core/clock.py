"""The one clock. Legal dates are local dates in Europe/Oslo; instants are aware UTC datetimes.

Tests freeze time with time-machine; nothing else reads the system clock directly.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

OSLO = ZoneInfo("Europe/Oslo")


def now() -> dt.datetime:
    """The current instant, timezone-aware."""
    return timezone.now()


def today() -> dt.date:
    """Today's date in Norway (the date that counts in law)."""
    return timezone.now().astimezone(OSLO).date()


def aware(value: dt.datetime) -> dt.datetime:
    """A time without an offset read as Norwegian local time; one with an offset as it is."""
    return value if value.tzinfo is not None else timezone.make_aware(value, OSLO)


def local_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of ``day`` and of the next day, in Europe/Oslo."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=OSLO)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=OSLO)
    return start, end
