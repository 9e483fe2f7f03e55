"""The sentencing API: the pure calculation, and a person's legal dates with their history."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema, Status

from normalitet.audit.services import record_access
from normalitet.core.errors import NotFound
from normalitet.core.schemas import ErrorsOut
from normalitet.custody.caseload import ensure_person_in_caseload
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap

from . import engine, selectors

router = Router(tags=["sentencing"])


class CalculationIn(Schema):
    """The input of `normalitet calc` (README, "The release-date engine")."""

    start_date: Any
    sentences: list[dict[str, Any]]
    deprivations: list[dict[str, Any]] = []
    interruptions: list[dict[str, Any]] = []
    parole_refusals: int = 0


@router.post("/sentencing/calculate", response={200: dict[str, Any], 400: ErrorsOut})
def calculate(request: AuthenticatedRequest, body: CalculationIn) -> Any:
    """Every legal date for the input (the JSON format of `normalitet calc`, see the README),
    each with its explanation and the rule set used. Refused input: 400 with each rule broken."""
    if not can(request.user, Cap.SENTENCE_VIEW):
        raise NotFound("Not found.")
    result = engine.calculate(body.dict())
    if "errors" in result:
        return Status(400, result)
    return result


class CalculationOut(Schema):
    computed_at: str
    computed_by: str | None
    trigger: str
    rule_set: str
    changes: dict[str, list[Any]]


class SentenceOut(Schema):
    person_id: int
    start_date: str | None
    current: dict[str, Any] | None
    history: list[CalculationOut]


@router.get("/persons/{person_id}/sentence", response={200: SentenceOut, 404: ErrorsOut})
def person_sentence(request: AuthenticatedRequest, person_id: int) -> Any:
    """The person's legal dates in force, with explanations, and every earlier calculation."""
    person = ensure_person_in_caseload(request.user, person_id)
    if not can(request.user, Cap.SENTENCE_VIEW):
        raise NotFound("Not found.")
    record_access(actor=request.user, person_id=person.pk, what="person.sentence", reason="api")
    execution = selectors.active_execution(person=person)
    if execution is None:
        return {"person_id": person.pk, "start_date": None, "current": None, "history": []}
    history = selectors.calculation_history(execution=execution)
    return {
        "person_id": person.pk,
        "start_date": execution.start_date.isoformat(),
        "current": history[0].result if history else None,
        "history": [
            {
                "computed_at": c.computed_at.isoformat(),
                "computed_by": c.computed_by.username if c.computed_by else None,
                "trigger": c.trigger,
                "rule_set": c.rule_set,
                "changes": c.changes,
            }
            for c in history
        ],
    }
