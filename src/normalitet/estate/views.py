"""Estate pages: facilities with their places, units and cells; taking places in and out of use."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from normalitet.core.errors import DomainError, NotFound
from normalitet.custody.services import estate_set_active
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap

from . import selectors, services
from .forms import CellForm, StatusForm, UnitForm
from .models import Cell, Facility, Unit


def _facility(request: AuthenticatedRequest, facility_id: int) -> Facility:
    try:
        return selectors.visible_facility(
            actor=request.user, facility_id=facility_id, caps=(Cap.ESTATE_VIEW,)
        )
    except NotFound as exc:
        raise Http404 from exc


def index(request: AuthenticatedRequest) -> HttpResponse:
    if not can(request.user, Cap.ESTATE_VIEW):
        raise Http404
    facilities = selectors.facilities_with_capacity(actor=request.user)
    return render(request, "estate/index.html", {"facilities": facilities})


def facility_detail(request: AuthenticatedRequest, facility_id: int) -> HttpResponse:
    facility = _facility(request, facility_id)
    manage = can(request.user, Cap.ESTATE_MANAGE)
    form = UnitForm(request.POST or None) if manage else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.unit_create(actor=request.user, facility=facility, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc.field, exc.message)
        else:
            messages.success(request, _("Unit added."))
            return redirect("estate:facility", facility.pk)
    status = 400 if form is not None and form.errors else 200
    return render(
        request,
        "estate/facility.html",
        {
            "facility": facility,
            "units": selectors.units_with_capacity(facility=facility),
            "form": form,
            "manage": manage,
        },
        status=status,
    )


def unit_detail(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    unit = Unit.objects.select_related("facility").filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    _facility(request, unit.facility_id)
    manage = can(request.user, Cap.ESTATE_MANAGE)
    form = CellForm(request.POST or None) if manage else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.cell_create(actor=request.user, unit=unit, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc.field, exc.message)
        else:
            messages.success(request, _("Cell added."))
            return redirect("estate:unit", unit.pk)
    status = 400 if form is not None and form.errors else 200
    return render(
        request,
        "estate/unit.html",
        {"unit": unit, "cells": selectors.cells_of_unit(unit=unit), "form": form, "manage": manage},
        status=status,
    )


_KINDS: dict[str, Any] = {"facility": Facility, "unit": Unit, "cell": Cell}


def set_status(request: AuthenticatedRequest, kind: str, pk: int) -> HttpResponse:
    """Take a facility, unit or cell into or out of use, with a reason."""
    if not can(request.user, Cap.ESTATE_MANAGE) or kind not in _KINDS:
        raise Http404
    obj = _KINDS[kind].objects.filter(pk=pk).first()
    if obj is None:
        raise Http404
    facility = obj if kind == "facility" else obj.facility if kind == "unit" else obj.unit.facility
    _facility(request, facility.pk)
    form = StatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            estate_set_active(
                actor=request.user,
                obj=obj,
                active=not obj.is_active,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form.add_domain_error(exc.field, exc.message)
        else:
            messages.success(request, _("Saved."))
            if kind == "cell":
                return redirect("estate:unit", obj.unit_id)
            return redirect("estate:facility", facility.pk)
    status = 400 if form.errors else 200
    return render(request, "estate/status.html", {"obj": obj, "form": form}, status=status)
