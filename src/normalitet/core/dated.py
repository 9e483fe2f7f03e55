"""Effective-dated rule rows (RULES.md: every number in law is a parameter with a
``valid_from``), and the date arithmetic the rules share (ages, whole months). Pure Python,
shared by the domain packages of every context."""

from __future__ import annotations

import datetime as dt
from typing import Protocol, TypeVar


class Dated(Protocol):
    @property
    def valid_from(self) -> dt.date: ...


D = TypeVar("D", bound=Dated)


def parameter_on(rows: tuple[D, ...], on: dt.date) -> D:
    """The row in force on ``on``: the latest whose ``valid_from`` is not after it."""
    valid = [r for r in rows if r.valid_from <= on]
    if not valid:
        raise LookupError(f"no parameter in force on {on.isoformat()}")
    return max(valid, key=lambda r: r.valid_from)


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Age in whole years on ``on``. A person born on 29 February turns a year older on
    1 March in a year without that day."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, kept inside the month (31 January + 1 = 28/29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_first = dt.date(year + month // 12, month % 12 + 1, 1)
    return dt.date(year, month, min(day.day, (next_first - dt.timedelta(days=1)).day))
