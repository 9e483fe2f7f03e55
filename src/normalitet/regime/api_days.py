"""API routes of the units' regime, under /api/v1/regime/: a unit's day and its plans, time
out of cell, the activity duty, a person's week, an activity's list, closures, the unit's
settings, restrictions on company, and the per-facility overview. The same services, reads and
scoping as the pages (:mod:`.views_days`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from ninja import Router, Status

from normalitet.audit.services import record_access
from normalitet.core import clock
from normalitet.core.errors import NotFound
from normalitet.core.schemas import ERRORS
from normalitet.estate.selectors import facilities_for
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can, ensure_cap
from normalitet.identity.roles import Cap

from . import access, days, figures, occurrences, schedule
from .access import ensure_activity, ensure_unit, is_teacher
from .models import Closure, CompanyRestriction, DayPlan, UnitRegime
from .schemas_days import (
    ActivityListOut,
    ClosureIn,
    ClosureOut,
    DayPlanIn,
    DayPlanOut,
    DutyOut,
    EndIn,
    OverviewOut,
    RestrictionIn,
    RestrictionOut,
    TimesOut,
    UnitDayOut,
    UnitSettingsIn,
    UnitSettingsOut,
    WeekOut,
)

router = Router(tags=["regime"])


def _day(value: dt.date | None, field: str = "date") -> dt.date:
    return figures.checked_day(value, field=field) if value else clock.today()


# --- Shapes -------------------------------------------------------------------------------------


def _blocks(blocks: list[schedule.PlanBlock]) -> list[dict[str, Any]]:
    return [
        {"kind": b.kind, "starts": b.starts, "ends": b.ends, "in_company": b.in_company}
        for b in blocks
    ]


def _plan(plan: DayPlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "unit_id": plan.unit_id,
        "day_type": plan.day_type,
        "valid_from": plan.valid_from,
        "note": plan.note,
        "blocks": _blocks(schedule.stored_blocks(plan)),
    }


def _closure(c: Closure) -> dict[str, Any]:
    fields = ("id", "facility_id", "unit_id", "starts_on", "ends_on", "reason")
    return {f: getattr(c, f) for f in fields}


def _restriction(r: CompanyRestriction) -> dict[str, Any]:
    fields = ("id", "person_id", "kind", "starts_on", "ends_on", "note")
    return {f: getattr(r, f) for f in fields}


def _occurrence(o: occurrences.Occurrence) -> dict[str, Any]:
    return {
        "session_id": o.session_id,
        "activity_id": o.activity_id,
        "activity": o.activity_name,
        "place": o.place,
        "starts": o.starts,
        "ends": o.ends,
        "cancelled": o.cancelled,
        "cancel_reason": o.cancel_reason,
    }


def _info(info: schedule.DayInfo) -> dict[str, Any]:
    return {
        "date": info.day,
        "day_type": info.day_type,
        "holiday": info.holiday,
        "closure": info.closure,
        "has_plan": info.has_plan,
        "blocks": _blocks(info.blocks),
    }


def _row(row: schedule.Row) -> dict[str, Any]:
    r, t = row.resident, row.time
    return {
        "person_id": r.person_id,
        "name": r.name,
        "unit_id": r.unit_id,
        "cell": r.cell,
        "away": r.away,
        "restriction": row.restriction,
        "sessions": [
            {**_occurrence(x.occurrence), "suspended": x.suspended, "outcome": x.outcome}
            for x in row.takings
        ],
        "out_of_cell_minutes": t.out_of_cell if t else None,
        "in_company_minutes": t.in_company if t else None,
        "below_minimum": t.below_minimum if t else None,
    }


def _tally(t: figures.Tally) -> dict[str, Any]:
    return {
        "present": t.present,
        "away": t.away,
        "locked_in_long": t.locked_in_long,
        "below_minimum": t.below_minimum,
        "average_out_of_cell_minutes": t.average_out_of_cell,
        "average_in_company_minutes": t.average_in_company,
    }


def _person_time(p: figures.PersonTime) -> dict[str, Any]:
    return {
        "person_id": p.resident.person_id,
        "name": p.resident.name,
        "unit_id": p.resident.unit_id,
        "out_of_cell_minutes": p.out_of_cell,
        "in_company_minutes": p.in_company,
        "minimum_minutes": p.minimum,
        "locked_in_long": p.locked_in_long,
        "below_minimum": p.below_minimum,
        "restricted": p.restricted,
        "closed": p.closed,
    }


def _duty_row(d: figures.DutyRow) -> dict[str, Any]:
    return {
        "person_id": d.resident.person_id,
        "name": d.resident.name,
        "unit_id": d.resident.unit_id,
        "legal_status": d.resident.legal_status,
        "activities": list(d.activities),
        "reason": d.reason,
        "detail": d.detail,
        "since": d.since,
    }


# --- Figures ------------------------------------------------------------------------------------


@router.get("/time-out-of-cell", response={200: TimesOut, **ERRORS})
def get_time_out_of_cell(
    request: AuthenticatedRequest, date: dt.date | None = None, facility_id: int | None = None
) -> Any:
    """Time out of cell and in company per unit; the persons below the minimum for the
    facility's own staff (``facility_id`` for regional and national roles)."""
    facility, names = figures.figures_facility(actor=request.user, facility_id=facility_id)
    t = figures.facility_times(facility_id=facility.pk, day=_day(date))
    units = [
        {
            "unit_id": u.unit_id,
            "code": u.code,
            "name": u.name,
            **_tally(u),
            "minimum_minutes": u.minimum,
            "has_plan": u.has_plan,
            "closed": u.closed,
        }
        for u in t.units
    ]
    return {
        "facility_id": facility.pk,
        "date": t.day,
        "locked_in_hours": t.locked_in_hours,
        "source": t.source,
        **_tally(t),
        "units": units,
        "persons_below_minimum": [_person_time(p) for p in t.below] if names else None,
    }


@router.get("/activity-duty", response={200: DutyOut, **ERRORS})
def get_activity_duty(
    request: AuthenticatedRequest, date: dt.date | None = None, facility_id: int | None = None
) -> Any:
    """Convicted persons with and without a duty activity, and why (SGL § 3, SGF § 1-4)."""
    facility, names = figures.figures_facility(actor=request.user, facility_id=facility_id)
    d = figures.facility_duty(facility_id=facility.pk, day=_day(date))
    return {
        "facility_id": facility.pk,
        "date": d.day,
        "reception_days": d.reception_days,
        "source": d.source,
        "convicted": len(d.convicted),
        "counted": d.counted,
        "in_activity": len(d.in_activity),
        "share_percent": d.share,
        "remand": len(d.remand),
        "remand_in_activity": d.remand_in_activity,
        "reasons": {code: n for code, _label, n in d.reason_counts()},
        "without": [_duty_row(r) for r in d.without] if names else None,
        "remand_persons": [_duty_row(r) for r in d.remand] if names else None,
    }


@router.get("/overview", response={200: list[OverviewOut], **ERRORS})
def get_overview(request: AuthenticatedRequest, date: dt.date | None = None) -> Any:
    """Per facility of the actor's scope: regional and national roles their facilities, staff
    their own."""
    user = request.user
    if can(user, Cap.REGIME_VIEW):
        ids = [access.staff_facility(actor=user).pk]
    elif can(user, Cap.REGIME_AGGREGATE):
        ids = list(facilities_for(actor=user).values_list("pk", flat=True))
    else:
        raise NotFound("Not found.")
    rows = figures.overview(facility_ids=ids, day=_day(date))
    return [
        {
            **asdict(r),
            "average_out_of_cell_minutes": r.average_out_of_cell,
            "share_percent": r.share,
        }
        for r in rows
    ]


# --- Schedules ----------------------------------------------------------------------------------


@router.get("/units/{unit_id}/day", response={200: UnitDayOut, **ERRORS})
def get_unit_day(request: AuthenticatedRequest, unit_id: int, date: dt.date | None = None) -> Any:
    unit = ensure_unit(actor=request.user, unit_id=unit_id)
    u = schedule.unit_day(unit=unit, day=_day(date))
    return {
        "unit_id": unit.pk,
        "unit": unit.name,
        "day": _info(u.info),
        "persons": [_row(r) for r in u.rows],
        "going": [
            {
                "occurrence": _occurrence(g.occurrence),
                "person_ids": [p.person_id for p in g.persons],
            }
            for g in u.going
        ],
        "escorts": [
            {
                "person_id": e.resident.person_id,
                "name": e.resident.name,
                "starts_at": e.slot.starts,
                "ends_at": e.slot.ends,
                "escort": e.slot.escort,
            }
            for e in u.escorts
        ],
    }


@router.get("/persons/{person_id}/schedule", response={200: WeekOut, **ERRORS})
def get_person_schedule(
    request: AuthenticatedRequest, person_id: int, week: dt.date | None = None
) -> Any:
    """The person's week (Monday to Sunday) holding ``week`` (today by default)."""
    episode = access.ensure_episode(actor=request.user, person_id=person_id)
    record_access(actor=request.user, person_id=person_id, what="regime.schedule", reason="api")
    days_ = schedule.person_week(episode=episode, day=_day(week, "week"))
    return {
        "person_id": person_id,
        "week_from": days_[0].info.day,
        "days": [
            {
                "day": _info(d.info),
                "person": _row(d.row) if d.row is not None else None,
                "health_service": [{"starts": s, "ends": e} for s, e in d.health],
            }
            for d in days_
        ],
    }


@router.get("/activities/{activity_id}/list", response={200: ActivityListOut, **ERRORS})
def get_activity_list(
    request: AuthenticatedRequest, activity_id: int, date: dt.date | None = None
) -> Any:
    activity = ensure_activity(actor=request.user, activity_id=activity_id)
    a = schedule.activity_day(activity=activity, day=_day(date))
    return {
        "activity_id": activity.pk,
        "name": activity.name,
        "date": a.day,
        "holiday": a.holiday,
        "sessions": [
            {
                "occurrence": _occurrence(o),
                "participants": [
                    {
                        "person_id": p.resident.person_id,
                        "name": p.resident.name,
                        "unit": p.resident.unit_name,
                        "cell": p.resident.cell,
                        "away": p.resident.away,
                        "suspended": p.suspended,
                        "restriction": p.restriction,
                        "outcome": p.outcome,
                    }
                    for p in persons
                ],
            }
            for o, persons in a.sessions
        ],
    }


# --- Day plans, settings, closures and restrictions ---------------------------------------------


@router.get("/units/{unit_id}/day-plans", response={200: list[DayPlanOut], **ERRORS})
def get_day_plans(request: AuthenticatedRequest, unit_id: int) -> Any:
    unit = ensure_unit(actor=request.user, unit_id=unit_id)
    return [_plan(p) for p in days.day_plans_of(actor=request.user, unit=unit)]


@router.post("/units/{unit_id}/day-plans", response={201: DayPlanOut, **ERRORS})
def post_day_plan(request: AuthenticatedRequest, unit_id: int, body: DayPlanIn) -> Any:
    user = request.user
    ensure_cap(user, Cap.REGIME_MANAGE)
    unit = ensure_unit(actor=user, unit_id=unit_id)
    if body.copy_from is not None:
        source = days.day_plan_for(actor=user, plan_id=body.copy_from)
        plan = days.day_plan_copy(
            actor=user, source=source, unit=unit, valid_from=body.valid_from, day_type=body.day_type
        )
    else:
        plan = days.day_plan_create(
            actor=user,
            unit=unit,
            day_type=body.day_type or "",
            valid_from=body.valid_from,
            blocks=[days.BlockIn(b.kind, b.starts, b.ends, b.in_company) for b in body.blocks],
            note=body.note,
        )
    return Status(201, _plan(DayPlan.objects.prefetch_related("blocks").get(pk=plan.pk)))


def _settings(unit_id: int, s: UnitRegime) -> dict[str, Any]:
    return {
        "unit_id": unit_id,
        "self_catering": s.self_catering,
        "minimum_minutes": s.minimum_out_of_cell_minutes,
    }


@router.get("/units/{unit_id}/settings", response={200: UnitSettingsOut, **ERRORS})
def get_unit_settings(request: AuthenticatedRequest, unit_id: int) -> Any:
    unit = ensure_unit(actor=request.user, unit_id=unit_id)
    return _settings(unit_id, days.unit_settings_of(unit))


@router.put("/units/{unit_id}/settings", response={200: UnitSettingsOut, **ERRORS})
def put_unit_settings(request: AuthenticatedRequest, unit_id: int, body: UnitSettingsIn) -> Any:
    s = days.unit_settings_set(
        actor=request.user,
        unit=unit_id,
        self_catering=body.self_catering,
        minimum_minutes=body.minimum_minutes,
    )
    return _settings(unit_id, s)


@router.get("/closures", response={200: list[ClosureOut], **ERRORS})
def get_closures(request: AuthenticatedRequest, since: dt.date | None = None) -> Any:
    """The facility's closures that end on or after ``since`` (today by default)."""
    access.staff_facility(actor=request.user)
    closures = days.closures_for(actor=request.user, since=since or clock.today())
    return [_closure(c) for c in closures]


@router.post("/closures", response={201: ClosureOut, **ERRORS})
def post_closure(request: AuthenticatedRequest, body: ClosureIn) -> Any:
    closure = days.closure_add(
        actor=request.user,
        unit=body.unit_id,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        reason=body.reason,
    )
    return Status(201, _closure(closure))


@router.post("/closures/{closure_id}/end", response={200: ClosureOut, **ERRORS})
def post_closure_end(request: AuthenticatedRequest, closure_id: int, body: EndIn) -> Any:
    closure = days.closure_for(actor=request.user, closure_id=closure_id)
    return _closure(days.closure_end(actor=request.user, closure=closure, ends_on=body.ends_on))


@router.get(
    "/persons/{person_id}/company-restrictions", response={200: list[RestrictionOut], **ERRORS}
)
def get_restrictions(request: AuthenticatedRequest, person_id: int) -> Any:
    if is_teacher(request.user):
        raise NotFound("Not found.")
    episode = access.ensure_episode(actor=request.user, person_id=person_id)
    record_access(actor=request.user, person_id=person_id, what="regime.restrictions", reason="api")
    return [_restriction(r) for r in days.restrictions_of(episode=episode)]


@router.post("/persons/{person_id}/company-restrictions", response={201: RestrictionOut, **ERRORS})
def post_restriction(request: AuthenticatedRequest, person_id: int, body: RestrictionIn) -> Any:
    episode = access.ensure_episode(actor=request.user, person_id=person_id)
    restriction = days.company_restriction_add(
        actor=request.user,
        episode=episode,
        kind=body.kind,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        note=body.note,
    )
    return Status(201, _restriction(restriction))


@router.post("/company-restrictions/{restriction_id}/end", response={200: RestrictionOut, **ERRORS})
def post_restriction_end(request: AuthenticatedRequest, restriction_id: int, body: EndIn) -> Any:
    restriction = days.company_restriction_for(actor=request.user, restriction_id=restriction_id)
    ended = days.company_restriction_end(
        actor=request.user, restriction=restriction, ends_on=body.ends_on
    )
    return _restriction(ended)
