"""The API of continuity of care under /api/v1/health/: referrals, status changes, consents and
handover summaries, with the same refusals as the services; 404 for prison staff and for a person
outside the facility; reads logged. Time is frozen at Monday 2 March 2026, 10:30 in Oslo."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from normalitet.health.models import CareReferral, HandoverConsent, HandoverSummary

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
from .helpers import API, client_for, post_json

pytestmark = pytest.mark.django_db
PURPOSE = "Oppfølging i DPS etter løslatelse"


@pytest.fixture
def w(users: dict[str, Any], estate: Any, frozen: Any) -> Any:
    return world(users, estate)


def _create(c: Any, person_id: int, **fields: Any) -> Any:
    body = {
        "provider_kind": "mental",
        "provider_name": "DPS Vinderen",
        "purpose": PURPOSE,
        **fields,
    }
    return post_json(c, f"{API}/persons/{person_id}/referrals", body)


def test_the_whole_journey_through_the_api(w, nurse):
    pid = w.anders.person_id
    release(w.anders, TODAY + 30 * DAY)
    prescription(w.anders, "Quetiapin", strength="25 mg")
    c = client_for(nurse)
    listing = c.get(f"{API}/referrals").json()
    assert listing["referrals"] == []
    assert listing["releases_without_referral"] == [
        {
            "person_id": pid,
            "name": "Anders Ås",
            "expected_release": "2026-04-01",
            "days_left": 30,
            "drafts": 0,
        }
    ]

    r = _create(c, pid)
    assert r.status_code == 201
    referral = r.json()
    assert (referral["status"], referral["next_statuses"]) == ("draft", ["sent", "withdrawn"])
    assert [h["status"] for h in referral["history"]] == ["draft"]
    rid = referral["id"]

    r = post_json(c, f"{API}/referrals/{rid}/status", {"status": "accepted"})
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "status"
    r = post_json(c, f"{API}/referrals/{rid}/status", {"status": "sent", "note": "Per post"})
    assert r.status_code == 200 and r.json()["status"] == "sent"
    assert c.get(f"{API}/referrals").json()["releases_without_referral"] == []

    r = post_json(c, f"{API}/referrals/{rid}/handovers", {})
    assert r.status_code == 409 and r.json()["errors"][0]["rule"] == "consent"
    r = post_json(
        c,
        f"{API}/referrals/{rid}/consents",
        {"given": "written", "scope": ["medication", "secrets"], "given_on": "2026-03-02"},
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "scope"
    r = post_json(
        c,
        f"{API}/referrals/{rid}/consents",
        {"given": "written", "scope": ["medication"], "given_on": "2026-03-02"},
    )
    assert r.status_code == 201 and r.json()["in_force"] is True
    consent_id = r.json()["id"]

    r = post_json(c, f"{API}/referrals/{rid}/handovers", {})
    assert r.status_code == 201
    summary = r.json()
    assert summary["consent_id"] == consent_id
    assert summary["content"]["sections"] == ["medication"]
    assert [m["medicine"] for m in summary["content"]["medication"]] == ["Quetiapin"]
    assert "person" not in summary["content"] and "purpose" not in summary["content"]
    got = c.get(f"{API}/handovers/{summary['id']}")
    assert got.status_code == 200 and got.json() == summary
    assert reads(pid, "handover") == 1

    detail = c.get(f"{API}/referrals/{rid}").json()
    assert detail["summary_ids"] == [summary["id"]]
    assert detail["consent_in_force"]["id"] == consent_id
    r = post_json(c, f"{API}/consents/{consent_id}/withdraw", {})
    assert r.status_code == 200 and r.json()["in_force"] is False
    assert post_json(c, f"{API}/consents/{consent_id}/withdraw", {}).status_code == 409
    assert post_json(c, f"{API}/referrals/{rid}/handovers", {}).status_code == 409
    assert HandoverSummary.objects.count() == 1

    people = c.get(f"{API}/persons/{pid}/referrals").json()
    assert [(x["id"], x["consent_in_force"]) for x in people] == [(rid, None)]
    assert reads(pid, "referrals") == 1 and reads(pid, "referral") == 1
    assert main_log_is_clean(PURPOSE, "Quetiapin", "Per post")


def test_the_first_appointment_needs_its_time(w, nurse):
    c = client_for(nurse)
    rid = _create(c, w.anders.person_id).json()["id"]
    post_json(c, f"{API}/referrals/{rid}/status", {"status": "sent"})
    post_json(c, f"{API}/referrals/{rid}/status", {"status": "accepted"})
    r = post_json(c, f"{API}/referrals/{rid}/status", {"status": "appointment"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "first_appointment_at"
    r = post_json(
        c,
        f"{API}/referrals/{rid}/status",
        {"status": "appointment", "first_appointment_at": "2026-04-20T12:00:00+02:00"},
    )
    assert r.status_code == 200
    first = dt.datetime.fromisoformat(r.json()["first_appointment_at"])
    assert first == dt.datetime(2026, 4, 20, 10, 0, tzinfo=dt.UTC)
    r = post_json(c, f"{API}/referrals/{rid}/status", {"status": "declined"})
    assert r.status_code == 409  # an appointment is set: the provider no longer declines
    r = post_json(c, f"{API}/referrals/{rid}/status", {"status": "withdrawn"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "note"
    assert CareReferral.objects.get(pk=rid).status == "appointment"


def test_bad_referral_input_is_refused(w, nurse):
    c = client_for(nurse)
    r = _create(c, w.anders.person_id, provider_kind="nonsense")
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "provider_kind"
    r = post_json(c, f"{API}/persons/{w.anders.person_id}/referrals", {"provider_kind": "gp"})
    assert r.status_code == 422
    assert _create(c, w.away.person_id).status_code == 404
    assert not CareReferral.objects.exists()


@pytest.mark.parametrize("role", PRISON_ROLES)
def test_the_care_api_does_not_exist_for_prison_staff(w, users, nurse, role):
    n = client_for(nurse)
    rid = _create(n, w.anders.person_id).json()["id"]
    consent = post_json(
        n,
        f"{API}/referrals/{rid}/consents",
        {"given": "oral", "scope": ["purpose"], "given_on": "2026-03-02"},
    ).json()
    summary = post_json(n, f"{API}/referrals/{rid}/handovers", {}).json()
    c = client_for(users[role])
    for url in (
        "/referrals",
        f"/referrals/{rid}",
        f"/persons/{w.anders.person_id}/referrals",
        f"/handovers/{summary['id']}",
    ):
        r = c.get(f"{API}{url}")
        assert r.status_code == 404 and PURPOSE not in r.content.decode(), url
    assert _create(c, w.anders.person_id).status_code == 404
    assert post_json(c, f"{API}/referrals/{rid}/status", {"status": "sent"}).status_code == 404
    assert post_json(c, f"{API}/referrals/{rid}/handovers", {}).status_code == 404
    assert post_json(c, f"{API}/consents/{consent['id']}/withdraw", {}).status_code == 404
    assert CareReferral.objects.get().status == "draft"
    assert HandoverConsent.objects.get().withdrawn_at is None
    assert HandoverSummary.objects.count() == 1
