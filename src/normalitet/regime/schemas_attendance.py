"""API schemas of the attendance register and the daily allowance. Money is integer øre."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from .attendance import MAX_NOTE


class RegisterSummaryOut(Schema):
    session_id: int
    activity_id: int
    activity: str
    place: str
    on: dt.date
    starts: dt.time
    ends: dt.time
    cancelled: bool
    cancel_reason: str
    participants: int
    marked: int


class RegisterParticipantOut(Schema):
    person_id: int
    name: str
    person_number: str
    suspended: bool
    outcome: str | None
    note: str
    away: str


class RegisterOut(Schema):
    session_id: int
    activity_id: int
    activity: str
    on: dt.date
    starts: dt.time
    ends: dt.time
    cancelled: bool
    cancel_reason: str
    can_mark: bool
    participants: list[RegisterParticipantOut]
    # Participants with an appointment at the health service during the session (never its
    # kind): marked absent, sick or late they are recorded as at a health appointment.
    at_health_service: list[int]


class MarkIn(Schema):
    person_id: int
    outcome: str
    note: str = Field("", max_length=MAX_NOTE)


class MarksIn(Schema):
    """One or many marks, all or nothing. ``rest``: instead of marks, mark everyone not yet
    marked "attended" (or, for a cancelled session, "cancelled")."""

    marks: list[MarkIn] = Field(default_factory=list, max_length=500)
    rest: bool = False


class ReasonOut(Schema):
    code: str
    args: dict[str, Any]
    text: str


class AllowanceDayOut(Schema):
    on: dt.date
    facility_id: int
    rate_kind: str
    allowance_ore: int
    supplement_ore: int
    food_ore: int
    total_ore: int
    rule_set: str
    posted: bool
    reasons: list[ReasonOut]


class RatesOut(Schema):
    name: str
    valid_from: dt.date
    ordinary_ore: int
    supplement_max_ore: int
    reduced_ore: int
    food_ore: int
    source: str
    verified: bool


class AmountsOut(Schema):
    allowance_ore: int
    supplement_ore: int
    food_ore: int
    total_ore: int


class StatementOut(Schema):
    person_id: int
    month: str
    days: list[AllowanceDayOut]
    totals: AmountsOut
    rates: list[RatesOut]
    rates_unverified: bool


class ComputeIn(Schema):
    from_: dt.date = Field(..., alias="from")
    to: dt.date


class ComputeOut(Schema):
    from_: dt.date = Field(..., alias="from")
    to: dt.date
    facilities: int
    person_days: int
    created: int
    updated: int
    unchanged: int
    posted: int
    total_ore: int
