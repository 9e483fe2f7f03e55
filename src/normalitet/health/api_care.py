"""API: continuity of care (under /api/v1/health/): the facility's referrals and the releases
lacking one, a person's referrals, status changes, consents and handover summaries. Health staff
of a facility only: anyone else gets 404, as does a person outside the facility."""

from __future__ import annotations

from typing import Any

from ninja import Router, Status

from normalitet.core.schemas import ERRORS
from normalitet.identity.models import AuthenticatedRequest

from . import access, audit
from . import services_care as services
from .api_record import health_staff, patient_card
from .models import CareReferral, HandoverConsent, HandoverSummary
from .schemas_care import (
    HealthConsentIn,
    HealthConsentOut,
    HealthHandoverOut,
    HealthReferralDetailOut,
    HealthReferralIn,
    HealthReferralOut,
    HealthReferralsOut,
    HealthReferralStatusIn,
)

router = Router(tags=["health"])


def _consent(c: HandoverConsent) -> dict[str, Any]:
    return {
        "id": c.pk,
        "referral_id": c.referral_id,
        "person_id": c.person_id,
        "given": c.given,
        "scope": list(c.scope or []),
        "given_on": c.given_on,
        "withdrawn_at": c.withdrawn_at,
        "in_force": c.withdrawn_at is None,
        "created_at": c.created_at,
        "created_by_name": c.created_by_name,
    }


def _referral(
    r: CareReferral, card: access.PersonCard, consent: HandoverConsent | None
) -> dict[str, Any]:
    return {
        "id": r.pk,
        "person_id": r.person_id,
        "name": card.name,
        "expected_release": card.expected_release,
        "provider_kind": r.provider_kind,
        "provider_name": r.provider_name,
        "provider_contact": r.provider_contact,
        "purpose": r.purpose,
        "status": r.status,
        "status_changed_at": r.status_changed_at,
        "status_note": r.status_note,
        "first_appointment_at": r.first_appointment_at,
        "next_statuses": services.next_statuses(r.status),
        "consent_in_force": _consent(consent) if consent else None,
        "created_at": r.created_at,
        "created_by_name": r.created_by_name,
    }


def _referrals(rows: list[tuple[CareReferral, access.PersonCard]]) -> list[dict[str, Any]]:
    """The referrals with the consent in force of each (one query for all)."""
    consents = services.consents_in_force(r.pk for r, _card in rows)
    return [_referral(r, card, consents.get(r.pk)) for r, card in rows]


def _detail(r: CareReferral, card: access.PersonCard) -> dict[str, Any]:
    return {
        **_referral(r, card, services.consent_in_force(r)),
        "history": [
            {
                "at": h.at,
                "by": h.by,
                "status": h.status,
                "note": h.note,
                "first_appointment_at": h.first_appointment_at,
            }
            for h in services.history_of(r)
        ],
        "consents": [
            _consent(c) for c in HandoverConsent.objects.filter(referral=r).order_by("-id")
        ],
        "summary_ids": list(
            HandoverSummary.objects.filter(referral=r).values_list("pk", flat=True)
        ),
    }


@router.get("/referrals", response={200: HealthReferralsOut, **ERRORS})
def get_referrals(request: AuthenticatedRequest, status: str = "") -> Any:
    """The facility's referrals (optionally of one ``status``) and the releases within the lead
    time with no referral sent."""
    user = health_staff(request)
    cards = access.caseload(user)
    return {
        "referrals": _referrals(
            services.facility_referrals(user, status=status or None, cards=cards)
        ),
        "releases_without_referral": [
            {
                "person_id": r.card.person_id,
                "name": r.card.name,
                "expected_release": r.card.expected_release,
                "days_left": r.days_left,
                "drafts": r.drafts,
            }
            for r in services.releases_without_referral(user, cards)
        ],
    }


@router.get("/persons/{person_id}/referrals", response={200: list[HealthReferralOut], **ERRORS})
def get_person_referrals(request: AuthenticatedRequest, person_id: int) -> Any:
    card = patient_card(health_staff(request), person_id, "referrals")
    return _referrals([(r, card) for r in services.referrals_of(card.person_id)])


@router.post("/persons/{person_id}/referrals", response={201: HealthReferralDetailOut, **ERRORS})
def post_referral(request: AuthenticatedRequest, person_id: int, body: HealthReferralIn) -> Any:
    user = health_staff(request)
    referral = services.referral_create(actor=user, person_id=person_id, **body.dict())
    return Status(201, _detail(referral, access.ensure_patient(user, person_id)))


@router.get("/referrals/{referral_id}", response={200: HealthReferralDetailOut, **ERRORS})
def get_referral(request: AuthenticatedRequest, referral_id: int) -> Any:
    user = health_staff(request)
    referral, card = services.ensure_referral(user, referral_id)
    audit.record_access(actor=user, person_id=card.person_id, what="referral")
    return _detail(referral, card)


@router.post("/referrals/{referral_id}/status", response={200: HealthReferralDetailOut, **ERRORS})
def post_status(
    request: AuthenticatedRequest, referral_id: int, body: HealthReferralStatusIn
) -> Any:
    user = health_staff(request)
    referral = services.referral_status(actor=user, referral_id=referral_id, **body.dict())
    return _detail(referral, access.ensure_patient(user, referral.person_id))


@router.post("/referrals/{referral_id}/consents", response={201: HealthConsentOut, **ERRORS})
def post_consent(request: AuthenticatedRequest, referral_id: int, body: HealthConsentIn) -> Any:
    consent = services.consent_record(
        actor=health_staff(request), referral_id=referral_id, **body.dict()
    )
    return Status(201, _consent(consent))


@router.post("/consents/{consent_id}/withdraw", response={200: HealthConsentOut, **ERRORS})
def post_withdraw(request: AuthenticatedRequest, consent_id: int) -> Any:
    return _consent(services.consent_withdraw(actor=health_staff(request), consent_id=consent_id))


def _summary(s: HandoverSummary) -> dict[str, Any]:
    return {
        "id": s.pk,
        "referral_id": s.referral_id,
        "consent_id": s.consent_id,
        "person_id": s.person_id,
        "created_at": s.created_at,
        "created_by_name": s.created_by_name,
        "content": s.content,
    }


@router.post("/referrals/{referral_id}/handovers", response={201: HealthHandoverOut, **ERRORS})
def post_handover(request: AuthenticatedRequest, referral_id: int) -> Any:
    summary = services.handover_produce(actor=health_staff(request), referral_id=referral_id)
    return Status(201, _summary(summary))


@router.get("/handovers/{summary_id}", response={200: HealthHandoverOut, **ERRORS})
def get_handover(request: AuthenticatedRequest, summary_id: int) -> Any:
    user = health_staff(request)
    summary, card = services.ensure_summary(user, summary_id)
    audit.record_access(actor=user, person_id=card.person_id, what="handover")
    return _summary(summary)
