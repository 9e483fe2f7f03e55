"""The release-date engine: one pure function from input to every legal date, explained.

Issue 3 conventions, in order: the rule set in force on S; validation (refuse, never compute);
the remand deduction D (STRL § 83); the dates of a prison or preventive-detention sentence; then
interruptions (SGF § 3-2), which move every date on or after their first day later by their length,
taken in date order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from .model import (
    PREVENTIVE_DETENTION,
    CalculationInput,
    CalculationResult,
    FieldError,
    Interruption,
    InvalidInput,
)
from .preventive import preventive_dates
from .prison import prison_dates
from .remand import instants, remand_deduction, zone
from .rules import RULE_SETS, NoRuleSet, RuleSet, rule_set_for
from .timeline import Timeline
from .validation import validate


def calculate(
    calculation_input: CalculationInput,
    *,
    rule_sets: Sequence[RuleSet] = RULE_SETS,
    rules: RuleSet | None = None,
) -> CalculationResult:
    """Every legal date of a sentence with its explanation (issue 3; RULES.md §§ 1-6).

    The rule set is the one in force on the start date unless `rules` is given. Raises
    `InvalidInput` with every broken rule if the input must be refused."""
    inp = calculation_input
    if rules is None:
        try:
            rules = rule_set_for(inp.start_date, rule_sets)
        except NoRuleSet as exc:
            error = FieldError("start_date", str(exc), "rule set")
            raise InvalidInput([error]) from None
    spans = instants(inp.deprivations, zone(rules.local_timezone)) if inp.deprivations else None
    errors = validate(inp, rules, spans)
    if errors:
        raise InvalidInput(errors)
    deduction, deduction_steps, continuous_from = remand_deduction(
        inp.deprivations, inp.start_date, rules, spans
    )
    line = Timeline(inp.start_date, deduction, rules)
    if inp.sentences[0].kind == PREVENTIVE_DETENTION:
        total, total_steps = preventive_dates(inp, line)
    else:
        total, total_steps = prison_dates(inp, line, continuous_from)
    if inp.interruptions:
        apply_interruptions(line, inp.interruptions)
    dates = line.dates
    trace = {"sentence_days": total_steps, "remand_deduction_days": deduction_steps}
    trace.update(line.explanation)
    return CalculationResult(
        rule_set=rules.id,
        sentence_days=total,
        remand_deduction_days=deduction,
        expiry_date=dates["expiry_date"],
        parole_date=dates["parole_date"],
        early_parole_date=dates["early_parole_date"],
        leave_eligibility_date=dates["leave_eligibility_date"],
        day_release_eligibility_date=dates["day_release_eligibility_date"],
        section_16_eligibility_date=dates["section_16_eligibility_date"],
        electronic_monitoring_eligibility_date=dates["electronic_monitoring_eligibility_date"],
        lower_security_consideration_date=dates["lower_security_consideration_date"],
        parole_review_date=dates["parole_review_date"],
        minimum_term_end_date=dates["minimum_term_end_date"],
        time_frame_end_date=dates["time_frame_end_date"],
        extension_deadline_date=dates["extension_deadline_date"],
        probation_application_date=dates["probation_application_date"],
        trace=trace,
    )


def apply_interruptions(line: Timeline, interruptions: tuple[Interruption, ...]) -> None:
    """Time not served (SGF § 3-2): each interruption, in date order, moves every date on or after
    its first day later by its length (`to` - `from` in days)."""
    rule = line.rules.citations["interruption"]
    dates, explanation = line.dates, line.explanation
    for item in sorted(interruptions, key=lambda i: (i.start, i.end)):
        length = (item.end - item.start).days
        if not length:
            continue
        shift = timedelta(days=length)
        for key, day in dates.items():
            if day is not None and day >= item.start:
                moved = day + shift
                dates[key] = moved
                values = {
                    "reason": item.reason,
                    "from": item.start,
                    "to": item.end,
                    "days": length,
                    "date": moved,
                }
                explanation[key].append(("interruption.shift", rule, values, False))
