"""API schemas of observation: what unit staff see (the level and the clock, never the reason),
and the observation record health staff keep (levels, checks, missed checks, crises)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class HealthWatchOut(Schema):
    """A person under observation as unit staff see them."""

    person_id: int
    name: str
    unit: str
    cell: str
    level: str
    level_label: str
    interval_minutes: int
    started_at: dt.datetime
    last_check_at: dt.datetime | None
    last_check_by: str
    next_due: dt.datetime
    overdue: bool
    minutes_overdue: int


class HealthCheckIn(Schema):
    state: str = Field(..., description="settled | asleep | distressed | not_seen")
    note: str = Field("", max_length=300)


class HealthObservationCheckOut(Schema):
    id: int
    observation_id: int
    person_id: int
    checked_at: dt.datetime
    state: str
    state_label: str
    note: str
    by: str
    late_by_minutes: int


class HealthCheckRecordedOut(Schema):
    """A check just recorded, and when the next one is due."""

    check: HealthObservationCheckOut
    next_due: dt.datetime
    overdue: bool


class HealthObservationLevelOut(Schema):
    id: int
    person_id: int
    level: str
    level_label: str
    interval_minutes: int
    reason: str
    review_at: dt.datetime | None
    started_at: dt.datetime
    set_by: str
    ended_at: dt.datetime | None
    ended_by: str
    end_note: str


class HealthObservationRowOut(Schema):
    """An observation in force in the facility, for health staff."""

    person_id: int
    name: str
    unit: str
    cell: str
    observation: HealthObservationLevelOut
    last_check_at: dt.datetime | None
    last_check_by: str
    next_due: dt.datetime
    overdue: bool
    minutes_overdue: int
    missed_24h: int
    missed_open: int


class HealthMissedCheckOut(Schema):
    id: int
    observation_id: int
    due_at: dt.datetime
    detected_at: dt.datetime
    closed_by_check_id: int | None
    closed_at: dt.datetime | None


class HealthPersonObservationOut(Schema):
    person_id: int
    current: HealthObservationLevelOut | None
    next_due: dt.datetime | None
    overdue: bool
    minutes_overdue: int
    levels: list[HealthObservationLevelOut]
    checks: list[HealthObservationCheckOut]
    missed: list[HealthMissedCheckOut]


class HealthObservationSetIn(Schema):
    level: str = Field(..., description="constant | close | frequent | hourly")
    reason: str = Field(..., max_length=2000)
    review_at: dt.datetime | None = None


class HealthObservationEndIn(Schema):
    note: str = Field(..., max_length=2000)


class HealthCrisisIn(Schema):
    occurred_at: dt.datetime
    kind: str = Field(..., description="self_harm | attempt | threat | other")
    steps: list[str] = Field(..., description="CrisisEvent steps, in the order taken")
    note: str = Field("", max_length=2000)


class HealthCrisisStepsIn(Schema):
    steps: list[str]
    note: str = Field("", max_length=2000)


class HealthCrisisStepOut(Schema):
    step: str
    label: str


class HealthCrisisOut(Schema):
    id: int
    person_id: int
    occurred_at: dt.datetime
    kind: str
    kind_label: str
    steps: list[HealthCrisisStepOut]
    note: str
    recorded_at: dt.datetime
    recorded_by: str
