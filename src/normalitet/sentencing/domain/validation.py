"""Refuse invalid input with the rule it breaks, never compute it (issue 3; RULES.md §§ 1-2, 4).

`validate` returns every problem at once, each as a `FieldError` with a JSON path to the field.
"""

from __future__ import annotations

from datetime import date

from .dates import EARLIEST_DATE, LATEST_DATE, add_calendar
from .model import (
    PREVENTIVE_DETENTION,
    PRISON,
    CalculationInput,
    FieldError,
    Length,
    Sentence,
)
from .remand import Instants
from .rules import RuleSet
from .validation_periods import check_deprivations, check_interruptions

# Beyond these a length is over every cap; checking them first keeps date arithmetic in range.
_MAX_YEARS, _MAX_MONTHS, _MAX_DAYS = 200, 2400, 73000


def validate(
    inp: CalculationInput, rules: RuleSet, spans: Instants | None = None
) -> list[FieldError]:
    """All the reasons `inp` must be refused (empty if it can be calculated). `spans` are the
    deprivations as instants (`remand.instants`) if the caller has them already."""
    errors: list[FieldError] = []
    fmt = rules.citations["input_format"]
    if not EARLIEST_DATE <= inp.start_date <= LATEST_DATE:
        errors.append(FieldError("start_date", "The start date is out of range.", fmt))
        return errors
    _sentences(inp, rules, errors)
    check_deprivations(inp, rules, spans, errors)
    if inp.interruptions:
        check_interruptions(inp, rules, errors)
    if inp.parole_refusals < 0:
        errors.append(FieldError("parole_refusals", "Must not be negative.", fmt))
    return errors


def _length_error(length: Length, field: str, rules: RuleSet) -> FieldError | None:
    fmt = rules.citations["input_format"]
    if min(length.years, length.months, length.days) < 0:
        return FieldError(field, "A length must not be negative.", fmt)
    return None


def _end(begins: date, length: Length) -> date | None:
    """The day after `length` from `begins`; None if the length is beyond any cap."""
    if length.years > _MAX_YEARS or length.months > _MAX_MONTHS or length.days > _MAX_DAYS:
        return None
    return add_calendar(begins, length.years, length.months, length.days)


def _too_long(begins: date, length: Length, cap_years: int) -> bool:
    until = _end(begins, length)
    return until is None or until > add_calendar(begins, cap_years)


def _sentences(inp: CalculationInput, rules: RuleSet, errors: list[FieldError]) -> None:
    cite = rules.citations
    if not inp.sentences:
        errors.append(
            FieldError("sentences", "At least one sentence is required.", cite["input_format"])
        )
        return
    kinds = [s.kind for s in inp.sentences]
    if PREVENTIVE_DETENTION in kinds and len(kinds) > 1:
        errors.append(
            FieldError(
                "sentences",
                "Preventive detention combined with other sentences is unsupported: "
                "calculate it alone.",
                cite["sentences_added"],
            )
        )
        return
    begins = inp.start_date
    for index, sentence in enumerate(inp.sentences):
        field = f"sentences[{index}]"
        if sentence.kind == PRISON:
            # After an invalid sentence the next one's start is approximate; it is still checked.
            begins = _prison(sentence, field, begins, rules, errors) or begins
        elif sentence.kind == PREVENTIVE_DETENTION:
            _preventive(sentence, field, begins, inp.parole_refusals, rules, errors)
        else:
            errors.append(
                FieldError(
                    f"{field}.kind", f"Unknown kind {sentence.kind!r}.", cite["input_format"]
                )
            )


def _cap(sentence: Sentence, rules: RuleSet, preventive: bool) -> tuple[int, str]:
    cite = rules.citations
    if preventive:
        if sentence.under_18_at_offence:
            return rules.time_frame_max_years_under_18, cite["preventive"]
        if sentence.thirty_year_offence:
            return rules.time_frame_max_years_thirty_year_offence, cite["preventive"]
        return rules.time_frame_max_years, cite["preventive"]
    if sentence.under_18_at_offence:
        return rules.maximum_sentence_years_under_18, cite["sentence_under_18"]
    if sentence.thirty_year_offence:
        return rules.maximum_sentence_years_thirty_year_offence, cite["sentence_thirty_years"]
    return rules.maximum_sentence_years, cite["sentence_maximum"]


def _prison(
    sentence: Sentence, field: str, begins: date, rules: RuleSet, errors: list[FieldError]
) -> date | None:
    """Check one prison sentence; return the day after it if it is valid."""
    cite = rules.citations
    for name, value in (
        ("minimum_term", sentence.minimum_term),
        ("time_frame", sentence.time_frame),
    ):
        if value is not None and not value.is_zero():
            errors.append(
                FieldError(
                    f"{field}.{name}", "Only preventive detention has this.", cite["preventive"]
                )
            )
    if sentence.extensions or sentence.probation_refusals:
        errors.append(
            FieldError(
                field,
                "Extensions and probation refusals apply only to preventive detention.",
                cite["preventive"],
            )
        )
    length = sentence.length
    if length is None:
        errors.append(
            FieldError(
                f"{field}.length", "A prison sentence needs a length.", cite["sentence_minimum"]
            )
        )
        return None
    error = _length_error(length, f"{field}.length", rules)
    if error:
        errors.append(error)
        return None
    cap, rule = _cap(sentence, rules, preventive=False)
    until = _end(begins, length)
    if until is None or until > add_calendar(begins, cap):
        errors.append(
            FieldError(
                f"{field}.length", f"The term is longer than the maximum of {cap} years.", rule
            )
        )
        return None
    days = until.toordinal() - begins.toordinal()
    if days < rules.minimum_sentence_days:
        errors.append(
            FieldError(
                f"{field}.length",
                f"The term is {days} days; the minimum is {rules.minimum_sentence_days} days.",
                cite["sentence_minimum"],
            )
        )
    return until


def _preventive(
    sentence: Sentence,
    field: str,
    begins: date,
    refusals: int,
    rules: RuleSet,
    errors: list[FieldError],
) -> None:
    cite = rules.citations
    rule = cite["preventive"]
    if sentence.length is not None and not sentence.length.is_zero():
        errors.append(
            FieldError(
                f"{field}.length",
                "Preventive detention has a time frame and a minimum term, not a length.",
                rule,
            )
        )
    if sentence.date_final is None:
        errors.append(
            FieldError(
                f"{field}.date_final",
                "The date the judgment became final is required for preventive detention.",
                cite["preventive_probation"],
            )
        )
    elif any(refusal < sentence.date_final for refusal in sentence.probation_refusals):
        errors.append(
            FieldError(
                f"{field}.probation_refusals",
                "A refusal cannot become final before the judgment.",
                cite["preventive_probation"],
            )
        )
    if refusals:
        errors.append(
            FieldError(
                "parole_refusals", "Parole does not apply to preventive detention.", cite["parole"]
            )
        )
    frame = sentence.time_frame
    if frame is None or frame.is_zero():
        errors.append(FieldError(f"{field}.time_frame", "A time frame is required.", rule))
        return
    if error := _length_error(frame, f"{field}.time_frame", rules):
        errors.append(error)
        return
    cap, cap_rule = _cap(sentence, rules, preventive=True)
    if _too_long(begins, frame, cap):
        errors.append(
            FieldError(
                f"{field}.time_frame",
                f"The time frame is longer than the maximum of {cap} years.",
                cap_rule,
            )
        )
        return
    _minimum_term(sentence, field, begins, frame, rules, errors)
    until = add_calendar(begins, frame.years, frame.months, frame.days)
    limit = rules.time_frame_extension_max_years
    for index, extension in enumerate(sentence.extensions):
        name = f"{field}.extensions[{index}]"
        if error := _length_error(extension, name, rules):
            errors.append(error)
            return
        if extension.is_zero() or _too_long(until, extension, limit):
            errors.append(
                FieldError(
                    name,
                    f"An extension is longer than zero and at most {limit} years at a time.",
                    rule,
                )
            )
            return
        until = add_calendar(until, extension.years, extension.months, extension.days)


def _minimum_term(
    sentence: Sentence,
    field: str,
    begins: date,
    frame: Length,
    rules: RuleSet,
    errors: list[FieldError],
) -> None:
    term, rule = sentence.minimum_term, rules.citations["preventive"]
    if term is None:
        return
    if error := _length_error(term, f"{field}.minimum_term", rules):
        errors.append(error)
        return
    if _too_long(begins, frame, 21):
        cap = rules.minimum_term_max_years_frame_over_21
    elif _too_long(begins, frame, 15):
        cap = rules.minimum_term_max_years_frame_over_15
    else:
        cap = rules.minimum_term_max_years
    if _too_long(begins, term, cap):
        errors.append(
            FieldError(
                f"{field}.minimum_term",
                f"The minimum term is longer than the maximum of {cap} years for this time frame.",
                rule,
            )
        )
    elif add_calendar(begins, term.years, term.months, term.days) > add_calendar(
        begins, frame.years, frame.months, frame.days
    ):
        errors.append(
            FieldError(
                f"{field}.minimum_term", "The minimum term is longer than the time frame.", rule
            )
        )
