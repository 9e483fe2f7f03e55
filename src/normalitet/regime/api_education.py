"""API routes of the regime: education records, diets, meal numbers and clergy visits, under
/api/v1/regime/. The same services and scope as the pages: a person or facility outside the
caller's scope is a 404; a role that sees it but may not change it gets a 403."""

from __future__ import annotations

from typing import Any

from ninja import Router, Status

from normalitet.audit.services import record_access, record_accesses
from normalitet.core import clock
from normalitet.core.schemas import ERRORS
from normalitet.identity.models import AuthenticatedRequest

from . import access, education, meals
from .models import HOLDS_PLACE, ClergyVisit, DietRequirement, EducationRecord
from .schemas_education import (
    ClergyVisitIn,
    ClergyVisitOut,
    DietEndIn,
    DietIn,
    DietOut,
    EducationEntryIn,
    EducationOut,
    EducationRecordIn,
    EducationRecordOut,
    FaithOut,
    MealsOut,
)

router = Router(tags=["regime"])


def _entry(body: EducationEntryIn) -> education.EducationEntry:
    return education.EducationEntry(**body.model_dump(exclude={"activity_id"}))


def _record(r: EducationRecord) -> dict[str, Any]:
    fields = education.entry_of(r)
    return {
        **fields,
        "id": r.pk,
        "person_id": r.person_id,
        "facility_id": r.facility_id,
        "facility": r.facility.name,
        "activity_id": r.activity_id,
    }


def _diet(d: DietRequirement) -> dict[str, Any]:
    return {
        "id": d.pk,
        "person_id": d.person_id,
        "kind": d.kind,
        "detail": d.detail,
        "starts_on": d.starts_on,
        "ends_on": d.ends_on,
    }


def _unit(row: meals.UnitMeals) -> dict[str, Any]:
    details = [{"kind": k, "detail": d, "persons": n} for (k, d), n in row.details.items()]
    return {
        "unit_id": row.unit_id,
        "unit": row.name,
        "persons": row.present,
        "ordinary": row.ordinary,
        "diets": dict(row.diets),
        "details": details,
        "health_service_diets": [{"instruction": d, "persons": n} for d, n in row.health_lines()],
    }


def _visit(v: ClergyVisit, visible: bool) -> dict[str, Any]:
    return {
        "id": v.pk,
        "community": v.community,
        "visitor_name": v.visitor_name,
        "external": v.external,
        "starts_at": v.starts_at,
        "minutes": v.minutes,
        "pastoral": v.person_id is not None,
        "person_id": v.person_id if visible else None,
    }


@router.get("/persons/{person_id}/education", response={200: EducationOut, **ERRORS})
def get_education(request: AuthenticatedRequest, person_id: int) -> Any:
    episode = education.education_episode(actor=request.user, person_id=person_id)
    record_access(actor=request.user, person_id=person_id, what="regime.education")
    o = education.education_overview(episode=episode, today=clock.today())
    return {
        "person_id": person_id,
        "attendance_since": o.since,
        "attendance_until": o.until,
        "records": [_record(r) for r in o.records],
        "enrolments": [
            {
                "allocation_id": a.pk,
                "activity_id": a.activity_id,
                "activity": a.activity.name,
                "status": a.status,
                "enrolled": a.status in HOLDS_PLACE,
                "since": a.starts_on or a.requested_on,
            }
            for a in o.enrolments
        ],
        "attendance": [
            {
                "activity_id": s.activity_id,
                "activity": s.activity_name,
                "attended": s.attended,
                "marked": s.marked,
                "percent": s.percent,
            }
            for s in o.attendance
        ],
    }


@router.post("/persons/{person_id}/education", response={201: EducationRecordOut, **ERRORS})
def post_education(request: AuthenticatedRequest, person_id: int, body: EducationRecordIn) -> Any:
    episode = education.education_episode(actor=request.user, person_id=person_id)
    record = education.education_record_add(
        actor=request.user, episode=episode, activity_id=body.activity_id, entry=_entry(body)
    )
    return Status(201, _record(record))


@router.put(
    "/persons/{person_id}/education/{record_id}", response={200: EducationRecordOut, **ERRORS}
)
def put_education(
    request: AuthenticatedRequest, person_id: int, record_id: int, body: EducationEntryIn
) -> Any:
    """Correct a record (the audit log keeps what changed)."""
    episode = education.education_episode(actor=request.user, person_id=person_id)
    record = education.record_of(episode=episode, record_id=record_id)
    return _record(
        education.education_record_correct(actor=request.user, record=record, entry=_entry(body))
    )


@router.get("/persons/{person_id}/diets", response={200: list[DietOut], **ERRORS})
def get_diets(request: AuthenticatedRequest, person_id: int) -> Any:
    episode = meals.diet_episode(actor=request.user, person_id=person_id)
    record_access(actor=request.user, person_id=person_id, what="regime.diet")
    current, ended = meals.person_diets(person_id=episode.person_id, today=clock.today())
    return [_diet(d) for d in current + ended]


@router.post("/persons/{person_id}/diets", response={201: DietOut, **ERRORS})
def post_diet(request: AuthenticatedRequest, person_id: int, body: DietIn) -> Any:
    episode = meals.diet_episode(actor=request.user, person_id=person_id)
    diet = meals.diet_add(
        actor=request.user,
        episode=episode,
        kind=body.kind,
        detail=body.detail,
        starts_on=body.starts_on or clock.today(),
        ends_on=body.ends_on,
    )
    return Status(201, _diet(diet))


@router.post("/diets/{diet_id}/end", response={200: DietOut, **ERRORS})
def post_diet_end(request: AuthenticatedRequest, diet_id: int, body: DietEndIn) -> Any:
    diet = meals.diet_for(actor=request.user, diet_id=diet_id)
    ends_on = body.ends_on or clock.today()
    return _diet(meals.diet_end(actor=request.user, diet=diet, ends_on=ends_on))


@router.get("/meals", response={200: MealsOut, **ERRORS})
def get_meals(request: AuthenticatedRequest, date: str = "") -> Any:
    """Meal numbers of the caller's facility for a day (ISO date; today when left out)."""
    facility = access.staff_facility(actor=request.user)
    n = meals.meal_numbers(facility=facility, day=meals.meal_day(date, clock.today()))
    return {
        "facility_id": facility.pk,
        "date": n.day,
        "catered": [_unit(r) for r in n.catered],
        "total": _unit(n.total),
        "self_catering": [
            {
                "unit_id": r.unit_id,
                "unit": r.name,
                "persons": r.present,
                "food_ore": r.present * r.food_ore,
            }
            for r in n.self_catering
        ],
        "food_ore_per_person": n.food_ore,
        "food_ore_total": n.self_catering_total.present * n.food_ore,
    }


@router.get("/clergy-visits", response={200: FaithOut, **ERRORS})
def get_clergy_visits(request: AuthenticatedRequest) -> Any:
    """Faith services and clergy visits of the last four weeks, per community."""
    facility = access.staff_facility(actor=request.user)
    o = meals.faith_overview(actor=request.user, facility=facility, now=clock.now())
    record_accesses(
        actor=request.user, person_ids=sorted(set(o.visible_person_ids)), what="regime.faith"
    )
    return {
        "facility_id": facility.pk,
        "since": o.since,
        "until": o.until,
        "communities": [
            {
                "community": c.name,
                "services": c.services,
                "services_held": c.sessions_held,
                "group_visits": c.group_visits,
                "pastoral_visits": c.pastoral_visits,
                "visit_minutes": c.visit_minutes,
                "taking_part": c.taking_part,
                "without_access": c.without_access,
            }
            for c in o.communities
        ],
        "visits": [_visit(v, p is not None) for v, p in o.visits],
    }


@router.post("/clergy-visits", response={201: ClergyVisitOut, **ERRORS})
def post_clergy_visit(request: AuthenticatedRequest, body: ClergyVisitIn) -> Any:
    visit = meals.clergy_visit_add(actor=request.user, **body.model_dump())
    return Status(201, _visit(visit, visible=True))
