"""Time out of cell and time in company for one person and one day. Pure Python.

The unit's day plan says when the unit is unlocked (association, meals, outdoor time); the
person's activity sessions add the time they spend at work, school or a programme. Overlaps
count once. On a closure day only outdoor time runs, alone. A person under a restriction on
company (court-ordered isolation, exclusion) has outdoor time only, alone, and individual
sessions. Times are minutes since midnight (local time).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .rules import TIME_OUT_OF_CELL, TimeOutOfCellRules, in_force

DAY_MINUTES = 24 * 60

ASSOCIATION = "association"
MEAL = "meal"
ACTIVITIES = "activities"
OUTDOOR = "outdoor"
LOCKED = "locked"


@dataclass(frozen=True)
class Block:
    kind: str
    starts: int
    ends: int
    in_company: bool = True


@dataclass(frozen=True)
class Span:
    starts: int
    ends: int
    in_company: bool = True


@dataclass(frozen=True)
class DayTime:
    out_of_cell: int
    in_company: int

    @property
    def locked_in(self) -> int:
        return DAY_MINUTES - self.out_of_cell


def union_minutes(spans: Iterable[tuple[int, int]]) -> int:
    """Minutes covered by the union of half-open intervals."""
    total = 0
    end = -1
    for starts, ends in sorted(spans):
        if ends <= end:
            continue
        total += ends - max(starts, end)
        end = ends
    return total


def day_time(
    blocks: Iterable[Block],
    sessions: Iterable[Span] = (),
    *,
    present: bool = True,
    closed: bool = False,
    restricted: bool = False,
) -> DayTime:
    """Out of cell and in company for one person and day."""
    if not present:
        return DayTime(0, 0)
    out: list[tuple[int, int]] = []
    company: list[tuple[int, int]] = []
    for block in blocks:
        if block.kind in (LOCKED, ACTIVITIES):
            continue
        if (closed or restricted) and block.kind != OUTDOOR:
            continue
        out.append((block.starts, block.ends))
        if block.in_company and not closed and not restricted:
            company.append((block.starts, block.ends))
    if not closed:
        for span in sessions:
            if restricted and span.in_company:
                continue
            out.append((span.starts, span.ends))
            if span.in_company:
                company.append((span.starts, span.ends))
    return DayTime(union_minutes(out), union_minutes(company))


@dataclass(frozen=True)
class Thresholds:
    locked_in_minutes: int  # locked in this long or longer is counted
    minimum_out_of_cell: int
    source: str


def thresholds(on: dt.date, unit_minimum: int | None = None) -> Thresholds:
    rules: TimeOutOfCellRules = in_force(TIME_OUT_OF_CELL, on)
    return Thresholds(
        rules.locked_in_hours_measure * 60,
        unit_minimum if unit_minimum is not None else rules.minimum_out_of_cell_minutes,
        rules.source,
    )
