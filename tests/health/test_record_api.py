"""The API of the patient list, the record, fitness for work and the medical diet, under
/api/v1/health/: the same services and refusals as the pages, 404 for prison staff and for a
person outside the facility, 403 for a nurse stating fitness, every read logged. Time is frozen
at Monday 2 March 2026, 10:30 in Oslo."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from normalitet.health import facade
from normalitet.health.models import MedicalDiet, WorkFitness

from .builders_record import (
    CLINICAL,
    DAY,
    NOW,
    PRISON_ROLES,
    TODAY,
    appointment,
    main_log_is_clean,
    observation,
    prescription,
    reads,
    request,
    world,
)
from .helpers import API, client_for, post_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(users: dict[str, Any], estate: Any, frozen: Any) -> Any:
    return world(users, estate)


def test_the_patients_with_their_flags(w, nurse):
    observation(w.anders, NOW - dt.timedelta(minutes=40))
    prescription(w.anders)
    request(w.berit)
    c = client_for(nurse)
    rows = c.get(f"{API}/persons").json()
    assert [r["name"] for r in rows] == ["Anders Ås", "Berit Øvre"]
    anders = rows[0]
    assert anders == {
        "person_id": w.anders.person_id,
        "name": "Anders Ås",
        "person_number": w.anders.person.person_number,
        "birth_date": "1990-05-17",
        "unit": "Avdeling A",
        "cell": "A1",
        "expected_release": None,
        "observation_level": "close",
        "observation_overdue": True,
        "active_prescriptions": 1,
        "open_requests": 0,
    }
    assert rows[1]["open_requests"] == 1 and rows[1]["observation_level"] is None
    assert [r["name"] for r in c.get(f"{API}/persons", {"q": "ØVRE"}).json()] == ["Berit Øvre"]


def test_the_record_of_a_person(w, nurse, doctor):
    pid = w.anders.person_id
    request(w.anders, service="dentist")
    appointment(w.anders, NOW + DAY, service="dentist")
    appointment(w.anders, NOW - DAY, status="attended")  # past: not upcoming
    prescription(w.anders, rounds=["morning", "evening"])
    c = client_for(doctor)
    post_json(
        c,
        f"{API}/persons/{pid}/fitness",
        {"fitness": "restricted", "valid_from": "2026-03-02", "reason": CLINICAL},
    )
    r = c.get(f"{API}/persons/{pid}/record")
    assert r.status_code == 200
    record = r.json()
    assert record["person"]["name"] == "Anders Ås"
    assert [q["service"] for q in record["requests"]] == ["dentist"]
    assert [a["service"] for a in record["appointments"]] == ["dentist"]
    assert record["prescriptions"][0]["rounds"] == ["morning", "evening"]
    assert record["observation"] is None and record["diet"] is None
    assert record["fitness"]["fitness"] == "restricted" and record["fitness"]["state"] == "in_force"
    assert record["referrals"] == []
    assert reads(pid, "record") == 1


def test_fitness_through_the_api(w, nurse, doctor):
    pid = w.anders.person_id
    url = f"{API}/persons/{pid}/fitness"
    body = {
        "fitness": "unfit",
        "valid_from": "2026-03-02",
        "valid_to": "2026-03-06",
        "reason": CLINICAL,
    }
    r = post_json(client_for(nurse), url, body)
    assert r.status_code == 403 and not WorkFitness.objects.exists()
    r = post_json(client_for(doctor), url, {**body, "valid_from": "2026-02-27"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "valid_from"
    r = post_json(client_for(doctor), url, body)
    assert r.status_code == 201
    assert r.json()["fitness"] == "unfit" and r.json()["state"] == "in_force"
    assert facade.fit_for_work([pid]) == {pid: "unfit"}
    rows = client_for(nurse).get(url).json()
    assert [(x["fitness"], x["reason"], x["valid_to"]) for x in rows] == [
        ("unfit", CLINICAL, "2026-03-06")
    ]
    assert reads(pid, "fitness") == 1
    assert main_log_is_clean(CLINICAL)


def test_diet_through_the_api(w, nurse):
    pid = w.anders.person_id
    c = client_for(nurse)
    url = f"{API}/persons/{pid}/diet"
    r = post_json(
        c,
        url,
        {"kitchen_instruction": "Diabetesdiett", "reason": CLINICAL, "valid_from": "2026-03-02"},
    )
    assert r.status_code == 400
    assert r.json()["errors"][0] == {
        "field": "kitchen_instruction",
        "message": r.json()["errors"][0]["message"],
        "rule": "no-diagnosis",
    }
    assert not MedicalDiet.objects.exists()
    r = post_json(
        c,
        url,
        {
            "kitchen_instruction": "Sukkerredusert kost",
            "reason": CLINICAL,
            "valid_from": "2026-03-02",
        },
    )
    assert r.status_code == 201 and r.json()["state"] == "in_force"
    diet_id = r.json()["id"]
    assert facade.medical_diets([pid]) == {pid: "Sukkerredusert kost"}
    assert [d["kitchen_instruction"] for d in c.get(url).json()] == ["Sukkerredusert kost"]
    r = post_json(c, f"{API}/diets/{diet_id}/end", {"on": "2026-03-02"})
    assert r.status_code == 200 and r.json()["valid_to"] == "2026-03-01"
    assert r.json()["state"] == "replaced"  # withdrawn before it began: never in force
    assert facade.medical_diets([pid]) == {}
    r = post_json(c, f"{API}/diets/{diet_id}/end", {"on": "2026-03-03"})
    assert r.status_code == 409
    assert post_json(c, f"{API}/diets/999999/end", {"on": "2026-03-03"}).status_code == 404
    assert reads(pid, "diet") == 1


@pytest.mark.parametrize("role", PRISON_ROLES)
def test_the_api_does_not_exist_for_prison_staff(w, users, nurse, role):
    pid = w.anders.person_id
    diet = post_json(
        client_for(nurse),
        f"{API}/persons/{pid}/diet",
        {"kitchen_instruction": "Halal", "reason": CLINICAL, "valid_from": "2026-03-02"},
    ).json()
    c = client_for(users[role])
    for url in (
        "/persons",
        f"/persons/{pid}/record",
        f"/persons/{pid}/fitness",
        f"/persons/{pid}/diet",
    ):
        r = c.get(f"{API}{url}")
        assert r.status_code == 404 and CLINICAL not in r.content.decode(), url
    assert (
        post_json(
            c, f"{API}/persons/{pid}/fitness", {"fitness": "fit", "valid_from": "2026-03-02"}
        ).status_code
        == 404
    )
    assert post_json(c, f"{API}/diets/{diet['id']}/end", {"on": "2026-03-02"}).status_code == 404
    assert facade.medical_diets([pid]) == {pid: "Halal"}


def test_a_person_outside_the_facility_is_a_404(w, nurse, doctor):
    pid = w.away.person_id
    for url in (f"/persons/{pid}/record", f"/persons/{pid}/fitness", f"/persons/{pid}/diet"):
        assert client_for(nurse).get(f"{API}{url}").status_code == 404
    r = post_json(
        client_for(doctor),
        f"{API}/persons/{pid}/fitness",
        {"fitness": "fit", "valid_from": TODAY.isoformat()},
    )
    assert r.status_code == 404 and not WorkFitness.objects.exists()
    assert reads(pid, "record") == 0
