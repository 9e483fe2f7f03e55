"""Deduction for deprivation of liberty before execution (varetektsfradrag, STRL § 83).

For each *continuous* deprivation of H hours, ceil((H - 4) / 24) days if H > 4; for each continuous
period of court-ordered full isolation of I hours, if I > 4, a further ceil(I / 48) days. Police
custody and remand recorded back to back (one ends the moment the next begins) are one continuous
deprivation, and so are isolation orders renewed back to back: the first 4 hours are free once.
Exclusion imposed by the prison gives no extra day (HR-2018-1261-A), so it is not an input here.

Hours are real elapsed hours: wall-clock times are read in the rule set's local time zone, so a
night with a daylight-saving change is 23 or 25 hours long.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from operator import itemgetter
from zoneinfo import ZoneInfo

from .model import Deprivation, Period, RawStep
from .rules import RuleSet

ZERO = timedelta(0)
_START_END = itemgetter(0, 1)

# An instant span: UTC start, UTC end, the record as entered.
Span = tuple[datetime, datetime, Deprivation | Period]
# A deprivation as instants, with its isolation periods as instants.
Instants = list[tuple[Span, list[Span]]]


@lru_cache(maxsize=8)
def zone(key: str) -> ZoneInfo:
    """The local time zone of a rule set."""
    return ZoneInfo(key)


def to_utc(moment: datetime, tz: ZoneInfo) -> datetime:
    """An input date-time as a naive UTC instant (naive input is wall-clock time in `tz`; in the
    repeated hour of autumn the first occurrence is meant)."""
    if moment.tzinfo is None:
        return moment - (tz.utcoffset(moment) or ZERO)
    return moment.replace(tzinfo=None) - (moment.utcoffset() or ZERO)


def start_of_day(day: date, tz: ZoneInfo) -> datetime:
    """Local midnight at the start of `day`, as a naive UTC instant."""
    return to_utc(datetime.combine(day, time()), tz)


def instants(deprivations: tuple[Deprivation, ...], tz: ZoneInfo) -> Instants:
    """Every deprivation and isolation period as UTC instants, computed once per calculation."""
    return [
        (
            (to_utc(d.start, tz), to_utc(d.end, tz), d),
            [(to_utc(p.start, tz), to_utc(p.end, tz), p) for p in d.full_isolation],
        )
        for d in deprivations
    ]


class _Block:
    """A continuous stretch of deprivation (or of isolation): one or more adjoining records."""

    __slots__ = ("start", "end", "shown_start", "shown_end", "parts")

    def __init__(self, start: datetime, end: datetime, record: Deprivation | Period) -> None:
        self.start, self.end = start, end
        self.shown_start, self.shown_end = record.start, record.end
        self.parts = 1

    def seconds(self) -> int:
        span = self.end - self.start
        return span.days * 86400 + span.seconds


def _merge(spans: list[Span]) -> list[_Block]:
    """Join records that adjoin exactly (end of one = start of the next) into continuous blocks."""
    spans.sort(key=_START_END)
    blocks: list[_Block] = []
    last: _Block | None = None
    for start, end, record in spans:
        if last is not None and last.end == start:
            last.end, last.shown_end, last.parts = end, record.end, last.parts + 1
        else:
            last = _Block(start, end, record)
            blocks.append(last)
    return blocks


def remand_deduction(
    deprivations: tuple[Deprivation, ...],
    start_date: date,
    rules: RuleSet,
    spans: Instants | None = None,
) -> tuple[int, list[RawStep], date | None]:
    """Deduction D in days (STRL § 83), its explanation, and the first day C of the continuous
    deprivation that runs without a gap up to the start date (None if there is none).

    A deprivation reaches the start date when it ends at or after local midnight starting S."""
    rule = rules.citations["deduction"]
    if not deprivations:
        return 0, [("remand.none", rule, {}, False)], None
    tz = zone(rules.local_timezone)
    if spans is None:
        spans = instants(deprivations, tz)
    blocks = _merge([span for span, _ in spans])
    isolation = _merge([span for _, periods in spans for span in periods])
    grace, period = rules.remand_grace_hours * 3600, rules.remand_period_hours * 3600
    iso_grace, iso_period = rules.isolation_grace_hours * 3600, rules.isolation_period_hours * 3600
    total = 0
    steps: list[RawStep] = []
    for code, found, free, length in (
        ("remand.deprivation", blocks, grace, period),
        ("remand.full_isolation", isolation, iso_grace, iso_period),
    ):
        for block in found:
            seconds = block.seconds()
            if seconds <= free:
                days = 0
            elif code == "remand.deprivation":
                days = -(-(seconds - free) // length)
            else:
                days = -(-seconds // length)
            total += days
            values = {
                "from": block.shown_start,
                "to": block.shown_end,
                "hours": seconds // 3600,
                "minutes": seconds % 3600 // 60,
                "parts": block.parts,
                "days": days,
            }
            steps.append((code, rule, values, False))
    steps.append(("remand.total", rule, {"days": total}, False))
    last = blocks[-1]
    reaches_start = last.end >= start_of_day(start_date, tz)
    return total, steps, (last.shown_start.date() if reaches_start else None)
