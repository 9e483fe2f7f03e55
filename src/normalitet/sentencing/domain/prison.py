"""Dates of prison sentences: expiry, parole (SGL § 42), leave and day release (SGL §§ 33, 20),
§ 16, electronic monitoring (SGL § 16 a), lower security (SGL § 14) and parole review (SGF § 3-41).
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from .dates import add_calendar, completed, duration_days
from .model import CalculationInput, RawStep, Sentence
from .review import parole_review_date, parole_review_interval_months
from .rounding import days_for_fraction
from .timeline import Timeline

_PREVENTIVE_ONLY = (
    "minimum_term_end_date",
    "time_frame_end_date",
    "extension_deadline_date",
    "probation_application_date",
)


def prison_sentence_days(
    sentences: tuple[Sentence, ...], start: date, rules_citation: str
) -> tuple[int, list[RawStep]]:
    """Total T: sentences served one after the other in the order given, each counted in
    calendar terms from the day it starts, and added together (SGF § 3-3)."""
    total = 0
    steps: list[RawStep] = []
    begins = start
    for index, sentence in enumerate(sentences):
        length = sentence.length
        assert length is not None  # validated
        until = add_calendar(begins, length.years, length.months, length.days)
        days = (until - begins).days
        steps.append(
            (
                "sentence.length",
                rules_citation,
                {"index": index, "length": length, "from": begins, "until": until, "days": days},
                False,
            )
        )
        total += days
        begins = until
    if len(sentences) > 1:
        steps.append(("sentence.total", rules_citation, {"days": total}, False))
    return total, steps


def _fraction_values(total: int, fraction: Fraction, days: int, rounding: str) -> dict[str, object]:
    return {
        "sentence_days": total,
        "fraction": fraction,
        "days": days,
        "rounding": rounding,
    }


def _parole(
    line: Timeline, total: int, fraction: Fraction, code: str
) -> tuple[date | None, list[RawStep]]:
    """P = max(rounded fraction · T, 60) days; no date when fewer than 14 days would remain."""
    rules = line.rules
    rule = rules.citations["parole"]
    rounding = rules.fraction_rounding
    days = days_for_fraction(total, fraction, rounding)
    values = _fraction_values(total, fraction, days, rounding)
    steps: list[RawStep] = [(code, rule, values, line.rounding_unverified)]
    if days < rules.parole_minimum_days:
        days = rules.parole_minimum_days
        steps.append(("parole.minimum_days", rule, {"days": days}, False))
    remaining = total - days
    if remaining < rules.parole_minimum_remaining_days:
        minimum = rules.parole_minimum_remaining_days
        steps.append(
            ("parole.served_in_full", rule, {"remaining": remaining, "min": minimum}, False)
        )
        return None, steps
    return line.served(days, steps), steps


class _Third:
    """The one-third day, shared by leave, day release and electronic monitoring."""

    __slots__ = ("day", "values", "served", "unverified")

    def __init__(self, line: Timeline, total: int) -> None:
        rules = line.rules
        days = days_for_fraction(total, rules.one_third, rules.fraction_rounding)
        self.values = _fraction_values(total, rules.one_third, days, rules.fraction_rounding)
        self.day, self.served = line.served_steps(days)
        self.unverified = line.rounding_unverified

    def steps(self, rule: str) -> list[RawStep]:
        return [("sentence.fraction", rule, self.values, self.unverified), *self.served]


def prison_dates(
    inp: CalculationInput, line: Timeline, continuous_from: date | None
) -> tuple[int, list[RawStep]]:
    """Fill `line` with every date of a prison sentence; return T and its explanation."""
    rules, start, cite = line.rules, inp.start_date, line.rules.citations
    total, total_steps = prison_sentence_days(inp.sentences, start, cite["sentences_added"])

    rule = cite["date_counting"]
    steps: list[RawStep] = [("expiry.whole_sentence", rule, {"days": total}, False)]
    expiry = line.served(total, steps)
    line.set("expiry_date", expiry, steps)

    parole, steps = _parole(line, total, rules.parole_fraction, "parole.fraction")
    line.set("parole_date", parole, steps)
    early, steps = _parole(line, total, rules.early_parole_fraction, "parole.early_fraction")
    line.set("early_parole_date", early, steps)

    rounding = rules.fraction_rounding
    days = days_for_fraction(total, rules.half, rounding)
    values = _fraction_values(total, rules.half, days, rounding)
    steps = [("sentence.fraction", cite["section_16"], values, line.rounding_unverified)]
    line.set("section_16_eligibility_date", line.served(days, steps), steps)

    third = _Third(line, total)
    _leave_and_day_release(line, total, third, continuous_from, expiry)
    _electronic_monitoring(inp, line, total, third, parole or expiry)
    _lower_security(line, parole)
    _parole_review(inp, line, total, parole, expiry)
    line.not_applicable_all(_PREVENTIVE_ONLY, "not_applicable.prison", cite["preventive"])
    return total, total_steps


def _leave_and_day_release(
    line: Timeline, total: int, third: _Third, continuous_from: date | None, expiry: date
) -> None:
    """SGL §§ 33, 20: the later of the day 4 months of continuous custody from C are completed
    (C: first day of the continuous deprivation running up to S, else S) and the one-third day;
    for T over 12 years, the day 4 calendar years from S are served instead of the one-third day."""
    rules, start, cite = line.rules, line.start, line.rules.citations
    months = rules.continuous_custody_months
    begin = continuous_from or start
    custody = completed(begin, months=months)
    custody_code = "custody.from_deprivation" if continuous_from else "custody.from_start"
    custody_values = {"from": begin, "months": months, "date": custody}
    if total > duration_days(start, years=rules.long_sentence_years):
        years = rules.long_sentence_leave_years
        days = duration_days(start, years=years)
        other, served = line.served_steps(days)
        long_values: dict[str, object] | None = {"years": years, "days": days}
    else:
        other, served, long_values = third.day, (), None
    value = custody if custody > other else other
    later_values = {"first": custody, "second": other, "date": value}
    for key, rule in (
        ("leave_eligibility_date", cite["leave"]),
        ("day_release_eligibility_date", cite["day_release"]),
    ):
        steps: list[RawStep] = [(custody_code, rule, custody_values, False)]
        if long_values is None:
            steps.extend(third.steps(rule))
        else:
            steps.append(("leave.long_sentence", rule, long_values, False))
            steps.extend(served)
        steps.append(("date.later_of", rule, later_values, False))
        line.set_unless_after(key, value, expiry, steps, rule)


def _electronic_monitoring(
    inp: CalculationInput,
    line: Timeline,
    total: int,
    third: _Third,
    release: date,
) -> None:
    """SGL § 16 a: S if T is at most 6 calendar months; otherwise the later of the one-third day
    and 6 calendar months before the expected release (parole date, else expiry)."""
    rules, key = line.rules, "electronic_monitoring_eligibility_date"
    rule = rules.citations["electronic_monitoring"]
    if any(s.excluded_from_em for s in inp.sentences):
        line.not_applicable(key, "em.excluded", rule)
        return
    months = rules.em_whole_sentence_months
    limit = duration_days(line.start, months=months)
    if total <= limit:
        values = {"months": months, "limit_days": limit, "date": line.start}
        line.set(key, line.start, [("em.whole_sentence", rule, values, False)])
        return
    steps = third.steps(rule)
    before = add_calendar(release, months=-rules.em_before_release_months)
    values = {"months": rules.em_before_release_months, "release": release, "date": before}
    steps.append(("em.before_release", rule, values, False))
    value = max(third.day, before)
    steps.append(
        ("date.later_of", rule, {"first": third.day, "second": before, "date": value}, False)
    )
    line.set_unless_after(
        key, line.not_before_start(value, steps), line.dates["expiry_date"], steps, rule
    )


def _lower_security(line: Timeline, parole: date | None) -> None:
    """SGL § 14: lower security is considered 1 calendar year before the parole date."""
    key, rule = "lower_security_consideration_date", line.rules.citations["lower_security"]
    if parole is None:
        line.not_applicable(key, "lower_security.no_parole", rule)
        return
    months = line.rules.lower_security_months_before_parole
    day = add_calendar(parole, months=-months)
    steps: list[RawStep] = [
        (
            "lower_security.before_parole",
            rule,
            {"months": months, "parole": parole, "date": day},
            False,
        )
    ]
    line.set(key, line.not_before_start(day, steps), steps)


def _parole_review(
    inp: CalculationInput, line: Timeline, total: int, parole: date | None, expiry: date
) -> None:
    """SGF § 3-41: after `parole_refusals` refusals, the next review date."""
    key, rule = "parole_review_date", line.rules.citations["parole_review"]
    if inp.parole_refusals == 0:
        line.not_applicable(key, "parole_review.no_refusal", rule)
        return
    if parole is None:
        line.not_applicable(key, "parole_review.no_parole", rule)
        return
    months = parole_review_interval_months(
        start_date=line.start, sentence_days=total, rules=line.rules
    )
    refusals = inp.parole_refusals
    day = parole_review_date(
        eligibility_date=parole,
        start_date=line.start,
        sentence_days=total,
        refusals=refusals,
        rules=line.rules,
    )
    values = {"months": months, "refusals": refusals, "parole": parole, "date": day}
    line.set_unless_after(
        key, day, expiry, [("parole_review.after_refusals", rule, values, False)], rule
    )
