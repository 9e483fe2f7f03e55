"""The custody API: persons, facilities, the roll and the custody actions, for other systems and
for the browser. Same services and selectors as the HTML views."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from ninja import Query, Router, Schema, Status

from normalitet.audit.services import record_access
from normalitet.core import clock
from normalitet.core.errors import DomainError, NotFound
from normalitet.core.schemas import ERRORS
from normalitet.estate.models import Cell, Facility, Unit
from normalitet.estate.selectors import facilities_with_capacity, visible_facility
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can, ensure_cap
from normalitet.identity.roles import Cap
from normalitet.people import services as people_services
from normalitet.people.models import Person

from . import selectors, services
from .caseload import ensure_episode_in_caseload, ensure_person_in_caseload
from .models import CustodyEpisode
from .schemas import (
    AbsenceIn,
    AdmissionIn,
    AlertIn,
    AlertOut,
    CellIn,
    CountIn,
    CountOut,
    EpisodeOut,
    FacilityOut,
    MovementOut,
    NonAssociationIn,
    NonAssociationOut,
    PersonOut,
    PersonPatchIn,
    PersonSummaryOut,
    ReleaseIn,
    RollOut,
    TransferIn,
    UnitOut,
    WhereaboutsOut,
)

router = Router(tags=["custody"])


def _location(e: CustodyEpisode | None) -> dict[str, Any] | None:
    if e is None:
        return None
    return {
        "facility_id": e.facility_id,
        "facility": e.facility.name,
        "unit_id": e.unit_id,
        "unit": e.unit.name if e.unit else None,
        "cell_id": e.cell_id,
        "cell": e.cell.code if e.cell else None,
        "absent": e.absence_kind or None,
    }


def _summary(person: Person, e: CustodyEpisode | None) -> dict[str, Any]:
    return {
        "id": person.pk,
        "person_number": person.person_number,
        "given_names": person.given_names,
        "family_name": person.family_name,
        "birth_date": person.birth_date,
        "legal_status": e.legal_status if e else None,
        "episode_id": e.pk if e else None,
        "location": _location(e),
    }


class SearchParams(Schema):
    search: str = ""
    limit: int = 20


@router.get("/persons", response={200: list[PersonSummaryOut], **ERRORS})
def list_persons(request: AuthenticatedRequest, params: Query[SearchParams]) -> Any:
    """Persons in your caseload matching a name, identity number or person number."""
    user = request.user
    if not (can(user, Cap.PERSON_VIEW) or can(user, Cap.PERSON_VIEW_MINIMAL)):
        raise NotFound("No such resource.")
    if not 1 <= params.limit <= 100:
        raise DomainError("limit must be between 1 and 100.", field="limit")
    episodes = selectors.search_persons(actor=user, q=params.search, limit=params.limit)
    return [_summary(e.person, e) for e in episodes]


@router.get("/persons/{person_id}", response={200: PersonOut, **ERRORS})
def get_person(request: AuthenticatedRequest, person_id: int) -> Any:
    user = request.user
    person = ensure_person_in_caseload(user, person_id)
    record_access(actor=user, person_id=person.pk, what="person", reason="api")
    e = selectors.person_episode(person=person)
    data = _summary(person, e)
    if can(user, Cap.PERSON_VIEW):
        data.update(
            national_id=person.national_id or None,
            nationality=person.nationality,
            languages=person.languages,
            interpreter_needed=person.interpreter_needed,
            gender=person.gender,
            contact_officer=e.contact_officer.username if e and e.contact_officer else None,
            expected_release_date=e.expected_release_date if e else None,
            alerts=[
                {
                    "kind": a.kind,
                    "text": a.text,
                    "active_from": a.active_from,
                    "active_to": a.active_to,
                }
                for a in selectors.person_alerts(person=person)
            ],
        )
    return data


@router.get("/persons/{person_id}/movements", response={200: list[MovementOut], **ERRORS})
def get_movements(request: AuthenticatedRequest, person_id: int) -> Any:
    user = request.user
    person = ensure_person_in_caseload(user, person_id)
    if not can(user, Cap.PERSON_VIEW):
        raise NotFound("Not found.")
    record_access(actor=user, person_id=person.pk, what="person.history", reason="api")
    return list(selectors.person_movements(person=person)[:500])


@router.get("/facilities", response={200: list[FacilityOut], **ERRORS})
def list_facilities(request: AuthenticatedRequest) -> Any:
    return [
        {
            "id": f.pk,
            "code": f.code,
            "name": f.name,
            "region": f.region.name,
            "security_level": f.security_level,
            "is_active": f.is_active,
            "places": getattr(f, "places", 0),
        }
        for f in facilities_with_capacity(actor=request.user)
    ]


def _roll_facility(request: AuthenticatedRequest, facility_id: int) -> Facility:
    return visible_facility(
        actor=request.user, facility_id=facility_id, caps=(Cap.ROLL_VIEW, Cap.ROLL_AGGREGATE)
    )


def _row(r: selectors.RollRow) -> dict[str, Any]:
    return {
        "unit_id": r.unit.pk if r.unit else None,
        "unit": r.unit.name if r.unit else None,
        "places": r.places,
        "in_cell": r.in_cell,
        "out": r.out,
        "arriving_today": r.arriving_today,
        "leaving_today": r.leaving_today,
        "without_cell": r.without_cell,
    }


@router.get("/facilities/{facility_id}/roll", response={200: RollOut, **ERRORS})
def get_roll(request: AuthenticatedRequest, facility_id: int) -> Any:
    facility = _roll_facility(request, facility_id)
    roll = selectors.facility_roll(facility=facility)
    return {
        "facility_id": facility.pk,
        "facility": facility.name,
        "date": clock.today(),
        "units": [_row(r) for r in roll.rows],
        "total": _row(roll.total),
    }


@router.post("/facilities/{facility_id}/counts", response={201: CountOut, **ERRORS})
def post_count(request: AuthenticatedRequest, facility_id: int, body: CountIn) -> Any:
    facility = _roll_facility(request, facility_id)
    unit = None
    if body.unit_id is not None:
        unit = Unit.objects.filter(pk=body.unit_id, facility=facility).first()
        if unit is None:
            raise DomainError("The unit is not in this facility.", field="unit_id")
    count = services.count_record(
        actor=request.user, facility=facility, unit=unit, counted=body.counted, note=body.note
    )
    return Status(
        201,
        {
            "id": count.pk,
            "unit_id": count.unit_id,
            "counted_at": count.counted_at,
            "expected": count.expected,
            "counted": count.counted,
            "discrepancy": count.discrepancy,
        },
    )


def _episode_out(e: CustodyEpisode) -> dict[str, Any]:
    e = CustodyEpisode.objects.select_related("facility", "unit", "cell").get(pk=e.pk)
    return {
        "id": e.pk,
        "person_id": e.person_id,
        "legal_status": e.legal_status,
        "admitted_at": e.admitted_at,
        "released_at": e.released_at,
        "expected_release_date": e.expected_release_date,
        "location": None if e.released_at else _location(e),
    }


@router.post("/custody/admissions", response={201: EpisodeOut, **ERRORS})
def post_admission(request: AuthenticatedRequest, body: AdmissionIn) -> Any:
    """Admit an existing person (``person_id``) or a new one (``person``)."""
    user = request.user
    ensure_cap(user, Cap.CUSTODY_ADMIT)
    if (body.person_id is None) == (body.person is None):
        raise DomainError("Give either person_id or person.", field="person")
    facility = Facility.objects.filter(pk=body.facility_id).first()
    if facility is None:
        raise DomainError("No such facility.", field="facility_id")
    with transaction.atomic():
        if body.person_id is not None:
            person = Person.objects.filter(pk=body.person_id).first()
            if person is None:
                raise DomainError("No such person.", field="person_id")
        else:
            assert body.person is not None
            person = people_services.person_create(actor=user, **body.person.dict())
        episode = services.admit(
            actor=user,
            person=person,
            legal_status=body.legal_status,
            facility=facility,
            expected_release_date=body.expected_release_date,
            reason=body.reason,
        )
    return Status(201, _episode_out(episode))


@router.post("/custody/episodes/{episode_id}/cell", response={200: EpisodeOut, **ERRORS})
def post_cell(request: AuthenticatedRequest, episode_id: int, body: CellIn) -> Any:
    episode = ensure_episode_in_caseload(request.user, episode_id)
    cell = Cell.objects.filter(pk=body.cell_id).first()
    if cell is None:
        raise DomainError("No such cell.", field="cell_id")
    services.allocate_cell(
        actor=request.user,
        episode=episode,
        cell=cell,
        shared_cell_reason=body.shared_cell_reason,
        reason=body.reason,
    )
    return _episode_out(episode)


@router.post("/custody/episodes/{episode_id}/transfer", response={200: EpisodeOut, **ERRORS})
def post_transfer(request: AuthenticatedRequest, episode_id: int, body: TransferIn) -> Any:
    episode = ensure_episode_in_caseload(request.user, episode_id)
    to = Facility.objects.filter(pk=body.to_facility_id).first()
    if to is None:
        raise DomainError("No such facility.", field="to_facility_id")
    services.transfer(actor=request.user, episode=episode, to_facility=to, reason=body.reason)
    return _episode_out(episode)


@router.post("/custody/episodes/{episode_id}/absences", response={200: EpisodeOut, **ERRORS})
def post_absence(request: AuthenticatedRequest, episode_id: int, body: AbsenceIn) -> Any:
    episode = ensure_episode_in_caseload(request.user, episode_id)
    services.absence_start(
        actor=request.user,
        episode=episode,
        kind=body.kind,
        expected_back=body.expected_back,
        reason=body.reason,
    )
    return _episode_out(episode)


@router.post("/custody/episodes/{episode_id}/return", response={200: EpisodeOut, **ERRORS})
def post_return(request: AuthenticatedRequest, episode_id: int) -> Any:
    episode = ensure_episode_in_caseload(request.user, episode_id)
    services.absence_end(actor=request.user, episode=episode)
    return _episode_out(episode)


@router.post("/custody/episodes/{episode_id}/release", response={200: EpisodeOut, **ERRORS})
def post_release(request: AuthenticatedRequest, episode_id: int, body: ReleaseIn) -> Any:
    episode = ensure_episode_in_caseload(request.user, episode_id)
    services.release(actor=request.user, episode=episode, reason=body.reason, note=body.note)
    return _episode_out(episode)


class WhereParams(Schema):
    at: dt.datetime


@router.get("/persons/{person_id}/location", response={200: WhereaboutsOut, **ERRORS})
def get_location(request: AuthenticatedRequest, person_id: int, params: Query[WhereParams]) -> Any:
    """Where the person was at an instant, replayed from the movement history."""
    user = request.user
    person = ensure_person_in_caseload(user, person_id)
    if not can(user, Cap.PERSON_VIEW):
        raise NotFound("Not found.")
    at = clock.aware(params.at)
    record_access(actor=user, person_id=person.pk, what="person.history", reason="api")
    w = selectors.location_on(person=person, at=at)
    return {
        "at": at,
        "in_custody": w.in_custody,
        "facility_id": w.facility.pk if w.facility else None,
        "unit_id": w.unit.pk if w.unit else None,
        "cell_id": w.cell.pk if w.cell else None,
        "absent": w.absent or None,
    }


def _editable_person(request: AuthenticatedRequest, person_id: int) -> Person:
    person = ensure_person_in_caseload(request.user, person_id)
    ensure_cap(request.user, Cap.PERSON_EDIT)
    return person


@router.patch("/persons/{person_id}", response={200: PersonOut, **ERRORS})
def patch_person(request: AuthenticatedRequest, person_id: int, body: PersonPatchIn) -> Any:
    person = _editable_person(request, person_id)
    people_services.person_update(
        actor=request.user, person=person, **body.dict(exclude_unset=True, exclude_none=True)
    )
    return get_person(request, person_id)


@router.post("/persons/{person_id}/alerts", response={201: AlertOut, **ERRORS})
def post_alert(request: AuthenticatedRequest, person_id: int, body: AlertIn) -> Any:
    person = _editable_person(request, person_id)
    alert = people_services.alert_add(actor=request.user, person=person, **body.dict())
    return Status(201, alert)


@router.post("/persons/{person_id}/non-associations", response={201: NonAssociationOut, **ERRORS})
def post_non_association(
    request: AuthenticatedRequest, person_id: int, body: NonAssociationIn
) -> Any:
    person = _editable_person(request, person_id)
    other = Person.objects.filter(pk=body.other_person_id).first()
    if other is None:
        raise DomainError("No such person.", field="other_person_id")
    na = people_services.non_association_add(
        actor=request.user, person=person, other=other, scope=body.scope, reason=body.reason
    )
    return Status(201, na)


@router.get("/facilities/{facility_id}/units", response={200: list[UnitOut], **ERRORS})
def get_units(request: AuthenticatedRequest, facility_id: int) -> Any:
    """Units and cells of a facility with their capacity and current number of occupants."""
    facility = visible_facility(
        actor=request.user, facility_id=facility_id, caps=(Cap.ESTATE_VIEW,)
    )
    occupied = selectors.occupancy_by_cell(facility=facility)
    units = Unit.objects.filter(facility=facility).prefetch_related("cells").order_by("code")
    return [
        {
            "id": u.pk,
            "code": u.code,
            "name": u.name,
            "kind": u.kind,
            "security_level": u.security_level,
            "is_active": u.is_active,
            "cells": [
                {
                    "id": c.pk,
                    "code": c.code,
                    "capacity": c.capacity,
                    "occupants": occupied.get(c.pk, 0),
                    "single_occupancy": c.single_occupancy,
                    "accessible": c.accessible,
                    "safe_cell": c.safe_cell,
                    "is_active": c.is_active,
                }
                for c in u.cells.all()
            ],
        }
        for u in units
    ]
