"""Small builders for table tests of the release-date engine."""

from __future__ import annotations

from datetime import date, datetime

from normalitet.sentencing.domain import (
    CalculationInput,
    CalculationResult,
    Deprivation,
    Interruption,
    Length,
    Period,
    Sentence,
    calculate,
)


def d(text: str) -> date:
    return date.fromisoformat(text)


def dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def prison(years: int = 0, months: int = 0, days: int = 0, **flags: bool) -> Sentence:
    return Sentence(length=Length(years, months, days), **flags)  # type: ignore[arg-type]


def preventive(
    frame: Length,
    minimum: Length | None = None,
    final: str = "2024-01-15",
    extensions: tuple[Length, ...] = (),
    refusals: tuple[str, ...] = (),
    **flags: bool,
) -> Sentence:
    return Sentence(
        kind="preventive_detention",
        time_frame=frame,
        minimum_term=minimum,
        date_final=d(final),
        extensions=extensions,
        probation_refusals=tuple(d(r) for r in refusals),
        **flags,  # type: ignore[arg-type]
    )


def remand(start: str, end: str, *isolation: tuple[str, str]) -> Deprivation:
    return Deprivation(dt(start), dt(end), tuple(Period(dt(a), dt(b)) for a, b in isolation))


def interruption(start: str, end: str, reason: str = "escape") -> Interruption:
    return Interruption(d(start), d(end), reason)


def make(
    start: str,
    *sentences: Sentence,
    deprivations: tuple[Deprivation, ...] = (),
    interruptions: tuple[Interruption, ...] = (),
    parole_refusals: int = 0,
) -> CalculationInput:
    return CalculationInput(d(start), sentences, deprivations, interruptions, parole_refusals)


def calc(start: str, *sentences: Sentence, **kwargs: object) -> CalculationResult:
    return calculate(make(start, *sentences, **kwargs))  # type: ignore[arg-type]


def codes(result: CalculationResult, field: str) -> list[str]:
    return [step.code for step in result.explanation[field]]
