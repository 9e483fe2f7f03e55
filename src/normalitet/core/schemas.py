"""The API's one error shape, shared by every router: ``{"errors": [{field, message, rule}]}``."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    field: str | None = None
    message: str
    rule: str | None = None


class ErrorsOut(Schema):
    errors: list[ErrorOut]


# The statuses a route may refuse with, for `response={200: ..., **ERRORS}`.
ERRORS: dict[int | tuple[int, ...], Any] = {(400, 403, 404, 409, 422): ErrorsOut}
