"""The pages of continuity of care: the facility's referrals and the releases lacking one, a
person's referrals, one referral (status, consent, summaries) and the printable summary. Health
staff of the facility only (else 404); every read of a person is logged. Time is frozen at
Monday 2 March 2026, 10:30 in Oslo."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from normalitet.health.models import CareReferral, HandoverConsent, HandoverSummary
from normalitet.health.services_care import (
    consent_record,
    handover_produce,
    referral_create,
    referral_status,
)

from .builders_record import (
    DAY,
    PRISON_ROLES,
    TODAY,
    main_log_is_clean,
    prescription,
    reads,
    release,
    world,
)
from .helpers import client_for

pytestmark = pytest.mark.django_db
PURPOSE = "Fortsatt LAR uten opphold etter løslatelse"


@pytest.fixture
def w(users: dict[str, Any], estate: Any, frozen: Any) -> Any:
    return world(users, estate)


def _referral(actor: Any, episode: Any, name: str = "LAR Oslo") -> CareReferral:
    return referral_create(
        actor=actor,
        person_id=episode.person_id,
        provider_kind="opioid",
        provider_name=name,
        purpose=PURPOSE,
    )


def test_the_facility_referrals_and_releases_lacking_one(w, nurse):
    release(w.anders, TODAY + 12 * DAY)
    release(w.berit, TODAY + 40 * DAY)
    draft = _referral(nurse, w.anders)
    sent = _referral(nurse, w.berit, "DPS Vinderen")
    referral_status(actor=nurse, referral_id=sent.pk, status="sent")
    c = client_for(nurse)
    body = c.get("/health/referrals/").content.decode()
    releases = body[body.index('id="releases"') : body.index('id="h-referrals"')]
    assert "Anders Ås" in releases and "Being prepared, not sent" in releases
    assert "Berit Øvre" not in releases
    table = body[body.index('id="referrals"') :]
    assert table.index("LAR Oslo") < table.index("DPS Vinderen")  # soonest release first
    body = c.get("/health/referrals/", {"status": "sent"}).content.decode()
    table = body[body.index('id="referrals"') :]
    assert "DPS Vinderen" in table and f'id="referral-{draft.pk}"' not in table
    assert 'href="?status=sent" aria-current="page"' in body
    assert c.get("/health/referrals/", {"status": "bogus"}).status_code == 200


def test_a_referral_is_made_from_the_person_page(w, nurse):
    pid = w.anders.person_id
    c = client_for(nurse)
    url = f"/health/persons/{pid}/referrals/"
    body = c.get(url).content.decode()
    assert "No referrals yet." in body and "Prepare the referral" in body
    r = c.post(url, {"provider_kind": "opioid", "provider_name": "", "purpose": PURPOSE})
    assert r.status_code == 400 and not CareReferral.objects.exists()
    r = c.post(
        url,
        {
            "provider_kind": "opioid",
            "provider_name": "LAR Oslo",
            "provider_contact": "Inntak",
            "purpose": PURPOSE,
        },
    )
    referral = CareReferral.objects.get()
    assert r.status_code == 302 and r.url == f"/health/referrals/{referral.pk}/"
    assert (referral.person_id, referral.status) == (pid, "draft")
    assert "LAR Oslo" in c.get(url).content.decode()
    assert reads(pid, "referrals") == 4  # every page, the posts included
    assert main_log_is_clean(PURPOSE)


def test_the_referral_page_moves_it_on(w, nurse):
    referral = _referral(nurse, w.anders)
    c = client_for(nurse)
    url = f"/health/referrals/{referral.pk}/"
    body = c.get(url).content.decode()
    assert PURPOSE in body and "Being prepared" in body
    assert "Record the person's consent before a summary can be produced." in body
    assert c.post(url, {"action": "status", "status-status": "sent"}).status_code == 302
    assert c.post(url, {"action": "status", "status-status": "accepted"}).status_code == 302
    r = c.post(url, {"action": "status", "status-status": "appointment"})
    assert r.status_code == 400
    assert "Give the date and time of the first appointment." in r.content.decode()
    r = c.post(
        url,
        {
            "action": "status",
            "status-status": "appointment",
            "status-first_appointment_at": "2026-04-20T12:00",
        },
    )
    assert r.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "appointment"
    assert referral.first_appointment_at == dt.datetime(2026, 4, 20, 10, 0, tzinfo=dt.UTC)
    body = c.get(url).content.decode()
    assert "First appointment set" in body and "Accepted by the provider" in body
    # Not a next status: the form refuses it.
    r = c.post(url, {"action": "status", "status-status": "sent"})
    assert r.status_code == 400
    assert reads(w.anders.person_id, "referral") == 7


def test_consent_and_the_printable_summary(w, nurse):
    prescription(w.anders, "Metadon", controlled=True)
    referral = _referral(nurse, w.anders)
    c = client_for(nurse)
    url = f"/health/referrals/{referral.pk}/"
    r = c.post(url, {"action": "handover"})
    assert r.status_code == 409 and "No consent is in force" in r.content.decode()
    assert not HandoverSummary.objects.exists()
    r = c.post(
        url, {"action": "consent", "consent-given": "written", "consent-given_on": "2026-03-02"}
    )
    assert r.status_code == 400 and not HandoverConsent.objects.exists()  # no section chosen
    r = c.post(
        url,
        {
            "action": "consent",
            "consent-given": "written",
            "consent-scope": ["medication", "purpose"],
            "consent-given_on": "2026-03-02",
        },
    )
    assert r.status_code == 302
    consent = HandoverConsent.objects.get()
    assert consent.scope == ["purpose", "medication"]
    r = c.post(url, {"action": "handover"})
    summary = HandoverSummary.objects.get()
    assert r.status_code == 302
    assert r.url == f"/health/referrals/{referral.pk}/handover/{summary.pk}/"
    body = c.get(r.url).content.decode()
    assert "Handover summary" in body and "Metadon" in body and PURPOSE in body
    assert "Fjellvik fengsel" in body and "Confidential" in body
    assert "Anders Ås" not in body.split('id="summary"')[1]  # the person was not in the scope
    shared = "<dd>The referral and its purpose; Current medication</dd>"
    assert shared in body  # the sections agreed to, without a trailing separator
    assert 'class="app-actions"' in body  # the menus are left out of the print
    assert "style=" not in body and "<script>" not in body
    assert reads(w.anders.person_id, "handover") == 1
    assert c.get(f"/health/referrals/{referral.pk + 1}/handover/{summary.pk}/").status_code == 404
    r = c.post(url, {"action": f"withdraw:{consent.pk}"})
    assert r.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    r = c.post(url, {"action": f"withdraw:{consent.pk}"})
    assert r.status_code == 409 and "already withdrawn" in r.content.decode()
    assert c.post(url, {"action": "withdraw:999999"}).status_code == 404
    assert main_log_is_clean(PURPOSE, "Metadon")


@pytest.mark.parametrize("role", PRISON_ROLES)
def test_care_pages_do_not_exist_for_prison_staff(w, users, nurse, role):
    referral = _referral(nurse, w.anders)
    consent_record(
        actor=nurse, referral_id=referral.pk, given="oral", scope=["person"], given_on=TODAY
    )
    summary = handover_produce(actor=nurse, referral_id=referral.pk)
    c = client_for(users[role])
    for url in (
        "/health/referrals/",
        f"/health/persons/{w.anders.person_id}/referrals/",
        f"/health/referrals/{referral.pk}/",
        f"/health/referrals/{referral.pk}/handover/{summary.pk}/",
    ):
        r = c.get(url)
        assert r.status_code == 404, url
        assert PURPOSE not in r.content.decode()
    assert c.post(f"/health/referrals/{referral.pk}/", {"action": "handover"}).status_code == 404
    assert HandoverSummary.objects.count() == 1


def test_care_pages_of_a_person_outside_the_facility_are_404(w, users, estate):
    from ..factories import UserFactory

    nurse_there = UserFactory(
        username="lyn_nurse", role="health", profession="nurse", facility=estate.lower
    )
    referral = _referral(nurse_there, w.away)
    here = client_for(users["health"])
    assert here.get(f"/health/persons/{w.away.person_id}/referrals/").status_code == 404
    assert here.get(f"/health/referrals/{referral.pk}/").status_code == 404
    assert "LAR Oslo" not in here.get("/health/referrals/").content.decode()
    assert client_for(nurse_there).get(f"/health/referrals/{referral.pk}/").status_code == 200


def test_the_referrals_page_costs_the_same_with_more_referrals(w, users, estate, nurse):
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    from ..custody.helpers import admitted

    c = client_for(nurse)

    def count() -> tuple[int, int]:
        with (
            CaptureQueriesContext(connections["default"]) as main,
            CaptureQueriesContext(connections["health"]) as health,
        ):
            assert c.get("/health/referrals/").status_code == 200
        return len(main), len(health)

    _referral(nurse, w.anders)
    release(w.anders, TODAY + 5 * DAY)
    count()
    before = count()
    for i, cell in enumerate(estate.cells_a[1:]):
        ep = admitted(users, estate.high, cell, given_names=f"Ny{i}")
        release(ep, TODAY + 9 * DAY)
        referral_status(actor=nurse, referral_id=_referral(nurse, ep).pk, status="sent")
    assert count() == before
