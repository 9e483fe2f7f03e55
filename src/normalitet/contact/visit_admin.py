"""The visits desk (SGL § 31; SGF § 3-28; RULES.md § 8): a facility's visit rooms, their
weekly sessions and the days without visits, and what the desk sees: the day's visits, the
visits to review, a person's visits, and the persons under 18 who are due a visit.

Rooms, sessions and blocked dates take ``VISIT_MANAGE`` in the actor's own facility; anything
of another facility is not found. Closing a session or blocking a day never strands a booked
visit silently: the visits it hits are cancelled with notice to the visitors (or, for a
session, the change is refused unless cancelling is asked for).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Prefetch, Q, QuerySet
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from normalitet.audit.services import record_change
from normalitet.core import clock
from normalitet.core.errors import Conflict, DomainError, NotFound
from normalitet.core.validation import text
from normalitet.custody.models import CustodyEpisode
from normalitet.estate.models import Facility
from normalitet.identity.policies import ensure_cap
from normalitet.identity.roles import Cap

from . import access, visits
from .domain.rules import VISIT_RULES, add_months, age_on, in_force
from .models import (
    TAKES_PLACE,
    BlockedDate,
    BookingStatus,
    BookingVisitor,
    Contact,
    ContactStatus,
    RoomKind,
    VisitBooking,
    VisitRoom,
    VisitSessionTemplate,
)

# --- Access -------------------------------------------------------------------------------------


def managed_facility(*, actor: Any) -> Facility:
    """The facility whose rooms and sessions the actor manages (``VISIT_MANAGE``)."""
    facility = access.contact_facility(actor=actor)
    ensure_cap(actor, Cap.VISIT_MANAGE)
    return facility


def ensure_managed_room(*, actor: Any, room_id: int) -> VisitRoom:
    room = access.ensure_room(actor=actor, room_id=room_id)
    ensure_cap(actor, Cap.VISIT_MANAGE)
    return room


def ensure_template(*, actor: Any, template_id: int) -> VisitSessionTemplate:
    template = (
        VisitSessionTemplate.objects.select_related("room")
        .filter(pk=template_id, room__in=access.rooms_for(actor=actor))
        .first()
    )
    if template is None:
        raise NotFound(_("No such visiting time."))
    ensure_cap(actor, Cap.VISIT_MANAGE)
    return template


def ensure_blocked(*, actor: Any, blocked_id: int) -> BlockedDate:
    facility = access.contact_facility(actor=actor)
    blocked = (
        BlockedDate.objects.select_related("room").filter(pk=blocked_id, facility=facility).first()
    )
    if blocked is None:
        raise NotFound(_("No such day without visits."))
    ensure_cap(actor, Cap.VISIT_MANAGE)
    return blocked


def actor_facility_id(actor: Any) -> int | None:
    try:
        return access.contact_facility(actor=actor).pk
    except NotFound:
        return None


def bookings_for(*, actor: Any, facility: Facility | None = None) -> QuerySet[VisitBooking]:
    """The bookings of the actor's facility for the persons in their caseload. ``facility``:
    the actor's, where the caller resolved it (:func:`access.contact_facility`)."""
    facility_id = facility.pk if facility is not None else actor_facility_id(actor)
    if facility_id is None:
        return VisitBooking.objects.none()
    return VisitBooking.objects.filter(
        facility_id=facility_id, episode__in=access.episodes_for(actor=actor)
    )


def ensure_booking(*, actor: Any, booking_id: int, cap: Cap = Cap.VISIT_BOOK) -> VisitBooking:
    """A booking of a person in the actor's caseload and facility, else NotFound; then the
    capability of the action (``PermissionDenied``)."""
    booking = (
        bookings_for(actor=actor)
        .select_related("room", "facility", "person", "episode__person")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None:
        raise NotFound(_("No such visit."))
    ensure_cap(actor, cap)
    return booking


# --- Rooms --------------------------------------------------------------------------------------


def _room_fields(*, name: str, kind: str, capacity: int, seats: int) -> dict[str, Any]:
    if kind not in RoomKind.values:
        raise DomainError(_("Choose the kind of room."), field="kind")
    if not isinstance(capacity, int) or not 1 <= capacity <= 50:
        raise DomainError(_("A room holds from 1 to 50 visits at once."), field="capacity")
    if not isinstance(seats, int) or not 1 <= seats <= 20:
        raise DomainError(_("A visit has from 1 to 20 visitors."), field="seats")
    return {
        "name": text(name, "name", _("Give the room a name."), 100),
        "kind": kind,
        "capacity": capacity,
        "seats": seats,
    }


def _same_name(facility_id: int, name: str, pk: int | None) -> None:
    same = VisitRoom.objects.filter(facility_id=facility_id, name__iexact=name)
    if pk is not None:
        same = same.exclude(pk=pk)
    if same.exists():
        raise Conflict(_("The facility already has a room by that name."), field="name")


def _to_come(q: QuerySet[VisitBooking]) -> QuerySet[VisitBooking]:
    return q.filter(status__in=TAKES_PLACE, starts_at__gt=clock.now())


def room_create(
    *, actor: Any, name: str, kind: str, capacity: int = 1, seats: int = 4
) -> VisitRoom:
    """A visit room of the actor's facility."""
    facility = managed_facility(actor=actor)
    fields = _room_fields(name=name, kind=kind, capacity=capacity, seats=seats)
    _same_name(facility.pk, fields["name"], None)
    with transaction.atomic():
        try:
            with transaction.atomic():
                room = VisitRoom.objects.create(facility=facility, **fields)
        except IntegrityError as exc:
            raise Conflict(
                _("The facility already has a room by that name."), field="name"
            ) from exc
        record_change(
            actor=actor,
            action="visit.room_create",
            obj=room,
            data={"kind": kind, "capacity": capacity, "seats": seats},
        )
    return room


def room_update(
    *,
    actor: Any,
    room: VisitRoom,
    name: str | None = None,
    kind: str | None = None,
    capacity: int | None = None,
    seats: int | None = None,
) -> VisitRoom:
    """Change a room. Its kind decides the kind of visit, so it does not change while visits
    are booked in it."""
    room = ensure_managed_room(actor=actor, room_id=room.pk)
    fields = _room_fields(
        name=room.name if name is None else name,
        kind=room.kind if kind is None else kind,
        capacity=room.capacity if capacity is None else capacity,
        seats=room.seats if seats is None else seats,
    )
    _same_name(room.facility_id, fields["name"], room.pk)
    with transaction.atomic():
        room = VisitRoom.objects.select_for_update().get(pk=room.pk)
        if fields["kind"] != room.kind and _to_come(VisitBooking.objects.filter(room=room)):
            raise Conflict(
                _("Visits are booked in the room: its kind cannot change until they are over."),
                field="kind",
            )
        changed = sorted(f for f, v in fields.items() if getattr(room, f) != v)
        for f, v in fields.items():
            setattr(room, f, v)
        try:
            with transaction.atomic():
                room.save()
        except IntegrityError as exc:
            raise Conflict(
                _("The facility already has a room by that name."), field="name"
            ) from exc
        record_change(actor=actor, action="visit.room_update", obj=room, data={"changed": changed})
    return room


def _stranded(n: int) -> str:
    return ngettext(
        "%(n)s visit is booked after that day: cancel it with notice, or choose a later day.",
        "%(n)s visits are booked after that day: cancel them with notice, or choose a later day.",
        n,
    ) % {"n": n}


def room_set_active(
    *,
    actor: Any,
    room: VisitRoom,
    active: bool,
    cancel_bookings: bool = False,
    reason: str = "",
) -> tuple[VisitRoom, int]:
    """Take a room out of use (or back). Visits booked in it are refused unless
    ``cancel_bookings``: then they are cancelled with notice. Returns the room and the number
    of visits cancelled."""
    room = ensure_managed_room(actor=actor, room_id=room.pk)
    reason = text(reason, "reason", None, 500) or _("The visit room is closed.")
    with transaction.atomic():
        room = VisitRoom.objects.select_for_update().get(pk=room.pk)
        cancelled = 0
        if not active:
            booked = _to_come(VisitBooking.objects.filter(room=room))
            n = booked.count()
            if n and not cancel_bookings:
                raise Conflict(
                    ngettext(
                        "%(n)s visit is booked in the room: cancel it with notice first.",
                        "%(n)s visits are booked in the room: cancel them with notice first.",
                        n,
                    )
                    % {"n": n},
                    field="cancel_bookings",
                )
            cancelled = visits.cancel_with_notice(
                actor=actor, bookings=booked.select_for_update(), reason=reason
            )
        room.active = active
        room.save(update_fields=["active"])
        record_change(
            actor=actor,
            action="visit.room_activate" if active else "visit.room_deactivate",
            obj=room,
            data={"cancelled": cancelled},
        )
    return room, cancelled


# --- Weekly sessions ----------------------------------------------------------------------------


def weekday_name(weekday: int) -> str:
    return str(WEEKDAYS[weekday])


def template_create(
    *,
    actor: Any,
    room: VisitRoom,
    weekday: int,
    starts_at: dt.time,
    ends_at: dt.time,
    capacity: int,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    bookable_online: bool = True,
) -> VisitSessionTemplate:
    """A weekly visiting time in a room (Monday is 0), from ``valid_from`` (not in the past).
    Refused when it overlaps another session of the room on the same weekday and dates."""
    room = ensure_managed_room(actor=actor, room_id=room.pk)
    if not room.active:
        raise DomainError(_("The room is not in use."), field="room")
    if not isinstance(weekday, int) or weekday not in range(7):
        raise DomainError(_("Choose a weekday."), field="weekday")
    if ends_at <= starts_at:
        raise DomainError(_("The visiting time must end after it starts."), field="ends_at")
    if not isinstance(capacity, int) or not 1 <= capacity <= 100:
        raise DomainError(_("A visiting time has from 1 to 100 visits."), field="capacity")
    if valid_from < clock.today():
        raise DomainError(_("A new visiting time cannot start in the past."), field="valid_from")
    if valid_to is not None and valid_to < valid_from:
        raise DomainError(_("The last day is before the first."), field="valid_to")
    clash = VisitSessionTemplate.objects.filter(
        room=room, weekday=weekday, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
    if valid_to is not None:
        clash = clash.filter(valid_from__lte=valid_to)
    other = clash.first()
    if other is not None:
        raise Conflict(
            _("The room already has a visiting time then: %(day)s %(starts)s–%(ends)s.")
            % {
                "day": weekday_name(other.weekday),
                "starts": f"{other.starts_at:%H:%M}",
                "ends": f"{other.ends_at:%H:%M}",
            },
            field="starts_at",
        )
    with transaction.atomic():
        template = VisitSessionTemplate.objects.create(
            room=room,
            weekday=weekday,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            valid_from=valid_from,
            valid_to=valid_to,
            bookable_online=bookable_online,
        )
        record_change(
            actor=actor,
            action="visit.session_create",
            obj=template,
            data={
                "room": room.pk,
                "weekday": weekday,
                "capacity": capacity,
                "valid_from": valid_from.isoformat(),
            },
        )
    return template


def template_end(
    *,
    actor: Any,
    template: VisitSessionTemplate,
    valid_to: dt.date,
    cancel_bookings: bool = False,
    reason: str = "",
) -> tuple[VisitSessionTemplate, int]:
    """The session's last day (today or later). Visits booked after it are refused unless
    ``cancel_bookings``: then they are cancelled with notice to the visitors. Returns the
    session and the number of visits cancelled."""
    template = ensure_template(actor=actor, template_id=template.pk)
    today = clock.today()
    if template.valid_to is not None and template.valid_to < today:
        raise Conflict(_("The visiting time has already ended."))
    if valid_to < today:
        raise DomainError(_("The last day cannot be in the past."), field="valid_to")
    if valid_to < template.valid_from:
        raise DomainError(_("The last day is before the visiting time starts."), field="valid_to")
    reason = text(reason, "reason", None, 500) or _("The visiting time is discontinued.")
    with transaction.atomic():
        template = VisitSessionTemplate.objects.select_for_update().get(pk=template.pk)
        stranded = VisitBooking.objects.filter(
            slot__template=template, slot__day__gt=valid_to, status__in=TAKES_PLACE
        )
        n = stranded.count()
        if n and not cancel_bookings:
            raise Conflict(_stranded(n), field="cancel_bookings", rule="stranded-bookings")
        cancelled = visits.cancel_with_notice(
            actor=actor, bookings=stranded.select_for_update(), reason=reason
        )
        template.valid_to = valid_to
        template.save(update_fields=["valid_to"])
        record_change(
            actor=actor,
            action="visit.session_end",
            obj=template,
            data={"valid_to": valid_to.isoformat(), "cancelled": cancelled},
            reason=reason if cancelled else "",
        )
    return template, cancelled


# --- Days without visits ------------------------------------------------------------------------


def blocked_date_add(
    *, actor: Any, day: dt.date, reason: str, room: VisitRoom | None = None
) -> tuple[BlockedDate, int]:
    """A day without visits in the facility (or in one room). The visits booked that day in
    the rooms it closes are cancelled with notice to the visitors. Returns the blocked date
    and the number of visits cancelled."""
    facility = managed_facility(actor=actor)
    if room is not None:
        room = ensure_managed_room(actor=actor, room_id=room.pk)
    if day < clock.today():
        raise DomainError(_("The day cannot be in the past."), field="day")
    reason = text(reason, "reason", _("Give the reason there are no visits."), 300)
    same = BlockedDate.objects.filter(facility=facility, day=day)
    if same.filter(room__isnull=True).exists() or (
        room is not None and same.filter(room=room).exists()
    ):
        raise Conflict(_("There are already no visits that day."), field="day")
    start, end = clock.local_day_bounds(day)
    hit = VisitBooking.objects.filter(
        facility=facility,
        status__in=TAKES_PLACE,
        starts_at__gte=max(start, clock.now()),
        starts_at__lt=end,
    )
    if room is not None:
        hit = hit.filter(room=room)
    with transaction.atomic():
        blocked = BlockedDate.objects.create(
            facility=facility, room=room, day=day, reason=reason, created_by=actor
        )
        cancelled = visits.cancel_with_notice(
            actor=actor,
            bookings=hit.select_for_update(),
            reason=_("There are no visits that day: %(reason)s") % {"reason": reason},
        )
        record_change(
            actor=actor,
            action="visit.block_day",
            obj=blocked,
            data={
                "day": day.isoformat(),
                "room": room.pk if room is not None else None,
                "cancelled": cancelled,
            },
            reason=reason,
        )
    return blocked, cancelled


def blocked_date_remove(*, actor: Any, blocked: BlockedDate) -> None:
    """Open a blocked day for visits again (cancelled visits stay cancelled)."""
    blocked = ensure_blocked(actor=actor, blocked_id=blocked.pk)
    if blocked.day < clock.today():
        raise DomainError(_("The day is past."))
    with transaction.atomic():
        record_change(
            actor=actor,
            action="visit.unblock_day",
            obj=blocked,
            data={"day": blocked.day.isoformat(), "room": blocked.room_id},
        )
        blocked.delete()


# --- What the desk sees -------------------------------------------------------------------------


def with_visitors(q: QuerySet[VisitBooking]) -> QuerySet[VisitBooking]:
    return q.select_related("room", "person").prefetch_related(
        Prefetch(
            "visitors",
            queryset=BookingVisitor.objects.select_related("visitor", "contact").order_by(
                "visitor__family_name", "visitor__given_names"
            ),
        )
    )


def day_sheet(*, actor: Any, day: dt.date, facility: Facility | None = None) -> list[VisitBooking]:
    """Every visit of the day at the actor's facility (persons in their caseload), by time and
    room, with the visitors. ``facility``: the actor's, where the caller resolved it."""
    if facility is None:
        facility = access.contact_facility(actor=actor)
    start, end = clock.local_day_bounds(day)
    rows = bookings_for(actor=actor, facility=facility).filter(
        starts_at__gte=start, starts_at__lt=end
    )
    return list(with_visitors(rows).order_by("starts_at", "room__name", "id"))


def to_review(*, actor: Any) -> tuple[list[VisitBooking], list[VisitBooking]]:
    """The flagged visits still to come, and the portal holds that have not lapsed."""
    facility = access.contact_facility(actor=actor)
    now = clock.now()
    mine = bookings_for(actor=actor, facility=facility).filter(starts_at__gt=now)
    flagged = mine.filter(status=BookingStatus.FLAGGED)
    held = mine.filter(status=BookingStatus.HELD).filter(
        Q(hold_expires_at__isnull=True) | Q(hold_expires_at__gt=now)
    )
    return (
        list(with_visitors(flagged).order_by("starts_at", "id")),
        list(with_visitors(held).order_by("starts_at", "id")),
    )


def person_bookings(*, episode: CustodyEpisode) -> tuple[list[VisitBooking], list[VisitBooking]]:
    """A person's visits in this stay: those to come (by time), and the past and cancelled
    ones (latest first, at most 100)."""
    now = clock.now()
    mine = VisitBooking.objects.filter(episode=episode)
    upcoming = mine.filter(status__in=TAKES_PLACE, ends_at__gt=now)
    past = mine.exclude(pk__in=upcoming.values("pk"))
    return (
        list(with_visitors(upcoming).order_by("starts_at", "id")),
        list(with_visitors(past).order_by("-starts_at", "-id")[:100]),
    )


def bookable_contacts(*, episode: CustodyEpisode) -> list[Contact]:
    """The person's approved contacts, lawyers last."""
    rows = Contact.objects.filter(
        person_id=episode.person_id, status=ContactStatus.APPROVED
    ).select_related("visitor")
    return sorted(
        rows,
        key=lambda c: (c.privileged, c.visitor.family_name, c.visitor.given_names),
    )


def chosen_contacts(*, episode: CustodyEpisode, ids: list[int]) -> list[Contact]:
    """The contacts named by id, each a contact of the person (any status: the booking rules
    say why an unapproved one cannot visit)."""
    unique = list(dict.fromkeys(ids))
    rows = list(
        Contact.objects.filter(person_id=episode.person_id, pk__in=unique).select_related(
            "visitor", "person"
        )
    )
    if len(rows) != len(unique):
        raise DomainError(_("Choose the visitors among the person's contacts."), field="contacts")
    return rows


def staff_book(
    *, actor: Any, episode: CustodyEpisode, slot_key: str, contact_ids: list[int], note: str = ""
) -> VisitBooking:
    """Staff book a visit for a person in their caseload (``VISIT_BOOK``): confirmed at once."""
    ensure_cap(actor, Cap.VISIT_BOOK)
    contacts = chosen_contacts(episode=episode, ids=contact_ids)
    return visits.booking_make(
        actor=actor, episode=episode, slot_key=slot_key, contacts=contacts, note=note
    )


def staff_book_lawyer(
    *,
    actor: Any,
    episode: CustodyEpisode,
    room_id: int,
    day: dt.date,
    starts: dt.time,
    ends: dt.time,
    contact_id: int,
    note: str = "",
) -> VisitBooking:
    """The defence lawyer's visit at the time agreed, in a room of the person's facility."""
    ensure_cap(actor, Cap.VISIT_BOOK)
    room = VisitRoom.objects.filter(pk=room_id, facility_id=episode.facility_id).first()
    if room is None:
        raise DomainError(_("Choose a visit room."), field="room")
    contact = (
        Contact.objects.filter(pk=contact_id, person_id=episode.person_id)
        .select_related("visitor")
        .first()
    )
    if contact is None:
        raise DomainError(_("Choose the lawyer among the person's contacts."), field="contact")
    starts_at = dt.datetime.combine(day, starts, tzinfo=clock.OSLO)
    ends_at = dt.datetime.combine(day, ends, tzinfo=clock.OSLO)
    return visits.lawyer_visit_book(
        actor=actor,
        episode=episode,
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        contact=contact,
        note=note,
    )


@dataclass(frozen=True)
class Under18Row:
    episode: CustodyEpisode
    age: int
    last_visit: dt.date | None
    next_visit: dt.date | None
    due: bool


def under_18(*, actor: Any) -> list[Under18Row]:
    """The persons under 18 in the actor's facility (and caseload), with their last visit that
    took place and their next booked one. ``due``: no visit in the last
    ``under_18_visit_every_days`` days of the stay and none booked (the law says at least
    monthly)."""
    facility = access.contact_facility(actor=actor)
    today = clock.today()
    every = in_force(VISIT_RULES, today).under_18_visit_every_days
    born_after = add_months(today, -18 * 12)
    episodes = list(
        access.episodes_for(actor=actor)
        .filter(facility=facility, person__birth_date__gt=born_after)
        .select_related("person", "unit")
        .order_by("person__family_name", "person__given_names")
    )
    ids = [e.pk for e in episodes]
    now = clock.now()
    last = dict(
        VisitBooking.objects.filter(episode_id__in=ids, status=BookingStatus.COMPLETED)
        .values_list("episode_id")
        .annotate(at=Max("starts_at"))
    )
    nxt = dict(
        VisitBooking.objects.filter(episode_id__in=ids, status__in=TAKES_PLACE, starts_at__gt=now)
        .values_list("episode_id")
        .annotate(at=Min("starts_at"))
    )
    rows = []
    for e in episodes:
        last_at, next_at = last.get(e.pk), nxt.get(e.pk)
        last_day = last_at.astimezone(clock.OSLO).date() if last_at else None
        since = last_day or e.admitted_at.astimezone(clock.OSLO).date()
        rows.append(
            Under18Row(
                episode=e,
                age=age_on(e.person.birth_date, today),
                last_visit=last_day,
                next_visit=next_at.astimezone(clock.OSLO).date() if next_at else None,
                due=(today - since).days >= every and next_at is None,
            )
        )
    return rows


@dataclass(frozen=True)
class RoomRow:
    room: VisitRoom
    sessions: list[VisitSessionTemplate]
    blocked: list[BlockedDate]


def rooms_overview(*, actor: Any) -> tuple[list[RoomRow], list[BlockedDate]]:
    """The facility's rooms with their sessions (current and to come) and blocked days to come;
    and the days without visits in the whole facility."""
    facility = access.contact_facility(actor=actor)
    today = clock.today()
    rooms = list(
        access.rooms_for(actor=actor)
        .prefetch_related(
            Prefetch(
                "templates",
                queryset=VisitSessionTemplate.objects.filter(
                    Q(valid_to__isnull=True) | Q(valid_to__gte=today)
                ).order_by("weekday", "starts_at"),
            )
        )
        .order_by("-active", "name")
    )
    blocked = list(
        BlockedDate.objects.filter(facility=facility, day__gte=today)
        .select_related("room")
        .order_by("day", "id")
    )
    rows = [
        RoomRow(r, list(r.templates.all()), [b for b in blocked if b.room_id == r.pk])
        for r in rooms
    ]
    return rows, [b for b in blocked if b.room_id is None]
