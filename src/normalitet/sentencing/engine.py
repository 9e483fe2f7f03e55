"""The one door from Django into the pure engine: JSON in, JSON out (errors as data)."""

from __future__ import annotations

from typing import Any

from .domain import InvalidInput, calculate_json, errors_to_json


def calculate(payload: dict[str, Any]) -> dict[str, Any]:
    """The engine's result, or ``{"errors": [...]}`` with each rule the input breaks."""
    try:
        return calculate_json(payload)
    except InvalidInput as exc:
        return errors_to_json(exc.errors)
