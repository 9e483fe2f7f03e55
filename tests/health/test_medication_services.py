"""Medication services: prescribing and stopping (doctors and dentists only), the round sheet of
a unit, and doses recorded once per round. Every refusal changes nothing; every change and read
is in the health service's own log, and nothing clinical reaches the main audit log. Time is
frozen at Monday 2 March 2026, 10:30 in Oslo."""

from __future__ import annotations

import datetime as dt

import pytest

from normalitet.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from normalitet.health import services_medication as med
from normalitet.health.models import (
    ControlledStock,
    DoseRecord,
    HealthAuditEvent,
    Prescription,
)

from .builders_clinical import (
    TODAY,
    TOMORROW,
    YESTERDAY,
    assert_main_log_clean,
    lower_clinician,
    rx,
    world,
)
from .helpers import clinician

pytestmark = pytest.mark.django_db
__all__ = ["world"]


def changes(action: str | None = None) -> int:
    qs = HealthAuditEvent.objects.filter(kind="change")
    return qs.filter(action=action).count() if action else qs.count()


# --- Prescribing ---------------------------------------------------------------------------------


def test_doctor_prescribes_and_the_change_is_logged(world):
    p = rx(world, rounds=["night", "morning"], instructions="Med mat")
    assert (p.person_id, p.facility_id) == (world.anna.person_id, world.estate.high.pk)
    assert p.rounds == ["morning", "night"]
    assert (p.created_by_id, p.created_by_name) == (world.doctor.pk, "Doctor Helse")
    event = HealthAuditEvent.objects.get(action="health.prescription.create")
    assert (event.person_id, event.object_id, event.actor_id) == (
        world.anna.person_id,
        str(p.pk),
        world.doctor.pk,
    )
    assert event.data == {"rounds": ["morning", "night"], "as_needed": False, "controlled": False}
    assert not ControlledStock.objects.exists()
    assert_main_log_clean("Sertralin", "prescription", "Med mat")


def test_dentist_prescribes_as_needed(world):
    dentist = clinician(world.estate, "dentist")
    p = med.prescription_create(
        actor=dentist,
        person_id=world.bjorn.person_id,
        medicine="Ibuprofen",
        strength="400 mg",
        dose="1 tablet",
        units_per_dose=1,
        rounds=[],
        as_needed=True,
        controlled=False,
        instructions="Høyst 3 i døgnet",
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=5),
    )
    assert p.as_needed and p.rounds == [] and p.created_by_name == "Dentist Helse"


def test_controlled_prescription_opens_the_stock_line_once(world):
    first = rx(world, medicine="Metadon", strength="5 mg", controlled=True, units_per_dose=2)
    line = ControlledStock.objects.get()
    assert (line.facility_id, line.medicine, line.strength) == (
        world.estate.high.pk,
        "Metadon",
        "5 mg",
    )
    assert med.balance(line) == 0 and first.units_per_dose == 2
    second = rx(world, world.bjorn, medicine="  metadon ", strength="5 MG", controlled=True)
    assert ControlledStock.objects.count() == 1
    assert (second.medicine, second.strength) == ("Metadon", "5 mg")  # the book's spelling


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"rounds": []}, "rounds", "at least one round"),
        ({"rounds": ["morning"], "as_needed": True}, "rounds", "no fixed rounds"),
        ({"rounds": ["brunch"]}, "rounds", "from the list"),
        ({"ends_on": YESTERDAY - dt.timedelta(days=1)}, "ends_on", "before the start"),
        ({"medicine": "  "}, "medicine", "Name the medicine"),
        ({"dose": ""}, "dose", "Give the dose"),
        ({"units_per_dose": 0}, "units_per_dose", "between 1 and 100"),
        ({"medicine": "x" * 121}, "medicine", "At most 120"),
    ],
)
def test_bad_prescription_changes_nothing(world, fields, field, message):
    before = changes()
    with pytest.raises(DomainError) as exc:
        rx(world, controlled=True, **fields)
    assert exc.value.field == field and message in exc.value.message
    assert not Prescription.objects.exists() and not ControlledStock.objects.exists()
    assert changes() == before


def test_only_prescribers_of_the_facility_prescribe(world):
    args = {
        "medicine": "Sertralin",
        "strength": "",
        "dose": "1 tablet",
        "units_per_dose": 1,
        "rounds": ["morning"],
        "as_needed": False,
        "controlled": True,
        "instructions": "",
        "starts_on": TODAY,
        "ends_on": None,
    }
    for profession in ("nurse", "psychologist", "addiction"):
        actor = clinician(world.estate, profession, username=f"x-{profession}")
        with pytest.raises(PermissionDenied) as exc:
            med.prescription_create(actor=actor, person_id=world.anna.person_id, **args)
        assert exc.value.status_code == 403 and exc.value.rule == "profession"
    for role in ("officer", "case_manager", "facility_leader", "teacher", "admin"):
        with pytest.raises(NotFound):
            med.prescription_create(actor=world.users[role], person_id=world.anna.person_id, **args)
    with pytest.raises(NotFound):  # a person in another prison
        med.prescription_create(actor=world.doctor, person_id=world.dag.person_id, **args)
    assert not Prescription.objects.exists() and not ControlledStock.objects.exists()
    assert changes() == 0


# --- Stopping ------------------------------------------------------------------------------------


def test_stop_takes_the_prescription_out_of_later_rounds(world):
    p = rx(world, rounds=["morning", "evening"])
    stopped = med.prescription_stop(actor=world.doctor, prescription_id=p.pk, reason="Bivirkninger")
    assert stopped.stopped_at == world_now() and stopped.stopped_by_name == "Doctor Helse"
    assert stopped.stop_reason == "Bivirkninger"
    event = HealthAuditEvent.objects.get(action="health.prescription.stop")
    assert event.data == {} and event.person_id == world.anna.person_id
    unit = world.estate.unit_a.pk
    morning = med.round_sheet(actor=world.nurse, unit_id=unit, day=TODAY, round="morning")
    evening = med.round_sheet(actor=world.nurse, unit_id=unit, day=TODAY, round="evening")
    assert [d.prescription.pk for d in morning.persons[0].due] == [p.pk]  # held before the stop
    assert evening.persons == []
    with pytest.raises(DomainError) as exc:
        med.dose_record(actor=world.nurse, prescription_id=p.pk, day=TODAY, round="evening",
                        outcome="given", note="")  # fmt: skip
    assert exc.value.field == "round"
    assert_main_log_clean("Bivirkninger", "Sertralin")


def world_now() -> dt.datetime:
    return dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def test_stop_refusals_change_nothing(world):
    p = rx(world)
    ended = rx(world, starts_on=YESTERDAY - dt.timedelta(days=3), ends_on=YESTERDAY)
    before = changes()
    with pytest.raises(PermissionDenied):
        med.prescription_stop(actor=world.nurse, prescription_id=p.pk, reason="Nei")
    with pytest.raises(NotFound):
        med.prescription_stop(actor=world.users["officer"], prescription_id=p.pk, reason="Nei")
    with pytest.raises(NotFound):
        med.prescription_stop(actor=world.doctor, prescription_id=999_999, reason="Nei")
    with pytest.raises(DomainError) as exc:
        med.prescription_stop(actor=world.doctor, prescription_id=p.pk, reason=" ")
    assert exc.value.field == "reason"
    with pytest.raises(Conflict):
        med.prescription_stop(actor=world.doctor, prescription_id=ended.pk, reason="Ferdig")
    assert changes() == before
    assert Prescription.objects.filter(stopped_at__isnull=False).count() == 0
    med.prescription_stop(actor=world.doctor, prescription_id=p.pk, reason="Ferdig")
    with pytest.raises(Conflict):
        med.prescription_stop(actor=world.doctor, prescription_id=p.pk, reason="Igjen")
    assert Prescription.objects.get(pk=p.pk).stop_reason == "Ferdig"


def test_a_person_elsewhere_has_no_prescriptions_for_these_staff(world, estate):
    other_doctor = lower_clinician(estate, "doctor")
    p = med.prescription_create(
        actor=other_doctor, person_id=world.dag.person_id, medicine="Paracet", strength="",
        dose="2 tablets", units_per_dose=2, rounds=["noon"], as_needed=False, controlled=False,
        instructions="", starts_on=TODAY, ends_on=None,
    )  # fmt: skip
    with pytest.raises(NotFound):
        med.prescription_stop(actor=world.doctor, prescription_id=p.pk, reason="Nei")
    with pytest.raises(NotFound):
        med.dose_record(actor=world.nurse, prescription_id=p.pk, day=TODAY, round="noon",
                        outcome="given", note="")  # fmt: skip
    with pytest.raises(NotFound):
        med.medication_of(actor=world.nurse, person_id=world.dag.person_id)
    assert not DoseRecord.objects.exists()


# --- The round sheet -----------------------------------------------------------------------------


def test_round_sheet_lists_what_each_person_of_the_unit_is_due(world):
    a1 = rx(world, rounds=["morning", "evening"])
    a2 = rx(world, medicine="Paracetamol", strength="500 mg", rounds=[], as_needed=True)
    b1 = rx(world, world.bjorn, medicine="Levaxin", rounds=["morning"])
    rx(world, world.bjorn, medicine="Later", rounds=["morning"], starts_on=TOMORROW)
    rx(world, world.cecilie, medicine="Unit B", rounds=["morning"])
    before = HealthAuditEvent.objects.filter(kind="access").count()
    sheet = med.round_sheet(
        actor=world.nurse, unit_id=world.estate.unit_a.pk, day=TODAY, round="morning"
    )
    assert (sheet.unit_name, sheet.round, sheet.recordable) == ("Avdeling A", "morning", True)
    assert sheet.round_label == "Morning" and sheet.at.hour == 8
    assert [p.card.name for p in sheet.persons] == ["Anna Aas", "Bjørn Berg"]
    anna, bjorn = sheet.persons
    assert [d.prescription.pk for d in anna.due] == [a1.pk]
    assert [d.prescription.pk for d in anna.as_needed] == [a2.pk]
    assert [d.prescription.pk for d in bjorn.due] == [b1.pk] and bjorn.as_needed == []
    assert (sheet.due_count, sheet.recorded_count) == (2, 0)
    access = HealthAuditEvent.objects.filter(kind="access").order_by("id")
    assert access.count() == before + 2
    assert {(e.action, e.person_id) for e in access[before:]} == {
        ("view.medication.round", world.anna.person_id),
        ("view.medication.round", world.bjorn.person_id),
    }
    noon = med.round_sheet(actor=world.nurse, unit_id=world.estate.unit_a.pk, day=TODAY,
                           round="noon")  # fmt: skip
    assert [(p.card.name, len(p.due), len(p.as_needed)) for p in noon.persons] == [
        ("Anna Aas", 0, 1)
    ]
    ahead = med.round_sheet(actor=world.nurse, unit_id=world.estate.unit_a.pk, day=TOMORROW,
                            round="morning")  # fmt: skip
    assert not ahead.recordable and len(ahead.persons[1].due) == 2


def test_round_sheet_refusals(world, estate):
    with pytest.raises(NotFound):
        med.round_sheet(actor=world.users["officer"], unit_id=estate.unit_a.pk, day=TODAY,
                        round="morning")  # fmt: skip
    with pytest.raises(NotFound) as exc:
        med.round_sheet(actor=world.nurse, unit_id=estate.lower_unit.pk, day=TODAY,
                        round="morning")  # fmt: skip
    assert exc.value.field == "unit_id"
    with pytest.raises(DomainError) as exc:
        med.round_sheet(actor=world.nurse, unit_id=estate.unit_a.pk, day=TODAY, round="brunch")
    assert exc.value.field == "round"
    assert not HealthAuditEvent.objects.exists()


# --- Doses ---------------------------------------------------------------------------------------


def test_dose_recorded_once_and_shown_on_the_sheet(world):
    p = rx(world, rounds=["morning", "evening"])
    record = med.dose_record(actor=world.nurse, prescription_id=p.pk, day=TODAY, round="morning",
                             outcome="given", note="")  # fmt: skip
    assert (record.person_id, record.outcome, record.created_by_name) == (
        world.anna.person_id,
        "given",
        "Nurse Helse",
    )
    event = HealthAuditEvent.objects.get(action="health.dose.record")
    assert event.data == {"day": "2026-03-02", "round": "morning", "outcome": "given"}
    with pytest.raises(Conflict) as exc:
        med.dose_record(actor=world.doctor, prescription_id=p.pk, day=TODAY, round="morning",
                        outcome="refused", note="")  # fmt: skip
    assert "already recorded" in exc.value.message
    assert DoseRecord.objects.get().outcome == "given" and changes("health.dose.record") == 1
    sheet = med.round_sheet(actor=world.nurse, unit_id=world.estate.unit_a.pk, day=TODAY,
                            round="morning")  # fmt: skip
    assert sheet.persons[0].due[0].record == record and sheet.recorded_count == 1


@pytest.mark.parametrize("outcome", ["refused", "missed", "not_available"])
def test_other_outcomes_need_no_note_but_keep_one(world, outcome):
    p = rx(world, rounds=["morning", "noon"])
    plain = med.dose_record(actor=world.nurse, prescription_id=p.pk, day=YESTERDAY,
                            round="noon", outcome=outcome, note="")  # fmt: skip
    noted = med.dose_record(actor=world.nurse, prescription_id=p.pk, day=TODAY,
                            round="morning", outcome=outcome, note="  Sov  ")  # fmt: skip
    assert (plain.note, noted.note) == ("", "Sov")
    assert_main_log_clean("Sov")


def test_dose_refusals_change_nothing(world):
    p = rx(world, rounds=["morning"])
    cases = [
        ({"day": TOMORROW}, DomainError, "day"),
        ({"round": "noon"}, DomainError, "round"),  # not due then
        ({"round": "brunch"}, DomainError, "round"),
        ({"outcome": "spilled"}, DomainError, "outcome"),
        ({"note": "x" * 301}, DomainError, "note"),
        ({"day": YESTERDAY - dt.timedelta(days=1)}, DomainError, "round"),  # before it started
        ({"prescription_id": 999_999}, NotFound, None),
    ]
    for fields, error, field in cases:
        args = {"prescription_id": p.pk, "day": TODAY, "round": "morning",
                "outcome": "given", "note": "", **fields}  # fmt: skip
        with pytest.raises(error) as exc:
            med.dose_record(actor=world.nurse, **args)
        assert exc.value.field == field, fields
    for role in ("officer", "contact_officer", "case_manager"):
        with pytest.raises(NotFound):
            med.dose_record(actor=world.users[role], prescription_id=p.pk, day=TODAY,
                            round="morning", outcome="given", note="")  # fmt: skip
    assert not DoseRecord.objects.exists() and changes("health.dose.record") == 0


def test_as_needed_is_recorded_on_demand_once_per_round(world):
    p = rx(world, medicine="Paracetamol", rounds=[], as_needed=True, starts_on=TODAY)
    med.dose_record(actor=world.nurse, prescription_id=p.pk, day=TODAY, round="noon",
                    outcome="given", note="Hodepine")  # fmt: skip
    med.dose_record(actor=world.nurse, prescription_id=p.pk, day=TODAY, round="evening",
                    outcome="given", note="")  # fmt: skip
    with pytest.raises(Conflict):
        med.dose_record(actor=world.nurse, prescription_id=p.pk, day=TODAY, round="noon",
                        outcome="given", note="")  # fmt: skip
    with pytest.raises(DomainError):  # before it was prescribed
        med.dose_record(actor=world.nurse, prescription_id=p.pk, day=YESTERDAY, round="noon",
                        outcome="given", note="")  # fmt: skip
    assert DoseRecord.objects.count() == 2


def test_medication_of_shows_seven_days_with_unrecorded_doses(world):
    p = rx(world, rounds=["morning", "evening"], starts_on=TODAY - dt.timedelta(days=10))
    old = rx(world, medicine="Gammel", starts_on=TODAY - dt.timedelta(days=20),
             ends_on=TODAY - dt.timedelta(days=15))  # fmt: skip
    med.dose_record(actor=world.nurse, prescription_id=p.pk, day=YESTERDAY, round="evening",
                    outcome="refused", note="")  # fmt: skip
    m = med.medication_of(actor=world.nurse, person_id=world.anna.person_id)
    assert [x.pk for x in m.active] == [p.pk] and [x.pk for x in m.ended] == [old.pk]
    # 6 past days x 2 rounds, and today's morning round (the evening round is still to come).
    assert len(m.history) == 13
    first = m.history[0]
    assert (first.day, first.round, first.record) == (TODAY, "morning", None)
    assert (m.history[1].day, m.history[1].round, m.history[1].record.outcome) == (
        YESTERDAY,
        "evening",
        "refused",
    )
    assert HealthAuditEvent.objects.filter(
        kind="access", action="view.medication", person_id=world.anna.person_id
    ).exists()
