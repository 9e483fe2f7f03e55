"""Pages of the activity catalogue and the waiting list: the catalogue, an activity with its
sessions, participants and waiting list, the facility's waiting list, the forms that change
them, and a person's places and requests.

Seeing takes ``REGIME_VIEW`` (a teacher sees only the activities they lead); anything out of
scope is a 404, the same as a missing record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from normalitet.audit.services import record_access
from normalitet.core import clock
from normalitet.core.errors import DomainError
from normalitet.core.views import error_page, form_page, or_404
from normalitet.custody.views import person_form_page, person_header
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap

from . import access, allocation, catalogue, health_facts
from .forms_catalogue import (
    ActivityForm,
    AllocateForm,
    DateForm,
    DecideForm,
    EndForm,
    RequestForm,
    ResumeForm,
    SessionCancelForm,
    SessionEndForm,
    SessionForm,
    SuspendForm,
    WithdrawForm,
)
from .models import Activity, ActivityKind, Allocation, Session


def _viewer(request: AuthenticatedRequest, cap: Cap = Cap.REGIME_VIEW) -> Any:
    if not can(request.user, cap) or not request.user.facility_id:
        raise Http404
    return request.user


def _managed_session(request: AuthenticatedRequest, session_id: int) -> Session:
    user = _viewer(request, Cap.REGIME_MANAGE)
    return or_404(access.ensure_session, actor=user, session_id=session_id)


def _back(request: AuthenticatedRequest, default: str) -> str:
    """The page to return to: ``next`` when it is one of ours, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    ours = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if target and ours else default


def _activity_url(activity_id: int) -> str:
    return reverse("regime:activity", args=[activity_id])


def _with_actions(user: Any, rows: list[Allocation]) -> list[tuple[Allocation, set[str]]]:
    return [(a, {x for x in allocation.TRANSITIONS if allocation.may(user, a, x)}) for a in rows]


def _with_fitness(
    user: Any, *lists: list[Allocation]
) -> list[list[tuple[Allocation, set[str], tuple[str, str] | None]]]:
    """Each of ``lists`` with each row's actions and, for a place or request in work, what the
    health service says when the person is not fully fit (restricted or not fit, with its label;
    never why). One question to the health facade for all the lists."""
    work = [a for rows in lists for a in rows if a.activity.kind == ActivityKind.WORK]
    fitness = health_facts.work_fitness({a.person_id for a in work})
    shown = {
        a.pk: (f, health_facts.fitness_label(f))
        for a in work
        if (f := fitness.get(a.person_id, "")) in health_facts.NOT_FULLY_FIT
    }
    return [
        [(a, actions, shown.get(a.pk)) for a, actions in _with_actions(user, rows)]
        for rows in lists
    ]


# --- The catalogue ------------------------------------------------------------------------------


def activities(request: AuthenticatedRequest) -> HttpResponse:
    user = _viewer(request)
    kind = request.GET.get("kind", "")
    kind = kind if kind in ActivityKind.values else ""
    inactive = request.GET.get("inactive") == "1"
    rows = catalogue.catalogue(actor=user, kind=kind or None, include_inactive=inactive)
    return render(
        request,
        "regime/catalogue/activities.html",
        {
            "rows": rows,
            "kinds": ActivityKind.choices,
            "kind": kind,
            "inactive": inactive,
            "can_manage": can(user, Cap.REGIME_MANAGE),
        },
    )


def _activity_form(request: AuthenticatedRequest, activity: Activity | None) -> HttpResponse:
    user = _viewer(request, Cap.REGIME_MANAGE)
    leaders = catalogue.leader_choices(facility_id=user.facility_id)
    form = ActivityForm(
        request.POST or None,
        leaders=[
            (u.pk, f"{u.get_full_name() or u.username} ({u.get_role_display()})") for u in leaders
        ],
        initial=ActivityForm.initial_of(activity) if activity else {"meets_activity_duty": True},
    )

    def run(data: dict[str, Any]) -> Activity:
        data = {
            **data,
            "leader": leaders.filter(pk=data["leader"]).first() if data["leader"] else None,
        }
        if activity is None:
            return catalogue.activity_create(actor=user, **data)
        return catalogue.activity_update(actor=user, activity=activity, **data)

    return form_page(
        request,
        form,
        template="regime/catalogue/form.html",
        context={
            "title": activity.name if activity else _("New activity"),
            "cancel_url": _activity_url(activity.pk) if activity else reverse("regime:activities"),
        },
        run=run,
        success=lambda a: _activity_url(a.pk),
        message=_("The activity is saved."),
    )


def activity_new(request: AuthenticatedRequest) -> HttpResponse:
    return _activity_form(request, None)


def activity_edit(request: AuthenticatedRequest, activity_id: int) -> HttpResponse:
    user = _viewer(request, Cap.REGIME_MANAGE)
    return _activity_form(
        request, or_404(access.ensure_activity, actor=user, activity_id=activity_id)
    )


def activity_detail(request: AuthenticatedRequest, activity_id: int) -> HttpResponse:
    user = _viewer(request)
    activity = or_404(access.ensure_activity, actor=user, activity_id=activity_id)
    row = catalogue.catalogue_rows(Activity.objects.filter(pk=activity.pk))[0]
    places, waiting = _with_fitness(
        user,
        allocation.participants(activity=activity),
        allocation.waiting_list(actor=user, activity=activity),
    )
    return render(
        request,
        "regime/catalogue/activity.html",
        {
            "activity": activity,
            "row": row,
            "supplement": catalogue.kroner(activity.supplement_ore),
            "open_to": catalogue.open_to(activity),
            "sessions": [
                (s, catalogue.weekday_name(s.weekday))
                for s in catalogue.activity_sessions(activity=activity)
            ],
            "cancellations": catalogue.upcoming_cancellations(activity=activity),
            "participants": [
                (a, actions, allocation.current_suspension(a), fitness)
                for a, actions, fitness in places
            ],
            "waiting": waiting,
            "can_manage": can(user, Cap.REGIME_MANAGE),
        },
    )


@require_POST
def activity_deactivate(request: AuthenticatedRequest, activity_id: int) -> HttpResponse:
    user = _viewer(request, Cap.REGIME_MANAGE)
    activity = or_404(access.ensure_activity, actor=user, activity_id=activity_id)
    try:
        catalogue.activity_deactivate(actor=user, activity=activity)
    except DomainError as exc:
        return error_page(request, exc)
    messages.success(request, _("The activity is no longer offered."))
    return redirect("regime:activity", activity.pk)


# --- Sessions -----------------------------------------------------------------------------------


def _session_form(
    request: AuthenticatedRequest,
    activity: Activity,
    form: Any,
    title: str,
    run: Callable[[dict[str, Any]], Any],
    message: str,
) -> HttpResponse:
    return form_page(
        request,
        form,
        template="regime/catalogue/form.html",
        context={"title": title, "intro": activity.name, "cancel_url": _activity_url(activity.pk)},
        run=run,
        success=lambda _result: _activity_url(activity.pk),
        message=message,
    )


def session_add(request: AuthenticatedRequest, activity_id: int) -> HttpResponse:
    user = _viewer(request, Cap.REGIME_MANAGE)
    activity = or_404(access.ensure_activity, actor=user, activity_id=activity_id)
    return _session_form(
        request,
        activity,
        SessionForm(request.POST or None),
        _("Add a session"),
        lambda d: catalogue.session_add(actor=user, activity=activity, **d),
        _("The session is added."),
    )


def _when(session: Session) -> dict[str, str]:
    return {"day": catalogue.weekday_name(session.weekday), "starts": f"{session.starts:%H:%M}"}


def session_end(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    session = _managed_session(request, session_id)
    return _session_form(
        request,
        session.activity,
        SessionEndForm(request.POST or None),
        _("End the session %(day)s %(starts)s") % _when(session),
        lambda d: catalogue.session_end(actor=request.user, session=session, **d),
        _("The session ends on the day given."),
    )


def session_cancel(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    session = _managed_session(request, session_id)
    return _session_form(
        request,
        session.activity,
        SessionCancelForm(request.POST or None, initial={"on": request.GET.get("on")}),
        _("Cancel one date of the session %(day)s %(starts)s") % _when(session),
        lambda d: catalogue.session_cancel(actor=request.user, session=session, **d),
        _("The session is cancelled on that date."),
    )


@require_POST
def session_reinstate(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    session = _managed_session(request, session_id)
    form = DateForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Give the date to reinstate."), field="on")
        catalogue.session_reinstate(actor=request.user, session=session, **form.cleaned_data)
    except DomainError as exc:
        return error_page(request, exc)
    messages.success(request, _("The session runs on that date after all."))
    return redirect("regime:activity", session.activity_id)


# --- The waiting list and places ----------------------------------------------------------------


def waiting_list(request: AuthenticatedRequest) -> HttpResponse:
    user = _viewer(request)
    (waiting,) = _with_fitness(user, allocation.waiting_list(actor=user))
    return render(
        request,
        "regime/catalogue/waiting_list.html",
        {"waiting": waiting},
    )


# Each action on an allocation: its form, its title and the service it runs (the form's
# cleaned data are the service's arguments).
ACTIONS: dict[str, tuple[type, Any, Callable[..., Any]]] = {
    "decide": (DecideForm, gettext_lazy("Decide the request"), allocation.allocation_decide),
    "allocate": (AllocateForm, gettext_lazy("Give a place"), allocation.allocation_allocate),
    "suspend": (SuspendForm, gettext_lazy("Suspend the place"), allocation.allocation_suspend),
    "resume": (ResumeForm, gettext_lazy("Resume the place"), allocation.allocation_resume),
    "end": (EndForm, gettext_lazy("End the place"), allocation.allocation_end),
    "withdraw": (
        WithdrawForm,
        gettext_lazy("Withdraw the request"),
        allocation.allocation_withdraw,
    ),
}


# The actions that put a person (back) into a place, and the field of the day they start.
FROM = {"allocate": "starts_on", "resume": "on"}


def allocation_action(
    request: AuthenticatedRequest, allocation_id: int, action: str
) -> HttpResponse:
    """One action on a request or a place, as a form under the person's header. The buttons
    on the lists post here too, and return to ``next``."""
    user = request.user
    if action not in ACTIONS or not can(user, allocation.NEEDS[action]):
        raise Http404
    target = or_404(allocation.ensure_allocation, actor=user, allocation_id=allocation_id)
    if not access.episodes_for(actor=user).filter(pk=target.episode_id).exists():
        raise Http404  # the person is not in the actor's caseload
    record_access(actor=user, person_id=target.person_id, what="regime.allocation")
    form_class, title, run = ACTIONS[action]
    form = form_class(request.POST if request.method == "POST" else None)
    extra: dict[str, Any] = {"subtitle": f"{target.activity.name} · {target.get_status_display()}"}
    template = "core/person_form.html"
    if action in FROM:  # a place in work shows what the health service says of fitness
        on = form.cleaned_data[FROM[action]] if form.is_bound and form.is_valid() else None
        extra["work_fitness"] = allocation.work_fitness(
            target.activity, target.person_id, on or clock.today()
        )
        template = "regime/catalogue/allocation_form.html"

    def done(d: dict[str, Any]) -> Any:
        result = run(actor=user, allocation=target, **d)
        if extra.get("work_fitness") == health_facts.RESTRICTED:
            messages.warning(
                request,
                _("The health service has said the person is fit for restricted work only."),
            )
        return result

    return person_form_page(
        request,
        target.person,
        form,
        title=str(title),
        run=done,
        message=_("%(action)s – %(activity)s: done.")
        % {"action": title, "activity": target.activity.name},
        back=_back(request, _activity_url(target.activity_id)),
        header=person_header(target.person, minimal=not can(user, Cap.PERSON_VIEW)),
        template=template,
        extra=extra,
    )


def person_activities(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """The person's places and requests, and for staff of their caseload a request form."""
    user = _viewer(request)
    episode = or_404(access.ensure_episode, actor=user, person_id=person_id)
    record_access(actor=user, person_id=episode.person_id, what="regime.activities")
    form = None
    if can(user, Cap.ACTIVITY_REQUEST):
        open_to = allocation.requestable_activities(episode=episode).order_by("kind", "name")
        choices = [
            (a.pk, f"{a.name} ({a.get_kind_display()})")
            for a in open_to
            if allocation.eligibility_problem(a, episode) is None
        ]
        form = RequestForm(request.POST or None, activities=choices)
        if request.method == "POST" and form.is_valid():
            try:
                allocation.allocation_request(
                    actor=user,
                    episode=episode,
                    activity=open_to.get(pk=form.cleaned_data["activity"]),
                    note=form.cleaned_data["note"],
                )
            except DomainError as exc:
                form.add_domain_error(exc.field, exc.message)
            else:
                messages.success(request, _("The request is on the waiting list."))
                return redirect("regime:person_activities", person_id)
    elif request.method == "POST":
        raise Http404
    rows = allocation.person_allocations(actor=user, episode=episode)
    fitness = health_facts.work_fitness([episode.person_id]).get(episode.person_id, "")
    return render(
        request,
        "regime/catalogue/person_activities.html",
        {
            **person_header(
                episode.person, episode=episode, minimal=not can(user, Cap.PERSON_VIEW)
            ),
            "rows": [
                (a, actions, allocation.current_suspension(a))
                for a, actions in _with_actions(user, rows)
            ],
            "form": form,
            "work_fitness": fitness,
            "work_fitness_label": health_facts.fitness_label(fitness),
        },
        status=400 if form is not None and form.errors else 200,
    )
