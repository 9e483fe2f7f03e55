"""The catalogue and allocation API under /api/v1/regime/: the same services as the pages, the
shared error shape, 404 out of scope and nothing changed when refused. Time is frozen at
Monday 2 March 2026."""

from __future__ import annotations

import json

import pytest

from normalitet.audit.models import AuditEvent
from normalitet.regime.models import Activity, Allocation, SessionCancellation

from ..custody.helpers import admitted
from .helpers import activity, place
from .helpers import client_for as _client

pytestmark = pytest.mark.django_db
API = "/api/v1/regime"
NEW = {
    "name": "Metallverkstedet",
    "kind": "work",
    "category": "metalwork",
    "place": "Verkstedbygget",
    "capacity": 2,
    "supplement_ore": 1500,
}


def _post(client, url, body=None):
    return client.post(f"{API}{url}", json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def world(estate, users, frozen):
    return {
        "anders": admitted(users, estate.high, estate.cells_a[0], given_names="Anders"),
        "berit": admitted(users, estate.high, estate.cells_b[0], given_names="Berit"),
        "school": activity(
            estate.high, "Vg1 norsk", category="upper_secondary", leader=users["teacher"]
        ),
        "elsewhere": activity(estate.lower, "Lyngmo kjøkken", category="kitchen"),
    }


def test_create_read_and_update_an_activity(world, users):
    c = _client(users["case_manager"])
    r = _post(c, "/activities", {**NEW, "leader_id": users["officer"].pk})
    assert r.status_code == 201, r.content
    made = r.json()
    assert (made["kind"], made["provider"], made["leader_id"], made["free"]) == (
        "work",
        "kriminalomsorgen",
        users["officer"].pk,
        2,
    )
    r = _post(c, f"/activities/{made['id']}", {"capacity": 4, "leader_id": None})
    assert r.status_code == 200 and (r.json()["capacity"], r.json()["leader_id"]) == (4, None)
    r = _post(
        c,
        f"/activities/{made['id']}/sessions",
        {"weekday": 1, "starts": "08:00", "ends": "11:30", "valid_from": "2026-03-03"},
    )
    assert r.status_code == 201 and r.json()["weekday"] == 1
    detail = c.get(f"{API}/activities/{made['id']}").json()
    assert [s["starts"] for s in detail["sessions"]] == ["08:00:00"]
    listed = c.get(f"{API}/activities?kind=work").json()
    assert [a["name"] for a in listed] == ["Metallverkstedet"]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({**NEW, "category": "gym"}, 400, "category"),
        ({**NEW, "supplement_ore": 5000}, 400, "supplement_ore"),
        ({**NEW, "leader_id": 999999}, 400, "leader_id"),
        ({**NEW, "capacity": "many"}, 422, "capacity"),
        ({**NEW, "name": "Vg1 NORSK"}, 409, "name"),
    ],
)
def test_bad_activities_get_the_error_shape(world, users, body, status, field):
    before = Activity.objects.count()
    r = _post(_client(users["case_manager"]), "/activities", body)
    assert r.status_code == status and r.json()["errors"][0]["field"] == field
    assert Activity.objects.count() == before


def test_sessions_end_cancel_and_reinstate(world, users):
    c = _client(users["case_manager"])
    monday = world["school"].sessions.filter(weekday=0).first()
    r = _post(c, f"/sessions/{monday.pk}/cancellations", {"on": "2026-03-09", "reason": "Kurs"})
    assert r.status_code == 201 and r.json() == {
        "session_id": monday.pk,
        "on": "2026-03-09",
        "reason": "Kurs",
    }
    assert _post(c, f"/sessions/{monday.pk}/reinstate", {"on": "2026-03-09"}).status_code == 200
    assert not SessionCancellation.objects.exists()
    r = _post(c, f"/sessions/{monday.pk}/end", {"valid_to": "2026-02-01"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "valid_to"
    r = _post(c, f"/sessions/{monday.pk}/end", {"valid_to": "2026-06-19"})
    assert r.status_code == 200 and r.json()["valid_to"] == "2026-06-19"
    officer = _client(users["officer"])
    r = _post(officer, f"/sessions/{monday.pk}/end", {"valid_to": "2026-06-20"})
    assert r.status_code == 403
    other = world["elsewhere"].sessions.first()
    assert _post(c, f"/sessions/{other.pk}/end", {"valid_to": "2026-06-20"}).status_code == 404


def test_the_allocation_journey(world, users):
    officer, cm = _client(users["officer"]), _client(users["case_manager"])
    school = world["school"].pk
    body = {"person_id": world["anders"].person_id, "activity_id": school, "note": "Fagbrev"}
    r = _post(officer, "/allocations", body)
    assert r.status_code == 201 and r.json()["status"] == "requested"
    a = r.json()["id"]
    assert _post(officer, "/allocations", body).status_code == 409
    assert _post(officer, f"/allocations/{a}/decide", {"decision": "approve"}).status_code == 403
    r = _post(cm, f"/allocations/{a}/decide", {"decision": "approve"})
    assert r.json()["status"] == "approved"
    r = _post(cm, f"/allocations/{a}/allocate", {"starts_on": "2026-03-03"})
    assert (r.json()["status"], r.json()["starts_on"]) == ("allocated", "2026-03-03")
    r = _post(cm, f"/allocations/{a}/suspend", {"reason": "health", "starts_on": "2026-03-04"})
    assert r.json()["status"] == "suspended"
    assert r.json()["suspensions"] == [
        {"starts_on": "2026-03-04", "ends_on": None, "reason": "health", "note": ""}
    ]
    assert _post(cm, f"/allocations/{a}/resume").json()["status"] == "allocated"
    r = _post(cm, f"/allocations/{a}/end", {"reason": "completed"})
    assert (r.json()["status"], r.json()["end_reason"]) == ("ended", "completed")
    r = _post(cm, f"/allocations/{a}/withdraw")
    assert r.status_code == 409 and "Only a request" in r.json()["errors"][0]["message"]
    listed = cm.get(f"{API}/activities/{school}/allocations").json()
    assert listed == []
    assert [
        x["id"] for x in cm.get(f"{API}/activities/{school}/allocations?status=all").json()
    ] == [a]


def test_person_allocations_are_scoped_and_logged(world, users):
    place(world["school"], world["berit"], status="requested")
    c = _client(users["case_manager"])
    url = f"{API}/persons/{world['berit'].person_id}/allocations"
    rows = c.get(url).json()
    assert [(x["activity_name"], x["status"]) for x in rows] == [("Vg1 norsk", "requested")]
    assert AuditEvent.objects.filter(action="view.regime.activities", reason="api").exists()
    assert _client(users["officer"]).get(url).status_code == 404  # unit B: not the caseload
    assert _client(users["teacher"]).get(url).status_code == 200
    teacher_anders = f"{API}/persons/{world['anders'].person_id}/allocations"
    assert _client(users["teacher"]).get(teacher_anders).status_code == 404


@pytest.mark.parametrize("role", ["health", "regional", "national", "admin", "visitor"])
def test_others_get_404_and_change_nothing(world, users, role):
    c = _client(users[role])
    assert c.get(f"{API}/activities").status_code == 404
    assert c.get(f"{API}/activities/{world['school'].pk}").status_code == 404
    body = {"person_id": world["anders"].person_id, "activity_id": world["school"].pk}
    assert _post(c, "/allocations", body).status_code == 404
    assert _post(c, "/activities", NEW).status_code == 404
    assert not Allocation.objects.exists() and Activity.objects.count() == 2


def test_out_of_scope_activity_is_404(world, users):
    c = _client(users["case_manager"])
    assert c.get(f"{API}/activities/{world['elsewhere'].pk}").status_code == 404
    assert _post(c, f"/activities/{world['elsewhere'].pk}", {"capacity": 9}).status_code == 404
    teacher = _client(users["teacher"])
    assert [a["name"] for a in teacher.get(f"{API}/activities").json()] == ["Vg1 norsk"]
    assert Activity.objects.get(pk=world["elsewhere"].pk).capacity == 8
