"""The visits desk's services: rooms, weekly sessions, days without visits (with the visits
they cancel and the notices sent), the desk's lists and the persons under 18 due a visit.
Time is frozen at Monday 2 March 2026, 10:30 in Oslo."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from normalitet.audit.models import AuditEvent
from normalitet.contact import visit_admin, visits
from normalitet.contact.models import (
    BlockedDate,
    BookingStatus,
    Notice,
    VisitBooking,
    VisitRoom,
    VisitSessionTemplate,
)
from normalitet.core.errors import Conflict, DomainError, NotFound, PermissionDenied

from ..custody.helpers import admitted
from .helpers import contact, room, session, visitor

WED = dt.date(2026, 3, 4)
T17, T18 = dt.time(17), dt.time(18)


@pytest.fixture
def world(estate: Any, users: dict[str, Any], frozen: Any) -> dict[str, Any]:
    ep = admitted(users, estate.high, estate.cells_a[0], given_names="Anders")
    kari = visitor(facility=estate.high, email="kari@example.org")
    r = room(estate.high)
    t = session(r, capacity=3)
    return {"ep": ep, "kari": kari, "c": contact(ep, kari), "t": t, "room": r}


def _book(world: dict[str, Any], users: dict[str, Any], day: dt.date = WED) -> VisitBooking:
    return visits.booking_make(
        actor=users["officer"],
        episode=world["ep"],
        slot_key=f"{world['t'].pk}:{day.isoformat()}",
        contacts=[world["c"]],
    )


# --- Rooms --------------------------------------------------------------------------------------


def test_room_create_update_and_audit(users, estate, frozen):
    cm = users["case_manager"]
    r = visit_admin.room_create(actor=cm, name=" Glassrommet ", kind="non_contact", seats=2)
    assert (r.facility_id, r.name, r.kind, r.capacity, r.seats) == (
        estate.high.pk,
        "Glassrommet",
        "non_contact",
        1,
        2,
    )
    r = visit_admin.room_update(actor=cm, room=r, capacity=2)
    assert VisitRoom.objects.get(pk=r.pk).capacity == 2
    actions = list(
        AuditEvent.objects.filter(object_id=r.pk, action__startswith="visit.room").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["visit.room_create", "visit.room_update"]


@pytest.mark.parametrize(
    ("fields", "exc", "field"),
    [
        ({"name": "", "kind": "ordinary"}, DomainError, "name"),
        ({"name": "X", "kind": "ballroom"}, DomainError, "kind"),
        ({"name": "X", "kind": "ordinary", "capacity": 0}, DomainError, "capacity"),
        ({"name": "besøksrom 1", "kind": "ordinary"}, Conflict, "name"),
    ],
)
def test_room_create_refuses_bad_input(users, estate, frozen, fields, exc, field):
    room(estate.high)
    with pytest.raises(exc) as err:
        visit_admin.room_create(actor=users["case_manager"], **fields)
    assert err.value.field == field
    assert VisitRoom.objects.count() == 1


def test_rooms_need_visit_manage_and_own_facility(users, estate, frozen):
    with pytest.raises(PermissionDenied):
        visit_admin.room_create(actor=users["officer"], name="X", kind="ordinary")
    with pytest.raises(NotFound):
        visit_admin.room_create(actor=users["health"], name="X", kind="ordinary")
    elsewhere = room(estate.lower, "Lyngmo besøk")
    with pytest.raises(NotFound):
        visit_admin.room_update(actor=users["case_manager"], room=elsewhere, capacity=3)
    assert VisitRoom.objects.get(pk=elsewhere.pk).capacity == 1


def test_room_kind_does_not_change_under_booked_visits(world, users):
    _book(world, users)
    with pytest.raises(Conflict):
        visit_admin.room_update(actor=users["case_manager"], room=world["room"], kind="family")
    assert VisitRoom.objects.get(pk=world["room"].pk).kind == "ordinary"


def test_room_out_of_use_refused_with_visits_unless_cancelled(world, users):
    b = _book(world, users)
    with pytest.raises(Conflict, match="1 visit is booked"):
        visit_admin.room_set_active(actor=users["case_manager"], room=world["room"], active=False)
    assert VisitRoom.objects.get(pk=world["room"].pk).active
    r, n = visit_admin.room_set_active(
        actor=users["case_manager"],
        room=world["room"],
        active=False,
        cancel_bookings=True,
        reason="Vannskade",
    )
    assert (r.active, n) == (False, 1)
    b.refresh_from_db()
    assert (b.status, b.cancel_reason) == (BookingStatus.CANCELLED, "Vannskade")
    assert Notice.objects.filter(visitor=world["kari"], kind="cancelled").count() == 1


# --- Sessions -----------------------------------------------------------------------------------


def test_template_create(world, users):
    t = visit_admin.template_create(
        actor=users["case_manager"],
        room=world["room"],
        weekday=5,
        starts_at=dt.time(12),
        ends_at=dt.time(13, 30),
        capacity=2,
        valid_from=dt.date(2026, 3, 2),
        bookable_online=False,
    )
    assert (t.weekday, t.capacity, t.bookable_online) == (5, 2, False)
    assert AuditEvent.objects.filter(action="visit.session_create", object_id=t.pk).exists()
    found = visits.slots(
        facility_id=world["room"].facility_id, start=dt.date(2026, 3, 7), end=dt.date(2026, 3, 7)
    )
    assert [s.template_id for s in found] == [t.pk]


@pytest.mark.parametrize(
    ("changes", "exc", "field"),
    [
        ({"valid_from": dt.date(2026, 3, 1)}, DomainError, "valid_from"),
        ({"ends_at": dt.time(11)}, DomainError, "ends_at"),
        ({"weekday": 7}, DomainError, "weekday"),
        ({"capacity": 0}, DomainError, "capacity"),
        ({"valid_to": dt.date(2026, 3, 3)}, DomainError, "valid_to"),
        ({"weekday": 2, "starts_at": dt.time(17, 30), "ends_at": dt.time(19)}, Conflict, None),
    ],
)
def test_template_create_refuses(world, users, changes, exc, field):
    args = {
        "weekday": 5,
        "starts_at": dt.time(12),
        "ends_at": dt.time(13),
        "capacity": 2,
        "valid_from": dt.date(2026, 3, 5),
    } | changes
    with pytest.raises(exc) as err:
        visit_admin.template_create(actor=users["case_manager"], room=world["room"], **args)
    if field:
        assert err.value.field == field
    assert VisitSessionTemplate.objects.count() == 1


def test_template_end_refuses_to_strand_bookings_then_cancels_them(world, users):
    b = _book(world, users, dt.date(2026, 3, 11))
    early = _book(world, users)  # the 4th: before the last day, untouched
    with pytest.raises(Conflict) as err:
        visit_admin.template_end(
            actor=users["case_manager"], template=world["t"], valid_to=dt.date(2026, 3, 5)
        )
    assert err.value.rule == "stranded-bookings"
    assert VisitSessionTemplate.objects.get(pk=world["t"].pk).valid_to is None
    t, n = visit_admin.template_end(
        actor=users["case_manager"],
        template=world["t"],
        valid_to=dt.date(2026, 3, 5),
        cancel_bookings=True,
    )
    assert (t.valid_to, n) == (dt.date(2026, 3, 5), 1)
    b.refresh_from_db()
    early.refresh_from_db()
    assert b.status == BookingStatus.CANCELLED and "discontinued" in b.cancel_reason
    assert early.status == BookingStatus.CONFIRMED
    assert Notice.objects.filter(booking=b, kind="cancelled").count() == 1
    assert AuditEvent.objects.filter(action="visit.cancel", object_id=b.pk).exists()


def test_template_end_in_the_past_refused(world, users):
    with pytest.raises(DomainError) as err:
        visit_admin.template_end(
            actor=users["case_manager"], template=world["t"], valid_to=dt.date(2026, 3, 1)
        )
    assert err.value.field == "valid_to"


# --- Days without visits ------------------------------------------------------------------------


def test_blocked_day_cancels_that_days_visits_with_notice(world, users, estate):
    b = _book(world, users)
    other_day = _book(world, users, dt.date(2026, 3, 11))
    blocked, n = visit_admin.blocked_date_add(
        actor=users["case_manager"], day=WED, reason="Beredskapsøvelse"
    )
    assert n == 1 and blocked.room_id is None
    b.refresh_from_db()
    other_day.refresh_from_db()
    assert b.status == BookingStatus.CANCELLED and "Beredskapsøvelse" in b.cancel_reason
    assert other_day.status == BookingStatus.CONFIRMED
    notice = Notice.objects.get(booking=b, kind="cancelled")
    assert "Beredskapsøvelse" in notice.body
    event = AuditEvent.objects.get(action="visit.block_day", object_id=blocked.pk)
    assert event.data["cancelled"] == 1
    # The day is gone from the free places, and no one books it.
    found = visits.slots(facility_id=estate.high.pk, start=WED, end=WED)
    assert found == []


def test_blocked_day_in_one_room_leaves_other_rooms(world, users, estate):
    b = _book(world, users)
    other = room(estate.high, "Familierommet", kind="family")
    _blocked, n = visit_admin.blocked_date_add(
        actor=users["case_manager"], day=WED, reason="Maling", room=other
    )
    assert n == 0
    b.refresh_from_db()
    assert b.status == BookingStatus.CONFIRMED


@pytest.mark.parametrize(
    ("day", "reason", "field"),
    [(dt.date(2026, 3, 1), "x", "day"), (WED, "  ", "reason")],
)
def test_blocked_day_refuses_bad_input(world, users, day, reason, field):
    with pytest.raises(DomainError) as err:
        visit_admin.blocked_date_add(actor=users["case_manager"], day=day, reason=reason)
    assert err.value.field == field
    assert not BlockedDate.objects.exists()


def test_blocked_day_twice_and_removal(world, users):
    blocked, _n = visit_admin.blocked_date_add(actor=users["case_manager"], day=WED, reason="Påske")
    with pytest.raises(Conflict):
        visit_admin.blocked_date_add(actor=users["case_manager"], day=WED, reason="Igjen")
    with pytest.raises(PermissionDenied):
        visit_admin.blocked_date_remove(actor=users["officer"], blocked=blocked)
    visit_admin.blocked_date_remove(actor=users["case_manager"], blocked=blocked)
    assert not BlockedDate.objects.exists()
    assert AuditEvent.objects.filter(action="visit.unblock_day", object_id=blocked.pk).exists()


# --- The desk's lists ---------------------------------------------------------------------------


def test_ensure_booking_is_404_outside_the_caseload(world, users, estate):
    b = _book(world, users)
    berit = admitted(users, estate.high, estate.cells_b[0], given_names="Berit")
    v = visitor("Per", facility=estate.high)
    other = visits.booking_make(
        actor=users["case_manager"],
        episode=berit,
        slot_key=f"{world['t'].pk}:{WED.isoformat()}",
        contacts=[contact(berit, v)],
    )
    officer = users["officer"]  # unit A only
    assert visit_admin.ensure_booking(actor=officer, booking_id=b.pk) == b
    with pytest.raises(NotFound):
        visit_admin.ensure_booking(actor=officer, booking_id=other.pk)
    with pytest.raises(NotFound):
        visit_admin.ensure_booking(actor=users["lower_case_manager"], booking_id=b.pk)
    with pytest.raises(PermissionDenied):
        visit_admin.ensure_booking(actor=officer, booking_id=b.pk, cap=visit_admin.Cap.VISIT_MANAGE)
    assert [x.pk for x in visit_admin.day_sheet(actor=officer, day=WED)] == [b.pk]
    assert len(visit_admin.day_sheet(actor=users["case_manager"], day=WED)) == 2


def test_under_18_due_when_no_visit_and_none_booked(users, estate, frozen, time_machine):
    young = admitted(
        users, estate.high, estate.cells_a[1], given_names="Ola", birth_date=dt.date(2009, 1, 1)
    )
    admitted(users, estate.high, estate.cells_a[2], given_names="Voksen")
    # Admitted today: not yet due.
    rows = visit_admin.under_18(actor=users["case_manager"])
    assert [(r.episode.pk, r.age, r.due) for r in rows] == [(young.pk, 17, False)]
    time_machine.move_to(dt.datetime(2026, 4, 6, 9, 0, tzinfo=dt.UTC), tick=False)
    (row,) = visit_admin.under_18(actor=users["case_manager"])
    assert row.due and row.last_visit is None and row.next_visit is None
    r = room(estate.high)
    t = session(r, weekday=2)
    c = contact(young, visitor(facility=estate.high))
    visits.booking_make(
        actor=users["case_manager"], episode=young, slot_key=f"{t.pk}:2026-04-08", contacts=[c]
    )
    (row,) = visit_admin.under_18(actor=users["case_manager"])
    assert (row.due, row.next_visit) == (False, dt.date(2026, 4, 8))
