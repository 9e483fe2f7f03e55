"""Pages and API of diets, the kitchen's meal numbers and faith: what staff see and record, bad
input explained and changing nothing, and 404 for those outside the facility or caseload
(teachers, health, regional). Time is frozen at Monday 2 March 2026, 10:30 in Oslo."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from normalitet.audit.models import AuditEvent
from normalitet.regime.models import ClergyVisit, DietRequirement

from ..custody.helpers import admitted
from ..factories import CellFactory
from . import test_meals as base
from .helpers import client_for as _client
from .helpers import post_json as _post_json

# The fixtures of the services' tests, used here too.
anna, chapel, kitchen = base.anna, base.chapel, base.kitchen
TODAY, diet = base.TODAY, base.diet


pytestmark = pytest.mark.django_db
API_VISIT = {
    "community": "Den norske kirke",
    "visitor_name": "Fengselsprest Kari Lie",
    "external": False,
    "starts_at": "2026-03-02T09:00",
    "minutes": 45,
}
VISIT = {
    "community": "Den norske kirke",
    "visitor_name": "Fengselsprest Kari Lie",
    "external": "no",
    "starts_at": "2026-03-02T09:00",
    "minutes": "45",
    "person_id": "",
    "note": "",
}


def _state():
    return (
        list(DietRequirement.objects.order_by("pk").values_list("pk", "kind", "ends_on")),
        ClergyVisit.objects.count(),
        AuditEvent.objects.filter(kind="change").count(),
    )


def test_the_diet_page_lists_and_records_diets(anna, users):
    diet(anna, "vegan", ends_on=dt.date(2026, 2, 1))
    c = _client(users["contact_officer"])
    url = f"/regime/persons/{anna.person_id}/diet/"
    body = c.get(url).content.decode()
    assert "Anna" in body and "No special diet: ordinary meals." in body
    assert "Ended diets" in body and "Never the diagnosis" in body
    assert AuditEvent.objects.filter(action="view.regime.diet", person_id=anna.person_id)

    before = _state()
    r = c.post(url, {"kind": "allergy", "detail": "", "starts_on": "2026-03-02"})
    assert r.status_code == 400 and "Say what to leave out or serve." in r.content.decode()
    r = c.post(url, {"kind": "medical", "detail": "diabetes", "starts_on": "2026-03-02"})
    assert r.status_code == 400 and "not the diagnosis" in r.content.decode()
    assert _state() == before
    r = c.post(url, {"kind": "medical", "detail": "sukkerfri", "starts_on": "2026-03-02"})
    assert r.status_code == 302 and r["Location"] == url
    body = c.get(url).content.decode()
    assert "Medical diet" in body and "sukkerfri" in body and "No special diet" not in body


def test_ending_a_diet_through_the_form(anna, users):
    d = diet(anna, "halal")
    c = _client(users["contact_officer"])
    url = f"/regime/persons/{anna.person_id}/diet/{d.pk}/end/"
    assert "End the diet" in c.get(url).content.decode()
    r = c.post(url, {"ends_on": "2025-12-31"})
    assert r.status_code == 400 and "A diet cannot end before it starts." in r.content.decode()
    r = c.post(url, {"ends_on": "2026-03-02"})
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.ends_on == TODAY


def test_officers_see_diets_and_cannot_change_them(anna, users):
    d = diet(anna, "halal")
    c = _client(users["officer"])
    base = f"/regime/persons/{anna.person_id}/diet/"
    body = c.get(base).content.decode()
    assert "Halal" in body and 'id="h-add"' not in body and "/end/" not in body
    before = _state()
    assert c.post(base, {"kind": "vegan", "starts_on": "2026-03-02"}).status_code == 404
    assert c.get(f"{base}{d.pk}/end/").status_code == 404
    api = f"/api/v1/regime/persons/{anna.person_id}/diets"
    assert c.get(api).status_code == 200
    assert _post_json(c, api, {"kind": "vegan"}).status_code == 403
    assert _post_json(c, f"/api/v1/regime/diets/{d.pk}/end", {}).status_code == 403
    assert _state() == before


@pytest.mark.parametrize("role", ["teacher", "health", "regional", "lower_case_manager"])
def test_others_see_no_diets_meals_or_faith(anna, users, role):
    d = diet(anna, "halal")
    c = _client(users[role])
    before = _state()
    for url in (
        f"/regime/persons/{anna.person_id}/diet/",
        f"/regime/persons/{anna.person_id}/diet/{d.pk}/end/",
        f"/api/v1/regime/persons/{anna.person_id}/diets",
    ):
        r = c.get(url)
        assert r.status_code == 404 and "Anna" not in r.content.decode()
    assert _post_json(c, f"/api/v1/regime/diets/{d.pk}/end", {}).status_code == 404
    if role != "lower_case_manager":  # staff of another facility see their own kitchen
        for url in ("/regime/meals/", "/regime/faith/", "/api/v1/regime/meals"):
            assert c.get(url).status_code == 404
        assert c.post("/regime/faith/", VISIT).status_code == 404
        assert _post_json(c, "/api/v1/regime/clergy-visits", API_VISIT).status_code == 404
    assert _state() == before


def test_a_diet_outside_the_caseload_is_404(anna, users, estate):
    in_b = admitted(users, estate.high, estate.cells_b[0], given_names="Bjørn")
    d = diet(in_b, "kosher")
    c = _client(users["contact_officer"])
    assert c.get(f"/regime/persons/{in_b.person_id}/diet/").status_code == 404
    assert c.get(f"/regime/persons/{anna.person_id}/diet/{d.pk}/end/").status_code == 404
    assert _post_json(c, f"/api/v1/regime/diets/{d.pk}/end", {}).status_code == 404
    assert DietRequirement.objects.get().ends_on is None


def test_the_meals_page(kitchen, users):
    c = _client(users["officer"])
    body = c.get("/regime/meals/").content.decode()
    assert "Meal numbers" in body and "Kollektivet" in body
    assert "kr\u00a0122,00" in body
    assert '<tr id="catered-total"><th scope="row">Total</th><td class="app-num">7</td>' in body
    assert "Avdeling A: Allergy – nøtter (1)" in body
    assert 'value="2026-03-02"' in body
    r = c.get("/regime/meals/?date=2026-03-03")
    assert r.status_code == 200 and "Tuesday 3. March 2026" in r.content.decode()
    r = c.get("/regime/meals/?date=2026-02-01")
    assert r.status_code == 400 and "choose today or a day up to 14 days ahead" in (
        r.content.decode()
    )
    assert 'id="catered"' not in r.content.decode()


def test_the_meals_page_costs_the_same_for_more_persons(kitchen, users):
    c = _client(users["case_manager"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/regime/meals/").status_code == 200
        return len(ctx)

    first = queries()
    for code in ("B7", "B8"):
        ep = admitted(users, kitchen.high, CellFactory(unit=kitchen.unit_b, code=code))
        diet(ep, "kosher")
    assert queries() == first


def test_meals_api(kitchen, users):
    c = _client(users["case_manager"])
    got = c.get("/api/v1/regime/meals?date=2026-03-02").json()
    assert got["total"]["persons"] == 7 and got["total"]["ordinary"] == 3
    assert got["total"]["diets"] == {"halal": 2, "allergy": 1, "vegetarian": 1, "medical": 1}
    assert got["catered"][0]["details"] == [{"kind": "allergy", "detail": "nøtter", "persons": 1}]
    assert got["self_catering"] == [
        {"unit_id": got["self_catering"][0]["unit_id"], "unit": "Kollektivet", "persons": 1,
         "food_ore": 12200}
    ]  # fmt: skip
    assert (got["food_ore_per_person"], got["food_ore_total"]) == (12200, 12200)
    r = c.get("/api/v1/regime/meals?date=tomorrow")
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "date"


def test_the_faith_page_and_recording_a_visit(chapel, users, anna):
    c = _client(users["contact_officer"])
    body = c.get("/regime/faith/").content.decode()
    assert "Den katolske kirke" in body and "No services or visits" in body
    assert "Imam Ali" in body and anna.person.full_name in body
    assert '<option value="Islam"></option>' in body and '"Open to all communities"' not in body
    assert AuditEvent.objects.filter(action="view.regime.faith", person_id=anna.person_id)
    before = _state()
    r = c.post("/regime/faith/", {**VISIT, "starts_at": "2026-03-02T18:00"})
    assert r.status_code == 400 and "once it has taken place" in r.content.decode()
    assert _state() == before
    r = c.post("/regime/faith/", {**VISIT, "person_id": str(anna.person_id)})
    assert r.status_code == 302 and r["Location"] == "/regime/faith/#h-visits"
    v = ClergyVisit.objects.latest("pk")
    assert (v.person_id, v.external, v.minutes) == (anna.person_id, False, 45)


def test_officers_see_faith_without_recording(chapel, users):
    c = _client(users["officer"])
    body = c.get("/regime/faith/").content.decode()
    assert "Gudstjeneste" in body and 'id="h-add"' not in body
    before = _state()
    assert c.post("/regime/faith/", VISIT).status_code == 404
    assert _post_json(c, "/api/v1/regime/clergy-visits", API_VISIT).status_code == 403
    assert _state() == before


def test_diet_and_faith_api_round_trip(anna, chapel, users):
    c = _client(users["contact_officer"])
    api = f"/api/v1/regime/persons/{anna.person_id}/diets"
    r = _post_json(c, api, {"kind": "allergy", "detail": "skalldyr"})
    assert r.status_code == 201
    created = r.json()
    assert (created["kind"], created["starts_on"], created["ends_on"]) == (
        "allergy",
        "2026-03-02",
        None,
    )
    r = _post_json(c, api, {"kind": "allergy", "detail": "skalldyr"})
    assert r.status_code == 409
    r = _post_json(c, f"/api/v1/regime/diets/{created['id']}/end", {"ends_on": "2026-03-05"})
    assert r.status_code == 200 and r.json()["ends_on"] == "2026-03-05"
    assert [d["detail"] for d in c.get(api).json()] == ["skalldyr"]

    body = {**API_VISIT, "external": True, "minutes": 30}
    r = _post_json(c, "/api/v1/regime/clergy-visits", {**body, "minutes": 1000})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "minutes"
    r = _post_json(c, "/api/v1/regime/clergy-visits", body)
    assert r.status_code == 201 and r.json()["pastoral"] is False
    got = c.get("/api/v1/regime/clergy-visits").json()
    church = next(x for x in got["communities"] if x["community"] == "Den norske kirke")
    assert (church["services_held"], church["group_visits"], church["pastoral_visits"]) == (3, 1, 1)
    assert [v["person_id"] for v in got["visits"] if v["pastoral"]] == [anna.person_id]
