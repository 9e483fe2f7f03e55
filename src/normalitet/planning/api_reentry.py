"""The reentry API under /api/v1/planning/: a person's release readiness with referrals and the
SGL § 41 duty, referrals and their status, consent to coordination, and the facility's list of
everyone leaving in the next 90 days. Same services and selectors as the pages; 404 outside
the caseload or without PLAN_VIEW, 403 for writes without PLAN_EDIT (raised by the services)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Router, Schema, Status

from normalitet.audit.services import record_access
from normalitet.core import clock
from normalitet.core.errors import NotFound
from normalitet.core.schemas import ERRORS
from normalitet.identity.models import AuthenticatedRequest

from .api import plan_person
from .models import CoordinationConsent, Referral
from .reentry import (
    Readiness,
    consent_record,
    facility_releases,
    person_readiness,
    referral_add,
    referral_status_set,
)
from .selectors import plan_facility

router = Router(tags=["planning"])


class ReferralIn(Schema):
    partner: str
    partner_name: str = Field(..., max_length=200)
    area: str
    purpose: str = Field(..., max_length=500)
    sent_on: dt.date | None = None
    meeting_on: dt.date | None = None
    note: str = Field("", max_length=500)


class ReferralStatusIn(Schema):
    status: str
    status_on: dt.date | None = None
    note: str = Field("", max_length=500)


class ConsentIn(Schema):
    consents: bool
    given_on: dt.date | None = None
    coordinator: str = Field("", max_length=200)
    note: str = Field("", max_length=500)


class ReferralOut(Schema):
    id: int
    partner: str
    partner_name: str
    area: str
    purpose: str
    sent_on: dt.date
    status: str
    status_on: dt.date
    meeting_on: dt.date | None
    note: str


class ConsentOut(Schema):
    id: int
    consents: bool
    given_on: dt.date
    coordinator: str
    note: str


class NeedOut(Schema):
    domain: str
    status: str


class AreaOut(Schema):
    area: str
    status: str
    needs: list[NeedOut]
    referrals: list[ReferralOut]


class Section41Out(Schema):
    under_age_limit: bool
    consents: bool | None
    coordinator: str
    applies: bool
    ask_consent: bool
    missing: list[str]
    problems: list[str]


class ReadinessOut(Schema):
    person_id: int
    age: int
    expected_release_date: dt.date | None
    window_opens: dt.date | None
    window_open: bool
    days_left: int | None
    section_41: Section41Out
    areas: list[AreaOut]
    consents: list[ConsentOut]


class AreaStatusOut(Schema):
    area: str
    status: str


class ReleaseOut(Schema):
    person_id: int
    person_number: str
    name: str
    unit: str | None
    expected_release_date: dt.date
    days_left: int
    areas: list[AreaStatusOut]
    section_41: Section41Out


def _referral(r: Referral) -> dict[str, Any]:
    return {
        "id": r.pk,
        "partner": r.partner,
        "partner_name": r.partner_name,
        "area": r.area,
        "purpose": r.purpose,
        "sent_on": r.sent_on,
        "status": r.status,
        "status_on": r.status_on,
        "meeting_on": r.meeting_on,
        "note": r.note,
    }


def _consent(c: CoordinationConsent) -> dict[str, Any]:
    return {
        "id": c.pk,
        "consents": c.consents,
        "given_on": c.given_on,
        "coordinator": c.coordinator,
        "note": c.note,
    }


def _section_41(r: Readiness) -> dict[str, Any]:
    s = r.section_41
    return {
        "under_age_limit": s.under_limit,
        "consents": s.consents,
        "coordinator": r.consent.coordinator if r.consent else "",
        "applies": s.applies,
        "ask_consent": s.ask_consent,
        "missing": list(s.missing),
        "problems": r.problems,
    }


def _readiness(person_id: int, r: Readiness) -> dict[str, Any]:
    return {
        "person_id": person_id,
        "age": r.age,
        "expected_release_date": r.expected_release,
        "window_opens": r.window_opens,
        "window_open": r.window_open,
        "days_left": r.days_left,
        "section_41": _section_41(r),
        "areas": [
            {
                "area": a.area,
                "status": a.status,
                "needs": [{"domain": d, "status": s} for d, s in a.needs],
                "referrals": [_referral(x) for x in a.referrals],
            }
            for a in r.areas
        ],
        "consents": [_consent(c) for c in r.consents],
    }


@router.get("/persons/{person_id}/reentry", response={200: ReadinessOut, **ERRORS})
def get_reentry(request: AuthenticatedRequest, person_id: int) -> Any:
    person, episode = plan_person(request, person_id)
    record_access(actor=request.user, person_id=person.pk, what="person.reentry", reason="api")
    return _readiness(person.pk, person_readiness(episode=episode))


@router.post("/persons/{person_id}/reentry/referrals", response={201: ReferralOut, **ERRORS})
def post_referral(request: AuthenticatedRequest, person_id: int, body: ReferralIn) -> Any:
    _person, episode = plan_person(request, person_id)
    data = body.dict()
    data["sent_on"] = data["sent_on"] or clock.today()
    return Status(201, _referral(referral_add(actor=request.user, episode=episode, **data)))


@router.post(
    "/persons/{person_id}/reentry/referrals/{referral_id}/status",
    response={200: ReferralOut, **ERRORS},
)
def post_referral_status(
    request: AuthenticatedRequest, person_id: int, referral_id: int, body: ReferralStatusIn
) -> Any:
    _person, episode = plan_person(request, person_id)
    referral = Referral.objects.filter(pk=referral_id, episode=episode).first()
    if referral is None:
        raise NotFound("No such referral.")
    referral = referral_status_set(
        actor=request.user,
        referral=referral,
        status=body.status,
        status_on=body.status_on or clock.today(),
        note=body.note,
    )
    return _referral(referral)


@router.post("/persons/{person_id}/reentry/consent", response={201: ConsentOut, **ERRORS})
def post_consent(request: AuthenticatedRequest, person_id: int, body: ConsentIn) -> Any:
    _person, episode = plan_person(request, person_id)
    consent = consent_record(
        actor=request.user,
        episode=episode,
        consents=body.consents,
        given_on=body.given_on or clock.today(),
        coordinator=body.coordinator,
        note=body.note,
    )
    return Status(201, _consent(consent))


@router.get("/facilities/{facility_id}/releases", response={200: list[ReleaseOut], **ERRORS})
def get_releases(request: AuthenticatedRequest, facility_id: int) -> Any:
    facility = plan_facility(actor=request.user, facility_id=facility_id)
    return [
        {
            "person_id": r.episode.person_id,
            "person_number": r.episode.person.person_number,
            "name": r.episode.person.full_name,
            "unit": r.episode.unit.name if r.episode.unit else None,
            "expected_release_date": r.expected_release,
            "days_left": r.days_left,
            "areas": [{"area": a.area, "status": a.status} for a in r.areas],
            "section_41": _section_41(r),
        }
        for r in facility_releases(actor=request.user, facility=facility)
    ]
