"""The pathway API: a person's steps home, decisions on them, and the facility's list of persons
eligible for a less restrictive form who have not been moved."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Router, Schema, Status

from normalitet.core import clock
from normalitet.core.schemas import ERRORS
from normalitet.identity.models import AuthenticatedRequest

from .api import plan_person
from .pathway import Step, less_restrictive_candidates, pathway_decision_record, person_pathway
from .selectors import plan_facility

router = Router(tags=["planning"])


class PathwayStepOut(Schema):
    milestone: str
    date: dt.date | None
    rule: str
    status: str
    reason: str | None


class PathwayOut(Schema):
    person_id: int
    has_dates: bool
    next_step: str | None
    steps: list[PathwayStepOut]
    plan_needs: list[str]


class PathwayDecisionIn(Schema):
    milestone: str
    status: str
    decided_on: dt.date | None = None
    reason: str = Field(..., max_length=500)


class CandidateOut(Schema):
    person_id: int
    person_number: str
    name: str
    eligible_for: list[PathwayStepOut]
    reason: str | None


def _step(s: Step) -> dict[str, Any]:
    return {
        "milestone": s.milestone,
        "date": s.date,
        "rule": s.rule,
        "status": s.status,
        "reason": s.decision.reason if s.decision else None,
    }


@router.get("/persons/{person_id}/pathway", response={200: PathwayOut, **ERRORS})
def get_pathway(request: AuthenticatedRequest, person_id: int) -> Any:
    _person, episode = plan_person(request, person_id)
    p = person_pathway(episode=episode)
    return {
        "person_id": person_id,
        "has_dates": p.has_dates,
        "next_step": p.next_step.milestone if p.next_step else None,
        "steps": [_step(s) for s in p.steps],
        "plan_needs": [str(n) for n in p.plan_needs],
    }


@router.post("/persons/{person_id}/pathway/decisions", response={201: PathwayStepOut, **ERRORS})
def post_decision(request: AuthenticatedRequest, person_id: int, body: PathwayDecisionIn) -> Any:
    _person, episode = plan_person(request, person_id)
    d = pathway_decision_record(
        actor=request.user,
        episode=episode,
        milestone=body.milestone,
        status=body.status,
        decided_on=body.decided_on or clock.today(),
        reason=body.reason,
    )
    steps = {s.milestone: s for s in person_pathway(episode=episode).steps}
    return Status(201, _step(steps[d.milestone]))


@router.get(
    "/facilities/{facility_id}/less-restrictive", response={200: list[CandidateOut], **ERRORS}
)
def get_less_restrictive(request: AuthenticatedRequest, facility_id: int) -> Any:
    facility = plan_facility(actor=request.user, facility_id=facility_id)
    return [
        {
            "person_id": c.episode.person_id,
            "person_number": c.episode.person.person_number,
            "name": c.episode.person.full_name,
            "eligible_for": [_step(s) for s in c.steps],
            "reason": c.reason.reason if c.reason else None,
        }
        for c in less_restrictive_candidates(actor=request.user, facility=facility)
    ]
