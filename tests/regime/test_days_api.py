"""The API of the units' regime under /api/v1/regime/: figures, schedules, day plans, closures,
settings and restrictions; refusals in the one error shape with nothing changed; and every role
against every route. Time is frozen on Monday 2 March 2026."""

from __future__ import annotations

import json

import pytest

from normalitet.audit.models import AuditEvent
from normalitet.identity.roles import Role
from normalitet.regime.models import Closure, CompanyRestriction, DayPlan, UnitRegime

from .helpers import client_for as _client
from .test_days_pages import AGGREGATE, STAFF, build_regime

pytestmark = pytest.mark.django_db
API = "/api/v1/regime"


@pytest.fixture
def regime(estate, users, frozen):
    return build_regime(estate, users)


def _post(c, url, body, method="post"):
    return getattr(c, method)(url, json.dumps(body), content_type="application/json")


def test_time_out_of_cell(regime, users, estate):
    body = _client(users["case_manager"]).get(f"{API}/time-out-of-cell?date=2026-03-02").json()
    assert (body["present"], body["locked_in_long"], body["below_minimum"]) == (3, 2, 2)
    assert body["units"][0]["average_out_of_cell_minutes"] == 320  # (540 + 360 + 60) / 3
    below = [(p["name"], p["out_of_cell_minutes"]) for p in body["persons_below_minimum"]]
    assert below == [("Cato Carlsen", 60), ("Bjørn Berg", 360)]
    regional = _client(users["regional"])
    r = regional.get(f"{API}/time-out-of-cell?facility_id={estate.high.pk}")
    assert r.status_code == 200 and r.json()["persons_below_minimum"] is None
    assert regional.get(f"{API}/time-out-of-cell").status_code == 404
    bad = _client(users["case_manager"]).get(f"{API}/time-out-of-cell?date=2026-02-30")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "date"
    far = _client(users["case_manager"]).get(f"{API}/time-out-of-cell?date=2099-01-01")
    assert far.status_code == 400 and far.json()["errors"][0]["field"] == "date"


def test_activity_duty_and_overview(regime, users, estate):
    body = _client(users["officer"]).get(f"{API}/activity-duty").json()
    assert (body["convicted"], body["in_activity"], body["share_percent"]) == (3, 1, 33)
    assert body["reasons"]["restricted"] == 1 and body["reasons"]["none"] == 1
    assert [r["name"] for r in body["without"]] == ["Bjørn Berg", "Cato Carlsen"]
    national = _client(users["national"])
    overview = national.get(f"{API}/overview").json()
    assert [(f["name"], f["present"], f["share_percent"]) for f in overview] == [
        ("Fjellvik fengsel", 3, 33),
        ("Lyngmo fengsel", 1, 0),
    ]
    duty = national.get(f"{API}/activity-duty?facility_id={estate.lower.pk}").json()
    assert duty["without"] is None and duty["convicted"] == 1
    own = _client(users["case_manager"]).get(f"{API}/overview").json()
    assert [f["facility_id"] for f in own] == [estate.high.pk]


def test_schedules(regime, users, estate):
    c = _client(users["officer"])
    day = c.get(f"{API}/units/{estate.unit_a.pk}/day?date=2026-03-02").json()
    assert [p["name"] for p in day["persons"]] == ["Anna Aas", "Bjørn Berg", "Cato Carlsen"]
    assert day["persons"][0]["out_of_cell_minutes"] == 540
    assert [(g["occurrence"]["starts"], g["occurrence"]["cancelled"]) for g in day["going"]] == [
        ("08:30:00", False),
        ("12:00:00", True),
    ]
    assert day["day"]["blocks"][0] == {
        "kind": "association",
        "starts": "07:30",
        "ends": "08:15",
        "in_company": True,
    }
    person = regime["anna"].person_id
    week = c.get(f"{API}/persons/{person}/schedule?week=2026-03-04").json()
    assert week["week_from"] == "2026-03-02" and len(week["days"]) == 7
    assert week["days"][0]["person"]["sessions"][0]["activity"] == "Snekkerverkstedet"
    event = AuditEvent.objects.get(action="view.regime.schedule", person_id=person)
    assert event.reason == "api"
    assert c.get(f"{API}/persons/{regime['other'].person_id}/schedule").status_code == 404
    teacher = _client(users["teacher"])
    shop = teacher.get(f"{API}/activities/{regime['shop'].pk}/list?date=2026-03-02").json()
    assert [[p["name"] for p in s["participants"]] for s in shop["sessions"]] == [
        ["Anna Aas"],
        ["Anna Aas"],
    ]
    assert teacher.get(f"{API}/activities/{regime['school'].pk}/list").status_code == 404
    assert teacher.get(f"{API}/units/{estate.unit_a.pk}/day").status_code == 404


def test_day_plans(regime, users, estate):
    c = _client(users["case_manager"])
    url = f"{API}/units/{estate.unit_b.pk}/day-plans"
    blocks = [
        {"kind": "association", "starts": "08:00", "ends": "12:00"},
        {"kind": "outdoor", "starts": "11:30", "ends": "12:30", "in_company": False},
    ]
    bad = _post(c, url, {"day_type": "weekday", "valid_from": "2026-03-02", "blocks": blocks})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "blocks"
    assert "overlap" in bad.json()["errors"][0]["message"]
    blocks[1]["starts"] = "12:00"
    denied = _post(
        _client(users["officer"]),
        url,
        {"day_type": "weekday", "valid_from": "2026-03-02", "blocks": blocks},
    )
    assert denied.status_code == 403 and not DayPlan.objects.filter(unit=estate.unit_b).exists()
    r = _post(c, url, {"day_type": "weekday", "valid_from": "2026-03-02", "blocks": blocks})
    assert r.status_code == 201
    assert [(b["kind"], b["starts"]) for b in r.json()["blocks"]] == [
        ("association", "08:00"),
        ("outdoor", "12:00"),
    ]
    again = _post(c, url, {"day_type": "weekday", "valid_from": "2026-03-02", "blocks": blocks})
    assert again.status_code == 409
    copy = _post(
        c, url, {"valid_from": "2026-03-02", "copy_from": r.json()["id"], "day_type": "weekend"}
    )
    assert copy.status_code == 201 and copy.json()["day_type"] == "weekend"
    listed = _client(users["officer"]).get(url).json()
    assert [p["day_type"] for p in listed] == ["weekday", "weekend"]


def test_closures_settings_and_restrictions(regime, users, estate):
    c = _client(users["case_manager"])
    bad = _post(
        c, f"{API}/closures", {"starts_on": "2026-03-03", "ends_on": "2026-03-02", "reason": "x"}
    )
    assert bad.status_code == 400 and not Closure.objects.exists()
    r = _post(
        c,
        f"{API}/closures",
        {"unit_id": estate.unit_a.pk, "starts_on": "2026-03-02", "ends_on": "2026-03-06",
         "reason": "Ransaking"},
    )  # fmt: skip
    assert r.status_code == 201 and r.json()["unit_id"] == estate.unit_a.pk
    assert [x["reason"] for x in c.get(f"{API}/closures").json()] == ["Ransaking"]
    ended = _post(c, f"{API}/closures/{r.json()['id']}/end", {"ends_on": "2026-03-03"})
    assert ended.status_code == 200 and ended.json()["ends_on"] == "2026-03-03"
    other = _post(_client(users["lower_case_manager"]), f"{API}/closures/{r.json()['id']}/end", {})
    assert other.status_code == 404

    url = f"{API}/units/{estate.unit_a.pk}/settings"
    assert _post(c, url, {"self_catering": True, "minimum_minutes": 0}, "put").status_code == 400
    r = _post(c, url, {"self_catering": True, "minimum_minutes": 540}, "put")
    assert r.json() == {"unit_id": estate.unit_a.pk, "self_catering": True, "minimum_minutes": 540}
    assert c.get(url).json()["minimum_minutes"] == 540 and UnitRegime.objects.count() == 1

    person = regime["bjorn"].person_id
    url = f"{API}/persons/{person}/company-restrictions"
    bad = _post(c, url, {"kind": "isolation", "starts_on": "2026-03-02"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "kind"
    r = _post(c, url, {"kind": "exclusion", "starts_on": "2026-03-02", "note": "SGL § 37"})
    assert r.status_code == 201 and r.json()["person_id"] == person
    assert [x["kind"] for x in c.get(url).json()] == ["exclusion"]
    r = _post(c, f"{API}/company-restrictions/{r.json()['id']}/end", {})
    assert r.status_code == 200 and r.json()["ends_on"] == "2026-03-02"
    assert CompanyRestriction.objects.get(episode=regime["bjorn"]).ends_on is not None


# --- Every role against every route ------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(r.value for r in Role))
def test_api_matrix(regime, users, estate, role):
    c = _client(users[role])
    person, shop, unit = regime["anna"].person_id, regime["shop"].pk, estate.unit_a.pk
    routes = [
        ("/overview", STAFF | AGGREGATE),
        ("/time-out-of-cell", STAFF),
        (f"/time-out-of-cell?facility_id={estate.high.pk}", STAFF | AGGREGATE),
        ("/activity-duty", STAFF),
        (f"/activity-duty?facility_id={estate.high.pk}", STAFF | AGGREGATE),
        (f"/units/{unit}/day", STAFF),
        (f"/units/{unit}/day-plans", STAFF),
        (f"/units/{unit}/settings", STAFF),
        (f"/persons/{person}/schedule", STAFF | {"teacher"}),
        (f"/persons/{person}/company-restrictions", STAFF),
        (f"/activities/{shop}/list", STAFF | {"teacher"}),
        ("/closures", STAFF),
    ]
    for url, allowed in routes:
        assert c.get(API + url).status_code == (200 if role in allowed else 404), url
    changes = AuditEvent.objects.filter(kind="change").count()
    r = _post(
        c,
        f"{API}/closures",
        {"starts_on": "2026-03-02", "ends_on": "2026-03-02", "reason": "Øvelse"},
    )
    if role in ("case_manager", "facility_leader"):
        assert r.status_code == 201
    else:
        assert r.status_code in (403, 404) and not Closure.objects.exists()
        assert AuditEvent.objects.filter(kind="change").count() == changes
