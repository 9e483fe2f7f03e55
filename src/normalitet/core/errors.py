"""Domain errors: a rule was broken. Views show the message; the API answers 4xx with it."""

from __future__ import annotations


class DomainError(Exception):
    """A request that breaks a rule. ``field`` names the input at fault where there is one."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, rule: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        self.rule = rule

    def as_dict(self) -> dict[str, str | None]:
        return {"field": self.field, "message": self.message, "rule": self.rule}


class NotFound(DomainError):
    """Missing, or outside the actor's caseload: the two are indistinguishable on purpose."""

    status_code = 404


class PermissionDenied(DomainError):
    """The actor's role does not allow the action on a record they may see."""

    status_code = 403


class Conflict(DomainError):
    """The request is valid but collides with the current state (capacity, non-association)."""

    status_code = 409
