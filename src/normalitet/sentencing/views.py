"""A person's sentence: every legal date with its explanation, the timeline, the records that
move the dates, and the history of recalculations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from normalitet.audit.services import record_access
from normalitet.custody.views import person_for, person_form_page, person_header
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap
from normalitet.people.models import Person

from . import selectors, services
from .forms import DecisionForm, DeprivationForm, ExecutionForm, InterruptionForm, JudgmentForm
from .models import Execution
from .templatetags.sentencing import iso_date


def sentence_page(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.SENTENCE_VIEW)
    record_access(actor=request.user, person_id=person.pk, what="person.sentence")
    execution = selectors.active_execution(person=person)
    context: dict[str, Any] = {
        **person_header(person),
        "execution": execution,
        "can_edit": can(request.user, Cap.SENTENCE_EDIT),
    }
    if execution is not None:
        history = selectors.calculation_history(execution=execution)
        calculation = history[0] if history else None
        context["calculation"] = calculation
        if calculation is not None:
            dates = selectors.legal_dates(calculation)
            context["dates"] = dates
            context["timeline"] = selectors.timeline(execution, dates)
            context["result"] = calculation.result
        context["history"] = history
        context["labels"] = selectors.LABELS
    return render(request, "sentencing/sentence.html", context)


def _execution(person: Person) -> Execution:
    """The active execution the forms add to (no records: recalculating reads them)."""
    execution = Execution.objects.filter(person=person, is_active=True).first()
    if execution is None:
        raise Http404
    return execution


def _sentence_form(
    request: AuthenticatedRequest,
    person: Person,
    form: Any,
    *,
    title: str,
    run: Callable[[dict[str, Any]], Any],
) -> HttpResponse:
    return person_form_page(
        request,
        person,
        form,
        title=title,
        run=run,
        message=_moved_message,
        back=reverse("sentencing:sentence", args=[person.pk]),
        extra={"submit_label": _("Save and calculate")},
    )


ORDER = {name: i for i, (name, _label, _rule) in enumerate(selectors.DATES)}


def _moved_message(result: Any) -> str:
    """Tell the case manager what moved, date by date."""
    changes = getattr(result, "changes", None)
    if not changes:
        return str(_("Saved. The dates are calculated."))
    moved = "; ".join(
        f"{selectors.LABELS.get(name, name)}: {iso_date(before) or '–'} → {iso_date(after) or '–'}"
        for name, (before, after) in sorted(changes.items(), key=lambda c: ORDER.get(c[0], 99))
    )
    return str(_("Saved. The dates are calculated again. Moved: %(moved)s")) % {"moved": moved}


def execution_start(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.SENTENCE_EDIT)
    return _sentence_form(
        request,
        person,
        ExecutionForm(request.POST or None),
        title=_("Start of execution"),
        run=lambda d: services.execution_start(
            actor=request.user, person=person, start_date=d["start_date"]
        ),
    )


def judgment_add(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.SENTENCE_EDIT)
    execution = _execution(person)
    form = JudgmentForm(request.POST or None)
    return _sentence_form(
        request,
        person,
        form,
        title=_("Register a judgment"),
        run=lambda d: services.judgment_add(
            actor=request.user,
            execution=execution,
            court=d["court"],
            case_number=d["case_number"],
            judgment_date=d["judgment_date"],
            date_final=d["date_final"],
            sentences=[form.sentence()],
        ),
    )


def deprivation_add(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.SENTENCE_EDIT)
    execution = _execution(person)
    return _sentence_form(
        request,
        person,
        DeprivationForm(request.POST or None),
        title=_("Register arrest or remand"),
        run=lambda d: services.deprivation_add(
            actor=request.user,
            execution=execution,
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            note=d["note"],
            isolations=[(d["isolation_from"], d["isolation_to"])] if d["isolation_from"] else [],
        ),
    )


def interruption_add(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.SENTENCE_EDIT)
    execution = _execution(person)
    return _sentence_form(
        request,
        person,
        InterruptionForm(request.POST or None),
        title=_("Register an interruption"),
        run=lambda d: services.interruption_add(actor=request.user, execution=execution, **d),
    )


def decision_add(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.SENTENCE_EDIT)
    execution = _execution(person)
    return _sentence_form(
        request,
        person,
        DecisionForm(request.POST or None),
        title=_("Register a decision"),
        run=lambda d: services.decision_add(actor=request.user, execution=execution, **d),
    )
