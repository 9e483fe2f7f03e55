"""Observation pages.

- Unit staff (``Cap.OBSERVATION_CHECK``, their caseload): the watch board and one person's
  watch page, where they record checks. They see the level, the interval and the clock; never
  the reason (SGL § 4 a). Anyone else gets the 404.
- Health staff (their facility): the facility's observations with the reasons and the missed
  checks, and a person's observation record (levels, checks, missed checks and crises), where
  they set, change and end the level and record crises. Anyone else gets the 404; a refusal for
  the profession is shown on the form with 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from normalitet.core import clock
from normalitet.core.errors import DomainError, PermissionDenied
from normalitet.core.views import or_404, regime_page
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.roles import Cap

from . import access, audit, facts
from . import services_observation as services
from .forms_observation import CheckForm, CrisisForm, CrisisStepsForm, EndForm, LevelForm
from .models import CrisisEvent, ObservationCheck
from .views_record import health_staff

# --- Unit staff ----------------------------------------------------------------------------------


def _unit_staff(request: AuthenticatedRequest) -> Any:
    or_404(services.ensure_unit_staff, actor=request.user)
    return request.user


def _watched(user: Any, person_id: int) -> access.PersonCard:
    card: access.PersonCard = or_404(
        access.staff_person, actor=user, person_id=person_id, cap=Cap.OBSERVATION_CHECK
    )
    return card


@require_GET
def watch(request: AuthenticatedRequest) -> HttpResponse:
    """The persons of the user's caseload under observation, overdue first. HTMX reloads the
    board every minute; without JavaScript the page is reloaded by hand."""
    user = _unit_staff(request)
    rows = services.watch_board(actor=user)
    return render(
        request,
        "health/watch/board.html",
        {
            "rows": rows,
            "overdue": [r for r in rows if r.observation.overdue],
            "states": ObservationCheck.State.choices,
            "blank": CheckForm(),
            "now": clock.now(),
        },
    )


def _person_page(
    request: AuthenticatedRequest, card: access.PersonCard, form: CheckForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "health/watch/person.html",
        {
            "card": card,
            "observation": facts.observations([card.person_id]).get(card.person_id),
            "checks": facts.recent_checks(card.person_id),
            "form": form,
            "states": ObservationCheck.State.choices,
            "now": clock.now(),
        },
        status=status,
    )


@require_GET
def watch_person(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    user = _unit_staff(request)
    return _person_page(request, _watched(user, person_id), CheckForm())


@require_POST
def watch_check(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """Record a check; back to the board (or the person's page), or the person's page with the
    refusal on the form."""
    user = _unit_staff(request)
    card = _watched(user, person_id)
    form = CheckForm(request.POST)
    if form.is_valid():
        try:
            services.check_record(actor=user, person_id=card.person_id, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc.field, exc.message)
        else:
            when = timezone.localtime(clock.now(), clock.OSLO)
            messages.success(
                request,
                _("The check on %(name)s at %(time)s is recorded.")
                % {"name": card.name, "time": f"{when:%H:%M}"},
            )
            if request.POST.get("back") == "person":
                return redirect("health:watch_person", card.person_id)
            return redirect("health:watch")
    return _person_page(request, card, form, status=400)


# --- Health staff --------------------------------------------------------------------------------


@require_GET
def observation(request: AuthenticatedRequest) -> HttpResponse:
    """The facility's observations in force, with the reasons, and the missed checks of the
    last 24 hours."""
    user = health_staff(request)
    data = services.overview(actor=user)
    audit.record_accesses(
        actor=user, person_ids=sorted(data.person_ids), what="observation.overview"
    )
    return render(
        request,
        "health/observation/overview.html",
        {"rows": data.rows, "missed": data.missed, "now": clock.now()},
    )


ACTIONS = ("set", "end", "crisis", "steps")


@require_http_methods(["GET", "POST"])
@regime_page
def person_observation(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """A person's observation record; the forms to set, change or end the level and to record
    crises post here with ``action``."""
    user = health_staff(request)
    card: access.PersonCard = or_404(access.ensure_patient, actor=user, person_id=person_id)
    record = services.person_observation(person_id=card.person_id)
    post = request.POST if request.method == "POST" else None
    action = post.get("action") if post is not None else None
    if post is not None and action not in ACTIONS:
        raise DomainError(_("Unknown action."))
    local_now = timezone.localtime(clock.now(), clock.OSLO).replace(second=0, microsecond=0)
    forms: dict[str, Any] = {
        "set": LevelForm(
            post if action == "set" else None,
            prefix="level",
            initial={"level": record.current.level if record.current else ""},
        ),
        "end": EndForm(post if action == "end" else None, prefix="end"),
        "crisis": CrisisForm(
            post if action == "crisis" else None,
            prefix="crisis",
            initial={"occurred_at": local_now.replace(tzinfo=None)},
        ),
    }
    crisis_id = _int(post.get("crisis")) if post is not None and action == "steps" else None
    if action == "steps" and crisis_id not in {c.pk for c in record.crises}:
        raise Http404
    steps_forms = {
        c.pk: CrisisStepsForm(
            post if crisis_id == c.pk else None, prefix=f"steps{c.pk}", taken=c.steps
        )
        for c in record.crises
    }
    status = 200
    if post is not None and action is not None:
        form = steps_forms[crisis_id] if crisis_id is not None else forms[action]
        if form.is_valid():
            try:
                message = _run(user, card, action, crisis_id, form.cleaned_data)
            except DomainError as exc:
                form.add_domain_error(exc.field, exc.message)
                status = 403 if isinstance(exc, PermissionDenied) else 400
            else:
                messages.success(request, message)
                return redirect("health:person_observation", card.person_id)
        else:
            status = 400
    audit.record_access(actor=user, person_id=card.person_id, what="observation")
    labels = dict(CrisisEvent.Step.choices)
    return render(
        request,
        "health/observation/person.html",
        {
            "card": card,
            "record": record,
            "forms": forms,
            "crises": [
                (c, [labels.get(s, s) for s in c.steps], steps_forms[c.pk]) for c in record.crises
            ],
            "can_lower": access.profession_of(user) in access.OBSERVATION_LOWERERS,
            "action": action,
            "now": clock.now(),
        },
        status=status,
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def _run(
    user: Any, card: access.PersonCard, action: str, crisis_id: int | None, data: dict[str, Any]
) -> str:
    pid = card.person_id
    if action == "set":
        services.observation_set(actor=user, person_id=pid, **data)
        return _("The observation level is set.")
    if action == "end":
        services.observation_end(actor=user, person_id=pid, note=data["end_note"])
        return _("The observation has ended.")
    if action == "crisis":
        services.crisis_record(actor=user, person_id=pid, **data)
        return _("The crisis is recorded.")
    services.crisis_add_steps(actor=user, crisis_id=crisis_id or 0, **data)
    return _("The steps are added.")
