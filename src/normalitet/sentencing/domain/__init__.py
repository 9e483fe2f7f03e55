"""The release-date engine (issue 3): pure Python, no Django. Public API."""

from .calculation import apply_interruptions, calculate
from .explanation import TEXTS, step_json, step_text
from .io import (
    calculate_json,
    errors_to_json,
    input_to_json,
    loads_input,
    parse_input,
    result_to_json,
)
from .model import (
    DATE_FIELDS,
    PREVENTIVE_DETENTION,
    PRISON,
    CalculationInput,
    CalculationResult,
    Deprivation,
    FieldError,
    Interruption,
    InvalidInput,
    Length,
    Period,
    RawStep,
    Sentence,
    Step,
)
from .preventive import extend_time_frame, probation_application_date, refuse_probation
from .review import parole_review_date, parole_review_interval_months
from .rounding import days_for_fraction
from .rules import NO_2024_1, RULE_SETS, NoRuleSet, RuleSet, rule_set_by_id, rule_set_for

__all__ = [
    "DATE_FIELDS",
    "NO_2024_1",
    "PREVENTIVE_DETENTION",
    "PRISON",
    "RULE_SETS",
    "CalculationInput",
    "CalculationResult",
    "Deprivation",
    "FieldError",
    "Interruption",
    "InvalidInput",
    "Length",
    "NoRuleSet",
    "Period",
    "RawStep",
    "RuleSet",
    "Sentence",
    "Step",
    "TEXTS",
    "apply_interruptions",
    "calculate",
    "calculate_json",
    "days_for_fraction",
    "errors_to_json",
    "extend_time_frame",
    "input_to_json",
    "loads_input",
    "parole_review_date",
    "parole_review_interval_months",
    "parse_input",
    "probation_application_date",
    "refuse_probation",
    "result_to_json",
    "rule_set_by_id",
    "rule_set_for",
    "step_json",
    "step_text",
]
