"""Input and output of the release-date engine: plain, immutable dataclasses (no Django).

Input mirrors the JSON of issue 3 (see `io.py` and the README); output carries every legal date,
`None` where a date does not apply, and an explanation per date as machine-readable steps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

PRISON = "prison"
PREVENTIVE_DETENTION = "preventive_detention"  # forvaring, STRL §§ 40-47
SENTENCE_KINDS = (PRISON, PREVENTIVE_DETENTION)

# Time that does not count as served (SGF § 3-2; RULES.md § 4).
INTERRUPTION_REASONS = ("escape", "failure_to_return", "interruption", "remand_other_case")

DATE_FIELDS = (
    "expiry_date",
    "parole_date",
    "early_parole_date",
    "leave_eligibility_date",
    "day_release_eligibility_date",
    "section_16_eligibility_date",
    "electronic_monitoring_eligibility_date",
    "lower_security_consideration_date",
    "parole_review_date",
    "minimum_term_end_date",
    "time_frame_end_date",
    "extension_deadline_date",
    "probation_application_date",
)


@dataclass(frozen=True, slots=True)
class Length:
    """A calendar duration as the judgment states it (STRL § 31: days up to 120, else months and
    years). Counted from a start day by calendar arithmetic."""

    years: int = 0
    months: int = 0
    days: int = 0

    def is_zero(self) -> bool:
        return not (self.years or self.months or self.days)

    def iso(self) -> str:
        """ISO 8601 duration, e.g. `P1Y6M`; `P0D` when empty."""
        parts = "".join(
            f"{n}{unit}"
            for n, unit in ((self.years, "Y"), (self.months, "M"), (self.days, "D"))
            if n
        )
        return f"P{parts or '0D'}"


@dataclass(frozen=True, slots=True)
class Period:
    """A closed date-time interval `[start, end]` in local wall-clock time (or with an offset)."""

    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Deprivation:
    """Deprivation of liberty before execution: arrest and remand (STRL § 83), with the periods of
    court-ordered full isolation inside it."""

    start: datetime
    end: datetime
    full_isolation: tuple[Period, ...] = ()


@dataclass(frozen=True, slots=True)
class Interruption:
    """Time that does not count as served: escape, failure to return from leave, interruption of
    sentence, remand in another case (SGF § 3-2). `end` is the day execution resumes."""

    start: date
    end: date
    reason: str = "interruption"


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence. For prison, `length`; for preventive detention (forvaring), `time_frame`
    (tidsramme), optional `minimum_term` (minstetid), `date_final`, court `extensions` of the frame
    and the dates refusals of release on probation became final (STRL §§ 43-44)."""

    kind: str = PRISON
    length: Length | None = None
    minimum_term: Length | None = None
    time_frame: Length | None = None
    thirty_year_offence: bool = False
    under_18_at_offence: bool = False
    date_final: date | None = None
    excluded_from_em: bool = False
    extensions: tuple[Length, ...] = ()
    probation_refusals: tuple[date, ...] = ()


@dataclass(frozen=True, slots=True)
class CalculationInput:
    """Everything a calculation depends on. `parole_refusals` counts refusals of parole so far
    (SGF § 3-41 review dates)."""

    start_date: date
    sentences: tuple[Sentence, ...]
    deprivations: tuple[Deprivation, ...] = ()
    interruptions: tuple[Interruption, ...] = ()
    parole_refusals: int = 0


class Step(NamedTuple):
    """One step of an explanation: a stable `code` a UI translates, the rule cited, the values
    the text needs, and whether the rule is UNVERIFIED in RULES.md."""

    code: str
    rule: str
    values: Mapping[str, Any]
    unverified: bool = False


# The engine records steps as plain tuples in `Step` order (three times cheaper to make than a
# NamedTuple, and a calculation makes two dozen); `CalculationResult.explanation` wraps them.
RawStep = tuple[str, str, Mapping[str, Any], bool]


@dataclass(frozen=True, slots=True)
class CalculationResult:
    """Every legal date of a sentence (`None` where it does not apply) and how each was found."""

    rule_set: str
    sentence_days: int
    remand_deduction_days: int
    expiry_date: date | None
    parole_date: date | None
    early_parole_date: date | None
    leave_eligibility_date: date | None
    day_release_eligibility_date: date | None
    section_16_eligibility_date: date | None
    electronic_monitoring_eligibility_date: date | None
    lower_security_consideration_date: date | None
    parole_review_date: date | None
    minimum_term_end_date: date | None
    time_frame_end_date: date | None
    extension_deadline_date: date | None
    probation_application_date: date | None
    trace: dict[str, list[RawStep]]

    @property
    def explanation(self) -> dict[str, list[Step]]:
        """How each field was found: `sentence_days`, `remand_deduction_days` and every date."""
        make = Step._make
        return {key: [make(step) for step in steps] for key, steps in self.trace.items()}

    def dates(self) -> dict[str, date | None]:
        """The dates by output name, in the documented order."""
        return {name: getattr(self, name) for name in DATE_FIELDS}


@dataclass(frozen=True, slots=True)
class FieldError:
    """Why an input is refused: the field (a JSON path), a message, and the rule it breaks."""

    field: str
    message: str
    rule: str


class InvalidInput(ValueError):
    """The input breaks a rule and is refused, never computed."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message} ({e.rule})" for e in errors))
        self.errors = errors
