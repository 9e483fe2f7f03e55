"""API: visits (under /api/v1/contact/). The same services and selectors as the visits desk's
pages; a refusal is the API's JSON error. A booking, room or person outside the actor's
facility or caseload is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Status

from normalitet.audit.services import record_access
from normalitet.core import clock
from normalitet.core.errors import DomainError
from normalitet.core.schemas import ERRORS
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.roles import Cap

from . import access, visit_admin, visits
from .domain.rules import age_on
from .models import VisitBooking, VisitRoom, VisitSessionTemplate
from .schemas_visits import (
    VisitBlockedDateIn,
    VisitBlockedDateOut,
    VisitBookIn,
    VisitBookingOut,
    VisitCancelIn,
    VisitKeepIn,
    VisitLawyerBookIn,
    VisitOutcomeIn,
    VisitRoomChangeIn,
    VisitRoomIn,
    VisitRoomOut,
    VisitSessionEndIn,
    VisitSessionEndOut,
    VisitSessionIn,
    VisitSessionOut,
    VisitSlotOut,
    VisitUnder18Out,
)

router = Router(tags=["contact"])

MAX_SLOT_DAYS = 35


def _booking_out(b: VisitBooking) -> dict[str, Any]:
    day = b.starts_at.astimezone(clock.OSLO).date()
    return {
        **{
            f: getattr(b, f)
            for f in (
                "id",
                "reference",
                "person_id",
                "room_id",
                "facility_id",
                "starts_at",
                "ends_at",
                "kind",
                "status",
                "supervised",
                "police_control",
                "via_portal",
                "hold_expires_at",
                "note",
                "flag_reason",
                "cancel_reason",
            )
        },
        "person_name": b.person.full_name,
        "room_name": b.room.name,
        "visitors": [
            {
                "visitor_id": bv.visitor_id,
                "contact_id": bv.contact_id,
                "name": bv.visitor.full_name,
                "relationship": bv.contact.relationship,
                "age": age_on(bv.visitor.birth_date, day),
            }
            for bv in b.visitors.all()
        ],
    }


def _fresh(booking: VisitBooking) -> dict[str, Any]:
    return _booking_out(visit_admin.with_visitors(VisitBooking.objects.filter(pk=booking.pk))[0])


def _room_out(room: VisitRoom, sessions: list[VisitSessionTemplate] | None = None) -> dict:
    return {
        **{f: getattr(room, f) for f in ("id", "name", "kind", "capacity", "seats", "active")},
        "sessions": sessions if sessions is not None else [],
    }


# --- Free places and bookings -------------------------------------------------------------------


@router.get("/visits/slots", response={200: list[VisitSlotOut], **ERRORS})
def get_slots(
    request: AuthenticatedRequest,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    online_only: bool = False,
) -> Any:
    """The free visiting places of the actor's facility, by default for the next 28 days (at
    most 35 days at once)."""
    facility = access.contact_facility(actor=request.user)
    start = date_from or clock.today()
    end = date_to or start + dt.timedelta(days=27)
    if end < start:
        raise DomainError(_("The end is before the start."), field="date_to")
    if (end - start).days + 1 > MAX_SLOT_DAYS:
        raise DomainError(
            _("Ask for at most %(n)s days at once.") % {"n": MAX_SLOT_DAYS}, field="date_to"
        )
    found = visits.free_slots(
        facility_id=facility.pk, start=start, end=end, online_only=online_only
    )
    return [
        {
            "slot": s.key,
            "free": s.free,
            **{
                f: getattr(s, f)
                for f in (
                    "template_id",
                    "room_id",
                    "room_name",
                    "room_kind",
                    "day",
                    "starts_at",
                    "ends_at",
                    "capacity",
                    "taken",
                    "bookable_online",
                )
            },
        }
        for s in found
    ]


@router.get("/persons/{person_id}/visits", response={200: list[VisitBookingOut], **ERRORS})
def get_person_visits(request: AuthenticatedRequest, person_id: int) -> Any:
    episode = access.ensure_episode(actor=request.user, person_id=person_id)
    record_access(actor=request.user, person_id=episode.person_id, what="contact.visits")
    upcoming, past = visit_admin.person_bookings(episode=episode)
    return [_booking_out(b) for b in (*upcoming, *past)]


@router.post("/persons/{person_id}/visits", response={201: VisitBookingOut, **ERRORS})
def post_person_visit(request: AuthenticatedRequest, person_id: int, body: VisitBookIn) -> Any:
    episode = access.ensure_episode(actor=request.user, person_id=person_id)
    booking = visit_admin.staff_book(
        actor=request.user,
        episode=episode,
        slot_key=body.slot,
        contact_ids=body.contacts,
        note=body.note,
    )
    return Status(201, _fresh(booking))


@router.post("/persons/{person_id}/visits/lawyer", response={201: VisitBookingOut, **ERRORS})
def post_lawyer_visit(
    request: AuthenticatedRequest, person_id: int, body: VisitLawyerBookIn
) -> Any:
    episode = access.ensure_episode(actor=request.user, person_id=person_id)
    booking = visit_admin.staff_book_lawyer(actor=request.user, episode=episode, **body.dict())
    return Status(201, _fresh(booking))


@router.get("/visits/day", response={200: list[VisitBookingOut], **ERRORS})
def get_day(request: AuthenticatedRequest, date: dt.date | None = None) -> Any:
    rows = visit_admin.day_sheet(actor=request.user, day=date or clock.today())
    return [_booking_out(b) for b in rows]


@router.post("/visits/{booking_id}/cancel", response={200: VisitBookingOut, **ERRORS})
def post_cancel(request: AuthenticatedRequest, booking_id: int, body: VisitCancelIn) -> Any:
    b = visit_admin.ensure_booking(actor=request.user, booking_id=booking_id)
    return _fresh(visits.booking_cancel(actor=request.user, booking=b, reason=body.reason))


@router.post("/visits/{booking_id}/outcome", response={200: VisitBookingOut, **ERRORS})
def post_outcome(request: AuthenticatedRequest, booking_id: int, body: VisitOutcomeIn) -> Any:
    b = visit_admin.ensure_booking(actor=request.user, booking_id=booking_id)
    return _fresh(
        visits.booking_record_outcome(actor=request.user, booking=b, took_place=body.took_place)
    )


@router.post("/visits/{booking_id}/keep", response={200: VisitBookingOut, **ERRORS})
def post_keep(request: AuthenticatedRequest, booking_id: int, body: VisitKeepIn) -> Any:
    b = visit_admin.ensure_booking(actor=request.user, booking_id=booking_id, cap=Cap.VISIT_MANAGE)
    return _fresh(visits.booking_clear_flag(actor=request.user, booking=b, note=body.note))


# --- Rooms, sessions and days without visits ----------------------------------------------------


@router.get("/visits/rooms", response={200: list[VisitRoomOut], **ERRORS})
def get_rooms(request: AuthenticatedRequest) -> Any:
    rows, _blocked = visit_admin.rooms_overview(actor=request.user)
    return [_room_out(r.room, r.sessions) for r in rows]


@router.post("/visits/rooms", response={201: VisitRoomOut, **ERRORS})
def post_room(request: AuthenticatedRequest, body: VisitRoomIn) -> Any:
    room = visit_admin.room_create(actor=request.user, **body.dict())
    return Status(201, _room_out(room))


@router.post("/visits/rooms/{room_id}", response={200: VisitRoomOut, **ERRORS})
def post_room_update(request: AuthenticatedRequest, room_id: int, body: VisitRoomChangeIn) -> Any:
    room = access.ensure_room(actor=request.user, room_id=room_id)
    room = visit_admin.room_update(actor=request.user, room=room, **body.dict(exclude_unset=True))
    return _room_out(room, list(room.templates.order_by("weekday", "starts_at")))


@router.post("/visits/rooms/{room_id}/sessions", response={201: VisitSessionOut, **ERRORS})
def post_session(request: AuthenticatedRequest, room_id: int, body: VisitSessionIn) -> Any:
    room = access.ensure_room(actor=request.user, room_id=room_id)
    return Status(201, visit_admin.template_create(actor=request.user, room=room, **body.dict()))


@router.post("/visits/sessions/{template_id}/end", response={200: VisitSessionEndOut, **ERRORS})
def post_session_end(
    request: AuthenticatedRequest, template_id: int, body: VisitSessionEndIn
) -> Any:
    template = visit_admin.ensure_template(actor=request.user, template_id=template_id)
    saved, cancelled = visit_admin.template_end(
        actor=request.user, template=template, **body.dict()
    )
    return {"session": saved, "cancelled": cancelled}


@router.post("/visits/blocked-dates", response={201: VisitBlockedDateOut, **ERRORS})
def post_blocked(request: AuthenticatedRequest, body: VisitBlockedDateIn) -> Any:
    room = None
    if body.room_id is not None:
        room = access.ensure_room(actor=request.user, room_id=body.room_id)
    blocked, cancelled = visit_admin.blocked_date_add(
        actor=request.user, day=body.day, reason=body.reason, room=room
    )
    return Status(
        201,
        {
            "id": blocked.pk,
            "day": blocked.day,
            "room_id": blocked.room_id,
            "reason": blocked.reason,
            "cancelled": cancelled,
        },
    )


@router.delete("/visits/blocked-dates/{blocked_id}", response={204: None, **ERRORS})
def delete_blocked(request: AuthenticatedRequest, blocked_id: int) -> Any:
    blocked = visit_admin.ensure_blocked(actor=request.user, blocked_id=blocked_id)
    visit_admin.blocked_date_remove(actor=request.user, blocked=blocked)
    return Status(204, None)


@router.get("/visits/under-18", response={200: list[VisitUnder18Out], **ERRORS})
def get_under_18(request: AuthenticatedRequest) -> Any:
    return [
        {
            "person_id": r.episode.person_id,
            "person_name": r.episode.person.full_name,
            "age": r.age,
            "last_visit": r.last_visit,
            "next_visit": r.next_visit,
            "due": r.due,
        }
        for r in visit_admin.under_18(actor=request.user)
    ]
