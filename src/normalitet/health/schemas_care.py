"""API schemas of continuity of care: referrals, consents and handover summaries. Names are
unique across the whole API (prefixed ``Health``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


class HealthReferralIn(Schema):
    provider_kind: str
    provider_name: str
    provider_contact: str = ""
    purpose: str


class HealthReferralStatusIn(Schema):
    status: str
    note: str = ""
    first_appointment_at: dt.datetime | None = None


class HealthReferralChangeOut(Schema):
    at: dt.datetime
    by: str
    status: str
    note: str
    first_appointment_at: dt.datetime | None


class HealthConsentIn(Schema):
    given: str
    scope: list[str]
    given_on: dt.date


class HealthConsentOut(Schema):
    id: int
    referral_id: int
    person_id: int
    given: str
    scope: list[str]
    given_on: dt.date
    withdrawn_at: dt.datetime | None
    in_force: bool
    created_at: dt.datetime
    created_by_name: str


class HealthReferralOut(Schema):
    id: int
    person_id: int
    name: str
    expected_release: dt.date | None
    provider_kind: str
    provider_name: str
    provider_contact: str
    purpose: str
    status: str
    status_changed_at: dt.datetime
    status_note: str
    first_appointment_at: dt.datetime | None
    next_statuses: list[str]
    consent_in_force: HealthConsentOut | None
    created_at: dt.datetime
    created_by_name: str


class HealthReferralDetailOut(HealthReferralOut):
    history: list[HealthReferralChangeOut]
    consents: list[HealthConsentOut]
    summary_ids: list[int]


class HealthReleaseOut(Schema):
    person_id: int
    name: str
    expected_release: dt.date
    days_left: int
    drafts: int


class HealthReferralsOut(Schema):
    referrals: list[HealthReferralOut]
    releases_without_referral: list[HealthReleaseOut]


class HealthHandoverOut(Schema):
    id: int
    referral_id: int
    consent_id: int
    person_id: int
    created_at: dt.datetime
    created_by_name: str
    content: dict[str, Any]
