"""Pages of the way home: a person's pathway, recording a decision on a step, and the facility's
list of persons eligible for a less restrictive form who have not been moved."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from normalitet.audit.services import record_access
from normalitet.core import clock
from normalitet.core.errors import NotFound
from normalitet.core.forms import DateInput, DsForm
from normalitet.custody.views import (
    open_episode_or_404,
    person_for,
    person_form_page,
    person_header,
)
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap

from .models import Milestone, StepStatus
from .pathway import less_restrictive_candidates, pathway_decision_record, person_pathway
from .selectors import plan_facility


class DecisionForm(DsForm):
    milestone = forms.ChoiceField(label=gettext_lazy("Step"), choices=Milestone.choices)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=StepStatus.choices)
    decided_on = forms.DateField(label=gettext_lazy("Date"), widget=DateInput)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=500,
        help_text=gettext_lazy("Why: what was decided, or why the person is not moved now."),
    )


def pathway_page(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.PLAN_VIEW)
    episode = open_episode_or_404(person)
    record_access(actor=request.user, person_id=person.pk, what="person.pathway")
    return render(
        request,
        "planning/pathway.html",
        {
            **person_header(person, episode=episode),
            "pathway": person_pathway(episode=episode),
            "can_edit": can(request.user, Cap.PLAN_EDIT),
            "today": clock.today(),
        },
    )


def decision_add(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.PLAN_EDIT)
    episode = open_episode_or_404(person)
    initial = {"decided_on": clock.today(), "milestone": request.GET.get("step", "")}
    return person_form_page(
        request,
        person,
        DecisionForm(request.POST or None, initial=initial),
        title=_("Record a decision on a step"),
        run=lambda d: pathway_decision_record(actor=request.user, episode=episode, **d),
        message=_("Saved."),
        back=reverse("planning:pathway", args=[person.pk]),
        header=person_header(person, episode=episode),
    )


def less_restrictive(request: AuthenticatedRequest, facility_id: int) -> HttpResponse:
    try:
        facility = plan_facility(actor=request.user, facility_id=facility_id)
    except NotFound as exc:
        raise Http404 from exc
    candidates = less_restrictive_candidates(actor=request.user, facility=facility)
    return render(
        request,
        "planning/less_restrictive.html",
        {
            "facility": facility,
            "candidates": candidates,
            "without_reason": sum(1 for c in candidates if c.reason is None),
        },
    )
