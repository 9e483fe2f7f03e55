"""API schemas for persons, facilities, the roll and custody actions."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class LocationOut(Schema):
    facility_id: int
    facility: str
    unit_id: int | None
    unit: str | None
    cell_id: int | None
    cell: str | None
    absent: str | None


class PersonSummaryOut(Schema):
    id: int
    person_number: str
    given_names: str
    family_name: str
    birth_date: dt.date
    legal_status: str | None
    episode_id: int | None
    location: LocationOut | None


class AlertOut(Schema):
    kind: str
    text: str
    active_from: dt.date
    active_to: dt.date | None


class PersonOut(PersonSummaryOut):
    national_id: str | None = None
    nationality: str | None = None
    languages: list[str] = []
    interpreter_needed: bool | None = None
    gender: str | None = None
    contact_officer: str | None = None
    expected_release_date: dt.date | None = None
    alerts: list[AlertOut] = []


class MovementOut(Schema):
    id: int
    kind: str
    occurred_at: dt.datetime
    from_facility_id: int | None
    from_unit_id: int | None
    from_cell_id: int | None
    to_facility_id: int | None
    to_unit_id: int | None
    to_cell_id: int | None
    absence_kind: str
    reason: str


class FacilityOut(Schema):
    id: int
    code: str
    name: str
    region: str
    security_level: str
    is_active: bool
    places: int


class RollRowOut(Schema):
    unit_id: int | None
    unit: str | None
    places: int
    in_cell: int
    out: int
    arriving_today: int
    leaving_today: int
    without_cell: int


class RollOut(Schema):
    facility_id: int
    facility: str
    date: dt.date
    units: list[RollRowOut]
    total: RollRowOut


class CountIn(Schema):
    unit_id: int | None = None
    counted: int = Field(..., ge=0, le=10000)
    note: str = Field("", max_length=500)


class CountOut(Schema):
    id: int
    unit_id: int | None
    counted_at: dt.datetime
    expected: int
    counted: int
    discrepancy: int


class NewPersonIn(Schema):
    given_names: str = Field(..., min_length=1, max_length=120)
    family_name: str = Field(..., min_length=1, max_length=120)
    birth_date: dt.date
    gender: str
    national_id: str = ""
    nationality: str = Field("NO", min_length=2, max_length=2)
    languages: list[str] = []
    interpreter_needed: bool = False


class AdmissionIn(Schema):
    person_id: int | None = None
    person: NewPersonIn | None = None
    legal_status: str
    facility_id: int
    expected_release_date: dt.date | None = None
    reason: str = Field("", max_length=500)


class EpisodeOut(Schema):
    id: int
    person_id: int
    legal_status: str
    admitted_at: dt.datetime
    released_at: dt.datetime | None
    expected_release_date: dt.date | None
    location: LocationOut | None


class CellIn(Schema):
    cell_id: int
    shared_cell_reason: str = Field("", max_length=255)
    reason: str = Field("", max_length=500)


class TransferIn(Schema):
    to_facility_id: int
    reason: str = Field(..., min_length=1, max_length=500)


class AbsenceIn(Schema):
    kind: str
    expected_back: dt.datetime | None = None
    reason: str = Field("", max_length=500)


class ReleaseIn(Schema):
    reason: str
    note: str = Field("", max_length=500)


class WhoAmIOut(Schema):
    username: str
    role: str
    facility_id: int | None
    capabilities: list[str]


class WhereaboutsOut(Schema):
    at: dt.datetime
    in_custody: bool
    facility_id: int | None
    unit_id: int | None
    cell_id: int | None
    absent: str | None


class AlertIn(Schema):
    kind: str
    text: str = Field(..., min_length=1, max_length=500)
    active_from: dt.date
    active_to: dt.date | None = None


class NonAssociationIn(Schema):
    other_person_id: int
    scope: str
    reason: str = Field(..., min_length=1, max_length=500)


class NonAssociationOut(Schema):
    id: int
    person_a_id: int
    person_b_id: int
    scope: str
    reason: str


class PersonPatchIn(Schema):
    given_names: str | None = Field(None, max_length=120)
    family_name: str | None = Field(None, max_length=120)
    preferred_name: str | None = Field(None, max_length=120)
    birth_date: dt.date | None = None
    national_id: str | None = None
    nationality: str | None = Field(None, min_length=2, max_length=2)
    languages: list[str] | None = None
    interpreter_needed: bool | None = None
    gender: str | None = None


class CellOut(Schema):
    id: int
    code: str
    capacity: int
    occupants: int
    single_occupancy: bool
    accessible: bool
    safe_cell: bool
    is_active: bool


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    security_level: str
    is_active: bool
    cells: list[CellOut]
