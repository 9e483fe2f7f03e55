"""API schemas of medication: prescriptions, the round sheet, doses and the controlled-drug
book. Names start with ``Health`` (schema names are unique across the project)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class HealthPrescriptionIn(Schema):
    medicine: str
    strength: str = ""
    dose: str
    units_per_dose: int = 1
    rounds: list[str] = []
    as_needed: bool = False
    controlled: bool = False
    instructions: str = ""
    starts_on: dt.date | None = None  # today when not given
    ends_on: dt.date | None = None


class HealthPrescriptionOut(Schema):
    id: int
    person_id: int
    facility_id: int
    medicine: str
    strength: str
    dose: str
    units_per_dose: int
    rounds: list[str]
    as_needed: bool
    controlled: bool
    instructions: str
    starts_on: dt.date
    ends_on: dt.date | None
    active: bool
    stopped_at: dt.datetime | None
    stopped_by_name: str
    stop_reason: str
    created_at: dt.datetime
    created_by_name: str


class HealthPrescriptionStopIn(Schema):
    reason: str


class HealthDoseIn(Schema):
    prescription_id: int
    day: dt.date | None = None  # today when not given
    round: str
    outcome: str
    note: str = ""


class HealthDoseOut(Schema):
    id: int
    prescription_id: int
    person_id: int
    day: dt.date
    round: str
    outcome: str
    note: str
    created_at: dt.datetime
    created_by_name: str
    stock_entry_id: int | None


class HealthRoundDoseOut(Schema):
    prescription_id: int
    medicine: str
    strength: str
    dose: str
    units_per_dose: int
    instructions: str
    controlled: bool
    as_needed: bool
    outcome: str | None
    note: str
    recorded_at: dt.datetime | None
    recorded_by_name: str


class HealthRoundPersonOut(Schema):
    person_id: int
    name: str
    person_number: str
    cell: str
    due: list[HealthRoundDoseOut]
    as_needed: list[HealthRoundDoseOut]


class HealthRoundSheetOut(Schema):
    unit_id: int
    unit: str
    day: dt.date
    round: str
    at: dt.datetime
    recordable: bool
    due_count: int
    recorded_count: int
    persons: list[HealthRoundPersonOut]


class HealthStockOut(Schema):
    id: int
    medicine: str
    strength: str
    balance: int
    last_count_at: dt.datetime | None
    last_count_difference: int | None
    last_count_matched: bool | None


class HealthStockEntryOut(Schema):
    id: int
    kind: str
    quantity: int
    balance: int  # after the entry
    counted: int | None
    expected: int | None
    witness_name: str
    note: str
    dose_id: int | None
    person_id: int | None
    created_at: dt.datetime
    created_by_name: str


class HealthStockReceiveIn(Schema):
    quantity: int
    note: str = ""


class HealthStockWasteIn(Schema):
    quantity: int
    witness_name: str
    note: str


class HealthStockCountIn(Schema):
    counted: int
    witness_name: str
    note: str = ""
