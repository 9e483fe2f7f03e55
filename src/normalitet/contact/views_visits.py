"""Pages of the visits desk, under /contact/: the day's visits (and a printable sheet), the
visits to review, the rooms with their sessions and days without visits, a person's visits
with booking, and the persons under 18 due a visit.

Seeing takes ``CONTACT_VIEW`` in the actor's facility (persons: their caseload); booking and
recording take ``VISIT_BOOK``; rooms, sessions and blocked days take ``VISIT_MANAGE``.
Anything out of scope is a 404, the same as a missing record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from normalitet.audit.services import record_access
from normalitet.core import clock
from normalitet.core.errors import DomainError, NotFound
from normalitet.core.views import error_page, form_page, or_404
from normalitet.custody.views import person_header
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap

from . import access, visit_admin, visits
from .domain.rules import VISIT_RULES, age_on, in_force
from .forms_visits import (
    BlockedDateForm,
    BookForm,
    CancelForm,
    KeepForm,
    LawyerForm,
    RoomActiveForm,
    RoomForm,
    SessionEndForm,
    SessionForm,
)
from .models import TAKES_PLACE, BookingStatus, Relationship, RoomKind, VisitBooking, VisitRoom
from .views_access import back_to, staff

FORM = "contact/visits/form.html"


def _manager(request: AuthenticatedRequest) -> Any:
    user = staff(request)
    if not can(user, Cap.VISIT_MANAGE):
        raise Http404
    return user


def _day(request: AuthenticatedRequest) -> dt.date:
    raw = request.GET.get("date", "")
    if not raw:
        return clock.today()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return clock.today()


def visit_rows(bookings: list[VisitBooking], user: Any) -> list[dict[str, Any]]:
    """Each booking with its visitors (age shown when under 18) and the actions open to the
    user."""
    now = clock.now()
    book, manage = can(user, Cap.VISIT_BOOK), can(user, Cap.VISIT_MANAGE)
    rows = []
    for b in bookings:
        day = b.starts_at.astimezone(clock.OSLO).date()
        who = []
        for bv in b.visitors.all():
            age = age_on(bv.visitor.birth_date, day)
            who.append(
                {
                    "name": bv.visitor.full_name,
                    "age": age if age < 18 else None,
                    "relationship": bv.contact.get_relationship_display(),
                }
            )
        live = b.status in TAKES_PLACE
        rows.append(
            {
                "b": b,
                "visitors": who,
                "record": book
                and b.status in (BookingStatus.CONFIRMED, BookingStatus.FLAGGED)
                and b.starts_at <= now,
                "cancel": book and live and b.ends_at > now,
                "keep": manage and b.status == BookingStatus.FLAGGED,
            }
        )
    return rows


# --- The day's visits ---------------------------------------------------------------------------


def visits_day(request: AuthenticatedRequest) -> HttpResponse:
    user = staff(request)
    day = _day(request)
    facility = access.contact_facility(actor=user)
    rows = visit_rows(visit_admin.day_sheet(actor=user, day=day, facility=facility), user)
    return render(
        request,
        "contact/visits/day.html",
        {
            "day": day,
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
            "today": clock.today(),
            "rows": rows,
            "facility": facility,
        },
    )


def visits_day_print(request: AuthenticatedRequest) -> HttpResponse:
    user = staff(request)
    day = _day(request)
    facility = access.contact_facility(actor=user)
    return render(
        request,
        "contact/visits/day_print.html",
        {
            "day": day,
            "today": clock.today(),
            "rows": visit_rows(visit_admin.day_sheet(actor=user, day=day, facility=facility), user),
            "facility": facility,
        },
    )


def visits_review(request: AuthenticatedRequest) -> HttpResponse:
    user = staff(request)
    flagged, held = visit_admin.to_review(actor=user)
    return render(
        request,
        "contact/visits/review.html",
        {"flagged": visit_rows(flagged, user), "held": visit_rows(held, user)},
    )


# --- Actions on a booking -----------------------------------------------------------------------


def _booking(request: AuthenticatedRequest, booking_id: int, cap: Cap) -> VisitBooking:
    """The booking (404 outside the caseload), then the capability of the action (404 too:
    the pages never show an action the role lacks)."""
    user = staff(request)
    try:
        return visit_admin.ensure_booking(actor=user, booking_id=booking_id, cap=cap)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError:
        raise Http404 from None


def _booking_title(b: VisitBooking) -> str:
    when = b.starts_at.astimezone(clock.OSLO)
    return _("Visit %(ref)s: %(person)s, %(date)s %(time)s, %(room)s") % {
        "ref": b.reference,
        "person": b.person.full_name,
        "date": when.strftime("%d.%m.%Y"),
        "time": when.strftime("%H:%M"),
        "room": b.room.name,
    }


def _day_url(b: VisitBooking) -> str:
    day = b.starts_at.astimezone(clock.OSLO).date()
    return f"{reverse('contact:visits_day')}?date={day.isoformat()}"


def booking_cancel(request: AuthenticatedRequest, booking_id: int) -> HttpResponse:
    b = _booking(request, booking_id, Cap.VISIT_BOOK)
    back = back_to(request, _day_url(b))
    return form_page(
        request,
        CancelForm(request.POST or None),
        template=FORM,
        context={
            "title": _("Cancel the visit"),
            "intro": _booking_title(b),
            "cancel_url": back,
            "next": back,
            "submit": _("Cancel the visit"),
        },
        run=lambda d: visits.booking_cancel(actor=request.user, booking=b, reason=d["reason"]),
        success=lambda _r: back,
        message=_("The visit is cancelled and the visitors are told."),
    )


def booking_keep(request: AuthenticatedRequest, booking_id: int) -> HttpResponse:
    b = _booking(request, booking_id, Cap.VISIT_MANAGE)
    back = back_to(request, reverse("contact:visits_review"))
    return form_page(
        request,
        KeepForm(request.POST or None),
        template=FORM,
        context={
            "title": _("Keep the visit"),
            "intro": f"{_booking_title(b)}. {b.flag_reason}",
            "cancel_url": back,
            "next": back,
            "submit": _("Keep the visit"),
        },
        run=lambda d: visits.booking_clear_flag(actor=request.user, booking=b, note=d["note"]),
        success=lambda _r: back,
        message=_("The visit is kept."),
    )


@require_POST
def booking_outcome(request: AuthenticatedRequest, booking_id: int) -> HttpResponse:
    b = _booking(request, booking_id, Cap.VISIT_BOOK)
    took_place = request.POST.get("took_place")
    if took_place not in ("1", "0"):
        return error_page(request, DomainError(_("Say whether the visit took place.")))
    try:
        visits.booking_record_outcome(actor=request.user, booking=b, took_place=took_place == "1")
    except DomainError as exc:
        return error_page(request, exc)
    messages.success(
        request,
        _("Recorded: the visit took place.")
        if took_place == "1"
        else _("Recorded: the visit did not take place."),
    )
    return redirect(back_to(request, _day_url(b)))


# --- Rooms, sessions and days without visits ----------------------------------------------------


def visit_rooms(request: AuthenticatedRequest) -> HttpResponse:
    user = staff(request)
    rows, facility_blocked = visit_admin.rooms_overview(actor=user)
    return render(
        request,
        "contact/visits/rooms.html",
        {
            "rows": [
                (r, [(t, visit_admin.weekday_name(t.weekday)) for t in r.sessions]) for r in rows
            ],
            "facility_blocked": facility_blocked,
            "can_manage": can(user, Cap.VISIT_MANAGE),
            "facility": access.contact_facility(actor=user),
        },
    )


def _rooms_url() -> str:
    return reverse("contact:visit_rooms")


def _managed_room(request: AuthenticatedRequest, room_id: int) -> VisitRoom:
    user = _manager(request)
    return or_404(access.ensure_room, actor=user, room_id=room_id)


def room_new(request: AuthenticatedRequest) -> HttpResponse:
    user = _manager(request)
    return form_page(
        request,
        RoomForm(request.POST or None),
        template=FORM,
        context={"title": _("New visit room"), "cancel_url": _rooms_url()},
        run=lambda d: visit_admin.room_create(actor=user, **d),
        success=lambda _r: _rooms_url(),
        message=_("The room is saved."),
    )


def room_edit(request: AuthenticatedRequest, room_id: int) -> HttpResponse:
    room = _managed_room(request, room_id)
    initial = {"name": room.name, "kind": room.kind, "capacity": room.capacity, "seats": room.seats}
    return form_page(
        request,
        RoomForm(request.POST or None, initial=initial),
        template=FORM,
        context={"title": room.name, "cancel_url": _rooms_url()},
        run=lambda d: visit_admin.room_update(actor=request.user, room=room, **d),
        success=lambda _r: _rooms_url(),
        message=_("The room is saved."),
    )


def room_active(request: AuthenticatedRequest, room_id: int) -> HttpResponse:
    """Take a room out of use (a form: its booked visits may be cancelled), or back into use."""
    room = _managed_room(request, room_id)

    def message(result: tuple[VisitRoom, int]) -> str:
        saved, n = result
        if saved.active:
            return _("The room is in use again.")
        return ngettext(
            "The room is out of use; %(n)s visit was cancelled.",
            "The room is out of use; %(n)s visits were cancelled.",
            n,
        ) % {"n": n}

    return form_page(
        request,
        RoomActiveForm(request.POST or None),
        template=FORM,
        context={
            "title": _("Put the room back in use")
            if not room.active
            else _("Take the room out of use"),
            "intro": room.name,
            "cancel_url": _rooms_url(),
            "submit": _("Put back in use") if not room.active else _("Take out of use"),
        },
        run=lambda d: visit_admin.room_set_active(
            actor=request.user, room=room, active=not room.active, **d
        ),
        success=lambda _r: _rooms_url(),
        message=message,
    )


def session_new(request: AuthenticatedRequest, room_id: int) -> HttpResponse:
    room = _managed_room(request, room_id)
    form = SessionForm(
        request.POST or None, initial={"valid_from": clock.today(), "capacity": room.capacity}
    )
    return form_page(
        request,
        form,
        template=FORM,
        context={"title": _("New visiting time"), "intro": room.name, "cancel_url": _rooms_url()},
        run=lambda d: visit_admin.template_create(actor=request.user, room=room, **d),
        success=lambda _r: _rooms_url(),
        message=_("The visiting time is saved."),
    )


def session_end(request: AuthenticatedRequest, template_id: int) -> HttpResponse:
    user = _manager(request)
    template = or_404(visit_admin.ensure_template, actor=user, template_id=template_id)

    def message(result: tuple[Any, int]) -> str:
        return ngettext(
            "The visiting time ends on the day given; %(n)s visit was cancelled.",
            "The visiting time ends on the day given; %(n)s visits were cancelled.",
            result[1],
        ) % {"n": result[1]}

    when = _("%(day)s %(starts)s–%(ends)s, %(room)s") % {
        "day": visit_admin.weekday_name(template.weekday),
        "starts": f"{template.starts_at:%H:%M}",
        "ends": f"{template.ends_at:%H:%M}",
        "room": template.room.name,
    }
    return form_page(
        request,
        SessionEndForm(request.POST or None),
        template=FORM,
        context={"title": _("End the visiting time"), "intro": when, "cancel_url": _rooms_url()},
        run=lambda d: visit_admin.template_end(actor=user, template=template, **d),
        success=lambda _r: _rooms_url(),
        message=message,
    )


def _room_choices(user: Any) -> list[tuple[int, str]]:
    return [(r.pk, r.name) for r in access.rooms_for(actor=user).filter(active=True)]


def blocked_new(request: AuthenticatedRequest) -> HttpResponse:
    user = _manager(request)
    rooms = access.rooms_for(actor=user)

    def run(d: dict[str, Any]) -> Any:
        room = rooms.filter(pk=d["room"]).first() if d["room"] else None
        if d["room"] and room is None:
            raise DomainError(_("Choose a visit room."), field="room")
        return visit_admin.blocked_date_add(actor=user, day=d["day"], reason=d["reason"], room=room)

    def message(result: tuple[Any, int]) -> str:
        return ngettext(
            "No visits that day; %(n)s visit was cancelled with notice.",
            "No visits that day; %(n)s visits were cancelled with notice.",
            result[1],
        ) % {"n": result[1]}

    return form_page(
        request,
        BlockedDateForm(request.POST or None, rooms=_room_choices(user)),
        template=FORM,
        context={
            "title": _("A day without visits"),
            "intro": _(
                "Visits booked that day in the rooms it closes are cancelled, and the "
                "visitors are told."
            ),
            "cancel_url": _rooms_url(),
        },
        run=run,
        success=lambda _r: _rooms_url(),
        message=message,
    )


@require_POST
def blocked_remove(request: AuthenticatedRequest, blocked_id: int) -> HttpResponse:
    user = _manager(request)
    blocked = or_404(visit_admin.ensure_blocked, actor=user, blocked_id=blocked_id)
    try:
        visit_admin.blocked_date_remove(actor=user, blocked=blocked)
    except DomainError as exc:
        return error_page(request, exc)
    messages.success(request, _("Visits can be booked that day again."))
    return redirect("contact:visit_rooms")


# --- A person's visits --------------------------------------------------------------------------


def _slot_label(s: visits.Slot) -> str:
    when = s.starts_at.astimezone(clock.OSLO)
    return ngettext(
        "%(weekday)s %(date)s %(starts)s–%(ends)s, %(room)s (%(free)s free)",
        "%(weekday)s %(date)s %(starts)s–%(ends)s, %(room)s (%(free)s free)",
        s.free,
    ) % {
        "weekday": visit_admin.weekday_name(s.day.weekday()),
        "date": when.strftime("%d.%m.%Y"),
        "starts": when.strftime("%H:%M"),
        "ends": s.ends_at.astimezone(clock.OSLO).strftime("%H:%M"),
        "room": s.room_name,
        "free": s.free,
    }


def person_visits(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """The person's visits to come and past, and for staff who book: the free visiting times
    of the next four weeks with the booking form, and the lawyer's visit form."""
    user = staff(request)
    episode = or_404(access.ensure_episode, actor=user, person_id=person_id)
    record_access(actor=user, person_id=episode.person_id, what="contact.visits")
    book_form = lawyer_form = None
    free: list[visits.Slot] = []
    status = 200
    if can(user, Cap.VISIT_BOOK):
        today = clock.today()
        free = visits.free_slots(
            facility_id=episode.facility_id, start=today, end=today + dt.timedelta(days=27)
        )
        contacts = visit_admin.bookable_contacts(episode=episode)
        action = request.POST.get("action") if request.method == "POST" else None
        book_form = BookForm(
            request.POST if action == "book" else None,
            slots=[(s.key, _slot_label(s)) for s in free],
            contacts=[
                (c.pk, f"{c.visitor.full_name} ({c.get_relationship_display()})") for c in contacts
            ],
        )
        rooms = sorted(
            access.rooms_for(actor=user).filter(active=True),
            key=lambda r: (r.kind != RoomKind.LAWYER, r.name),
        )
        lawyer_form = LawyerForm(
            request.POST if action == "lawyer" else None,
            lawyers=[
                (c.pk, ", ".join(filter(None, [c.visitor.full_name, c.visitor.organisation])))
                for c in contacts
                if c.relationship == Relationship.LAWYER
            ],
            rooms=[(r.pk, r.name) for r in rooms],
        )
        if action == "book" and book_form.is_valid():
            d = book_form.cleaned_data
            try:
                b = visit_admin.staff_book(
                    actor=user,
                    episode=episode,
                    slot_key=d["slot"],
                    contact_ids=[int(i) for i in d["contacts"]],
                    note=d["note"],
                )
            except DomainError as exc:
                book_form.add_domain_error(
                    "contacts" if exc.field == "visitors" else exc.field, exc.message
                )
                status = exc.status_code
            else:
                messages.success(
                    request, _("The visit is booked (reference %(ref)s).") % {"ref": b.reference}
                )
                return redirect("contact:person_visits", person_id)
        elif action == "lawyer" and lawyer_form.is_valid():
            d = lawyer_form.cleaned_data
            try:
                b = visit_admin.staff_book_lawyer(
                    actor=user,
                    episode=episode,
                    room_id=int(d["room"]),
                    day=d["day"],
                    starts=d["starts"],
                    ends=d["ends"],
                    contact_id=int(d["contact"]),
                    note=d["note"],
                )
            except DomainError as exc:
                field = {"starts_at": "starts", "ends_at": "ends"}.get(exc.field or "", exc.field)
                lawyer_form.add_domain_error(field, exc.message)
                status = exc.status_code
            else:
                messages.success(
                    request,
                    _("The lawyer's visit is booked (reference %(ref)s).") % {"ref": b.reference},
                )
                return redirect("contact:person_visits", person_id)
        elif action in ("book", "lawyer"):
            status = 400
        elif request.method == "POST":
            raise Http404
    elif request.method == "POST":
        raise Http404
    upcoming, past = visit_admin.person_bookings(episode=episode)
    return render(
        request,
        "contact/visits/person.html",
        {
            **person_header(
                episode.person, episode=episode, minimal=not can(user, Cap.PERSON_VIEW)
            ),
            "current": "visits",
            "upcoming": visit_rows(upcoming, user),
            "past": visit_rows(past, user),
            "free": free,
            "book_form": book_form,
            "lawyer_form": lawyer_form,
            "next_url": request.get_full_path(),
        },
        status=status,
    )


# --- Under 18 -----------------------------------------------------------------------------------


def under_18_visits(request: AuthenticatedRequest) -> HttpResponse:
    user = staff(request)
    rows = visit_admin.under_18(actor=user)
    return render(
        request,
        "contact/visits/under_18.html",
        {
            "rows": rows,
            "every": in_force(VISIT_RULES, clock.today()).under_18_visit_every_days,
            "due": sum(1 for r in rows if r.due),
        },
    )
