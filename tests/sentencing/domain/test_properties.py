"""Invariants of the engine (hypothesis): parole never after expiry, more remand never gives a
later date, and a recalculation is deterministic."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from normalitet.sentencing.domain import (
    DATE_FIELDS,
    CalculationInput,
    CalculationResult,
    Deprivation,
    Interruption,
    InvalidInput,
    Length,
    Period,
    Sentence,
    calculate,
    input_to_json,
    parse_input,
)

# NORMALITET_HYPOTHESIS_EXAMPLES=5000 for a longer search than the default.
SETTINGS = settings(
    max_examples=int(os.environ.get("NORMALITET_HYPOTHESIS_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
ELIGIBILITY = (
    "parole_date",
    "early_parole_date",
    "leave_eligibility_date",
    "day_release_eligibility_date",
    "section_16_eligibility_date",
    "electronic_monitoring_eligibility_date",
    "lower_security_consideration_date",
    "parole_review_date",
)

lengths = st.one_of(
    st.builds(Length, days=st.integers(14, 120)),
    st.builds(Length, months=st.integers(4, 48), days=st.integers(0, 30)),
    st.builds(Length, years=st.integers(1, 20), months=st.integers(0, 11)),
)


@st.composite
def deprivations(draw: st.DrawFn, start: date) -> tuple[Deprivation, ...]:
    """Up to 3 non-overlapping deprivations before S (back to back or with gaps), the last
    possibly running into the start day, each possibly with one isolation period."""
    end = datetime.combine(start, time()) + timedelta(minutes=draw(st.integers(-5000, 600)))
    found = []
    for _ in range(draw(st.integers(0, 3))):
        begin = end - timedelta(minutes=draw(st.integers(0, 200 * 1440)))
        isolation: tuple[Period, ...] = ()
        if draw(st.booleans()) and end > begin:
            a = begin + (end - begin) * draw(st.floats(0, 1))
            b = a + (end - a) * draw(st.floats(0, 1))
            isolation = (
                Period(a.replace(second=0, microsecond=0), b.replace(second=0, microsecond=0)),
            )
            assume(isolation[0].start >= begin and isolation[0].end >= isolation[0].start)
        found.append(Deprivation(begin, end, isolation))
        end = begin - timedelta(minutes=draw(st.integers(0, 100 * 1440)))
    return tuple(reversed(found))


@st.composite
def interruptions(draw: st.DrawFn, start: date) -> tuple[Interruption, ...]:
    found = []
    cursor = start
    for _ in range(draw(st.integers(0, 2))):
        begin = cursor + timedelta(days=draw(st.integers(0, 2000)))
        cursor = begin + timedelta(days=draw(st.integers(0, 90)))
        found.append(Interruption(begin, cursor, draw(st.sampled_from(["escape", "interruption"]))))
    return tuple(found)


@st.composite
def prison_inputs(draw: st.DrawFn) -> CalculationInput:
    start = draw(st.dates(min_value=date(2003, 1, 1), max_value=date(2090, 12, 31)))
    sentences = tuple(
        Sentence(length=length, excluded_from_em=draw(st.booleans()))
        for length in draw(st.lists(lengths, min_size=1, max_size=3))
    )
    return CalculationInput(
        start_date=start,
        sentences=sentences,
        deprivations=draw(deprivations(start)),
        interruptions=draw(interruptions(start)),
        parole_refusals=draw(st.integers(0, 3)),
    )


@st.composite
def preventive_inputs(draw: st.DrawFn) -> CalculationInput:
    start = draw(st.dates(min_value=date(2003, 1, 1), max_value=date(2090, 12, 31)))
    frame_years = draw(st.integers(1, 21))
    cap = 20 if frame_years > 21 else 14 if frame_years > 15 else 10
    minimum = Length(
        years=draw(st.integers(0, min(cap, frame_years) - 1)), months=draw(st.integers(0, 11))
    )
    sentence = Sentence(
        kind="preventive_detention",
        time_frame=Length(years=frame_years),
        minimum_term=minimum,
        date_final=start - timedelta(days=draw(st.integers(0, 400))),
        extensions=tuple(Length(years=y) for y in draw(st.lists(st.integers(1, 5), max_size=2))),
    )
    return CalculationInput(
        start, (sentence,), draw(deprivations(start)), draw(interruptions(start))
    )


def compute(inp: CalculationInput) -> CalculationResult:
    try:
        return calculate(inp)
    except InvalidInput:
        assume(False)  # e.g. a generated wall-clock time in the spring-forward gap
        raise


def more_remand(inp: CalculationInput, minutes: int) -> CalculationInput:
    """The same input with a further deprivation of `minutes`, ending a day before the first."""
    first = min(
        (d.start for d in inp.deprivations), default=datetime.combine(inp.start_date, time())
    )
    end = first - timedelta(days=1)
    extra = Deprivation(end - timedelta(minutes=minutes), end)
    return replace(inp, deprivations=(extra, *inp.deprivations))


def longer_remand(inp: CalculationInput, minutes: int) -> CalculationInput:
    """The same input with the first deprivation starting `minutes` earlier."""
    assume(inp.deprivations)
    first, *rest = sorted(inp.deprivations, key=lambda d: d.start)
    return replace(
        inp, deprivations=(replace(first, start=first.start - timedelta(minutes=minutes)), *rest)
    )


@SETTINGS
@given(prison_inputs())
def test_property_parole_never_after_expiry_and_no_date_before_start(inp: CalculationInput) -> None:
    result = compute(inp)
    expiry = result.expiry_date
    assert expiry is not None
    for field in ELIGIBILITY:
        value = getattr(result, field)
        if value is not None:
            assert inp.start_date <= value <= expiry, field
    if result.parole_date and result.early_parole_date:
        assert result.early_parole_date <= result.parole_date
    if result.parole_date is not None:
        assert result.sentence_days >= 74


@SETTINGS
@given(prison_inputs(), st.integers(0, 400 * 1440))
def test_property_more_remand_never_gives_a_later_date(inp: CalculationInput, minutes: int) -> None:
    before = compute(inp)
    for changed in (more_remand(inp, minutes),):
        after = compute(changed)
        assert after.remand_deduction_days >= before.remand_deduction_days
        for field in DATE_FIELDS:
            old, new = getattr(before, field), getattr(after, field)
            if old is not None and new is not None:
                assert new <= old, field


@SETTINGS
@given(prison_inputs(), st.integers(0, 100 * 1440))
def test_property_longer_remand_never_gives_a_later_date(
    inp: CalculationInput, minutes: int
) -> None:
    before = compute(inp)
    after = compute(longer_remand(inp, minutes))
    assert after.remand_deduction_days >= before.remand_deduction_days
    for field in DATE_FIELDS:
        old, new = getattr(before, field), getattr(after, field)
        if old is not None and new is not None:
            assert new <= old, field


@SETTINGS
@given(preventive_inputs(), st.integers(0, 400 * 1440))
def test_property_preventive_detention_invariants(inp: CalculationInput, minutes: int) -> None:
    result = compute(inp)
    frame_end = result.time_frame_end_date
    assert frame_end is not None
    assert (
        result.extension_deadline_date is not None and result.extension_deadline_date <= frame_end
    )
    if result.minimum_term_end_date is not None:
        assert result.minimum_term_end_date <= frame_end
    if result.leave_eligibility_date is not None and result.minimum_term_end_date is not None:
        assert result.leave_eligibility_date <= result.minimum_term_end_date
    after = compute(more_remand(inp, minutes))
    for field in ("time_frame_end_date", "minimum_term_end_date", "leave_eligibility_date"):
        old, new = getattr(result, field), getattr(after, field)
        if old is not None and new is not None:
            assert new <= old, field


@SETTINGS
@given(st.one_of(prison_inputs(), preventive_inputs()))
def test_property_recalculation_is_deterministic(inp: CalculationInput) -> None:
    first = compute(inp)
    assert calculate(inp) == first
    # Order of records does not matter, and a stored input recalculates to the same result.
    reordered = replace(
        inp,
        deprivations=tuple(reversed(inp.deprivations)),
        interruptions=tuple(reversed(inp.interruptions)),
    )
    assert calculate(reordered).dates() == first.dates()
    stored = json.loads(json.dumps(input_to_json(inp)))
    assert calculate(parse_input(stored)) == first
