"""Pages of education records, diets, the kitchen's meal numbers and faith.

Views are thin: parse, check scope (a person or facility the user may not see is a 404, the
same as a missing one), call a service or selector, render. Each read of a person's regime
data is written to the access log.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from normalitet.audit.services import record_access, record_accesses
from normalitet.core import clock
from normalitet.core.errors import DomainError
from normalitet.core.views import form_page, or_404
from normalitet.custody.caseload import open_episodes_in_caseload
from normalitet.custody.models import CustodyEpisode
from normalitet.custody.views import person_form_page, person_header
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap
from normalitet.planning.plan_views import render_printable

from . import access, education, health_facts, meals
from .forms_education import (
    ClergyVisitForm,
    DietEndForm,
    DietForm,
    EducationEntryForm,
    EducationRecordForm,
    MealDayForm,
    entry_from,
)
from .models import DietKind


def _header(request: AuthenticatedRequest, episode: CustodyEpisode) -> dict[str, Any]:
    minimal = not can(request.user, Cap.PERSON_VIEW)
    return person_header(episode.person, episode=episode, minimal=minimal)


def _page(
    request: AuthenticatedRequest,
    template: str,
    context: dict[str, Any],
    form: Any,
    **run: Any,
) -> HttpResponse:
    """A page with an optional form: without one (the role may not write here) it is read
    only, and a POST is refused as not found."""
    if form is None:
        if request.method == "POST":
            raise Http404
        return render(request, template, {**context, "form": None})
    return form_page(request, form, template=template, context=context, **run)


# --- Education ---------------------------------------------------------------------------------


def _education(
    request: AuthenticatedRequest, person_id: int, reason: str = ""
) -> tuple[CustodyEpisode, education.EducationOverview]:
    episode = or_404(education.education_episode, actor=request.user, person_id=person_id)
    record_access(
        actor=request.user, person_id=episode.person_id, what="regime.education", reason=reason
    )
    return episode, education.education_overview(episode=episode, today=clock.today())


def education_page(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    user = request.user
    episode, overview = _education(request, person_id)
    activities = [
        (a.pk, a.name) for a in education.recordable_activities(actor=user, episode=episode)
    ]
    form = None
    if activities:
        form = EducationRecordForm(
            request.POST or None, activities=activities, initial={"on": clock.today()}
        )
    here = reverse("regime:education", args=[person_id])
    return _page(
        request,
        "regime/education/person.html",
        {
            **_header(request, episode),
            "overview": overview,
            "may_edit": can(user, Cap.EDUCATION_EDIT),
            "correctable": education.led_education(user),
        },
        form,
        run=lambda d: education.education_record_add(
            actor=user, episode=episode, activity_id=d["activity_id"], entry=entry_from(d)
        ),
        success=lambda _r: here + "#h-records",
        message=_("Education record added."),
    )


def education_print(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """The education record to take along after release or transfer, in the language asked
    for (``?lang=nb`` or ``?lang=en``)."""
    episode, overview = _education(request, person_id, reason="print")
    return render_printable(
        request,
        "regime/education/print.html",
        {"person": episode.person, "episode": episode, "overview": overview},
    )


def education_correct(
    request: AuthenticatedRequest, person_id: int, record_id: int
) -> HttpResponse:
    user = request.user
    episode = or_404(education.education_episode, actor=user, person_id=person_id)
    record = or_404(education.record_of, episode=episode, record_id=record_id)
    if not education.may_correct(user, record):
        raise Http404
    form = EducationEntryForm(request.POST or None, initial=education.entry_of(record))
    return person_form_page(
        request,
        episode.person,
        form,
        title=_("Correct the education record"),
        run=lambda d: education.education_record_correct(
            actor=user, record=record, entry=entry_from(d)
        ),
        message=_("The education record is corrected."),
        back=reverse("regime:education", args=[person_id]),
        header=_header(request, episode),
        extra={"subtitle": f"{record.get_kind_display()}: {record.course}"},
    )


# --- Diets -------------------------------------------------------------------------------------


def diet_page(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    user = request.user
    episode = or_404(meals.diet_episode, actor=user, person_id=person_id)
    record_access(actor=user, person_id=episode.person_id, what="regime.diet")
    today = clock.today()
    current, ended = meals.person_diets(person_id=episode.person_id, today=today)
    medical = health_facts.medical_diets([episode.person_id]).get(episode.person_id, "")
    form = None
    if can(user, Cap.DIET_EDIT):
        form = DietForm(request.POST or None, initial={"starts_on": today})
    return _page(
        request,
        "regime/meals/diet.html",
        {
            **_header(request, episode),
            "current": current,
            "ended": ended,
            "today": today,
            "health_diet": medical,
        },
        form,
        run=lambda d: meals.diet_add(actor=user, episode=episode, **d),
        success=lambda _d: reverse("regime:diet", args=[person_id]),
        message=_("Diet recorded."),
    )


def diet_end(request: AuthenticatedRequest, person_id: int, diet_id: int) -> HttpResponse:
    user = request.user
    episode = or_404(meals.diet_episode, actor=user, person_id=person_id)
    diet = or_404(meals.diet_for, actor=user, diet_id=diet_id)
    if diet.person_id != episode.person_id or not can(user, Cap.DIET_EDIT):
        raise Http404
    label = DietKind(diet.kind).label
    return person_form_page(
        request,
        episode.person,
        DietEndForm(request.POST or None, initial={"ends_on": clock.today()}),
        title=_("End the diet"),
        run=lambda d: meals.diet_end(actor=user, diet=diet, ends_on=d["ends_on"]),
        message=_("The diet is ended."),
        back=reverse("regime:diet", args=[person_id]),
        header=_header(request, episode),
        extra={"subtitle": f"{label}: {diet.detail}" if diet.detail else label},
    )


# --- Meals and faith ---------------------------------------------------------------------------


def meals_page(request: AuthenticatedRequest) -> HttpResponse:
    """The kitchen's meal numbers for a day, per unit and diet; printable as it is."""
    facility = or_404(access.staff_facility, actor=request.user)
    today = clock.today()
    form = MealDayForm(request.GET or None, initial={"date": today.isoformat()})
    numbers, status = None, 200
    try:
        day = meals.meal_day(request.GET.get("date"), today)
    except DomainError as exc:
        form.add_domain_error(exc.field, exc.message)
        status = 400
    else:
        numbers = meals.meal_numbers(facility=facility, day=day)
    context = {"facility": facility, "numbers": numbers, "form": form, "diets": DietKind.choices}
    return render(request, "regime/meals/meals.html", context, status=status)


def faith_page(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    facility = or_404(access.staff_facility, actor=user)
    overview = meals.faith_overview(actor=user, facility=facility, now=clock.now())
    record_accesses(
        actor=user, person_ids=sorted(set(overview.visible_person_ids)), what="regime.faith"
    )
    form = None
    if can(user, Cap.DIET_EDIT):
        persons = [
            (e.person_id, f"{e.person.full_name} ({e.person.person_number})")
            for e in open_episodes_in_caseload(user)
            .filter(facility=facility)
            .select_related("person")
            .order_by("person__family_name", "person__given_names")
        ]
        now = f"{clock.now().astimezone(clock.OSLO):%Y-%m-%dT%H:%M}"
        initial = {"starts_at": now, "minutes": 60, "external": "yes"}
        form = ClergyVisitForm(request.POST or None, persons=persons, initial=initial)
    return _page(
        request,
        "regime/meals/faith.html",
        {"facility": facility, "overview": overview},
        form,
        run=lambda d: meals.clergy_visit_add(actor=user, **d),
        success=lambda _v: reverse("regime:faith") + "#h-visits",
        message=_("Clergy visit recorded."),
    )
