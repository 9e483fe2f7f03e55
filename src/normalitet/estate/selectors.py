"""Reading the estate, scoped to what the actor may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from normalitet.core.errors import NotFound
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap, Role

from .models import Cell, Facility, Unit


def facilities_for(*, actor: Any) -> QuerySet[Facility]:
    """Facilities whose roll or estate the actor may see."""
    qs = Facility.objects.select_related("region")
    if actor.role in (Role.NATIONAL, Role.ADMIN):
        return qs
    if actor.role == Role.REGIONAL:
        return qs.filter(region_id=actor.region_id)
    if actor.facility_id and (actor.has_cap(Cap.ROLL_VIEW) or actor.has_cap(Cap.ESTATE_VIEW)):
        return qs.filter(pk=actor.facility_id)
    return qs.none()


def visible_facility(*, actor: Any, facility_id: int, caps: tuple[Cap, ...]) -> Facility:
    """The facility, if the actor has one of ``caps`` and may see it; else the same NotFound
    as a missing one."""
    facility = None
    if any(can(actor, c) for c in caps):
        facility = facilities_for(actor=actor).filter(pk=facility_id).first()
    if facility is None:
        raise NotFound("No such facility.")
    return facility


def facilities_with_capacity(*, actor: Any) -> QuerySet[Facility]:
    """Facilities with their number of places (beds in active cells of active units)."""
    active = Q(units__is_active=True, units__cells__is_active=True)
    return facilities_for(actor=actor).annotate(
        places=Sum("units__cells__capacity", filter=active, default=0),
        unit_count=Count("units", distinct=True),
    )


def units_with_capacity(*, facility: Facility) -> QuerySet[Unit]:
    return (
        Unit.objects.filter(facility=facility)
        .annotate(
            places=Sum("cells__capacity", filter=Q(cells__is_active=True), default=0),
            cell_count=Count("cells"),
        )
        .order_by("code")
    )


def cells_of_unit(*, unit: Unit) -> QuerySet[Cell]:
    return Cell.objects.filter(unit=unit).order_by("code")
