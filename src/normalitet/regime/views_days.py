"""Pages of the units' regime: the regime's front page, a unit's list for the day and its day
plans, time out of cell, the activity duty, a person's week, an activity's list and closures.

Who sees what (``regime.access``): facility staff with ``REGIME_VIEW`` see their facility;
teachers only the activities they lead (and the persons in them); regional and national roles
the figures of their facilities without names. ``REGIME_MANAGE`` changes plans, closures,
settings and restrictions on company.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from normalitet.audit.services import record_access
from normalitet.core import clock
from normalitet.core.errors import DomainError, NotFound, PermissionDenied
from normalitet.core.validation import iso_date
from normalitet.core.views import regime_page
from normalitet.custody.views import person_header
from normalitet.estate.models import Unit
from normalitet.estate.selectors import facilities_for
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can, ensure_cap
from normalitet.identity.roles import Cap
from normalitet.planning.plan_views import render_printable

from . import access, days, figures, schedule
from . import occurrences as occ
from .access import (
    activities_for,
    ensure_activity,
    ensure_unit,
    is_teacher,
    regime_facility,
)
from .domain import calendar
from .forms_days import (
    ClosureForm,
    CopyPlanForm,
    DayPlanForm,
    EndForm,
    RestrictionForm,
    UnitSettingsForm,
)
from .models import DayPlan


def parse_day(value: str | None, *, field: str = "date") -> dt.date:
    """A date from the query string (today when not given); also a week as 2026-W10."""
    if not value:
        return clock.today()
    return figures.checked_day(iso_date(value, field=field), field=field)


def _date_nav(day: dt.date, **extra: Any) -> dict[str, Any]:
    return {
        "day": day,
        "today": clock.today(),
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1),
        "holiday": schedule.holiday(day),
        "day_type": calendar.day_type(day),
        "nav_extra": extra,
    }


def _submit(
    request: AuthenticatedRequest,
    form: Any,
    run: Callable[[dict[str, Any]], Any],
    *,
    message: str,
    success: str,
    failure: Callable[[Any], HttpResponse],
) -> HttpResponse:
    """Run the service on a valid form; otherwise show the form again with its errors and
    status 400, nothing changed. Every form here needs ``REGIME_MANAGE``."""
    ensure_cap(request.user, Cap.REGIME_MANAGE)
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            form.add_domain_error(exc.field, exc.message)
        else:
            messages.success(request, message)
            return redirect(success)
    response = failure(form)
    response.status_code = 400
    return response


# --- The front page -------------------------------------------------------------------------


@regime_page
def index(request: AuthenticatedRequest) -> HttpResponse:
    """The facility's regime today; a teacher's activities today; or for regional and national
    roles the figures of each of their facilities."""
    user = request.user
    day = parse_day(request.GET.get("date"))
    context: dict[str, Any] = _date_nav(day)
    if can(user, Cap.REGIME_VIEW) and is_teacher(user):
        ids = list(activities_for(actor=user).values_list("pk", flat=True))
        facility = regime_facility(actor=user)
        context["lessons"] = (
            occ.occurrences(facility_id=facility.pk, day=day, activity_ids=ids) if ids else []
        )
        context["teacher"] = True
    elif can(user, Cap.REGIME_VIEW):
        facility = access.staff_facility(actor=user)
        context.update(
            facility=facility,
            times=figures.facility_times(facility_id=facility.pk, day=day),
            duty=figures.facility_duty(facility_id=facility.pk, day=day),
            can_manage=can(user, Cap.REGIME_MANAGE),
        )
    elif can(user, Cap.REGIME_AGGREGATE):
        ids = list(facilities_for(actor=user).values_list("pk", flat=True))
        context["overview"] = figures.overview(facility_ids=ids, day=day)
    else:
        raise NotFound(_("No such facility."))
    return render(request, "regime/days/index.html", context)


# --- A unit's day and its plans -------------------------------------------------------------


def _unit_day_context(request: AuthenticatedRequest, unit_id: int) -> dict[str, Any]:
    unit = ensure_unit(actor=request.user, unit_id=unit_id)
    day = parse_day(request.GET.get("date"))
    return {**_date_nav(day), "unit": unit, "list": schedule.unit_day(unit=unit, day=day)}


@regime_page
def unit_day(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    return render(request, "regime/days/unit_day.html", _unit_day_context(request, unit_id))


@regime_page
def unit_day_print(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    context = _unit_day_context(request, unit_id)
    return render_printable(request, "regime/days/unit_day_print.html", context)


def _unit_plan_page(
    request: AuthenticatedRequest,
    unit: Unit,
    *,
    plan_form: DayPlanForm | None = None,
    copy_form: CopyPlanForm | None = None,
    settings_form: UnitSettingsForm | None = None,
) -> HttpResponse:
    user = request.user
    manage = can(user, Cap.REGIME_MANAGE)
    today = clock.today()
    settings = days.unit_settings_of(unit)
    plans = []
    kinds_in_force: set[str] = set()
    for plan in days.day_plans_of(actor=user, unit=unit):
        status = "upcoming" if plan.valid_from > today else "replaced"
        if status == "replaced" and plan.day_type not in kinds_in_force:
            kinds_in_force.add(plan.day_type)
            status = "in_force"
        plans.append({"plan": plan, "blocks": schedule.stored_blocks(plan), "status": status})
    context = {
        "unit": unit,
        "plans": plans,
        "today": today,
        "settings": settings,
        "closures": days.closures_for(actor=user, since=today).filter(
            Q(unit=unit) | Q(unit__isnull=True)
        ),
        "can_manage": manage,
    }
    if manage:
        facility_plans = list(
            DayPlan.objects.filter(unit__facility_id=unit.facility_id)
            .select_related("unit")
            .order_by("unit__code", "day_type", "-valid_from")
        )
        context.update(
            plan_form=plan_form or DayPlanForm(initial={"valid_from": today}),
            copy_form=copy_form or CopyPlanForm(plans=facility_plans),
            settings_form=settings_form
            or UnitSettingsForm(
                initial={
                    "self_catering": settings.self_catering,
                    "minimum_minutes": settings.minimum_out_of_cell_minutes,
                }
            ),
        )
    return render(request, "regime/days/unit_plan.html", context)


@regime_page
def unit_plan(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    """The unit's day plans, its closures and settings; a new plan is posted here."""
    unit = ensure_unit(actor=request.user, unit_id=unit_id)
    if request.method != "POST":
        return _unit_plan_page(request, unit)
    return _submit(
        request,
        DayPlanForm(request.POST),
        lambda d: days.day_plan_create(actor=request.user, unit=unit, **d),
        message=_("The day plan is saved."),
        success=reverse("regime:unit_plan", args=[unit.pk]),
        failure=lambda form: _unit_plan_page(request, unit, plan_form=form),
    )


@require_POST
@regime_page
def unit_plan_copy(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    unit = ensure_unit(actor=request.user, unit_id=unit_id)
    plans = list(DayPlan.objects.filter(unit__facility_id=unit.facility_id).select_related("unit"))

    def run(d: dict[str, Any]) -> DayPlan:
        source = days.day_plan_for(actor=request.user, plan_id=d["source"])
        return days.day_plan_copy(
            actor=request.user, source=source, unit=unit, valid_from=d["valid_from"]
        )

    return _submit(
        request,
        CopyPlanForm(request.POST, plans=plans),
        run,
        message=_("The day plan is copied."),
        success=reverse("regime:unit_plan", args=[unit.pk]),
        failure=lambda form: _unit_plan_page(request, unit, copy_form=form),
    )


@require_POST
@regime_page
def unit_settings(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    unit = ensure_unit(actor=request.user, unit_id=unit_id)
    return _submit(
        request,
        UnitSettingsForm(request.POST),
        lambda d: days.unit_settings_set(actor=request.user, unit=unit, **d),
        message=_("The unit's settings are saved."),
        success=reverse("regime:unit_plan", args=[unit.pk]),
        failure=lambda form: _unit_plan_page(request, unit, settings_form=form),
    )


@require_POST
@regime_page
def day_plan_withdraw(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    plan = days.day_plan_for(actor=request.user, plan_id=plan_id)
    days.day_plan_withdraw(actor=request.user, plan=plan)
    messages.success(request, _("The day plan is withdrawn."))
    return redirect("regime:unit_plan", plan.unit_id)


# --- Figures ----------------------------------------------------------------------------------


def _figures_context(request: AuthenticatedRequest) -> dict[str, Any]:
    facility_id = request.GET.get("facility_id")
    facility, names = figures.figures_facility(actor=request.user, facility_id=facility_id)
    day = parse_day(request.GET.get("date"))
    extra = {} if names else {"facility_id": facility.pk}
    return {**_date_nav(day, **extra), "facility": facility, "names": names}


@regime_page
def out_of_cell(request: AuthenticatedRequest) -> HttpResponse:
    """Time out of cell and in company per unit, and who is below the minimum."""
    context = _figures_context(request)
    context["times"] = figures.facility_times(
        facility_id=context["facility"].pk, day=context["day"]
    )
    return render(request, "regime/days/out_of_cell.html", context)


@regime_page
def activity_duty(request: AuthenticatedRequest) -> HttpResponse:
    """Convicted persons with and without an activity that meets the duty, and why."""
    context = _figures_context(request)
    context["duty"] = figures.facility_duty(facility_id=context["facility"].pk, day=context["day"])
    return render(request, "regime/days/activity_duty.html", context)


# --- A person's week --------------------------------------------------------------------------


def _person_week(request: AuthenticatedRequest, person_id: int, *, what: str) -> dict[str, Any]:
    user = request.user
    episode = access.ensure_episode(actor=user, person_id=person_id)
    day = parse_day(request.GET.get("week"), field="week")
    record_access(actor=user, person_id=person_id, what=what)
    week = schedule.person_week(episode=episode, day=day)
    return {
        **person_header(episode.person, episode=episode, minimal=not can(user, Cap.PERSON_VIEW)),
        "week": week,
        "day": day,
        "monday": week[0].info.day,
        "previous_week": week[0].info.day - dt.timedelta(days=7),
        "next_week": week[0].info.day + dt.timedelta(days=7),
        "today": clock.today(),
    }


def _schedule_page(
    request: AuthenticatedRequest, person_id: int, restriction_form: Any = None
) -> HttpResponse:
    context = _person_week(request, person_id, what="regime.schedule")
    if can(request.user, Cap.REGIME_MANAGE) and not is_teacher(request.user):
        context.update(
            restrictions=list(days.restrictions_of(episode=context["episode"])),
            restriction_form=restriction_form or RestrictionForm(),
        )
    return render(request, "regime/days/person_schedule.html", context)


@regime_page
def person_schedule(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    return _schedule_page(request, person_id)


@regime_page
def person_schedule_print(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    context = _person_week(request, person_id, what="regime.schedule_print")
    return render_printable(request, "regime/days/person_schedule_print.html", context)


@require_POST
@regime_page
def restriction_add(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    episode = access.ensure_episode(actor=request.user, person_id=person_id)
    return _submit(
        request,
        RestrictionForm(request.POST),
        lambda d: days.company_restriction_add(actor=request.user, episode=episode, **d),
        message=_("The restriction on company is recorded."),
        success=reverse("regime:person_schedule", args=[person_id]),
        failure=lambda form: _schedule_page(request, person_id, restriction_form=form),
    )


def _end(
    request: AuthenticatedRequest, run: Callable[[dt.date | None], Any], message: str, back: str
) -> HttpResponse:
    form = EndForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("Give the last day as a date."), field="ends_on")
    run(form.cleaned_data["ends_on"])
    messages.success(request, message)
    return redirect(back)


@require_POST
@regime_page
def restriction_end(request: AuthenticatedRequest, restriction_id: int) -> HttpResponse:
    restriction = days.company_restriction_for(actor=request.user, restriction_id=restriction_id)
    return _end(
        request,
        lambda on: days.company_restriction_end(
            actor=request.user, restriction=restriction, ends_on=on
        ),
        _("The restriction on company is ended."),
        reverse("regime:person_schedule", args=[restriction.person_id]),
    )


# --- An activity's list -----------------------------------------------------------------------


def _activity_context(request: AuthenticatedRequest, activity_id: int) -> dict[str, Any]:
    activity = ensure_activity(actor=request.user, activity_id=activity_id)
    day = parse_day(request.GET.get("date"))
    return {
        **_date_nav(day),
        "activity": activity,
        "list": schedule.activity_day(activity=activity, day=day),
    }


@regime_page
def activity_list(request: AuthenticatedRequest, activity_id: int) -> HttpResponse:
    context = _activity_context(request, activity_id)
    return render(request, "regime/days/activity_list.html", context)


@regime_page
def activity_list_print(request: AuthenticatedRequest, activity_id: int) -> HttpResponse:
    context = _activity_context(request, activity_id)
    return render_printable(request, "regime/days/activity_list_print.html", context)


# --- Closures ---------------------------------------------------------------------------------


def _closures_page(request: AuthenticatedRequest, form: ClosureForm | None = None) -> HttpResponse:
    user = request.user
    facility = access.staff_facility(actor=user)
    since = clock.today() - dt.timedelta(days=30)
    manage = can(user, Cap.REGIME_MANAGE)
    units = list(Unit.objects.filter(facility=facility, is_active=True).order_by("code"))
    return render(
        request,
        "regime/days/closures.html",
        {
            "facility": facility,
            "closures": list(days.closures_for(actor=user, since=since)),
            "since": since,
            "today": clock.today(),
            "form": (form or ClosureForm(units=units)) if manage else None,
            "end_form": EndForm() if manage else None,
        },
    )


@regime_page
def closures(request: AuthenticatedRequest) -> HttpResponse:
    """The facility's closures of the last 30 days and ahead; a new one is posted here."""
    if request.method != "POST":
        return _closures_page(request)
    facility = access.staff_facility(actor=request.user)
    units = list(Unit.objects.filter(facility=facility, is_active=True).order_by("code"))
    return _submit(
        request,
        ClosureForm(request.POST, units=units),
        lambda d: days.closure_add(actor=request.user, **d),
        message=_("The closure is recorded."),
        success=reverse("regime:closures"),
        failure=lambda form: _closures_page(request, form),
    )


@require_POST
@regime_page
def closure_end(request: AuthenticatedRequest, closure_id: int) -> HttpResponse:
    closure = days.closure_for(actor=request.user, closure_id=closure_id)
    return _end(
        request,
        lambda on: days.closure_end(actor=request.user, closure=closure, ends_on=on),
        _("The closure is ended."),
        reverse("regime:closures"),
    )
