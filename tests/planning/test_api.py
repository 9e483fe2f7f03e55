"""The planning API: caseload, sessions, needs mapping and allocation, with the shared error
shape and 404 outside the caseload."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from normalitet.identity.roles import Role
from normalitet.planning.models import ContactOfficerAllocation, ContactSession, NeedsAssessment

from ..custody.helpers import admitted
from .helpers import allocated, capacity

pytestmark = pytest.mark.django_db
EDIT = {"contact_officer", "case_manager", "facility_leader"}
VIEW = EDIT | {"officer"}


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _send(client, method, url, body):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_sessions_round_trip(estate, users, frozen):
    episode = allocated(users, estate, estate.cells_a[0])
    c = _client(users["contact_officer"])
    url = f"/api/v1/planning/persons/{episode.person_id}/sessions"
    body = {
        "held_on": "2026-03-02",
        "kind": "external",
        "note": "Møte med NAV-veileder",
        "follow_ups": "Sende søknad",
        "follow_up_due": "2026-03-06",
    }
    r = _send(c, "post", url, body)
    assert r.status_code == 201, r.content
    assert r.json()["officer"] == "contact_officer" and r.json()["kind"] == "external"
    listed = c.get(url).json()
    assert [s["note"] for s in listed] == ["Møte med NAV-veileder"]


@pytest.mark.parametrize(
    ("body", "status", "field", "rule"),
    [
        ({"held_on": "2026-03-09", "kind": "conversation", "note": "x"}, 400, "held_on", None),
        ({"held_on": "2026-03-02", "kind": "chat", "note": "x"}, 400, "kind", None),
        ({"held_on": "2026-03-02", "kind": "conversation", "note": ""}, 422, "note", None),
    ],
)
def test_bad_session_gets_the_error_shape_and_changes_nothing(
    estate, users, frozen, body, status, field, rule
):
    episode = allocated(users, estate, estate.cells_a[0])
    r = _send(
        _client(users["contact_officer"]),
        "post",
        f"/api/v1/planning/persons/{episode.person_id}/sessions",
        body,
    )
    assert r.status_code == status
    error = r.json()["errors"][0]
    assert set(error) == {"field", "message", "rule"} and error["field"] == field
    assert ContactSession.objects.count() == 0


def test_needs_get_and_put(estate, users, frozen):
    episode = allocated(users, estate, estate.cells_a[0])
    c = _client(users["contact_officer"])
    url = f"/api/v1/planning/persons/{episode.person_id}/needs"
    data = c.get(url).json()
    assert data["started"] is False and data["due_on"] == "2026-03-16"
    assert [i["domain"] for i in data["items"]][:2] == ["housing", "work_education"]
    r = _send(c, "put", url, {"items": [{"domain": "housing", "status": "need"}]})
    assert r.status_code == 200 and r.json()["started"] is True
    r = _send(c, "put", url, {"items": [], "complete": True})
    assert r.status_code == 400 and r.json()["errors"][0]["rule"] == "needs-mapping-complete"
    items = [{"domain": i["domain"], "status": "no_need"} for i in data["items"][1:]]
    r = _send(c, "put", url, {"items": items, "complete": True})
    assert r.status_code == 200 and r.json()["completed"] is True
    assert {i["status"] for i in r.json()["items"]} == {"need", "no_need"}


def test_allocation_full_is_409(estate, users):
    capacity(users["contact_officer"], 1)
    allocated(users, estate, estate.cells_a[0])
    other = admitted(users, estate.high, estate.cells_a[1])
    r = _send(
        _client(users["case_manager"]),
        "post",
        f"/api/v1/planning/persons/{other.person_id}/allocation",
        {"officer_id": users["contact_officer"].pk, "reason": "arrival"},
    )
    assert r.status_code == 409
    assert r.json()["errors"][0] == {
        "field": "officer",
        "message": r.json()["errors"][0]["message"],
        "rule": "contact-officer-capacity",
    }


def test_caseload(estate, users, frozen):
    allocated(users, estate, estate.cells_a[0], given_names="Mona")
    data = _client(users["contact_officer"]).get("/api/v1/planning/caseload").json()
    assert data["week_end"] == "2026-03-08"
    [row] = data["persons"]
    assert row["given_names"] == "Mona" and row["contact_officer"] == "contact_officer"
    assert row["needs_mapping"]["due_on"] == "2026-03-16" and row["due_this_week"] is False


@pytest.mark.parametrize("role", sorted(r.value for r in Role))
def test_api_writes_matrix(estate, users, frozen, role):
    """Every role against every write: allowed changes, denied is 403/404 and changes nothing."""
    episode = admitted(users, estate.high, estate.cells_a[0], given_names="Anders")
    outside = admitted(users, estate.lower, estate.lower_cells[0], given_names="Andrea")
    c = _client(users[role])
    base = f"/api/v1/planning/persons/{episode.person_id}"
    writes = [
        ("post", "/allocation", {"officer_id": users["contact_officer"].pk, "reason": "arrival"}),
        ("post", "/sessions", {"held_on": "2026-03-02", "kind": "other", "note": "Hei"}),
        ("put", "/needs", {"items": [{"domain": "housing", "status": "need"}]}),
    ]
    for method, path, body in writes:
        r = _send(c, method, base + path, body)
        if role in EDIT:
            assert r.status_code in (200, 201), (path, r.content)
        else:
            assert r.status_code == (403 if role in VIEW else 404), (path, r.status_code)
            assert "Anders" not in r.content.decode()
        r = _send(c, method, f"/api/v1/planning/persons/{outside.person_id}{path}", body)
        assert r.status_code == 404 and "Andrea" not in r.content.decode()
    changed = (
        ContactOfficerAllocation.objects.count(),
        ContactSession.objects.count(),
        NeedsAssessment.objects.count(),
    )
    assert changed == ((1, 1, 1) if role in EDIT else (0, 0, 0))
