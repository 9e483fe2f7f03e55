"""API: health requests and appointments (under /api/v1/health/). The same services as the
pages. Health staff read and change requests and appointments of their facility's patients; for
anyone else these routes do not exist (404). Prison staff with ``HEALTH_REQUEST_LOG`` log a
request and get its reference only; those with ``OBSERVATION_CHECK`` read the day's escorts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Status

from normalitet.core import clock
from normalitet.core.errors import NotFound
from normalitet.core.schemas import ERRORS
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap

from . import access
from . import services_requests as services
from .access import PersonCard
from .models import Appointment, HealthRequest
from .schemas_requests import (
    HealthAppointmentIn,
    HealthAppointmentOut,
    HealthCancelIn,
    HealthCloseIn,
    HealthEscortOut,
    HealthOutcomeIn,
    HealthPersonRequestsOut,
    HealthRequestIn,
    HealthRequestOut,
    HealthRequestReceiptOut,
    HealthRequestRowOut,
    HealthTriageIn,
)

router = Router(tags=["health"])

MAX_LIST = 500


def _row_out(row: services.RequestRow) -> dict[str, Any]:
    r = row.request
    return {
        **{
            f: getattr(r, f)
            for f in (
                "id",
                "reference",
                "person_id",
                "service",
                "channel",
                "status",
                "priority",
                "created_at",
                "triaged_at",
                "closed_at",
            )
        },
        "person_name": row.card.name,
        "see_by": row.see_by,
        "overdue": row.overdue,
    }


def _appointment_out(a: Appointment, card: PersonCard) -> dict[str, Any]:
    return {
        **{
            f: getattr(a, f)
            for f in (
                "id",
                "person_id",
                "facility_id",
                "request_id",
                "service",
                "clinician_id",
                "clinician_name",
                "starts_at",
                "ends_at",
                "place",
                "escort",
                "status",
                "note",
                "status_note",
                "created_at",
                "created_by_name",
            )
        },
        "person_name": card.name,
    }


def _request_out(detail: services.RequestDetail) -> dict[str, Any]:
    r, card = detail.row.request, detail.row.card
    return {
        **_row_out(detail.row),
        **{
            f: getattr(r, f)
            for f in (
                "facility_id",
                "text",
                "created_by_name",
                "triage_note",
                "triaged_by_name",
                "close_note",
            )
        },
        "appointments": [_appointment_out(a, card) for a in detail.appointments],
    }


# The answer to a change: the change is logged, so reading it back is not logged again.


def _fresh_request(request: AuthenticatedRequest, r: HealthRequest) -> dict[str, Any]:
    return _request_out(services.request_read(actor=request.user, request_id=r.pk, log=False))


def _fresh_appointment(request: AuthenticatedRequest, a: Appointment) -> dict[str, Any]:
    found = services.appointment_read(actor=request.user, appointment_id=a.pk, log=False)
    return _appointment_out(*found)


# --- Requests -----------------------------------------------------------------------------------


@router.post("/persons/{person_id}/requests", response={201: HealthRequestReceiptOut, **ERRORS})
def post_request(request: AuthenticatedRequest, person_id: int, body: HealthRequestIn) -> Any:
    """Log a request for a person. Prison staff and health staff alike get the reference and
    the time back, never the request."""
    user = request.user
    if access.is_health_staff(user):
        made = services.request_submit(actor=user, person_id=person_id, **body.dict())
    elif can(user, Cap.HEALTH_REQUEST_LOG):
        made = services.request_submit_by_staff(actor=user, person_id=person_id, **body.dict())
    else:
        raise NotFound(_("No such page."))
    return Status(201, {"reference": made.reference, "submitted_at": made.created_at})


@router.get("/requests", response={200: list[HealthRequestRowOut], **ERRORS})
def get_requests(request: AuthenticatedRequest, status: str | None = None, limit: int = 100) -> Any:
    """The open requests of the facility's patients (oldest first), or those of one status
    (closed: newest first); at most ``limit`` (up to 500). Without their texts."""
    limit = max(1, min(limit, MAX_LIST))
    return [
        _row_out(r) for r in services.requests_list(actor=request.user, status=status, limit=limit)
    ]


@router.get("/requests/{request_id}", response={200: HealthRequestOut, **ERRORS})
def get_request(request: AuthenticatedRequest, request_id: int) -> Any:
    return _request_out(services.request_read(actor=request.user, request_id=request_id))


@router.post("/requests/{request_id}/triage", response={200: HealthRequestOut, **ERRORS})
def post_triage(request: AuthenticatedRequest, request_id: int, body: HealthTriageIn) -> Any:
    r = services.request_triage(actor=request.user, request_id=request_id, **body.dict())
    return _fresh_request(request, r)


@router.post("/requests/{request_id}/close", response={200: HealthRequestOut, **ERRORS})
def post_close(request: AuthenticatedRequest, request_id: int, body: HealthCloseIn) -> Any:
    r = services.request_close(actor=request.user, request_id=request_id, note=body.note)
    return _fresh_request(request, r)


@router.get("/persons/{person_id}/requests", response={200: HealthPersonRequestsOut, **ERRORS})
def get_person_requests(request: AuthenticatedRequest, person_id: int) -> Any:
    found = services.person_requests_read(actor=request.user, person_id=person_id)
    return {
        "person_id": found.card.person_id,
        "person_name": found.card.name,
        "requests": [_row_out(r) for r in found.requests],
        "appointments": [_appointment_out(a, found.card) for a in found.appointments],
    }


# --- Appointments -------------------------------------------------------------------------------


@router.get("/appointments", response={200: list[HealthAppointmentOut], **ERRORS})
def get_appointments(request: AuthenticatedRequest, date: dt.date | None = None) -> Any:
    """The day's appointments at the facility (today unless ``date``), cancelled ones left out,
    by clinician and time."""
    days = services.day_calendar(actor=request.user, day=date or clock.today())
    return [_appointment_out(a, card) for d in days for a, card in d.rows]


@router.post("/appointments", response={201: HealthAppointmentOut, **ERRORS})
def post_appointment(request: AuthenticatedRequest, body: HealthAppointmentIn) -> Any:
    data = body.dict()
    data["starts_at"] = clock.aware(data["starts_at"])
    a = services.appointment_book(actor=request.user, **data)
    return Status(201, _fresh_appointment(request, a))


@router.post(
    "/appointments/{appointment_id}/outcome", response={200: HealthAppointmentOut, **ERRORS}
)
def post_outcome(request: AuthenticatedRequest, appointment_id: int, body: HealthOutcomeIn) -> Any:
    a = services.appointment_outcome(
        actor=request.user, appointment_id=appointment_id, **body.dict()
    )
    return _fresh_appointment(request, a)


@router.post(
    "/appointments/{appointment_id}/cancel", response={200: HealthAppointmentOut, **ERRORS}
)
def post_cancel(request: AuthenticatedRequest, appointment_id: int, body: HealthCancelIn) -> Any:
    a = services.appointment_cancel(
        actor=request.user, appointment_id=appointment_id, reason=body.reason
    )
    return _fresh_appointment(request, a)


# --- Prison staff -------------------------------------------------------------------------------


@router.get("/escorts", response={200: list[HealthEscortOut], **ERRORS})
def get_escorts(request: AuthenticatedRequest, date: dt.date | None = None) -> Any:
    """The day's health appointment times of the persons in the caller's caseload that need an
    escort: time, person and inside or outside, never the kind of appointment."""
    rows = services.escorts(actor=request.user, day=date or clock.today())
    return [
        {
            "person_id": row.card.person_id,
            "person_name": row.card.name,
            "unit": row.card.unit,
            "cell": row.card.cell,
            "starts_at": row.slot.starts_at,
            "ends_at": row.slot.ends_at,
            "escort": row.slot.escort,
        }
        for row in rows
    ]
