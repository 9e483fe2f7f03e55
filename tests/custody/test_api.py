"""The API: bad input gets a 4xx with a clear message and changes nothing; bearer tokens work."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from normalitet.custody.models import CustodyEpisode, Movement
from normalitet.identity.auth import token_create
from normalitet.identity.models import ApiToken
from normalitet.people.models import Person

from .helpers import admitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def cm_client(users):
    c = Client()
    c.force_login(users["case_manager"])
    return c


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _snapshot():
    return (Person.objects.count(), CustodyEpisode.objects.count(), Movement.objects.count())


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"legal_status": "remand", "facility_id": 1}, 400, "person"),
        ({"person_id": 999999, "legal_status": "remand", "facility_id": "{f}"}, 400, "person_id"),
        (
            {
                "person": {
                    "given_names": "A",
                    "family_name": "B",
                    "birth_date": "1990-02-30",
                    "gender": "male",
                },
                "legal_status": "remand",
                "facility_id": "{f}",
            },
            422,
            "person.birth_date",
        ),
        (
            {
                "person": {
                    "given_names": "A",
                    "family_name": "B",
                    "birth_date": "1990-02-10",
                    "gender": "male",
                    "national_id": "12345678901",
                },
                "legal_status": "remand",
                "facility_id": "{f}",
            },
            400,
            "national_id",
        ),
        (
            {
                "person": {
                    "given_names": "A",
                    "family_name": "B",
                    "birth_date": "1990-02-10",
                    "gender": "male",
                },
                "legal_status": "holiday",
                "facility_id": "{f}",
            },
            400,
            "legal_status",
        ),
        (
            {
                "person": {
                    "given_names": "A",
                    "family_name": "B",
                    "birth_date": "1990-02-10",
                    "gender": "male",
                },
                "legal_status": "remand",
                "facility_id": "{lower}",
            },
            400,
            "facility",
        ),
        ("not json", 400, None),
    ],
)
def test_bad_admission_is_refused_clearly_and_changes_nothing(
    cm_client, estate, body, status, field
):
    before = _snapshot()
    if isinstance(body, dict):
        raw = (
            json.dumps(body)
            .replace('"{f}"', str(estate.high.pk))
            .replace('"{lower}"', str(estate.lower.pk))
        )
    else:
        raw = body
    r = cm_client.post("/api/v1/custody/admissions", raw, content_type="application/json")
    assert r.status_code == status, r.content
    errors = r.json().get("errors") or r.json().get("detail")
    assert errors
    if field:
        assert errors[0]["field"] == field and errors[0]["message"]
    assert _snapshot() == before


def test_full_cell_through_api_is_409(cm_client, estate, users):
    admitted(users, estate.high, estate.cells_a[0])
    other = admitted(users, estate.high)
    r = _post(
        cm_client, f"/api/v1/custody/episodes/{other.pk}/cell", {"cell_id": estate.cells_a[0].pk}
    )
    assert r.status_code == 409
    assert r.json()["errors"][0] == {
        "field": "cell",
        "message": "The cell is full.",
        "rule": "capacity",
    }
    other.refresh_from_db()
    assert other.cell is None


def test_admit_allocate_transfer_flow(cm_client, estate, users):
    r = _post(
        cm_client,
        "/api/v1/custody/admissions",
        {
            "person": {
                "given_names": "Nils",
                "family_name": "Nyhus",
                "birth_date": "1985-04-01",
                "gender": "male",
                "languages": ["nb"],
            },
            "legal_status": "sentenced",
            "facility_id": estate.high.pk,
        },
    )
    assert r.status_code == 201
    ep = r.json()
    r = _post(
        cm_client, f"/api/v1/custody/episodes/{ep['id']}/cell", {"cell_id": estate.cells_a[1].pk}
    )
    assert r.status_code == 200 and r.json()["location"]["cell"] == "A2"
    r = _post(
        cm_client,
        f"/api/v1/custody/episodes/{ep['id']}/transfer",
        {"to_facility_id": estate.lower.pk, "reason": "Lower security"},
    )
    assert r.status_code == 200
    assert r.json()["location"]["facility"] == "Lyngmo fengsel"
    # now outside this case manager's caseload
    assert cm_client.get(f"/api/v1/persons/{ep['person_id']}").status_code == 404
    r = _post(cm_client, f"/api/v1/custody/episodes/{ep['id']}/release", {"reason": "served"})
    assert r.status_code == 404


def test_roll_and_count(cm_client, estate, users):
    admitted(users, estate.high, estate.cells_a[0])
    r = cm_client.get(f"/api/v1/facilities/{estate.high.pk}/roll")
    assert r.status_code == 200
    data = r.json()
    assert data["total"]["in_cell"] == 1 and data["total"]["places"] == 7
    r = _post(
        cm_client,
        f"/api/v1/facilities/{estate.high.pk}/counts",
        {"unit_id": estate.unit_a.pk, "counted": 0},
    )
    assert r.status_code == 201 and r.json()["discrepancy"] == -1
    r = _post(
        cm_client,
        f"/api/v1/facilities/{estate.high.pk}/counts",
        {"unit_id": estate.unit_a.pk, "counted": -3},
    )
    assert r.status_code == 422


def test_bearer_token(estate, users):
    admitted(users, estate.high, estate.cells_a[0], given_names="Tora")
    raw = token_create(user=users["case_manager"])
    assert ApiToken.objects.get().digest != raw
    c = Client()
    r = c.get("/api/v1/persons?search=tora", headers={"Authorization": f"Bearer {raw}"})
    assert r.status_code == 200 and r.json()[0]["given_names"] == "Tora"
    r = c.get("/api/v1/persons?search=tora", headers={"Authorization": "Bearer nrm_wrong"})
    assert r.status_code == 401
    r = c.get("/api/v1/whoami", headers={"Authorization": f"Bearer {raw}"})
    assert r.json()["role"] == "case_manager"


def test_session_post_needs_csrf(estate, users):
    c = Client(enforce_csrf_checks=True)
    c.force_login(users["case_manager"])
    before = _snapshot()
    r = _post(
        c,
        "/api/v1/custody/admissions",
        {
            "person": {
                "given_names": "A",
                "family_name": "B",
                "birth_date": "1985-04-01",
                "gender": "male",
            },
            "legal_status": "remand",
            "facility_id": estate.high.pk,
        },
    )
    assert r.status_code in (401, 403)
    assert _snapshot() == before


def test_openapi_schema(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for p in (
        "/api/v1/persons",
        "/api/v1/persons/{person_id}",
        "/api/v1/facilities",
        "/api/v1/facilities/{facility_id}/roll",
        "/api/v1/custody/admissions",
    ):
        assert p in paths


def test_location_alert_non_association_patch_and_units(cm_client, estate, users):
    ep = admitted(users, estate.high, estate.cells_a[0], given_names="Vera")
    other = admitted(users, estate.high, estate.cells_b[0])
    r = cm_client.get(
        f"/api/v1/persons/{ep.person_id}/location", {"at": ep.admitted_at.isoformat()}
    )
    assert r.status_code == 200 and r.json()["in_custody"] and r.json()["cell_id"] is None
    r = cm_client.get(f"/api/v1/persons/{ep.person_id}/location", {"at": "yesterday"})
    assert r.status_code == 422
    r = _post(
        cm_client,
        f"/api/v1/persons/{ep.person_id}/alerts",
        {"kind": "escape", "text": "Escape plans found", "active_from": "2026-01-01"},
    )
    assert r.status_code == 201 and r.json()["kind"] == "escape"
    r = _post(
        cm_client,
        f"/api/v1/persons/{ep.person_id}/alerts",
        {"kind": "escape", "text": "x", "active_from": "2026-01-02", "active_to": "2026-01-01"},
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "active_to"
    r = _post(
        cm_client,
        f"/api/v1/persons/{ep.person_id}/non-associations",
        {"other_person_id": other.person_id, "scope": "unit", "reason": "Threats"},
    )
    assert r.status_code == 201
    r = cm_client.patch(
        f"/api/v1/persons/{ep.person_id}",
        json.dumps({"family_name": "Vik", "languages": ["nb", "en"]}),
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["family_name"] == "Vik"
    assert r.json()["languages"] == ["nb", "en"]
    r = cm_client.get(f"/api/v1/facilities/{estate.high.pk}/units")
    cells = {c["code"]: c for u in r.json() for c in u["cells"]}
    assert cells["B1"]["occupants"] == 1 and cells["A2"]["occupants"] == 0


def test_every_api_schema_has_its_own_name():
    """The OpenAPI document names schemas by class name, and keeps only one of two schemas with
    the same name: every schema class of the API must be named uniquely."""
    from ninja import Schema

    from normalitet.config.api import api

    api.get_openapi_schema()  # imports every router's schemas

    def subclasses(cls: type) -> list[type]:
        found = []
        for sub in cls.__subclasses__():
            found += [sub, *subclasses(sub)]
        return found

    ours = [c for c in subclasses(Schema) if c.__module__.startswith("normalitet.")]
    names = [c.__name__ for c in ours]
    assert len(ours) > 50
    assert sorted({n for n in names if names.count(n) > 1}) == []
