"""The demo's rooms, visiting times and bookings on a small world: every active facility gets
rooms fitting it, bookings keep the rules (approved, listed, cleared visitors; no visits under
a ban; never beyond a session's places; one visit a week per person), and a second call adds
nothing."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

import pytest
from django.db.models import Count, F, Q

from normalitet.contact.demo_visits import seed_bookings, seed_rooms
from normalitet.contact.models import (
    TAKES_PLACE,
    BlockedDate,
    BookingStatus,
    BookingVisitor,
    VisitBooking,
    VisitRoom,
    VisitSessionTemplate,
)
from normalitet.core import clock

from ..custody.helpers import admitted
from .helpers import contact, order, visitor

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(estate: Any, users: dict[str, Any], frozen: Any, time_machine: Any) -> dict[str, Any]:
    # Admitted six weeks ago, so that the past three weeks have visits too.
    time_machine.move_to(dt.datetime(2026, 1, 19, 9, 0, tzinfo=dt.UTC), tick=False)
    made: dict[str, Any] = {"ok": [], "ban": None, "unchecked": None}
    for i in range(8):
        ep = admitted(users, estate.high if i < 5 else estate.lower, given_names=f"P{i}")
        contact(ep, visitor(f"V{i}", facility=estate.high))
        contact(ep, visitor(f"Barn{i}", birth_date=dt.date(2018, 1, 1)), "child")
        made["ok"].append(ep)
    banned = admitted(users, estate.high, given_names="Bannlyst")
    contact(banned, visitor("Vb", facility=estate.high))
    made["ban"] = banned
    unchecked = admitted(users, estate.high, given_names="Usjekket")
    made["unchecked_contact"] = contact(unchecked, visitor("Vu", cleared=False))
    made["unchecked"] = unchecked
    remand = admitted(users, estate.high, given_names="Varetekt")
    remand.legal_status = "remand"
    remand.save(update_fields=["legal_status"])
    contact(remand, visitor("Advokat", cleared=False), "lawyer")
    made["remand"] = remand
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC), tick=False)
    order(banned, "visit_ban", starts_on=dt.date(2026, 2, 1), ends_on=dt.date(2026, 4, 30))
    return made


def test_seed_rooms_and_bookings_keep_the_rules(small, estate):
    today = clock.today()
    rng = random.Random(7)
    rows = seed_rooms(rng=rng, today=today)
    assert rows > 0
    kinds = {
        f: set(VisitRoom.objects.filter(facility=f).values_list("kind", flat=True))
        for f in (estate.high, estate.lower)
    }
    assert {"ordinary", "non_contact", "lawyer"} <= kinds[estate.high]
    assert "non_contact" not in kinds[estate.lower] and "lawyer" in kinds[estate.lower]
    assert VisitSessionTemplate.objects.filter(room__facility=estate.high).exists()
    assert not VisitSessionTemplate.objects.filter(room__kind="lawyer").exists()
    # High security has fewer visiting times a week per ordinary room.
    per_room = dict(
        VisitSessionTemplate.objects.filter(room__kind="ordinary", room__name="Besøksrom 1")
        .values_list("room__facility_id")
        .annotate(n=Count("id"))
    )
    assert per_room[estate.high.pk] < per_room[estate.lower.pk]

    made = seed_bookings(rng=rng, today=today)
    assert made > 0
    now = clock.now()
    bookings = VisitBooking.objects.all()
    assert bookings.filter(starts_at__lt=now, status__in=["completed", "no_show"]).exists()
    assert bookings.filter(starts_at__gt=now, status="confirmed").exists()
    # Never beyond a session's places.
    over = (
        VisitBooking.objects.filter(slot__isnull=False, status__in=TAKES_PLACE)
        .values("slot_id", "slot__template__capacity")
        .annotate(n=Count("id"))
        .filter(n__gt=F("slot__template__capacity"))
    )
    assert not over.exists()
    # No visits to a person under a ban, none with an unchecked visitor.
    assert not bookings.filter(person_id=small["ban"].person_id).exists()
    assert not BookingVisitor.objects.filter(contact=small["unchecked_contact"]).exists()
    # One ordinary visit a week per person.
    weeks = Counter(
        (b.person_id, b.starts_at.astimezone(clock.OSLO).isocalendar()[:2])
        for b in bookings.exclude(kind="lawyer")
    )
    assert max(weeks.values()) == 1
    # Every booking has visitors; lawyers' visits are unsupervised and have no slot.
    assert not bookings.annotate(n=Count("visitors")).filter(n=0).exists()
    assert (
        not bookings.filter(kind="lawyer")
        .filter(Q(supervised=True) | Q(slot__isnull=False))
        .exists()
    )
    assert not bookings.filter(status=BookingStatus.HELD, via_portal=False).exists()
    # No bookings on blocked days.
    for bd in BlockedDate.objects.all():
        start, end = clock.local_day_bounds(bd.day)
        hit = bookings.filter(facility_id=bd.facility_id, starts_at__gte=start, starts_at__lt=end)
        if bd.room_id:
            hit = hit.filter(room_id=bd.room_id)
        assert not hit.exists()

    counts = (VisitRoom.objects.count(), VisitBooking.objects.count(), BlockedDate.objects.count())
    assert seed_rooms(rng=random.Random(8), today=today) == 0
    assert seed_bookings(rng=random.Random(8), today=today) == 0
    assert counts == (
        VisitRoom.objects.count(),
        VisitBooking.objects.count(),
        BlockedDate.objects.count(),
    )
