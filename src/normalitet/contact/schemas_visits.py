"""API schemas of the visits desk (prefixed ``Visit``: schema names are unique in the API)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class VisitSlotOut(Schema):
    slot: str = Field(..., description="<template id>:<YYYY-MM-DD>, as booking takes it")
    template_id: int
    room_id: int
    room_name: str
    room_kind: str
    day: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    taken: int
    free: int
    bookable_online: bool


class VisitBookingVisitorOut(Schema):
    visitor_id: int
    contact_id: int
    name: str
    relationship: str
    age: int


class VisitBookingOut(Schema):
    id: int
    reference: str
    person_id: int
    person_name: str
    room_id: int
    room_name: str
    facility_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    kind: str
    status: str
    supervised: bool
    police_control: bool
    via_portal: bool
    hold_expires_at: dt.datetime | None
    note: str
    flag_reason: str
    cancel_reason: str
    visitors: list[VisitBookingVisitorOut]


class VisitBookIn(Schema):
    slot: str = Field(..., description="<template id>:<YYYY-MM-DD> from GET visits/slots")
    contacts: list[int] = Field(..., description="ids of the person's approved contacts")
    note: str = Field("", max_length=500)


class VisitLawyerBookIn(Schema):
    contact_id: int
    room_id: int
    day: dt.date
    starts: dt.time
    ends: dt.time
    note: str = Field("", max_length=500)


class VisitCancelIn(Schema):
    reason: str = Field(..., max_length=500)


class VisitOutcomeIn(Schema):
    took_place: bool


class VisitKeepIn(Schema):
    note: str = Field(..., max_length=500)


class VisitSessionIn(Schema):
    weekday: int = Field(..., ge=0, le=6, description="Monday is 0")
    starts_at: dt.time
    ends_at: dt.time
    capacity: int
    valid_from: dt.date
    valid_to: dt.date | None = None
    bookable_online: bool = True


class VisitSessionOut(Schema):
    id: int
    room_id: int
    weekday: int
    starts_at: dt.time
    ends_at: dt.time
    capacity: int
    valid_from: dt.date
    valid_to: dt.date | None
    bookable_online: bool


class VisitSessionEndIn(Schema):
    valid_to: dt.date
    cancel_bookings: bool = False
    reason: str = Field("", max_length=500)


class VisitSessionEndOut(Schema):
    session: VisitSessionOut
    cancelled: int


class VisitRoomIn(Schema):
    name: str = Field(..., max_length=100)
    kind: str
    capacity: int = 1
    seats: int = 4


class VisitRoomChangeIn(Schema):
    name: str | None = Field(None, max_length=100)
    kind: str | None = None
    capacity: int | None = None
    seats: int | None = None


class VisitRoomOut(Schema):
    id: int
    name: str
    kind: str
    capacity: int
    seats: int
    active: bool
    sessions: list[VisitSessionOut]


class VisitBlockedDateIn(Schema):
    day: dt.date
    reason: str = Field(..., max_length=300)
    room_id: int | None = None


class VisitBlockedDateOut(Schema):
    id: int
    day: dt.date
    room_id: int | None
    reason: str
    cancelled: int = 0


class VisitUnder18Out(Schema):
    person_id: int
    person_name: str
    age: int
    last_visit: dt.date | None
    next_visit: dt.date | None
    due: bool
