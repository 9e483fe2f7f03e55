"""The register pages (the day's registers; one register with outcome buttons that post with
HTMX, the row answering for itself, and without JavaScript as a form post and a redirect; 'mark
the rest attended'), the allowance statement and its print, and the facility's week with its
compute button. Out of scope is a 404; bad input gives a message and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from normalitet.audit.models import AuditEvent
from normalitet.regime import allowance
from normalitet.regime.models import AllowanceDay, Attendance

from .helpers import client_for, place
from .test_attendance_world import LAST_WEEK, build, inside

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world(estate, users, time_machine):
    return build(estate, users, time_machine)


def _register_url(session, day="2026-03-02", tail=""):
    return f"/regime/registers/{session.pk}/{day}/{tail}"


def _marks():
    return list(Attendance.objects.order_by("pk").values_list("person_id", "outcome", "note"))


def test_the_registers_of_the_day(world, users):
    body = client_for(users["officer"]).get("/regime/registers/").content.decode()
    assert body.count("attendance register</span></a>") == 3 and "0 of 1" in body
    assert _register_url(world.morning) in body and "Grunnskolen" in body
    teacher = client_for(users["teacher"]).get("/regime/registers/?date=2026-03-02")
    assert teacher.status_code == 200
    text = teacher.content.decode()
    assert "Grunnskolen" in text and "Snekkerverkstedet" not in text
    sunday = client_for(users["officer"]).get("/regime/registers/?date=2026-03-01")
    assert "No sessions for you on this day." in sunday.content.decode()
    bad = client_for(users["officer"]).get("/regime/registers/?date=2026-13-40")
    assert bad.status_code == 400 and "Give the date as YYYY-MM-DD." in bad.content.decode()
    for role in ("health", "regional", "person_in_custody"):
        assert client_for(users[role]).get("/regime/registers/").status_code == 404


def test_the_register_page_and_who_may_open_it(world, users):
    c = client_for(users["officer"])
    body = c.get(_register_url(world.morning)).content.decode()
    assert f'id="p-{world.ola.person_id}"' in body and "Ola Aas" in body
    assert f'hx-post="{_register_url(world.morning, tail="mark/")}"' in body
    assert 'aria-pressed="false"' in body and "Mark the rest attended" in body
    assert client_for(users["teacher"]).get(_register_url(world.morning)).status_code == 404
    assert client_for(users["teacher"]).get(_register_url(world.lesson)).status_code == 200
    assert c.get(_register_url(world.morning, "2026-13-01")).status_code == 404
    saturday = c.get(_register_url(world.morning, "2026-02-28"))
    assert saturday.status_code == 400
    assert "The session does not run on that date." in saturday.content.decode()
    future = c.get(_register_url(world.morning, "2026-03-09")).content.decode()
    assert "The register can be taken on the day of the session." in future
    assert "Mark the rest attended" not in future


def test_an_outcome_button_with_htmx_swaps_its_row(world, users):
    c = client_for(users["officer"])
    data = {"person": world.ola.person_id, "outcome": "attended"}
    response = c.post(_register_url(world.morning, tail="mark/"), data, **HX)
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith(
        f'<tr id="p-{world.ola.person_id}">'
    )
    assert "<html" not in body and "<strong>Attended</strong>" in body
    assert 'value="attended" aria-pressed="true"' in body
    # Out of band: the progress and the status message that screen readers announce.
    assert 'hx-swap-oob="innerHTML">Marked: 1. Not marked: 0.</p>' in body
    assert '<p id="register-status" hx-swap-oob="innerHTML">Ola Aas: Attended</p>' in body
    assert _marks() == [(world.ola.person_id, "attended", "")]
    assert AllowanceDay.objects.get(episode=world.ola).allowance_ore == 7_900
    late = {"person": world.ola.person_id, "outcome": "legal_visit", "note": "Advokat"}
    body = c.post(_register_url(world.morning, tail="mark/"), late, **HX).content.decode()
    assert "Legal visit or court" in body and "Advokat" in body
    future = c.post(_register_url(world.morning, "2026-03-09", "mark/"), data, **HX)
    assert "for a day that has not come" in future.content.decode()
    assert _marks() == [(world.ola.person_id, "legal_visit", "Advokat")]


def test_without_javascript_a_mark_posts_and_redirects(world, users):
    c = client_for(users["officer"])
    url = _register_url(world.morning, tail="mark/")
    response = c.post(url, {"person": world.ola.person_id, "outcome": "sick"})
    assert response.status_code == 302
    assert response["Location"] == _register_url(world.morning) + f"#p-{world.ola.person_id}"
    assert "The mark is saved." in c.get(response["Location"]).content.decode()
    bad = c.post(url, {"person": world.ola.person_id, "outcome": "asleep"}, follow=True)
    assert "Select a valid choice." in bad.content.decode()
    nobody = c.post(url, {"person": world.per.person_id, "outcome": "attended"}, follow=True)
    assert "does not hold a place" in nobody.content.decode()
    assert _marks() == [(world.ola.person_id, "sick", "")]
    teacher = client_for(users["teacher"]).post(url, {"person": world.ola.person_id})
    assert teacher.status_code == 404 and _marks() == [(world.ola.person_id, "sick", "")]


def test_mark_the_rest_attended(world, users, estate, time_machine):
    anne = inside(users, estate.cells_a[2], time_machine, given_names="Anne", family_name="Ask")
    place(world.workshop, anne, starts_on=dt.date(2026, 2, 16))
    c = client_for(users["officer"])
    c.post(
        _register_url(world.morning, tail="mark/"),
        {"person": world.ola.person_id, "outcome": "sick"},
    )
    response = c.post(_register_url(world.morning, tail="rest/"), {"what": "attended"}, follow=True)
    assert "1 participant marked." in response.content.decode()
    assert dict(Attendance.objects.values_list("person_id", "outcome")) == {
        world.ola.person_id: "sick",
        anne.person_id: "attended",
    }
    cancelled = c.post(
        _register_url(world.morning, tail="rest/"), {"what": "cancelled"}, follow=True
    )
    assert "The session was not cancelled on that date." in cancelled.content.decode()


def test_the_register_costs_the_same_with_more_participants(world, users, estate, time_machine):
    c = client_for(users["officer"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(_register_url(world.morning)).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for cell in (estate.cells_a[2], estate.cells_b[1]):
        place(world.workshop, inside(users, cell, time_machine), starts_on=dt.date(2026, 2, 16))
    assert queries() == few


@pytest.fixture
def computed(world, users):
    allowance.allowance_compute(actor=users["case_manager"], days=LAST_WEEK)
    return world


def test_the_statement_page_and_its_print(computed, users):
    w = computed
    c = client_for(users["officer"])
    response = c.get(f"/regime/persons/{w.ola.person_id}/allowance/?month=2026-02")
    body = response.content.decode()
    assert response.status_code == 200 and body.count("<h1") == 1
    assert 'id="day-2026-02-23"' in body and 'id="day-2026-02-22"' not in body
    assert "kr\u00a079,00" in body and "kr\u00a010,00" in body
    assert "2 sessions not marked in the register: counted as attended." in body
    # Five working days of 89 kroner with the supplement.
    assert '<td class="app-num"><strong>kr\u00a0445,00</strong></td>' in body
    assert "Rates not confirmed for this year (configurable)." in body
    event = AuditEvent.objects.get(action="view.regime.allowance")
    assert (event.person_id, event.actor_id) == (w.ola.person_id, users["officer"].pk)
    empty = c.get(f"/regime/persons/{w.ola.person_id}/allowance/?month=2026-01").content.decode()
    assert "No days of this month have been computed yet." in empty
    printed = c.get(f"/regime/persons/{w.ola.person_id}/allowance/print/?month=2026-02&lang=nb")
    assert printed.status_code == 200 and printed["Content-Language"] == "nb"
    assert "kr\u00a0445,00" in printed.content.decode()
    bad = c.get(f"/regime/persons/{w.ola.person_id}/allowance/?month=februar")
    assert bad.status_code == 400 and "YYYY-MM" in bad.content.decode()


def test_the_statement_is_only_for_those_who_may_see_the_person(computed, users):
    w = computed
    url = "/regime/persons/{}/allowance/?month=2026-02"
    assert client_for(users["officer"]).get(url.format(w.per.person_id)).status_code == 404
    for role in ("teacher", "health", "regional", "lower_case_manager"):
        assert client_for(users[role]).get(url.format(w.ola.person_id)).status_code == 404
    assert client_for(users["case_manager"]).get(url.format(w.per.person_id)).status_code == 200
    # Only the case manager's reading is logged; the refused ones read nothing.
    assert list(
        AuditEvent.objects.filter(action="view.regime.allowance").values_list(
            "person_id", "actor_id"
        )
    ) == [(w.per.person_id, users["case_manager"].pk)]


def test_the_facility_week(computed, users):
    c = client_for(users["case_manager"])
    body = c.get("/regime/allowance/?week=2026-W09").content.decode()
    assert "Avdeling A" in body and "Avdeling B" in body and "Per Dahl" in body
    assert "Compute the week" in body and "Week 2026-W09" in body
    # Unit A: Ola 445 and Kari 395 kroner; Per on remand without an activity has none.
    assert "<strong>kr\u00a0840,00</strong>" in body and "No allowance" in body
    officer = client_for(users["officer"]).get("/regime/allowance/?week=2026-W09").content.decode()
    assert "Ola Aas" in officer and "Per Dahl" not in officer
    assert "Compute the week" not in officer
    assert client_for(users["teacher"]).get("/regime/allowance/").status_code == 404
    assert c.get("/regime/allowance/?week=2026-10").status_code == 400
    later = c.get("/regime/allowance/?week=2026-W11").content.decode()
    assert "No days of this week have been computed yet." in later
    assert "Compute the week" not in later  # none of its days has come


def test_the_compute_button(world, users):
    response = client_for(users["officer"]).post("/regime/allowance/compute/", {"week": "2026-W09"})
    assert response.status_code == 403 and not AllowanceDay.objects.exists()
    c = client_for(users["case_manager"])
    bad = c.post("/regime/allowance/compute/", {"week": "week nine"})
    assert bad.status_code == 400 and not AllowanceDay.objects.exists()
    response = c.post("/regime/allowance/compute/", {"week": "2026-W10"}, follow=True)
    assert "The allowance is computed: 3 person-days, 3 new or changed" in response.content.decode()
    assert list(AllowanceDay.objects.values_list("on", flat=True).distinct()) == [
        dt.date(2026, 3, 2)
    ]
