"""The placement and transfer API: a person's placement recommendation, transfer cases
(propose, decide, carry out, withdraw) and the queue of open cases."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Router, Schema, Status

from normalitet.core.errors import NotFound
from normalitet.core.schemas import ERRORS
from normalitet.estate.models import Facility
from normalitet.identity.models import AuthenticatedRequest

from . import transfers
from .api import plan_person
from .models import TransferCase
from .placement import ReasonOut, placement_for, reasons_out, stored_reasons

router = Router(tags=["planning"])


class ReasonSchema(Schema):
    code: str
    rule: str
    text: str


class FacilityRankOut(Schema):
    facility_id: int
    name: str
    security_level: str
    suitable: bool
    free_places: int
    distance_km: float | None
    reasons: list[ReasonSchema]


class PlacementOut(Schema):
    person_id: int
    current_level: str
    recommended_level: str
    reasons: list[ReasonSchema]
    decision_level: str
    decision_level_reason: ReasonSchema
    facilities: list[FacilityRankOut]


class TransferProposalIn(Schema):
    to_facility_id: int
    reason: str
    justification: str = Field(..., max_length=1000)


class TransferDecisionIn(Schema):
    decision: Literal["granted", "refused"]
    reasons: str = Field(..., max_length=2000)


class WithdrawIn(Schema):
    note: str = Field(..., max_length=500)


class TransferOut(Schema):
    id: int
    person_id: int
    from_facility_id: int
    to_facility_id: int
    reason: str
    justification: str
    status: str
    decision_level: str
    decision_level_rule: str
    recommended_level: str | None
    follows_recommendation: bool | None
    recommendation_reasons: list[ReasonSchema]
    proposed_at: dt.datetime
    decided_at: dt.datetime | None
    decision_reason: str
    appeal_deadline: dt.date | None
    appeal_rule: str
    executed_at: dt.datetime | None


def _reason(r: ReasonOut) -> dict[str, Any]:
    return {"code": r.code, "rule": r.rule, "text": r.text}


def _case(c: TransferCase) -> dict[str, Any]:
    snap = c.recommendation or {}
    return {
        "id": c.pk,
        "person_id": c.person_id,
        "from_facility_id": c.from_facility_id,
        "to_facility_id": c.to_facility_id,
        "reason": c.reason,
        "justification": c.justification,
        "status": c.status,
        "decision_level": c.decision_level,
        "decision_level_rule": c.decision_level_rule,
        "recommended_level": snap.get("level"),
        "follows_recommendation": snap.get("follows_recommendation"),
        "recommendation_reasons": [_reason(r) for r in stored_reasons(snap.get("reasons", []))],
        "proposed_at": c.proposed_at,
        "decided_at": c.decided_at,
        "decision_reason": c.decision_reason,
        "appeal_deadline": c.appeal_deadline,
        "appeal_rule": c.appeal_rule,
        "executed_at": c.executed_at,
    }


@router.get("/persons/{person_id}/placement", response={200: PlacementOut, **ERRORS})
def get_placement(request: AuthenticatedRequest, person_id: int) -> Any:
    _person, episode = plan_person(request, person_id)
    p = placement_for(episode=episode)
    rec = p.recommendation
    return {
        "person_id": person_id,
        "current_level": p.current_level,
        "recommended_level": rec.level,
        "reasons": [_reason(r) for r in p.reasons],
        "decision_level": p.decision_level,
        "decision_level_reason": _reason(reasons_out([p.decision_reason])[0]),
        "facilities": [
            {
                "facility_id": r.option.facility_id,
                "name": r.option.name,
                "security_level": r.option.security_level,
                "suitable": r.suitable,
                "free_places": r.option.free_places,
                "distance_km": None
                if r.option.distance_km is None
                else round(r.option.distance_km, 1),
                "reasons": [_reason(x) for x in reasons_out(r.reasons)],
            }
            for r in rec.facilities
        ],
    }


@router.get("/persons/{person_id}/transfers", response={200: list[TransferOut], **ERRORS})
def get_person_transfers(request: AuthenticatedRequest, person_id: int) -> Any:
    _person, episode = plan_person(request, person_id)
    return [_case(c) for c in TransferCase.objects.filter(episode=episode)[:100]]


@router.post("/persons/{person_id}/transfers", response={201: TransferOut, **ERRORS})
def post_transfer(request: AuthenticatedRequest, person_id: int, body: TransferProposalIn) -> Any:
    _person, episode = plan_person(request, person_id)
    facility = Facility.objects.filter(pk=body.to_facility_id).first()
    if facility is None:
        raise NotFound("No such facility.", field="to_facility_id")
    case = transfers.transfer_propose(
        actor=request.user,
        episode=episode,
        to_facility=facility,
        reason=body.reason,
        justification=body.justification,
    )
    return Status(201, _case(case))


@router.get("/transfers", response={200: list[TransferOut], **ERRORS})
def get_transfers(request: AuthenticatedRequest, status: str = "open") -> Any:
    """Open cases (``status=open``, the default), or all the actor may see (``status=all``)."""
    cases = transfers.listed_cases(request.user, open_only=status == "open")
    return [_case(c) for c in cases]


@router.get("/transfers/{case_id}", response={200: TransferOut, **ERRORS})
def get_transfer(request: AuthenticatedRequest, case_id: int) -> Any:
    return _case(transfers.case_for(request.user, case_id))


@router.post("/transfers/{case_id}/decision", response={200: TransferOut, **ERRORS})
def post_decision(request: AuthenticatedRequest, case_id: int, body: TransferDecisionIn) -> Any:
    case = transfers.case_for(request.user, case_id)
    return _case(
        transfers.transfer_decide(
            actor=request.user,
            case=case,
            granted=body.decision == "granted",
            reasons=body.reasons,
        )
    )


@router.post("/transfers/{case_id}/execute", response={200: TransferOut, **ERRORS})
def post_execute(request: AuthenticatedRequest, case_id: int) -> Any:
    case = transfers.case_for(request.user, case_id)
    return _case(transfers.transfer_execute(actor=request.user, case=case))


@router.post("/transfers/{case_id}/withdraw", response={200: TransferOut, **ERRORS})
def post_withdraw(request: AuthenticatedRequest, case_id: int, body: WithdrawIn) -> Any:
    case = transfers.case_for(request.user, case_id)
    return _case(transfers.transfer_withdraw(actor=request.user, case=case, note=body.note))
