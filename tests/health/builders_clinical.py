"""Builders shared by the medication and observation tests (no tests here). Time is frozen at
Monday 2 March 2026, 09:30 UTC (10:30 in Oslo).

- Medication: ``world`` (a fixture: Anna and Bjørn in unit A, Cecilie in unit B, Dag in the
  lower-security prison), ``rx`` (a prescription through the service) and ``controlled``
  (a controlled drug with its line in the book).
- Observation: ``build`` (Anders in unit A, Berit in unit B, Lone in the lower-security prison)
  and ``move`` (time goes on from ``NOW``).
- Both: ``lower_clinician``, ``assert_main_log_clean`` and ``queries`` (what a page costs)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from normalitet.audit.models import AuditEvent
from normalitet.health import services_medication as med
from normalitet.health.models import ControlledStock, Prescription

from ..custody.helpers import admitted
from ..factories import UserFactory
from .helpers import clinician, patient

TODAY = dt.date(2026, 3, 2)
YESTERDAY = TODAY - dt.timedelta(days=1)
TOMORROW = TODAY + dt.timedelta(days=1)
NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
REASON = "Uttalte selvmordstanker ved innkomst; tidligere forsøk 2024"


def lower_clinician(estate: Any, profession: str = "nurse") -> Any:
    """A member of the health staff of the lower-security facility (a nurse unless told)."""
    return UserFactory(
        username=f"lower-{profession}", role="health", profession=profession, facility=estate.lower
    )


def assert_main_log_clean(*words: str) -> None:
    """No row of the prison's audit log says anything clinical."""
    for event in AuditEvent.objects.all():
        blob = f"{event.action} {event.object_type} {event.reason} {event.data}".lower()
        for word in words:
            assert word.lower() not in blob, (word, event.action)


def queries(client: Any, url: str) -> int:
    """The queries a GET of ``url`` costs on both databases (it must answer 200)."""
    with (
        CaptureQueriesContext(connections["default"]) as main,
        CaptureQueriesContext(connections["health"]) as health,
    ):
        assert client.get(url).status_code == 200
    return len(main) + len(health)


# --- Medication --------------------------------------------------------------------------------


@pytest.fixture
def world(estate: Any, users: dict[str, Any], frozen: Any, nurse: Any, doctor: Any) -> Any:
    """Anna and Bjørn in unit A, Cecilie in unit B (all high security); Dag in the lower
    security prison, outside the health staff's caseload."""

    class W:
        pass

    w = W()
    w.users, w.estate, w.nurse, w.doctor = users, estate, nurse, doctor
    w.anna = patient(users, estate, given_names="Anna", family_name="Aas")
    w.bjorn = admitted(
        users, estate.high, estate.cells_a[1], given_names="Bjørn", family_name="Berg"
    )
    w.cecilie = admitted(users, estate.high, estate.cells_b[0], given_names="Cecilie")
    w.dag = admitted(users, estate.lower, estate.lower_cells[0], given_names="Dag")
    return w


def rx(w: Any, person: Any = None, **fields: Any) -> Prescription:
    """A prescription made by the doctor through the service (Anna's unless told)."""
    data = {
        "medicine": "Sertralin",
        "strength": "50 mg",
        "dose": "1 tablet",
        "units_per_dose": 1,
        "rounds": ["morning"],
        "as_needed": False,
        "controlled": False,
        "instructions": "",
        "starts_on": YESTERDAY,
        "ends_on": None,
        **fields,
    }
    person_id = (person or w.anna).person_id
    return med.prescription_create(actor=w.doctor, person_id=person_id, **data)


def controlled(w: Any, **fields: Any) -> tuple[Prescription, ControlledStock]:
    """Methadone 5 mg for Anna, a controlled drug: the prescription and its line in the book
    (the only line)."""
    p = rx(w, medicine="Metadon", strength="5 mg", controlled=True, **fields)
    return p, ControlledStock.objects.get()


# --- Observation -------------------------------------------------------------------------------


@dataclass
class World:
    anders: Any  # unit A: the officer's caseload
    berit: Any  # unit B: health staff's caseload, not the officer's
    lone: Any  # the lower-security facility: nobody's here
    nurse: Any
    doctor: Any
    psychologist: Any
    officer: Any


def build(estate: Any, users: dict[str, Any], nurse: Any, doctor: Any) -> World:
    return World(
        anders=patient(users, estate, given_names="Anders", family_name="Dahl"),
        berit=admitted(
            users, estate.high, estate.cells_b[0], given_names="Berit", family_name="Lie"
        ),
        lone=admitted(
            users, estate.lower, estate.lower_cells[0], given_names="Lone", family_name="Berg"
        ),
        nurse=nurse,
        doctor=doctor,
        psychologist=clinician(estate, "psychologist"),
        officer=users["officer"],
    )


def move(time_machine: Any, minutes: int) -> dt.datetime:
    when = NOW + dt.timedelta(minutes=minutes)
    time_machine.move_to(when, tick=False)
    return when
