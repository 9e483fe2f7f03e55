"""No session is ever booked beyond its places, also under simultaneous bookings: on
PostgreSQL, 200 threads book the last 3 places of a session at once (the session's row is
locked while places are counted); on any database the same invariant, booking one after the
other."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import close_old_connections, connection

from normalitet.contact import visits
from normalitet.contact.models import TAKES_PLACE, VisitBooking, VisitSlot
from normalitet.core.errors import Conflict

from ..custody.helpers import admitted
from .helpers import contact, room, session, visitor

WED = "2026-03-04"
CAPACITY, TAKEN, CONTENDERS = 10, 7, 200


def _world(estate: Any, users: dict[str, Any], n: int) -> tuple[Any, list[tuple[Any, Any]]]:
    """A session of ``CAPACITY`` places with ``TAKEN`` booked, and ``n`` more persons each with
    an approved, listed contact whose police check is cleared."""
    t = session(room(estate.lower, capacity=CAPACITY), capacity=CAPACITY)
    key = f"{t.pk}:{WED}"
    for i in range(TAKEN):
        ep = admitted(users, estate.lower, given_names=f"Tatt{i}")
        visits.booking_make(
            actor=users["lower_case_manager"],
            episode=ep,
            slot_key=key,
            contacts=[contact(ep, visitor(f"T{i}", facility=estate.lower))],
        )
    contenders = []
    for i in range(n):
        ep = admitted(users, estate.lower, given_names=f"Person{i}")
        contenders.append((ep, contact(ep, visitor(f"V{i}", facility=estate.lower))))
    return t, contenders


def _taken(template: Any) -> int:
    return VisitBooking.objects.filter(
        slot__template=template, slot__day=dt.date.fromisoformat(WED), status__in=TAKES_PLACE
    ).count()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_simultaneous_bookings_never_exceed_capacity(estate, users, frozen):
    t, contenders = _world(estate, users, CONTENDERS)
    key = f"{t.pk}:{WED}"
    actor = users["lower_case_manager"]

    def book(item: tuple[Any, Any]) -> str:
        episode, c = item
        try:
            visits.booking_make(actor=actor, episode=episode, slot_key=key, contacts=[c])
        except Conflict:
            return "conflict"
        finally:
            close_old_connections()
            connection.close()
        return "booked"

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(book, contenders))
    assert results.count("booked") == CAPACITY - TAKEN
    assert results.count("conflict") == CONTENDERS - (CAPACITY - TAKEN)
    assert _taken(t) == CAPACITY
    assert VisitSlot.objects.filter(template=t).count() == 1


@pytest.mark.django_db
def test_sequential_bookings_stop_at_capacity(estate, users, frozen):
    t, contenders = _world(estate, users, 10)
    key = f"{t.pk}:{WED}"
    outcomes = []
    for episode, c in contenders:
        try:
            visits.booking_make(
                actor=users["lower_case_manager"], episode=episode, slot_key=key, contacts=[c]
            )
            outcomes.append("booked")
        except Conflict:
            outcomes.append("conflict")
    assert outcomes == ["booked"] * 3 + ["conflict"] * 7
    assert _taken(t) == CAPACITY
