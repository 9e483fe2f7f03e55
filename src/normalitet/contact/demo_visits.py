"""Synthetic visits for the demo (SGL § 31; SGF § 3-28): visit rooms and weekly visiting
times for every active facility, days without visits ahead (public holidays, an exercise),
and bookings: three weeks back (taken place or not) and four weeks ahead (confirmed, some held
in the family portal, some needing review), plus lawyers' visits for persons on remand.

Called by ``normalitet.contact.demo``. Rows are written in bulk (the national demo has about
3,100 persons in 57 facilities): the booking rules are applied here in Python, the same rules
as the services (approved, listed contacts with a cleared police check; children under 15 with
an adult; no visits under a visit ban; never beyond a session's places; one visit at a time
per person). A facility that has rooms (or bookings) already is left alone, so a second call
adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import holidays
from django.db import transaction
from django.db.models import Q, Sum

from normalitet.core import clock
from normalitet.custody.models import CustodyEpisode, LegalStatus
from normalitet.estate.models import Facility, SecurityLevel

from .domain.rules import VISIT_RULES, age_on, in_force
from .models import (
    BlockedDate,
    BookingStatus,
    BookingVisitor,
    Contact,
    ContactStatus,
    CourtRestriction,
    PoliceCheck,
    PoliceCheckStatus,
    Relationship,
    RestrictionKind,
    RoomKind,
    VisitBooking,
    VisitKind,
    VisitRoom,
    VisitSessionTemplate,
    VisitSlot,
)
from .visits import ROOM_VISIT_KIND

PAST_DAYS = 21
AHEAD_DAYS = 27
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

# Visiting times: (weekdays, start, end); Monday is 0.
EVENINGS_HIGH = (((1, 3), "17:30", "18:30"),)
EVENINGS_LOWER = (((0, 1, 2, 3), "17:30", "18:30"), ((1, 3), "18:45", "19:45"))
WEEKEND_HIGH = (((5, 6), "11:00", "12:00"), ((5, 6), "13:00", "14:00"))
WEEKEND_LOWER = (((5, 6), "11:00", "12:00"), ((5, 6), "12:30", "13:30"), ((5, 6), "14:00", "15:00"))


def _places() -> dict[int, int]:
    active = Q(units__is_active=True, units__cells__is_active=True)
    return dict(
        Facility.objects.filter(is_active=True)
        .annotate(n=Sum("units__cells__capacity", filter=active, default=0))
        .values_list("pk", "n")
    )


def _time(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def _holidays_ahead(today: dt.date, days: int) -> list[tuple[dt.date, str]]:
    end = today + dt.timedelta(days=days)
    found = holidays.Norway(years={today.year, end.year}, include_sundays=False, language="no")
    return sorted((d, str(n)) for d, n in found.items() if today < d <= end)


def seed_rooms(*, rng: random.Random, today: dt.date) -> int:
    """Rooms, weekly visiting times and days without visits for every active facility that
    has no visit rooms yet. Returns the rows made."""
    places = _places()
    have = set(VisitRoom.objects.values_list("facility_id", flat=True).distinct())
    facilities = list(Facility.objects.filter(is_active=True).exclude(pk__in=have).order_by("code"))
    if not facilities:
        return 0
    rooms: list[VisitRoom] = []
    for f in facilities:
        high = f.security_level == SecurityLevel.HIGH
        size = places.get(f.pk, 0)
        tables = 3 if size >= 100 else 2
        rooms.append(
            VisitRoom(facility=f, name="Besøksrom 1", kind=RoomKind.ORDINARY, capacity=tables)
        )
        if size >= 150 or (size >= 60 and rng.random() < 0.5):
            rooms.append(
                VisitRoom(facility=f, name="Besøksrom 2", kind=RoomKind.ORDINARY, capacity=2)
            )
        if high:
            rooms.append(
                VisitRoom(
                    facility=f,
                    name="Besøksrom med glassvegg",
                    kind=RoomKind.NON_CONTACT,
                    capacity=1,
                    seats=2,
                )
            )
        if size >= 40:
            rooms.append(
                VisitRoom(
                    facility=f, name="Familierommet", kind=RoomKind.FAMILY, capacity=1, seats=6
                )
            )
        rooms.append(
            VisitRoom(facility=f, name="Advokatrommet", kind=RoomKind.LAWYER, capacity=1, seats=2)
        )
    valid_from = today - dt.timedelta(days=PAST_DAYS + 60)
    with transaction.atomic():
        VisitRoom.objects.bulk_create(rooms)
        made = VisitRoom.objects.filter(facility__in=facilities).select_related("facility")
        templates: list[VisitSessionTemplate] = []
        blocked: list[BlockedDate] = []
        by_facility: dict[int, list[VisitRoom]] = defaultdict(list)
        for room in made:
            by_facility[room.facility_id].append(room)
            high = room.facility.security_level == SecurityLevel.HIGH
            if room.kind == RoomKind.LAWYER:
                continue  # lawyers' visits are agreed case by case
            evenings = EVENINGS_HIGH if high else EVENINGS_LOWER
            weekend = WEEKEND_HIGH if high else WEEKEND_LOWER
            plan = weekend if room.kind == RoomKind.FAMILY else evenings + weekend
            if room.kind == RoomKind.NON_CONTACT:
                plan = evenings
            for weekdays, start, end in plan:
                for weekday in weekdays:
                    templates.append(
                        VisitSessionTemplate(
                            room=room,
                            weekday=weekday,
                            starts_at=_time(start),
                            ends_at=_time(end),
                            capacity=room.capacity,
                            valid_from=valid_from,
                            bookable_online=room.kind != RoomKind.NON_CONTACT,
                        )
                    )
        VisitSessionTemplate.objects.bulk_create(templates)
        ahead = _holidays_ahead(today, 60)[:2]
        for f in facilities:
            for day, name in ahead:
                blocked.append(BlockedDate(facility=f, day=day, reason=f"Helligdag: {name}"))
            if rng.random() < 0.3:
                room = rng.choice([r for r in by_facility[f.pk] if r.kind != RoomKind.LAWYER])
                day = today + dt.timedelta(days=rng.randint(8, AHEAD_DAYS))
                blocked.append(
                    BlockedDate(facility=f, room=room, day=day, reason="Vedlikehold av rommet")
                )
        BlockedDate.objects.bulk_create(blocked)
    return len(rooms) + len(templates) + len(blocked)


# --- Bookings -----------------------------------------------------------------------------------


@dataclass
class _Person:
    episode: CustodyEpisode
    birth: dt.date
    high: bool
    remand: bool
    family: list[Contact]
    lawyers: list[Contact]


@dataclass(frozen=True)
class _Occurrence:
    template: VisitSessionTemplate
    day: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime


def _reference(rng: random.Random, used: set[str]) -> str:
    while True:
        ref = "".join(rng.choice(ALPHABET) for _i in range(8))
        if ref not in used:
            used.add(ref)
            return ref


def _cleared_visitors(today: dt.date) -> set[int]:
    return set(
        PoliceCheck.objects.filter(status=PoliceCheckStatus.CLEARED)
        .filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today + dt.timedelta(days=AHEAD_DAYS))
        )
        .values_list("visitor_id", flat=True)
    )


def _persons(facility_ids: list[int], today: dt.date) -> dict[int, list[_Person]]:
    """The persons in custody in each facility who can have visits: approved contacts on the
    visitor list whose police check is cleared (or who are too young to need one)."""
    rules = in_force(VISIT_RULES, today)
    cleared = _cleared_visitors(today)
    episodes = list(
        CustodyEpisode.objects.filter(released_at__isnull=True, facility_id__in=facility_ids)
        .select_related("person", "unit", "facility")
        .order_by("pk")
    )
    contacts: dict[int, list[Contact]] = defaultdict(list)
    for c in (
        Contact.objects.filter(
            person_id__in=[e.person_id for e in episodes], status=ContactStatus.APPROVED
        )
        .select_related("visitor")
        .order_by("pk")
    ):
        contacts[c.person_id].append(c)
    found: dict[int, list[_Person]] = defaultdict(list)
    for e in episodes:
        mine = contacts.get(e.person_id, [])
        family = [
            c
            for c in mine
            if not c.privileged
            and c.on_visitor_list
            and (
                c.visitor_id in cleared
                or age_on(c.visitor.birth_date, today + dt.timedelta(days=AHEAD_DAYS))
                < rules.police_check_from_age
            )
        ]
        lawyers = [c for c in mine if c.relationship == Relationship.LAWYER]
        if not family and not lawyers:
            continue
        level = e.unit.security_level if e.unit is not None else e.facility.security_level
        found[e.facility_id].append(
            _Person(
                episode=e,
                birth=e.person.birth_date,
                high=level == SecurityLevel.HIGH,
                remand=e.legal_status == LegalStatus.REMAND,
                family=family,
                lawyers=lawyers,
            )
        )
    return found


def _orders(person_ids: list[int], start: dt.date, end: dt.date) -> dict[int, list[Any]]:
    rows = CourtRestriction.objects.filter(
        person_id__in=person_ids,
        kind__in=[RestrictionKind.VISIT_BAN, RestrictionKind.VISITS_POLICE],
        starts_on__lte=end,
        ends_on__gte=start,
    ).values_list("person_id", "kind", "starts_on", "ends_on", "lifted_on")
    found: dict[int, list[Any]] = defaultdict(list)
    for person_id, *rest in rows:
        found[person_id].append(rest)
    return found


def _order_on(orders: list[Any], kind: str, day: dt.date) -> bool:
    return any(
        k == kind and s <= day <= e and (lifted is None or lifted > day)
        for k, s, e, lifted in orders
    )


def _occurrences(
    templates: list[VisitSessionTemplate], blocked: set[tuple[int | None, dt.date]], start: dt.date
) -> list[_Occurrence]:
    found = []
    for offset in range(PAST_DAYS + AHEAD_DAYS + 1):
        day = start + dt.timedelta(days=offset)
        for t in templates:
            if t.weekday != day.weekday() or t.valid_from > day:
                continue
            if t.valid_to is not None and t.valid_to < day:
                continue
            if (None, day) in blocked or (t.room_id, day) in blocked:
                continue
            found.append(
                _Occurrence(
                    template=t,
                    day=day,
                    starts_at=dt.datetime.combine(day, t.starts_at, tzinfo=clock.OSLO),
                    ends_at=dt.datetime.combine(day, t.ends_at, tzinfo=clock.OSLO),
                )
            )
    found.sort(key=lambda o: (o.starts_at, o.template.pk))
    return found


def _visitors(rng: random.Random, p: _Person, room: VisitRoom, day: dt.date) -> list[Contact]:
    """Who comes: an adult, sometimes with one or two others; in the family room, children
    with an adult. Empty when the rules leave no one."""
    rules = in_force(VISIT_RULES, day)
    adults = [c for c in p.family if age_on(c.visitor.birth_date, day) >= 18]
    children = [c for c in p.family if age_on(c.visitor.birth_date, day) < 18]
    if not adults:
        older = [
            c for c in children if age_on(c.visitor.birth_date, day) >= rules.child_with_adult_under
        ]
        return [rng.choice(older)] if older else []
    if room.kind == RoomKind.FAMILY:
        if not children:
            return []
        chosen = [rng.choice(adults), *rng.sample(children, min(len(children), rng.randint(1, 3)))]
    else:
        chosen = [rng.choice(adults)]
        others = [c for c in p.family if c is not chosen[0]]
        if others and rng.random() < 0.35:
            chosen += rng.sample(others, min(len(others), rng.randint(1, 2)))
    return chosen[: room.seats]


def seed_bookings(*, rng: random.Random, today: dt.date) -> int:
    """Visits over the past three weeks (taken place or not) and the next four (confirmed,
    some held or needing review), about 50-70 % of the places taken ahead; lawyers' visits
    for some persons on remand. Facilities with bookings already are left alone. Returns the
    bookings made."""
    now = clock.now()
    start = today - dt.timedelta(days=PAST_DAYS)
    end = today + dt.timedelta(days=AHEAD_DAYS)
    booked = set(VisitBooking.objects.values_list("facility_id", flat=True).distinct())
    rooms = list(
        VisitRoom.objects.filter(active=True, facility__is_active=True)
        .exclude(facility_id__in=booked)
        .select_related("facility")
    )
    if not rooms:
        return 0
    facility_ids = sorted({r.facility_id for r in rooms})
    templates: dict[int, list[VisitSessionTemplate]] = defaultdict(list)
    for t in VisitSessionTemplate.objects.filter(room__in=rooms).select_related("room"):
        templates[t.room.facility_id].append(t)
    blocked: dict[int, set[tuple[int | None, dt.date]]] = defaultdict(set)
    for facility_id, room_id, day in BlockedDate.objects.filter(
        facility_id__in=facility_ids, day__gte=start, day__lte=end
    ).values_list("facility_id", "room_id", "day"):
        blocked[facility_id].add((room_id, day))
    persons = _persons(facility_ids, today)
    orders = _orders([p.episode.person_id for ps in persons.values() for p in ps], start, end)
    used = set(VisitBooking.objects.values_list("reference", flat=True))
    hold_minutes = in_force(VISIT_RULES, today).hold_minutes
    bookings: list[VisitBooking] = []
    who: list[list[Contact]] = []
    slots_needed: set[tuple[int, dt.date, int]] = set()
    slot_of: list[tuple[int, dt.date] | None] = []
    for facility_id in facility_ids:
        people = persons.get(facility_id, [])
        if not people:
            continue
        busy: set[tuple[int, Any]] = set()  # (episode, ISO year and week)
        for occ in _occurrences(templates[facility_id], blocked[facility_id], start):
            t = occ.template
            past = occ.starts_at <= now
            share = rng.uniform(0.5, 0.8) if past else rng.uniform(0.5, 0.7)
            wanted = sum(1 for _i in range(t.capacity) if rng.random() < share)
            week = occ.day.isocalendar()[:2]
            candidates = [
                p
                for p in people
                if p.family
                and (p.episode.pk, week) not in busy
                and p.episode.arrived_at < occ.starts_at
                and not _order_on(orders.get(p.episode.person_id, []), "visit_ban", occ.day)
            ]
            rng.shuffle(candidates)
            taken = 0
            for p in candidates:
                if taken >= wanted:
                    break
                contacts = _visitors(rng, p, t.room, occ.day)
                if not contacts:
                    continue
                police = _order_on(orders.get(p.episode.person_id, []), "visits_police", occ.day)
                status, portal, hold, flag = _status(rng, past=past, police=police)
                bookings.append(
                    VisitBooking(
                        room=t.room,
                        facility_id=facility_id,
                        person_id=p.episode.person_id,
                        episode=p.episode,
                        starts_at=occ.starts_at,
                        ends_at=occ.ends_at,
                        kind=ROOM_VISIT_KIND[RoomKind(t.room.kind)],
                        status=status,
                        supervised=p.high and not all(c.supervision_waived for c in contacts),
                        police_control=police,
                        hold_expires_at=now + dt.timedelta(minutes=hold_minutes) if hold else None,
                        reference=_reference(rng, used),
                        via_portal=portal,
                        flag_reason=flag,
                        cancelled_at=now if status == BookingStatus.CANCELLED else None,
                        cancel_reason="Besøkende meldte avbud."
                        if status == BookingStatus.CANCELLED
                        else "",
                    )
                )
                who.append(contacts)
                slot_of.append((t.pk, occ.day))
                slots_needed.add((t.pk, occ.day, facility_id))
                busy.add((p.episode.pk, week))
                if status != BookingStatus.CANCELLED:
                    taken += 1
        _lawyer_visits(rng, people, rooms, facility_id, today, now, used, bookings, who, slot_of)
    with transaction.atomic():
        VisitSlot.objects.bulk_create(
            [VisitSlot(template_id=t, day=d, facility_id=f) for t, d, f in sorted(slots_needed)],
            ignore_conflicts=True,
        )
        slot_ids = {
            (s.template_id, s.day): s.pk
            for s in VisitSlot.objects.filter(facility_id__in=facility_ids, day__gte=start)
        }
        for b, key in zip(bookings, slot_of, strict=True):
            b.slot_id = slot_ids[key] if key is not None else None
        VisitBooking.objects.bulk_create(bookings, batch_size=2000)
        BookingVisitor.objects.bulk_create(
            [
                BookingVisitor(booking=b, visitor_id=c.visitor_id, contact=c)
                for b, contacts in zip(bookings, who, strict=True)
                for c in contacts
            ],
            batch_size=5000,
        )
    return len(bookings)


def _status(rng: random.Random, *, past: bool, police: bool) -> tuple[str, bool, bool, str]:
    """(status, via portal, held, flag reason) of a booking."""
    portal = rng.random() < 0.4
    if past:
        roll = rng.random()
        if roll < 0.05:
            return BookingStatus.CANCELLED, portal, False, ""
        return (
            (BookingStatus.COMPLETED if roll < 0.88 else BookingStatus.NO_SHOW),
            portal,
            False,
            "",
        )
    roll = rng.random()
    if police or roll < 0.03:
        return (
            BookingStatus.FLAGGED,
            portal,
            False,
            "Retten har bestemt at besøk bare skal skje under politiets kontroll: avtal med "
            "politiet eller avlys.",
        )
    if roll < 0.08:
        return BookingStatus.HELD, True, True, ""
    if roll < 0.11:
        return BookingStatus.CANCELLED, portal, False, ""
    return BookingStatus.CONFIRMED, portal, False, ""


def _lawyer_visits(
    rng: random.Random,
    people: list[_Person],
    rooms: list[VisitRoom],
    facility_id: int,
    today: dt.date,
    now: dt.datetime,
    used: set[str],
    bookings: list[VisitBooking],
    who: list[list[Contact]],
    slot_of: list[tuple[int, dt.date] | None],
) -> None:
    """About a third of the persons on remand with a lawyer: one lawyer's visit in the last
    three weeks (taken place) and one in the next two, on weekdays in the lawyer's room, at
    most the room's capacity at a time."""
    room = next(
        (r for r in rooms if r.facility_id == facility_id and r.kind == RoomKind.LAWYER), None
    )
    if room is None:
        return
    taken: Counter[dt.datetime] = Counter()
    hours = (9, 10, 13, 14)
    for p in people:
        if not p.remand or not p.lawyers or rng.random() > 0.35:
            continue
        lawyer = p.lawyers[0]
        for offset in (-rng.randint(1, PAST_DAYS), rng.randint(1, 14)):
            day = today + dt.timedelta(days=offset)
            while day.weekday() >= 5:
                day += dt.timedelta(days=1)
            for hour in rng.sample(hours, len(hours)):
                starts = dt.datetime.combine(day, dt.time(hour), tzinfo=clock.OSLO)
                if taken[starts] < room.capacity and p.episode.arrived_at < starts:
                    break
            else:
                continue
            taken[starts] += 1
            past = starts <= now
            bookings.append(
                VisitBooking(
                    room=room,
                    facility_id=facility_id,
                    person_id=p.episode.person_id,
                    episode=p.episode,
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=1),
                    kind=VisitKind.LAWYER,
                    status=BookingStatus.COMPLETED if past else BookingStatus.CONFIRMED,
                    supervised=False,
                    reference=_reference(rng, used),
                )
            )
            who.append([lawyer])
            slot_of.append(None)
