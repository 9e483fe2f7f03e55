"""Observation services: who may set, make closer, make less close and end a level; checks by
unit staff and health staff; missed checks raised once and closed by the next check; crises and
their steps; the health service's own log. Time is frozen at 2 March 2026 09:30 UTC."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from normalitet.core.errors import DomainError, NotFound, PermissionDenied
from normalitet.custody import services as custody
from normalitet.health import facade
from normalitet.health import services_observation as obs
from normalitet.health.models import (
    CrisisEvent,
    HealthAuditEvent,
    MissedCheck,
    ObservationCheck,
    ObservationLevel,
)

from .builders_clinical import (
    NOW,
    REASON,
    World,
    assert_main_log_clean,
    build,
    lower_clinician,
    move,
)
from .helpers import clinician

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(estate: Any, users: dict[str, Any], nurse: Any, doctor: Any, frozen: Any) -> World:
    return build(estate, users, nurse, doctor)


def open_level(person_id: int) -> ObservationLevel:
    return ObservationLevel.objects.get(person_id=person_id, ended_at__isnull=True)


def actions() -> list[str]:
    return list(
        HealthAuditEvent.objects.filter(kind="change")
        .order_by("pk")
        .values_list("action", flat=True)
    )


# --- Levels ------------------------------------------------------------------------------------


def test_nurse_starts_an_observation_with_the_interval_of_its_level(w):
    pid = w.anders.person_id
    review = NOW + dt.timedelta(days=1)
    level = obs.observation_set(
        actor=w.nurse, person_id=pid, level="close", reason=f"  {REASON} ", review_at=review
    )
    assert (level.level, level.interval_minutes, level.reason) == ("close", 15, REASON)
    assert (level.started_at, level.review_at, level.ended_at) == (NOW, review, None)
    assert (level.facility_id, level.created_by_id) == (w.anders.facility_id, w.nurse.pk)
    assert level.created_by_name == "Nurse Helse"
    seen = facade.observations([pid])[pid]
    assert (seen.level, seen.interval_minutes, seen.next_due, seen.overdue) == (
        "close",
        15,
        NOW + dt.timedelta(minutes=15),
        False,
    )
    event = HealthAuditEvent.objects.get(action="health.observation.set")
    assert event.person_id == pid and event.actor_id == w.nurse.pk
    assert event.data["level"] == "close" and event.data["interval_minutes"] == 15
    assert REASON not in json.dumps(event.data)
    assert_main_log_clean(REASON)


@pytest.mark.parametrize(
    ("start", "new", "profession", "allowed"),
    [
        pytest.param("hourly", "frequent", "nurse", True, id="nurse-closer"),
        pytest.param("close", "constant", "nurse", True, id="nurse-constant-is-closer"),
        pytest.param("close", "close", "nurse", True, id="nurse-same-level-renewed"),
        pytest.param("constant", "close", "nurse", False, id="nurse-less-close"),
        pytest.param("close", "hourly", "nurse", False, id="nurse-lower"),
        pytest.param("close", "hourly", "dentist", False, id="dentist-lower"),
        pytest.param("close", "hourly", "addiction", False, id="addiction-lower"),
        pytest.param("close", "hourly", "doctor", True, id="doctor-lower"),
        pytest.param("constant", "frequent", "psychologist", True, id="psychologist-lower"),
    ],
)
def test_change_of_level_by_profession(w, estate, start, new, profession, allowed):
    pid = w.anders.person_id
    first = obs.observation_set(actor=w.doctor, person_id=pid, level=start, reason=REASON)
    actor = clinician(estate, profession, username=f"x-{profession}")
    if not allowed:
        with pytest.raises(PermissionDenied):
            obs.observation_set(actor=actor, person_id=pid, level=new, reason="Bedre i dag")
        assert open_level(pid).pk == first.pk and ObservationLevel.objects.count() == 1
        assert actions() == ["health.observation.set"]
        return
    second = obs.observation_set(actor=actor, person_id=pid, level=new, reason="Ny vurdering")
    first.refresh_from_db()
    assert (first.ended_at, first.ended_by_id) == (NOW, actor.pk)
    assert open_level(pid).pk == second.pk and second.level == new
    event = HealthAuditEvent.objects.filter(action="health.observation.set").last()
    assert event.data["previous_level"] == start and event.data["previous_id"] == first.pk


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        pytest.param({"level": "sometimes", "reason": REASON}, "level", id="unknown-level"),
        pytest.param({"level": "close", "reason": "   "}, "reason", id="no-reason"),
        pytest.param({"level": "close", "reason": "x" * 2001}, "reason", id="reason-too-long"),
        pytest.param(
            {"level": "close", "reason": REASON, "review_at": NOW - dt.timedelta(minutes=1)},
            "review_at",
            id="review-in-the-past",
        ),
    ],
)
def test_bad_input_sets_nothing(w, kwargs, field):
    with pytest.raises(DomainError) as err:
        obs.observation_set(actor=w.nurse, person_id=w.anders.person_id, **kwargs)
    assert err.value.field == field
    assert not ObservationLevel.objects.exists() and not HealthAuditEvent.objects.exists()


def test_only_health_staff_of_the_facility_set_levels(w, users):
    for actor in (w.officer, users["case_manager"], users["teacher"]):
        with pytest.raises(NotFound):
            obs.observation_set(
                actor=actor, person_id=w.anders.person_id, level="close", reason="x"
            )
    with pytest.raises(NotFound):
        obs.observation_set(actor=w.nurse, person_id=w.lone.person_id, level="close", reason="x")
    assert not ObservationLevel.objects.exists()


def test_end_takes_a_doctor_or_psychologist_and_a_note(w):
    pid = w.anders.person_id
    obs.observation_set(actor=w.nurse, person_id=pid, level="close", reason=REASON)
    with pytest.raises(PermissionDenied):
        obs.observation_end(actor=w.nurse, person_id=pid, note="Stabil")
    with pytest.raises(DomainError) as err:
        obs.observation_end(actor=w.psychologist, person_id=pid, note=" ")
    assert err.value.field == "note"
    assert open_level(pid).ended_at is None
    ended = obs.observation_end(actor=w.psychologist, person_id=pid, note="Stabil, samtale")
    assert (ended.ended_at, ended.ended_by_name, ended.end_note) == (
        NOW,
        "Psychologist Helse",
        "Stabil, samtale",
    )
    assert facade.observations([pid]) == {}
    with pytest.raises(DomainError, match="not under observation"):
        obs.observation_end(actor=w.doctor, person_id=pid, note="Igjen")
    assert actions() == ["health.observation.set", "health.observation.end"]


# --- Checks ------------------------------------------------------------------------------------


def test_officer_records_checks_for_the_caseload_only(w, users, time_machine):
    pid = w.anders.person_id
    with pytest.raises(DomainError, match="not under observation"):
        obs.check_record(actor=w.officer, person_id=pid, state="settled")
    obs.observation_set(actor=w.nurse, person_id=pid, level="close", reason=REASON)
    obs.observation_set(actor=w.nurse, person_id=w.berit.person_id, level="close", reason="x")
    with pytest.raises(NotFound):
        obs.check_record(actor=w.officer, person_id=w.berit.person_id, state="settled")
    with pytest.raises(PermissionDenied):
        obs.check_record(actor=users["teacher"], person_id=pid, state="settled")
    with pytest.raises(DomainError) as err:
        obs.check_record(actor=w.officer, person_id=pid, state="fine")
    assert err.value.field == "state"
    with pytest.raises(DomainError) as err:
        obs.check_record(actor=w.officer, person_id=pid, state="distressed", note=" ")
    assert err.value.field == "note"
    assert not ObservationCheck.objects.exists()
    move(time_machine, 18)  # due 09:45, checked 09:48: within the grace
    check = obs.check_record(actor=w.officer, person_id=pid, state="asleep")
    assert (check.checked_at, check.late_by_minutes, check.created_by_id) == (
        NOW + dt.timedelta(minutes=18),
        0,
        w.officer.pk,
    )
    seen = facade.observations([pid])[pid]
    assert seen.last_check_at == check.checked_at
    assert seen.next_due == NOW + dt.timedelta(minutes=33)
    move(time_machine, 40)  # due 10:03, checked 10:10: 2 minutes beyond the grace
    check = obs.check_record(
        actor=w.nurse, person_id=pid, state="distressed", note="Gråt, sykepleier varslet"
    )
    assert check.late_by_minutes == 2 and check.created_by_name == "Nurse Helse"
    assert [c["state"] for c in facade.recent_checks(pid)] == ["distressed", "asleep"]


def test_missed_checks_are_raised_once_and_closed_by_the_next_check(w, time_machine):
    pid = w.anders.person_id
    level = obs.observation_set(actor=w.nurse, person_id=pid, level="close", reason=REASON)
    move(time_machine, 20)  # due 09:45; 5 minutes late is still within the grace
    assert obs.missed_sweep() == 0
    move(time_machine, 21)
    assert obs.missed_sweep() == 1
    assert obs.missed_sweep() == 0
    move(time_machine, 60)  # still the same due time: no second alert
    assert obs.missed_sweep(facility_id=w.anders.facility_id) == 0
    missed = MissedCheck.objects.get()
    assert (missed.observation_id, missed.person_id, missed.facility_id) == (
        level.pk,
        pid,
        w.anders.facility_id,
    )
    assert (missed.due_at, missed.detected_at, missed.closed_by) == (
        NOW + dt.timedelta(minutes=15),
        NOW + dt.timedelta(minutes=21),
        None,
    )
    check = obs.check_record(actor=w.officer, person_id=pid, state="settled")
    assert check.late_by_minutes == 40  # 10:30 - (09:45 + 5)
    missed.refresh_from_db()
    assert missed.closed_by_id == check.pk
    move(time_machine, 81)  # next due 10:45 + grace: a new missed check
    assert obs.missed_sweep() == 1
    assert MissedCheck.objects.filter(closed_by__isnull=True).count() == 1
    sweeps = HealthAuditEvent.objects.filter(action="health.missed_check.raise")
    assert sweeps.count() == 2 and set(sweeps.values_list("actor_username", flat=True)) == {
        "system:health-sweep"
    }
    check_event = HealthAuditEvent.objects.get(action="health.observation_check.record")
    assert check_event.data == {"state": "settled", "late_by_minutes": 40, "closed_missed": 1}


def test_a_late_check_before_any_sweep_raises_and_closes_the_missed_check(w, time_machine):
    pid = w.anders.person_id
    obs.observation_set(actor=w.nurse, person_id=pid, level="frequent", reason=REASON)
    move(time_machine, 45)  # due 10:00, checked 10:15
    check = obs.check_record(actor=w.officer, person_id=pid, state="settled")
    missed = MissedCheck.objects.get()
    assert missed.closed_by_id == check.pk and missed.due_at == NOW + dt.timedelta(minutes=30)
    assert check.late_by_minutes == 10 and obs.missed_sweep() == 0


def test_sweep_only_for_the_facility_asked_and_only_observations_in_force(w, estate, time_machine):
    obs.observation_set(actor=w.nurse, person_id=w.anders.person_id, level="close", reason="x")
    lower_nurse = lower_clinician(estate)
    obs.observation_set(actor=lower_nurse, person_id=w.lone.person_id, level="close", reason="y")
    obs.observation_set(actor=w.nurse, person_id=w.berit.person_id, level="close", reason="z")
    obs.observation_end(actor=w.doctor, person_id=w.berit.person_id, note="Avsluttet")
    move(time_machine, 30)
    assert obs.missed_sweep(facility_id=estate.lower.pk) == 1
    assert obs.missed_sweep() == 1  # Anders; Berit's ended
    assert set(MissedCheck.objects.values_list("person_id", flat=True)) == {
        w.anders.person_id,
        w.lone.person_id,
    }


def test_a_new_level_starts_a_new_clock(w, time_machine):
    pid = w.anders.person_id
    obs.observation_set(actor=w.nurse, person_id=pid, level="close", reason=REASON)
    move(time_machine, 30)
    assert obs.missed_sweep() == 1
    obs.observation_set(actor=w.doctor, person_id=pid, level="hourly", reason="Bedre")
    seen = facade.observations([pid])[pid]
    assert seen.next_due == NOW + dt.timedelta(minutes=90) and not seen.overdue
    assert obs.missed_sweep() == 0


# --- Crises ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        pytest.param({"steps": []}, "steps", id="no-steps"),
        pytest.param({"steps": ["first_aid", "prayer"]}, "steps", id="unknown-step"),
        pytest.param({"steps": ["doctor", "first_aid", "doctor"]}, "steps", id="duplicate"),
        pytest.param({"kind": "bad"}, "kind", id="unknown-kind"),
        pytest.param(
            {"occurred_at": NOW + dt.timedelta(minutes=1)}, "occurred_at", id="in-the-future"
        ),
        pytest.param({"note": "x" * 2001}, "note", id="note-too-long"),
    ],
)
def test_crisis_validation_records_nothing(w, kwargs, field):
    args = {
        "occurred_at": NOW - dt.timedelta(minutes=20),
        "kind": "self_harm",
        "steps": ["first_aid"],
        "note": "",
        **kwargs,
    }
    with pytest.raises(DomainError) as err:
        obs.crisis_record(actor=w.nurse, person_id=w.anders.person_id, **args)
    assert err.value.field == field
    assert not CrisisEvent.objects.exists() and not HealthAuditEvent.objects.exists()


def test_crisis_recorded_in_order_and_steps_added_later(w, users):
    pid = w.anders.person_id
    crisis = obs.crisis_record(
        actor=w.nurse,
        person_id=pid,
        occurred_at=NOW - dt.timedelta(minutes=20),
        kind="self_harm",
        steps=["items", "first_aid", "doctor"],
        note="Kutt på underarm, sydd",
    )
    assert crisis.steps == ["items", "first_aid", "doctor"]
    assert (crisis.facility_id, crisis.created_by_name) == (w.anders.facility_id, "Nurse Helse")
    with pytest.raises(DomainError, match="once"):
        obs.crisis_add_steps(actor=w.doctor, crisis_id=crisis.pk, steps=["doctor"], note="")
    for actor in (w.officer, users["case_manager"]):
        with pytest.raises(NotFound):
            obs.crisis_add_steps(actor=actor, crisis_id=crisis.pk, steps=["debrief"], note="")
    with pytest.raises(NotFound):
        obs.crisis_add_steps(actor=w.doctor, crisis_id=crisis.pk + 99, steps=["debrief"], note="")
    crisis = obs.crisis_add_steps(
        actor=w.doctor, crisis_id=crisis.pk, steps=["debrief", "follow_up"], note="Samtale avtalt"
    )
    crisis.refresh_from_db()
    assert crisis.steps == ["items", "first_aid", "doctor", "debrief", "follow_up"]
    assert crisis.note == "Kutt på underarm, sydd\n\n2026-03-02 10:30 Doctor Helse: Samtale avtalt"
    assert actions() == ["health.crisis.record", "health.crisis.add_steps"]
    added = HealthAuditEvent.objects.get(action="health.crisis.add_steps")
    assert added.data == {"steps": ["debrief", "follow_up"]}
    assert_main_log_clean("Kutt", "Samtale")


def test_crisis_of_a_person_outside_the_facility_is_not_found(w, estate):
    lower_nurse = lower_clinician(estate)
    crisis = obs.crisis_record(
        actor=lower_nurse,
        person_id=w.lone.person_id,
        occurred_at=NOW,
        kind="threat",
        steps=["observation"],
        note="",
    )
    with pytest.raises(NotFound):
        obs.crisis_add_steps(actor=w.nurse, crisis_id=crisis.pk, steps=["debrief"], note="")
    with pytest.raises(NotFound):
        obs.crisis_record(
            actor=w.nurse,
            person_id=w.lone.person_id,
            occurred_at=NOW,
            kind="threat",
            steps=["observation"],
            note="",
        )
    assert CrisisEvent.objects.get().steps == ["observation"]


def test_no_missed_check_for_a_released_person(w, users, time_machine):
    obs.observation_set(actor=w.nurse, person_id=w.anders.person_id, level="close", reason="x")
    custody.release(actor=users["case_manager"], episode=w.anders, reason="served")
    move(time_machine, 30)
    assert obs.missed_sweep() == 0 and not MissedCheck.objects.exists()
