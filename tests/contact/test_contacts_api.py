"""The contacts API under /api/v1/contact/: the same services as the pages, the shared error
shape, 404 out of the caseload, 403 without CONTACT_EDIT, nothing changed when refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from normalitet.audit.models import AuditEvent
from normalitet.contact.models import Contact, PoliceCheck, Visitor

from ..custody.helpers import admitted
from .helpers import API, client_for, contact, post_api, visitor

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(estate: Any, users: dict[str, Any], frozen: Any) -> dict[str, Any]:
    anders = admitted(users, estate.high, estate.cells_a[0], given_names="Anders")
    berit = admitted(users, estate.high, estate.cells_b[0], given_names="Berit")
    return {
        "anders": anders,
        "berit": berit,
        "kari": contact(anders, visitor("Kari", "Nordmann", facility=estate.high)),
        "ola": contact(berit, visitor("Ola", "Bakken", facility=estate.high), "friend"),
        "request": contact(
            anders, visitor("Siri", "Lund"), "sibling", listed=False, status="requested"
        ),
    }


def test_list_and_add_contacts(world, users):
    cm = client_for(users["case_manager"])
    pid = world["anders"].person_id
    r = cm.get(f"{API}/persons/{pid}/contacts")
    assert r.status_code == 200
    rows = {c["visitor"]["given_names"]: c for c in r.json()}
    assert set(rows) == {"Kari", "Siri"}
    assert rows["Kari"]["police_check_valid_until"] == "2027-01-01"
    assert rows["Kari"]["closest_family"] and not rows["Kari"]["privileged"]
    new = {
        "visitor": {
            "given_names": "Advokat",
            "family_name": "Lie",
            "birth_date": "1975-02-02",
            "organisation": "Lie & Co",
        },
        "relationship": "lawyer",
    }
    r = post_api(cm, f"/persons/{pid}/contacts", new)
    assert r.status_code == 201, r.content
    assert r.json()["privileged"] and r.json()["status"] == "approved"
    # An existing visitor by id; twice is a conflict.
    ola = world["ola"].visitor_id
    r = post_api(cm, f"/persons/{pid}/contacts", {"visitor_id": ola, "relationship": "friend"})
    assert r.status_code == 201
    r = post_api(cm, f"/persons/{pid}/contacts", {"visitor_id": ola, "relationship": "friend"})
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "visitor"
    r = post_api(cm, f"/persons/{pid}/contacts", {"relationship": "friend"})
    assert r.status_code == 400


def test_a_visitor_recorded_first_can_then_be_added(world, users):
    cm = client_for(users["case_manager"])
    r = post_api(cm, "/visitors", {"given_names": "Mona", "family_name": "Haugen",
                                "birth_date": "1960-04-04"})  # fmt: skip
    assert r.status_code == 201
    vid = r.json()["id"]
    r = post_api(
        cm,
        f"/persons/{world['anders'].person_id}/contacts",
        {"visitor_id": vid, "relationship": "parent", "on_visitor_list": True},
    )
    assert r.status_code == 201 and r.json()["on_visitor_list"]
    found = cm.get(f"{API}/visitors", {"q": "mona"}).json()
    assert [v["id"] for v in found] == [vid]


def test_out_of_caseload_is_404_and_without_the_cap_403(world, users):
    officer = client_for(users["officer"])  # unit A: Anders, not Berit
    before = AuditEvent.objects.filter(kind="change").count()
    assert officer.get(f"{API}/persons/{world['berit'].person_id}/contacts").status_code == 404
    r = post_api(officer, f"/contacts/{world['ola'].pk}/end", {"reason": "x"})
    assert r.status_code == 404
    r = post_api(officer, f"/contacts/{world['kari'].pk}/end", {"reason": "x"})
    assert r.status_code == 403
    r = post_api(officer, f"/contacts/{world['request'].pk}/decide", {"decision": "approve"})
    assert r.status_code == 403
    assert [v["given_names"] for v in officer.get(f"{API}/visitors").json()] == ["Siri", "Kari"]
    visitor_user = client_for(users["visitor"])
    assert visitor_user.get(f"{API}/contact-requests").status_code == 404
    assert AuditEvent.objects.filter(kind="change").count() == before
    assert Contact.objects.get(pk=world["kari"].pk).status == "approved"


def test_decide_list_supervision_end(world, users):
    cm = client_for(users["case_manager"])
    reqs = cm.get(f"{API}/contact-requests").json()
    assert [r["id"] for r in reqs] == [world["request"].pk]
    r = post_api(cm, f"/contacts/{world['request'].pk}/decide", {"decision": "refuse"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "reason"
    r = post_api(cm, f"/contacts/{world['request'].pk}/decide", {"decision": "approve"})
    assert r.status_code == 200 and r.json()["status"] == "approved"
    r = post_api(cm, f"/contacts/{world['request'].pk}/visitor-list", {"on": True})
    assert r.status_code == 200 and r.json()["on_visitor_list"]
    r = post_api(cm, f"/contacts/{world['kari'].pk}/supervision", {"waived": True, "reason": "Ok"})
    assert r.status_code == 200 and r.json()["supervision_waived"]
    r = post_api(cm, f"/contacts/{world['kari'].pk}/end", {"reason": "Brudd"})
    assert r.status_code == 200 and r.json()["status"] == "ended"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"contact.approve", "contact.list_on", "contact.supervision", "contact.end"} <= actions


def test_police_checks(world, users):
    cm = client_for(users["case_manager"])
    siri = world["request"].visitor_id
    r = post_api(cm, f"/visitors/{siri}/police-checks", {"note": "Søster"})
    assert r.status_code == 201 and r.json()["status"] == "requested"
    check = r.json()["id"]
    r = post_api(cm, f"/police-checks/{check}/answer",
              {"cleared": False, "answered_on": "2026-02-01"})  # fmt: skip
    assert r.status_code == 400  # before the request
    r = post_api(cm, f"/police-checks/{check}/answer",
              {"cleared": False, "answered_on": "2026-03-02"})  # fmt: skip
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["expires_on"]) == ("refused", None)
    assert PoliceCheck.objects.get(pk=check).decided_on == dt.date(2026, 3, 2)
    child = Visitor.objects.create(given_names="Lille", family_name="Lund",
                                   birth_date=dt.date(2016, 1, 1))  # fmt: skip
    contact(world["anders"], child, "child")
    r = post_api(cm, f"/visitors/{child.pk}/police-checks")
    assert r.status_code == 400 and "under 15" in r.json()["errors"][0]["message"]
    lower = client_for(users["lower_case_manager"])
    assert post_api(lower, f"/visitors/{siri}/police-checks").status_code == 404
