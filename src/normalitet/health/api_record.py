"""API: the health staff's patients and one person's record, fitness for work and medical diet
(under /api/v1/health/). Health staff of a facility only: anyone else gets 404, as does a person
outside the facility. Every read of a person's record is logged."""

from __future__ import annotations

from typing import Any

from ninja import Router, Status

from normalitet.core.schemas import ERRORS
from normalitet.identity.models import AuthenticatedRequest

from . import access, audit, facts
from . import services_record as services
from .models import MedicalDiet, WorkFitness
from .schemas_record import (
    HealthDietEndIn,
    HealthDietIn,
    HealthDietOut,
    HealthFitnessIn,
    HealthFitnessOut,
    HealthPatientOut,
    HealthRecordOut,
)

router = Router(tags=["health"])


def health_staff(request: AuthenticatedRequest) -> Any:
    """The user, if they are health staff of a facility; else NotFound (404)."""
    access.ensure_health_staff(request.user)
    return request.user


def patient_card(user: Any, person_id: int, what: str) -> access.PersonCard:
    """The person's card if they are in custody at the user's facility (else NotFound); the read
    of ``what`` is logged."""
    card = access.ensure_patient(user, person_id)
    audit.record_access(actor=user, person_id=card.person_id, what=what)
    return card


def _patient(
    card: access.PersonCard,
    observation: facts.Observation | None,
    prescriptions: int,
    open_requests: int,
) -> dict[str, Any]:
    return {
        "person_id": card.person_id,
        "name": card.name,
        "person_number": card.person_number,
        "birth_date": card.birth_date,
        "unit": card.unit,
        "cell": card.cell,
        "expected_release": card.expected_release,
        "observation_level": observation.level if observation else None,
        "observation_overdue": bool(observation and observation.overdue),
        "active_prescriptions": prescriptions,
        "open_requests": open_requests,
    }


def _statement(row: WorkFitness | MedicalDiet, state: str) -> dict[str, Any]:
    fields = [f.attname for f in type(row)._meta.concrete_fields]
    return {**{f: getattr(row, f) for f in fields}, "state": state}


def _current(row: WorkFitness | MedicalDiet | None) -> dict[str, Any] | None:
    return _statement(row, "in_force") if row is not None else None


@router.get("/persons", response={200: list[HealthPatientOut], **ERRORS})
def get_patients(request: AuthenticatedRequest, q: str = "") -> Any:
    """The persons in custody at the health worker's facility (``q``: name or person number)."""
    rows = services.patients(health_staff(request), q)
    return [_patient(r.card, r.observation, r.prescriptions, r.open_requests) for r in rows]


@router.get("/persons/{person_id}/record", response={200: HealthRecordOut, **ERRORS})
def get_record(request: AuthenticatedRequest, person_id: int) -> Any:
    user = health_staff(request)
    view = services.overview(user, person_id)
    audit.record_access(actor=user, person_id=view.card.person_id, what="record")
    o = view.observation
    return {
        "person": _patient(view.card, o, len(view.prescriptions), view.open_requests),
        "requests": view.requests,
        "appointments": view.appointments,
        "prescriptions": view.prescriptions,
        "observation": (
            {
                "level": o.level,
                "interval_minutes": o.interval_minutes,
                "next_due": o.next_due,
                "overdue": o.overdue,
                "minutes_overdue": o.minutes_overdue,
                "reason": view.observation_reason,
            }
            if o
            else None
        ),
        "fitness": _current(view.fitness),
        "diet": _current(view.diet),
        "referrals": view.referrals,
    }


@router.get("/persons/{person_id}/fitness", response={200: list[HealthFitnessOut], **ERRORS})
def get_fitness(request: AuthenticatedRequest, person_id: int) -> Any:
    card = patient_card(health_staff(request), person_id, "fitness")
    return [_statement(r, s) for r, s in services.history(WorkFitness, card.person_id)]


@router.post("/persons/{person_id}/fitness", response={201: HealthFitnessOut, **ERRORS})
def post_fitness(request: AuthenticatedRequest, person_id: int, body: HealthFitnessIn) -> Any:
    row = services.fitness_set(actor=health_staff(request), person_id=person_id, **body.dict())
    return Status(201, _statement(row, _state(row)))


def _state(row: services.M) -> str:
    """The state of a statement just written or changed, among the person's others."""
    states = {r.pk: s for r, s in services.history(type(row), row.person_id)}
    return states.get(row.pk, "replaced")


@router.get("/persons/{person_id}/diet", response={200: list[HealthDietOut], **ERRORS})
def get_diet(request: AuthenticatedRequest, person_id: int) -> Any:
    card = patient_card(health_staff(request), person_id, "diet")
    return [_statement(r, s) for r, s in services.history(MedicalDiet, card.person_id)]


@router.post("/persons/{person_id}/diet", response={201: HealthDietOut, **ERRORS})
def post_diet(request: AuthenticatedRequest, person_id: int, body: HealthDietIn) -> Any:
    diet = services.diet_set(actor=health_staff(request), person_id=person_id, **body.dict())
    return Status(201, _statement(diet, _state(diet)))


@router.post("/diets/{diet_id}/end", response={200: HealthDietOut, **ERRORS})
def post_diet_end(request: AuthenticatedRequest, diet_id: int, body: HealthDietEndIn) -> Any:
    diet = services.diet_end(actor=health_staff(request), diet_id=diet_id, on=body.on)
    return _statement(diet, _state(diet))
