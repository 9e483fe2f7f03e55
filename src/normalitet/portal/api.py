"""API of the family portal (under /api/v1/contact/portal/). The same services and selectors as
the portal's pages; a refusal is the API's JSON error. Only a visitor with a visitor record gets
anything: for everyone else every route is a 404, and so is any record not the visitor's own.
Registration is a page, not a route."""

from __future__ import annotations

from typing import Any

from ninja import Router, Status

from normalitet.contact.access import visitor_of
from normalitet.contact.models import Contact, ContactStatus, Notice, VisitBooking, Visitor
from normalitet.core.schemas import ERRORS
from normalitet.identity.models import AuthenticatedRequest

from . import services
from .schemas import (
    PortalBookingOut,
    PortalCancelIn,
    PortalContactIn,
    PortalContactOut,
    PortalContactRequestOut,
    PortalHoldIn,
    PortalMeOut,
    PortalNoticeOut,
    PortalSlotOut,
)

router = Router(tags=["family portal"])


def _visitor(request: AuthenticatedRequest) -> Visitor:
    return visitor_of(request.user)


def _contact_out(c: Contact, where: dict[int, str], visitor: Visitor) -> dict[str, Any]:
    facility = where.get(c.person_id) if c.status != ContactStatus.REFUSED else None
    return {
        "id": c.pk,
        "person_id": c.person_id,
        "person_name": c.person.full_name,
        "facility": facility,
        "visitor_id": c.visitor_id,
        "visitor_name": c.visitor.full_name,
        "relationship": c.relationship,
        "status": c.status,
        "decision_reason": c.decision_reason,
        "bookable": c.status == ContactStatus.APPROVED
        and facility is not None
        and c.visitor_id == visitor.pk,
    }


def _booking_out(b: VisitBooking) -> dict[str, Any]:
    return {
        "id": b.pk,
        "reference": b.reference,
        "status": b.status,
        "hold_lapsed": services.hold_lapsed(b),
        "hold_expires_at": b.hold_expires_at,
        "starts_at": b.starts_at,
        "ends_at": b.ends_at,
        "facility": b.facility.name,
        "room": b.room.name,
        "kind": b.kind,
        "supervised": b.supervised,
        "visitors": services.booking_people(b),
        "cancel_reason": b.cancel_reason,
        "flag_reason": b.flag_reason,
    }


def _notice_out(n: Notice) -> dict[str, Any]:
    fields = ("id", "kind", "subject", "body", "booking_id", "created_at", "read_at")
    return {f: getattr(n, f) for f in fields}


@router.get("/me", response={200: PortalMeOut, **ERRORS})
def get_me(request: AuthenticatedRequest) -> Any:
    v = _visitor(request)
    return {
        "id": v.pk,
        "given_names": v.given_names,
        "family_name": v.family_name,
        "birth_date": v.birth_date,
        "email": v.email,
        "phone": v.phone,
        "preferred_language": request.user.preferred_language,
        "children": list(Visitor.objects.filter(registered_by=v).order_by("birth_date")),
    }


@router.get("/contacts", response={200: list[PortalContactOut], **ERRORS})
def get_contacts(request: AuthenticatedRequest) -> Any:
    """The visitor's relationships and those of the children they added."""
    v = _visitor(request)
    rows = list(services.own_contacts(v))
    where = services.facilities_of([c.person_id for c in rows])
    return [_contact_out(c, where, v) for c in rows]


@router.post("/contacts", response={201: PortalContactRequestOut, **ERRORS})
def post_contacts(request: AuthenticatedRequest, body: PortalContactIn) -> Any:
    """Ask to be a contact of a person (named by person number and date of birth), for
    yourself and the children under 18 who come along. All the requests, or none."""
    v = _visitor(request)
    data = body.dict()
    children = [services.ChildIn(**c) for c in data.pop("children")]
    made = services.contact_request(actor=request.user, **data, children=children)
    where = services.facilities_of([c.person_id for c in made])
    rows = Contact.objects.filter(pk__in=[c.pk for c in made]).select_related("person", "visitor")
    return Status(
        201,
        {
            "contacts": [_contact_out(c, where, v) for c in rows],
            "message": services.police_check_note(),
        },
    )


@router.get("/contacts/{contact_id}/slots", response={200: list[PortalSlotOut], **ERRORS})
def get_slots(request: AuthenticatedRequest, contact_id: int) -> Any:
    """The free visiting times bookable online for an approved contact, soonest first."""
    contact = services.ensure_contact(visitor=_visitor(request), contact_id=contact_id)
    episode = services.bookable_episode(contact=contact)
    return [
        {
            "key": s.key,
            "day": s.day,
            "starts_at": s.starts_at,
            "ends_at": s.ends_at,
            "room_name": s.room_name,
            "room_kind": s.room_kind,
            "free": s.free,
        }
        for day in services.portal_slots(episode=episode)
        for s in day.slots
    ]


@router.post("/contacts/{contact_id}/bookings", response={201: PortalBookingOut, **ERRORS})
def post_hold(request: AuthenticatedRequest, contact_id: int, body: PortalHoldIn) -> Any:
    """Step 1: hold a time (it lapses unless confirmed in time)."""
    visitor = _visitor(request)
    contact = services.ensure_contact(visitor=visitor, contact_id=contact_id)
    booking = services.booking_hold(
        actor=request.user,
        visitor=visitor,
        contact=contact,
        slot_key=body.slot,
        companion_ids=body.companions,
    )
    return Status(201, _booking_out(booking))


@router.post("/bookings/{booking_id}/confirm", response={200: PortalBookingOut, **ERRORS})
def post_confirm(request: AuthenticatedRequest, booking_id: int) -> Any:
    """Step 2: confirm the hold. A notice and an email follow."""
    booking = services.ensure_booking(visitor=_visitor(request), booking_id=booking_id)
    return _booking_out(services.booking_confirm(actor=request.user, booking=booking))


@router.post("/bookings/{booking_id}/cancel", response={200: PortalBookingOut, **ERRORS})
def post_cancel(request: AuthenticatedRequest, booking_id: int, body: PortalCancelIn) -> Any:
    """Cancel a visit still to come (a hold too), with the reason."""
    booking = services.ensure_booking(visitor=_visitor(request), booking_id=booking_id)
    return _booking_out(
        services.booking_cancel(actor=request.user, booking=booking, reason=body.reason)
    )


@router.get("/bookings", response={200: list[PortalBookingOut], **ERRORS})
def get_bookings(request: AuthenticatedRequest) -> Any:
    """The visits still to come (soonest first), then the others (latest first)."""
    coming, earlier = services.bookings_split(_visitor(request))
    return [_booking_out(b) for b in coming + earlier]


@router.get("/notices", response={200: list[PortalNoticeOut], **ERRORS})
def get_notices(request: AuthenticatedRequest) -> Any:
    """Unread first, newest first."""
    return [_notice_out(n) for n in services.own_notices(_visitor(request))]


@router.post("/notices/{notice_id}/read", response={200: PortalNoticeOut, **ERRORS})
def post_notice_read(request: AuthenticatedRequest, notice_id: int) -> Any:
    notice = services.ensure_notice(visitor=_visitor(request), notice_id=notice_id)
    return _notice_out(services.notice_read(actor=request.user, notice=notice))
