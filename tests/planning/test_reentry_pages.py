"""Reentry pages and API: the person's readiness page and its forms, the facility's release list,
the caseload's release flags, and who may see and change what (officers view and cannot edit;
outside the caseload is 404; health, teacher and regional staff see nothing). Time is frozen at
2 March 2026."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from normalitet.audit.models import AuditEvent
from normalitet.planning.models import CoordinationConsent, Referral
from normalitet.planning.reentry import consent_record, referral_add

from ..factories import CellFactory
from .helpers import capacity
from .reentry_helpers import OLDER, inside

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)
REFERRAL = {
    "partner": "nav",
    "partner_name": "NAV Fjellvik",
    "area": "income",
    "purpose": "Avklare arbeidsavklaringspenger",
    "sent_on": "2026-02-27",
}


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _state():
    return (
        list(Referral.objects.order_by("pk").values_list("pk", "status", "status_on", "note")),
        CoordinationConsent.objects.count(),
        AuditEvent.objects.filter(kind="change").count(),
    )


@pytest.fixture
def young(estate, users, frozen):
    return inside(users, estate, estate.cells_a[0], given_names="Sindre")


def _refer(users, episode, **kw):
    data = {**REFERRAL, "sent_on": dt.date(2026, 2, 27), **kw}
    return referral_add(actor=users["contact_officer"], episode=episode, **data)


def test_readiness_page_shows_areas_referrals_and_the_section_41_flag(young, users):
    c = _client(users["contact_officer"])
    url = f"/persons/{young.person_id}/reentry/"
    body = c.get(url).content.decode()
    assert 'id="section-41-ask"' in body and "Ask about consent (SGL § 41)" in body
    assert 'id="area-housing"' in body and "Readiness window open" in body
    assert "60 days left." in body and "No referrals yet." in body
    assert AuditEvent.objects.filter(action="view.person.reentry", person_id=young.person_id)

    _refer(users, young)
    consent_record(
        actor=users["contact_officer"],
        episode=young,
        consents=True,
        given_on=TODAY,
        coordinator="NAV Grünerløkka, veileder Kari Hansen",
    )
    body = c.get(url).content.decode()
    assert 'id="section-41-problems"' in body
    assert "SGL § 41 duty not met: no referral for housing." in body
    assert "no referral for income" not in body
    assert "NAV Fjellvik" in body and "Avklare arbeidsavklaringspenger" in body
    assert "NAV Grünerløkka, veileder Kari Hansen" in body
    assert f"/persons/{young.person_id}/reentry/referrals/new/?area=housing" in body


def test_add_a_referral_and_update_it_through_the_forms(young, users):
    c = _client(users["contact_officer"])
    base = f"/persons/{young.person_id}/reentry"
    assert c.get(f"{base}/referrals/new/?area=housing").status_code == 200
    r = c.post(f"{base}/referrals/new/", {**REFERRAL, "sent_on": "2026-03-03"})
    assert r.status_code == 400 and "cannot be sent in the future" in r.content.decode()
    assert Referral.objects.count() == 0
    r = c.post(f"{base}/referrals/new/", {**REFERRAL, "sent_on": ""})
    assert r.status_code == 302 and r["Location"] == f"{base}/"
    ref = Referral.objects.get()
    assert (ref.area, ref.sent_on, ref.created_by) == ("income", TODAY, users["contact_officer"])

    url = f"{base}/referrals/{ref.pk}/status/"
    assert "NAV Fjellvik: Avklare" in c.get(url).content.decode()
    r = c.post(url, {"status": "withdrawn", "status_on": "2026-03-02", "note": ""})
    assert r.status_code == 400 and "Say why the referral was declined or withdrawn." in (
        r.content.decode()
    )
    r = c.post(url, {"status": "accepted", "status_on": "2026-03-02", "note": "Møte 20. april"})
    assert r.status_code == 302
    ref.refresh_from_db()
    assert (ref.status, ref.note) == ("accepted", "Møte 20. april")


def test_record_consent_through_the_form(young, estate, users):
    c = _client(users["case_manager"])
    url = f"/persons/{young.person_id}/reentry/consent/"
    assert "SGL § 41" in c.get(url).content.decode()
    r = c.post(url, {"consents": "yes", "given_on": "2026-03-02", "coordinator": ""})
    assert r.status_code == 400 and "A consent needs a coordinator" in r.content.decode()
    r = c.post(url, {"consents": "yes", "given_on": "2026-03-02", "coordinator": "NAV Fjellvik"})
    assert r.status_code == 302
    assert CoordinationConsent.objects.get().coordinator == "NAV Fjellvik"
    older = inside(users, estate, estate.cells_a[1], born=OLDER)
    r = c.post(
        f"/persons/{older.person_id}/reentry/consent/",
        {"consents": "no", "given_on": "2026-03-02"},
    )
    assert r.status_code == 400 and "persons under 25" in r.content.decode()
    assert CoordinationConsent.objects.count() == 1


def test_officer_may_view_and_cannot_edit(young, users):
    ref = _refer(users, young)
    officer = _client(users["officer"])
    base = f"/persons/{young.person_id}/reentry"
    body = officer.get(f"{base}/").content.decode()
    assert "NAV Fjellvik" in body and "Add a referral" not in body and "Update" not in body
    before = _state()
    assert officer.get(f"{base}/referrals/new/").status_code == 404
    assert officer.post(f"{base}/referrals/new/", REFERRAL).status_code == 404
    assert (
        officer.post(
            f"{base}/referrals/{ref.pk}/status/", {"status": "accepted", "status_on": "2026-03-02"}
        ).status_code
        == 404
    )
    assert (
        officer.post(f"{base}/consent/", {"consents": "no", "given_on": "2026-03-02"}).status_code
        == 404
    )
    api = f"/api/v1/planning/persons/{young.person_id}/reentry"
    assert officer.get(api).status_code == 200
    r = _post_json(officer, f"{api}/referrals", REFERRAL)
    assert r.status_code == 403
    r = _post_json(officer, f"{api}/referrals/{ref.pk}/status", {"status": "accepted"})
    assert r.status_code == 403
    r = _post_json(officer, f"{api}/consent", {"consents": False})
    assert r.status_code == 403
    assert _state() == before


@pytest.mark.parametrize("role", ["health", "teacher", "regional", "lower_case_manager"])
def test_others_see_nothing_and_change_nothing(young, users, estate, role):
    ref = _refer(users, young)
    c = _client(users[role])
    base = f"/persons/{young.person_id}/reentry"
    api = f"/api/v1/planning/persons/{young.person_id}/reentry"
    before = _state()
    for url in (f"{base}/", f"{base}/referrals/new/", f"{base}/consent/"):
        r = c.get(url)
        assert r.status_code == 404 and "Sindre" not in r.content.decode()
    assert c.post(f"{base}/referrals/new/", REFERRAL).status_code == 404
    r = c.get(api)
    assert r.status_code == 404 and "Sindre" not in r.content.decode()
    assert _post_json(c, f"{api}/referrals", REFERRAL).status_code == 404
    assert (
        _post_json(c, f"{api}/referrals/{ref.pk}/status", {"status": "accepted"}).status_code == 404
    )
    assert _post_json(c, f"{api}/consent", {"consents": False}).status_code == 404
    assert c.get(f"/planning/facilities/{estate.high.pk}/releases/").status_code == 404
    assert c.get(f"/api/v1/planning/facilities/{estate.high.pk}/releases").status_code == 404
    assert _state() == before


def test_a_referral_of_another_person_is_404(young, estate, users):
    other = inside(users, estate, estate.cells_a[1], given_names="Tor")
    ref = _refer(users, other)
    c = _client(users["contact_officer"])
    assert (
        c.get(f"/persons/{young.person_id}/reentry/referrals/{ref.pk}/status/").status_code == 404
    )
    r = _post_json(
        c,
        f"/api/v1/planning/persons/{young.person_id}/reentry/referrals/{ref.pk}/status",
        {"status": "accepted"},
    )
    assert r.status_code == 404
    assert Referral.objects.get().status == "sent"


def test_api_round_trip(young, users):
    c = _client(users["contact_officer"])
    api = f"/api/v1/planning/persons/{young.person_id}/reentry"
    data = c.get(api).json()
    assert data["window_open"] is True and data["days_left"] == 60 and data["age"] == 22
    assert data["section_41"]["ask_consent"] is True and data["section_41"]["applies"] is False
    assert [a["area"] for a in data["areas"]] == ["housing", "income", "care", "id_bank", "network"]
    assert data["areas"][1]["needs"] == [
        {"domain": "work_education", "status": ""},
        {"domain": "finances", "status": ""},
    ]
    r = _post_json(c, f"{api}/referrals", {**REFERRAL, "partner": "police"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "partner"
    r = _post_json(c, f"{api}/referrals", REFERRAL)
    assert r.status_code == 201, r.content
    ref = r.json()
    assert (ref["status"], ref["status_on"], ref["area"]) == ("sent", "2026-02-27", "income")
    r = _post_json(c, f"{api}/referrals/{ref['id']}/status", {"status": "in_place"})
    assert r.status_code == 200 and r.json()["status_on"] == "2026-03-02"
    r = _post_json(c, f"{api}/consent", {"consents": True})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "coordinator"
    r = _post_json(c, f"{api}/consent", {"consents": True, "coordinator": "NAV Fjellvik"})
    assert r.status_code == 201 and r.json()["consents"] is True
    data = c.get(api).json()
    assert data["areas"][1]["status"] == "in_place"
    assert data["section_41"]["applies"] is True
    assert data["section_41"]["missing"] == ["housing"]
    assert data["section_41"]["problems"] == ["SGL § 41 duty not met: no referral for housing."]


def test_facility_release_list_page_and_api(young, estate, users):
    inside(
        users,
        estate,
        estate.cells_a[1],
        born=OLDER,
        given_names="Arne",
        release=dt.date(2026, 3, 20),
    )
    inside(users, estate, estate.cells_a[2], given_names="Later", release=dt.date(2026, 9, 1))
    consent_record(
        actor=users["contact_officer"],
        episode=young,
        consents=True,
        given_on=TODAY,
        coordinator="NAV",
    )
    c = _client(users["case_manager"])
    body = c.get(f"/planning/facilities/{estate.high.pk}/releases/").content.decode()
    assert 'id="duty-not-met"' in body and "The SGL § 41 duty is not met for 1 person." in body
    assert body.index("Arne") < body.index("Sindre") and "Later" not in body
    assert "no referral for housing" in body
    rows = c.get(f"/api/v1/planning/facilities/{estate.high.pk}/releases").json()
    assert [(r["name"].split()[0], r["days_left"]) for r in rows] == [("Arne", 18), ("Sindre", 60)]
    assert rows[1]["section_41"]["missing"] == ["housing", "income"]
    assert rows[0]["section_41"]["applies"] is False
    assert {a["area"]: a["status"] for a in rows[0]["areas"]}["housing"] == "not_started"
    assert (
        _client(users["officer"])
        .get(f"/planning/facilities/{estate.high.pk}/releases/")
        .status_code
        == 200
    )
    assert c.get(f"/planning/facilities/{estate.lower.pk}/releases/").status_code == 404


def test_caseload_shows_the_window_and_section_41_problems(young, estate, users):
    inside(
        users,
        estate,
        estate.cells_a[1],
        born=OLDER,
        given_names="Arne",
        release=dt.date(2027, 6, 1),
    )
    consent_record(
        actor=users["contact_officer"],
        episode=young,
        consents=True,
        given_on=TODAY,
        coordinator="NAV",
    )
    body = _client(users["contact_officer"]).get("/planning/caseload/").content.decode()
    assert "Readiness window open" in body and 'id="section-41-unmet"' in body
    assert "The SGL § 41 duty is not met for 1 person." in body
    assert "SGL § 41 duty not met: no referral for income or a job." in body
    assert body.count("Readiness window open") == 1  # Arne leaves in 2027
    assert f"/persons/{young.person_id}/reentry/" in body


def test_plan_page_links_to_readiness(young, users):
    body = _client(users["officer"]).get(f"/persons/{young.person_id}/plan/").content.decode()
    assert f'href="/persons/{young.person_id}/reentry/"' in body


def test_caseload_with_reentry_costs_the_same_for_2_and_10_persons(estate, users, frozen):
    co = users["contact_officer"]
    capacity(co, 20)

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            e = inside(users, estate, CellFactory(unit=estate.unit_a, code=f"C{i}"))
            _refer(users, e)
            consent_record(actor=co, episode=e, consents=True, given_on=TODAY, coordinator="NAV")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert _client(co).get("/planning/caseload/").status_code == 200
        return len(ctx.captured_queries)

    add(2, 0)
    few = count()
    add(8, 2)
    assert count() == few


def test_caseload_api_says_what_release_preparation_still_needs(estate, users, frozen):
    young = inside(users, estate, estate.cells_a[0], given_names="Ung")
    older = inside(users, estate, estate.cells_a[1], born=OLDER, given_names="Eldre")
    co = users["contact_officer"]
    c = Client()
    c.force_login(co)
    rows = {r["person_id"]: r for r in c.get("/api/v1/planning/caseload").json()["persons"]}
    assert rows[young.person_id]["release_preparation"]["ask_consent"] is True
    assert rows[older.person_id]["release_preparation"]["ask_consent"] is False
    consent_record(
        actor=co,
        episode=young,
        consents=True,
        given_on=frozen.date(),
        coordinator="NAV Grünerløkka, veileder Kari Hansen",
    )
    rows = {r["person_id"]: r for r in c.get("/api/v1/planning/caseload").json()["persons"]}
    prep = rows[young.person_id]["release_preparation"]
    assert prep["section_41_applies"] and prep["window_open"] and prep["referrals"] == 0
    assert prep["section_41_missing"] == ["housing", "income"]
