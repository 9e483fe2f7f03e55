"""API schemas of health requests and appointments (prefixed ``Health``: schema names are unique
in the API)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class HealthRequestIn(Schema):
    service: str = Field(..., description="nurse | doctor | psychologist | dentist | addiction")
    text: str = Field(..., description="What the person asks for, at most 2000 characters")


class HealthRequestReceiptOut(Schema):
    """All that prison staff get back for a request they logged (health staff get the same)."""

    reference: str
    submitted_at: dt.datetime


class HealthRequestRowOut(Schema):
    """A request in a list: without its text (open one request to read it)."""

    id: int
    reference: str
    person_id: int
    person_name: str
    service: str
    channel: str
    status: str
    priority: str
    created_at: dt.datetime
    triaged_at: dt.datetime | None
    closed_at: dt.datetime | None
    see_by: dt.date | None
    overdue: bool


class HealthAppointmentOut(Schema):
    id: int
    person_id: int
    person_name: str
    facility_id: int
    request_id: int | None
    service: str
    clinician_id: int | None
    clinician_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    escort: str
    status: str
    note: str
    status_note: str
    created_at: dt.datetime
    created_by_name: str


class HealthRequestOut(HealthRequestRowOut):
    facility_id: int
    text: str
    created_by_name: str
    triage_note: str
    triaged_by_name: str
    close_note: str
    appointments: list[HealthAppointmentOut]


class HealthTriageIn(Schema):
    priority: str = Field(..., description="acute | urgent | routine")
    note: str = ""


class HealthCloseIn(Schema):
    note: str = Field("", description="Required unless the person was seen at an appointment")


class HealthAppointmentIn(Schema):
    person_id: int
    service: str
    starts_at: dt.datetime = Field(..., description="With its offset; without one, Oslo time")
    minutes: int = Field(..., description="5 to 240")
    place: str = ""
    escort: str = Field(..., description="none | inside | outside")
    note: str = ""
    request_id: int | None = Field(None, description="A triaged request this books")
    clinician_id: int | None = Field(None, description="Health staff of the facility; you")


class HealthOutcomeIn(Schema):
    status: str = Field(..., description="attended | did_not_attend")
    note: str = ""


class HealthCancelIn(Schema):
    reason: str


class HealthPersonRequestsOut(Schema):
    person_id: int
    person_name: str
    requests: list[HealthRequestRowOut]
    appointments: list[HealthAppointmentOut]


class HealthEscortOut(Schema):
    """A health appointment as the prison sees it: the time and the escort, never its kind."""

    person_id: int
    person_name: str
    unit: str
    cell: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    escort: str
