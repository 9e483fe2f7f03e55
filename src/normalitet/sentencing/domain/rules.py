"""Effective-dated rule sets: every number the release-date engine uses, named after its source.

Rules change (RULES.md preamble): the EM limit went from 4 to 6 months in 2019, for instance.
A calculation picks the rule set in force on its start date (`rule_set_for`) and reports its `id`,
so a recalculation can always say which rules it used. Parameters whose value RULES.md marks
UNVERIFIED are listed in `RuleSet.unverified`; the explanation flags each step relying on one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from types import MappingProxyType

from .rounding import ROUND_UP, ROUNDINGS

# --- STRL: sentences (RULES.md § 1) ---
MINIMUM_SENTENCE_DAYS = 14  # STRL § 31
MAXIMUM_SENTENCE_YEARS = 21  # STRL §§ 31, 79
MAXIMUM_SENTENCE_YEARS_THIRTY_YEAR_OFFENCE = 30  # STRL §§ 101, 102 and others
MAXIMUM_SENTENCE_YEARS_UNDER_18 = 15  # STRL § 33
# --- STRL: preventive detention, forvaring (RULES.md § 2) ---
TIME_FRAME_MAX_YEARS = 21  # STRL § 43
TIME_FRAME_MAX_YEARS_THIRTY_YEAR_OFFENCE = 30  # STRL § 43
TIME_FRAME_MAX_YEARS_UNDER_18 = 15  # STRL § 43 (under 18 at the time of the act)
MINIMUM_TERM_MAX_YEARS = 10  # STRL § 43
MINIMUM_TERM_MAX_YEARS_FRAME_OVER_15 = 14  # STRL § 43
MINIMUM_TERM_MAX_YEARS_FRAME_OVER_21 = 20  # STRL § 43
TIME_FRAME_EXTENSION_MAX_YEARS = 5  # STRL § 43
EXTENSION_NOTICE_MONTHS = 3  # STRL § 43
PROBATION_APPLICATION_WAIT_YEARS = 1  # STRL § 44
PREVENTIVE_LEAVE_FRACTION = Fraction(2, 3)  # SGL § 33, UNVERIFIED (2014 citation)
# --- STRL § 83: deduction for deprivation of liberty (RULES.md § 4) ---
REMAND_GRACE_HOURS = 4  # STRL § 83
REMAND_PERIOD_HOURS = 24  # STRL § 83
ISOLATION_GRACE_HOURS = 4  # STRL § 83
ISOLATION_PERIOD_HOURS = 48  # STRL § 83
# --- SGL § 42: parole (RULES.md § 3) ---
PAROLE_FRACTION = Fraction(2, 3)  # SGL § 42
EARLY_PAROLE_FRACTION = Fraction(1, 2)  # SGL § 42
PAROLE_MINIMUM_DAYS = 60  # SGL § 42
PAROLE_MINIMUM_REMAINING_DAYS = 14  # SGL § 42 (weighty reasons below this)
# --- SGF § 3-41: review after a refusal of parole ---
PAROLE_REVIEW_MONTHS = 3  # SGF § 3-41
PAROLE_REVIEW_MONTHS_FROM_5_YEARS = 6  # SGF § 3-41 (sentences of 5-12 years)
PAROLE_REVIEW_MONTHS_OVER_12_YEARS = 12  # SGF § 3-41
# --- Progression and leave (RULES.md §§ 5-6) ---
ONE_THIRD = Fraction(1, 3)  # SGL §§ 16 a, 20, 33
HALF = Fraction(1, 2)  # SGL § 16
CONTINUOUS_CUSTODY_MONTHS = 4  # SGL §§ 20, 33
LONG_SENTENCE_YEARS = 12  # SGL § 33
LONG_SENTENCE_LEAVE_YEARS = 4  # SGL § 33
EM_WHOLE_SENTENCE_MONTHS = 6  # SGL § 16 a
EM_BEFORE_RELEASE_MONTHS = 6  # SGL § 16 a
LOWER_SECURITY_MONTHS_BEFORE_PAROLE = 12  # SGL § 14

CITATIONS: Mapping[str, str] = MappingProxyType(
    {
        "sentence_minimum": "STRL § 31",
        "sentence_maximum": "STRL §§ 31, 79",
        "sentence_thirty_years": "STRL §§ 101, 102",
        "sentence_under_18": "STRL § 33",
        "sentences_added": "SGF § 3-3",
        "preventive": "STRL § 43",
        "preventive_probation": "STRL § 44",
        "preventive_leave": "SGL § 33",
        "deduction": "STRL § 83",
        "date_counting": "SGF § 3-2",
        "interruption": "SGF § 3-2",
        "parole": "SGL § 42",
        "parole_review": "SGF § 3-41",
        "leave": "SGL § 33",
        "day_release": "SGL § 20",
        "section_16": "SGL § 16",
        "electronic_monitoring": "SGL § 16 a",
        "lower_security": "SGL § 14",
        "input_format": "input format",
    }
)


@dataclass(frozen=True, slots=True)
class RuleSet:
    """One effective-dated set of parameters. Field comments give the legal source."""

    id: str
    valid_from: date
    description: str
    minimum_sentence_days: int = MINIMUM_SENTENCE_DAYS  # STRL § 31
    maximum_sentence_years: int = MAXIMUM_SENTENCE_YEARS  # STRL §§ 31, 79
    maximum_sentence_years_thirty_year_offence: int = MAXIMUM_SENTENCE_YEARS_THIRTY_YEAR_OFFENCE
    maximum_sentence_years_under_18: int = MAXIMUM_SENTENCE_YEARS_UNDER_18  # STRL § 33
    time_frame_max_years: int = TIME_FRAME_MAX_YEARS  # STRL § 43
    time_frame_max_years_thirty_year_offence: int = TIME_FRAME_MAX_YEARS_THIRTY_YEAR_OFFENCE
    time_frame_max_years_under_18: int = TIME_FRAME_MAX_YEARS_UNDER_18  # STRL § 43
    minimum_term_max_years: int = MINIMUM_TERM_MAX_YEARS  # STRL § 43
    minimum_term_max_years_frame_over_15: int = MINIMUM_TERM_MAX_YEARS_FRAME_OVER_15
    minimum_term_max_years_frame_over_21: int = MINIMUM_TERM_MAX_YEARS_FRAME_OVER_21
    time_frame_extension_max_years: int = TIME_FRAME_EXTENSION_MAX_YEARS  # STRL § 43
    extension_notice_months: int = EXTENSION_NOTICE_MONTHS  # STRL § 43
    probation_application_wait_years: int = PROBATION_APPLICATION_WAIT_YEARS  # STRL § 44
    preventive_leave_fraction: Fraction = PREVENTIVE_LEAVE_FRACTION  # UNVERIFIED
    remand_grace_hours: int = REMAND_GRACE_HOURS  # STRL § 83
    remand_period_hours: int = REMAND_PERIOD_HOURS  # STRL § 83
    isolation_grace_hours: int = ISOLATION_GRACE_HOURS  # STRL § 83
    isolation_period_hours: int = ISOLATION_PERIOD_HOURS  # STRL § 83
    parole_fraction: Fraction = PAROLE_FRACTION  # SGL § 42
    early_parole_fraction: Fraction = EARLY_PAROLE_FRACTION  # SGL § 42
    parole_minimum_days: int = PAROLE_MINIMUM_DAYS  # SGL § 42
    parole_minimum_remaining_days: int = PAROLE_MINIMUM_REMAINING_DAYS  # SGL § 42
    parole_review_months: int = PAROLE_REVIEW_MONTHS  # SGF § 3-41
    parole_review_months_from_5_years: int = PAROLE_REVIEW_MONTHS_FROM_5_YEARS  # SGF § 3-41
    parole_review_months_over_12_years: int = PAROLE_REVIEW_MONTHS_OVER_12_YEARS  # SGF § 3-41
    one_third: Fraction = ONE_THIRD  # SGL §§ 16 a, 20, 33
    half: Fraction = HALF  # SGL § 16
    continuous_custody_months: int = CONTINUOUS_CUSTODY_MONTHS  # SGL §§ 20, 33
    long_sentence_years: int = LONG_SENTENCE_YEARS  # SGL § 33
    long_sentence_leave_years: int = LONG_SENTENCE_LEAVE_YEARS  # SGL § 33
    em_whole_sentence_months: int = EM_WHOLE_SENTENCE_MONTHS  # SGL § 16 a
    em_before_release_months: int = EM_BEFORE_RELEASE_MONTHS  # SGL § 16 a
    lower_security_months_before_parole: int = LOWER_SECURITY_MONTHS_BEFORE_PAROLE  # SGL § 14
    # Conventions RULES.md § 4 leaves open (UNVERIFIED): calendar months, rounding direction.
    month_convention: str = "calendar"
    fraction_rounding: str = ROUND_UP
    # Wall-clock times of deprivations are local time here; hours are counted in real time.
    local_timezone: str = "Europe/Oslo"
    unverified: frozenset[str] = frozenset(
        {"preventive_leave_fraction", "month_convention", "fraction_rounding"}
    )
    citations: Mapping[str, str] = field(default_factory=lambda: CITATIONS)

    def __post_init__(self) -> None:
        if self.month_convention != "calendar":
            raise ValueError("only calendar months are implemented (RULES.md § 4)")
        if self.fraction_rounding not in ROUNDINGS:
            raise ValueError(f"fraction_rounding must be one of {ROUNDINGS}")

    def is_unverified(self, parameter: str) -> bool:
        """Whether RULES.md marks `parameter` UNVERIFIED (the UI says so next to the date)."""
        return parameter in self.unverified


NO_2024_1 = RuleSet(
    id="no-2024-1",
    # SGL and SGF came into force on 1 March 2002. The values are those of RULES.md (2024); the
    # history before 2024 (e.g. the 4-month EM limit before 2019) is not encoded yet, so this is
    # the baseline for every start date until an older rule set is added below it.
    valid_from=date(2002, 3, 1),
    description="RULES.md §§ 1-6 as of 2024; baseline for all start dates from 1 March 2002",
)

RULE_SETS: tuple[RuleSet, ...] = (NO_2024_1,)


class NoRuleSet(LookupError):
    """No rule set is in force on the start date."""


def rule_set_for(start_date: date, rule_sets: Sequence[RuleSet] = RULE_SETS) -> RuleSet:
    """The rule set in force on `start_date`: the one with the latest `valid_from` on or before
    it. The start date decides, so that a recalculation is reproducible."""
    chosen: RuleSet | None = None
    for rule_set in rule_sets:
        if rule_set.valid_from <= start_date and (
            chosen is None or rule_set.valid_from > chosen.valid_from
        ):
            chosen = rule_set
    if chosen is None:
        raise NoRuleSet(f"no rule set is in force on {start_date.isoformat()}")
    return chosen


def rule_set_by_id(rule_set_id: str, rule_sets: Sequence[RuleSet] = RULE_SETS) -> RuleSet:
    """Look a rule set up by its id (for showing which rules a stored result used)."""
    for rule_set in rule_sets:
        if rule_set.id == rule_set_id:
            return rule_set
    raise NoRuleSet(f"unknown rule set {rule_set_id!r}")
