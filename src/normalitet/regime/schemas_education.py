"""API schemas of education records, diets, meal numbers and clergy visits. Money is øre."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class EducationEntryIn(Schema):
    kind: str
    course: str = Field(..., max_length=160)
    on: dt.date
    course_code: str = Field("", max_length=24)
    level: str = Field("", max_length=80)
    proctored: bool = False
    result: str = Field("", max_length=40)
    certificate_reference: str = Field("", max_length=80)
    school: str = Field("", max_length=160)
    note: str = Field("", max_length=500)


class EducationRecordIn(EducationEntryIn):
    activity_id: int


class EducationRecordOut(Schema):
    id: int
    person_id: int
    facility_id: int
    facility: str
    activity_id: int | None
    kind: str
    course: str
    course_code: str
    level: str
    on: dt.date
    proctored: bool
    result: str
    certificate_reference: str
    school: str
    note: str


class EnrolmentOut(Schema):
    """An education activity the person is enrolled in (``enrolled``) or waiting for."""

    allocation_id: int
    activity_id: int
    activity: str
    status: str
    enrolled: bool
    since: dt.date | None


class AttendanceShareOut(Schema):
    activity_id: int
    activity: str
    attended: int
    marked: int
    percent: int | None


class EducationOut(Schema):
    person_id: int
    attendance_since: dt.date
    attendance_until: dt.date
    records: list[EducationRecordOut]
    enrolments: list[EnrolmentOut]
    attendance: list[AttendanceShareOut]


class DietIn(Schema):
    kind: str
    detail: str = Field("", max_length=160)
    starts_on: dt.date | None = None  # today when left out
    ends_on: dt.date | None = None


class DietEndIn(Schema):
    ends_on: dt.date | None = None  # today when left out


class DietOut(Schema):
    id: int
    person_id: int
    kind: str
    detail: str
    starts_on: dt.date
    ends_on: dt.date | None


class DietDetailOut(Schema):
    kind: str
    detail: str
    persons: int


class RegimeHealthDietOut(Schema):
    """A medical diet from the health service: its instruction for the kitchen, never why."""

    instruction: str
    persons: int


class UnitMealsOut(Schema):
    unit_id: int | None
    unit: str
    persons: int
    ordinary: int
    diets: dict[str, int]  # medical diets from the health service counted under "medical"
    details: list[DietDetailOut]
    health_service_diets: list[RegimeHealthDietOut]


class SelfCateringOut(Schema):
    unit_id: int | None
    unit: str
    persons: int
    food_ore: int


class MealsOut(Schema):
    facility_id: int
    date: dt.date
    catered: list[UnitMealsOut]
    total: UnitMealsOut
    self_catering: list[SelfCateringOut]
    food_ore_per_person: int
    food_ore_total: int


class ClergyVisitIn(Schema):
    community: str = Field(..., max_length=80)
    visitor_name: str = Field(..., max_length=160)
    external: bool = True
    starts_at: dt.datetime
    minutes: int = 60
    person_id: int | None = None
    note: str = Field("", max_length=255)


class ClergyVisitOut(Schema):
    """``person_id`` is given only when the caller may open that person's record."""

    id: int
    community: str
    visitor_name: str
    external: bool
    starts_at: dt.datetime
    minutes: int
    pastoral: bool
    person_id: int | None


class CommunityOut(Schema):
    community: str
    services: list[str]
    services_held: int
    group_visits: int
    pastoral_visits: int
    visit_minutes: int
    taking_part: int
    without_access: bool


class FaithOut(Schema):
    facility_id: int
    since: dt.date
    until: dt.date
    communities: list[CommunityOut]
    visits: list[ClergyVisitOut]
