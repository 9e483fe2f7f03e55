"""Pages of health requests and appointments, under /health/.

Health staff (``HEALTH_RECORD``): the request queue; a request with its triage, booking and
closing forms; the day's appointments by clinician; an appointment with its outcome or
cancellation; a patient's requests and appointments. For anyone else these pages do not exist
(404), and a patient outside the facility is a 404 too.

Prison staff: logging a request on the behalf of a person in their caseload
(``HEALTH_REQUEST_LOG``), which gives them a reference and never shows a request's text; and the
day's escorts to health appointments (``OBSERVATION_CHECK``), as times only. A role without the
capability, or a person outside the caseload, is a 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from normalitet.core import clock
from normalitet.core.errors import DomainError
from normalitet.core.forms import DsForm
from normalitet.core.views import error_page, or_404
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap

from . import access, facade
from . import services_requests as services
from .forms_requests import (
    BOOK_FIELDS,
    BookForm,
    CancelForm,
    CloseForm,
    OutcomeForm,
    RequestForm,
    TriageForm,
)
from .models import Appointment, HealthRequest
from .views_record import health_staff

R = HealthRequest
A = Appointment
# What a run of a form gives back: the message to show and where to go.
Done = tuple[str, str]


def _day(request: AuthenticatedRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return clock.today()


def _day_nav(day: dt.date) -> dict[str, Any]:
    """The context of core/components/date_nav.html."""
    one = dt.timedelta(days=1)
    return {"day": day, "previous": day - one, "next": day + one, "today": clock.today()}


def _when(at: dt.datetime) -> str:
    return at.astimezone(clock.OSLO).strftime("%d.%m.%Y %H:%M")


def _data(request: AuthenticatedRequest, action: str) -> Any:
    """The POST data for the form of ``action``; the other forms of the page stay unbound."""
    if request.method == "POST" and request.POST.get("action") == action:
        return request.POST
    return None


def _post(
    request: AuthenticatedRequest,
    forms: dict[str, DsForm],
    runs: dict[str, Callable[[dict[str, Any]], Done]],
    fields: dict[str, dict[str, str | None]] | None = None,
) -> HttpResponse | int:
    """Run the form the POST names (``action``): its message and redirect on success, else the
    status to render the page with, the refusal shown at the form. An action not open now is
    shown on an error page."""
    if request.method != "POST":
        return 200
    action = request.POST.get("action", "")
    form = forms.get(action)
    if form is None:
        return error_page(request, DomainError(_("This cannot be done now.")))
    if not form.is_valid():
        return 400
    try:
        message, target = runs[action](form.cleaned_data)
    except DomainError as exc:
        names = (fields or {}).get(action, {})
        form.add_domain_error(names.get(exc.field, exc.field) if exc.field else None, exc.message)
        return exc.status_code
    messages.success(request, message)
    return redirect(target)


def _book_form(request: AuthenticatedRequest, user: Any, *, service: str = "") -> BookForm:
    choices = [(u.pk, access.name_of(u)) for u in services.clinicians(actor=user)]
    return BookForm(
        _data(request, "book"),
        prefix="book",
        clinicians=choices,
        initial={
            "service": service,
            "clinician": user.pk,
            "day": clock.today().isoformat(),
            "minutes": 20,
        },
    )


def _book(user: Any, d: dict[str, Any], *, person_id: int, request_id: int | None = None) -> Done:
    starts_at = dt.datetime.combine(d["day"], d["starts"], tzinfo=clock.OSLO)
    appointment = services.appointment_book(
        actor=user,
        person_id=person_id,
        service=d["service"],
        starts_at=starts_at,
        minutes=d["minutes"],
        place=d["place"],
        escort=d["escort"],
        note=d["note"],
        request_id=request_id,
        clinician_id=d["clinician"],
    )
    message = _("The appointment is booked: %(when)s with %(name)s.") % {
        "when": _when(appointment.starts_at),
        "name": appointment.clinician_name,
    }
    return message, reverse("health:appointment_detail", args=[appointment.pk])


# --- Health staff: requests ---------------------------------------------------------------------


def requests_queue(request: AuthenticatedRequest) -> HttpResponse:
    user = health_staff(request)
    return render(
        request,
        "health/requests/queue.html",
        {"queue": services.triage_queue(actor=user), "today": clock.today()},
    )


def request_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = health_staff(request)
    detail = or_404(services.request_read, actor=user, request_id=pk)
    r = detail.row.request
    here = reverse("health:request_detail", args=[r.pk])
    forms: dict[str, DsForm] = {}
    if r.status in (R.Status.NEW, R.Status.TRIAGED):
        forms["triage"] = TriageForm(
            _data(request, "triage"),
            prefix="triage",
            initial={"priority": r.priority, "note": r.triage_note},
        )
    if r.status == R.Status.TRIAGED:
        forms["book"] = _book_form(request, user, service=r.service)
    if r.status != R.Status.CLOSED:
        forms["close"] = CloseForm(_data(request, "close"), prefix="close")

    def triage(d: dict[str, Any]) -> Done:
        services.request_triage(actor=user, request_id=r.pk, **d)
        return _("The request is triaged."), here

    def close(d: dict[str, Any]) -> Done:
        services.request_close(actor=user, request_id=r.pk, note=d["note"])
        return _("The request is closed."), reverse("health:requests")

    outcome = _post(
        request,
        forms,
        {
            "triage": triage,
            "book": lambda d: _book(user, d, person_id=r.person_id, request_id=r.pk),
            "close": close,
        },
        {"book": BOOK_FIELDS},
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    return render(
        request,
        "health/requests/detail.html",
        {
            "row": detail.row,
            "r": r,
            "card": detail.row.card,
            "appointments": detail.appointments,
            "triage_form": forms.get("triage"),
            "book_form": forms.get("book"),
            "close_form": forms.get("close"),
        },
        status=outcome,
    )


def person_requests(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """A patient's requests and appointments, with forms to take a request from them and to
    book an appointment not tied to a request."""
    user = health_staff(request)
    found = or_404(services.person_requests_read, actor=user, person_id=person_id)
    forms: dict[str, DsForm] = {
        "request": RequestForm(_data(request, "request"), prefix="request"),
        "book": _book_form(request, user),
    }

    def take(d: dict[str, Any]) -> Done:
        made = services.request_submit(actor=user, person_id=person_id, **d)
        return _("The request is registered (reference %(ref)s).") % {"ref": made.reference}, (
            reverse("health:request_detail", args=[made.pk])
        )

    outcome = _post(
        request,
        forms,
        {"request": take, "book": lambda d: _book(user, d, person_id=person_id)},
        {"book": BOOK_FIELDS},
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    now = clock.now()
    return render(
        request,
        "health/requests/person.html",
        {
            "card": found.card,
            "requests": found.requests,
            "upcoming": [a for a in found.appointments if a.ends_at > now][::-1],
            "past": [a for a in found.appointments if a.ends_at <= now],
            "request_form": forms["request"],
            "book_form": forms["book"],
        },
        status=outcome,
    )


# --- Health staff: appointments -----------------------------------------------------------------


def appointments_day(request: AuthenticatedRequest) -> HttpResponse:
    user = health_staff(request)
    day = _day(request)
    return render(
        request,
        "health/appointments/day.html",
        {**_day_nav(day), "clinicians": services.day_calendar(actor=user, day=day)},
    )


def appointment_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = health_staff(request)
    a, card = or_404(services.appointment_read, actor=user, appointment_id=pk)
    here = reverse("health:appointment_detail", args=[a.pk])
    now = clock.now()
    forms: dict[str, DsForm] = {}
    if a.status == A.Status.BOOKED and a.starts_at <= now:
        forms["outcome"] = OutcomeForm(_data(request, "outcome"), prefix="outcome")
    if a.status == A.Status.BOOKED and a.ends_at > now:
        forms["cancel"] = CancelForm(_data(request, "cancel"), prefix="cancel")

    def record(d: dict[str, Any]) -> Done:
        done = services.appointment_outcome(actor=user, appointment_id=a.pk, **d)
        if done.status == A.Status.ATTENDED:
            return _("Recorded: the person came."), here
        return _("Recorded: the person did not come."), here

    def cancel(d: dict[str, Any]) -> Done:
        services.appointment_cancel(actor=user, appointment_id=a.pk, reason=d["reason"])
        return _("The appointment is cancelled."), here

    outcome = _post(request, forms, {"outcome": record, "cancel": cancel})
    if isinstance(outcome, HttpResponse):
        return outcome
    day = a.starts_at.astimezone(clock.OSLO).date()
    return render(
        request,
        "health/appointments/detail.html",
        {
            "a": a,
            "card": card,
            "day_url": f"{reverse('health:appointments')}?date={day.isoformat()}",
            "outcome_form": forms.get("outcome"),
            "cancel_form": forms.get("cancel"),
        },
        status=outcome,
    )


# --- Prison staff -------------------------------------------------------------------------------


def request_log(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """Log a request on the person's behalf. The text goes to the health service only: this
    page shows the references and times of what the user logged, and nothing else."""
    user = request.user
    try:
        card = access.staff_person(user, person_id, Cap.HEALTH_REQUEST_LOG)
    except DomainError as exc:
        raise Http404 from exc
    form = RequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                receipt = facade.request_log(
                    actor=user, person_id=card.person_id, **form.cleaned_data
                )
            except DomainError as exc:
                form.add_domain_error(exc.field, exc.message)
                status = exc.status_code
            else:
                messages.success(
                    request,
                    _(
                        "Sent to the health service. Reference %(ref)s. Only health staff can "
                        "read it."
                    )
                    % {"ref": receipt.reference},
                )
                return redirect("health:request_log", card.person_id)
    return render(
        request,
        "health/requests/log.html",
        {
            "card": card,
            "form": form,
            "receipts": services.logged_by(actor=user, person_id=card.person_id),
            "can_view_person": can(user, Cap.PERSON_VIEW),
        },
        status=status,
    )


def escorts(request: AuthenticatedRequest) -> HttpResponse:
    """The day's health appointment times that need an escort, for the user's caseload."""
    day = _day(request)
    rows = or_404(services.escorts, actor=request.user, day=day)
    return render(request, "health/appointments/escorts.html", {**_day_nav(day), "rows": rows})
