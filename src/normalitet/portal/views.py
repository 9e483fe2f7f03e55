"""Pages of the family portal, under /portal/: registration, the visitor's home (relationships,
visits, notices), asking to be a contact, booking a visit in two steps (hold, then confirm) and
cancelling it.

Only a visitor with a visitor record reaches these pages; for anyone else every page is a 404,
and so is any record that is not the visitor's own."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from normalitet.contact.access import visitor_of
from normalitet.contact.models import Contact, ContactStatus, Visitor
from normalitet.core import clock
from normalitet.core.errors import DomainError, NotFound
from normalitet.core.views import or_404
from normalitet.identity.models import AuthenticatedRequest

from . import services
from .forms import BookForm, CancelForm, ChildFormSet, ContactRequestForm, RegisterForm

# Registration: at most this many attempts from one address an hour (logins: django-axes).
REGISTER_ATTEMPTS = 20
REGISTER_WINDOW = 3600


def _visitor(request: AuthenticatedRequest) -> Visitor:
    visitor: Visitor = or_404(visitor_of, actor=request.user)
    return visitor


# --- Registration -------------------------------------------------------------------------------


# Requests to be a contact name a person by person number and date of birth: a limit per
# visitor keeps anyone from learning who is in custody by trying many pairs.
REQUEST_ATTEMPTS = 10


def _throttled(key: str, limit: int = 0) -> bool:
    """Whether ``key`` has been tried more than ``limit`` times in the last hour."""
    limit = limit or REGISTER_ATTEMPTS
    cache.add(key, 0, REGISTER_WINDOW)
    try:
        attempts = cache.incr(key)
    except ValueError:
        cache.set(key, 1, REGISTER_WINDOW)
        attempts = 1
    return attempts > limit


@login_not_required
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:home")
    form = RegisterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _throttled("portal-register:" + request.META.get("REMOTE_ADDR", "")):
            return render(
                request,
                "portal/too_many.html",
                {"why": _("Too many registrations were tried from this connection.")},
                status=429,
            )
        if form.is_valid():
            try:
                visitor = services.visitor_register(**form.cleaned_data)
            except DomainError as exc:
                form.add_domain_error(exc.field, exc.message)
            else:
                user = visitor.user
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Welcome. You are registered in the family portal."))
                response = redirect("portal:home")
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    form.cleaned_data["preferred_language"],
                    samesite="Lax",
                )
                return response
        status = 400
    return render(request, "portal/register.html", {"form": form}, status=status)


# --- Home ---------------------------------------------------------------------------------------


def home(request: AuthenticatedRequest) -> HttpResponse:
    visitor = _visitor(request)
    rows = list(services.own_contacts(visitor))
    where = services.facilities_of([c.person_id for c in rows])
    coming, earlier = services.bookings_split(visitor)
    notices = services.own_notices(visitor)
    return render(
        request,
        "portal/home.html",
        {
            "portal_page": "home",
            "visitor": visitor,
            "contacts": [
                (c, where.get(c.person_id) if c.status != ContactStatus.REFUSED else None)
                for c in rows
            ],
            "coming": [(b, services.status_label(b)) for b in coming],
            "earlier": [(b, services.status_label(b)) for b in earlier[:20]],
            "notices": notices,
            "unread": sum(1 for n in notices if n.read_at is None),
            "children": Visitor.objects.filter(registered_by=visitor).order_by("birth_date"),
        },
    )


def notice(request: AuthenticatedRequest, notice_id: int) -> HttpResponse:
    visitor = _visitor(request)
    found = or_404(services.ensure_notice, visitor=visitor, notice_id=notice_id)
    services.notice_read(actor=request.user, notice=found)
    return render(request, "portal/notice.html", {"notice": found})


# --- Asking to be a contact ---------------------------------------------------------------------


def _children(formset: Any) -> list[services.ChildIn]:
    return [
        services.ChildIn(**f.cleaned_data)
        for f in formset.forms
        if f.has_changed() and f.cleaned_data
    ]


def contact_request(request: AuthenticatedRequest) -> HttpResponse:
    _visitor(request)
    data = request.POST if request.method == "POST" else None
    form = ContactRequestForm(data)
    children = ChildFormSet(data, prefix="children")
    if request.method == "POST" and _throttled(
        f"portal-request:{request.user.pk}", REQUEST_ATTEMPTS
    ):
        return render(
            request,
            "portal/too_many.html",
            {"why": _("You have sent many requests in a short time.")},
            status=429,
        )
    if request.method == "POST" and form.is_valid() and children.is_valid():
        try:
            made = services.contact_request(
                actor=request.user, **form.cleaned_data, children=_children(children)
            )
        except DomainError as exc:
            field = exc.field or ""
            if field.startswith("children."):
                _prefix, index, name = field.split(".", 2)
                children.forms[int(index)].add_domain_error(name, exc.message)
            else:
                form.add_domain_error(exc.field, exc.message)
        else:
            messages.success(
                request,
                ngettext("Your request is sent.", "Your %(n)s requests are sent.", len(made))
                % {"n": len(made)}
                + " "
                + services.police_check_note(),
            )
            return redirect("portal:home")
    errors = bool(request.method == "POST")
    return render(
        request,
        "portal/contact_request.html",
        {
            "portal_page": "request",
            "form": form,
            "children": children,
            "child_errors": any(f.errors for f in children.forms) or children.non_form_errors(),
            "police_note": services.police_check_note(),
        },
        status=400 if errors else 200,
    )


# --- Booking ------------------------------------------------------------------------------------


def _companion_choices(visitor: Visitor, contact: Contact) -> list[tuple[int, str]]:
    return [
        (c.pk, f"{c.visitor.full_name} ({c.visitor.birth_date:%d.%m.%Y})")
        for c in services.companions(visitor=visitor, contact=contact)
    ]


def book(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    visitor = _visitor(request)
    contact = or_404(services.ensure_contact, visitor=visitor, contact_id=contact_id)
    try:
        episode = services.bookable_episode(contact=contact)
    except DomainError as exc:
        return render(
            request, "portal/not_bookable.html", {"contact": contact, "error": exc}, status=400
        )
    form = BookForm(request.POST or None, companions=_companion_choices(visitor, contact))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                booking = services.booking_hold(
                    actor=request.user,
                    visitor=visitor,
                    contact=contact,
                    slot_key=form.cleaned_data["slot"],
                    companion_ids=[int(x) for x in form.cleaned_data["companions"]],
                )
            except DomainError as exc:
                form.add_domain_error(
                    exc.field if exc.field in ("slot", "companions") else None, exc.message
                )
                status = exc.status_code if exc.status_code in (400, 409) else 400
            else:
                return redirect("portal:booking_confirm", booking.pk)
        else:
            status = 400
    days = services.portal_slots(episode=episode)
    return render(
        request,
        "portal/book.html",
        {
            "contact": contact,
            "episode": episode,
            "days": days,
            "form": form,
            "chosen": form.data.get("slot", "") if form.is_bound else "",
        },
        status=status,
    )


def booking_confirm(request: AuthenticatedRequest, booking_id: int) -> HttpResponse:
    """Step 2: the hold with its deadline, Confirm and Release; after that the booking itself
    (reference, time, place, what to bring) and, while it is to come, a way to cancel it."""
    visitor = _visitor(request)
    booking = or_404(services.ensure_booking, visitor=visitor, booking_id=booking_id)
    error: DomainError | None = None
    status = 200
    if request.method == "POST":
        try:
            booking = services.booking_confirm(actor=request.user, booking=booking)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except DomainError as exc:
            error, status = exc, exc.status_code
        else:
            messages.success(request, _("Your visit is confirmed."))
            return redirect("portal:booking_confirm", booking.pk)
    return render(
        request,
        "portal/booking.html",
        {
            "booking": booking,
            "status_label": services.status_label(booking),
            "lapsed": services.hold_lapsed(booking),
            "coming": services.is_coming(booking),
            "people": services.booking_people(booking),
            "error": error,
            "cancel_form": CancelForm(),
            "book_url": _book_again_url(visitor, booking),
        },
        status=status,
    )


def _book_again_url(visitor: Visitor, booking: Any) -> str | None:
    mine = booking.visitors.filter(visitor=visitor).values_list("contact_id", flat=True).first()
    return reverse("portal:book", args=[mine]) if mine else None


@require_POST
def booking_release(request: AuthenticatedRequest, booking_id: int) -> HttpResponse:
    visitor = _visitor(request)
    booking = or_404(services.ensure_booking, visitor=visitor, booking_id=booking_id)
    try:
        services.booking_release(actor=request.user, booking=booking)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("portal:booking_confirm", booking.pk)
    messages.success(request, _("The time is released. Nothing is booked."))
    return redirect("portal:home")


def booking_cancel(request: AuthenticatedRequest, booking_id: int) -> HttpResponse:
    visitor = _visitor(request)
    booking = or_404(services.ensure_booking, visitor=visitor, booking_id=booking_id)
    form = CancelForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.booking_cancel(
                    actor=request.user, booking=booking, reason=form.cleaned_data["reason"]
                )
            except DomainError as exc:
                form.add_domain_error(exc.field, exc.message)
            else:
                messages.success(request, _("The visit is cancelled."))
                return redirect("portal:home")
        status = 400
    return render(
        request,
        "portal/cancel.html",
        {"booking": booking, "form": form, "now": clock.now()},
        status=status,
    )
