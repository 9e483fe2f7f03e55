"""The public corpus of worked cases (tests/sentencing/corpus/*.json), each worked out by hand.

A case has `input` and either `expected` (every output field but the explanation) or
`expected_errors` (the fields and rules of the refusal). See the README for the format.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from normalitet.sentencing.domain import InvalidInput, calculate_json, parse_input

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(CORPUS.glob("*.json"))


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_corpus_has_at_least_25_cases_each_citing_its_rules() -> None:
    assert len(CASES) >= 25
    for path in CASES:
        case = _load(path)
        assert case["citations"] and case["working"], path.name
        assert ("expected" in case) != ("expected_errors" in case), path.name


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_worked_case(path: Path) -> None:
    case = _load(path)
    if "expected_errors" in case:
        with pytest.raises(InvalidInput) as refused:
            calculate_json(case["input"])
        got = [{"field": e.field, "rule": e.rule} for e in refused.value.errors]
        assert got == case["expected_errors"]
        return
    result = calculate_json(case["input"])
    explanation = result.pop("explanation")
    assert result == case["expected"]
    assert set(explanation) == {*case["expected"]} - {"rule_set"}
    assert all(explanation[key] for key in explanation)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_worked_case_input_parses(path: Path) -> None:
    parse_input(_load(path)["input"])
