"""The API of health requests and appointments under /api/v1/health/: prison staff log a
request and get its reference only; health staff list, read, triage, close, book, record and
cancel; the escorts for unit staff. Refusals use the shared error shape and change nothing;
everyone else gets a 404. Time is frozen at Monday 2 March 2026, 10:30 in Oslo."""

from __future__ import annotations

import json
from typing import Any

import pytest

from normalitet.audit.models import AuditEvent
from normalitet.health import services_requests as services
from normalitet.health.models import Appointment, HealthAuditEvent, HealthRequest

from .helpers import API, at, book, client_for, post_json, requests_world
from .helpers import requests_snapshot as snapshot

pytestmark = pytest.mark.django_db

SECRET = "Har blødd fra magen i tre dager"
R = HealthRequest
A = Appointment
NON_HEALTH = ("officer", "case_manager", "teacher", "researcher", "admin", "national")


@pytest.fixture
def world(estate: Any, users: dict[str, Any], frozen: Any, nurse: Any, doctor: Any) -> Any:
    return requests_world(users, estate)


def logged(users: dict[str, Any], world: Any, text: str = SECRET) -> R:
    return services.request_submit_by_staff(
        actor=users["officer"], person_id=world["anders"].person_id, service="doctor", text=text
    )


def errors(r: Any) -> list[tuple[Any, ...]]:
    return [(e["field"], e["rule"]) for e in r.json()["errors"]]


# --- Logging a request --------------------------------------------------------------------------


def test_officer_gets_the_reference_and_time_only(world, users):
    c = client_for(users["officer"])
    url = f"{API}/persons/{world['anders'].person_id}/requests"
    r = post_json(c, url, {"service": "doctor", "text": SECRET})
    assert r.status_code == 201, r.content
    made = R.objects.get()
    assert r.json() == {
        "reference": made.reference,
        "submitted_at": made.created_at.isoformat().replace("+00:00", "Z"),
    }
    assert made.channel == "staff" and SECRET not in r.content.decode()
    # Reading it back does not exist for the officer.
    assert c.get(url).status_code == 404
    assert c.get(f"{API}/requests/{made.pk}").status_code == 404
    assert SECRET not in json.dumps(list(AuditEvent.objects.values()), default=str)


def test_health_staff_logging_get_the_same_answer(world, users, nurse):
    r = post_json(
        client_for(nurse),
        f"{API}/persons/{world['berit'].person_id}/requests",
        {"service": "nurse", "text": "Feber"},
    )
    assert r.status_code == 201 and set(r.json()) == {"reference", "submitted_at"}
    assert R.objects.get().channel == "health"


def test_logging_refusals(world, users):
    c = client_for(users["officer"])
    before = snapshot()
    url = f"{API}/persons/{world['anders'].person_id}/requests"
    r = post_json(c, url, {"service": "doctor", "text": ""})
    assert r.status_code == 400 and errors(r) == [("text", None)]
    r = post_json(c, url, {"service": "vet", "text": "x"})
    assert r.status_code == 400 and errors(r) == [("service", None)]
    r = post_json(c, url, {"service": "doctor"})
    assert r.status_code == 422
    for person in (world["berit"], world["lars"]):
        r = post_json(
            c, f"{API}/persons/{person.person_id}/requests", {"service": "doctor", "text": "x"}
        )
        assert r.status_code == 404
    for role in ("teacher", "researcher", "admin", "national", "visitor"):
        r = post_json(client_for(users[role]), url, {"service": "doctor", "text": "x"})
        assert r.status_code == 404
    assert snapshot() == before


# --- Reading and triage -------------------------------------------------------------------------


def test_list_read_triage_and_close(world, users, nurse):
    made = logged(users, world)
    c = client_for(nurse)
    rows = c.get(f"{API}/requests").json()
    assert [(x["reference"], x["status"], x["person_name"]) for x in rows] == [
        (made.reference, "new", world["anders"].person.full_name)
    ]
    assert "text" not in rows[0] and SECRET not in json.dumps(rows)
    assert c.get(f"{API}/requests?status=triaged").json() == []
    r = c.get(f"{API}/requests?status=lost")
    assert r.status_code == 400 and errors(r) == [("status", None)]
    one = c.get(f"{API}/requests/{made.pk}").json()
    assert (one["text"], one["appointments"], one["see_by"]) == (SECRET, [], None)
    assert HealthAuditEvent.objects.filter(kind="access", action="view.request").count() == 1
    before = snapshot()
    r = post_json(c, f"{API}/requests/{made.pk}/triage", {"priority": "whenever"})
    assert r.status_code == 400 and errors(r) == [("priority", None)]
    assert snapshot() == before
    r = post_json(c, f"{API}/requests/{made.pk}/triage", {"priority": "urgent", "note": "Ring"})
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["see_by"], r.json()["overdue"]) == (
        "triaged",
        "2026-03-05",
        False,
    )
    assert [x["id"] for x in c.get(f"{API}/requests?status=triaged").json()] == [made.pk]
    r = post_json(c, f"{API}/requests/{made.pk}/close", {})
    assert r.status_code == 400 and errors(r) == [("note", None)]
    r = post_json(c, f"{API}/requests/{made.pk}/close", {"note": "Henvist til legevakt"})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    assert c.get(f"{API}/requests").json() == []
    assert [x["id"] for x in c.get(f"{API}/requests?status=closed").json()] == [made.pk]
    # The read was logged once; the answers to the triage and the close are not reads.
    assert HealthAuditEvent.objects.filter(kind="access", action="view.request").count() == 1
    changes = HealthAuditEvent.objects.filter(kind="change", person_id=made.person_id)
    assert list(changes.values_list("action", flat=True)) == [
        "health.request.submit",
        "health.request.triage",
        "health.request.close",
    ]


def test_health_routes_are_404_for_everyone_else(world, users, nurse):
    made = logged(users, world)
    before = snapshot()
    for role in NON_HEALTH:
        c = client_for(users[role])
        for path in (
            "/requests",
            f"/requests/{made.pk}",
            "/appointments",
            f"/persons/{world['anders'].person_id}/requests",
        ):
            assert c.get(f"{API}{path}").status_code == 404, (role, path)
        r = post_json(c, f"{API}/requests/{made.pk}/triage", {"priority": "acute"})
        assert r.status_code == 404
        r = post_json(c, f"{API}/requests/{made.pk}/close", {"note": "x"})
        assert r.status_code == 404
        body = {
            "person_id": world["anders"].person_id,
            "service": "doctor",
            "starts_at": "2026-03-03T09:00:00+01:00",
            "minutes": 20,
            "escort": "none",
        }
        assert post_json(c, f"{API}/appointments", body).status_code == 404
    assert snapshot() == before
    # A patient of another facility is a 404 for the nurse too.
    r = client_for(nurse).get(f"{API}/persons/{world['lars'].person_id}/requests")
    assert r.status_code == 404


# --- Appointments -------------------------------------------------------------------------------


def test_book_list_record_and_cancel(world, users, nurse, doctor, time_machine):
    made = logged(users, world)
    services.request_triage(actor=nurse, request_id=made.pk, priority="routine", note="")
    c = client_for(nurse)
    body = {
        "person_id": world["anders"].person_id,
        "service": "doctor",
        "starts_at": "2026-03-02T13:00:00",  # Oslo time when no offset is given
        "minutes": 30,
        "place": "Legekontoret",
        "escort": "outside",
        "request_id": made.pk,
        "clinician_id": doctor.pk,
    }
    r = post_json(c, f"{API}/appointments", body)
    assert r.status_code == 201, r.content
    a = r.json()
    assert (a["starts_at"], a["ends_at"], a["clinician_name"], a["request_id"], a["status"]) == (
        "2026-03-02T12:00:00Z",
        "2026-03-02T12:30:00Z",
        "Doctor Helse",
        made.pk,
        "booked",
    )
    assert R.objects.get(pk=made.pk).status == "booked"
    before = snapshot()
    r = post_json(c, f"{API}/appointments", {**body, "request_id": None, "clinician_id": None})
    assert r.status_code == 409 and errors(r) == [("starts_at", "overlap")]
    r = post_json(c, f"{API}/appointments", {**body, "request_id": None, "minutes": 300})
    assert r.status_code == 400 and errors(r) == [("minutes", None)]
    r = post_json(c, f"{API}/appointments", {**body, "request_id": None, "escort": "x"})
    assert r.status_code == 400 and errors(r) == [("escort", None)]
    assert snapshot() == before
    day = c.get(f"{API}/appointments?date=2026-03-02").json()
    assert [x["id"] for x in day] == [a["id"]]
    assert c.get(f"{API}/appointments?date=2026-03-03").json() == []
    assert [x["id"] for x in c.get(f"{API}/appointments").json()] == [a["id"]]
    r = post_json(c, f"{API}/appointments/{a['id']}/outcome", {"status": "attended"})
    assert r.status_code == 400 and errors(r) == [(None, "not-started")]
    time_machine.move_to(at(2, 13, 2), tick=False)
    c = client_for(nurse)
    r = post_json(c, f"{API}/appointments/{a['id']}/outcome", {"status": "attended"})
    assert r.status_code == 200 and r.json()["status"] == "attended"
    person = c.get(f"{API}/persons/{world['anders'].person_id}/requests").json()
    assert [x["id"] for x in person["requests"]] == [made.pk]
    assert [x["status"] for x in person["appointments"]] == ["attended"]
    assert HealthAuditEvent.objects.filter(kind="access", action="view.requests").count() == 1
    r = post_json(c, f"{API}/requests/{made.pk}/close", {})
    assert r.status_code == 200 and r.json()["status"] == "closed"


def test_cancel_through_the_api(world, users, nurse):
    made = logged(users, world)
    services.request_triage(actor=nurse, request_id=made.pk, priority="acute", note="")
    a = book(nurse, world, at(2, 14), minutes=15, place="", request_id=made.pk)
    c = client_for(nurse)
    before = snapshot()
    r = post_json(c, f"{API}/appointments/{a.pk}/cancel", {"reason": ""})
    assert r.status_code == 400 and errors(r) == [("reason", None)]
    assert snapshot() == before
    r = post_json(c, f"{API}/appointments/{a.pk}/cancel", {"reason": "Sykepleier syk"})
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["status_note"]) == ("cancelled", "Sykepleier syk")
    assert R.objects.get(pk=made.pk).status == "triaged"
    r = post_json(
        client_for(users["officer"]), f"{API}/appointments/{a.pk}/cancel", {"reason": "x"}
    )
    assert r.status_code == 404


# --- Escorts ------------------------------------------------------------------------------------


def test_escorts_give_time_person_and_escort_only(world, users, nurse):
    a = book(
        nurse,
        world,
        at(3, 13),
        service="psychologist",
        minutes=45,
        place="Samtalerommet",
        escort="inside",
        note="Samtale om selvskading",
    )
    r = client_for(users["officer"]).get(f"{API}/escorts?date=2026-03-03")
    assert r.status_code == 200
    assert r.json() == [
        {
            "person_id": a.person_id,
            "person_name": world["anders"].person.full_name,
            "unit": "Avdeling A",
            "cell": "A1",
            "starts_at": "2026-03-03T12:00:00Z",
            "ends_at": "2026-03-03T12:45:00Z",
            "escort": "inside",
        }
    ]
    assert client_for(users["officer"]).get(f"{API}/escorts").json() == []
    for role in ("health", "teacher", "admin", "researcher"):
        assert client_for(users[role]).get(f"{API}/escorts").status_code == 404
