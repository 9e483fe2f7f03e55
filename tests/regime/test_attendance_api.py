"""The attendance and allowance API under /api/v1/regime/: registers, marks (one, many, the
rest), the person's statement and the computation; refusals answer with the error shape and
change nothing; out of scope is a 404."""

from __future__ import annotations

import pytest

from normalitet.audit.models import AuditEvent
from normalitet.regime import allowance
from normalitet.regime.models import AllowanceDay, Attendance

from .helpers import client_for, post_json
from .test_attendance_world import LAST_WEEK, build

pytestmark = pytest.mark.django_db
API = "/api/v1/regime"


@pytest.fixture
def world(estate, users, time_machine):
    return build(estate, users, time_machine)


def _marks():
    return list(Attendance.objects.order_by("pk").values_list("person_id", "outcome", "note"))


def test_registers_of_a_day(world, users):
    rows = client_for(users["officer"]).get(f"{API}/registers?date=2026-03-02").json()
    assert [(r["activity"], r["starts"], r["participants"], r["marked"]) for r in rows] == [
        ("Snekkerverkstedet", "08:30:00", 1, 0),
        ("Grunnskolen", "09:00:00", 1, 0),
        ("Snekkerverkstedet", "12:00:00", 1, 0),
    ]
    teacher = client_for(users["teacher"]).get(f"{API}/registers").json()
    assert [r["session_id"] for r in teacher] == [world.lesson.pk]
    assert client_for(users["health"]).get(f"{API}/registers").status_code == 404


def test_one_register(world, users):
    c = client_for(users["officer"])
    body = c.get(f"{API}/registers/{world.morning.pk}/2026-03-02").json()
    assert body["activity"] == "Snekkerverkstedet" and body["can_mark"] is True
    assert body["participants"] == [
        {
            "person_id": world.ola.person_id,
            "name": "Ola Aas",
            "person_number": world.ola.person.person_number,
            "suspended": False,
            "outcome": None,
            "note": "",
            "away": "",
        }
    ]
    teacher = client_for(users["teacher"]).get(f"{API}/registers/{world.morning.pk}/2026-03-02")
    assert teacher.status_code == 404
    assert c.get(f"{API}/registers/{world.morning.pk}/2026-02-30").status_code == 422
    saturday = c.get(f"{API}/registers/{world.morning.pk}/2026-02-28")
    assert saturday.status_code == 400 and saturday.json()["errors"][0]["field"] == "date"


def test_marks_one_many_and_the_rest(world, users):
    c = client_for(users["officer"])
    url = f"{API}/registers/{world.morning.pk}/2026-03-02/marks"
    body = post_json(c, url, {"marks": [{"person_id": world.ola.person_id, "outcome": "late"}]})
    assert body.status_code == 200
    assert body.json()["participants"][0]["outcome"] == "late"
    assert AllowanceDay.objects.get(episode=world.ola).allowance_ore == 7_900 // 4 + 7_900 // 2
    rest = post_json(
        client_for(users["teacher"]),
        f"{API}/registers/{world.lesson.pk}/2026-03-02/marks",
        {"rest": True},
    )
    assert rest.json()["participants"][0]["outcome"] == "attended"
    assert _marks() == [(world.ola.person_id, "late", ""), (world.kari.person_id, "attended", "")]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"marks": []}, 400, "marks"),
        ({"marks": [{"person_id": 0, "outcome": "attended"}], "rest": True}, 400, "rest"),
        ({"marks": [{"person_id": "me", "outcome": "attended"}]}, 422, "marks.0.person_id"),
        ({"marks": [{"person_id": "OLA", "outcome": "attended", "note": "x" * 256}]}, 422, None),
        ({"marks": [{"person_id": "OLA", "outcome": "bored"}]}, 400, "outcome"),
        (
            {
                "marks": [
                    {"person_id": "OLA", "outcome": "attended"},
                    {"person_id": "PER", "outcome": "sick"},
                ]
            },
            400,
            "person",
        ),
    ],
)
def test_bad_marks_change_nothing(world, users, body, status, field):
    ids = {"OLA": world.ola.person_id, "PER": world.per.person_id}
    for m in body.get("marks", []):
        m["person_id"] = ids.get(m["person_id"], m["person_id"])
    events = AuditEvent.objects.count()
    url = f"{API}/registers/{world.morning.pk}/2026-03-02/marks"
    response = post_json(client_for(users["officer"]), url, body)
    assert response.status_code == status
    if field is not None:
        assert response.json()["errors"][0]["field"] == field
    assert _marks() == [] and AuditEvent.objects.count() == events
    assert not AllowanceDay.objects.exists()


def test_marks_out_of_scope_are_missing(world, users):
    body = {"marks": [{"person_id": world.ola.person_id, "outcome": "attended"}]}
    url = f"{API}/registers/{world.morning.pk}/2026-03-02/marks"
    for role in ("teacher", "lower_case_manager"):
        assert post_json(client_for(users[role]), url, body).status_code == 404
    for role in ("health", "regional"):  # no register to take at all
        assert post_json(client_for(users[role]), url, body).status_code == 403
    assert _marks() == []


def test_the_statement(world, users):
    allowance.allowance_compute(actor=users["case_manager"], days=LAST_WEEK)
    c = client_for(users["officer"])
    body = c.get(f"{API}/persons/{world.ola.person_id}/allowance?month=2026-02").json()
    assert body["month"] == "2026-02" and len(body["days"]) == 6
    monday = body["days"][0]
    assert {
        k: monday[k] for k in ("on", "rate_kind", "allowance_ore", "supplement_ore", "total_ore")
    } == {
        "on": "2026-02-23",
        "rate_kind": "ordinary",
        "allowance_ore": 7_900,
        "supplement_ore": 1_000,
        "total_ore": 8_900,
    }
    assert monday["reasons"][1] == {
        "code": "unmarked",
        "args": {"sessions": 2},
        "text": "2 sessions not marked in the register: counted as attended.",
    }
    assert body["totals"] == {
        "allowance_ore": 39_500,
        "supplement_ore": 5_000,
        "food_ore": 0,
        "total_ore": 44_500,
    }
    assert body["rates_unverified"] is True and body["rates"][0]["ordinary_ore"] == 7_900
    assert c.get(f"{API}/persons/{world.per.person_id}/allowance").status_code == 404
    assert c.get(f"{API}/persons/{world.ola.person_id}/allowance?month=2026-2-1").status_code == 400
    assert (
        client_for(users["teacher"])
        .get(f"{API}/persons/{world.kari.person_id}/allowance")
        .status_code
        == 404
    )


def test_compute(world, users):
    url = f"{API}/allowance/compute"
    week = {"from": "2026-02-23", "to": "2026-03-01"}
    assert post_json(client_for(users["officer"]), url, week).status_code == 403
    c = client_for(users["case_manager"])
    backwards = post_json(c, url, {"from": "2026-03-01", "to": "2026-02-23"})
    assert backwards.status_code == 400 and backwards.json()["errors"][0]["field"] == "to"
    future = post_json(c, url, {"from": "2026-03-01", "to": "2026-03-03"})
    assert future.status_code == 400 and not AllowanceDay.objects.exists()
    body = post_json(c, url, week).json()
    assert body == {
        "from": "2026-02-23",
        "to": "2026-03-01",
        "facilities": 1,
        "person_days": 21,
        "created": 21,
        "updated": 0,
        "unchanged": 0,
        "posted": 0,
        "total_ore": 5 * 8_900 + 5 * 7_900,
    }
