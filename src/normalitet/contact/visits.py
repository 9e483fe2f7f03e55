"""Visits (SGL § 31; SGF § 3-28; STRPL § 186; RULES.md §§ 7, 8): the free places in a
facility's visiting sessions, the rules a booking must meet, and booking itself.

Capacity is kept by locking the session's :class:`VisitSlot` row: every booking of the same
session on the same day waits for the one before it, counts what is taken and only then adds
itself, so no session is ever booked beyond its capacity, also under concurrent bookings.
A hold made in the family portal takes its place until it lapses (``hold_minutes``).

Staff book for the persons in their caseload (``VISIT_BOOK``); a visitor books in the family
portal for a person they are an approved contact of. Both go through :func:`booking_make`.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from normalitet.audit.services import record_change
from normalitet.core import clock
from normalitet.core.errors import Conflict, DomainError, NotFound
from normalitet.core.validation import ensure_open, text
from normalitet.custody.models import CustodyEpisode
from normalitet.estate.models import SecurityLevel

from . import restrictions
from .domain.rules import VISIT_RULES, age_on, in_force, police_check_needed
from .models import (
    TAKES_PLACE,
    BlockedDate,
    BookingStatus,
    BookingVisitor,
    Contact,
    ContactStatus,
    Notice,
    NoticeKind,
    PoliceCheck,
    PoliceCheckStatus,
    Relationship,
    RoomKind,
    VisitBooking,
    VisitKind,
    Visitor,
    VisitRoom,
    VisitSessionTemplate,
    VisitSlot,
)

ROOM_VISIT_KIND = {
    RoomKind.ORDINARY: VisitKind.ORDINARY,
    RoomKind.NON_CONTACT: VisitKind.NON_CONTACT,
    RoomKind.FAMILY: VisitKind.FAMILY,
    RoomKind.LAWYER: VisitKind.LAWYER,
}


# --- Free places --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One visiting session on one day, with what is left of it."""

    template_id: int
    room_id: int
    room_name: str
    room_kind: str
    day: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    taken: int
    bookable_online: bool

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def key(self) -> str:
        """How forms and the API name a slot: ``<template id>:<YYYY-MM-DD>``."""
        return f"{self.template_id}:{self.day.isoformat()}"


def slot_times(template: VisitSessionTemplate, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (
        dt.datetime.combine(day, template.starts_at, tzinfo=clock.OSLO),
        dt.datetime.combine(day, template.ends_at, tzinfo=clock.OSLO),
    )


def _live_holds(now: dt.datetime) -> Q:
    """Bookings that take a place now: all but lapsed holds."""
    return Q(status__in=TAKES_PLACE) & ~Q(status=BookingStatus.HELD, hold_expires_at__lte=now)


def parse_slot_key(key: str) -> tuple[int, dt.date]:
    try:
        template_id, day = key.split(":", 1)
        return int(template_id), dt.date.fromisoformat(day)
    except ValueError as exc:
        raise DomainError(_("Choose a visiting time from the list."), field="slot") from exc


def slots(
    *,
    facility_id: int,
    start: dt.date,
    end: dt.date,
    online_only: bool = False,
    room_kinds: Iterable[str] | None = None,
) -> list[Slot]:
    """Every session from ``start`` to ``end`` (both included) that has not begun, with its
    taken and free places; sessions on blocked dates are left out. Three queries."""
    now = clock.now()
    templates = VisitSessionTemplate.objects.filter(
        room__facility_id=facility_id,
        room__active=True,
        valid_from__lte=end,
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
    if online_only:
        templates = templates.filter(bookable_online=True)
    if room_kinds is not None:
        templates = templates.filter(room__kind__in=list(room_kinds))
    rows = list(templates.select_related("room"))
    if not rows:
        return []
    blocked = set(
        BlockedDate.objects.filter(
            facility_id=facility_id, day__gte=start, day__lte=end
        ).values_list("room_id", "day")
    )
    taken: Counter[tuple[int, dt.date]] = Counter()
    counts = (
        VisitBooking.objects.filter(
            _live_holds(now),
            slot__facility_id=facility_id,
            slot__day__gte=start,
            slot__day__lte=end,
        )
        .values_list("slot__template_id", "slot__day")
        .annotate(n=Count("id"))
    )
    for template_id, day, n in counts:
        taken[(template_id, day)] = n
    by_weekday: dict[int, list[VisitSessionTemplate]] = defaultdict(list)
    for t in rows:
        by_weekday[t.weekday].append(t)
    found: list[Slot] = []
    day = start
    while day <= end:
        for t in by_weekday.get(day.weekday(), ()):
            if t.valid_from > day or (t.valid_to is not None and t.valid_to < day):
                continue
            if (None, day) in blocked or (t.room_id, day) in blocked:
                continue
            starts_at, ends_at = slot_times(t, day)
            if starts_at <= now:
                continue
            found.append(
                Slot(
                    template_id=t.pk,
                    room_id=t.room_id,
                    room_name=t.room.name,
                    room_kind=t.room.kind,
                    day=day,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    capacity=t.capacity,
                    taken=taken[(t.pk, day)],
                    bookable_online=t.bookable_online,
                )
            )
        day += dt.timedelta(days=1)
    found.sort(key=lambda s: (s.starts_at, s.room_name))
    return found


def free_slots(*, facility_id: int, start: dt.date, end: dt.date, **kw: Any) -> list[Slot]:
    return [s for s in slots(facility_id=facility_id, start=start, end=end, **kw) if s.free]


# --- The rules a booking must meet --------------------------------------------------------------


def security_high(episode: CustodyEpisode) -> bool:
    """Whether the person is held in high security: the unit's level, else the facility's."""
    level = episode.unit.security_level if episode.unit is not None else None
    level = level or episode.facility.security_level
    return level == SecurityLevel.HIGH


@dataclass(frozen=True)
class CheckState:
    """A visitor's police checks as one line: the newest, and until when one is valid."""

    latest: PoliceCheck | None
    valid_until: dt.date | None
    needed: bool

    @property
    def valid(self) -> bool:
        return self.valid_until is not None


def check_states(visitors: list[Visitor], on: dt.date) -> dict[int, CheckState]:
    """The police check state of each visitor (one query)."""
    by_visitor: dict[int, list[PoliceCheck]] = {v.pk: [] for v in visitors}
    for check in PoliceCheck.objects.filter(visitor_id__in=list(by_visitor)).order_by(
        "-requested_on", "-id"
    ):
        by_visitor[check.visitor_id].append(check)
    states = {}
    for v in visitors:
        checks = by_visitor[v.pk]
        valid = [
            c.expires_on or on
            for c in checks
            if c.status == PoliceCheckStatus.CLEARED
            and (c.expires_on is None or c.expires_on >= on)
        ]
        states[v.pk] = CheckState(
            checks[0] if checks else None,
            max(valid) if valid else None,
            police_check_needed(v.birth_date, on),
        )
    return states


def _check_refusal(state: CheckState) -> str | None:
    """Why a visitor's police check does not hold, in words; None if it holds."""
    if state.valid:
        return None
    latest = state.latest
    if latest is not None and latest.status == PoliceCheckStatus.REFUSED:
        return _("the police check was refused")
    if latest is not None and latest.status == PoliceCheckStatus.REQUESTED:
        return _("the police check is not yet answered")
    return _("no valid police check")


def refusals(
    *,
    episode: CustodyEpisode,
    contacts: list[Contact],
    room: VisitRoom,
    day: dt.date,
    via_portal: bool,
) -> list[str]:
    """Why this visit cannot be booked, in words (empty: it can). A lawyer's visit is never
    stopped by a court restriction (STRPL § 186)."""
    problems: list[str] = []
    rules = in_force(VISIT_RULES, day)
    if not contacts:
        return [_("Name at least one visitor.")]
    if len(contacts) > room.seats:
        problems.append(_("The room takes at most %(n)s visitors at a visit.") % {"n": room.seats})
    lawyer_visit = room.kind == RoomKind.LAWYER
    checks = check_states([c.visitor for c in contacts], day)
    for c in contacts:
        name = c.visitor.full_name
        if c.person_id != episode.person_id or c.status != ContactStatus.APPROVED:
            problems.append(
                _("%(name)s is not an approved contact of this person.") % {"name": name}
            )
            continue
        if lawyer_visit and c.relationship != Relationship.LAWYER:
            problems.append(_("The lawyer's room is for the defence lawyer's visits."))
        if c.privileged:
            continue
        if not c.on_visitor_list:
            problems.append(_("%(name)s is not on the visitor list.") % {"name": name})
        state = checks[c.visitor_id]
        if state.needed:
            why = _check_refusal(state)
            if why is not None:
                problems.append(
                    _("%(name)s cannot visit yet: %(why)s.") % {"name": name, "why": why}
                )
    ages = [age_on(c.visitor.birth_date, day) for c in contacts]
    if any(a < rules.child_with_adult_under for a in ages) and not any(a >= 18 for a in ages):
        problems.append(
            _("Children under %(age)s visit only together with an adult.")
            % {"age": rules.child_with_adult_under}
        )
    if room.kind == RoomKind.FAMILY and not any(a < 18 for a in ages):
        problems.append(_("The family room is for visits with children."))
    if not lawyer_visit:
        orders = restrictions.in_force(episode.person_id, day)
        exempt = restrictions.family_exempt(episode.person.birth_date, day, contacts)
        if orders.visit_ban and not exempt:
            problems.append(
                _("The court has banned visits to this person until %(date)s.")
                % {"date": _ban_end(episode.person_id, day)}
            )
        elif orders.visits_police and via_portal:
            problems.append(
                _(
                    "Visits to this person take place only under police control. The prison "
                    "arranges them with the police; contact the prison."
                )
            )
    return problems


def _ban_end(person_id: int, day: dt.date) -> str:
    order = (
        restrictions.restrictions_on(person_id, day)
        .filter(kind=restrictions.K.VISIT_BAN)
        .order_by("-ends_on")
        .first()
    )
    return order.ends_on.strftime("%d.%m.%Y") if order else ""


def portal_window_refusal(starts_at: dt.datetime) -> str | None:
    """The family portal books from ``book_before_hours`` to ``book_ahead_days`` ahead."""
    now = clock.now()
    rules = in_force(VISIT_RULES, starts_at.astimezone(clock.OSLO).date())
    if starts_at < now + dt.timedelta(hours=rules.book_before_hours):
        return _(
            "Visits are booked online at least %(h)s hours ahead. Call the prison for a visit "
            "sooner."
        ) % {"h": rules.book_before_hours}
    if starts_at.astimezone(clock.OSLO).date() > clock.today() + dt.timedelta(
        days=rules.book_ahead_days
    ):
        return _("Visits are booked at most %(d)s days ahead.") % {"d": rules.book_ahead_days}
    return None


# --- Booking ------------------------------------------------------------------------------------


def _reference() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _i in range(8))


def _template_on(template_id: int, day: dt.date, facility_id: int) -> VisitSessionTemplate:
    template = (
        VisitSessionTemplate.objects.select_related("room")
        .filter(pk=template_id, room__facility_id=facility_id, room__active=True)
        .first()
    )
    if (
        template is None
        or template.weekday != day.weekday()
        or template.valid_from > day
        or (template.valid_to is not None and template.valid_to < day)
    ):
        raise NotFound(_("No such visiting time."))
    blocked = BlockedDate.objects.filter(facility_id=facility_id, day=day).filter(
        Q(room__isnull=True) | Q(room_id=template.room_id)
    )
    reason = blocked.values_list("reason", flat=True).first()
    if reason is not None:
        raise DomainError(
            _("There are no visits that day: %(reason)s") % {"reason": reason}, field="slot"
        )
    return template


def _overlapping(episode: CustodyEpisode, starts_at: dt.datetime, ends_at: dt.datetime) -> bool:
    return VisitBooking.objects.filter(
        _live_holds(clock.now()),
        person_id=episode.person_id,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    ).exists()


def booking_make(
    *,
    actor: Any,
    episode: CustodyEpisode,
    slot_key: str,
    contacts: list[Contact],
    via_portal: bool = False,
    note: str = "",
) -> VisitBooking:
    """Book a place in a visiting session. Staff bookings are confirmed at once; a portal
    booking is held until the visitor confirms it (:func:`booking_confirm`).

    The caller has checked the actor's right to book for ``episode`` (staff: the caseload and
    ``VISIT_BOOK``; a visitor: an approved contact among ``contacts``)."""
    ensure_open(episode)
    template_id, day = parse_slot_key(slot_key)
    template = _template_on(template_id, day, episode.facility_id)
    starts_at, ends_at = slot_times(template, day)
    now = clock.now()
    if starts_at <= now:
        raise DomainError(_("This visiting time has passed."), field="slot")
    if via_portal:
        if not template.bookable_online:
            raise DomainError(_("This visiting time is booked through the prison."), field="slot")
        window = portal_window_refusal(starts_at)
        if window:
            raise DomainError(window, field="slot")
    note = text(note, "note", None, 500)
    problems = refusals(
        episode=episode, contacts=contacts, room=template.room, day=day, via_portal=via_portal
    )
    if problems:
        raise DomainError(" ".join(problems), field="visitors", rule="visit-rules")
    orders = restrictions.in_force(episode.person_id, day)
    rules = in_force(VISIT_RULES, day)
    with transaction.atomic():
        VisitSlot.objects.bulk_create(
            [VisitSlot(template=template, day=day, facility_id=episode.facility_id)],
            ignore_conflicts=True,
        )
        slot = VisitSlot.objects.select_for_update().get(template=template, day=day)
        taken = VisitBooking.objects.filter(_live_holds(now), slot=slot).count()
        if taken >= template.capacity:
            raise Conflict(
                _("This visiting time is fully booked. Choose another time."),
                field="slot",
                rule="capacity",
            )
        if _overlapping(episode, starts_at, ends_at):
            raise Conflict(
                _("The person already has a visit at this time."), field="slot", rule="overlap"
            )
        booking = VisitBooking.objects.create(
            slot=slot,
            room=template.room,
            facility_id=episode.facility_id,
            person_id=episode.person_id,
            episode=episode,
            starts_at=starts_at,
            ends_at=ends_at,
            kind=ROOM_VISIT_KIND[RoomKind(template.room.kind)],
            status=BookingStatus.HELD if via_portal else BookingStatus.CONFIRMED,
            supervised=security_high(episode) and not all(c.supervision_waived for c in contacts),
            police_control=orders.visits_police,
            hold_expires_at=now + dt.timedelta(minutes=rules.hold_minutes) if via_portal else None,
            reference=_reference(),
            booked_by=actor,
            via_portal=via_portal,
            note=note,
        )
        BookingVisitor.objects.bulk_create(
            [BookingVisitor(booking=booking, visitor=c.visitor, contact=c) for c in contacts]
        )
        record_change(
            actor=actor,
            action="visit.book",
            obj=booking,
            person_id=episode.person_id,
            data={"slot": slot_key, "status": booking.status, "visitors": len(contacts)},
        )
        if booking.status == BookingStatus.CONFIRMED:
            notify_booking(booking, NoticeKind.CONFIRMED)
    return booking


def lawyer_visit_book(
    *,
    actor: Any,
    episode: CustodyEpisode,
    room: VisitRoom,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    contact: Contact,
    note: str = "",
) -> VisitBooking:
    """Book the defence lawyer's visit at the time agreed. It is never supervised or overheard,
    and no court restriction stops it (STRPL § 186)."""
    ensure_open(episode)
    if contact.person_id != episode.person_id or contact.status != ContactStatus.APPROVED:
        raise DomainError(_("Choose an approved contact of this person."), field="contact")
    if contact.relationship != Relationship.LAWYER:
        raise DomainError(_("Only the defence lawyer is booked this way."), field="contact")
    if room.facility_id != episode.facility_id or not room.active:
        raise NotFound(_("No such visit room."))
    if ends_at <= starts_at:
        raise DomainError(_("The visit must end after it starts."), field="ends_at")
    if starts_at <= clock.now():
        raise DomainError(_("The time has passed."), field="starts_at")
    note = text(note, "note", None, 500)
    with transaction.atomic():
        room = VisitRoom.objects.select_for_update().get(pk=room.pk)
        busy = VisitBooking.objects.filter(
            _live_holds(clock.now()), room=room, starts_at__lt=ends_at, ends_at__gt=starts_at
        ).count()
        if busy >= room.capacity:
            raise Conflict(_("The room is taken at that time."), field="room", rule="capacity")
        if _overlapping(episode, starts_at, ends_at):
            raise Conflict(_("The person already has a visit at this time."), field="starts_at")
        booking = VisitBooking.objects.create(
            room=room,
            facility_id=episode.facility_id,
            person_id=episode.person_id,
            episode=episode,
            starts_at=starts_at,
            ends_at=ends_at,
            kind=VisitKind.LAWYER,
            status=BookingStatus.CONFIRMED,
            supervised=False,
            reference=_reference(),
            booked_by=actor,
            note=note,
        )
        BookingVisitor.objects.create(booking=booking, visitor=contact.visitor, contact=contact)
        record_change(
            actor=actor, action="visit.book_lawyer", obj=booking, person_id=episode.person_id
        )
    return booking


def _locked(booking: VisitBooking) -> VisitBooking:
    return (
        VisitBooking.objects.select_for_update(of=("self",))
        .select_related("episode__person")
        .get(pk=booking.pk)
    )


def booking_confirm(*, actor: Any, booking: VisitBooking) -> VisitBooking:
    """Confirm a held booking before its hold lapses; the rules are checked again."""
    with transaction.atomic():
        booking = _locked(booking)
        if booking.status != BookingStatus.HELD:
            raise DomainError(_("Only a held visit can be confirmed."))
        if booking.hold_expires_at is not None and booking.hold_expires_at <= clock.now():
            raise Conflict(
                _("The hold ran out before it was confirmed. Choose the time again."),
                rule="hold-lapsed",
            )
        contacts = [
            bv.contact
            for bv in BookingVisitor.objects.filter(booking=booking).select_related(
                "contact__visitor"
            )
        ]
        day = booking.starts_at.astimezone(clock.OSLO).date()
        problems = refusals(
            episode=booking.episode,
            contacts=contacts,
            room=booking.room,
            day=day,
            via_portal=booking.via_portal,
        )
        if problems:
            raise DomainError(" ".join(problems), rule="visit-rules")
        booking.status = BookingStatus.CONFIRMED
        booking.hold_expires_at = None
        booking.save(update_fields=["status", "hold_expires_at", "updated_at"])
        record_change(actor=actor, action="visit.confirm", obj=booking, person_id=booking.person_id)
        notify_booking(booking, NoticeKind.CONFIRMED)
    return booking


def booking_cancel(
    *, actor: Any, booking: VisitBooking, reason: str, by_visitor: bool = False
) -> VisitBooking:
    """Cancel a booking that has not taken place; the visitors are told why (not a visitor who
    cancelled it themselves)."""
    reason = text(reason, "reason", _("Give the reason for cancelling."), 500)
    with transaction.atomic():
        booking = _locked(booking)
        if booking.status not in TAKES_PLACE:
            raise DomainError(_("Only a visit still to come can be cancelled."))
        if booking.ends_at <= clock.now():
            raise DomainError(_("The visit is over; record whether it took place instead."))
        _cancel(actor, booking, reason, notify=not by_visitor)
    return booking


def mark_cancelled(booking: VisitBooking, reason: str) -> None:
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = clock.now()
    booking.cancel_reason = reason
    booking.hold_expires_at = None
    booking.save(
        update_fields=["status", "cancelled_at", "cancel_reason", "hold_expires_at", "updated_at"]
    )


def cancel_with_notice(*, actor: Any, bookings: Iterable[VisitBooking], reason: str) -> int:
    """Cancel the bookings (the caller locked them), each with its audit event and notice to
    the visitors. Returns how many were cancelled."""
    n = 0
    for booking in bookings:
        _cancel(actor, booking, reason, notify=True)
        n += 1
    return n


def _cancel(actor: Any, booking: VisitBooking, reason: str, *, notify: bool) -> None:
    """One booking cancelled, audited, and (unless ``notify`` is off) its visitors told."""
    mark_cancelled(booking, reason)
    record_change(
        actor=actor, action="visit.cancel", obj=booking, person_id=booking.person_id, reason=reason
    )
    if notify:
        notify_booking(booking, NoticeKind.CANCELLED)


def booking_record_outcome(*, actor: Any, booking: VisitBooking, took_place: bool) -> VisitBooking:
    """After the visit: whether it took place."""
    with transaction.atomic():
        booking = _locked(booking)
        if booking.status not in (BookingStatus.CONFIRMED, BookingStatus.FLAGGED):
            raise DomainError(_("Only a confirmed visit can be recorded."))
        if booking.starts_at > clock.now():
            raise DomainError(_("The visit has not started yet."))
        booking.status = BookingStatus.COMPLETED if took_place else BookingStatus.NO_SHOW
        booking.save(update_fields=["status", "updated_at"])
        record_change(
            actor=actor,
            action="visit.outcome",
            obj=booking,
            person_id=booking.person_id,
            data={"status": booking.status},
        )
    return booking


def booking_clear_flag(*, actor: Any, booking: VisitBooking, note: str) -> VisitBooking:
    """Staff reviewed a flagged booking and keep it (for instance, police control arranged)."""
    note = text(note, "note", _("Say what was arranged."), 500)
    with transaction.atomic():
        booking = _locked(booking)
        if booking.status != BookingStatus.FLAGGED:
            raise DomainError(_("Only a visit that needs review can be kept."))
        booking.status = BookingStatus.CONFIRMED
        booking.note = note
        booking.save(update_fields=["status", "note", "updated_at"])
        record_change(
            actor=actor,
            action="visit.keep",
            obj=booking,
            person_id=booking.person_id,
            reason=note,
        )
    return booking


# --- When the person's situation changes --------------------------------------------------------


def upcoming_for(person_id: int, after: dt.datetime) -> QuerySet[VisitBooking]:
    return VisitBooking.objects.filter(
        person_id=person_id, status__in=TAKES_PLACE, starts_at__gt=after
    )


def bookings_cancel_all(*, actor: Any, person_id: int, at: dt.datetime, reason: str) -> int:
    """Cancel every visit still to come (transfer, release), telling the visitors. Lawyer
    visits too: they are agreed again with the new facility."""
    return cancel_with_notice(
        actor=actor, bookings=upcoming_for(person_id, at).select_for_update(), reason=reason
    )


def bookings_review_for_order(
    *, actor: Any, person_id: int, kind: str, starts_on: dt.date, ends_on: dt.date
) -> tuple[int, int]:
    """A new court order: visits in its period are cancelled (a visit ban) or flagged for
    review (visits only under police control). Lawyer visits are untouched. Returns
    (cancelled, flagged)."""
    K = restrictions.K
    if kind not in (K.VISIT_BAN, K.VISITS_POLICE):
        return 0, 0
    start, _end = clock.local_day_bounds(starts_on)
    _start, end = clock.local_day_bounds(ends_on)
    affected = (
        upcoming_for(person_id, max(start, clock.now()))
        .filter(starts_at__lt=end)
        .exclude(kind=VisitKind.LAWYER)
    )
    if kind == K.VISIT_BAN:
        banned = [
            booking
            for booking in affected.select_for_update()
            if not restrictions.family_exempt(
                booking.episode.person.birth_date,
                booking.starts_at.astimezone(clock.OSLO).date(),
                [bv.contact for bv in booking.visitors.select_related("contact")],
            )
        ]
        reason = _("The court has banned visits to the person for this period.")
        return cancel_with_notice(actor=actor, bookings=banned, reason=reason), 0
    flagged = 0
    for booking in affected.select_for_update():
        if booking.status != BookingStatus.FLAGGED:
            booking.status = BookingStatus.FLAGGED
            booking.police_control = True
            booking.flag_reason = _(
                "The court ordered visits only under police control: arrange the police's "
                "presence or cancel."
            )
            booking.save(update_fields=["status", "police_control", "flag_reason", "updated_at"])
            record_change(
                actor=actor,
                action="visit.flag",
                obj=booking,
                person_id=person_id,
                reason=booking.flag_reason,
            )
            notify_booking(booking, NoticeKind.CHANGED)
            flagged += 1
    return 0, flagged


# --- Notices to visitors ------------------------------------------------------------------------


def _notice_text(booking: VisitBooking, kind: str) -> tuple[str, str]:
    when = booking.starts_at.astimezone(clock.OSLO)
    facts = {
        "ref": booking.reference,
        "date": when.strftime("%d.%m.%Y"),
        "time": when.strftime("%H:%M"),
        "facility": booking.facility.name,
        "room": booking.room.name,
    }
    if kind == NoticeKind.CONFIRMED:
        subject = _("Visit confirmed: %(date)s at %(time)s") % facts
        body = (
            _(
                "Your visit on %(date)s at %(time)s at %(facility)s (%(room)s) is confirmed. "
                "Reference %(ref)s. Bring identification; arrive 15 minutes early."
            )
            % facts
        )
    elif kind == NoticeKind.CANCELLED:
        subject = _("Visit cancelled: %(date)s at %(time)s") % facts
        body = _(
            "Your visit on %(date)s at %(time)s at %(facility)s (reference %(ref)s) is "
            "cancelled. Reason: %(reason)s"
        ) % (facts | {"reason": booking.cancel_reason})
    else:
        subject = _("Visit needs review: %(date)s at %(time)s") % facts
        body = _(
            "Your visit on %(date)s at %(time)s at %(facility)s (reference %(ref)s) must be "
            "looked at again by the prison: %(reason)s The prison will contact you."
        ) % (facts | {"reason": booking.flag_reason})
    return subject, body


def language_of(visitor: Visitor) -> str:
    """The language a visitor reads notices in: their portal account's, else bokmål."""
    return visitor.user.preferred_language if visitor.user is not None else "nb"


def _email_on_commit(address: str, subject: str, body: str) -> None:
    transaction.on_commit(
        functools.partial(
            send_mail, subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True
        )
    )


def notify_booking(booking: VisitBooking, kind: str) -> None:
    """A notice to each visitor of the booking, in their language, and an email where they
    gave an address (sent when the transaction commits)."""
    now = clock.now()
    rows = BookingVisitor.objects.filter(booking=booking).select_related("visitor__user")
    for bv in rows:
        visitor = bv.visitor
        language = language_of(visitor)
        with translation.override(language):
            subject, body = _notice_text(booking, kind)
        Notice.objects.create(
            visitor=visitor,
            booking=booking,
            kind=kind,
            subject=subject,
            body=body,
            created_at=now,
        )
        if visitor.email:
            _email_on_commit(visitor.email, subject, body)


def notify_visitor(visitor: Visitor, *, kind: str, subject: str, body: str) -> Notice:
    """A notice to a visitor that is not about a booking (a contact request answered)."""
    notice = Notice.objects.create(
        visitor=visitor, kind=kind, subject=subject, body=body, created_at=clock.now()
    )
    if visitor.email:
        _email_on_commit(visitor.email, subject, body)
    return notice
