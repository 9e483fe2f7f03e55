"""Continuity of care after release (SGL §§ 4, 41; RULES.md § 10; DESIGN.md "Release").

Care that runs inside the prison (opioid substitution, addiction treatment, mental health care, a
regular GP) must not collapse on release. So health staff refer the person to a community
provider in good time before the expected release (``referral_lead_days``), follow the referral
through its states, and, with the person's consent, produce a handover summary for the receiving
provider.

- A referral moves ``draft -> sent -> accepted -> appointment``; the provider may decline it when
  sent or accepted; health staff may withdraw it while it is open. ``declined`` and
  ``withdrawn`` are final. The first appointment needs its date and time (and may be moved).
- A consent names the sections of the record the person agreed to share, how it was given and
  when. One consent is in force at a time; the person may withdraw it at any time.
- A summary is produced only under a consent in force, limited to its sections, and kept as it
  was produced (health personnel's duty of confidentiality, HPL § 21; consent, HPL § 22).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from normalitet.core import clock
from normalitet.core.errors import Conflict, DomainError, NotFound
from normalitet.core.validation import clean_and_save, text
from normalitet.estate.models import Facility

from . import access, audit
from .domain.rules import rules_on
from .models import (
    Appointment,
    CareReferral,
    CrisisEvent,
    HandoverConsent,
    HandoverSummary,
    ObservationLevel,
    Round,
)
from .router import HEALTH_DB
from .services_medication import current

Status = CareReferral.Status

# The sections of the record a person may agree to share with the receiving provider, in the
# order the summary shows them.
SECTIONS: dict[str, Any] = {
    "person": gettext_lazy("The person (name, person number, birth date, expected release)"),
    "purpose": gettext_lazy("The referral and its purpose"),
    "medication": gettext_lazy("Current medication"),
    "observation": gettext_lazy("Observation and crises now (risk of suicide and self-harm)"),
    "appointments": gettext_lazy("Appointments with the health service, last 90 days"),
}
RECENT_DAYS = 90

OPEN = (Status.DRAFT, Status.SENT, Status.ACCEPTED, Status.APPOINTMENT)
FINAL = (Status.DECLINED, Status.WITHDRAWN)
# A referral the provider has received: care after release is on its way.
SENT_OR_LATER = (Status.SENT, Status.ACCEPTED, Status.APPOINTMENT)
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SENT, Status.WITHDRAWN}),
    Status.SENT: frozenset({Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN}),
    Status.ACCEPTED: frozenset({Status.APPOINTMENT, Status.DECLINED, Status.WITHDRAWN}),
    # The first appointment may be moved to another time.
    Status.APPOINTMENT: frozenset({Status.APPOINTMENT, Status.WITHDRAWN}),
    Status.DECLINED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}


def next_statuses(status: str) -> list[str]:
    """The statuses a referral in ``status`` may move to, in the order of the workflow."""
    return [s for s in Status.values if s in TRANSITIONS[status]]


# --- Reading -------------------------------------------------------------------------------------


def ensure_referral(actor: Any, referral_id: int) -> tuple[CareReferral, access.PersonCard]:
    """A referral of a person in the health worker's facility, with the person's card; else
    NotFound (the same for a missing referral and for one out of reach)."""
    access.ensure_health_staff(actor)
    referral = CareReferral.objects.filter(pk=referral_id).first()
    if referral is None:
        raise NotFound(_("No such referral."))
    return referral, access.ensure_patient(actor, referral.person_id)


def ensure_consent(actor: Any, consent_id: int) -> tuple[HandoverConsent, access.PersonCard]:
    access.ensure_health_staff(actor)
    consent = HandoverConsent.objects.select_related("referral").filter(pk=consent_id).first()
    if consent is None:
        raise NotFound(_("No such consent."))
    return consent, access.ensure_patient(actor, consent.person_id)


def ensure_summary(
    actor: Any, summary_id: int, referral_id: int | None = None
) -> tuple[HandoverSummary, access.PersonCard]:
    access.ensure_health_staff(actor)
    qs = HandoverSummary.objects.select_related("referral", "consent").filter(pk=summary_id)
    if referral_id is not None:
        qs = qs.filter(referral_id=referral_id)
    summary = qs.first()
    if summary is None:
        raise NotFound(_("No such summary."))
    return summary, access.ensure_patient(actor, summary.person_id)


def consents_in_force(
    referral_ids: Iterable[int], *, on: dt.date | None = None
) -> dict[int, HandoverConsent]:
    """The consent in force for each referral that has one: given on or before ``on`` and not
    withdrawn (the latest given, should there be more)."""
    rows = HandoverConsent.objects.filter(
        referral_id__in=list(referral_ids),
        withdrawn_at__isnull=True,
        given_on__lte=on or clock.today(),
    ).order_by("-given_on", "-id")
    result: dict[int, HandoverConsent] = {}
    for consent in rows:
        result.setdefault(consent.referral_id, consent)
    return result


def consent_in_force(
    referral: CareReferral, *, on: dt.date | None = None
) -> HandoverConsent | None:
    """The consent in force for ``referral`` (``consents_in_force``)."""
    return consents_in_force([referral.pk], on=on).get(referral.pk)


def referrals_of(person_id: int) -> QuerySet[CareReferral]:
    return CareReferral.objects.filter(person_id=person_id).order_by("-created_at", "-id")


def facility_referrals(
    actor: Any, *, status: str | None = None, cards: dict[int, access.PersonCard] | None = None
) -> list[tuple[CareReferral, access.PersonCard]]:
    """The referrals of the persons in custody at the health worker's facility, with their
    cards: open ones first (by expected release), then the closed ones. ``cards``: the actor's
    caseload, when the caller has read it already."""
    access.ensure_health_staff(actor)
    if cards is None:
        cards = access.caseload(actor)
    qs = CareReferral.objects.filter(person_id__in=list(cards))
    if status:
        qs = qs.filter(status=status)
    rows = [(r, cards[r.person_id]) for r in qs.order_by("-created_at", "-id")]
    far = dt.date.max

    def order(row: tuple[CareReferral, access.PersonCard]) -> tuple[bool, dt.date]:
        referral, card = row
        return (referral.status in FINAL, card.expected_release or far)

    return sorted(rows, key=order)


@dataclass(frozen=True)
class ReleaseWithoutReferral:
    """A person leaving within the lead time for whom no referral has been sent."""

    card: access.PersonCard
    days_left: int
    drafts: int


def releases_without_referral(
    actor: Any, cards: dict[int, access.PersonCard] | None = None
) -> list[ReleaseWithoutReferral]:
    """Persons in custody at the facility whose expected release is within ``referral_lead_days``
    and who have no referral sent (care may collapse on release), soonest first. ``cards``: the
    actor's caseload, when the caller has read it already."""
    if not access.is_health_staff(actor):
        return []
    today = clock.today()
    horizon = today + dt.timedelta(days=rules_on(today).referral_lead_days)
    leaving = {
        pid: card
        for pid, card in (access.caseload(actor) if cards is None else cards).items()
        if card.expected_release is not None and today <= card.expected_release <= horizon
    }
    if not leaving:
        return []
    sent: set[int] = set()
    drafts: dict[int, int] = {}
    for pid, status in CareReferral.objects.filter(person_id__in=list(leaving)).values_list(
        "person_id", "status"
    ):
        if status in SENT_OR_LATER:
            sent.add(pid)
        elif status == Status.DRAFT:
            drafts[pid] = drafts.get(pid, 0) + 1
    rows = [
        ReleaseWithoutReferral(
            card=card,
            days_left=(card.expected_release - today).days if card.expected_release else 0,
            drafts=drafts.get(pid, 0),
        )
        for pid, card in leaving.items()
        if pid not in sent
    ]
    return sorted(rows, key=lambda r: (r.days_left, r.card.name))


@dataclass(frozen=True)
class StatusChange:
    at: dt.datetime
    by: str
    status: str
    label: str
    note: str
    first_appointment_at: dt.datetime | None


def _instant(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def history_of(referral: CareReferral) -> list[StatusChange]:
    """The referral's status changes, newest first."""
    labels = dict(Status.choices)
    rows = [
        StatusChange(
            at=_instant(h.get("at")) or referral.created_at,
            by=str(h.get("by", "")),
            status=str(h.get("status", "")),
            label=str(labels.get(h.get("status", ""), h.get("status", ""))),
            note=str(h.get("note", "")),
            first_appointment_at=_instant(h.get("first_appointment_at")),
        )
        for h in referral.history or []
    ]
    return list(reversed(rows))


def _history_entry(
    actor: Any, now: dt.datetime, status: str, note: str, first: dt.datetime | None
) -> dict[str, Any]:
    return {
        "at": now.isoformat(),
        "by": access.name_of(actor),
        "status": status,
        "note": note,
        "first_appointment_at": first.isoformat() if first else None,
    }


# --- Referrals -----------------------------------------------------------------------------------


def referral_create(
    *,
    actor: Any,
    person_id: int,
    provider_kind: str,
    provider_name: str,
    provider_contact: str = "",
    purpose: str,
) -> CareReferral:
    """A referral to a community provider, prepared (``draft``) for a person in custody at the
    health worker's facility."""
    access.ensure_health_staff(actor)
    card = access.ensure_patient(actor, person_id)
    if provider_kind not in CareReferral.ProviderKind.values:
        raise DomainError(_("Choose the kind of provider."), field="provider_kind")
    provider_name = text(provider_name, "provider_name", _("Name the provider."), 200)
    provider_contact = text(provider_contact, "provider_contact", None, 200)
    purpose = text(purpose, "purpose", _("Say what the person needs from the provider."), 4000)
    now = clock.now()
    with transaction.atomic(using=HEALTH_DB):
        referral = CareReferral(
            person_id=card.person_id,
            facility_id=card.facility_id,
            provider_kind=provider_kind,
            provider_name=provider_name,
            provider_contact=provider_contact,
            purpose=purpose,
            status=Status.DRAFT,
            status_changed_at=now,
            history=[_history_entry(actor, now, Status.DRAFT, "", None)],
            **access.stamp(actor, now),
        )
        clean_and_save(referral)
        audit.record_change(
            actor=actor,
            action="health.referral.create",
            obj=referral,
            person_id=card.person_id,
            data={"status": Status.DRAFT},
        )
    return referral


def _ensure_transition(referral: CareReferral, status: str) -> None:
    if referral.status in FINAL:
        raise Conflict(
            _("The referral is %(status)s: it cannot change any more.")
            % {"status": referral.get_status_display().lower()},
            field="status",
        )
    if status not in TRANSITIONS[referral.status]:
        labels = dict(Status.choices)
        raise Conflict(
            _("A referral cannot go from “%(before)s” to “%(after)s”.")
            % {"before": labels[referral.status], "after": labels[status]},
            field="status",
        )


def referral_status(
    *,
    actor: Any,
    referral_id: int,
    status: str,
    note: str = "",
    first_appointment_at: dt.datetime | None = None,
) -> CareReferral:
    """Move a referral on (``TRANSITIONS``). Declining and withdrawing give the reason; setting
    the first appointment gives its date and time. Final states do not change."""
    referral, card = ensure_referral(actor, referral_id)
    if status not in Status.values:
        raise DomainError(_("Choose a status."), field="status")
    _ensure_transition(referral, status)
    reason_needed = _("Give the reason.") if status in FINAL else None
    note = text(note, "note", reason_needed, 2000)
    first: dt.datetime | None = None
    if status == Status.APPOINTMENT:
        if first_appointment_at is None:
            raise DomainError(
                _("Give the date and time of the first appointment."),
                field="first_appointment_at",
            )
        first = clock.aware(first_appointment_at)
        if first < referral.created_at:
            raise DomainError(
                _("The first appointment cannot be before the referral was made."),
                field="first_appointment_at",
            )
    now = clock.now()
    with transaction.atomic(using=HEALTH_DB):
        referral = CareReferral.objects.select_for_update().get(pk=referral.pk)
        before = referral.status
        _ensure_transition(referral, status)
        referral.status = status
        referral.status_changed_at = now
        referral.status_note = note
        if status == Status.APPOINTMENT:
            referral.first_appointment_at = first
        referral.history = [
            *(referral.history or []),
            _history_entry(actor, now, status, note, first),
        ]
        referral.save(
            update_fields=[
                "status",
                "status_changed_at",
                "status_note",
                "first_appointment_at",
                "history",
            ]
        )
        audit.record_change(
            actor=actor,
            action="health.referral.status",
            obj=referral,
            person_id=card.person_id,
            data={"from": before, "to": status},
        )
    return referral


# --- Consent -------------------------------------------------------------------------------------


def clean_scope(scope: Any) -> list[str]:
    """The sections of a consent, in the summary's order; unknown or no sections are refused."""
    if isinstance(scope, str):
        scope = [scope]
    chosen = [str(s) for s in (scope or [])]
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        raise DomainError(
            _("Unknown section: %(section)s.") % {"section": unknown[0]}, field="scope"
        )
    if not chosen:
        raise DomainError(
            _("Choose at least one section the person agreed to share."), field="scope"
        )
    return [s for s in SECTIONS if s in chosen]


def consent_record(
    *, actor: Any, referral_id: int, given: str, scope: Any, given_on: dt.date
) -> HandoverConsent:
    """Record the person's consent that the sections in ``scope`` go to the referral's provider
    (HPL § 22). One consent is in force at a time: withdraw it before recording another."""
    referral, card = ensure_referral(actor, referral_id)
    if given not in HandoverConsent.Given.values:
        raise DomainError(_("Say how the consent was given."), field="given")
    sections = clean_scope(scope)
    if not isinstance(given_on, dt.date):
        raise DomainError(_("Give the date the consent was given."), field="given_on")
    if given_on > clock.today():
        raise DomainError(_("The consent cannot be dated in the future."), field="given_on")
    now = clock.now()
    with transaction.atomic(using=HEALTH_DB):
        referral = CareReferral.objects.select_for_update().get(pk=referral.pk)
        if referral.status in FINAL:
            raise Conflict(_("The referral is closed: no consent is needed for it."))
        if HandoverConsent.objects.filter(referral=referral, withdrawn_at__isnull=True).exists():
            raise Conflict(
                _(
                    "A consent is already recorded for this referral. If the person changed "
                    "their mind, withdraw it first and record the new one."
                )
            )
        consent = HandoverConsent(
            referral=referral,
            person_id=card.person_id,
            given=given,
            scope=sections,
            given_on=given_on,
            **access.stamp(actor, now),
        )
        clean_and_save(consent)
        audit.record_change(
            actor=actor,
            action="health.consent.record",
            obj=consent,
            person_id=card.person_id,
            data={"referral_id": referral.pk, "given": given, "scope": sections},
        )
    return consent


def consent_withdraw(*, actor: Any, consent_id: int) -> HandoverConsent:
    """The person withdraws their consent: no summary is produced under it any more."""
    consent, card = ensure_consent(actor, consent_id)
    with transaction.atomic(using=HEALTH_DB):
        consent = HandoverConsent.objects.select_for_update().get(pk=consent.pk)
        if consent.withdrawn_at is not None:
            raise Conflict(_("The consent is already withdrawn."))
        consent.withdrawn_at = clock.now()
        consent.save(update_fields=["withdrawn_at"])
        audit.record_change(
            actor=actor,
            action="health.consent.withdraw",
            obj=consent,
            person_id=card.person_id,
            data={"referral_id": consent.referral_id},
        )
    return consent


# --- Handover summary ----------------------------------------------------------------------------


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _person(card: access.PersonCard) -> dict[str, Any]:
    return {
        "name": card.name,
        "person_number": card.person_number,
        "birth_date": _iso(card.birth_date),
        "expected_release": _iso(card.expected_release),
    }


def _purpose(referral: CareReferral) -> dict[str, Any]:
    return {
        "provider_kind": referral.get_provider_kind_display(),
        "purpose": referral.purpose,
        "status": referral.get_status_display(),
        "first_appointment_at": _iso(referral.first_appointment_at),
    }


def _medication(person_id: int, today: dt.date) -> list[dict[str, Any]]:
    """The prescriptions current today (``current``: one that starts later included)."""
    rounds = dict(Round.choices)
    rows = current(today).filter(person_id=person_id).order_by("medicine", "pk")
    return [
        {
            "medicine": p.medicine,
            "strength": p.strength,
            "dose": p.dose,
            "rounds": [str(rounds.get(r, r)) for r in Round.values if r in (p.rounds or [])],
            "as_needed": p.as_needed,
            "controlled": p.controlled,
            "instructions": p.instructions,
            "starts_on": _iso(p.starts_on),
            "ends_on": _iso(p.ends_on),
        }
        for p in rows
    ]


def _observation(person_id: int, now: dt.datetime) -> dict[str, Any]:
    level = ObservationLevel.objects.filter(person_id=person_id, ended_at__isnull=True).first()
    since = now - dt.timedelta(days=RECENT_DAYS)
    crises = CrisisEvent.objects.filter(person_id=person_id, occurred_at__gte=since).order_by(
        "-occurred_at"
    )
    steps = dict(CrisisEvent.Step.choices)
    return {
        "level": level.get_level_display() if level else None,
        "interval_minutes": level.interval_minutes if level else None,
        "since": _iso(level.started_at) if level else None,
        "crises": [
            {
                "occurred_at": _iso(c.occurred_at),
                "kind": c.get_kind_display(),
                "steps": [str(steps.get(s, s)) for s in c.steps or []],
            }
            for c in crises
        ],
    }


def _appointments(person_id: int, now: dt.datetime) -> list[dict[str, Any]]:
    since = now - dt.timedelta(days=RECENT_DAYS)
    rows = (
        Appointment.objects.filter(person_id=person_id, starts_at__gte=since, starts_at__lt=now)
        .exclude(status=Appointment.Status.CANCELLED)
        .order_by("-starts_at")
    )
    return [
        {
            "starts_at": _iso(a.starts_at),
            "service": a.get_service_display(),
            "clinician": a.clinician_name,
            "status": a.get_status_display(),
        }
        for a in rows
    ]


def _content(
    actor: Any,
    referral: CareReferral,
    consent: HandoverConsent,
    card: access.PersonCard,
    now: dt.datetime,
) -> dict[str, Any]:
    """The summary: who produced it for whom under which consent, and the consented sections
    only."""
    facility = Facility.objects.filter(pk=card.facility_id).values_list("name", flat=True).first()
    sections = [s for s in SECTIONS if s in (consent.scope or [])]
    content: dict[str, Any] = {
        "produced_at": _iso(now),
        "produced_by": access.name_of(actor),
        "facility": facility or "",
        "provider": {"name": referral.provider_name, "contact": referral.provider_contact},
        "consent": {
            "given": consent.get_given_display(),
            "given_on": _iso(consent.given_on),
            "scope": sections,
        },
        "sections": sections,
    }
    today = clock.today()
    builders = {
        "person": lambda: _person(card),
        "purpose": lambda: _purpose(referral),
        "medication": lambda: _medication(card.person_id, today),
        "observation": lambda: _observation(card.person_id, now),
        "appointments": lambda: _appointments(card.person_id, now),
    }
    for section in sections:
        content[section] = builders[section]()
    return content


def handover_produce(*, actor: Any, referral_id: int) -> HandoverSummary:
    """Produce the handover summary for the referral's provider from the record as it is now,
    limited to the sections of the consent in force, and keep it as produced. Refused without a
    consent in force, and for a closed referral."""
    referral, card = ensure_referral(actor, referral_id)
    now = clock.now()
    with transaction.atomic(using=HEALTH_DB):
        referral = CareReferral.objects.select_for_update().get(pk=referral.pk)
        if referral.status in FINAL:
            raise Conflict(_("The referral is closed: no summary is produced for it."))
        consent = consent_in_force(referral)
        if consent is None:
            raise Conflict(
                _(
                    "No consent is in force: a summary goes to the provider only with the "
                    "person's consent."
                ),
                rule="consent",
            )
        summary = HandoverSummary(
            referral=referral,
            consent=consent,
            person_id=card.person_id,
            content=_content(actor, referral, consent, card, now),
            **access.stamp(actor, now),
        )
        clean_and_save(summary)
        audit.record_change(
            actor=actor,
            action="health.handover.produce",
            obj=summary,
            person_id=card.person_id,
            data={
                "referral_id": referral.pk,
                "consent_id": consent.pk,
                "sections": summary.content["sections"],
            },
        )
    return summary


_DATES = {"birth_date", "expected_release", "given_on", "starts_on", "ends_on"}
_INSTANTS = {"produced_at", "first_appointment_at", "since", "occurred_at", "starts_at"}


def readable(content: Any) -> Any:
    """A stored summary with its dates and times as date and datetime objects, for the page."""
    if isinstance(content, list):
        return [readable(v) for v in content]
    if not isinstance(content, dict):
        return content
    result: dict[str, Any] = {}
    for key, value in content.items():
        if isinstance(value, str) and value and key in _DATES:
            result[key] = dt.date.fromisoformat(value)
        elif isinstance(value, str) and value and key in _INSTANTS:
            result[key] = dt.datetime.fromisoformat(value)
        else:
            result[key] = readable(value)
    return result
