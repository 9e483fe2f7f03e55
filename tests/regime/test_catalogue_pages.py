"""The catalogue and waiting-list pages: they render what is there, their forms and buttons
change what they say, bad input changes nothing, and out of scope is a 404 (a teacher sees only
the activities they lead). Time is frozen at Monday 2 March 2026."""

from __future__ import annotations

import datetime as dt

import pytest

from normalitet.audit.models import AuditEvent
from normalitet.regime.models import Activity, Allocation, Session, SessionCancellation

from ..custody.helpers import admitted
from .helpers import activity, place
from .helpers import client_for as _client

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)
NEW = {
    "name": "Metallverkstedet",
    "kind": "work",
    "category": "metalwork",
    "place": "Verkstedbygget",
    "capacity": "6",
    "security_levels": ["high"],
    "meets_activity_duty": "on",
    "supplement_ore": "12,50",
}


@pytest.fixture
def world(estate, users, frozen):
    anders = admitted(users, estate.high, estate.cells_a[0], given_names="Anders")
    berit = admitted(users, estate.high, estate.cells_b[0], given_names="Berit")
    work = activity(estate.high, "Snekkerverkstedet", capacity=2)
    school = activity(estate.high, "Vg1 norsk", category="upper_secondary", leader=users["teacher"])
    return {
        "anders": anders,
        "berit": berit,
        "work": work,
        "school": school,
        "held": place(work, anders),
        "waiting": place(school, berit, status="requested"),
        "elsewhere": activity(estate.lower, "Lyngmo kjøkken", category="kitchen"),
    }


def _state():
    return (
        list(Activity.objects.order_by("pk").values_list("pk", "name", "capacity", "is_active")),
        list(Allocation.objects.order_by("pk").values_list("pk", "status", "starts_on")),
        Session.objects.count(),
        SessionCancellation.objects.count(),
        AuditEvent.objects.filter(kind="change").count(),
    )


def test_catalogue_lists_counts_and_filters(world, users, django_assert_num_queries):
    c = _client(users["officer"])
    body = c.get("/regime/activities/").content.decode()
    assert "Snekkerverkstedet" in body and "Vg1 norsk" in body and "Lyngmo kjøkken" not in body
    assert "New activity" not in body  # officers do not manage the catalogue
    body = c.get("/regime/activities/?kind=education").content.decode()
    assert "Vg1 norsk" in body and "Snekkerverkstedet" not in body
    cm = _client(users["case_manager"])
    for n in range(6):
        activity(world["work"].facility, f"Ekstra {n}", category="cleaning")
    with django_assert_num_queries(3):  # session, user, the catalogue: whatever its size
        assert cm.get("/regime/activities/").status_code == 200


def test_teacher_sees_only_what_they_lead(world, users):
    c = _client(users["teacher"])
    body = c.get("/regime/activities/").content.decode()
    assert "Vg1 norsk" in body and "Snekkerverkstedet" not in body
    assert c.get(f"/regime/activities/{world['work'].pk}/").status_code == 404
    body = c.get(f"/regime/activities/{world['school'].pk}/").content.decode()
    assert "Berit" in body and 'action="/regime/allocations/' not in body
    assert c.get(f"/regime/persons/{world['berit'].person_id}/activities/").status_code == 200
    assert c.get(f"/regime/persons/{world['anders'].person_id}/activities/").status_code == 404


@pytest.mark.parametrize("role", ["health", "regional", "admin", "person_in_custody", "visitor"])
def test_others_see_nothing(world, users, role):
    c = _client(users[role])
    for url in (
        "/regime/activities/",
        f"/regime/activities/{world['work'].pk}/",
        "/regime/waiting-list/",
        f"/regime/persons/{world['anders'].person_id}/activities/",
    ):
        assert c.get(url).status_code == 404, url


def test_activity_page_shows_sessions_participants_and_waiting(world, users):
    c = _client(users["case_manager"])
    body = c.get(f"/regime/activities/{world['school'].pk}/").content.decode()
    assert "Monday" in body and "08:30–11:30" in body
    assert f'id="request-{world["waiting"].pk}"' in body and ">Approve" in body
    assert "Give a place" in body and "Nobody holds a place." in body
    body = c.get(f"/regime/activities/{world['work'].pk}/").content.decode()
    assert f'id="place-{world["held"].pk}"' in body and "End the place" in body
    assert "1 of 2 held, 1 free" in body
    assert c.get(f"/regime/activities/{world['elsewhere'].pk}/").status_code == 404
    officer = _client(users["officer"]).get(f"/regime/activities/{world['work'].pk}/")
    assert officer.status_code == 200 and "End the place" not in officer.content.decode()


def test_new_activity_form(world, users):
    c = _client(users["facility_leader"])
    assert c.get("/regime/activities/new/").status_code == 200
    before = _state()
    r = c.post("/regime/activities/new/", {**NEW, "category": "gym"})
    assert r.status_code == 400 and "Choose a category of the kind Work." in r.content.decode()
    r = c.post("/regime/activities/new/", {**NEW, "supplement_ore": "40"})
    assert r.status_code == 400 and "kr\u00a032,00" in r.content.decode()
    assert _state() == before
    r = c.post("/regime/activities/new/", {**NEW, "leader": users["officer"].pk})
    made = Activity.objects.get(name="Metallverkstedet")
    assert r.status_code == 302 and r["Location"] == f"/regime/activities/{made.pk}/"
    assert (made.supplement_ore, made.security_levels, made.leader) == (
        1250,
        ["high"],
        users["officer"],
    )
    assert _client(users["officer"]).get("/regime/activities/new/").status_code == 404


def test_edit_and_deactivate(world, users):
    c = _client(users["case_manager"])
    url = f"/regime/activities/{world['work'].pk}/edit/"
    assert "Snekkerverkstedet" in c.get(url).content.decode()
    r = c.post(url, {**NEW, "name": "Snekkerverkstedet", "category": "carpentry", "capacity": 4})
    assert r.status_code == 302
    assert Activity.objects.get(pk=world["work"].pk).capacity == 4
    r = c.post(f"/regime/activities/{world['work'].pk}/deactivate/")
    assert r.status_code == 409 and Activity.objects.get(pk=world["work"].pk).is_active
    assert c.get(f"/regime/activities/{world['elsewhere'].pk}/edit/").status_code == 404
    assert _client(users["officer"]).post(url, NEW).status_code == 404


def test_session_pages(world, users):
    c = _client(users["case_manager"])
    act = world["work"]
    r = c.post(
        f"/regime/activities/{act.pk}/sessions/new/",
        {"weekday": "5", "starts": "10:00", "ends": "12:00", "valid_from": "2026-03-07"},
    )
    assert r.status_code == 302 and act.sessions.filter(weekday=5).exists()
    before = _state()
    r = c.post(
        f"/regime/activities/{act.pk}/sessions/new/",
        {"weekday": "0", "starts": "09:00", "ends": "10:00", "valid_from": "2026-03-02"},
    )
    assert r.status_code == 400 and "already has a session then" in r.content.decode()
    assert _state() == before
    monday = act.sessions.filter(weekday=0).first()
    url = f"/regime/sessions/{monday.pk}/cancel/"
    r = c.post(url, {"on": "2026-03-09", "reason": "Verkstedet males"})
    assert r.status_code == 302
    body = c.get(f"/regime/activities/{act.pk}/").content.decode()
    assert "Verkstedet males" in body and "Run it after all" in body
    c.post(f"/regime/sessions/{monday.pk}/reinstate/", {"on": "2026-03-09"})
    assert not SessionCancellation.objects.exists()
    r = c.post(f"/regime/sessions/{monday.pk}/reinstate/", {"on": "2026-03-09"})
    assert r.status_code == 404 and "not cancelled on that date" in r.content.decode()
    r = c.post(f"/regime/sessions/{monday.pk}/end/", {"valid_to": "2026-03-31"})
    assert r.status_code == 302
    assert Session.objects.get(pk=monday.pk).valid_to == dt.date(2026, 3, 31)
    officer = _client(users["officer"])
    assert officer.get(url).status_code == 404
    other = world["elsewhere"].sessions.first()
    assert c.get(f"/regime/sessions/{other.pk}/cancel/").status_code == 404


def test_waiting_list_actions(world, users, estate):
    c = _client(users["case_manager"])
    carl = admitted(users, estate.high, estate.cells_a[1], given_names="Carl")
    early = place(world["work"], carl, status="requested")
    Allocation.objects.filter(pk=early.pk).update(requested_on=dt.date(2025, 12, 1))
    body = c.get("/regime/waiting-list/").content.decode()
    assert body.index("Carl") < body.index("Berit")
    url = f"/regime/allocations/{world['waiting'].pk}"
    r = c.post(f"{url}/decide/", {"decision": "approve", "next": "/regime/waiting-list/"})
    assert r.status_code == 302 and r["Location"] == "/regime/waiting-list/"
    assert Allocation.objects.get(pk=world["waiting"].pk).status == "approved"
    before = _state()
    r = c.post(f"/regime/allocations/{early.pk}/decide/", {"decision": "decline", "note": ""})
    assert r.status_code == 400 and "Give the reason for declining." in r.content.decode()
    r = c.post(f"{url}/allocate/", {"starts_on": "2026-03-01"})
    assert r.status_code == 400 and _state() == before
    r = c.post(f"{url}/allocate/", {"starts_on": "2026-03-03", "next": "https://evil.example/"})
    assert r.status_code == 302 and r["Location"] == f"/regime/activities/{world['school'].pk}/"
    assert Allocation.objects.get(pk=world["waiting"].pk).starts_on == dt.date(2026, 3, 3)
    r = c.post(f"/regime/allocations/{early.pk}/allocate/", {"starts_on": "2026-03-02"})
    assert r.status_code == 302 and Allocation.objects.get(pk=early.pk).status == "allocated"
    officer = _client(users["officer"])
    assert officer.get(f"/regime/allocations/{early.pk}/end/").status_code == 404
    assert c.get(f"/regime/allocations/{early.pk}/nonsense/").status_code == 404


def test_suspend_resume_and_end_pages(world, users):
    c = _client(users["case_manager"])
    url = f"/regime/allocations/{world['held'].pk}"
    body = c.get(f"{url}/suspend/").content.decode()
    assert "Suspend the place" in body and "Anders" in body
    assert AuditEvent.objects.filter(action="view.regime.allocation").exists()
    r = c.post(f"{url}/suspend/", {"reason": "health", "starts_on": "2026-03-02"})
    assert r.status_code == 302
    body = c.get(f"/regime/activities/{world['work'].pk}/").content.decode()
    assert "Suspended from" in body and "Resume today" in body
    assert c.post(f"{url}/resume/", {}).status_code == 302
    assert Allocation.objects.get(pk=world["held"].pk).status == "allocated"
    r = c.post(f"{url}/end/", {"reason": "completed", "ended_on": "2026-03-02", "note": "Fullført"})
    assert r.status_code == 302
    assert Allocation.objects.get(pk=world["held"].pk).end_reason == "completed"


def test_person_page_and_request(world, users):
    c = _client(users["officer"])
    url = f"/regime/persons/{world['anders'].person_id}/activities/"
    body = c.get(url).content.decode()
    assert "Snekkerverkstedet" in body and "Request a place" in body
    assert f'<option value="{world["school"].pk}">Vg1 norsk' in body
    assert AuditEvent.objects.filter(
        action="view.regime.activities", person_id=world["anders"].person_id
    ).exists()
    before = _state()
    r = c.post(url, {"activity": world["work"].pk})  # already has a place there
    assert r.status_code == 400 and _state() == before
    r = c.post(url, {"activity": world["school"].pk, "note": "Vil ta fagbrev"})
    assert r.status_code == 302
    mine = Allocation.objects.get(activity=world["school"], episode=world["anders"])
    assert (mine.status, mine.request_note) == ("requested", "Vil ta fagbrev")
    body = c.get(url).content.decode()
    assert "Withdraw the request" in body
    r = c.post(f"/regime/allocations/{mine.pk}/withdraw/", {"note": ""})
    assert r.status_code == 302 and Allocation.objects.get(pk=mine.pk).status == "withdrawn"
    berit = f"/regime/persons/{world['berit'].person_id}/activities/"
    assert c.get(berit).status_code == 404  # unit B is outside the officer's caseload
    teacher = _client(users["teacher"])
    assert teacher.post(berit, {"activity": world["work"].pk}).status_code == 404


def test_lists_cost_the_same_whatever_their_length(world, users, estate, django_assert_num_queries):
    c = _client(users["case_manager"])
    for cell in (*estate.cells_a[1:], estate.cells_b[1]):
        episode = admitted(users, estate.high, cell)
        place(world["work"], episode, status="requested")
        place(world["school"], episode)
    with django_assert_num_queries(10):
        assert c.get(f"/regime/activities/{world['school'].pk}/").status_code == 200
    with django_assert_num_queries(4):
        assert c.get("/regime/waiting-list/").status_code == 200
