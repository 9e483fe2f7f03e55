"""API schemas of the court's restrictions on remand. Names are unique across the whole API."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class CourtOrderIn(Schema):
    kind: str
    court: str
    case_number: str
    ordered_on: dt.date
    starts_on: dt.date
    ends_on: dt.date
    offence_max_years: int | None = None
    named_person_ids: list[int] = []
    note: str = ""


class CourtOrderRenewIn(Schema):
    ordered_on: dt.date
    ends_on: dt.date
    case_number: str | None = None


class CourtOrderLiftIn(Schema):
    lifted_on: dt.date
    reason: str


class CourtOrderOut(Schema):
    id: int
    person_id: int
    kind: str
    court: str
    case_number: str
    ordered_on: dt.date
    starts_on: dt.date
    ends_on: dt.date
    offence_max_years: int | None
    named_person_ids: list[int]
    note: str
    lifted_on: dt.date | None
    lifted_reason: str
    state: str


class CourtOrderExpiringOut(Schema):
    order: CourtOrderOut
    person_name: str
    unit: str
    days_left: int
    isolation_days: int | None
    isolation_maximum_days: int | None
