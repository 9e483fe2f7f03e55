"""Observation pages: unit staff's watch board and checks (the level and the clock, never the
reason), health staff's overview and a person's observation record. Anyone else gets 404; a
clinician of the wrong profession 403. Time is frozen at 2 March 2026 09:30 UTC (10:30 Oslo)."""

from __future__ import annotations

import datetime as dt
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

from ..custody.helpers import admitted
from .builders_clinical import NOW, REASON, World, assert_main_log_clean, build, move, queries
from .helpers import client_for

pytestmark = pytest.mark.django_db
WATCH = "/health/watch/"


@pytest.fixture
def w(estate: Any, users: dict[str, Any], nurse: Any, doctor: Any, frozen: Any) -> World:
    world = build(estate, users, nurse, doctor)
    obs.observation_set(actor=nurse, person_id=world.anders.person_id, level="close", reason=REASON)
    obs.observation_set(actor=nurse, person_id=world.berit.person_id, level="hourly", reason="B")
    return world


def person_url(w: World, suffix: str = "") -> str:
    return f"/health/watch/{w.anders.person_id}/{suffix}"


def record_url(pid: int) -> str:
    return f"/health/persons/{pid}/observation/"


# --- Unit staff ----------------------------------------------------------------------------------


def test_watch_board_shows_the_caseload_and_the_clock_never_the_reason(w):
    body = client_for(w.officer).get(WATCH).content.decode()
    assert "Anders" in body and "Berit" not in body  # unit B is not the officer's
    assert "<td>Close<br>" in body and "Every 15 minutes" in body and "10:45" in body
    assert 'hx-trigger="every 60s"' in body and 'hx-select="#watch-board"' in body
    assert f'action="{person_url(w, "check/")}"' in body and 'value="distressed"' in body
    assert 'role="alert"' not in body and "Checks overdue" not in body
    assert REASON not in body


def test_overdue_alert_names_the_person_and_the_board_raises_the_missed_check(w, time_machine):
    move(time_machine, 31)  # due 09:45; the grace ends 09:50
    body = client_for(w.officer).get(WATCH).content.decode()
    alert = body[body.index('<div class="ds-alert" data-color="danger" role="alert">') :]
    alert = alert[: alert.index("</div>")]
    assert "Anders" in alert and "overdue by 16 minutes" in alert
    assert "Overdue by 16 minutes" in body
    assert MissedCheck.objects.filter(person_id=w.anders.person_id).count() == 1
    # Berit is not the officer's, but the sweep covers the facility.
    assert client_for(w.officer).get(WATCH).status_code == 200
    assert MissedCheck.objects.count() == 1


def test_the_alert_is_counted_once_and_only_when_the_page_frame_reads_it(w, time_machine):
    """A fragment (no page frame) costs no health query; a page asks once however often the
    frame reads the count."""
    from types import SimpleNamespace

    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    from normalitet.health.context_processors import observation_alerts

    move(time_machine, 31)  # Anders' check is overdue
    with CaptureQueriesContext(connections["health"]) as health:
        context = observation_alerts(SimpleNamespace(user=w.officer))
    assert len(health) == 0
    with CaptureQueriesContext(connections["health"]) as health:
        assert context["observation_overdue"]() == 1
        assert context["observation_overdue"]() == 1
    assert len(health) == 1
    assert observation_alerts(SimpleNamespace(user=w.nurse)) == {}


def test_officer_records_a_check_from_the_board(w, time_machine):
    move(time_machine, 10)
    officer = client_for(w.officer)
    r = officer.post(person_url(w, "check/"), {"state": "settled", "note": ""}, follow=True)
    assert r.redirect_chain == [(WATCH, 302)]
    body = r.content.decode()
    assert "The check on Anders Dahl at 10:40 is recorded." in body
    assert "10:40" in body and "Kari Betjent" in body and REASON not in body
    check = ObservationCheck.objects.get()
    assert (check.state, check.created_by_id, check.checked_at) == (
        "settled",
        w.officer.pk,
        NOW + dt.timedelta(minutes=10),
    )
    r = officer.post(person_url(w, "check/"), {"state": "asleep", "back": "person"})
    assert r.status_code == 302 and r["Location"] == person_url(w)
    assert officer.get(person_url(w, "check/")).status_code == 405


def test_a_refused_check_is_shown_on_the_persons_page_and_changes_nothing(w):
    officer = client_for(w.officer)
    r = officer.post(person_url(w, "check/"), {"state": "distressed", "note": " "})
    body = r.content.decode()
    assert r.status_code == 400 and "Say what you saw and which health staff you told." in body
    assert 'aria-invalid="true"' in body and REASON not in body
    r = officer.post(person_url(w, "check/"), {"note": "x"})
    assert r.status_code == 400 and "This field is required." in r.content.decode()
    obs.observation_end(actor=w.doctor, person_id=w.anders.person_id, note="Slutt")
    r = officer.post(person_url(w, "check/"), {"state": "settled"})
    assert r.status_code == 400 and "not under observation" in r.content.decode()
    assert not ObservationCheck.objects.exists()


def test_watch_person_page_shows_the_level_and_recent_checks(w, time_machine):
    obs.check_record(actor=w.officer, person_id=w.anders.person_id, state="asleep")
    move(time_machine, 40)
    body = client_for(w.officer).get(person_url(w)).content.decode()
    assert "Observation: Anders Dahl" in body and "Seen, asleep (breathing)" in body
    assert "The check is overdue by 25 minutes." in body and 'role="alert"' in body
    assert REASON not in body


def test_unit_pages_are_404_for_others_and_outside_the_caseload(w, users):
    officer = client_for(w.officer)
    assert officer.get(f"/health/watch/{w.berit.person_id}/").status_code == 404
    r = officer.post(f"/health/watch/{w.berit.person_id}/check/", {"state": "settled"})
    assert r.status_code == 404
    assert officer.get(f"/health/watch/{w.lone.person_id}/").status_code == 404
    for role in ("health", "teacher", "regional", "visitor", "researcher"):
        c = client_for(users[role])
        assert c.get(WATCH).status_code == 404, role
        assert c.get(person_url(w)).status_code == 404, role
        assert c.post(person_url(w, "check/"), {"state": "settled"}).status_code == 404, role
    for role in ("contact_officer", "case_manager", "facility_leader"):
        assert client_for(users[role]).get(WATCH).status_code == 200, role
    assert not ObservationCheck.objects.exists()


def test_the_board_costs_the_same_with_more_persons(w, users, estate, nurse):
    def cost() -> int:
        return queries(client_for(w.officer), WATCH)

    before = cost()
    for name, cell in (("Cecilie", estate.cells_a[1]), ("Dag", estate.cells_a[2])):
        ep = admitted(users, estate.high, cell, given_names=name)
        obs.observation_set(actor=nurse, person_id=ep.person_id, level="frequent", reason="x")
        obs.check_record(actor=w.officer, person_id=ep.person_id, state="settled")
    assert cost() == before


# --- Health staff --------------------------------------------------------------------------------


def test_overview_shows_reasons_overdue_and_missed_checks(w, time_machine):
    move(time_machine, 31)
    nurse = client_for(w.nurse)
    body = nurse.get("/health/observation/").content.decode()
    assert REASON in body and "Anders Dahl" in body and "Berit Lie" in body
    assert "Overdue by 16 minutes" in body and "Not checked yet" in body
    assert 'aria-current="page"' in body
    assert MissedCheck.objects.count() == 1
    obs.check_record(actor=w.officer, person_id=w.anders.person_id, state="settled")
    body = nurse.get("/health/observation/").content.decode()
    assert "Checked at 11:01 by Kari Betjent" in body
    seen = HealthAuditEvent.objects.filter(kind="access", action="view.observation.overview")
    assert set(seen.values_list("person_id", flat=True)) == {
        w.anders.person_id,
        w.berit.person_id,
    }


def test_person_record_sets_changes_and_ends_the_level(w, estate):
    pid = w.anders.person_id
    nurse = client_for(w.nurse)
    body = nurse.get(record_url(pid)).content.decode()
    assert REASON in body and "Observation and crises" in body and 'aria-current="page"' in body
    assert "End the observation" not in body  # a nurse may not end it
    # The levels are offered with their intervals as the dated rules give them.
    assert ">Close: checked every 15 minutes</option>" in body
    assert ">Hourly: checked every 60 minutes</option>" in body
    assert "Constant: an officer stays with the person, logged every 15 minutes" in body
    r = nurse.post(
        record_url(pid), {"action": "set", "level-level": "constant", "level-reason": "Verre"}
    )
    assert r.status_code == 302 and r["Location"] == record_url(pid)
    assert ObservationLevel.objects.get(person_id=pid, ended_at__isnull=True).level == "constant"
    r = nurse.post(
        record_url(pid), {"action": "set", "level-level": "hourly", "level-reason": "Bedre"}
    )
    assert r.status_code == 403 and "Only a doctor or a psychologist" in r.content.decode()
    r = nurse.post(record_url(pid), {"action": "end", "end-end_note": "Stabil"})
    assert r.status_code == 403
    r = nurse.post(record_url(pid), {"action": "set", "level-level": "close"})
    assert r.status_code == 400
    assert ObservationLevel.objects.filter(person_id=pid).count() == 2
    doctor = client_for(w.doctor)
    assert "End the observation" in doctor.get(record_url(pid)).content.decode()
    r = doctor.post(record_url(pid), {"action": "end", "end-end_note": ""})
    assert r.status_code == 400
    r = doctor.post(record_url(pid), {"action": "end", "end-end_note": "Stabil"})
    assert r.status_code == 302
    body = doctor.get(record_url(pid)).content.decode()
    assert "The person is not under observation." in body and "Stabil" in body
    assert "Replaced by a new level" in body
    assert doctor.post(record_url(pid), {"action": "nonsense"}).status_code == 400
    assert_main_log_clean(REASON, "Verre")


def test_person_record_crises_and_steps(w):
    pid = w.anders.person_id
    nurse = client_for(w.nurse)
    r = nurse.post(
        record_url(pid),
        {
            "action": "crisis",
            "crisis-occurred_at": "2026-03-02T10:10",
            "crisis-kind": "attempt",
            "crisis-steps": ["first_aid", "ambulance"],
            "crisis-note": "Funnet med strikk",
        },
    )
    assert r.status_code == 302, r.content.decode()
    crisis = CrisisEvent.objects.get()
    assert crisis.steps == ["first_aid", "ambulance"]
    assert crisis.occurred_at == dt.datetime(2026, 3, 2, 9, 10, tzinfo=dt.UTC)
    r = nurse.post(
        record_url(pid),
        {"action": "crisis", "crisis-occurred_at": "2026-03-02T11:00", "crisis-kind": "other",
         "crisis-steps": ["doctor"]},
    )  # fmt: skip
    assert r.status_code == 400 and "The time cannot be in the future." in r.content.decode()
    r = nurse.post(record_url(pid), {"action": "steps", "crisis": crisis.pk})
    assert r.status_code == 400
    key = f"steps{crisis.pk}-steps"
    r = nurse.post(record_url(pid), {"action": "steps", "crisis": crisis.pk, key: ["debrief"]})
    assert r.status_code == 302
    r = nurse.post(record_url(pid), {"action": "steps", "crisis": crisis.pk + 5, key: ["items"]})
    assert r.status_code == 404
    r = nurse.post(
        record_url(w.berit.person_id), {"action": "steps", "crisis": crisis.pk, key: ["items"]}
    )
    assert r.status_code == 404
    crisis.refresh_from_db()
    assert crisis.steps == ["first_aid", "ambulance", "debrief"]
    body = nurse.get(record_url(pid)).content.decode()
    assert "Suicide attempt" in body and "Debrief held with staff" in body
    assert "Funnet med strikk" in body
    assert body.index("First aid given") < body.index("Ambulance or emergency room")


def test_health_pages_are_404_for_others_and_outside_the_facility(w, users):
    pid = w.anders.person_id
    roles = ("officer", "contact_officer", "case_manager", "facility_leader", "teacher", "admin")
    for role in roles:
        c = client_for(users[role])
        assert c.get("/health/observation/").status_code == 404, role
        assert c.get(record_url(pid)).status_code == 404, role
        r = c.post(record_url(pid), {"action": "set", "level-level": "hourly", "level-reason": "x"})
        assert r.status_code == 404, role
    assert client_for(w.nurse).get(record_url(w.lone.person_id)).status_code == 404
    assert ObservationLevel.objects.count() == 2


def test_reading_the_record_is_logged_in_the_health_log(w):
    client_for(w.nurse).get(record_url(w.anders.person_id))
    event = HealthAuditEvent.objects.get(kind="access", action="view.observation")
    assert (event.person_id, event.actor_id) == (w.anders.person_id, w.nurse.pk)


def test_no_officer_response_carries_the_reason(w, time_machine):
    """Every page and API answer an officer gets about an observed person: never the reason."""
    officer = client_for(w.officer)
    pid = w.anders.person_id
    move(time_machine, 31)
    responses = [
        officer.get(WATCH),
        officer.get(person_url(w)),
        officer.post(person_url(w, "check/"), {"state": "distressed"}),
        officer.post(person_url(w, "check/"), {"state": "distressed", "note": "Gråt"}, follow=True),
        officer.get(person_url(w)),
        officer.get("/health/observation/"),
        officer.get(record_url(pid)),
        officer.get("/api/v1/health/watch"),
        officer.get(f"/api/v1/health/persons/{pid}/observation"),
        officer.get(f"/api/v1/health/persons/{pid}/crises"),
        officer.get("/api/v1/health/observation"),
    ]
    assert [r.status_code for r in responses] == [
        200,
        200,
        400,
        200,
        200,
        404,
        404,
        200,
        404,
        404,
        404,
    ]
    for r in responses:
        assert REASON not in r.content.decode()
