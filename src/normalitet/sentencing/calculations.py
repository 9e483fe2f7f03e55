"""A new calculation row from an engine result, as one recalculation and a run of them both
make it: what moved since the previous result, and the expected release it gives."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .models import Calculation, Execution


def date_changes(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, list[Any]]:
    """Dates that moved: {name: [before, after]}; nothing for a first calculation."""
    if before is None:
        return {}
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if name.endswith("_date") and before.get(name) != value
    }


def expected_release(result: dict[str, Any]) -> dt.date | None:
    """The expected release on the roll: the parole date, or the end of the sentence."""
    value = result.get("parole_date") or result.get("expiry_date")
    return dt.date.fromisoformat(value) if value else None


def new_calculation(
    *,
    execution: Execution,
    payload: dict[str, Any],
    result: dict[str, Any],
    changes: dict[str, list[Any]],
    by: Any,
    trigger: str,
    at: dt.datetime,
) -> Calculation:
    """The row, not saved."""
    return Calculation(
        execution=execution,
        computed_at=at,
        computed_by=by,
        trigger=trigger,
        rule_set=str(result.get("rule_set", "")),
        input=payload,
        result=result,
        changes=changes,
    )
