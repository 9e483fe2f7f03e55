"""Explanations as data: each step has a stable `code` a UI translates, the rule it cites, its
values, and an English text rendered here from the code's template."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from .model import Length, RawStep

TEXTS: dict[str, str] = {
    "sentence.length": "Sentence {index_1}, {length}, counted in calendar terms from {from} to "
    "{until}: {days} days.",
    "sentence.total": "Sentences are served one after the other and added together: {days} days.",
    "sentence.fraction": "{fraction} of {sentence_days} days, rounded {rounding} to whole days: "
    "{days} days.",
    "remand.none": "No deprivation of liberty before the start: no deduction.",
    "remand.deprivation": "Deprivation of liberty {from} to {to} ({hours} h {minutes} min): one "
    "day for each started 24 hours beyond the first 4 hours = {days} days.",
    "remand.full_isolation": "Full isolation {from} to {to} ({hours} h {minutes} min): one more "
    "day for each started 2 days = {days} days.",
    "remand.total": "Deduction in total: {days} days.",
    "date.day_served": "The day {days} days are served, counting {deduction} days of deduction "
    "as served: {start} + ({days} - {deduction}) - 1 = {date}.",
    "date.not_before_start": "No date is before the start of execution: {date}.",
    "date.after_end": "{date} is after the last day, {end}: this date does not apply.",
    "date.later_of": "The later of {first} and {second}: {date}.",
    "expiry.whole_sentence": "The sentence ends on the day all {days} days are served.",
    "parole.fraction": "Two-thirds of {sentence_days} days, rounded {rounding}: {days} days.",
    "parole.early_fraction": "Half of {sentence_days} days, rounded {rounding}: {days} days.",
    "parole.minimum_days": "At least {days} days must be served.",
    "parole.served_in_full": "Only {remaining} days would remain (less than {min}): the sentence "
    "is served in full; parole only for weighty reasons.",
    "custody.from_deprivation": "Continuous custody began on {from} (deprivation of liberty "
    "running up to the start); {months} months are completed on {date}.",
    "custody.from_start": "Continuous custody began at the start, {from}; {months} months are "
    "completed on {date}.",
    "leave.long_sentence": "Sentence over 12 years: instead of one-third, {years} calendar years "
    "from the start, {days} days, must be served.",
    "em.excluded": "The offence excludes electronic monitoring.",
    "em.whole_sentence": "The sentence is at most {months} calendar months ({limit_days} days): "
    "electronic monitoring may apply from the start, {date}.",
    "em.before_release": "{months} calendar months before the expected release on {release}: "
    "{date}.",
    "lower_security.before_parole": "{months} months before the parole date {parole}: {date}.",
    "lower_security.no_parole": "No parole date, so no consideration date before it.",
    "parole_review.no_refusal": "Parole has not been refused.",
    "parole_review.no_parole": "No ordinary parole date to review.",
    "parole_review.after_refusals": "After {refusals} refusal(s), a new review every {months} "
    "months from the parole date {parole}: {date}.",
    "not_applicable.prison": "Applies only to preventive detention.",
    "not_applicable.preventive_detention": "Does not apply to preventive detention.",
    "preventive.time_frame": "Time frame {length}, counted in calendar terms from {from} to "
    "{until}: {days} days.",
    "preventive.extension": "Court extension {index_1} of {length}, from {from} to {until}: "
    "{days} more days, {total} in all.",
    "preventive.frame_end": "The time frame ends on the day all {days} days are served.",
    "preventive.extension_deadline": "The prosecution must bring an extension at least {months} "
    "months before the frame ends on {frame_end}: {date}.",
    "preventive.minimum_term": "Minimum term {length}, counted in calendar terms from {from} to "
    "{until}: {days} days.",
    "preventive.no_minimum_term": "No minimum term was set.",
    "preventive.leave_fraction": "{fraction} of the minimum term of {minimum_term_days} days, "
    "rounded {rounding}: {days} days.",
    "preventive.probation_application": "The judgment became final on {final}; an application "
    "may come {years} year(s) later: {date}.",
    "preventive.probation_after_refusal": "The last refusal became final on {final}; a new "
    "application may come {years} year(s) later: {date}.",
    "interruption.shift": "Interruption ({reason}) from {from} to {to} does not count as served: "
    "{days} days later, {date}.",
}

_FRACTION_WORDS = {"2/3": "Two-thirds", "1/2": "Half", "1/3": "One-third"}
_REASON_WORDS = {
    "escape": "escape",
    "failure_to_return": "failure to return from leave",
    "interruption": "interruption of the sentence",
    "remand_other_case": "remand in another case",
}


def _length_text(length: Length) -> str:
    parts = [
        f"{n} {word}{'' if n == 1 else 's'}"
        for n, word in ((length.years, "year"), (length.months, "month"), (length.days, "day"))
        if n
    ]
    return ", ".join(parts) or "0 days"


def json_value(value: Any) -> Any:
    """A value as JSON: dates ISO 8601, lengths ISO 8601 durations, fractions `2/3`."""
    cls = type(value)
    if cls is date:
        return value.isoformat()
    if cls is datetime:
        return value.isoformat(timespec="minutes")
    if cls is Length:
        return value.iso()
    if cls is Fraction:
        return f"{value.numerator}/{value.denominator}"
    return value


def _values(values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The values as JSON and as they read in the English text, in one pass."""
    as_json: dict[str, Any] = {}
    as_text: dict[str, Any] = {}
    for key, value in values.items():
        cls = type(value)
        if cls is int or cls is str or cls is bool:
            as_json[key] = as_text[key] = value
        elif cls is date:
            as_json[key] = as_text[key] = value.isoformat()
        elif cls is datetime:
            shown = as_json[key] = value.isoformat(timespec="minutes")
            as_text[key] = shown[:16].replace("T", " ")
        elif cls is Length:
            as_json[key] = value.iso()
            as_text[key] = _length_text(value)
        else:
            as_json[key] = as_text[key] = json_value(value)
    if "index" in as_text:
        as_text["index_1"] = as_text["index"] + 1
    if "fraction" in as_text:
        as_text["fraction"] = _FRACTION_WORDS.get(as_text["fraction"], as_text["fraction"])
    if "reason" in as_text:
        as_text["reason"] = _REASON_WORDS.get(as_text["reason"], as_text["reason"])
    return as_json, as_text


def step_text(step: RawStep) -> str:
    """The English text of a step (a `Step` or the raw tuple)."""
    return TEXTS[step[0]].format_map(_values(step[2])[1])


def step_json(step: RawStep) -> dict[str, Any]:
    """A step as JSON: `code`, `text`, `rule`, `values`, `unverified`."""
    code, rule, values, unverified = step
    as_json, as_text = _values(values)
    return {
        "code": code,
        "text": TEXTS[code].format_map(as_text),
        "rule": rule,
        "values": as_json,
        "unverified": unverified,
    }
