"""API schemas of approved contacts, visitors and police checks."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema


class ContactVisitorIn(Schema):
    given_names: str = Field(..., max_length=120)
    family_name: str = Field(..., max_length=120)
    birth_date: dt.date
    national_id: str = Field("", max_length=11)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=255)
    organisation: str = Field("", max_length=200)


class ContactVisitorOut(Schema):
    id: int
    given_names: str
    family_name: str
    birth_date: dt.date
    phone: str
    email: str
    address: str
    organisation: str
    registered: bool


class ContactCreateIn(Schema):
    """An existing visitor (``visitor_id``) or a new one (``visitor``), and the relationship."""

    visitor_id: int | None = None
    visitor: ContactVisitorIn | None = None
    relationship: str
    on_visitor_list: bool = False
    note: str = Field("", max_length=500)


class PoliceCheckOut(Schema):
    id: int
    visitor_id: int
    facility_id: int
    status: str
    requested_on: dt.date
    decided_on: dt.date | None
    expires_on: dt.date | None
    note: str


class ContactOut(Schema):
    id: int
    person_id: int
    visitor: ContactVisitorOut
    relationship: str
    status: str
    on_visitor_list: bool
    supervision_waived: bool
    closest_family: bool
    privileged: bool
    requested_via_portal: bool
    note: str
    decision_reason: str
    decided_at: dt.datetime | None
    police_check: PoliceCheckOut | None
    police_check_valid_until: dt.date | None


class ContactDecisionIn(Schema):
    decision: Literal["approve", "refuse"]
    reason: str = Field("", max_length=500)


class ContactEndIn(Schema):
    reason: str = Field(..., max_length=500)


class VisitorListIn(Schema):
    on: bool


class SupervisionIn(Schema):
    waived: bool
    reason: str = Field(..., max_length=500)


class PoliceCheckRequestIn(Schema):
    note: str = Field("", max_length=500)


class PoliceCheckAnswerIn(Schema):
    cleared: bool
    answered_on: dt.date
    note: str = Field("", max_length=500)


class ContactRequestOut(Schema):
    id: int
    person_id: int
    person_name: str
    visitor: ContactVisitorOut
    relationship: str
    note: str
    created_at: dt.datetime
