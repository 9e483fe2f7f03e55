"""The attendance register through its selectors and services: who may take which register,
marking and correcting, every refusal changing nothing, the rest marked attended, cancelled
sessions, and the allowance day recomputed after each mark (posted days left alone)."""

from __future__ import annotations

import datetime as dt

import pytest

from normalitet.audit.models import AuditEvent
from normalitet.core.errors import DomainError, NotFound, PermissionDenied
from normalitet.regime import attendance
from normalitet.regime.models import (
    AllowanceDay,
    Attendance,
    SessionCancellation,
    Suspension,
)

from .helpers import place
from .test_attendance_world import TODAY, build, inside

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(estate, users, time_machine):
    return build(estate, users, time_machine)


def _state():
    return (
        list(Attendance.objects.order_by("pk").values_list("pk", "outcome", "note")),
        list(AllowanceDay.objects.order_by("pk").values_list("pk", "allowance_ore")),
        AuditEvent.objects.filter(kind="change").count(),
    )


def _mark(user, session, person_id, outcome="attended", day=TODAY, **kw):
    return attendance.attendance_mark(
        actor=user, session_id=session.pk, day=day, person_id=person_id, outcome=outcome, **kw
    )


def test_registers_of_the_day_for_staff_and_for_the_teacher(world, users):
    rows = attendance.registers_for(actor=users["officer"], day=TODAY)
    assert [(r.occurrence.activity_name, r.occurrence.starts.isoformat()) for r in rows] == [
        ("Snekkerverkstedet", "08:30:00"),
        ("Grunnskolen", "09:00:00"),
        ("Snekkerverkstedet", "12:00:00"),
    ]
    assert [(r.participants, r.marked) for r in rows] == [(1, 0), (1, 0), (1, 0)]
    _mark(users["officer"], world.morning, world.ola.person_id)
    teacher = attendance.registers_for(actor=users["teacher"], day=TODAY)
    assert [r.occurrence.activity_name for r in teacher] == ["Grunnskolen"]
    staff = attendance.registers_for(actor=users["officer"], day=TODAY)
    assert staff[0].marked == 1 and staff[0].complete and not staff[1].complete
    for role in ("health", "regional", "admin", "person_in_custody"):
        with pytest.raises(NotFound):
            attendance.registers_for(actor=users[role], day=TODAY)


def test_register_shows_places_marks_and_suspensions(world, users, estate, time_machine):
    other = inside(users, estate.cells_a[2], time_machine, given_names="Anne", family_name="Ask")
    held = place(world.workshop, other, starts_on=dt.date(2026, 2, 16), status="suspended")
    Suspension.objects.create(allocation=held, starts_on=dt.date(2026, 3, 1), reason="health")
    _mark(users["officer"], world.morning, world.ola.person_id, "sick", note="Feber")
    reg = attendance.register(actor=users["officer"], session_id=world.morning.pk, day=TODAY)
    assert [(p.name, p.suspended, p.outcome, p.note) for p in reg.participants] == [
        ("Ola Aas", False, "sick", "Feber"),
        ("Anne Ask", True, "", ""),
    ]
    assert (reg.marked, reg.unmarked, reg.can_mark) == (1, 0, True)
    assert reg.participants[0].outcome_label == "Sick"
    with pytest.raises(NotFound):
        attendance.register(actor=users["teacher"], session_id=world.morning.pk, day=TODAY)


def test_mark_writes_the_mark_the_audit_and_the_allowance_day(world, users):
    row = _mark(users["officer"], world.morning, world.ola.person_id)
    assert (row.outcome, row.person_id, row.episode_id, row.on) == (
        "attended",
        world.ola.person_id,
        world.ola.pk,
        TODAY,
    )
    event = AuditEvent.objects.get(action="regime.attendance_marked")
    assert event.person_id == world.ola.person_id
    assert event.data == {"session": world.morning.pk, "on": "2026-03-02", "outcome": "attended"}
    day = AllowanceDay.objects.get(episode=world.ola, on=TODAY)
    # Two workshop sessions: one attended, the afternoon not marked yet (counted as attended).
    assert (day.rate_kind, day.allowance_ore, day.supplement_ore) == ("ordinary", 7_900, 1_000)
    assert [r["code"] for r in day.reasons] == ["sessions", "unmarked", "supplement"]


def test_a_correction_overwrites_and_keeps_the_previous_outcome(world, users):
    _mark(users["officer"], world.morning, world.ola.person_id)
    _mark(users["officer"], world.morning, world.ola.person_id, "refused")
    assert Attendance.objects.get().outcome == "refused"
    event = AuditEvent.objects.get(action="regime.attendance_corrected")
    assert (event.data["previous"], event.data["outcome"]) == ("attended", "refused")
    day = AllowanceDay.objects.get(episode=world.ola, on=TODAY)
    assert (day.rate_kind, day.allowance_ore, day.supplement_ore) == ("withheld", 0, 0)
    # The same mark again changes nothing and writes no event.
    before = _state()
    _mark(users["officer"], world.morning, world.ola.person_id, "refused")
    assert _state() == before


@pytest.mark.parametrize(
    ("case", "error", "field"),
    [
        ("future", DomainError, "date"),
        ("not_running", DomainError, "date"),
        ("no_place", DomainError, "person"),
        ("suspended", DomainError, "person"),
        ("bad_outcome", DomainError, "outcome"),
        ("long_note", DomainError, "note"),
        ("cancelled", DomainError, "outcome"),
        ("teacher_other_activity", NotFound, None),
        ("other_facility", NotFound, None),
        ("no_capability", PermissionDenied, None),
    ],
)
def test_each_refusal_changes_nothing(world, users, case, error, field):
    ola, kw = world.ola.person_id, {}
    user, session, day, person, outcome = users["officer"], world.morning, TODAY, ola, "attended"
    if case == "future":
        day = TODAY + dt.timedelta(days=1)
    elif case == "not_running":
        day = TODAY - dt.timedelta(days=2)  # a Saturday
    elif case == "no_place":
        person = world.per.person_id
    elif case == "suspended":
        Suspension.objects.create(allocation=world.ola_place, starts_on=TODAY, reason="health")
    elif case == "bad_outcome":
        outcome = "asleep"
    elif case == "long_note":
        kw["note"] = "x" * 256
    elif case == "cancelled":
        SessionCancellation.objects.create(session=world.morning, on=TODAY, reason="Stengt")
    elif case == "teacher_other_activity":
        user = users["teacher"]
    elif case == "other_facility":
        user = users["lower_case_manager"]
    elif case == "no_capability":
        user = users["health"]
    before = _state()
    with pytest.raises(error) as err:
        _mark(user, session, person, outcome, day=day, **kw)
    assert err.value.field == field
    assert _state() == before


def test_many_marks_are_all_or_nothing(world, users, estate, time_machine):
    other = inside(users, estate.cells_a[2], time_machine, given_names="Anne", family_name="Ask")
    place(world.workshop, other, starts_on=dt.date(2026, 2, 16))
    marks = [
        attendance.MarkIn(world.ola.person_id, "attended"),
        attendance.MarkIn(world.per.person_id, "attended"),  # holds no place
    ]
    before = _state()
    with pytest.raises(DomainError):
        attendance.attendance_mark_many(
            actor=users["officer"], session_id=world.morning.pk, day=TODAY, marks=marks
        )
    assert _state() == before
    twice = [attendance.MarkIn(world.ola.person_id, "attended")] * 2
    with pytest.raises(DomainError, match="once"):
        attendance.attendance_mark_many(
            actor=users["officer"], session_id=world.morning.pk, day=TODAY, marks=twice
        )
    both = [marks[0], attendance.MarkIn(other.person_id, "late", " sen buss ")]
    rows = attendance.attendance_mark_many(
        actor=users["officer"], session_id=world.morning.pk, day=TODAY, marks=both
    )
    assert [(r.person_id, r.outcome, r.note) for r in rows] == [
        (world.ola.person_id, "attended", ""),
        (other.person_id, "late", "sen buss"),
    ]
    assert AllowanceDay.objects.filter(on=TODAY).count() == 2


def test_the_teacher_takes_the_register_of_their_own_class(world, users):
    row = _mark(users["teacher"], world.lesson, world.kari.person_id, "legal_visit")
    assert row.recorded_by == users["teacher"]
    day = AllowanceDay.objects.get(episode=world.kari, on=TODAY)
    assert (day.rate_kind, day.allowance_ore) == ("ordinary", 7_900)


def test_mark_the_rest_attended_skips_the_marked_and_the_suspended(
    world, users, estate, time_machine
):
    anne = inside(users, estate.cells_a[2], time_machine, given_names="Anne", family_name="Ask")
    bo = inside(users, estate.cells_b[1], time_machine, given_names="Bo", family_name="Bø")
    place(world.workshop, anne, starts_on=dt.date(2026, 2, 16))
    held = place(world.workshop, bo, starts_on=dt.date(2026, 2, 16), status="suspended")
    Suspension.objects.create(allocation=held, starts_on=dt.date(2026, 2, 20), reason="security")
    _mark(users["officer"], world.morning, world.ola.person_id, "sick")
    n = attendance.attendance_mark_rest_attended(
        actor=users["officer"], session_id=world.morning.pk, day=TODAY
    )
    assert n == 1
    marks = dict(Attendance.objects.values_list("person_id", "outcome"))
    assert marks == {world.ola.person_id: "sick", anne.person_id: "attended"}
    again = attendance.attendance_mark_rest_attended(
        actor=users["officer"], session_id=world.morning.pk, day=TODAY
    )
    assert again == 0
    with pytest.raises(DomainError, match="not cancelled"):
        attendance.attendance_mark_all_cancelled(
            actor=users["officer"], session_id=world.morning.pk, day=TODAY
        )


def test_a_cancelled_session_is_marked_cancelled_for_everyone(world, users):
    SessionCancellation.objects.create(session=world.morning, on=TODAY, reason="Stengt")
    with pytest.raises(DomainError, match="cancelled instead"):
        attendance.attendance_mark_rest_attended(
            actor=users["officer"], session_id=world.morning.pk, day=TODAY
        )
    n = attendance.attendance_mark_all_cancelled(
        actor=users["officer"], session_id=world.morning.pk, day=TODAY
    )
    assert n == 1 and Attendance.objects.get().outcome == "cancelled"
    day = AllowanceDay.objects.get(episode=world.ola, on=TODAY)
    # Morning cancelled (reduced), afternoon not marked (ordinary): half of each.
    assert (day.rate_kind, day.allowance_ore, day.supplement_ore) == ("ordinary", 6_600, 500)


def test_a_posted_day_is_not_recomputed_by_a_mark(world, users):
    _mark(users["officer"], world.morning, world.ola.person_id)
    AllowanceDay.objects.filter(episode=world.ola).update(posted_at=world.ola.admitted_at)
    _mark(users["officer"], world.morning, world.ola.person_id, "refused")
    day = AllowanceDay.objects.get(episode=world.ola, on=TODAY)
    assert (day.rate_kind, day.allowance_ore) == ("ordinary", 7_900)
    assert Attendance.objects.get().outcome == "refused"
