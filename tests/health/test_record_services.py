"""Fitness for work and the medical diet (RULES.md § 10): who may state them, what is refused
(and then nothing changes), what the prison learns through the facade (the derived fact only),
and the health service's own log. Time is frozen at Monday 2 March 2026."""

from __future__ import annotations

from typing import Any

import pytest

from normalitet.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from normalitet.health import facade
from normalitet.health.models import HealthAuditEvent, MedicalDiet, WorkFitness
from normalitet.health.services_record import (
    diagnosis_in,
    diet_end,
    diet_set,
    fitness_set,
    history,
)

from ..factories import UserFactory
from .builders_record import CLINICAL, DAY, TODAY, changes, main_log_is_clean, world
from .helpers import clinician

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(users: dict[str, Any], estate: Any, frozen: Any) -> Any:
    return world(users, estate)


def _snapshot() -> tuple[list[Any], list[Any], int]:
    return (
        list(WorkFitness.objects.values()),
        list(MedicalDiet.objects.values()),
        HealthAuditEvent.objects.count(),
    )


# --- Fitness for work ----------------------------------------------------------------------------


def test_a_doctor_states_fitness_and_the_prison_learns_only_the_fact(w, doctor):
    pid = w.anders.person_id
    row = fitness_set(
        actor=doctor,
        person_id=pid,
        fitness="restricted",
        valid_from=TODAY,
        valid_to=TODAY + 13 * DAY,
        reason=CLINICAL,
    )
    assert (row.fitness, row.valid_from, row.valid_to, row.reason) == (
        "restricted",
        TODAY,
        TODAY + 13 * DAY,
        CLINICAL,
    )
    assert row.created_by_id == doctor.pk and row.created_by_name == "Doctor Helse"
    assert facade.fit_for_work([pid, w.berit.person_id]) == {pid: "restricted"}
    assert facade.fit_for_work([pid], on=TODAY + 14 * DAY) == {}  # then counts as fit
    (event,) = changes("health.fitness.set")
    assert event.person_id == pid and event.object_id == str(row.pk)
    assert event.data == {
        "fitness": "restricted",
        "valid_from": "2026-03-02",
        "valid_to": "2026-03-15",
        "replaced": [],
    }
    assert CLINICAL not in str(event.data) and main_log_is_clean(CLINICAL)


def test_a_new_statement_replaces_what_was_recorded_from_its_first_day(w, doctor):
    pid = w.anders.person_id
    first = fitness_set(
        actor=doctor, person_id=pid, fitness="unfit", valid_from=TODAY, reason="Brudd i foten"
    )
    later = fitness_set(
        actor=doctor,
        person_id=pid,
        fitness="restricted",
        valid_from=TODAY + 20 * DAY,
        reason="Gips av",
    )
    fit = fitness_set(actor=doctor, person_id=pid, fitness="fit", valid_from=TODAY + 7 * DAY)
    first.refresh_from_db()
    later.refresh_from_db()
    assert first.valid_to == TODAY + 6 * DAY  # cut the day before
    assert later.valid_to == later.valid_from - DAY  # planned, replaced before it began
    assert facade.fit_for_work([pid]) == {pid: "unfit"}
    assert facade.fit_for_work([pid], on=TODAY + 7 * DAY) == {pid: "fit"}
    assert facade.fit_for_work([pid], on=TODAY + 25 * DAY) == {pid: "fit"}
    assert [(r.pk, s) for r, s in history(WorkFitness, pid)] == [
        (later.pk, "replaced"),
        (fit.pk, "planned"),
        (first.pk, "in_force"),
    ]
    assert changes("health.fitness.set")[-1].data["replaced"] == [first.pk, later.pk]


@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [
        ({"fitness": "sick"}, DomainError, "fitness"),
        ({"valid_from": TODAY - DAY}, DomainError, "valid_from"),
        ({"valid_to": TODAY - DAY}, DomainError, "valid_to"),
        ({"fitness": "unfit", "reason": "  "}, DomainError, "reason"),
        ({"reason": "x" * 2001}, DomainError, "reason"),
    ],
)
def test_bad_fitness_input_changes_nothing(w, doctor, fields, error, field):
    fitness_set(actor=doctor, person_id=w.anders.person_id, fitness="fit", valid_from=TODAY)
    before = _snapshot()
    args = {"fitness": "restricted", "valid_from": TODAY + DAY, "reason": "Rygg", **fields}
    with pytest.raises(error) as exc:
        fitness_set(actor=doctor, person_id=w.anders.person_id, **args)
    assert exc.value.field == field
    assert _snapshot() == before


def test_fitness_is_stated_by_doctors_and_dentists_only_in_their_facility(w, users, estate, nurse):
    before = _snapshot()
    args = {"fitness": "unfit", "valid_from": TODAY, "reason": "Feber"}
    with pytest.raises(PermissionDenied):
        fitness_set(actor=nurse, person_id=w.anders.person_id, **args)
    for role in ("officer", "case_manager", "admin"):
        with pytest.raises(NotFound):
            fitness_set(actor=users[role], person_id=w.anders.person_id, **args)
    doctor_elsewhere = UserFactory(
        username="lyn_doctor", role="health", profession="doctor", facility=estate.lower
    )
    with pytest.raises(NotFound):
        fitness_set(actor=doctor_elsewhere, person_id=w.anders.person_id, **args)
    assert _snapshot() == before
    dentist = clinician(estate, "dentist")
    fitness_set(actor=dentist, person_id=w.anders.person_id, **args)
    assert facade.fit_for_work([w.anders.person_id]) == {w.anders.person_id: "unfit"}


# --- Medical diet --------------------------------------------------------------------------------


def test_the_kitchen_learns_the_instruction_only(w, nurse):
    pid = w.berit.person_id
    diet = diet_set(
        actor=nurse,
        person_id=pid,
        kitchen_instruction="  Glutenfri kost ",
        reason=CLINICAL,
        valid_from=TODAY,
    )
    assert diet.kitchen_instruction == "Glutenfri kost" and diet.reason == CLINICAL
    assert facade.medical_diets([pid, w.anders.person_id]) == {pid: "Glutenfri kost"}
    (event,) = changes("health.diet.set")
    assert event.data == {"valid_from": "2026-03-02", "valid_to": None, "replaced": []}
    assert main_log_is_clean(CLINICAL, "Glutenfri")


@pytest.mark.parametrize(
    ("instruction", "word"),
    [
        ("Diabeteskost", "Diabeteskost"),
        ("Mat for diabetiker", "diabetiker"),
        ("cøliaki: ingen hvete", "cøliaki"),
        ("Coeliac diet", "Coeliac"),
        ("Celiac-safe meals", "Celiac"),
        ("Ingen nøtter (nøtteallergi)", "nøtteallergi"),
        ("Allergy: shellfish", "Allergy"),
        ("Laktoseintoleranse", "Laktoseintoleranse"),
        ("HIV-pasient, vanlig kost", "HIV"),
        ("Skånekost ved hepatitt C", "hepatitt"),
        ("Gravid: ekstra måltid", "Gravid"),
    ],
)
def test_a_diagnosis_in_the_kitchen_instruction_is_refused(w, nurse, instruction, word):
    assert diagnosis_in(instruction) == word
    before = _snapshot()
    with pytest.raises(DomainError) as exc:
        diet_set(
            actor=nurse,
            person_id=w.anders.person_id,
            kitchen_instruction=instruction,
            reason="Se journal",
            valid_from=TODAY,
        )
    assert exc.value.field == "kitchen_instruction" and exc.value.rule == "no-diagnosis"
    assert f"“{word}”" in exc.value.message and "glutenfri kost" in exc.value.message
    assert _snapshot() == before


@pytest.mark.parametrize(
    "instruction",
    ["Glutenfri kost", "Laktosefri kost", "Allergenfri meny", "Sukkerredusert kost", "Halal"],
)
def test_plain_kitchen_instructions_pass(instruction):
    assert diagnosis_in(instruction) is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kitchen_instruction": " "}, "kitchen_instruction"),
        ({"kitchen_instruction": "k" * 201}, "kitchen_instruction"),
        ({"reason": ""}, "reason"),
        ({"valid_from": TODAY - DAY}, "valid_from"),
        ({"valid_to": TODAY - DAY}, "valid_to"),
    ],
)
def test_bad_diet_input_changes_nothing(w, nurse, fields, field):
    diet_set(
        actor=nurse,
        person_id=w.anders.person_id,
        kitchen_instruction="Laktosefri kost",
        reason="r",
        valid_from=TODAY,
    )
    before = _snapshot()
    args = {"kitchen_instruction": "Glutenfri kost", "reason": "r", "valid_from": TODAY, **fields}
    with pytest.raises(DomainError) as exc:
        diet_set(actor=nurse, person_id=w.anders.person_id, **args)
    assert exc.value.field == field
    assert _snapshot() == before


def test_a_new_diet_replaces_the_one_in_force_and_a_diet_is_stopped(w, nurse):
    pid = w.anders.person_id
    old = diet_set(
        actor=nurse,
        person_id=pid,
        kitchen_instruction="Laktosefri kost",
        reason="r",
        valid_from=TODAY,
    )
    new = diet_set(
        actor=nurse,
        person_id=pid,
        kitchen_instruction="Glutenfri og laktosefri kost",
        reason="r",
        valid_from=TODAY + 2 * DAY,
    )
    old.refresh_from_db()
    assert old.valid_to == TODAY + DAY
    assert facade.medical_diets([pid]) == {pid: "Laktosefri kost"}
    assert facade.medical_diets([pid], on=TODAY + 2 * DAY) == {pid: "Glutenfri og laktosefri kost"}

    stopped = diet_end(actor=nurse, diet_id=new.pk, on=TODAY + 10 * DAY)
    assert stopped.valid_to == TODAY + 9 * DAY
    assert facade.medical_diets([pid], on=TODAY + 10 * DAY) == {}
    assert changes("health.diet.end")[-1].data == {
        "on": "2026-03-12",
        "valid_to_before": None,
        "valid_to": "2026-03-11",
    }
    # Stopping a planned diet from before it begins withdraws it: it is never in force.
    withdrawn = diet_end(actor=nurse, diet_id=new.pk, on=TODAY)
    assert withdrawn.valid_to == new.valid_from - DAY
    assert facade.medical_diets([pid], on=TODAY + 3 * DAY) == {}
    # Stopping the one in force from today: the kitchen no longer follows it today.
    diet_end(actor=nurse, diet_id=old.pk, on=TODAY)
    assert facade.medical_diets([pid]) == {}


def test_stopping_a_diet_refuses_the_past_and_a_stopped_diet(w, users, nurse):
    pid = w.anders.person_id
    diet = diet_set(
        actor=nurse,
        person_id=pid,
        kitchen_instruction="Laktosefri kost",
        reason="r",
        valid_from=TODAY,
        valid_to=TODAY + 5 * DAY,
    )
    before = _snapshot()
    with pytest.raises(DomainError) as exc:
        diet_end(actor=nurse, diet_id=diet.pk, on=TODAY - DAY)
    assert exc.value.field == "on"
    with pytest.raises(Conflict):
        diet_end(actor=nurse, diet_id=diet.pk, on=TODAY + 7 * DAY)  # stops on its own by then
    with pytest.raises(NotFound):
        diet_end(actor=nurse, diet_id=diet.pk + 99, on=TODAY)
    with pytest.raises(NotFound):
        diet_end(actor=users["officer"], diet_id=diet.pk, on=TODAY)
    assert _snapshot() == before


def test_no_diet_or_fitness_for_a_person_outside_the_facility(w, nurse, doctor):
    before = _snapshot()
    with pytest.raises(NotFound):
        diet_set(
            actor=nurse,
            person_id=w.away.person_id,
            kitchen_instruction="Halal",
            reason="r",
            valid_from=TODAY,
        )
    with pytest.raises(NotFound):
        fitness_set(actor=doctor, person_id=w.away.person_id, fitness="fit", valid_from=TODAY)
    assert _snapshot() == before
