"""The observation API under /api/v1/health/: the same services and rules as the pages, the
shared error shape, 404 for anyone who is not unit staff (the watch) or health staff (the
record), 403 for the wrong profession, and nothing changed when refused. Officers never get the
reason. Time is frozen at 2 March 2026 09:30 UTC."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from normalitet.health import services_observation as obs
from normalitet.health.models import (
    CrisisEvent,
    HealthAuditEvent,
    MissedCheck,
    ObservationCheck,
    ObservationLevel,
)

from .builders_clinical import NOW, REASON, World, assert_main_log_clean, build, move
from .helpers import API, client_for, post_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(estate: Any, users: dict[str, Any], nurse: Any, doctor: Any, frozen: Any) -> World:
    world = build(estate, users, nurse, doctor)
    obs.observation_set(actor=nurse, person_id=world.anders.person_id, level="close", reason=REASON)
    return world


def test_officer_watch_and_checks_never_carry_the_reason(w, time_machine):
    officer = client_for(w.officer)
    pid = w.anders.person_id
    move(time_machine, 21)
    responses = [officer.get(f"{API}/watch")]
    rows = responses[0].json()
    assert responses[0].status_code == 200 and len(rows) == 1
    row = rows[0]
    assert (row["person_id"], row["name"], row["unit"], row["cell"]) == (
        pid,
        "Anders Dahl",
        "Avdeling A",
        "A1",
    )
    assert (row["level"], row["interval_minutes"], row["overdue"], row["minutes_overdue"]) == (
        "close",
        15,
        True,
        6,
    )
    assert row["last_check_at"] is None and row["last_check_by"] == ""
    assert MissedCheck.objects.count() == 1  # the list raised it
    r = post_json(officer, f"{API}/watch/{pid}/checks", {"state": "settled", "note": "Leser"})
    responses.append(r)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["check"]["state"] == "settled" and body["check"]["late_by_minutes"] == 1
    assert body["check"]["by"] == "Kari Betjent" and body["overdue"] is False
    assert body["next_due"].startswith("2026-03-02T10:06")
    assert MissedCheck.objects.get().closed_by_id == body["check"]["id"]
    responses.append(officer.get(f"{API}/watch"))
    assert responses[-1].json()[0]["last_check_by"] == "Kari Betjent"
    for r in responses:
        assert REASON not in r.content.decode() and "reason" not in r.content.decode()


def test_check_refusals_change_nothing(w, users):
    officer = client_for(w.officer)
    pid = w.anders.person_id
    r = post_json(officer, f"{API}/watch/{pid}/checks", {"state": "distressed"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "note"
    r = post_json(officer, f"{API}/watch/{pid}/checks", {"state": "happy"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "state"
    r = post_json(officer, f"{API}/watch/{w.berit.person_id}/checks", {"state": "settled"})
    assert r.status_code == 404
    for role in ("teacher", "regional", "researcher"):
        c = client_for(users[role])
        assert c.get(f"{API}/watch").status_code == 404, role
        assert post_json(c, f"{API}/watch/{pid}/checks", {"state": "settled"}).status_code == 404
    assert client_for(w.nurse).get(f"{API}/watch").status_code == 404
    assert not ObservationCheck.objects.exists()
    # Health staff of the facility may record a check too.
    r = post_json(client_for(w.nurse), f"{API}/watch/{pid}/checks", {"state": "asleep"})
    assert r.status_code == 201 and r.json()["check"]["by"] == "Nurse Helse"


def test_health_staff_set_change_and_end_the_level(w):
    pid = w.anders.person_id
    nurse, doctor = client_for(w.nurse), client_for(w.doctor)
    r = post_json(nurse, f"{API}/persons/{pid}/observation", {"level": "constant", "reason": "X"})
    assert r.status_code == 201 and r.json()["level"] == "constant"
    assert r.json()["set_by"] == "Nurse Helse" and r.json()["interval_minutes"] == 15
    r = post_json(nurse, f"{API}/persons/{pid}/observation", {"level": "hourly", "reason": "Y"})
    assert r.status_code == 403 and r.json()["errors"][0]["rule"] == "profession"
    r = post_json(nurse, f"{API}/persons/{pid}/observation", {"level": "hourly", "reason": ""})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "reason"
    review = (NOW + dt.timedelta(hours=4)).isoformat()
    r = post_json(
        doctor,
        f"{API}/persons/{pid}/observation",
        {"level": "hourly", "reason": "Bedre", "review_at": review},
    )
    assert r.status_code == 201 and r.json()["review_at"].startswith("2026-03-02T13:30")
    r = post_json(nurse, f"{API}/persons/{pid}/observation/end", {"note": "Stabil"})
    assert r.status_code == 403
    r = post_json(doctor, f"{API}/persons/{pid}/observation/end", {"note": "Stabil"})
    assert r.status_code == 200 and r.json()["ended_by"] == "Doctor Helse"
    r = post_json(doctor, f"{API}/persons/{pid}/observation/end", {"note": "Igjen"})
    assert r.status_code == 400
    record = nurse.get(f"{API}/persons/{pid}/observation").json()
    assert record["current"] is None and record["overdue"] is False
    assert [lv["level"] for lv in record["levels"]] == ["hourly", "constant", "close"]
    assert record["levels"][2]["reason"] == REASON
    event = HealthAuditEvent.objects.filter(kind="access", action="view.observation").get()
    assert event.person_id == pid and event.actor_id == w.nurse.pk
    assert_main_log_clean(REASON)


def test_overview_lists_reasons_and_missed_checks(w, time_machine):
    move(time_machine, 30)
    nurse = client_for(w.nurse)
    rows = nurse.get(f"{API}/observation").json()
    assert len(rows) == 1
    row = rows[0]
    assert row["observation"]["reason"] == REASON and row["overdue"] is True
    assert (row["missed_24h"], row["missed_open"], row["minutes_overdue"]) == (1, 1, 15)
    record = nurse.get(f"{API}/persons/{w.anders.person_id}/observation").json()
    assert record["missed"][0]["closed_by_check_id"] is None
    assert record["missed"][0]["due_at"].startswith("2026-03-02T09:45")


def test_crises_api(w):
    pid = w.anders.person_id
    nurse = client_for(w.nurse)
    body = {
        "occurred_at": "2026-03-02T10:00:00+01:00",
        "kind": "threat",
        "steps": ["observation", "items"],
        "note": "Sa han ville ta livet sitt",
    }
    r = post_json(nurse, f"{API}/persons/{pid}/crises", {**body, "steps": ["items", "items"]})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "steps"
    r = post_json(nurse, f"{API}/persons/{pid}/crises", body)
    assert r.status_code == 201, r.content
    crisis = r.json()
    assert [s["step"] for s in crisis["steps"]] == ["observation", "items"]
    assert crisis["steps"][0]["label"] == "Observation level set or raised"
    r = post_json(nurse, f"{API}/crises/{crisis['id']}/steps", {"steps": []})
    assert r.status_code == 400
    r = post_json(nurse, f"{API}/crises/{crisis['id']}/steps", {"steps": ["specialist"]})
    assert r.status_code == 200 and len(r.json()["steps"]) == 3
    listed = nurse.get(f"{API}/persons/{pid}/crises").json()
    assert [c["id"] for c in listed] == [crisis["id"]]
    assert CrisisEvent.objects.get().steps == ["observation", "items", "specialist"]
    assert_main_log_clean("ta livet")


def test_health_routes_are_404_for_prison_staff_and_outside_the_facility(w, users):
    pid = w.anders.person_id
    routes = [
        ("get", f"{API}/observation", None),
        ("get", f"{API}/persons/{pid}/observation", None),
        ("post", f"{API}/persons/{pid}/observation", {"level": "hourly", "reason": "x"}),
        ("post", f"{API}/persons/{pid}/observation/end", {"note": "x"}),
        ("get", f"{API}/persons/{pid}/crises", None),
        ("post", f"{API}/persons/{pid}/crises",
         {"occurred_at": NOW.isoformat(), "kind": "other", "steps": ["doctor"], "note": ""}),
        ("post", f"{API}/crises/1/steps", {"steps": ["doctor"]}),
    ]  # fmt: skip
    for role in ("officer", "case_manager", "facility_leader", "teacher", "admin"):
        c = client_for(users[role])
        for method, url, body in routes:
            r = c.get(url) if method == "get" else post_json(c, url, body)
            assert r.status_code == 404, (role, url)
            assert REASON not in r.content.decode()
    doctor = client_for(w.doctor)
    lone = w.lone.person_id
    assert doctor.get(f"{API}/persons/{lone}/observation").status_code == 404
    r = post_json(doctor, f"{API}/persons/{lone}/observation", {"level": "close", "reason": "x"})
    assert r.status_code == 404
    assert ObservationLevel.objects.count() == 1 and not CrisisEvent.objects.exists()
    assert (
        json.dumps(list(HealthAuditEvent.objects.values_list("action", flat=True))).count(
            "health.observation.set"
        )
        == 1
    )
