"""JSON in and out of the engine (the format of issue 3).

Input (unknown keys are refused; `kind` defaults to "prison"; lists may be omitted)::

    {"start_date": "YYYY-MM-DD",
     "sentences": [{"kind": "prison" | "preventive_detention",
                    "length": {"years": 0, "months": 0, "days": 0},        # prison
                    "time_frame": {...}, "minimum_term": {...},            # preventive detention
                    "date_final": "YYYY-MM-DD",                            # required for forvaring
                    "extensions": [{"years": 2}],          # court extensions of the frame
                    "probation_refusals": ["YYYY-MM-DD"],  # dates refusals became final
                    "thirty_year_offence": false, "under_18_at_offence": false,
                    "excluded_from_em": false}],
     "deprivations": [{"from": "YYYY-MM-DDTHH:MM", "to": "YYYY-MM-DDTHH:MM",
                       "full_isolation": [{"from": "...", "to": "..."}]}],
     "interruptions": [{"from": "YYYY-MM-DD", "to": "YYYY-MM-DD",
                        "reason": "escape" | "failure_to_return" | "interruption"
                                  | "remand_other_case"}],
     "parole_refusals": 0}

Date-times without an offset are local time in Europe/Oslo. Output: `rule_set`,
`sentence_days`, `remand_deduction_days`, then every field of `model.DATE_FIELDS` (ISO date or
null), then `explanation`: for `sentence_days`, `remand_deduction_days` and each date, a list of
steps `{"code", "text", "rule", "values", "unverified"}`. Refusals:
`{"errors": [{"field", "message", "rule"}]}` with `field` a JSON path such as
`sentences[0].length` (`$` for the whole document).

Parsing is strict: unknown keys, wrong types and bad dates are refused with the field's JSON path,
so that a typo never silently changes a release date.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from .calculation import calculate
from .explanation import json_value, step_json
from .model import (
    DATE_FIELDS,
    PRISON,
    CalculationInput,
    CalculationResult,
    Deprivation,
    FieldError,
    Interruption,
    InvalidInput,
    Length,
    Period,
    Sentence,
)
from .rules import CITATIONS

FORMAT = CITATIONS["input_format"]
_TOP = {"start_date", "sentences", "deprivations", "interruptions", "parole_refusals"}
_SENTENCE = {
    "kind",
    "length",
    "minimum_term",
    "time_frame",
    "thirty_year_offence",
    "under_18_at_offence",
    "date_final",
    "excluded_from_em",
    "extensions",
    "probation_refusals",
}
_LENGTH = {"years", "months", "days"}
_PERIOD = {"from", "to"}
_DEPRIVATION = {"from", "to", "full_isolation"}
_INTERRUPTION = {"from", "to", "reason"}


class _Reader:
    """Reads one JSON document, collecting every format error with its path."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(self, field: str, message: str) -> None:
        self.errors.append(FieldError(field, message, FORMAT))

    def obj(self, value: Any, field: str, keys: set[str]) -> Mapping[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(field, "Expected an object.")
            return None
        for key in sorted(set(value) - keys):
            self.fail(f"{field}.{key}" if field != "$" else key, "Unknown field.")
        return value

    def items(self, value: Any, field: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(field, "Expected a list.")
            return []
        return value

    def day(self, value: Any, field: str) -> date | None:
        if isinstance(value, str) and len(value) == 10:
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(field, "Expected a date YYYY-MM-DD.")
        return None

    def moment(self, value: Any, field: str) -> datetime | None:
        if isinstance(value, str) and len(value) >= 16 and value[10] in "T ":
            try:
                return datetime.fromisoformat(value)
            except ValueError:
                pass
        self.fail(field, "Expected a date-time YYYY-MM-DDTHH:MM.")
        return None

    def integer(self, value: Any, field: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(field, "Expected a whole number, zero or more.")
            return 0
        return value

    def flag(self, value: Any, field: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            self.fail(field, "Expected true or false.")
            return False
        return value

    def length(self, value: Any, field: str) -> Length | None:
        if value is None:
            return None
        data = self.obj(value, field, _LENGTH)
        if data is None:
            return None
        years, months, days = (
            self.integer(data.get(k, 0), f"{field}.{k}") for k in ("years", "months", "days")
        )
        return Length(years, months, days)

    def period(self, value: Any, field: str) -> Period | None:
        data = self.obj(value, field, _PERIOD)
        if data is None:
            return None
        start, end = (
            self.moment(data.get("from"), f"{field}.from"),
            self.moment(data.get("to"), f"{field}.to"),
        )
        return Period(start, end) if start and end else None

    def sentence(self, value: Any, field: str) -> Sentence | None:
        data = self.obj(value, field, _SENTENCE)
        if data is None:
            return None
        final = data.get("date_final")
        refusals = [
            self.day(v, f"{field}.probation_refusals[{i}]")
            for i, v in enumerate(
                self.items(data.get("probation_refusals"), f"{field}.probation_refusals")
            )
        ]
        extensions = [
            self.length(v, f"{field}.extensions[{i}]")
            for i, v in enumerate(self.items(data.get("extensions"), f"{field}.extensions"))
        ]
        kind = data.get("kind", PRISON)
        if not isinstance(kind, str):
            self.fail(f"{field}.kind", "Expected a string.")
            kind = PRISON
        return Sentence(
            kind=kind,
            length=self.length(data.get("length"), f"{field}.length"),
            minimum_term=self.length(data.get("minimum_term"), f"{field}.minimum_term"),
            time_frame=self.length(data.get("time_frame"), f"{field}.time_frame"),
            thirty_year_offence=self.flag(
                data.get("thirty_year_offence"), f"{field}.thirty_year_offence"
            ),
            under_18_at_offence=self.flag(
                data.get("under_18_at_offence"), f"{field}.under_18_at_offence"
            ),
            date_final=None if final is None else self.day(final, f"{field}.date_final"),
            excluded_from_em=self.flag(data.get("excluded_from_em"), f"{field}.excluded_from_em"),
            extensions=tuple(e for e in extensions if e is not None),
            probation_refusals=tuple(r for r in refusals if r is not None),
        )

    def deprivation(self, value: Any, field: str) -> Deprivation | None:
        data = self.obj(value, field, _DEPRIVATION)
        if data is None:
            return None
        start, end = (
            self.moment(data.get("from"), f"{field}.from"),
            self.moment(data.get("to"), f"{field}.to"),
        )
        isolation = [
            self.period(v, f"{field}.full_isolation[{i}]")
            for i, v in enumerate(self.items(data.get("full_isolation"), f"{field}.full_isolation"))
        ]
        if start is None or end is None:
            return None
        return Deprivation(start, end, tuple(p for p in isolation if p is not None))

    def interruption(self, value: Any, field: str) -> Interruption | None:
        data = self.obj(value, field, _INTERRUPTION)
        if data is None:
            return None
        start, end = (
            self.day(data.get("from"), f"{field}.from"),
            self.day(data.get("to"), f"{field}.to"),
        )
        reason = data.get("reason", "interruption")
        if not isinstance(reason, str):
            self.fail(f"{field}.reason", "Expected a string.")
            return None
        return Interruption(start, end, reason) if start and end else None


def parse_input(data: Any) -> CalculationInput:
    """The engine's input from decoded JSON; raises `InvalidInput` listing every format error."""
    reader = _Reader()
    top = reader.obj(data, "$", _TOP)
    if top is None:
        raise InvalidInput(reader.errors)
    start = reader.day(top.get("start_date"), "start_date")
    sentences = [
        reader.sentence(v, f"sentences[{i}]")
        for i, v in enumerate(reader.items(top.get("sentences"), "sentences"))
    ]
    deprivations = [
        reader.deprivation(v, f"deprivations[{i}]")
        for i, v in enumerate(reader.items(top.get("deprivations"), "deprivations"))
    ]
    interruptions = [
        reader.interruption(v, f"interruptions[{i}]")
        for i, v in enumerate(reader.items(top.get("interruptions"), "interruptions"))
    ]
    refusals = reader.integer(top.get("parole_refusals", 0), "parole_refusals")
    if reader.errors or start is None:
        raise InvalidInput(reader.errors)
    return CalculationInput(
        start_date=start,
        sentences=tuple(s for s in sentences if s is not None),
        deprivations=tuple(d for d in deprivations if d is not None),
        interruptions=tuple(i for i in interruptions if i is not None),
        parole_refusals=refusals,
    )


def loads_input(text: str | bytes) -> CalculationInput:
    """Parse a JSON document; malformed JSON is an `InvalidInput` too."""
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput([FieldError("$", f"Malformed JSON: {exc}", FORMAT)]) from None
    return parse_input(data)


def _length_json(length: Length | None) -> dict[str, int] | None:
    if length is None:
        return None
    return {"years": length.years, "months": length.months, "days": length.days}


def input_to_json(inp: CalculationInput) -> dict[str, Any]:
    """The input as JSON, such that `parse_input(input_to_json(x)) == x` (for storing it)."""
    return {
        "start_date": inp.start_date.isoformat(),
        "sentences": [
            {
                "kind": s.kind,
                "length": _length_json(s.length),
                "minimum_term": _length_json(s.minimum_term),
                "time_frame": _length_json(s.time_frame),
                "thirty_year_offence": s.thirty_year_offence,
                "under_18_at_offence": s.under_18_at_offence,
                "date_final": None if s.date_final is None else s.date_final.isoformat(),
                "excluded_from_em": s.excluded_from_em,
                "extensions": [_length_json(e) for e in s.extensions],
                "probation_refusals": [r.isoformat() for r in s.probation_refusals],
            }
            for s in inp.sentences
        ],
        "deprivations": [
            {
                "from": json_value(d.start),
                "to": json_value(d.end),
                "full_isolation": [
                    {"from": json_value(p.start), "to": json_value(p.end)} for p in d.full_isolation
                ],
            }
            for d in inp.deprivations
        ],
        "interruptions": [
            {"from": i.start.isoformat(), "to": i.end.isoformat(), "reason": i.reason}
            for i in inp.interruptions
        ],
        "parole_refusals": inp.parole_refusals,
    }


def result_to_json(result: CalculationResult) -> dict[str, Any]:
    """The output of issue 3: rule set, day counts, every date (null where it does not apply)
    and `explanation`, a list of steps per field."""
    out: dict[str, Any] = {
        "rule_set": result.rule_set,
        "sentence_days": result.sentence_days,
        "remand_deduction_days": result.remand_deduction_days,
    }
    for name in DATE_FIELDS:
        value = getattr(result, name)
        out[name] = None if value is None else value.isoformat()
    out["explanation"] = {
        key: [step_json(step) for step in steps] for key, steps in result.trace.items()
    }
    return out


def errors_to_json(errors: list[FieldError]) -> dict[str, Any]:
    """`{"errors": [{"field", "message", "rule"}]}`, the refusal format of the CLI and API."""
    return {"errors": [{"field": e.field, "message": e.message, "rule": e.rule} for e in errors]}


def calculate_json(data: Any) -> dict[str, Any]:
    """Decoded JSON in, JSON-ready dict out; raises `InvalidInput` (see `errors_to_json`)."""
    return result_to_json(calculate(parse_input(data)))
