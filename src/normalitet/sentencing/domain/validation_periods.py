"""Refusals for deprivations of liberty, isolation and interruptions (STRL § 83; SGF § 3-2)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TypeVar

from .dates import LATEST_DATE
from .model import INTERRUPTION_REASONS, CalculationInput, FieldError
from .remand import Instants, Span, instants, start_of_day, zone
from .rules import RuleSet

_T = TypeVar("_T", date, datetime)


def check_deprivations(
    inp: CalculationInput, rules: RuleSet, spans: Instants | None, errors: list[FieldError]
) -> None:
    if not inp.deprivations:
        return
    rule, tz = rules.citations["deduction"], zone(rules.local_timezone)
    if spans is None:
        spans = instants(inp.deprivations, tz)
    day_after = start_of_day(date.fromordinal(inp.start_date.toordinal() + 1), tz)
    found: list[tuple[datetime, datetime, int]] = []
    for index, ((start, end, _), periods) in enumerate(spans):
        field = f"deprivations[{index}]"
        if end < start:
            errors.append(FieldError(f"{field}.to", "The deprivation ends before it starts.", rule))
            continue
        if start >= day_after:
            errors.append(
                FieldError(
                    f"{field}.from",
                    "Deprivation of liberty after the start "
                    "of execution is not deducted: record an interruption.",
                    rule,
                )
            )
        elif end > day_after:
            errors.append(
                FieldError(
                    f"{field}.to", "The deprivation runs past the day execution starts.", rule
                )
            )
        found.append((start, end, index))
        if periods:
            _isolation(periods, start, end, field, rule, errors)
    if len(found) > 1:
        _overlaps(found, "deprivations", "Deprivations of liberty overlap", rule, errors)


def _isolation(
    periods: list[Span],
    dep_start: datetime,
    dep_end: datetime,
    field: str,
    rule: str,
    errors: list[FieldError],
) -> None:
    found: list[tuple[datetime, datetime, int]] = []
    for index, (start, end, _) in enumerate(periods):
        name = f"{field}.full_isolation[{index}]"
        if end < start:
            errors.append(FieldError(f"{name}.to", "The isolation ends before it starts.", rule))
        elif start < dep_start or end > dep_end:
            errors.append(
                FieldError(name, "Full isolation lies outside its deprivation of liberty.", rule)
            )
        else:
            found.append((start, end, index))
    if len(found) > 1:
        _overlaps(
            found, f"{field}.full_isolation", "Periods of full isolation overlap", rule, errors
        )


def _overlaps(
    spans: list[tuple[_T, _T, int]],
    prefix: str,
    message: str,
    rule: str,
    errors: list[FieldError],
) -> None:
    """Report each record that starts before the previous one (in time) has ended."""
    spans.sort()
    for (_, prev_end, prev_index), (start, _, index) in zip(spans, spans[1:], strict=False):
        if start < prev_end:
            errors.append(
                FieldError(f"{prefix}[{index}]", f"{message} ({prefix}[{prev_index}]).", rule)
            )


def check_interruptions(inp: CalculationInput, rules: RuleSet, errors: list[FieldError]) -> None:
    rule, fmt = rules.citations["interruption"], rules.citations["input_format"]
    spans: list[tuple[date, date, int]] = []
    for index, item in enumerate(inp.interruptions):
        field = f"interruptions[{index}]"
        if item.reason not in INTERRUPTION_REASONS:
            errors.append(
                FieldError(
                    f"{field}.reason",
                    f"Unknown reason {item.reason!r}; one of {', '.join(INTERRUPTION_REASONS)}.",
                    fmt,
                )
            )
        if item.end < item.start:
            errors.append(
                FieldError(f"{field}.to", "The interruption ends before it starts.", rule)
            )
        elif item.start < inp.start_date:
            errors.append(
                FieldError(
                    f"{field}.from",
                    "An interruption cannot start before the execution starts.",
                    rule,
                )
            )
        elif item.end > LATEST_DATE:
            errors.append(FieldError(f"{field}.to", "The date is out of range.", fmt))
        else:
            spans.append((item.start, item.end, index))
    _overlaps(spans, "interruptions", "Interruptions overlap", rule, errors)
