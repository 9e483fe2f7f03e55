"""API schemas of the family portal (names start with ``Portal``: they are unique in the API)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class PortalChildOut(Schema):
    id: int
    given_names: str
    family_name: str
    birth_date: dt.date


class PortalMeOut(Schema):
    id: int
    given_names: str
    family_name: str
    birth_date: dt.date
    email: str
    phone: str
    preferred_language: str
    children: list[PortalChildOut] = Field(
        default_factory=list, description="Children the visitor added (they have no login)"
    )


class PortalContactOut(Schema):
    id: int
    person_id: int
    person_name: str
    facility: str | None = Field(None, description="Where the person is now (not when refused)")
    visitor_id: int
    visitor_name: str
    relationship: str
    status: str = Field(..., description="requested, approved or refused")
    decision_reason: str
    bookable: bool


class PortalChildIn(Schema):
    given_names: str = Field(..., max_length=120)
    family_name: str = Field(..., max_length=120)
    birth_date: dt.date
    relationship: str


class PortalContactIn(Schema):
    person_number: str = Field(..., max_length=16)
    person_birth_date: dt.date
    relationship: str
    note: str = Field("", max_length=500)
    children: list[PortalChildIn] = Field(default_factory=list, max_length=6)


class PortalContactRequestOut(Schema):
    contacts: list[PortalContactOut]
    message: str


class PortalSlotOut(Schema):
    key: str = Field(..., description="<template id>:<YYYY-MM-DD>, to hold it")
    day: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime
    room_name: str
    room_kind: str
    free: int


class PortalHoldIn(Schema):
    slot: str = Field(..., max_length=40)
    companions: list[int] = Field(
        default_factory=list, description="Contact ids of the children who come along"
    )


class PortalBookingOut(Schema):
    id: int
    reference: str
    status: str
    hold_lapsed: bool
    hold_expires_at: dt.datetime | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    facility: str
    room: str
    kind: str
    supervised: bool
    visitors: list[str]
    cancel_reason: str
    flag_reason: str


class PortalCancelIn(Schema):
    reason: str = Field(..., max_length=500)


class PortalNoticeOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    booking_id: int | None
    created_at: dt.datetime
    read_at: dt.datetime | None
