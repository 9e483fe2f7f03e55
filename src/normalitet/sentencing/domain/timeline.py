"""Dates under construction for one calculation, each with the steps that explain it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

from .model import RawStep
from .rules import RuleSet


class Timeline:
    """Start day S, deduction D and the dates found so far with their explanation.

    Conventions of issue 3: "the day N days are served" is S + (N - D) - 1 (credited days count
    as served, STRL § 83); no date is before S; an eligibility date after the expiry date (or the
    frame end) cannot apply and is None."""

    __slots__ = (
        "start",
        "deduction",
        "rules",
        "dates",
        "explanation",
        "rounding_unverified",
        "_counting",
        "_base",
    )

    def __init__(self, start: date, deduction: int, rules: RuleSet) -> None:
        self.start = start
        self.deduction = deduction
        self.rules = rules
        self.dates: dict[str, date | None] = {}
        self.explanation: dict[str, list[RawStep]] = {}
        self._counting = rules.citations["date_counting"]
        self._base = start.toordinal() - deduction - 1
        self.rounding_unverified = rules.is_unverified("fraction_rounding")

    def served(self, days: int, steps: list[RawStep]) -> date:
        """The day `days` days are served, never before S."""
        day, found = self.served_steps(days)
        steps.extend(found)
        return day

    def served_steps(self, days: int) -> tuple[date, tuple[RawStep, ...]]:
        """The day `days` days are served, never before S, and the steps that find it (immutable,
        so several dates built on the same day can share them)."""
        start = self.start
        day = date.fromordinal(self._base + days)
        values = {"start": start, "days": days, "deduction": self.deduction, "date": day}
        step = ("date.day_served", self._counting, values, False)
        if day < start:
            return start, (step, ("date.not_before_start", self._counting, {"date": start}, False))
        return day, (step,)

    def not_before_start(self, day: date, steps: list[RawStep]) -> date:
        """No date is before S: a date that would be is S."""
        if day < self.start:
            steps.append(("date.not_before_start", self._counting, {"date": self.start}, False))
            return self.start
        return day

    def set(self, key: str, value: date | None, steps: list[RawStep]) -> None:
        self.dates[key] = value
        self.explanation[key] = steps

    def set_unless_after(
        self, key: str, value: date, limit: date | None, steps: list[RawStep], rule: str
    ) -> None:
        """Record an eligibility date, or None if it falls after `limit` (it cannot apply)."""
        if limit is not None and value > limit:
            steps.append(("date.after_end", rule, {"date": value, "end": limit}, False))
            self.set(key, None, steps)
        else:
            self.set(key, value, steps)

    def not_applicable(self, key: str, code: str, rule: str) -> None:
        """A date that does not apply, with the one step saying why."""
        self.not_applicable_all((key,), code, rule)

    def not_applicable_all(self, keys: tuple[str, ...], code: str, rule: str) -> None:
        """Dates that do not apply for the same reason."""
        step = _FIXED.get((code, rule))
        if step is None:
            step = _FIXED[code, rule] = (code, rule, _NO_VALUES, False)
        dates, explanation = self.dates, self.explanation
        for key in keys:
            dates[key] = None
            explanation[key] = [step]


_NO_VALUES: Mapping[str, object] = MappingProxyType({})
# Steps without values are immutable and shared between calculations.
_FIXED: dict[tuple[str, str], RawStep] = {}
