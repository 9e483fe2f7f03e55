"""Custody pages: person search and record, the roll, units, and the movement forms.

Views are thin: parse, check policy (caseload), call a service or selector, render.
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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from normalitet.audit.selectors import access_log_for_person
from normalitet.audit.services import record_access
from normalitet.core import clock
from normalitet.core.errors import DomainError, NotFound, PermissionDenied
from normalitet.core.views import error_page, form_page
from normalitet.estate.models import Facility, Unit
from normalitet.estate.selectors import facilities_for, visible_facility
from normalitet.health import facade as health
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap
from normalitet.people import services as people_services
from normalitet.people.models import Person

from . import selectors, services
from .caseload import ensure_person_in_caseload
from .forms import (
    AbsenceForm,
    AdmitForm,
    AlertForm,
    CellForm,
    CountForm,
    NextOfKinForm,
    NonAssociationForm,
    PersonForm,
    ReleaseForm,
    TransferForm,
    WhereaboutsForm,
)
from .models import CustodyEpisode


def _open_person(request: AuthenticatedRequest, person_id: int) -> Person:
    try:
        return ensure_person_in_caseload(request.user, person_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def person_search(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not (can(user, Cap.PERSON_VIEW) or can(user, Cap.PERSON_VIEW_MINIMAL)):
        raise Http404
    q = request.GET.get("q", "").strip()[:100]
    results = selectors.search_persons(actor=user, q=q) if q else []
    template = "custody/person_search.html"
    if request.headers.get("HX-Request"):
        template += "#results"
    return render(request, template, {"q": q, "results": results})


_LOOK_UP: Any = object()


def person_header(
    person: Person, *, episode: Any = _LOOK_UP, minimal: bool = False
) -> dict[str, Any]:
    """The context of the person header component, for every page about one person. Pass the
    open episode when the view has it already; ``minimal`` leaves out the alerts."""
    if episode is _LOOK_UP:
        episode = selectors.person_episode(person=person)
    return {
        "person": person,
        "episode": episode,
        "alerts": [] if minimal else selectors.person_alerts(person=person),
        "minimal": minimal,
    }


def _person_context(request: AuthenticatedRequest, person: Person) -> dict[str, Any]:
    return person_header(person, minimal=not can(request.user, Cap.PERSON_VIEW))


# What the person page says of work fitness, when the health service has said more than "fit".
WORK_FITNESS_SHOWN = {"restricted": gettext_lazy("restricted"), "unfit": gettext_lazy("not fit")}


def _health_facts(person_id: int) -> dict[str, Any]:
    """What the health service shares with prison staff about the person (SGL § 4 a; RULES.md
    § 10): the observation level in force, and fit for work when restricted or not fit. Nothing
    else of health reaches the person page."""
    fitness = health.fit_for_work([person_id]).get(person_id, "")
    return {
        "observation": health.observations([person_id]).get(person_id),
        "work_fitness": WORK_FITNESS_SHOWN.get(fitness, ""),
    }


def person_detail(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = _open_person(request, person_id)
    record_access(actor=request.user, person_id=person.pk, what="person")
    ctx = _person_context(request, person)
    if not ctx["minimal"]:
        ctx.update(
            next_of_kin=list(person.next_of_kin.all()),
            non_associations=selectors.person_non_associations(person=person),
            recent_movements=list(selectors.person_movements(person=person)[:5]),
            **_health_facts(person.pk),
        )
    return render(request, "custody/person_detail.html", ctx)


def person_history(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = _open_person(request, person_id)
    if not can(request.user, Cap.PERSON_VIEW):
        raise Http404
    record_access(actor=request.user, person_id=person.pk, what="person.history")
    ctx = _person_context(request, person)
    ctx["movements"] = list(selectors.person_movements(person=person)[:500])
    form = WhereaboutsForm(request.GET or None)
    if form.is_bound and form.is_valid():
        at = dt.datetime.combine(
            form.cleaned_data["on"], form.cleaned_data["time"] or dt.time(12), tzinfo=clock.OSLO
        )
        ctx["whereabouts"] = selectors.location_on(person=person, at=at)
        ctx["whereabouts_at"] = at
    ctx["where_form"] = form
    return render(request, "custody/person_history.html", ctx)


def person_access_log(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = _open_person(request, person_id)
    if not can(request.user, Cap.PERSON_ACCESS_LOG):
        raise Http404
    ctx = _person_context(request, person)
    ctx["events"] = list(access_log_for_person(person_id=person.pk))
    return render(request, "custody/person_access_log.html", ctx)


def _facility_choices(qs: Any) -> list[tuple[int, str]]:
    return [(f.pk, f"{f.name} ({f.get_security_level_display()})") for f in qs]


def admit(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not can(user, Cap.CUSTODY_ADMIT):
        raise Http404
    facilities = facilities_for(actor=user).filter(is_active=True)
    form = AdmitForm(request.POST or None, facilities=_facility_choices(facilities))

    def run(data: dict[str, Any]) -> Any:
        facility = facilities.get(pk=data["facility"])
        if data["person_number"]:
            person = Person.objects.filter(person_number=data["person_number"].upper()).first()
            if person is None:
                raise DomainError(_("No person has this person number."), field="person_number")
        else:
            person = people_services.person_create(
                actor=user,
                given_names=data["given_names"],
                family_name=data["family_name"],
                birth_date=data["birth_date"],
                gender=data["gender"],
                national_id=data["national_id"],
                nationality=data["nationality"],
                languages=data["languages"],
                interpreter_needed=data["interpreter_needed"],
            )
        return services.admit(
            actor=user,
            person=person,
            legal_status=data["legal_status"],
            facility=facility,
            expected_release_date=data["expected_release_date"],
            reason=data["reason"],
        )

    return form_page(
        request,
        form,
        template="custody/admit.html",
        context={},
        run=_atomic(run),
        success=lambda ep: reverse("custody:allocate_cell", args=[ep.person_id]),
        message=_("The person is admitted. Allocate a cell."),
    )


def _atomic(fn: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], Any]:
    """Run a view's sequence of services in one transaction: all or nothing."""
    from django.db import transaction

    def wrapped(data: dict[str, Any]) -> Any:
        with transaction.atomic():
            return fn(data)

    return wrapped


def open_episode_or_404(person: Person) -> CustodyEpisode:
    """The person's open custody episode; 404 when they are not in custody."""
    episode = selectors.person_episode(person=person)
    if episode is None:
        raise Http404
    return episode


def person_for(request: AuthenticatedRequest, person_id: int, cap: Cap) -> Person:
    """The person, if in the caseload and the role has the capability; else 404 (a record the
    user may not see looks the same as a missing one)."""
    person = _open_person(request, person_id)
    if not can(request.user, cap):
        raise Http404
    return person


def person_form_page(
    request: AuthenticatedRequest,
    person: Person,
    form: Any,
    *,
    title: str,
    run: Callable[[dict[str, Any]], Any],
    message: str | Callable[[Any], str],
    back: str,
    success: str | Callable[[Any], str] | None = None,
    header: dict[str, Any] | None = None,
    template: str = "core/person_form.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """A form about one person, under their header: "Cancel" goes ``back``, and so does a
    saved form unless ``success`` says otherwise. Every app's person forms use it."""
    return form_page(
        request,
        form,
        template=template,
        context={
            **(header if header is not None else person_header(person)),
            "title": title,
            "cancel_url": back,
            **(extra or {}),
        },
        run=run,
        success=success if callable(success) else (lambda _result: success or back),
        message=message,
    )


def _person_form(
    request: AuthenticatedRequest,
    person: Person,
    form: Any,
    *,
    title: str,
    run: Callable[[dict[str, Any]], Any],
    message: str,
    success: str | None = None,
) -> HttpResponse:
    """A custody form about one person; back to their record when done."""
    return person_form_page(
        request,
        person,
        form,
        title=title,
        run=run,
        message=message,
        back=reverse("custody:person", args=[person.pk]),
        success=success,
        header=_person_context(request, person),
    )


def allocate_cell(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.CUSTODY_MOVE)
    episode = open_episode_or_404(person)
    cells = selectors.free_cells(facility=episode.facility)
    choices = [
        (
            c.pk,
            _("%(unit)s, cell %(cell)s (%(n)s of %(cap)s taken)")
            % {"unit": c.unit.name, "cell": c.code, "n": n, "cap": c.capacity},
        )
        for c, n in cells
        if c.pk != episode.cell_id
    ]
    by_id = {c.pk: c for c, _n in cells}
    return _person_form(
        request,
        person,
        CellForm(request.POST or None, cells=choices),
        title=_("Allocate a cell"),
        run=lambda d: services.allocate_cell(
            actor=request.user,
            episode=episode,
            cell=by_id[d["cell"]],
            shared_cell_reason=d["shared_cell_reason"],
            reason=d["reason"],
        ),
        message=_("Cell allocated."),
    )


def transfer(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.CUSTODY_TRANSFER)
    episode = open_episode_or_404(person)
    targets = Facility.objects.filter(is_active=True).exclude(pk=episode.facility_id)
    return _person_form(
        request,
        person,
        TransferForm(request.POST or None, facilities=_facility_choices(targets)),
        title=_("Transfer to another facility"),
        run=lambda d: services.transfer(
            actor=request.user,
            episode=episode,
            to_facility=targets.get(pk=d["to_facility"]),
            reason=d["reason"],
        ),
        message=_("%(name)s is transferred.") % {"name": person.full_name},
        success=reverse("custody:roll"),
    )


def absence_out(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.CUSTODY_MOVE)
    episode = open_episode_or_404(person)
    return _person_form(
        request,
        person,
        AbsenceForm(request.POST or None),
        title=_("Register as out"),
        run=lambda d: services.absence_start(
            actor=request.user,
            episode=episode,
            kind=d["kind"],
            expected_back=d["expected_back"],
            reason=d["reason"],
        ),
        message=_("Registered as out."),
    )


@require_POST
def absence_return(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.CUSTODY_MOVE)
    try:
        services.absence_end(actor=request.user, episode=open_episode_or_404(person))
    except DomainError as exc:
        return error_page(request, exc)
    messages.success(request, _("Registered as back."))
    return redirect("custody:person", person.pk)


def release(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.CUSTODY_RELEASE)
    episode = open_episode_or_404(person)
    return _person_form(
        request,
        person,
        ReleaseForm(request.POST or None),
        title=_("Release"),
        run=lambda d: services.release(
            actor=request.user, episode=episode, reason=d["reason"], note=d["note"]
        ),
        message=_("%(name)s is released.") % {"name": person.full_name},
        success=reverse("custody:roll"),
    )


def alert_add(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.PERSON_EDIT)
    return _person_form(
        request,
        person,
        AlertForm(request.POST or None),
        title=_("Add an alert"),
        run=lambda d: people_services.alert_add(actor=request.user, person=person, **d),
        message=_("Alert added."),
    )


def person_edit(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.PERSON_EDIT)
    initial = {name: getattr(person, name) for name in people_services.EDITABLE}
    return _person_form(
        request,
        person,
        PersonForm(request.POST or None, initial=initial),
        title=_("Edit identity details"),
        run=lambda d: people_services.person_update(actor=request.user, person=person, **d),
        message=_("Saved."),
    )


def next_of_kin_add(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.PERSON_EDIT)
    return _person_form(
        request,
        person,
        NextOfKinForm(request.POST or None),
        title=_("Add next of kin"),
        run=lambda d: people_services.next_of_kin_add(actor=request.user, person=person, **d),
        message=_("Next of kin added."),
    )


def non_association_add(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.PERSON_EDIT)

    def run(d: dict[str, Any]) -> Any:
        other = Person.objects.filter(person_number=d["other"].strip().upper()).first()
        if other is None:
            raise DomainError(_("No person has this person number."), field="other")
        return people_services.non_association_add(
            actor=request.user, person=person, other=other, scope=d["scope"], reason=d["reason"]
        )

    return _person_form(
        request,
        person,
        NonAssociationForm(request.POST or None),
        title=_("Keep apart"),
        run=run,
        message=_("The two persons are to be kept apart."),
    )


def roll(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not (can(user, Cap.ROLL_VIEW) or can(user, Cap.ROLL_AGGREGATE)):
        raise Http404
    facilities = facilities_for(actor=user).filter(is_active=True)
    if can(user, Cap.ROLL_VIEW) and user.facility_id:
        return redirect("custody:roll_facility", user.facility_id)
    rows = selectors.region_roll(facilities=facilities)
    total = {k: sum(r[k] for r in rows) for k in ("places", "on_roll", "remand", "out")}
    total["occupancy"] = round(100 * total["on_roll"] / total["places"]) if total["places"] else 0
    return render(request, "custody/roll_overview.html", {"rows": rows, "total": total})


def roll_facility(request: AuthenticatedRequest, facility_id: int) -> HttpResponse:
    user = request.user
    try:
        facility = visible_facility(
            actor=user, facility_id=facility_id, caps=(Cap.ROLL_VIEW, Cap.ROLL_AGGREGATE)
        )
    except NotFound as exc:
        raise Http404 from exc
    count_form = None
    if request.method == "POST":
        count_form = CountForm(request.POST)
        if count_form.is_valid():
            unit = None
            if count_form.cleaned_data["unit"]:
                unit = Unit.objects.filter(
                    pk=count_form.cleaned_data["unit"], facility=facility
                ).first()
            try:
                count = services.count_record(
                    actor=user,
                    facility=facility,
                    unit=unit,
                    counted=count_form.cleaned_data["counted"],
                    note=count_form.cleaned_data["note"],
                )
            except (DomainError, PermissionDenied) as exc:
                count_form.add_domain_error(exc.field, exc.message)
            else:
                if count.discrepancy:
                    messages.warning(
                        request,
                        _(
                            "Count recorded with a discrepancy of %(d)+d: "
                            "expected %(e)s, counted %(c)s."
                        )
                        % {"d": count.discrepancy, "e": count.expected, "c": count.counted},
                    )
                else:
                    messages.success(
                        request, _("Count recorded: %(c)s, as expected.") % {"c": count.counted}
                    )
                return redirect("custody:roll_facility", facility.pk)
    data = selectors.facility_roll(facility=facility)
    status = 400 if count_form is not None and count_form.errors else 200
    return render(
        request,
        "custody/roll_facility.html",
        {
            "roll": data,
            "count_form": count_form,
            "can_count": can(user, Cap.COUNT_RECORD),
            "can_units": can(user, Cap.ROLL_VIEW),
            "can_plan": can(user, Cap.PLAN_VIEW),
            "without_cell": (
                selectors.unit_without_cell(actor=user, facility=facility)
                if can(user, Cap.ROLL_VIEW)
                else []
            ),
        },
        status=status,
    )


def unit_detail(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    user = request.user
    if not can(user, Cap.ROLL_VIEW):
        raise Http404
    unit = Unit.objects.select_related("facility").filter(pk=unit_id).first()
    if unit is None or not facilities_for(actor=user).filter(pk=unit.facility_id).exists():
        raise Http404
    return render(
        request,
        "custody/unit_detail.html",
        {"unit": unit, "cells": selectors.unit_occupants(actor=user, unit=unit)},
    )
