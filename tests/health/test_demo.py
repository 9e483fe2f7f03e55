"""The demo's health caseload on the small world: every part is made, in the health database
only, with the rules kept (one open observation per person, controlled doses in the stock book,
no prescription without a doctor), the demo logins' own cases, and a second run adds nothing.
Time is frozen at Monday 2 March 2026, 09:30 UTC."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count, Sum

from normalitet.demo.seed import seed
from normalitet.health import facade
from normalitet.health.demo import seed_health
from normalitet.health.models import (
    Appointment,
    CareReferral,
    DoseRecord,
    HealthRequest,
    ObservationLevel,
    Prescription,
    StockEntry,
)
from normalitet.identity.models import User

pytestmark = pytest.mark.django_db(databases="__all__")
SEED = 20_260_302


@pytest.fixture
def seeded(frozen: dt.datetime) -> dict[str, int]:
    seed(scale="small", progress=False)
    return seed_health(seed=SEED)


def test_every_part_is_made(seeded: dict[str, int]) -> None:
    for key in ("facilities", "requests", "appointments", "prescriptions", "doses", "checks"):
        assert seeded[key] > 0, key
    assert seeded["requests"] == HealthRequest.objects.count() - 1  # + the officer's own
    assert set(HealthRequest.objects.values_list("status", flat=True)) >= {"new", "booked"}
    assert Prescription.objects.filter(controlled=True).exists()


def test_the_rules_hold(seeded: dict[str, int]) -> None:
    per_person = ObservationLevel.objects.filter(ended_at__isnull=True).values("person_id")
    assert all(r["n"] == 1 for r in per_person.annotate(n=Count("id")))
    doctors = set(User.objects.filter(profession="doctor").values_list("pk", flat=True))
    assert set(Prescription.objects.values_list("created_by_id", flat=True)) <= doctors
    for entry in StockEntry.objects.filter(kind="dispensed").select_related("dose"):
        assert entry.dose is not None and entry.dose.outcome == "given"
    for stock_id, total in StockEntry.objects.values_list("stock_id").annotate(t=Sum("quantity")):
        assert total >= 0, stock_id
    assert not DoseRecord.objects.filter(day__gt=dt.date(2026, 3, 2)).exists()
    assert not CareReferral.objects.filter(status="appointment", first_appointment_at=None)


def test_the_demo_logins_have_cases(seeded: dict[str, int]) -> None:
    officer = User.objects.get(username="officer")
    mine = facade.observations(facility_id=officer.facility_id)
    assert mine, "the officer's units have a person under observation"
    nurse = User.objects.get(username="health")
    assert nurse.profession == "nurse" and nurse.facility_id == officer.facility_id
    escorted = Appointment.objects.filter(escort="outside", facility_id=officer.facility_id)
    assert escorted.exists()
    assert HealthRequest.objects.filter(created_by_id=officer.pk, channel="staff").exists()


def test_a_second_run_adds_nothing(seeded: dict[str, int]) -> None:
    before = (HealthRequest.objects.count(), Prescription.objects.count())
    assert seed_health(seed=SEED) == {}
    assert (HealthRequest.objects.count(), Prescription.objects.count()) == before
