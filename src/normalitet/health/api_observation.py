"""API: observation (under /api/v1/health/).

Unit staff (``Cap.OBSERVATION_CHECK``, their caseload): ``GET /watch`` (the level and the clock,
never the reason) and ``POST /watch/{person_id}/checks``; health staff of the facility may record
checks too. Health staff: ``GET /observation``, a person's observation record, setting and ending
the level, crises. Anyone else gets 404, as for a missing page."""

from __future__ import annotations

from typing import Any

from ninja import Router, Status

from normalitet.core.schemas import ERRORS
from normalitet.identity.models import AuthenticatedRequest

from . import access, audit, facts
from . import services_observation as services
from .api_record import health_staff
from .models import CrisisEvent, MissedCheck, ObservationCheck, ObservationLevel
from .schemas_observation import (
    HealthCheckIn,
    HealthCheckRecordedOut,
    HealthCrisisIn,
    HealthCrisisOut,
    HealthCrisisStepsIn,
    HealthObservationEndIn,
    HealthObservationLevelOut,
    HealthObservationRowOut,
    HealthObservationSetIn,
    HealthPersonObservationOut,
    HealthWatchOut,
)

router = Router(tags=["health"])


def _unit_staff(request: AuthenticatedRequest) -> Any:
    services.ensure_unit_staff(request.user)
    return request.user


def _checker(request: AuthenticatedRequest) -> Any:
    if access.is_health_staff(request.user):
        return request.user
    return _unit_staff(request)


def _watch_out(row: services.WatchRow) -> dict[str, Any]:
    o = row.observation
    return {
        "person_id": row.card.person_id,
        "name": row.card.name,
        "unit": row.card.unit,
        "cell": row.card.cell,
        "level": o.level,
        "level_label": o.level_label,
        "interval_minutes": o.interval_minutes,
        "started_at": o.started_at,
        "last_check_at": o.last_check_at,
        "last_check_by": row.last_check_by,
        "next_due": o.next_due,
        "overdue": o.overdue,
        "minutes_overdue": o.minutes_overdue,
    }


def _check_out(c: ObservationCheck) -> dict[str, Any]:
    return {
        "id": c.pk,
        "observation_id": c.observation_id,
        "person_id": c.person_id,
        **facts.check_row(c),
    }


def _level_out(lv: ObservationLevel) -> dict[str, Any]:
    return {
        "id": lv.pk,
        "person_id": lv.person_id,
        "level": lv.level,
        "level_label": str(lv.get_level_display()),
        "interval_minutes": lv.interval_minutes,
        "reason": lv.reason,
        "review_at": lv.review_at,
        "started_at": lv.started_at,
        "set_by": lv.created_by_name,
        "ended_at": lv.ended_at,
        "ended_by": lv.ended_by_name,
        "end_note": lv.end_note,
    }


def _missed_out(m: MissedCheck) -> dict[str, Any]:
    return {
        "id": m.pk,
        "observation_id": m.observation_id,
        "due_at": m.due_at,
        "detected_at": m.detected_at,
        "closed_by_check_id": m.closed_by_id,
        "closed_at": m.closed_by.checked_at if m.closed_by else None,
    }


def _crisis_out(c: CrisisEvent) -> dict[str, Any]:
    labels = dict(CrisisEvent.Step.choices)
    return {
        "id": c.pk,
        "person_id": c.person_id,
        "occurred_at": c.occurred_at,
        "kind": c.kind,
        "kind_label": str(c.get_kind_display()),
        "steps": [{"step": s, "label": str(labels.get(s, s))} for s in c.steps],
        "note": c.note,
        "recorded_at": c.created_at,
        "recorded_by": c.created_by_name,
    }


# --- Unit staff ----------------------------------------------------------------------------------


@router.get("/watch", response={200: list[HealthWatchOut], **ERRORS})
def get_watch(request: AuthenticatedRequest) -> Any:
    """The persons of the caseload under observation, overdue first (raises missed checks)."""
    user = _unit_staff(request)
    return [_watch_out(r) for r in services.watch_board(actor=user)]


@router.post("/watch/{person_id}/checks", response={201: HealthCheckRecordedOut, **ERRORS})
def post_check(request: AuthenticatedRequest, person_id: int, body: HealthCheckIn) -> Any:
    user = _checker(request)
    check = services.check_record(actor=user, person_id=person_id, state=body.state, note=body.note)
    clock_after = facts.observations([person_id])[person_id]
    return Status(
        201,
        {
            "check": _check_out(check),
            "next_due": clock_after.next_due,
            "overdue": clock_after.overdue,
        },
    )


# --- Health staff --------------------------------------------------------------------------------


@router.get("/observation", response={200: list[HealthObservationRowOut], **ERRORS})
def get_observation(request: AuthenticatedRequest) -> Any:
    """The facility's observations in force, overdue first, with the reasons."""
    user = health_staff(request)
    data = services.overview(actor=user)
    audit.record_accesses(
        actor=user, person_ids=[r.card.person_id for r in data.rows], what="observation.overview"
    )
    return [
        {
            "person_id": r.card.person_id,
            "name": r.card.name,
            "unit": r.card.unit,
            "cell": r.card.cell,
            "observation": _level_out(r.level),
            "last_check_at": r.observation.last_check_at,
            "last_check_by": r.last_check_by,
            "next_due": r.observation.next_due,
            "overdue": r.observation.overdue,
            "minutes_overdue": r.observation.minutes_overdue,
            "missed_24h": r.missed_24h,
            "missed_open": r.missed_open,
        }
        for r in data.rows
    ]


def _person_out(person_id: int) -> dict[str, Any]:
    record = services.person_observation(person_id=person_id)
    return {
        "person_id": person_id,
        "current": _level_out(record.current) if record.current else None,
        "next_due": record.clock.next_due if record.clock else None,
        "overdue": bool(record.clock and record.clock.overdue),
        "minutes_overdue": record.clock.minutes_overdue if record.clock else 0,
        "levels": [_level_out(lv) for lv in record.levels],
        "checks": [_check_out(c) for c in record.checks],
        "missed": [_missed_out(m) for m in record.missed],
    }


@router.get(
    "/persons/{person_id}/observation", response={200: HealthPersonObservationOut, **ERRORS}
)
def get_person_observation(request: AuthenticatedRequest, person_id: int) -> Any:
    user = health_staff(request)
    card = access.ensure_patient(user, person_id)
    audit.record_access(actor=user, person_id=card.person_id, what="observation")
    return _person_out(card.person_id)


@router.post(
    "/persons/{person_id}/observation", response={201: HealthObservationLevelOut, **ERRORS}
)
def post_person_observation(
    request: AuthenticatedRequest, person_id: int, body: HealthObservationSetIn
) -> Any:
    """Start or change the level (less close only by a doctor or psychologist: else 403)."""
    user = health_staff(request)
    level = services.observation_set(
        actor=user,
        person_id=person_id,
        level=body.level,
        reason=body.reason,
        review_at=body.review_at,
    )
    return Status(201, _level_out(level))


@router.post(
    "/persons/{person_id}/observation/end", response={200: HealthObservationLevelOut, **ERRORS}
)
def post_person_observation_end(
    request: AuthenticatedRequest, person_id: int, body: HealthObservationEndIn
) -> Any:
    user = health_staff(request)
    return _level_out(services.observation_end(actor=user, person_id=person_id, note=body.note))


@router.get("/persons/{person_id}/crises", response={200: list[HealthCrisisOut], **ERRORS})
def get_crises(request: AuthenticatedRequest, person_id: int) -> Any:
    user = health_staff(request)
    card = access.ensure_patient(user, person_id)
    audit.record_access(actor=user, person_id=card.person_id, what="observation.crises")
    rows = CrisisEvent.objects.filter(person_id=card.person_id).order_by("-occurred_at", "-pk")
    return [_crisis_out(c) for c in rows]


@router.post("/persons/{person_id}/crises", response={201: HealthCrisisOut, **ERRORS})
def post_crisis(request: AuthenticatedRequest, person_id: int, body: HealthCrisisIn) -> Any:
    user = health_staff(request)
    crisis = services.crisis_record(
        actor=user,
        person_id=person_id,
        occurred_at=body.occurred_at,
        kind=body.kind,
        steps=body.steps,
        note=body.note,
    )
    return Status(201, _crisis_out(crisis))


@router.post("/crises/{crisis_id}/steps", response={200: HealthCrisisOut, **ERRORS})
def post_crisis_steps(
    request: AuthenticatedRequest, crisis_id: int, body: HealthCrisisStepsIn
) -> Any:
    user = health_staff(request)
    crisis = services.crisis_add_steps(
        actor=user, crisis_id=crisis_id, steps=body.steps, note=body.note
    )
    return _crisis_out(crisis)
