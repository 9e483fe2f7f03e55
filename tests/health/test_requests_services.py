"""Health requests, triage and appointments: the services (issue 7, capability 2). Every refusal
changes nothing; the health log records each change without the text; the main audit log never
holds it. Time is frozen at Monday 2 March 2026, 10:30 in Oslo."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest

from normalitet.audit.models import AuditEvent
from normalitet.core import clock
from normalitet.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from normalitet.health import facade
from normalitet.health import services_requests as services
from normalitet.health.models import Appointment, HealthAuditEvent, HealthRequest

from ..factories import UserFactory
from .helpers import at, book, clinician, requests_snapshot, requests_world

pytestmark = pytest.mark.django_db

SECRET = "Jeg hører stemmer om natten og har sluttet å ta medisinen"
R = HealthRequest
A = Appointment


@pytest.fixture
def world(estate: Any, users: dict[str, Any], frozen: Any, nurse: Any, doctor: Any) -> Any:
    return requests_world(users, estate)


def snapshot() -> tuple[Any, ...]:
    """Everything the services write, reads included, to compare before and after a refusal."""
    return requests_snapshot(reads=True)


def logged(users: dict[str, Any], person: Any, text: str = SECRET, service: str = "doctor") -> R:
    return services.request_submit_by_staff(
        actor=users["officer"], person_id=person.person_id, service=service, text=text
    )


def triaged(users: dict[str, Any], world: Any, nurse: Any, priority: str = "urgent") -> R:
    r = logged(users, world["anders"])
    return services.request_triage(actor=nurse, request_id=r.pk, priority=priority, note="")


def main_audit_holds(text: str) -> bool:
    rows = list(AuditEvent.objects.values())
    return text in json.dumps(rows, default=str)


# --- Submitting ---------------------------------------------------------------------------------


def test_officer_logs_a_request_on_the_persons_behalf(world, users, estate):
    r = logged(users, world["anders"], text=f"  {SECRET}  ")
    assert re.fullmatch(r"H-[ABCDEFGHJKLMNPQRSTUVWXYZ2-9]{8}", r.reference)
    assert (r.person_id, r.facility_id, r.service, r.channel, r.status) == (
        world["anders"].person_id,
        estate.high.pk,
        "doctor",
        "staff",
        "new",
    )
    assert r.text == SECRET
    assert (r.created_by_id, r.created_at) == (users["officer"].pk, clock.now())
    event = HealthAuditEvent.objects.get(action="health.request.submit")
    assert (event.object_id, event.person_id, event.actor_id) == (
        str(r.pk),
        r.person_id,
        users["officer"].pk,
    )
    assert event.data == {"reference": r.reference, "service": "doctor", "channel": "staff"}
    assert SECRET not in json.dumps(list(HealthAuditEvent.objects.values()), default=str)
    assert not main_audit_holds(SECRET)


def test_the_facade_gives_prison_staff_a_receipt_only(world, users):
    receipt = facade.request_log(
        actor=users["officer"], person_id=world["anders"].person_id, service="dentist", text="Tann"
    )
    r = R.objects.get()
    assert receipt == facade.Receipt(reference=r.reference, submitted_at=r.created_at)


@pytest.mark.parametrize(
    ("service", "text", "field"),
    [
        ("doctor", "   ", "text"),
        ("doctor", "x" * 2001, "text"),
        ("surgeon", "Vondt", "service"),
        ("", "Vondt", "service"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(world, users, service, text, field):
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        logged(users, world["anders"], text=text, service=service)
    assert exc.value.field == field
    assert snapshot() == before


def test_text_of_2000_characters_is_taken(world, users):
    assert len(logged(users, world["anders"], text="y" * 2000).text) == 2000


def test_only_unit_staff_for_persons_in_their_caseload(world, users, nurse):
    before = snapshot()
    with pytest.raises(NotFound):
        logged(users, world["berit"])  # unit B: not the officer's
    with pytest.raises(NotFound):
        logged(users, world["lars"])  # another facility
    for actor in (users["teacher"], users["health"], nurse, users["researcher"]):
        with pytest.raises(PermissionDenied):
            services.request_submit_by_staff(
                actor=actor, person_id=world["anders"].person_id, service="doctor", text=SECRET
            )
    assert snapshot() == before
    # The case manager's caseload is the facility.
    r = services.request_submit_by_staff(
        actor=users["case_manager"], person_id=world["berit"].person_id, service="nurse", text="x"
    )
    assert r.facility_id == world["berit"].facility_id


def test_health_staff_take_a_request_themselves(world, users, nurse):
    r = services.request_submit(
        actor=nurse, person_id=world["berit"].person_id, service="psychologist", text=SECRET
    )
    assert (r.channel, r.created_by_name) == ("health", "Nurse Helse")
    before = snapshot()
    with pytest.raises(NotFound):
        services.request_submit(
            actor=nurse, person_id=world["lars"].person_id, service="doctor", text="x"
        )
    with pytest.raises(NotFound):
        services.request_submit(
            actor=users["officer"], person_id=world["anders"].person_id, service="doctor", text="x"
        )
    assert snapshot() == before


def test_a_reference_that_is_taken_is_drawn_again(world, users, monkeypatch):
    first = logged(users, world["anders"])
    draws = iter([first.reference, "H-ABCDEFGH"])
    monkeypatch.setattr(services, "new_reference", lambda: next(draws))
    assert logged(users, world["anders"]).reference == "H-ABCDEFGH"
    monkeypatch.setattr(services, "new_reference", lambda: first.reference)
    before = snapshot()
    with pytest.raises(Conflict):
        logged(users, world["anders"])
    assert snapshot() == before


# --- Triage and closing -------------------------------------------------------------------------


def test_triage_sets_priority_and_the_see_by_date(world, users, nurse):
    r = logged(users, world["anders"])
    r = services.request_triage(actor=nurse, request_id=r.pk, priority="urgent", note=" Ring ")
    assert (r.status, r.priority, r.triage_note, r.triaged_by_id) == (
        "triaged",
        "urgent",
        "Ring",
        nurse.pk,
    )
    assert r.triaged_by_name == "Nurse Helse"
    assert services.see_by_of(r) == dt.date(2026, 3, 5)
    event = HealthAuditEvent.objects.get(action="health.request.triage")
    assert event.data == {"priority": "urgent", "from": "new"}
    # Triage may be changed while the request is not booked.
    r = services.request_triage(actor=nurse, request_id=r.pk, priority="acute", note="")
    assert services.see_by_of(r) == dt.date(2026, 3, 2)


def test_triage_refusals_change_nothing(world, users, nurse, estate):
    r = logged(users, world["anders"])
    lower_nurse = UserFactory(
        username="lower_nurse", role="health", profession="nurse", facility=estate.lower
    )
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        services.request_triage(actor=nurse, request_id=r.pk, priority="soon", note="")
    assert exc.value.field == "priority"
    with pytest.raises(DomainError) as exc:
        services.request_triage(actor=nurse, request_id=r.pk, priority="routine", note="x" * 2001)
    assert exc.value.field == "note"
    for actor in (users["officer"], users["case_manager"], lower_nurse):
        with pytest.raises(NotFound):
            services.request_triage(actor=actor, request_id=r.pk, priority="routine", note="")
    with pytest.raises(NotFound):
        services.request_triage(actor=nurse, request_id=r.pk + 99, priority="routine", note="")
    assert snapshot() == before
    services.request_close(actor=nurse, request_id=r.pk, note="Ble frisk")
    before = snapshot()
    with pytest.raises(DomainError):
        services.request_triage(actor=nurse, request_id=r.pk, priority="routine", note="")
    assert snapshot() == before


def test_closing_without_being_seen_needs_a_note(world, users, nurse):
    r = logged(users, world["anders"])
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        services.request_close(actor=nurse, request_id=r.pk, note="  ")
    assert exc.value.field == "note"
    assert snapshot() == before
    r = services.request_close(actor=nurse, request_id=r.pk, note="Trukket av personen")
    assert (r.status, r.close_note, r.closed_at) == ("closed", "Trukket av personen", clock.now())
    assert HealthAuditEvent.objects.get(action="health.request.close").data == {
        "from": "new",
        "seen": False,
    }
    with pytest.raises(DomainError):
        services.request_close(actor=nurse, request_id=r.pk, note="igjen")


def test_closing_waits_for_a_booked_appointment_and_needs_no_note_once_seen(
    world, users, nurse, time_machine
):
    r = triaged(users, world, nurse)
    a = book(nurse, world, at(3, 9), request_id=r.pk)
    before = snapshot()
    with pytest.raises(Conflict):
        services.request_close(actor=nurse, request_id=r.pk, note="Ferdig")
    assert snapshot() == before
    time_machine.move_to(at(3, 9, 5), tick=False)
    services.appointment_outcome(actor=nurse, appointment_id=a.pk, status="attended", note="")
    r = services.request_close(actor=nurse, request_id=r.pk, note="")
    assert r.status == "closed"
    assert HealthAuditEvent.objects.filter(action="health.request.close").get().data == {
        "from": "booked",
        "seen": True,
    }


# --- Booking ------------------------------------------------------------------------------------


def test_booking_a_triaged_request(world, users, nurse, doctor):
    r = triaged(users, world, nurse)
    a = book(nurse, world, at(3, 9), request_id=r.pk, clinician_id=doctor.pk, service="doctor")
    assert (a.person_id, a.facility_id, a.request_id, a.service, a.status) == (
        world["anders"].person_id,
        world["anders"].facility_id,
        r.pk,
        "doctor",
        "booked",
    )
    assert (a.clinician_id, a.clinician_name, a.created_by_id) == (
        doctor.pk,
        "Doctor Helse",
        nurse.pk,
    )
    assert (a.starts_at, a.ends_at) == (at(3, 9), at(3, 9, 20))
    assert R.objects.get(pk=r.pk).status == "booked"
    event = HealthAuditEvent.objects.get(action="health.appointment.book")
    assert event.data["request"] == r.reference and event.data["clinician_id"] == doctor.pk
    # The prison sees the slot, never its kind.
    slots = facade.appointment_slots([a.person_id], at(3, 0), at(4, 0))
    assert slots == [
        facade.Slot(a.person_id, at(3, 9), at(3, 9, 20), "inside", str(A.Escort.INSIDE.label))
    ]


def test_booking_without_a_request_defaults_to_the_actor(world, nurse):
    a = book(nurse, world, at(2, 11))
    assert (a.clinician_id, a.request_id) == (nurse.pk, None)


def test_a_new_request_must_be_triaged_before_it_is_booked(world, users, nurse):
    r = logged(users, world["anders"])
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        book(nurse, world, at(3, 9), request_id=r.pk)
    assert exc.value.field == "request_id" and "Triage" in exc.value.message
    assert snapshot() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"starts_at": at(2, 10, 29)}, "starts_at"),  # the past
        ({"starts_at": dt.datetime(2026, 3, 3, 9)}, "starts_at"),  # no time zone
        ({"minutes": 4}, "minutes"),
        ({"minutes": 241}, "minutes"),
        ({"minutes": "20"}, "minutes"),
        ({"escort": "helicopter"}, "escort"),
        ({"service": "surgeon"}, "service"),
        ({"place": "x" * 201}, "place"),
        ({"note": "x" * 2001}, "note"),
    ],
)
def test_booking_refuses_bad_input(world, nurse, change, field):
    before = snapshot()
    kw = {"starts_at": at(3, 9), **change}
    with pytest.raises(DomainError) as exc:
        book(nurse, world, **kw)
    assert exc.value.field == field
    assert snapshot() == before


def test_booking_refuses_overlaps_of_person_and_clinician(world, users, nurse, doctor):
    book(nurse, world, at(3, 9), minutes=30, clinician_id=doctor.pk)
    berit = world["berit"].person_id
    before = snapshot()
    with pytest.raises(Conflict) as exc:
        book(nurse, world, at(3, 9, 20))  # Anders is with the doctor
    assert "The person already has" in exc.value.message
    with pytest.raises(Conflict) as exc:
        book(nurse, world, at(3, 8, 45), person_id=berit, clinician_id=doctor.pk)
    assert "Doctor Helse already has" in exc.value.message
    assert exc.value.rule == "overlap"
    assert snapshot() == before
    # Back to back is no overlap; another clinician may see another person at once.
    assert book(nurse, world, at(3, 9, 30)).starts_at == at(3, 9, 30)
    assert book(nurse, world, at(3, 9), person_id=berit).clinician_id == nurse.pk


def test_a_cancelled_appointment_frees_its_time(world, nurse):
    a = book(nurse, world, at(3, 9))
    services.appointment_cancel(actor=nurse, appointment_id=a.pk, reason="Sykdom")
    assert book(nurse, world, at(3, 9)).status == "booked"


def test_the_clinician_must_be_health_staff_of_the_facility(world, users, nurse, estate):
    lower_doctor = UserFactory(
        username="lower_doctor", role="health", profession="doctor", facility=estate.lower
    )
    inactive = clinician(estate, "doctor", "gone", is_active=False)
    before = snapshot()
    for who in (users["officer"], lower_doctor, inactive):
        with pytest.raises(DomainError) as exc:
            book(nurse, world, at(3, 9), clinician_id=who.pk)
        assert exc.value.field == "clinician_id"
    assert snapshot() == before
    assert book(nurse, world, at(3, 9), clinician_id=users["health"].pk).clinician_id == (
        users["health"].pk
    )


def test_booking_refuses_another_persons_or_a_booked_request(world, users, nurse):
    r = triaged(users, world, nurse)
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        book(nurse, world, at(3, 9), person_id=world["berit"].person_id, request_id=r.pk)
    assert exc.value.field == "request_id"
    assert snapshot() == before
    book(nurse, world, at(3, 9), request_id=r.pk)
    before = snapshot()
    with pytest.raises(DomainError):
        book(nurse, world, at(4, 9), request_id=r.pk)
    assert snapshot() == before


def test_only_health_staff_book_for_their_patients(world, users, nurse):
    before = snapshot()
    with pytest.raises(NotFound):
        book(users["officer"], world, at(3, 9))
    with pytest.raises(NotFound):
        book(nurse, world, at(3, 9), person_id=world["lars"].person_id)
    assert snapshot() == before


# --- Outcome and cancelling ---------------------------------------------------------------------


def test_outcome_only_once_the_appointment_has_started(world, users, nurse, time_machine):
    r = triaged(users, world, nurse)
    a = book(nurse, world, at(3, 9), request_id=r.pk)
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        services.appointment_outcome(actor=nurse, appointment_id=a.pk, status="attended", note="")
    assert exc.value.rule == "not-started"
    time_machine.move_to(at(3, 9), tick=False)
    with pytest.raises(DomainError) as exc:
        services.appointment_outcome(actor=nurse, appointment_id=a.pk, status="cancelled", note="")
    assert exc.value.field == "status"
    with pytest.raises(NotFound):
        services.appointment_outcome(
            actor=users["officer"], appointment_id=a.pk, status="attended", note=""
        )
    assert snapshot() == before
    a = services.appointment_outcome(
        actor=nurse, appointment_id=a.pk, status="did_not_attend", note="Sov"
    )
    assert (a.status, a.status_note) == ("did_not_attend", "Sov")
    # The person was not seen: the request waits to be booked again.
    assert R.objects.get(pk=r.pk).status == "triaged"
    assert HealthAuditEvent.objects.get(action="health.appointment.outcome").data == {
        "status": "did_not_attend"
    }
    before = snapshot()
    with pytest.raises(DomainError):
        services.appointment_outcome(actor=nurse, appointment_id=a.pk, status="attended", note="")
    assert snapshot() == before


def test_cancel_puts_the_request_back_to_triaged(world, users, nurse, time_machine):
    r = triaged(users, world, nurse)
    a = book(nurse, world, at(3, 9), request_id=r.pk)
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        services.appointment_cancel(actor=nurse, appointment_id=a.pk, reason=" ")
    assert exc.value.field == "reason"
    assert snapshot() == before
    a = services.appointment_cancel(actor=nurse, appointment_id=a.pk, reason="Legen er syk")
    assert (a.status, a.status_note) == ("cancelled", "Legen er syk")
    assert R.objects.get(pk=r.pk).status == "triaged"
    event = HealthAuditEvent.objects.get(action="health.appointment.cancel")
    assert "Legen" not in json.dumps(event.data) and event.reason == ""
    with pytest.raises(DomainError):
        services.appointment_cancel(actor=nurse, appointment_id=a.pk, reason="igjen")
    # An appointment that is over is recorded, not cancelled.
    b = book(nurse, world, at(3, 11))
    time_machine.move_to(at(3, 11, 20), tick=False)
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        services.appointment_cancel(actor=nurse, appointment_id=b.pk, reason="For sent")
    assert exc.value.rule == "over"
    assert snapshot() == before


# --- Reads --------------------------------------------------------------------------------------


def test_triage_queue_orders_new_and_triaged_and_flags_overdue(world, users, nurse, time_machine):
    old = logged(users, world["anders"], text="Gammel")
    time_machine.move_to(at(2, 11), tick=False)
    newer = services.request_submit(
        actor=nurse, person_id=world["berit"].person_id, service="nurse", text="Ny"
    )
    routine = logged(users, world["anders"], text="Rutine")
    services.request_triage(actor=nurse, request_id=routine.pk, priority="routine", note="")
    urgent = logged(users, world["anders"], text="Haster")
    services.request_triage(actor=nurse, request_id=urgent.pk, priority="urgent", note="")
    other = services.request_submit_by_staff(
        actor=users["lower_case_manager"],
        person_id=world["lars"].person_id,
        service="doctor",
        text="Annet fengsel",
    )
    queue = services.triage_queue(actor=nurse)
    assert [row.request.pk for row in queue.new] == [old.pk, newer.pk]
    assert [row.request.pk for row in queue.triaged] == [urgent.pk, routine.pk]
    assert [(row.see_by, row.overdue) for row in queue.triaged] == [
        (dt.date(2026, 3, 5), False),
        (dt.date(2026, 3, 16), False),
    ]
    assert other.pk not in {row.request.pk for row in queue.new}
    time_machine.move_to(at(6, 8), tick=False)
    assert [row.overdue for row in services.triage_queue(actor=nurse).triaged] == [True, False]
    with pytest.raises(NotFound):
        services.triage_queue(actor=users["officer"])


def test_day_calendar_by_clinician(world, users, nurse, doctor):
    a1 = book(nurse, world, at(3, 10))
    a2 = book(nurse, world, at(3, 9), person_id=world["berit"].person_id, clinician_id=doctor.pk)
    a3 = book(nurse, world, at(3, 8), person_id=world["berit"].person_id)
    cancelled = book(nurse, world, at(3, 12))
    services.appointment_cancel(actor=nurse, appointment_id=cancelled.pk, reason="Flyttet")
    book(nurse, world, at(4, 9))
    days = services.day_calendar(actor=nurse, day=dt.date(2026, 3, 3))
    assert [(d.name, [a.pk for a, _card in d.rows]) for d in days] == [
        ("Doctor Helse", [a2.pk]),
        ("Nurse Helse", [a3.pk, a1.pk]),
    ]
    assert days[1].rows[0][1].name == world["berit"].person.full_name


def test_person_reads_are_logged_in_the_health_log(world, users, nurse):
    r = logged(users, world["anders"])
    book(nurse, world, at(3, 9))
    found = services.person_requests_read(actor=nurse, person_id=world["anders"].person_id)
    assert [row.request.pk for row in found.requests] == [r.pk]
    assert len(found.appointments) == 1
    detail = services.request_read(actor=nurse, request_id=r.pk)
    assert detail.row.request.text == SECRET
    reads = HealthAuditEvent.objects.filter(kind="access").values_list("action", "person_id")
    assert list(reads) == [
        ("view.requests", world["anders"].person_id),
        ("view.request", world["anders"].person_id),
    ]
    with pytest.raises(NotFound):
        services.person_requests_read(actor=nurse, person_id=world["lars"].person_id)
    assert not main_audit_holds(SECRET)


def test_logged_by_shows_only_own_references(world, users):
    mine = logged(users, world["anders"])
    services.request_submit_by_staff(
        actor=users["contact_officer"],
        person_id=world["anders"].person_id,
        service="dentist",
        text="Tann",
    )
    receipts = services.logged_by(actor=users["officer"], person_id=world["anders"].person_id)
    assert receipts == [facade.Receipt(mine.reference, mine.created_at)]


def test_escorts_for_the_officers_caseload_only(world, users, nurse, doctor):
    inside = book(nurse, world, at(2, 13))
    book(nurse, world, at(2, 14), escort="none")
    berit = world["berit"].person_id
    book(nurse, world, at(2, 13), person_id=berit, escort="outside", clinician_id=doctor.pk)
    book(nurse, world, at(3, 9), escort="outside")
    rows = services.escorts(actor=users["officer"], day=dt.date(2026, 3, 2))
    assert [(r.card.person_id, r.slot.starts_at, r.slot.escort) for r in rows] == [
        (world["anders"].person_id, inside.starts_at, "inside")
    ]
    rows = services.escorts(actor=users["case_manager"], day=dt.date(2026, 3, 2))
    assert [r.slot.escort for r in rows] == ["inside", "outside"]
    for role in ("teacher", "health", "researcher"):
        with pytest.raises(NotFound):
            services.escorts(actor=users[role], day=dt.date(2026, 3, 2))


def test_the_queue_shows_a_booked_request_with_its_latest_appointment(
    world, users, nurse, time_machine
):
    """Missed, booked again and attended: the queue shows the attended one, ready to close."""
    request = triaged(users, world, nurse)
    first = book(nurse, world, at(3, 9), request_id=request.pk)
    time_machine.move_to(at(3, 9, 30), tick=False)
    services.appointment_outcome(
        actor=nurse, appointment_id=first.pk, status="did_not_attend", note=""
    )
    second = book(nurse, world, at(4, 9), request_id=request.pk)
    time_machine.move_to(at(4, 9, 30), tick=False)
    services.appointment_outcome(actor=nurse, appointment_id=second.pk, status="attended", note="")
    [row] = services.triage_queue(actor=nurse).booked
    assert row.request.pk == request.pk and row.appointment.pk == second.pk
