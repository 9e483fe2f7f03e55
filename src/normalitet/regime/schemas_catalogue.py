"""API schemas of the activity catalogue and the waiting list. Money is integer øre."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema


class ActivityChangeIn(Schema):
    """The fields of an activity that may be changed; all optional when updating."""

    name: str | None = Field(None, max_length=120)
    kind: str | None = None
    category: str | None = None
    provider: str | None = None
    place: str | None = Field(None, max_length=120)
    capacity: int | None = None
    leader_id: int | None = None
    security_levels: list[str] | None = None
    legal_statuses: list[str] | None = None
    meets_activity_duty: bool | None = None
    supplement_ore: int | None = None
    runs_on_holidays: bool | None = None
    community: str | None = Field(None, max_length=80)
    description: str | None = Field(None, max_length=2000)


class ActivityIn(ActivityChangeIn):
    name: str = Field(..., max_length=120)
    kind: str
    category: str
    place: str = Field(..., max_length=120)
    capacity: int


class WeeklySessionIn(Schema):
    weekday: int = Field(..., ge=0, le=6, description="Monday is 0")
    starts: dt.time
    ends: dt.time
    valid_from: dt.date
    valid_to: dt.date | None = None


class WeeklySessionOut(Schema):
    id: int
    weekday: int
    starts: dt.time
    ends: dt.time
    valid_from: dt.date
    valid_to: dt.date | None


class WeeklySessionEndIn(Schema):
    valid_to: dt.date


class SessionCancellationIn(Schema):
    on: dt.date
    reason: str = Field(..., max_length=255)


class SessionCancellationOut(Schema):
    session_id: int
    on: dt.date
    reason: str


class ActivityOut(Schema):
    id: int
    facility_id: int
    name: str
    kind: str
    category: str
    provider: str
    place: str
    capacity: int
    leader_id: int | None
    security_levels: list[str]
    legal_statuses: list[str]
    meets_activity_duty: bool
    supplement_ore: int
    runs_on_holidays: bool
    community: str
    description: str
    is_active: bool
    held: int
    free: int
    waiting: int


class ActivityDetailOut(ActivityOut):
    sessions: list[WeeklySessionOut]
    cancellations: list[SessionCancellationOut]


class AllocationRequestIn(Schema):
    person_id: int
    activity_id: int
    note: str = Field("", max_length=500)


class AllocationDecisionIn(Schema):
    decision: Literal["approve", "decline"]
    note: str = Field("", max_length=500)


class AllocationStartIn(Schema):
    starts_on: dt.date | None = None


class AllocationSuspendIn(Schema):
    reason: str
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    note: str = Field("", max_length=500)


class AllocationResumeIn(Schema):
    on: dt.date | None = None


class AllocationEndIn(Schema):
    reason: str
    ended_on: dt.date | None = None
    note: str = Field("", max_length=500)


class AllocationWithdrawIn(Schema):
    note: str = Field("", max_length=500)


class AllocationSuspensionOut(Schema):
    starts_on: dt.date
    ends_on: dt.date | None
    reason: str
    note: str


class ActivityAllocationOut(Schema):
    id: int
    activity_id: int
    activity_name: str
    person_id: int
    status: str
    requested_on: dt.date
    request_note: str
    decided_on: dt.date | None
    decision_note: str
    starts_on: dt.date | None
    ended_on: dt.date | None
    end_reason: str
    end_note: str
    suspensions: list[AllocationSuspensionOut]
