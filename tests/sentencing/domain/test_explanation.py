"""Every date is explained with steps citing a rule; every step code has an English text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from normalitet.sentencing.domain import TEXTS, calculate_json, step_text
from normalitet.sentencing.domain.explanation import json_value

CORPUS = Path(__file__).parents[1] / "corpus"
VALID = [p for p in sorted(CORPUS.glob("*.json")) if "expected" in json.loads(p.read_text())]


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_every_step_has_a_known_code_a_rule_and_a_rendered_text(path: Path) -> None:
    out = calculate_json(json.loads(path.read_text())["input"])
    for field, steps in out["explanation"].items():
        assert steps, field
        for step in steps:
            assert step["code"] in TEXTS
            assert step["rule"].startswith(("STRL", "SGL", "SGF")), step
            assert "{" not in step["text"], step
            assert isinstance(step["unverified"], bool)


def test_each_non_null_date_ends_with_a_step_giving_that_date() -> None:
    data = json.loads((CORPUS / "21-sgf-3-2-interruptions-in-date-order.json").read_text())
    out = calculate_json(data["input"])
    for field, steps in out["explanation"].items():
        if field.endswith("_date") and out[field] is not None:
            last = steps[-1]["values"]
            assert last.get("date", out[field]) == out[field], field


def test_step_text_with_lengths_and_reasons_in_words() -> None:
    from normalitet.sentencing.domain import Length

    text = step_text(
        (
            "preventive.time_frame",
            "STRL § 43",
            {"length": Length(1, 2, 1), "from": "a", "until": "b", "days": 3},
            False,
        )
    )
    assert text.startswith("Time frame 1 year, 2 months, 1 day,")
    assert json_value(Length(0, 0, 0)) == "P0D"
    text = step_text(
        (
            "interruption.shift",
            "SGF § 3-2",
            {"reason": "remand_other_case", "from": "a", "to": "b", "days": 1, "date": "c"},
            False,
        )
    )
    assert "remand in another case" in text
