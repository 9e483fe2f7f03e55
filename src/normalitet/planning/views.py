"""The plan pages: the person's contact officer, contact sessions and needs mapping, and the
contact officer's caseload with what is due this week.

Views are thin: parse, check policy (caseload and capability), call a service or selector,
render. A person the user may not see is a 404, the same as a missing one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from normalitet.audit.services import record_access
from normalitet.core import clock
from normalitet.core.errors import DomainError
from normalitet.core.views import error_page
from normalitet.custody.models import CustodyEpisode
from normalitet.custody.selectors import person_episode
from normalitet.custody.views import (
    open_episode_or_404,
    person_for,
    person_form_page,
    person_header,
)
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap, Role
from normalitet.people.models import Person

from . import selectors, services
from .domain import rules
from .forms import AllocationForm, NeedsForm, SessionForm


def plan_page(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.PLAN_VIEW)
    record_access(actor=request.user, person_id=person.pk, what="person.plan")
    episode = person_episode(person=person)
    context: dict[str, Any] = {
        **person_header(person, episode=episode),
        "can_edit": can(request.user, Cap.PLAN_EDIT),
        "sessions": selectors.person_sessions(person=person),
    }
    if episode is not None:
        assessment = selectors.needs_assessment(episode=episode)
        today = clock.today()
        context.update(
            allocations=selectors.allocation_history(episode=episode),
            assessment=assessment,
            deadline=selectors.needs_deadline(episode, assessment, today),
            needs=selectors.needs_items(assessment),
        )
    return render(request, "planning/plan.html", context)


def _plan_form(
    request: AuthenticatedRequest,
    person: Person,
    episode: CustodyEpisode,
    form: Any,
    *,
    title: str,
    run: Callable[[dict[str, Any]], Any],
    message: str,
    template: str = "core/person_form.html",
    extra: dict[str, Any] | None = None,
    anchor: str = "",
) -> HttpResponse:
    """A form about one person's plan; back to the plan (at ``anchor``) when done."""
    return person_form_page(
        request,
        person,
        form,
        title=title,
        run=run,
        message=message,
        back=reverse("planning:plan", args=[person.pk]) + (f"#{anchor}" if anchor else ""),
        header=person_header(person, episode=episode),
        template=template,
        extra=extra,
    )


def allocate(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.PLAN_EDIT)
    episode = open_episode_or_404(person)
    officers = selectors.contact_officers(facility_id=episode.facility_id)
    choices = [
        (
            o.officer.pk,
            _("%(name)s (%(load)s of %(capacity)s persons)")
            % {
                "name": o.officer.get_full_name() or o.officer.username,
                "load": o.load,
                "capacity": o.capacity,
            },
        )
        for o in officers
        if o.officer.pk != episode.contact_officer_id
    ]
    by_id = {o.officer.pk: o.officer for o in officers}
    return _plan_form(
        request,
        person,
        episode,
        AllocationForm(request.POST or None, officers=choices),
        title=_("Allocate a contact officer"),
        run=lambda d: services.contact_officer_allocate(
            actor=request.user,
            episode=episode,
            officer=by_id[d["officer"]],
            reason=d["reason"],
            note=d["note"],
        ),
        message=_("Contact officer allocated."),
    )


def session_add(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.PLAN_EDIT)
    episode = open_episode_or_404(person)
    form = SessionForm(request.POST or None, initial={"held_on": clock.today()})
    return _plan_form(
        request,
        person,
        episode,
        form,
        title=_("Record a contact session"),
        run=lambda d: services.contact_session_record(actor=request.user, episode=episode, **d),
        message=_("Contact session recorded."),
    )


def needs_edit(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.PLAN_EDIT)
    episode = open_episode_or_404(person)
    assessment = selectors.needs_assessment(episode=episode)
    initial: dict[str, str] = {}
    for domain, _label, item in selectors.needs_items(assessment):
        if item is not None:
            initial[f"{domain}_status"] = item.status
            initial[f"{domain}_words"] = item.own_words
    form = NeedsForm(request.POST or None, initial=initial)
    return _plan_form(
        request,
        person,
        episode,
        form,
        title=_("Needs mapping"),
        run=lambda _d: services.needs_items_update(
            actor=request.user, episode=episode, items=form.items()
        ),
        message=_("Needs mapping saved."),
        template="planning/needs_form.html",
        extra={"deadline": selectors.needs_deadline(episode, assessment, clock.today())},
    )


@require_POST
def needs_complete(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.PLAN_EDIT)
    try:
        services.needs_assessment_complete(actor=request.user, episode=open_episode_or_404(person))
    except DomainError as exc:
        return error_page(request, exc)
    messages.success(request, _("Needs mapping completed."))
    return redirect("planning:plan", person.pk)


def caseload(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not can(user, Cap.PLAN_VIEW):
        raise Http404
    today = clock.today()
    rows = selectors.caseload(actor=user, today=today)
    context: dict[str, Any] = {
        "rows": rows,
        "today": today,
        "week_end": rules.week_end(today),
        "due": sum(1 for r in rows if r.due_this_week),
        "section_41_unmet": sum(1 for r in rows if r.readiness and r.readiness.problems),
        "mine": user.role == Role.CONTACT_OFFICER,
    }
    if context["mine"]:
        context["capacity"] = services.officer_capacity(user)
    return render(request, "planning/caseload.html", context)
