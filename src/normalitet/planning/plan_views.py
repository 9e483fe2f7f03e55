"""Pages for the risk assessment and the sentence plan (framtidsplan): the forms behind the
plan page's sections, and the printable plan in plain language.

Views are thin: parse, check policy (caseload and capability), call a service or selector,
render. A person, goal or step the user may not see is a 404, the same as a missing one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from normalitet.audit.services import record_access
from normalitet.core import clock
from normalitet.core.errors import DomainError
from normalitet.core.views import error_page
from normalitet.custody.models import CustodyEpisode
from normalitet.custody.views import open_episode_or_404, person_for
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.roles import Cap
from normalitet.people.models import Person

from . import plan_selectors, plan_services
from .models import PlanGoal, PlanStep, PlanStepStatus, SentencePlan
from .plan_forms import AgreementForm, GoalForm, RiskForm, StepForm, StepStatusForm
from .views import _plan_form


def _plan_of(episode: CustodyEpisode) -> SentencePlan:
    plan = SentencePlan.objects.filter(episode=episode).first()
    if plan is None:
        raise Http404
    return plan


def _form(
    request: AuthenticatedRequest,
    person: Person,
    episode: CustodyEpisode,
    form: Any,
    *,
    title: str,
    run: Callable[[dict[str, Any]], Any],
    message: str,
    template: str = "core/person_form.html",
    anchor: str = "h-framtidsplan",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    return _plan_form(
        request,
        person,
        episode,
        form,
        title=title,
        run=run,
        message=message,
        template=template,
        extra=extra,
        anchor=anchor,
    )


def risk_add(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.PLAN_EDIT)
    episode = open_episode_or_404(person)
    current = plan_selectors.risk(episode=episode, today=clock.today()).current
    initial: dict[str, Any] = {"assessed_on": clock.today()}
    if current is not None:
        for f in current.factors.all():
            initial[f"{f.area}_level"] = f.level
            initial[f"{f.area}_justification"] = f.justification
    form = RiskForm(request.POST or None, initial=initial)
    return _form(
        request,
        person,
        episode,
        form,
        title=_("Record a risk assessment"),
        run=lambda d: plan_services.risk_assessment_record(
            actor=request.user,
            episode=episode,
            assessed_on=d["assessed_on"],
            review_on=d["review_on"],
            summary=d["summary"],
            factors=form.factors(),
        ),
        message=_("Risk assessment recorded."),
        template="planning/risk_form.html",
        anchor="h-risk",
        extra={"current": current},
    )


@require_POST
def plan_create(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.PLAN_EDIT)
    try:
        plan_services.sentence_plan_create(actor=request.user, episode=open_episode_or_404(person))
    except DomainError as exc:
        return error_page(request, exc)
    messages.success(request, _("Sentence plan started. Add the goals together with the person."))
    return redirect(reverse("planning:plan", args=[person.pk]) + "#h-framtidsplan")


def goal_add(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.PLAN_EDIT)
    episode = open_episode_or_404(person)
    plan = _plan_of(episode)
    return _form(
        request,
        person,
        episode,
        GoalForm(request.POST or None),
        title=_("Add a goal"),
        run=lambda d: plan_services.plan_goal_add(actor=request.user, plan=plan, **d),
        message=_("Goal added."),
    )


def step_add(request: AuthenticatedRequest, person_id: int, goal_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.PLAN_EDIT)
    episode = open_episode_or_404(person)
    goal = PlanGoal.objects.filter(pk=goal_id, plan__episode=episode).first()
    if goal is None:
        raise Http404
    return _form(
        request,
        person,
        episode,
        StepForm(request.POST or None),
        title=_("Add a step"),
        run=lambda d: plan_services.plan_step_add(actor=request.user, goal=goal, **d),
        message=_("Step added."),
        extra={"subtitle": goal.text},
    )


def step_status(request: AuthenticatedRequest, person_id: int, step_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.PLAN_EDIT)
    episode = open_episode_or_404(person)
    step = PlanStep.objects.filter(pk=step_id, goal__plan__episode=episode).first()
    if step is None:
        raise Http404
    form = StepStatusForm(request.POST or None, initial={"status": step.status})
    return _form(
        request,
        person,
        episode,
        form,
        title=_("Update the step"),
        run=lambda d: plan_services.plan_step_status_set(
            actor=request.user, step=step, status=d["status"]
        ),
        message=_("Step updated."),
        extra={"subtitle": step.text},
    )


def agreement(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.PLAN_EDIT)
    episode = open_episode_or_404(person)
    plan = _plan_of(episode)
    initial = {
        "agreed": "yes" if plan.agreed_by_person else "",
        "agreed_on": plan.agreed_on or clock.today(),
        "person_comment": plan.person_comment,
    }
    return _form(
        request,
        person,
        episode,
        AgreementForm(request.POST or None, initial=initial),
        title=_("Record the person's agreement"),
        run=lambda d: plan_services.plan_agreement_record(actor=request.user, plan=plan, **d),
        message=_("The person's view of the plan is recorded."),
    )


def plan_print(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """The plan in plain language to print and give to the person, in the language asked for
    (``?lang=nb`` or ``?lang=en``), else the page's language."""
    person = person_for(request, person_id, Cap.PLAN_VIEW)
    episode = open_episode_or_404(person)
    record_access(actor=request.user, person_id=person.pk, what="person.plan", reason="print")
    plan = plan_selectors.sentence_plan(episode=episode)
    if plan is None:
        raise Http404
    today = clock.today()
    return render_printable(
        request,
        "planning/framtidsplan_print.html",
        {
            "person": person,
            "episode": episode,
            "plan": plan,
            "review": plan_selectors.plan_review(episode=episode, plan=plan, today=today),
            "today": today,
            "cancelled": PlanStepStatus.CANCELLED,
        },
    )


def render_printable(
    request: AuthenticatedRequest,
    template: str,
    context: dict[str, Any],
    *,
    lazy: Callable[[], dict[str, Any]] | None = None,
) -> HttpResponse:
    """A page to print and give to the person, in the language asked for (``?lang=nb`` or
    ``?lang=en``), else the page's language. ``lazy`` adds context made in that language."""
    languages = {code for code, _name in settings.LANGUAGES}
    lang = request.GET.get("lang", "")
    lang = lang if lang in languages else translation.get_language() or "nb"
    with translation.override(lang):
        extra = lazy() if lazy else {}
        response = render(request, template, {**context, **extra, "lang": lang})
    response["Content-Language"] = lang
    return response
