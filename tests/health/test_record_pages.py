"""The health staff's pages: the day, the patient list, a person's record overview, fitness for
work and the medical diet. Health staff of the facility only (anyone else: 404), a person outside
the facility is a 404, a nurse may not state fitness (403), every read of a person is logged, and
the pages say which fields the prison sees. Time is frozen at Monday 2 March 2026, 10:30 Oslo."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from normalitet.health import facade
from normalitet.health.models import DoseRecord, MedicalDiet, WorkFitness
from normalitet.health.services_record import diet_set

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
    release,
    request,
    world,
)
from .helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(users: dict[str, Any], estate: Any, frozen: Any) -> Any:
    return world(users, estate)


@pytest.fixture
def busy(w: Any) -> Any:
    """A day's work: requests, appointments, an overdue and a fresh observation, doses due."""
    request(w.anders, service="dentist", created_at=NOW - 3 * DAY)
    request(w.berit)
    request(w.berit, status="triaged")
    request(w.away)  # another facility
    appointment(
        w.anders,
        NOW + dt.timedelta(hours=2),
        service="doctor",
        clinician_name="Dr. Berg",
        escort="inside",
    )
    appointment(w.berit, NOW - dt.timedelta(hours=1), status="cancelled")
    appointment(w.berit, NOW + DAY)
    observation(w.anders, NOW - dt.timedelta(minutes=40))  # 15-minute checks: overdue
    observation(w.berit, NOW - dt.timedelta(minutes=10), minutes=60)
    methadone = prescription(w.anders, rounds=["morning", "evening"], controlled=True)
    prescription(w.berit, "Sertralin", rounds=["morning"])
    prescription(w.berit, "Paracet", rounds=["morning"], as_needed=True)
    DoseRecord.objects.create(
        prescription=methadone,
        person_id=w.anders.person_id,
        day=TODAY,
        round="morning",
        outcome="given",
        created_at=NOW,
    )
    release(w.anders, TODAY + 20 * DAY)
    return w


def test_the_day_shows_the_work_waiting(busy, nurse):
    body = client_for(nurse).get("/health/").content.decode()
    assert "Health service today" in body
    assert "2 new requests waiting for triage" in body
    assert "1 appointment today" in body  # the cancelled one is left out
    assert "2 persons under observation" in body and "1 check overdue" in body
    assert "1 release soon with no referral sent" in body
    observations = body[body.index('id="observations"') : body.index('id="h-rounds"')]
    assert observations.index("Anders Ås") < observations.index("Berit Øvre")  # overdue first
    assert "Overdue by 25 minutes" in observations
    rounds = body[body.index('id="rounds"') : body.index('id="h-releases"')]
    # Morning: two persons, two doses due (as-needed medicine is not due), one recorded.
    assert (
        '<td class="app-num">2</td><td class="app-num">2</td><td class="app-num">1</td>' in rounds
    )
    assert "Evening" in rounds
    assert "Kari" not in body  # in another facility
    assert f'href="/health/persons/{busy.anders.person_id}/referrals/"' in body


def test_the_day_with_nothing_waiting(w, nurse):
    body = client_for(nurse).get("/health/").content.decode()
    assert "No new requests." in body and "Nobody is under observation." in body
    assert "No doses due today." in body and "Nobody leaving soon lacks a referral." in body


def test_the_patient_list_finds_by_name_or_number_with_flags(busy, nurse):
    c = client_for(nurse)
    body = c.get("/health/persons/").content.decode()
    assert "Anders Ås" in body and "Berit Øvre" in body and "Kari" not in body
    anders = body[body.index(f'id="patient-{busy.anders.person_id}"') :]
    anders = anders[: anders.index("</tr>")]
    assert "Under observation" in anders and "1 prescription" in anders
    assert "1 open request" in anders
    berit = body[body.index(f'id="patient-{busy.berit.person_id}"') :]
    assert "2 prescriptions" in berit[: berit.index("</tr>")]
    assert "2 open requests" in berit[: berit.index("</tr>")]
    body = c.get("/health/persons/", {"q": "øvre"}).content.decode()
    assert "Berit Øvre" in body and "Anders Ås" not in body
    number = busy.anders.person.person_number
    body = c.get("/health/persons/", {"q": number.lower()}).content.decode()
    assert "Anders Ås" in body and "Berit Øvre" not in body
    body = c.get("/health/persons/", {"q": "Kari"}).content.decode()
    assert "Nobody matches “Kari”." in body


def test_the_overview_of_a_person_logs_the_read(busy, nurse):
    pid = busy.anders.person_id
    diet_set(
        actor=nurse,
        person_id=pid,
        kitchen_instruction="Glutenfri kost",
        reason=CLINICAL,
        valid_from=TODAY,
    )
    r = client_for(nurse).get(f"/health/persons/{pid}/")
    body = r.content.decode()
    assert r.status_code == 200 and "Health record" in body
    assert "<strong>Close</strong> · every 15 minutes" in body
    assert "Selvmordstanker etter dom" in body
    assert "Metadon" in body and "Controlled drug" in body
    assert "Dr. Berg" in body and "Glutenfri kost" in body
    assert "No statement (counts as fit)" in body and "No referrals." in body
    assert 'aria-current="page"' in body
    assert reads(pid, "record") == 1
    assert main_log_is_clean(CLINICAL, "Selvmordstanker")


def test_the_record_and_the_medication_page_agree_on_what_is_current(w, nurse):
    """One starting later is current on both pages, marked "Not started"; one stopped or past its
    end is on neither; the day's rounds count only what is in force today."""
    prescription(w.anders, "Sertralin", starts_on=TODAY + DAY)
    prescription(w.anders, "Zopiklon", ends_on=TODAY - DAY)
    prescription(w.anders, "Paroksetin", stopped_at=NOW - DAY)
    c = client_for(nurse)
    pid = w.anders.person_id
    for url, table in (
        (f"/health/persons/{pid}/", "prescriptions"),
        (f"/health/persons/{pid}/medication/", "active"),
    ):
        body = c.get(url).content.decode()
        rows = body[body.index(f'id="{table}"') :]
        rows = rows[: rows.index("</table>")]
        assert "Sertralin" in rows and "Not started" in rows, url
        assert "Zopiklon" not in rows and "Paroksetin" not in rows, url
    patients = c.get("/health/persons/").content.decode()
    assert "1 prescription" in patients
    assert "No doses due today." in c.get("/health/").content.decode()


@pytest.mark.parametrize("role", PRISON_ROLES)
def test_the_pages_do_not_exist_for_prison_staff(w, users, role):
    c = client_for(users[role])
    pid = w.anders.person_id
    for url in (
        "/health/",
        "/health/persons/",
        f"/health/persons/{pid}/",
        f"/health/persons/{pid}/fitness/",
        f"/health/persons/{pid}/diet/",
    ):
        assert c.get(url).status_code == 404, url
    assert c.post(f"/health/persons/{pid}/diet/", {"action": "set"}).status_code == 404
    assert reads(pid, "record") == 0


def test_a_person_outside_the_facility_is_a_404(w, nurse, doctor):
    pid = w.away.person_id
    for url in (
        f"/health/persons/{pid}/",
        f"/health/persons/{pid}/fitness/",
        f"/health/persons/{pid}/diet/",
        "/health/persons/999999/",
    ):
        assert client_for(nurse).get(url).status_code == 404, url
    r = client_for(doctor).post(
        f"/health/persons/{pid}/fitness/", {"fitness": "fit", "valid_from": "2026-03-02"}
    )
    assert r.status_code == 404 and not WorkFitness.objects.exists()


def test_a_doctor_states_fitness_on_the_page(w, doctor):
    pid = w.anders.person_id
    c = client_for(doctor)
    body = c.get(f"/health/persons/{pid}/fitness/").content.decode()
    assert "The prison sees only: fit for work" in body and "Reason (health record only)" in body
    assert 'value="2026-03-02"' in body  # from today
    r = c.post(
        f"/health/persons/{pid}/fitness/",
        {
            "fitness": "unfit",
            "valid_from": "2026-03-02",
            "valid_to": "2026-03-08",
            "reason": CLINICAL,
        },
    )
    assert r.status_code == 302 and r.url == f"/health/persons/{pid}/fitness/"
    assert facade.fit_for_work([pid]) == {pid: "unfit"}
    body = c.get(f"/health/persons/{pid}/fitness/").content.decode()
    assert "Not fit for work" in body and CLINICAL in body and "In force" in body
    assert reads(pid, "fitness") == 3  # each page, the form post included


def test_bad_fitness_on_the_page_is_shown_and_changes_nothing(w, doctor):
    pid = w.anders.person_id
    r = client_for(doctor).post(
        f"/health/persons/{pid}/fitness/", {"fitness": "restricted", "valid_from": "2026-03-01"}
    )
    body = r.content.decode()
    assert r.status_code == 400 and "It cannot start in the past" in body
    r = client_for(doctor).post(
        f"/health/persons/{pid}/fitness/", {"fitness": "restricted", "valid_from": "2026-03-02"}
    )
    assert r.status_code == 400 and "Give the reason (health staff only)." in r.content.decode()
    assert not WorkFitness.objects.exists()


def test_a_nurse_reads_fitness_but_may_not_state_it(w, nurse):
    pid = w.anders.person_id
    c = client_for(nurse)
    body = c.get(f"/health/persons/{pid}/fitness/").content.decode()
    assert "Only a doctor or a dentist states fitness for work." in body
    assert "Record the statement" not in body
    r = c.post(f"/health/persons/{pid}/fitness/", {"fitness": "fit", "valid_from": "2026-03-02"})
    assert r.status_code == 403 and not WorkFitness.objects.exists()


def test_the_diet_page_sets_refuses_a_diagnosis_and_stops(w, nurse):
    pid = w.anders.person_id
    c = client_for(nurse)
    url = f"/health/persons/{pid}/diet/"
    body = c.get(url).content.decode()
    assert "Instruction to the kitchen (the prison sees this)" in body
    assert "Medical reason (health record only)" in body and "No medical diet." in body
    r = c.post(
        url,
        {
            "action": "set",
            "kitchen_instruction": "Cøliakikost",
            "reason": CLINICAL,
            "valid_from": "2026-03-02",
        },
    )
    body = r.content.decode()
    assert r.status_code == 400 and "“Cøliakikost”" in body and "glutenfri kost" in body
    assert not MedicalDiet.objects.exists()
    r = c.post(
        url,
        {
            "action": "set",
            "kitchen_instruction": "Glutenfri kost",
            "reason": CLINICAL,
            "valid_from": "2026-03-02",
        },
    )
    assert r.status_code == 302 and facade.medical_diets([pid]) == {pid: "Glutenfri kost"}
    diet = MedicalDiet.objects.get()
    body = c.get(url).content.decode()
    assert "Glutenfri kost" in body and CLINICAL in body and "Stop the diet" in body
    r = c.post(url, {"action": f"end:{diet.pk}", f"end{diet.pk}-on": "2026-03-01"})
    assert r.status_code == 400 and "It cannot stop in the past" in r.content.decode()
    r = c.post(url, {"action": f"end:{diet.pk}", f"end{diet.pk}-on": "2026-03-02"})
    assert r.status_code == 302 and facade.medical_diets([pid]) == {}
    assert (
        c.post(url, {"action": f"end:{diet.pk}", f"end{diet.pk}-on": "2026-03-02"}).status_code
        == 409
    )
    assert main_log_is_clean(CLINICAL)


def test_a_diet_of_another_person_cannot_be_stopped_from_this_page(w, nurse):
    other = diet_set(
        actor=nurse,
        person_id=w.berit.person_id,
        kitchen_instruction="Halal",
        reason="r",
        valid_from=TODAY,
    )
    r = client_for(nurse).post(
        f"/health/persons/{w.anders.person_id}/diet/",
        {"action": f"end:{other.pk}", f"end{other.pk}-on": "2026-03-02"},
    )
    assert r.status_code == 404
    assert facade.medical_diets([w.berit.person_id]) == {w.berit.person_id: "Halal"}


def _queries(client: Any, url: str) -> tuple[int, int]:
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    with (
        CaptureQueriesContext(connections["default"]) as main,
        CaptureQueriesContext(connections["health"]) as health,
    ):
        assert client.get(url).status_code == 200
    return len(main), len(health)


def test_the_lists_cost_the_same_with_more_persons(busy, users, estate, nurse):
    from ..custody.helpers import admitted

    c = client_for(nurse)
    urls = ("/health/", "/health/persons/")
    for url in urls:
        _queries(c, url)  # warm up
    before = [_queries(c, url) for url in urls]
    for i, cell in enumerate(estate.cells_a[1:]):
        ep = admitted(users, estate.high, cell, given_names=f"Ny{i}")
        request(ep)
        appointment(ep, NOW + dt.timedelta(hours=3))
        observation(ep, NOW - dt.timedelta(minutes=50))
        prescription(ep, rounds=["noon"])
        release(ep, TODAY + 5 * DAY)
    assert [_queries(c, url) for url in urls] == before
