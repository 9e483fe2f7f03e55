"""API schemas of the phone: numbers, the facility's setting, weekly use, the import of call
records and the allowlist the phone system reads."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema


class PhoneNumberIn(Schema):
    number: str = Field(..., max_length=30)
    label: str = Field("", max_length=120)
    contact_id: int | None = None
    approve: bool = False


class PhoneNumberOut(Schema):
    id: int
    person_id: int
    contact_id: int | None
    number: str
    label: str
    privileged: bool
    status: str
    reason: str
    decided_at: dt.datetime | None


class PhoneDecisionIn(Schema):
    decision: Literal["approve", "refuse"]
    reason: str = Field("", max_length=500)


class PhoneRemoveIn(Schema):
    reason: str = Field(..., max_length=500)


class PhoneUsageOut(Schema):
    person_id: int
    name: str
    person_number: str
    week: str
    quota_minutes: int
    minutes: int
    privileged_minutes: int
    calls: int
    monitored_calls: int
    unapproved_calls: int
    calls_during_ban: int
    over_quota: bool


class PhoneSettingIn(Schema):
    weekly_minutes: int
    monitored: bool
    monitoring_reason: str = Field("", max_length=300)


class PhoneSettingOut(Schema):
    facility_id: int
    weekly_minutes: int
    monitored: bool
    monitoring_reason: str
    saved: bool


class CallRowErrorOut(Schema):
    line: int
    message: str


class CallImportOut(Schema):
    """A stored import; ``row_errors`` are the rows skipped (with ``import_valid``)."""

    id: int
    rows: int
    valid: int
    added: int
    duplicates: int
    unapproved: int
    during_ban: int
    row_errors: list[CallRowErrorOut]


class AllowedNumberOut(Schema):
    number: str
    label: str
    privileged: bool
    monitored: bool


class AllowlistPersonOut(Schema):
    person_id: int
    person_number: str
    name: str
    visit_ban: bool
    numbers: list[AllowedNumberOut]
