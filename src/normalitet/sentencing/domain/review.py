"""New review of parole after a refusal (SGF § 3-41; RULES.md § 3).

After a refusal, parole is reviewed again within 3 months of the eligibility date; 6 months for
sentences of 5 to 12 years; 1 year for sentences over 12 years; and again at the same interval after
each further refusal. The k-th review after k refusals is the eligibility date plus k intervals,
counted in one calendar step from the eligibility date so that month ends do not drift.
"""

from __future__ import annotations

from datetime import date

from .dates import add_calendar, duration_days
from .rules import NO_2024_1, RuleSet


def parole_review_interval_months(
    *, start_date: date, sentence_days: int, rules: RuleSet = NO_2024_1
) -> int:
    """Months between reviews for a sentence of `sentence_days` from `start_date` (SGF § 3-41).

    "5-12 years" includes both ends; the years are calendar years from the start date."""
    if sentence_days > duration_days(start_date, years=12):
        return rules.parole_review_months_over_12_years
    if sentence_days >= duration_days(start_date, years=5):
        return rules.parole_review_months_from_5_years
    return rules.parole_review_months


def parole_review_date(
    *,
    eligibility_date: date,
    start_date: date,
    sentence_days: int,
    refusals: int = 1,
    rules: RuleSet = NO_2024_1,
) -> date:
    """The latest date for the next review of parole after `refusals` refusals (SGF § 3-41)."""
    if refusals < 1:
        raise ValueError("a review date follows at least one refusal")
    months = parole_review_interval_months(
        start_date=start_date, sentence_days=sentence_days, rules=rules
    )
    return add_calendar(eligibility_date, months=months * refusals)
