"""Dates of preventive detention (forvaring, STRL §§ 43-44; RULES.md § 2).

The remand deduction applies in full to both the minimum term (minstetid) and the time frame
(tidsramme). A court extension lengthens the frame, moving its end and the prosecution's deadline;
a refusal of release on probation moves the next application date to 1 year after the refusal.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from .dates import add_calendar
from .model import CalculationInput, Length, RawStep, Sentence
from .rounding import days_for_fraction
from .rules import NO_2024_1, RuleSet
from .timeline import Timeline

_PRISON_ONLY = (
    "expiry_date",
    "parole_date",
    "early_parole_date",
    "day_release_eligibility_date",
    "section_16_eligibility_date",
    "electronic_monitoring_eligibility_date",
    "lower_security_consideration_date",
    "parole_review_date",
)


def extend_time_frame(sentence: Sentence, extension: Length) -> Sentence:
    """The sentence after a court extends its time frame by `extension` (STRL § 43; at most
    5 years at a time, checked when the sentence is calculated)."""
    return replace(sentence, extensions=(*sentence.extensions, extension))


def refuse_probation(sentence: Sentence, refusal_final_on: date) -> Sentence:
    """The sentence after a refusal of release on probation became final on `refusal_final_on`:
    the next application may come 1 year later (STRL § 44)."""
    return replace(sentence, probation_refusals=(*sentence.probation_refusals, refusal_final_on))


def probation_application_date(sentence: Sentence, rules: RuleSet = NO_2024_1) -> date:
    """First day the person may apply for release on probation: 1 calendar year after the
    judgment, or the latest refusal, became final (STRL § 44)."""
    assert sentence.date_final is not None  # validated
    basis = max((sentence.date_final, *sentence.probation_refusals))
    return add_calendar(basis, years=rules.probation_application_wait_years)


def time_frame_days(sentence: Sentence, start: date, rule: str) -> tuple[int, list[RawStep]]:
    """The frame in days from S, each court extension counted in calendar terms from where the
    frame then ended (STRL § 43)."""
    frame = sentence.time_frame
    assert frame is not None  # validated
    until = add_calendar(start, frame.years, frame.months, frame.days)
    total = (until - start).days
    steps: list[RawStep] = [
        (
            "preventive.time_frame",
            rule,
            {"length": frame, "from": start, "until": until, "days": total},
            False,
        )
    ]
    for index, extension in enumerate(sentence.extensions):
        begins = until
        until = add_calendar(begins, extension.years, extension.months, extension.days)
        days = (until - begins).days
        total += days
        values = {
            "index": index,
            "length": extension,
            "from": begins,
            "until": until,
            "days": days,
            "total": total,
        }
        steps.append(("preventive.extension", rule, values, False))
    return total, steps


def preventive_dates(inp: CalculationInput, line: Timeline) -> tuple[int, list[RawStep]]:
    """Fill `line` with the dates of a preventive detention sentence; return the frame days."""
    rules, start = line.rules, inp.start_date
    rule = rules.citations["preventive"]
    sentence = inp.sentences[0]
    total, total_steps = time_frame_days(sentence, start, rule)

    frame_steps: list[RawStep] = [("preventive.frame_end", rule, {"days": total}, False)]
    frame_end = line.served(total, frame_steps)
    line.set("time_frame_end_date", frame_end, frame_steps)

    months = rules.extension_notice_months
    deadline = add_calendar(frame_end, months=-months)
    steps: list[RawStep] = [
        (
            "preventive.extension_deadline",
            rule,
            {"months": months, "frame_end": frame_end, "date": deadline},
            False,
        )
    ]
    line.set("extension_deadline_date", line.not_before_start(deadline, steps), steps)

    _minimum_term(sentence, line, frame_end)
    _probation_application(sentence, line, frame_end)
    line.not_applicable_all(_PRISON_ONLY, "not_applicable.preventive_detention", rule)
    return total, total_steps


def _minimum_term(sentence: Sentence, line: Timeline, frame_end: date) -> None:
    """Minimum-term end, and leave after two-thirds of the minimum term (UNVERIFIED)."""
    rules, start = line.rules, line.start
    rule, leave_rule = rules.citations["preventive"], rules.citations["preventive_leave"]
    term = sentence.minimum_term
    if term is None or term.is_zero():
        line.not_applicable("minimum_term_end_date", "preventive.no_minimum_term", rule)
        line.not_applicable("leave_eligibility_date", "preventive.no_minimum_term", leave_rule)
        return
    until = add_calendar(start, term.years, term.months, term.days)
    days = (until - start).days
    steps: list[RawStep] = [
        (
            "preventive.minimum_term",
            rule,
            {"length": term, "from": start, "until": until, "days": days},
            False,
        )
    ]
    line.set("minimum_term_end_date", line.served(days, steps), steps)

    fraction = rules.preventive_leave_fraction
    leave_days = days_for_fraction(days, fraction, rules.fraction_rounding)
    unverified = rules.is_unverified("preventive_leave_fraction") or rules.is_unverified(
        "fraction_rounding"
    )
    values = {
        "minimum_term_days": days,
        "fraction": fraction,
        "days": leave_days,
        "rounding": rules.fraction_rounding,
    }
    steps = [("preventive.leave_fraction", leave_rule, values, unverified)]
    leave = line.served(leave_days, steps)
    line.set_unless_after("leave_eligibility_date", leave, frame_end, steps, leave_rule)


def _probation_application(sentence: Sentence, line: Timeline, frame_end: date) -> None:
    """STRL § 44: 1 calendar year after the judgment (or the latest refusal) became final."""
    rules, rule = line.rules, line.rules.citations["preventive_probation"]
    assert sentence.date_final is not None  # validated
    refused = bool(sentence.probation_refusals)
    basis = max((sentence.date_final, *sentence.probation_refusals))
    day = probation_application_date(sentence, rules)
    code = "preventive.probation_after_refusal" if refused else "preventive.probation_application"
    values = {"years": rules.probation_application_wait_years, "final": basis, "date": day}
    steps: list[RawStep] = [(code, rule, values, False)]
    day = line.not_before_start(day, steps)
    line.set_unless_after("probation_application_date", day, frame_end, steps, rule)
