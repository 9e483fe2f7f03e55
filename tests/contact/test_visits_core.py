"""The booking core: rules, capacity, holds, and what a transfer or a court order does."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from normalitet.contact import visits
from normalitet.contact.models import BookingStatus, Notice, VisitBooking
from normalitet.core.errors import Conflict, DomainError
from normalitet.custody import services as custody

from ..custody.helpers import admitted
from .helpers import contact, order, room, session, visitor

# 2026-03-02 is a Monday; the session is on Wednesdays, so the 4th is the first.
WED = "2026-03-04"


@pytest.fixture
def world(estate: Any, users: dict[str, Any], frozen: Any) -> dict[str, Any]:
    ep = admitted(users, estate.high, estate.cells_a[0], given_names="Anders")
    kari = visitor(facility=estate.high, email="kari@example.org")
    r = room(estate.high)
    t = session(r, capacity=2)
    return {"ep": ep, "kari": kari, "c": contact(ep, kari), "t": t, "room": r}


def test_staff_booking_is_confirmed_supervised_in_high_security_and_notifies(world, users):
    b = visits.booking_make(
        actor=users["officer"],
        episode=world["ep"],
        slot_key=f"{world['t'].pk}:{WED}",
        contacts=[world["c"]],
    )
    assert b.status == BookingStatus.CONFIRMED
    assert b.supervised is True
    assert Notice.objects.get(visitor=world["kari"]).kind == "confirmed"


def test_capacity_is_never_exceeded(world, users, estate):
    key = f"{world['t'].pk}:{WED}"
    for name in ("Berit", "Cecilie"):
        ep = admitted(users, estate.high, given_names=name)
        v = visitor(name, facility=estate.high)
        visits.booking_make(
            actor=users["case_manager"], episode=ep, slot_key=key, contacts=[contact(ep, v)]
        )
    with pytest.raises(Conflict):
        visits.booking_make(
            actor=users["officer"], episode=world["ep"], slot_key=key, contacts=[world["c"]]
        )
    found = visits.slots(
        facility_id=estate.high.pk, start=dt.date(2026, 3, 4), end=dt.date(2026, 3, 4)
    )
    assert [(s.taken, s.free) for s in found] == [(2, 0)]


def test_visit_ban_refuses_with_reason(world, users):
    order(world["ep"], "visit_ban")
    with pytest.raises(DomainError, match="banned visits"):
        visits.booking_make(
            actor=users["officer"],
            episode=world["ep"],
            slot_key=f"{world['t'].pk}:{WED}",
            contacts=[world["c"]],
        )


def test_transfer_cancels_with_notice(world, users, estate, django_capture_on_commit_callbacks):
    b = visits.booking_make(
        actor=users["officer"],
        episode=world["ep"],
        slot_key=f"{world['t'].pk}:{WED}",
        contacts=[world["c"]],
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        custody.transfer(
            actor=users["facility_leader"],
            episode=world["ep"],
            to_facility=estate.lower,
            reason="x",
        )
    b.refresh_from_db()
    assert b.status == BookingStatus.CANCELLED
    assert "another prison" in b.cancel_reason
    assert Notice.objects.filter(visitor=world["kari"], kind="cancelled").count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["kari@example.org"]


def test_portal_hold_lapses(world, users, time_machine):
    key = f"{world['t'].pk}:2026-03-11"
    b = visits.booking_make(
        actor=users["visitor"],
        episode=world["ep"],
        slot_key=key,
        contacts=[world["c"]],
        via_portal=True,
    )
    assert b.status == BookingStatus.HELD
    time_machine.move_to(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False)
    with pytest.raises(Conflict, match="hold ran out"):
        visits.booking_confirm(actor=users["visitor"], booking=b)
    assert VisitBooking.objects.get(pk=b.pk).status == BookingStatus.HELD
