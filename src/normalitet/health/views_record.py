"""Pages of the health staff's day, the patient list and one person's record, with fitness for
work and the medical diet. Health staff of a facility only: for anyone else these pages do not
exist (404), and a person outside the facility is a 404 too. Every page of a person's record logs
the read in the health service's own log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from normalitet.core import clock
from normalitet.core.errors import Conflict, DomainError
from normalitet.core.forms import DsForm
from normalitet.core.views import form_page, or_404, regime_page
from normalitet.identity.models import AuthenticatedRequest

from . import access, audit
from . import services_record as services
from .forms_record import DietEndForm, DietForm, FitnessForm, PatientSearchForm
from .models import MedicalDiet, WorkFitness


def health_staff(request: AuthenticatedRequest) -> Any:
    """The user, if they are health staff of a facility; else the 404 of a missing page."""
    if not access.is_health_staff(request.user):
        raise Http404
    return request.user


def patient_card(user: Any, person_id: int, what: str) -> access.PersonCard:
    """The person's card if they are in custody at the user's facility (else 404); the read of
    ``what`` is logged."""
    card: access.PersonCard = or_404(access.ensure_patient, actor=user, person_id=person_id)
    audit.record_access(actor=user, person_id=card.person_id, what=what)
    return card


@require_GET
def index(request: AuthenticatedRequest) -> HttpResponse:
    """The health staff's day at their facility."""
    user = health_staff(request)
    day = services.day_of(user)
    return render(
        request,
        "health/record/index.html",
        {"day": day, "today": day.today.isoformat()},
    )


@require_GET
def patients(request: AuthenticatedRequest) -> HttpResponse:
    """The persons in custody at the facility, searchable by name or person number."""
    user = health_staff(request)
    form = PatientSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_bound and form.is_valid() else ""
    rows = services.patients(user, q)
    return render(request, "health/record/patients.html", {"form": form, "rows": rows, "q": q})


@require_GET
def person(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """The overview of one person's health record."""
    user = health_staff(request)
    view = or_404(services.overview, actor=user, person_id=person_id)
    audit.record_access(actor=user, person_id=view.card.person_id, what="record")
    return render(
        request,
        "health/record/person.html",
        {"card": view.card, "view": view},
    )


def action_id(action: str, prefix: str) -> int:
    """The id a button's ``action`` names after ``prefix`` (``end:12`` gives 12), else 0."""
    rest = action.removeprefix(prefix)
    return int(rest) if rest.isdigit() else 0


def _with_labels(rows: list[tuple[Any, str]]) -> list[tuple[Any, str, str]]:
    """History rows with the label of their state."""
    labels = {
        "in_force": _("In force"),
        "planned": _("Planned"),
        "ended": _("Ended"),
        "replaced": _("Replaced"),
    }
    return [(row, state, labels[state]) for row, state in rows]


@regime_page
@require_http_methods(["GET", "POST"])
def person_fitness(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """Fitness for work: the history and, for a doctor or dentist, a new statement."""
    user = health_staff(request)
    card = patient_card(user, person_id, "fitness")
    if request.method == "POST":
        services.ensure_fitness_assessor(user)
    form = FitnessForm(
        request.POST if request.method == "POST" else None,
        initial={"valid_from": clock.today()},
    )
    here = reverse("health:person_fitness", args=[card.person_id])
    return form_page(
        request,
        form,
        template="health/record/fitness.html",
        context={
            "card": card,
            "rows": _with_labels(services.history(WorkFitness, card.person_id)),
            "may_state": access.profession_of(user) in services.FITNESS_ASSESSORS,
        },
        run=lambda d: services.fitness_set(actor=user, person_id=card.person_id, **d),
        success=lambda _row: here,
        message=_("The statement is recorded. The prison sees only the fitness for work."),
    )


@regime_page
@require_http_methods(["GET", "POST"])
def person_diet(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """The medical diet: the history, a new diet, and stopping one."""
    user = health_staff(request)
    card = patient_card(user, person_id, "diet")
    here = reverse("health:person_diet", args=[card.person_id])
    action = request.POST.get("action", "") if request.method == "POST" else ""
    today = clock.today()
    rows = _with_labels(services.history(MedicalDiet, card.person_id))
    form = DietForm(request.POST if action == "set" else None, initial={"valid_from": today})
    end_forms = {
        diet.pk: DietEndForm(
            request.POST if action == f"end:{diet.pk}" else None,
            prefix=f"end{diet.pk}",
            initial={"on": today},
        )
        for diet, state, _label in rows
        if state in ("in_force", "planned")
    }
    ending = action_id(action, "end:") if action.startswith("end:") else None
    if ending is not None and ending not in end_forms:
        # Not a diet of this person, or one that has stopped already.
        if not MedicalDiet.objects.filter(pk=ending, person_id=card.person_id).exists():
            raise Http404
        raise Conflict(_("The diet has already stopped."))
    # The one form the button posted, if any.
    bound: DsForm | None = form if action == "set" else None
    if ending is not None:
        bound = end_forms[ending]
    if bound is not None and bound.is_valid():
        try:
            if ending is None:
                services.diet_set(actor=user, person_id=card.person_id, **bound.cleaned_data)
                done = _("The diet is recorded. The kitchen sees the instruction.")
            else:
                services.diet_end(actor=user, diet_id=ending, on=bound.cleaned_data["on"])
                done = _("The diet is stopped.")
        except DomainError as exc:
            bound.add_domain_error(exc.field, exc.message)
        else:
            messages.success(request, done)
            return redirect(here)
    return render(
        request,
        "health/record/diet.html",
        {
            "card": card,
            "rows": [(d, s, label, end_forms.get(d.pk)) for d, s, label in rows],
            "form": form,
        },
        status=400 if bound is not None and bound.errors else 200,
    )
