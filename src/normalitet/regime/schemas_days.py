"""Schemas of the units' regime API: day plans, closures, settings, restrictions on company,
time out of cell, the activity duty, schedules and the overview. Times are local wall-clock
times; minutes are minutes of the day."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class BlockIn(Schema):
    kind: str
    starts: dt.time
    ends: dt.time
    in_company: bool = True


class BlockOut(Schema):
    kind: str
    starts: str
    ends: str
    in_company: bool


class DayPlanIn(Schema):
    """A new plan with its periods, or a copy of another plan's (``copy_from``)."""

    day_type: str | None = None
    valid_from: dt.date
    blocks: list[BlockIn] = []
    note: str = Field("", max_length=255)
    copy_from: int | None = None


class DayPlanOut(Schema):
    id: int
    unit_id: int
    day_type: str
    valid_from: dt.date
    note: str
    blocks: list[BlockOut]


class UnitSettingsIn(Schema):
    self_catering: bool
    minimum_minutes: int | None = None


class UnitSettingsOut(Schema):
    unit_id: int
    self_catering: bool
    minimum_minutes: int | None


class ClosureIn(Schema):
    unit_id: int | None = None
    starts_on: dt.date
    ends_on: dt.date
    reason: str = Field(..., max_length=255)


class ClosureOut(Schema):
    id: int
    facility_id: int
    unit_id: int | None
    starts_on: dt.date
    ends_on: dt.date
    reason: str


class EndIn(Schema):
    ends_on: dt.date | None = None


class RestrictionIn(Schema):
    kind: str
    starts_on: dt.date
    ends_on: dt.date | None = None
    note: str = Field("", max_length=500)


class RestrictionOut(Schema):
    id: int
    person_id: int
    kind: str
    starts_on: dt.date
    ends_on: dt.date | None
    note: str


# --- Figures ------------------------------------------------------------------------------------


class PersonTimeOut(Schema):
    person_id: int
    name: str
    unit_id: int
    out_of_cell_minutes: int
    in_company_minutes: int
    minimum_minutes: int
    locked_in_long: bool
    below_minimum: bool
    restricted: bool
    closed: bool


class UnitTimesOut(Schema):
    unit_id: int
    code: str
    name: str
    present: int
    away: int
    locked_in_long: int
    below_minimum: int
    minimum_minutes: int
    average_out_of_cell_minutes: int | None
    average_in_company_minutes: int | None
    has_plan: bool
    closed: str


class TimesOut(Schema):
    facility_id: int
    date: dt.date
    locked_in_hours: int
    source: str
    present: int
    away: int
    locked_in_long: int
    below_minimum: int
    average_out_of_cell_minutes: int | None
    average_in_company_minutes: int | None
    units: list[UnitTimesOut]
    # Names only for the facility's own staff; null for regional and national roles.
    persons_below_minimum: list[PersonTimeOut] | None


class DutyRowOut(Schema):
    person_id: int
    name: str
    unit_id: int
    legal_status: str
    activities: list[str]
    reason: str
    detail: str
    since: dt.date | None


class DutyOut(Schema):
    facility_id: int
    date: dt.date
    reception_days: int
    source: str
    convicted: int
    counted: int
    in_activity: int
    share_percent: int | None
    remand: int
    remand_in_activity: int
    reasons: dict[str, int]
    without: list[DutyRowOut] | None
    remand_persons: list[DutyRowOut] | None


class OverviewOut(Schema):
    facility_id: int
    name: str
    present: int
    away: int
    locked_in_long: int
    below_minimum: int
    average_out_of_cell_minutes: int | None
    convicted: int
    in_activity: int
    share_percent: int | None
    remand: int
    remand_in_activity: int


# --- Schedules ----------------------------------------------------------------------------------


class OccurrenceOut(Schema):
    session_id: int
    activity_id: int
    activity: str
    place: str
    starts: dt.time
    ends: dt.time
    cancelled: bool
    cancel_reason: str


class TakingOut(OccurrenceOut):
    suspended: bool
    outcome: str


class DayInfoOut(Schema):
    date: dt.date
    day_type: str
    holiday: str | None
    closure: str
    has_plan: bool
    blocks: list[BlockOut]


class RowOut(Schema):
    person_id: int
    name: str
    unit_id: int
    cell: str
    away: bool
    restriction: str
    sessions: list[TakingOut]
    out_of_cell_minutes: int | None
    in_company_minutes: int | None
    below_minimum: bool | None


class GoingOut(Schema):
    occurrence: OccurrenceOut
    person_ids: list[int]


class RegimeEscortOut(Schema):
    """A person to be escorted to the health service: the time and where, never why."""

    person_id: int
    name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    escort: str  # inside | outside


class UnitDayOut(Schema):
    unit_id: int
    unit: str
    day: DayInfoOut
    persons: list[RowOut]
    going: list[GoingOut]
    escorts: list[RegimeEscortOut]


class RegimeHealthTimeOut(Schema):
    """The time of an appointment with the health service on the day, never its kind."""

    starts: str  # HH:MM
    ends: str


class PersonDayOut(Schema):
    day: DayInfoOut
    person: RowOut | None
    health_service: list[RegimeHealthTimeOut]


class WeekOut(Schema):
    person_id: int
    week_from: dt.date
    days: list[PersonDayOut]


class ActivityParticipantOut(Schema):
    person_id: int
    name: str
    unit: str
    cell: str
    away: bool
    suspended: bool
    restriction: str
    outcome: str


class ActivitySessionOut(Schema):
    occurrence: OccurrenceOut
    participants: list[ActivityParticipantOut]


class ActivityListOut(Schema):
    activity_id: int
    name: str
    date: dt.date
    holiday: str | None
    sessions: list[ActivitySessionOut]
