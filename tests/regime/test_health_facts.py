"""What the daily regime sees of the health service, through its facade: an appointment slot
blocks other activities (the person's week shows it as "Health service" with its time; the
register shows the person at the health service and an absence there is the appointment, paid
in full; the unit's day lists the escorts), fitness for work (no place in work when not fit; a
warning when restricted) and medical diets (beside the regime's own, counted for the kitchen).
Health rows are written directly; no clinical text and no appointment's kind reaches a page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from normalitet.audit.models import AuditEvent
from normalitet.core.errors import Conflict
from normalitet.health import facade
from normalitet.regime import allocation, attendance, meals
from normalitet.regime.models import (
    AllocationStatus,
    AllowanceDay,
    Attendance,
    DietRequirement,
)

from .helpers import client_for, day_plan, place, post_json
from .test_attendance_world import TODAY, build
from .test_health_facts_rows import (
    appointment,
    assert_main_log_clean,
    assert_nothing_clinical,
    fitness,
    medical_diet,
    oslo,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/regime"
TOMORROW = TODAY + dt.timedelta(days=1)


@pytest.fixture
def world(estate, users, time_machine):
    w = build(estate, users, time_machine)
    day_plan(estate.unit_a)
    day_plan(estate.unit_b)
    return w


@pytest.fixture
def calls(monkeypatch):
    """How often each page asks the facade, by function."""
    counted: dict[str, int] = {}
    for name in ("appointment_slots", "fit_for_work", "medical_diets", "observations"):
        original = getattr(facade, name)

        def wrapper(*args: Any, _name: str = name, _original: Any = original, **kw: Any) -> Any:
            counted[_name] = counted.get(_name, 0) + 1
            return _original(*args, **kw)

        monkeypatch.setattr(facade, name, wrapper)
    return counted


def _get(user, url: str) -> str:
    response = client_for(user).get(url)
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


def _section(body: str, marker: str, end: str = "</section>") -> str:
    return body.split(marker, 1)[1].split(end, 1)[0]


# --- The person's week -------------------------------------------------------------------------


def test_the_week_shows_the_appointment_as_health_service_with_its_time_only(world, users, calls):
    appointment(world.ola, oslo(TODAY, "10:00"))
    appointment(world.ola, oslo(TODAY + dt.timedelta(days=2), "13:00"), status="cancelled")
    appointment(world.ola, oslo(TODAY + dt.timedelta(days=3), "12:30"), 60, escort="outside")
    body = _get(users["officer"], f"/regime/persons/{world.ola.person_id}/schedule/")
    monday = _section(body, 'id="day-1"')
    slot = monday.split("<td>10:00–10:45</td>")[1].split("</tr>")[0]
    assert "Health service" in slot and "<td>–</td>" in slot
    workshop = monday.split("<td>08:30–11:30</td>")[1].split("</tr>")[0]
    assert "Snekkerverkstedet" in workshop and "At the health service" in workshop
    afternoon = monday.split("<td>12:00–15:00</td>")[1].split("</tr>")[0]
    assert "At the health service" not in afternoon
    assert "Health service" not in _section(body, 'id="day-3"')  # the cancelled one
    thursday = _section(body, 'id="day-4"')
    assert "<td>12:30–13:30</td>" in thursday and "Health service" in thursday
    assert body.count("Health service") == 2
    assert calls["appointment_slots"] == 1  # once for the whole week
    assert_nothing_clinical(body)
    printed = _get(
        users["officer"], f"/regime/persons/{world.ola.person_id}/schedule/print/?lang=en"
    )
    assert "10:00–10:45" in printed and "Health service" in printed
    assert_nothing_clinical(printed)
    assert_main_log_clean()


def test_the_week_api_gives_the_times_only(world, users):
    appointment(world.ola, oslo(TODAY, "10:00"))
    got = client_for(users["officer"]).get(f"{API}/persons/{world.ola.person_id}/schedule")
    days = got.json()["days"]
    assert days[0]["health_service"] == [{"starts": "10:00", "ends": "10:45"}]
    assert all(d["health_service"] == [] for d in days[1:])
    assert_nothing_clinical(got.content.decode())


# --- The register ------------------------------------------------------------------------------


def _register(session, day: str = "2026-03-02", tail: str = "") -> str:
    return f"/regime/registers/{session.pk}/{day}/{tail}"


def test_the_register_shows_the_person_at_the_health_service(world, users, calls):
    appointment(world.ola, oslo(TODAY, "10:00"))
    body = _get(users["officer"], _register(world.morning))
    row = body.split(f'id="p-{world.ola.person_id}"')[1].split("</tr>")[0]
    assert "At the health service" in row
    assert "an appointment never costs the person allowance" in body
    assert calls["appointment_slots"] == 1
    assert_nothing_clinical(body)
    afternoon = _get(users["officer"], _register(world.session(world.workshop, starts="12:00")))
    assert "At the health service" not in afternoon
    api = client_for(users["officer"]).get(f"{API}/registers/{world.morning.pk}/2026-03-02")
    assert api.json()["at_health_service"] == [world.ola.person_id]
    assert_nothing_clinical(api.content.decode())


@pytest.mark.parametrize("outcome", ["unexcused", "absent", "sick", "late"])
def test_an_absence_during_an_appointment_is_the_appointment_and_paid_in_full(
    world, users, outcome
):
    appointment(world.ola, oslo(TODAY, "10:00"))
    mark = attendance.attendance_mark(
        actor=users["officer"],
        session_id=world.morning.pk,
        day=TODAY,
        person_id=world.ola.person_id,
        outcome=outcome,
    )
    assert Attendance.objects.get(pk=mark.pk).outcome == "health"
    day = AllowanceDay.objects.get(episode=world.ola, on=TODAY)
    # The afternoon is not marked (counts as attended): the whole day at the ordinary rate.
    assert (day.rate_kind, day.allowance_ore, day.supplement_ore) == ("ordinary", 7_900, 1_000)


def test_outside_an_appointment_the_mark_stands(world, users):
    appointment(world.ola, oslo(TODAY, "10:00"))
    officer = users["officer"]
    afternoon = world.session(world.workshop, starts="12:00")
    attendance.attendance_mark(
        actor=officer,
        session_id=afternoon.pk,
        day=TODAY,
        person_id=world.ola.person_id,
        outcome="unexcused",
    )
    attendance.attendance_mark(
        actor=users["teacher"],
        session_id=world.lesson.pk,
        day=TODAY,
        person_id=world.kari.person_id,
        outcome="unexcused",
    )
    marks = dict(Attendance.objects.values_list("person_id", "outcome"))
    assert marks == {world.ola.person_id: "unexcused", world.kari.person_id: "unexcused"}
    ola = AllowanceDay.objects.get(episode=world.ola, on=TODAY)
    assert (ola.rate_kind, ola.allowance_ore) == ("ordinary", 3_950)  # half the day unpaid


def test_a_refusal_or_attendance_during_an_appointment_is_kept(world, users):
    appointment(world.ola, oslo(TODAY, "10:00"))
    for outcome in ("attended", "refused"):
        attendance.attendance_mark(
            actor=users["officer"],
            session_id=world.morning.pk,
            day=TODAY,
            person_id=world.ola.person_id,
            outcome=outcome,
        )
        assert Attendance.objects.get().outcome == outcome


def test_a_cancelled_appointment_no_longer_excuses(world, users):
    appointment(world.ola, oslo(TODAY, "10:00"), status="cancelled")
    attendance.attendance_mark(
        actor=users["officer"],
        session_id=world.morning.pk,
        day=TODAY,
        person_id=world.ola.person_id,
        outcome="unexcused",
    )
    assert Attendance.objects.get().outcome == "unexcused"


def test_the_page_and_the_api_record_the_appointment(world, users):
    appointment(world.ola, oslo(TODAY, "10:00"))
    c = client_for(users["officer"])
    data = {"person": world.ola.person_id, "outcome": "unexcused"}
    response = c.post(_register(world.morning, tail="mark/"), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "<strong>Health appointment</strong>" in (
        response.content.decode()
    )
    assert Attendance.objects.get().outcome == "health"
    Attendance.objects.all().delete()
    got = post_json(
        c,
        f"{API}/registers/{world.morning.pk}/2026-03-02/marks",
        {"marks": [{"person_id": world.ola.person_id, "outcome": "absent"}]},
    )
    assert got.status_code == 200, got.content
    assert Attendance.objects.get().outcome == "health"
    assert_main_log_clean()


def test_marking_the_rest_attended_records_the_appointment(world, users):
    appointment(world.ola, oslo(TODAY, "09:00"), 120)
    lesson = world.lesson
    appointment(world.kari, oslo(TODAY, "13:00"))  # after the lesson: attended
    attendance.attendance_mark_rest_attended(
        actor=users["officer"], session_id=world.morning.pk, day=TODAY
    )
    attendance.attendance_mark_rest_attended(
        actor=users["officer"], session_id=lesson.pk, day=TODAY
    )
    marks = dict(Attendance.objects.values_list("person_id", "outcome"))
    assert marks == {world.ola.person_id: "health", world.kari.person_id: "attended"}


# --- The unit's day ----------------------------------------------------------------------------


def test_the_unit_day_lists_the_escorts_without_their_kind(world, users, estate, calls):
    appointment(world.ola, oslo(TODAY, "10:00"), escort="inside")
    appointment(world.kari, oslo(TODAY, "13:00"), 60, escort="outside")
    appointment(world.kari, oslo(TODAY, "15:00"), escort="none")  # comes on their own
    appointment(world.per, oslo(TODAY, "11:00"), escort="outside")  # unit B
    appointment(world.ola, oslo(TOMORROW, "09:00"), escort="outside")  # another day
    body = _get(users["officer"], f"/regime/units/{estate.unit_a.pk}/day/")
    table = _section(body, 'id="escorts"', "</table>")
    rows = [r.split("</tr>")[0] for r in table.split("<tr>")[2:]]
    assert len(rows) == 2
    assert "10:00–10:45" in rows[0] and "Ola Aas" in rows[0] and "Inside the prison" in rows[0]
    assert "13:00–14:00" in rows[1] and "Kari Berg" in rows[1] and "Outside the prison" in rows[1]
    assert "Per Dahl" not in table
    assert calls["appointment_slots"] == 1
    assert_nothing_clinical(body)
    printed = _get(users["officer"], f"/regime/units/{estate.unit_a.pk}/day/print/?lang=en")
    assert "Kari Berg" in _section(printed, 'id="escorts"', "</table>")
    assert_nothing_clinical(printed)
    api = client_for(users["officer"]).get(f"{API}/units/{estate.unit_a.pk}/day")
    assert [(e["name"], e["escort"], e["starts_at"]) for e in api.json()["escorts"]] == [
        ("Ola Aas", "inside", "2026-03-02T10:00:00+01:00"),
        ("Kari Berg", "outside", "2026-03-02T13:00:00+01:00"),
    ]
    assert_nothing_clinical(api.content.decode())


def test_a_unit_day_without_escorts_says_so(world, users, estate):
    body = _get(users["officer"], f"/regime/units/{estate.unit_a.pk}/day/")
    assert "Nobody from the unit needs an escort to the health service on this day." in body


# --- Fitness for work --------------------------------------------------------------------------


def _allocate_url(a) -> str:
    return f"/regime/allocations/{a.pk}/allocate/"


def test_a_person_not_fit_for_work_gets_no_place_in_work(world, users):
    request = place(world.workshop, world.kari, status="requested")
    fitness(world.kari, "unfit")
    c = client_for(users["case_manager"])
    page = c.get(_allocate_url(request)).content.decode()
    alert = _section(page, 'id="work-fitness"', "</div>")
    assert "The health service has said the person is not fit for work" in alert
    response = c.post(_allocate_url(request), {"starts_on": "2026-03-02"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "The health service has said the person is not fit for work on that date." in body
    assert_nothing_clinical(body)
    request.refresh_from_db()
    assert request.status == AllocationStatus.REQUESTED and request.starts_on is None
    assert not AuditEvent.objects.filter(action="regime.allocation_allocate").exists()
    with pytest.raises(Conflict) as refused:
        allocation.allocation_allocate(actor=users["case_manager"], allocation=request)
    assert (refused.value.rule, refused.value.field) == ("fitness", "starts_on")
    api = post_json(c, f"{API}/allocations/{request.pk}/allocate", {"starts_on": "2026-03-02"})
    assert api.status_code == 409 and api.json()["errors"][0]["rule"] == "fitness"
    assert_nothing_clinical(api.content.decode())


def test_not_fit_for_work_leaves_school_open_and_counts_from_its_date(world, users):
    cm = users["case_manager"]
    school = place(world.school, world.per, status="requested")
    fitness(world.per, "unfit")
    assert allocation.allocation_allocate(actor=cm, allocation=school).status == "allocated"
    request = place(world.workshop, world.kari, status="requested")
    fitness(world.kari, "unfit", valid_from=dt.date(2026, 3, 9))
    with pytest.raises(Conflict):
        allocation.allocation_allocate(actor=cm, allocation=request, starts_on=dt.date(2026, 3, 9))
    done = allocation.allocation_allocate(actor=cm, allocation=request)
    assert (done.status, done.starts_on) == ("allocated", TODAY)


def test_restricted_fitness_warns_and_allows(world, users):
    request = place(world.workshop, world.kari, status="requested")
    fitness(world.kari, "restricted")
    c = client_for(users["case_manager"])
    page = c.get(_allocate_url(request)).content.decode()
    head = page.split('id="work-fitness"')[0].rsplit("<div", 1)[1]
    assert 'data-color="warning"' in head
    assert "fit for restricted work only" in _section(page, 'id="work-fitness"', "</div>")
    assert_nothing_clinical(page)
    response = c.post(_allocate_url(request), {"starts_on": "2026-03-02"}, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "The health service has said the person is fit for restricted work only." in body
    request.refresh_from_db()
    assert (request.status, request.starts_on) == ("allocated", TODAY)
    assert_nothing_clinical(body)


def test_no_warning_for_a_fit_person_or_other_activities(world, users):
    c = client_for(users["case_manager"])
    fitness(world.kari, "fit")
    work = place(world.workshop, world.kari, status="requested")
    assert 'id="work-fitness"' not in c.get(_allocate_url(work)).content.decode()
    fitness(world.per, "restricted")
    school = place(world.school, world.per, status="requested")
    assert 'id="work-fitness"' not in c.get(_allocate_url(school)).content.decode()


def test_a_suspended_place_in_work_is_not_resumed_while_not_fit(world, users):
    cm = users["case_manager"]
    work = world.ola_place
    allocation.allocation_suspend(actor=cm, allocation=work, reason="health")
    school = world.kari_place
    allocation.allocation_suspend(actor=cm, allocation=school, reason="health")
    fitness(world.ola, "unfit", valid_to=TOMORROW)
    fitness(world.kari, "unfit")
    c = client_for(cm)
    url = f"/regime/allocations/{work.pk}/resume/"
    page = c.get(url).content.decode()
    assert "cannot be given a place in work or go back to one" in _section(
        page, 'id="work-fitness"', "</div>"
    )
    response = c.post(url, {"on": "2026-03-02"})
    assert response.status_code == 400
    assert "not fit for work on that date" in response.content.decode()
    assert_nothing_clinical(response.content.decode())
    work.refresh_from_db()
    assert work.status == AllocationStatus.SUSPENDED
    api = post_json(c, f"{API}/allocations/{work.pk}/resume", {"on": "2026-03-02"})
    assert api.status_code == 409 and api.json()["errors"][0] == {
        "field": "on",
        "message": "The health service has said the person is not fit for work on that date.",
        "rule": "fitness",
    }
    # The statement runs until tomorrow: from the day after, the place can be resumed.
    later = TOMORROW + dt.timedelta(days=1)
    done = allocation.allocation_resume(actor=cm, allocation=work, on=later)
    assert done.status == AllocationStatus.ALLOCATED
    # School is not work: the same statement does not keep Kari from it.
    assert allocation.allocation_resume(actor=cm, allocation=school).status == "allocated"


def test_the_activity_page_and_the_waiting_list_show_who_is_not_fully_fit(world, users, calls):
    fitness(world.ola, "restricted")  # holds a place in the workshop
    waiting = place(world.workshop, world.per, status="requested")
    fitness(world.per, "unfit")
    fitness(world.kari, "unfit")  # holds a place in school, which is not work
    officer = users["case_manager"]
    body = _get(officer, f"/regime/activities/{world.workshop.pk}/")
    ola = _section(body, f'id="place-{world.ola_place.pk}"', "</tr>")
    assert 'data-color="warning">Fit for restricted work</span>' in ola
    per = _section(body, f'id="request-{waiting.pk}"', "</tr>")
    assert 'data-color="danger">Not fit for work</span>' in per
    assert calls["fit_for_work"] == 1  # once for the participants and the waiting list
    assert_nothing_clinical(body)
    school = _get(officer, f"/regime/activities/{world.school.pk}/")
    assert "Not fit for work" not in _section(school, f'id="place-{world.kari_place.pk}"', "</tr>")
    listed = _get(officer, "/regime/waiting-list/")
    assert 'data-color="danger">Not fit for work</span>' in _section(
        listed, f'id="request-{waiting.pk}"', "</tr>"
    )
    # A later statement that the person is fit: nothing to show.
    fitness(world.ola, "fit", valid_from=TODAY)
    body = _get(officer, f"/regime/activities/{world.workshop.pk}/")
    assert "Fit for" not in _section(body, f'id="place-{world.ola_place.pk}"', "</tr>")


@pytest.mark.parametrize(
    ("value", "label", "color"),
    [
        ("restricted", "Fit for restricted work", "warning"),
        ("unfit", "Not fit for work", "danger"),
        ("fit", "Fit for work", "success"),
    ],
)
def test_the_activities_page_shows_the_fitness(world, users, calls, value, label, color):
    fitness(world.ola, value)
    body = _get(users["officer"], f"/regime/persons/{world.ola.person_id}/activities/")
    line = _section(body, 'id="work-fitness"', "</p>")
    assert f'data-color="{color}">{label}</span>' in line and "From the health service" in line
    assert calls["fit_for_work"] == 1
    assert_nothing_clinical(body)


def test_the_activities_page_without_a_statement(world, users):
    body = _get(users["officer"], f"/regime/persons/{world.ola.person_id}/activities/")
    assert 'id="work-fitness"' not in body


# --- Medical diets -----------------------------------------------------------------------------


def test_the_kitchen_counts_the_medical_diets_of_the_health_service(world, users, calls):
    medical_diet(world.ola, "Glutenfri kost")
    medical_diet(world.kari, "Myk kost")
    medical_diet(world.per, "Ikke servert", valid_from=TOMORROW)  # not yet
    DietRequirement.objects.create(
        person_id=world.kari.person_id, kind="medical", detail="Uten sukker", starts_on=TODAY
    )
    n = meals.meal_numbers(facility=world.ola.facility, day=TODAY)
    unit_a = n.catered[0]
    assert (unit_a.name, unit_a.present, unit_a.ordinary, dict(unit_a.diets)) == (
        "Avdeling A",
        2,
        0,
        {"medical": 2},  # Kari counted once, with both diets
    )
    assert unit_a.detail_lines() == [("Medical diet", "Uten sukker", 1)]
    assert unit_a.health_lines() == [("Glutenfri kost", 1), ("Myk kost", 1)]
    assert (n.total.with_diet, dict(n.total.diets)) == (2, {"medical": 2})
    body = _get(users["case_manager"], "/regime/meals/")
    details = _section(body, 'id="diet-details"', "</ul>")
    assert "Avdeling A: Medical diet – Glutenfri kost (1)" in details
    assert "from the health service" in details.split("Glutenfri kost")[1].split("</li>")[0]
    assert "Avdeling A: Medical diet – Uten sukker (1)</li>" in details
    assert "Ikke servert" not in body
    assert calls["medical_diets"] == 2  # once for the function above, once for the page
    assert_nothing_clinical(body)
    api = client_for(users["case_manager"]).get(f"{API}/meals?date=2026-03-02").json()
    assert api["catered"][0]["health_service_diets"] == [
        {"instruction": "Glutenfri kost", "persons": 1},
        {"instruction": "Myk kost", "persons": 1},
    ]
    assert api["total"]["diets"] == {"medical": 2}
    assert api["catered"][0]["details"] == [
        {"kind": "medical", "detail": "Uten sukker", "persons": 1}
    ]


def test_the_diet_page_shows_the_health_services_instruction(world, users):
    medical_diet(world.ola, "Glutenfri kost")
    body = _get(users["officer"], f"/regime/persons/{world.ola.person_id}/diet/")
    row = _section(body, 'id="diet-health"', "</tr>")
    assert "Medical diet" in row and "Glutenfri kost" in row
    assert "from the health service" in row
    assert "No special diet" not in body
    assert_nothing_clinical(body)
    other = _get(users["officer"], f"/regime/persons/{world.kari.person_id}/diet/")
    assert 'id="diet-health"' not in other and "No special diet: ordinary meals." in other
