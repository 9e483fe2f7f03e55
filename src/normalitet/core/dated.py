"""Effective-dated rule rows (RULES.md: every number in law is a parameter with a
``valid_from``). Pure Python, shared by the domain packages of every context."""

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
