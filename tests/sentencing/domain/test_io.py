"""The JSON format of issue 3: strict parsing, output shape, round trip."""

from __future__ import annotations

import json
from typing import Any

import pytest

from normalitet.sentencing.domain import (
    DATE_FIELDS,
    InvalidInput,
    calculate,
    calculate_json,
    errors_to_json,
    input_to_json,
    loads_input,
    parse_input,
    result_to_json,
)

BASIC: dict[str, Any] = {
    "start_date": "2024-03-04",
    "sentences": [{"kind": "prison", "length": {"years": 0, "months": 0, "days": 74}}],
}


def format_errors(data: Any) -> list[tuple[str, str]]:
    with pytest.raises(InvalidInput) as info:
        parse_input(data)
    assert {e.rule for e in info.value.errors} == {"input format"}
    return [(e.field, e.message) for e in info.value.errors]


def test_output_has_every_field_of_the_issue_in_order() -> None:
    out = calculate_json(BASIC)
    assert list(out) == [
        "rule_set",
        "sentence_days",
        "remand_deduction_days",
        *DATE_FIELDS,
        "explanation",
    ]
    assert out["parole_date"] == "2024-05-02"
    assert out["minimum_term_end_date"] is None
    assert set(out["explanation"]) == {"sentence_days", "remand_deduction_days", *DATE_FIELDS}
    json.dumps(out)  # serialisable as is


def test_explanation_steps_are_machine_readable() -> None:
    step = calculate_json(BASIC)["explanation"]["parole_date"][-1]
    assert step == {
        "code": "date.day_served",
        "text": "The day 60 days are served, counting 0 days of deduction as served: "
        "2024-03-04 + (60 - 0) - 1 = 2024-05-02.",
        "rule": "SGF § 3-2",
        "values": {"start": "2024-03-04", "days": 60, "deduction": 0, "date": "2024-05-02"},
        "unverified": False,
    }


def test_defaults_kind_prison_and_missing_length_parts_are_zero() -> None:
    inp = parse_input({"start_date": "2024-03-04", "sentences": [{"length": {"days": 74}}]})
    assert inp.sentences[0].kind == "prison"
    assert inp.sentences[0].length is not None and inp.sentences[0].length.days == 74


def test_round_trip_input_to_json_and_back() -> None:
    data = {
        "start_date": "2024-01-15",
        "sentences": [
            {
                "kind": "preventive_detention",
                "time_frame": {"years": 10},
                "minimum_term": {"years": 6},
                "date_final": "2024-01-15",
                "extensions": [{"years": 2}],
                "probation_refusals": ["2026-01-20"],
            }
        ],
        "deprivations": [
            {
                "from": "2023-05-01T08:00",
                "to": "2024-01-15T00:00",
                "full_isolation": [{"from": "2023-05-02T08:00", "to": "2023-05-09T08:00"}],
            }
        ],
        "interruptions": [{"from": "2025-02-01", "to": "2025-02-11", "reason": "escape"}],
    }
    inp = parse_input(data)
    assert parse_input(json.loads(json.dumps(input_to_json(inp)))) == inp


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([], [("$", "Expected an object.")]),
        ({"sentences": []}, [("start_date", "Expected a date YYYY-MM-DD.")]),
        ({**BASIC, "start_date": "2024-02-30"}, [("start_date", "Expected a date YYYY-MM-DD.")]),
        ({**BASIC, "extra": 1}, [("extra", "Unknown field.")]),
        (
            {**BASIC, "sentences": [{"length": {"days": "74"}}]},
            [("sentences[0].length.days", "Expected a whole number, zero or more.")],
        ),
        (
            {**BASIC, "sentences": [{"length": {"weeks": 2}}]},
            [("sentences[0].length.weeks", "Unknown field.")],
        ),
        (
            {**BASIC, "sentences": [{"length": {"days": True}}]},
            [("sentences[0].length.days", "Expected a whole number, zero or more.")],
        ),
        (
            {**BASIC, "sentences": [{"length": {"days": 74}, "excluded_from_em": "yes"}]},
            [("sentences[0].excluded_from_em", "Expected true or false.")],
        ),
        ({**BASIC, "sentences": {"length": {}}}, [("sentences", "Expected a list.")]),
        (
            {**BASIC, "deprivations": [{"from": "2024-01-01", "to": "2024-01-02T10:00"}]},
            [("deprivations[0].from", "Expected a date-time YYYY-MM-DDTHH:MM.")],
        ),
        (
            {**BASIC, "deprivations": [{"from": "2024-01-01T10:00"}]},
            [("deprivations[0].to", "Expected a date-time YYYY-MM-DDTHH:MM.")],
        ),
        (
            {**BASIC, "interruptions": [{"from": "2024-04-01", "to": "x"}]},
            [("interruptions[0].to", "Expected a date YYYY-MM-DD.")],
        ),
        (
            {**BASIC, "parole_refusals": -1},
            [("parole_refusals", "Expected a whole number, zero or more.")],
        ),
    ],
)
def test_input_format_errors_name_the_field(data: Any, expected: list[tuple[str, str]]) -> None:
    assert format_errors(data) == expected


def test_malformed_json_is_a_clean_error() -> None:
    with pytest.raises(InvalidInput) as info:
        loads_input("{not json")
    (error,) = info.value.errors
    assert (error.field, error.rule) == ("$", "input format")
    assert error.message.startswith("Malformed JSON")


def test_errors_to_json_shape() -> None:
    with pytest.raises(InvalidInput) as info:
        calculate_json({"start_date": "2024-03-04", "sentences": [{"length": {"days": 13}}]})
    assert errors_to_json(info.value.errors) == {
        "errors": [
            {
                "field": "sentences[0].length",
                "message": "The term is 13 days; the minimum is 14 days.",
                "rule": "STRL § 31",
            }
        ]
    }


def test_result_to_json_matches_calculate_json() -> None:
    assert result_to_json(calculate(parse_input(BASIC))) == calculate_json(BASIC)


def test_fractions_are_written_as_text_in_json() -> None:
    step = calculate_json(BASIC)["explanation"]["parole_date"][0]
    assert step["values"]["fraction"] == "2/3"
    assert step["text"] == "Two-thirds of 74 days, rounded up: 50 days."
