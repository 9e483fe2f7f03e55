"""Continuity of care (SGL § 41; RULES.md § 10; HPL §§ 21-22): referrals through their states,
the person's consent, and the handover summary, produced only under a consent in force and
limited to its sections. Refusals change nothing; every change is in the health service's own
log. Time is frozen at Monday 2 March 2026, 10:30 in Oslo."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from normalitet.core.errors import Conflict, DomainError, NotFound
from normalitet.health.models import (
    CareReferral,
    CrisisEvent,
    HandoverConsent,
    HandoverSummary,
    HealthAuditEvent,
)
from normalitet.health.services_care import (
    TRANSITIONS,
    consent_record,
    consent_withdraw,
    handover_produce,
    history_of,
    next_statuses,
    referral_create,
    referral_status,
    releases_without_referral,
)

from .builders_record import (
    DAY,
    NOW,
    TODAY,
    appointment,
    changes,
    main_log_is_clean,
    observation,
    prescription,
    release,
    world,
)

pytestmark = pytest.mark.django_db
PURPOSE = "Fortsatt LAR med metadon uten opphold etter løslatelse"
FIRST = dt.datetime(2026, 4, 20, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def w(users: dict[str, Any], estate: Any, frozen: Any) -> Any:
    return world(users, estate)


def _referral(actor: Any, person_id: int, **fields: Any) -> CareReferral:
    args = {
        "provider_kind": "opioid",
        "provider_name": "LAR Oslo",
        "provider_contact": "Inntak, tlf. 23 02 60 00",
        "purpose": PURPOSE,
        **fields,
    }
    return referral_create(actor=actor, person_id=person_id, **args)


def _snapshot() -> tuple[Any, ...]:
    return (
        list(CareReferral.objects.values()),
        list(HandoverConsent.objects.values()),
        HandoverSummary.objects.count(),
        HealthAuditEvent.objects.filter(kind="change").count(),
    )


# --- Referrals -----------------------------------------------------------------------------------


def test_a_referral_is_prepared_and_logged_without_its_text(w, nurse):
    r = _referral(nurse, w.anders.person_id)
    assert (r.status, r.facility_id, r.purpose, r.created_by_name) == (
        "draft",
        w.anders.facility_id,
        PURPOSE,
        "Nurse Helse",
    )
    assert r.status_changed_at == NOW and [h.status for h in history_of(r)] == ["draft"]
    (event,) = changes("health.referral.create")
    assert event.data == {"status": "draft"} and event.person_id == w.anders.person_id
    assert main_log_is_clean(PURPOSE, "LAR Oslo")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"provider_kind": "witch_doctor"}, "provider_kind"),
        ({"provider_name": "  "}, "provider_name"),
        ({"provider_name": "p" * 201}, "provider_name"),
        ({"provider_contact": "c" * 201}, "provider_contact"),
        ({"purpose": ""}, "purpose"),
    ],
)
def test_bad_referral_input_changes_nothing(w, nurse, fields, field):
    before = _snapshot()
    with pytest.raises(DomainError) as exc:
        _referral(nurse, w.anders.person_id, **fields)
    assert exc.value.field == field
    assert _snapshot() == before


def test_referrals_only_for_persons_in_custody_at_the_facility(w, users, nurse):
    before = _snapshot()
    with pytest.raises(NotFound):
        _referral(nurse, w.away.person_id)
    for role in ("officer", "contact_officer", "case_manager", "facility_leader"):
        with pytest.raises(NotFound):
            _referral(users[role], w.anders.person_id)
    assert _snapshot() == before


def test_the_workflow_to_the_first_appointment(w, nurse, doctor):
    r = _referral(nurse, w.anders.person_id)
    assert next_statuses("draft") == ["sent", "withdrawn"]
    referral_status(actor=nurse, referral_id=r.pk, status="sent", note="Sendt per brev")
    referral_status(actor=doctor, referral_id=r.pk, status="accepted")
    local = dt.datetime(2026, 4, 20, 12, 0)  # noqa: DTZ001 - a time without offset is Oslo time
    r = referral_status(
        actor=nurse, referral_id=r.pk, status="appointment", first_appointment_at=local
    )
    assert r.first_appointment_at == FIRST  # 12:00 in Oslo in summer time
    r = referral_status(
        actor=nurse,
        referral_id=r.pk,
        status="appointment",
        first_appointment_at=FIRST + 2 * DAY,
        note="Flyttet",
    )
    assert r.status == "appointment" and r.first_appointment_at == FIRST + 2 * DAY
    assert [(h.status, h.by) for h in history_of(r)] == [
        ("appointment", "Nurse Helse"),
        ("appointment", "Nurse Helse"),
        ("accepted", "Doctor Helse"),
        ("sent", "Nurse Helse"),
        ("draft", "Nurse Helse"),
    ]
    assert history_of(r)[-2].note == "Sendt per brev"
    assert [e.data for e in changes("health.referral.status")] == [
        {"from": "draft", "to": "sent"},
        {"from": "sent", "to": "accepted"},
        {"from": "accepted", "to": "appointment"},
        {"from": "appointment", "to": "appointment"},
    ]
    assert main_log_is_clean("Sendt per brev", "Flyttet")


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (["sent"], "draft"),
        ([], "accepted"),
        ([], "appointment"),
        ([], "declined"),
        (["sent", "accepted"], "sent"),
        (["sent"], "appointment"),
    ],
)
def test_transitions_outside_the_table_are_refused(w, nurse, path, status):
    r = _referral(nurse, w.anders.person_id)
    for step in path:
        referral_status(actor=nurse, referral_id=r.pk, status=step)
    assert status not in TRANSITIONS[CareReferral.objects.get(pk=r.pk).status]
    before = _snapshot()
    with pytest.raises(Conflict) as exc:
        referral_status(
            actor=nurse, referral_id=r.pk, status=status, note="n", first_appointment_at=FIRST
        )
    assert "cannot go from" in exc.value.message
    assert _snapshot() == before


@pytest.mark.parametrize("final", ["declined", "withdrawn"])
def test_final_states_are_final(w, nurse, final):
    r = _referral(nurse, w.anders.person_id)
    referral_status(actor=nurse, referral_id=r.pk, status="sent")
    referral_status(actor=nurse, referral_id=r.pk, status=final, note="Ingen plass")
    before = _snapshot()
    for status in ("draft", "sent", "accepted", "withdrawn"):
        with pytest.raises(Conflict) as exc:
            referral_status(actor=nurse, referral_id=r.pk, status=status, note="n")
        assert "cannot change any more" in exc.value.message
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("status", "fields", "field"),
    [
        ("nonsense", {}, "status"),
        ("declined", {"note": " "}, "note"),
        ("withdrawn", {}, "note"),
        ("appointment", {}, "first_appointment_at"),
        ("appointment", {"first_appointment_at": NOW - 30 * DAY}, "first_appointment_at"),
    ],
)
def test_bad_status_input_changes_nothing(w, nurse, status, fields, field):
    r = _referral(nurse, w.anders.person_id)
    referral_status(actor=nurse, referral_id=r.pk, status="sent")
    referral_status(actor=nurse, referral_id=r.pk, status="accepted")
    before = _snapshot()
    with pytest.raises(DomainError) as exc:
        referral_status(actor=nurse, referral_id=r.pk, status=status, **fields)
    assert exc.value.field == field
    assert _snapshot() == before


def test_releases_within_the_lead_time_lacking_a_sent_referral(w, users, estate, nurse):
    release(w.anders, TODAY + 30 * DAY)  # within 56 days, nothing sent
    release(w.berit, TODAY + 10 * DAY)  # sooner; a draft only
    release(w.away, TODAY + 5 * DAY)  # another facility
    _referral(nurse, w.berit.person_id)
    rows = releases_without_referral(nurse)
    assert [(r.card.name, r.days_left, r.drafts) for r in rows] == [
        ("Berit Øvre", 10, 1),
        ("Anders Ås", 30, 0),
    ]
    sent = _referral(nurse, w.anders.person_id)
    referral_status(actor=nurse, referral_id=sent.pk, status="sent")
    assert [r.card.person_id for r in releases_without_referral(nurse)] == [w.berit.person_id]
    release(w.berit, TODAY + 57 * DAY)  # beyond the lead time
    assert releases_without_referral(nurse) == []
    assert releases_without_referral(users["officer"]) == []


# --- Consent and the handover summary ------------------------------------------------------------


@pytest.fixture
def care(w, nurse, doctor) -> dict[str, Any]:
    """Anders: methadone, under close observation after a crisis, two past appointments; a
    referral to LAR that has been sent."""
    prescription(w.anders, "Metadon", instructions="Svelges under tilsyn", controlled=True)
    prescription(w.anders, "Paracet", strength="500 mg", dose="2 tabletter", as_needed=True)
    prescription(w.anders, "Amoxicillin", ends_on=TODAY - DAY)  # ended: not in the summary
    observation(w.anders, NOW - dt.timedelta(hours=3))
    CrisisEvent.objects.create(
        person_id=w.anders.person_id,
        facility_id=w.anders.facility_id,
        occurred_at=NOW - dt.timedelta(hours=4),
        kind="threat",
        steps=["doctor", "observation"],
        note="Uttalte planer",
        created_at=NOW,
    )
    appointment(
        w.anders, NOW - 10 * DAY, service="doctor", clinician_name="Dr. Berg", status="attended"
    )
    appointment(w.anders, NOW - 5 * DAY, status="cancelled")
    appointment(w.anders, NOW + 5 * DAY)  # future: not in the summary
    release(w.anders, TODAY + 40 * DAY)
    r = _referral(nurse, w.anders.person_id)
    referral_status(actor=nurse, referral_id=r.pk, status="sent")
    return {"referral": CareReferral.objects.get(pk=r.pk)}


def test_no_summary_without_a_consent_in_force(w, nurse, care):
    r = care["referral"]
    before = _snapshot()
    with pytest.raises(Conflict) as exc:
        handover_produce(actor=nurse, referral_id=r.pk)
    assert exc.value.rule == "consent" and "consent" in exc.value.message
    assert _snapshot() == before
    consent = consent_record(
        actor=nurse, referral_id=r.pk, given="written", scope=["medication"], given_on=TODAY
    )
    consent_withdraw(actor=nurse, consent_id=consent.pk)
    before = _snapshot()
    with pytest.raises(Conflict):
        handover_produce(actor=nurse, referral_id=r.pk)
    assert _snapshot() == before


def test_the_summary_holds_the_consented_sections_only(w, nurse, care):
    r = care["referral"]
    consent = consent_record(
        actor=nurse,
        referral_id=r.pk,
        given="oral",
        scope=["medication", "purpose"],
        given_on=TODAY - DAY,
    )
    assert consent.scope == ["purpose", "medication"]  # in the summary's order
    summary = handover_produce(actor=nurse, referral_id=r.pk)
    c = summary.content
    assert summary.consent_id == consent.pk and summary.person_id == w.anders.person_id
    assert c["sections"] == ["purpose", "medication"]
    assert not {"person", "observation", "appointments"} & set(c)
    assert "Anders" not in str(c) and w.anders.person.person_number not in str(c)
    assert "Selvmord" not in str(c) and "Dr. Berg" not in str(c)
    assert c["purpose"] == {
        "provider_kind": "Opioid substitution treatment (LAR)",
        "purpose": PURPOSE,
        "status": "Sent",
        "first_appointment_at": None,
    }
    assert [
        (m["medicine"], m["rounds"], m["as_needed"], m["controlled"]) for m in c["medication"]
    ] == [("Metadon", ["Morning"], False, True), ("Paracet", ["Morning"], True, False)]
    assert c["provider"] == {"name": "LAR Oslo", "contact": "Inntak, tlf. 23 02 60 00"}
    assert c["consent"] == {
        "given": "Orally, noted by the clinician",
        "given_on": "2026-03-01",
        "scope": ["purpose", "medication"],
    }
    assert (c["produced_by"], c["facility"], c["produced_at"]) == (
        "Nurse Helse",
        "Fjellvik fengsel",
        NOW.isoformat(),
    )
    (event,) = changes("health.handover.produce")
    assert event.data == {
        "referral_id": r.pk,
        "consent_id": consent.pk,
        "sections": ["purpose", "medication"],
    }
    assert main_log_is_clean("Metadon", PURPOSE)


def test_a_summary_with_every_section_is_kept_as_produced(w, nurse, care):
    r = care["referral"]
    consent_record(
        actor=nurse,
        referral_id=r.pk,
        given="written",
        scope=["person", "purpose", "medication", "observation", "appointments"],
        given_on=TODAY,
    )
    summary = handover_produce(actor=nurse, referral_id=r.pk)
    c = summary.content
    assert c["person"] == {
        "name": "Anders Ås",
        "person_number": w.anders.person.person_number,
        "birth_date": "1990-05-17",
        "expected_release": "2026-04-11",
    }
    assert c["observation"]["level"] == "Close"
    assert c["observation"]["crises"] == [
        {
            "occurred_at": (NOW - dt.timedelta(hours=4)).isoformat(),
            "kind": "Suicidal statements or plans",
            "steps": ["Doctor called", "Observation level set or raised"],
        }
    ]
    assert "Uttalte planer" not in str(c)  # the crisis note stays in the record
    assert c["appointments"] == [
        {
            "starts_at": (NOW - 10 * DAY).isoformat(),
            "service": "Doctor",
            "clinician": "Dr. Berg",
            "status": "Attended",
        }
    ]
    # Later changes to the record do not change the summary that was produced.
    prescription(w.anders, "Quetiapin")
    assert HandoverSummary.objects.get(pk=summary.pk).content == c


def test_consent_is_refused_when_bad_or_already_in_force(w, nurse, care):
    r = care["referral"]
    cases = [
        ({"given": "telepathy"}, DomainError, "given"),
        ({"scope": []}, DomainError, "scope"),
        ({"scope": ["medication", "everything"]}, DomainError, "scope"),
        ({"given_on": TODAY + DAY}, DomainError, "given_on"),
    ]
    for fields, error, field in cases:
        before = _snapshot()
        args = {"given": "written", "scope": ["medication"], "given_on": TODAY, **fields}
        with pytest.raises(error) as exc:
            consent_record(actor=nurse, referral_id=r.pk, **args)
        assert exc.value.field == field
        assert _snapshot() == before
    consent = consent_record(
        actor=nurse, referral_id=r.pk, given="written", scope="medication", given_on=TODAY
    )
    assert consent.scope == ["medication"]
    assert changes("health.consent.record")[-1].data == {
        "referral_id": r.pk,
        "given": "written",
        "scope": ["medication"],
    }
    before = _snapshot()
    with pytest.raises(Conflict):
        consent_record(
            actor=nurse, referral_id=r.pk, given="oral", scope=["person"], given_on=TODAY
        )
    with pytest.raises(NotFound):
        consent_withdraw(actor=nurse, consent_id=consent.pk + 100)
    assert _snapshot() == before
    withdrawn = consent_withdraw(actor=nurse, consent_id=consent.pk)
    assert withdrawn.withdrawn_at == NOW
    assert changes("health.consent.withdraw")[-1].data == {"referral_id": r.pk}
    before = _snapshot()
    with pytest.raises(Conflict):
        consent_withdraw(actor=nurse, consent_id=consent.pk)
    assert _snapshot() == before


def test_a_closed_referral_takes_no_consent_and_no_summary(w, nurse, care):
    r = care["referral"]
    consent_record(
        actor=nurse, referral_id=r.pk, given="written", scope=["medication"], given_on=TODAY
    )
    referral_status(actor=nurse, referral_id=r.pk, status="declined", note="Ingen kapasitet")
    before = _snapshot()
    with pytest.raises(Conflict):
        handover_produce(actor=nurse, referral_id=r.pk)
    assert _snapshot() == before


def test_others_cannot_touch_referrals_consents_or_summaries(w, users, estate, nurse, care):
    from ..factories import UserFactory

    r = care["referral"]
    consent = consent_record(
        actor=nurse, referral_id=r.pk, given="written", scope=["medication"], given_on=TODAY
    )
    elsewhere = UserFactory(
        username="lyn_nurse", role="health", profession="nurse", facility=estate.lower
    )
    before = _snapshot()
    for actor in (users["officer"], users["facility_leader"], users["admin"], elsewhere):
        with pytest.raises(NotFound):
            referral_status(actor=actor, referral_id=r.pk, status="accepted")
        with pytest.raises(NotFound):
            consent_withdraw(actor=actor, consent_id=consent.pk)
        with pytest.raises(NotFound):
            handover_produce(actor=actor, referral_id=r.pk)
    assert _snapshot() == before
