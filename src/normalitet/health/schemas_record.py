"""API schemas of the health staff's patient list and record, fitness for work and medical diet.
Names are unique across the whole API (prefixed ``Health``)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class HealthPatientOut(Schema):
    person_id: int
    name: str
    person_number: str
    birth_date: dt.date
    unit: str
    cell: str
    expected_release: dt.date | None
    observation_level: str | None
    observation_overdue: bool
    active_prescriptions: int
    open_requests: int


class HealthRecordRequestOut(Schema):
    id: int
    reference: str
    service: str
    status: str
    priority: str
    created_at: dt.datetime


class HealthRecordAppointmentOut(Schema):
    id: int
    service: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    clinician_name: str
    escort: str
    status: str


class HealthRecordPrescriptionOut(Schema):
    id: int
    medicine: str
    strength: str
    dose: str
    rounds: list[str]
    as_needed: bool
    controlled: bool
    starts_on: dt.date
    ends_on: dt.date | None


class HealthRecordObservationOut(Schema):
    level: str
    interval_minutes: int
    next_due: dt.datetime
    overdue: bool
    minutes_overdue: int
    reason: str


class HealthFitnessIn(Schema):
    fitness: str
    valid_from: dt.date
    valid_to: dt.date | None = None
    reason: str = ""


class HealthFitnessOut(Schema):
    id: int
    person_id: int
    fitness: str
    valid_from: dt.date
    valid_to: dt.date | None
    reason: str
    state: str
    created_at: dt.datetime
    created_by_name: str


class HealthDietIn(Schema):
    kitchen_instruction: str
    reason: str
    valid_from: dt.date
    valid_to: dt.date | None = None


class HealthDietEndIn(Schema):
    on: dt.date


class HealthDietOut(Schema):
    id: int
    person_id: int
    kitchen_instruction: str
    reason: str
    valid_from: dt.date
    valid_to: dt.date | None
    state: str
    created_at: dt.datetime
    created_by_name: str


class HealthRecordReferralOut(Schema):
    id: int
    provider_kind: str
    provider_name: str
    status: str
    first_appointment_at: dt.datetime | None


class HealthRecordOut(Schema):
    person: HealthPatientOut
    requests: list[HealthRecordRequestOut]
    appointments: list[HealthRecordAppointmentOut]
    prescriptions: list[HealthRecordPrescriptionOut]
    observation: HealthRecordObservationOut | None
    fitness: HealthFitnessOut | None
    diet: HealthDietOut | None
    referrals: list[HealthRecordReferralOut]
