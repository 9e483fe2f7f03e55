"""Writes to the estate: creating places and taking them in or out of use, always with a reason."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from normalitet.audit.services import record_change
from normalitet.core.errors import DomainError
from normalitet.core.validation import clean_and_save
from normalitet.identity.policies import ensure_cap
from normalitet.identity.roles import Cap

from .models import Cell, Facility, Region, Unit


def region_create(*, actor: Any, code: str, name: str) -> Region:
    ensure_cap(actor, Cap.ESTATE_MANAGE)
    with transaction.atomic():
        region = Region(code=code, name=name)
        clean_and_save(region)
        record_change(actor=actor, action="region.create", obj=region, data={"code": code})
    return region


def facility_create(
    *, actor: Any, region: Region, code: str, name: str, security_level: str, municipality: str = ""
) -> Facility:
    ensure_cap(actor, Cap.ESTATE_MANAGE)
    with transaction.atomic():
        facility = Facility(
            region=region,
            code=code,
            name=name,
            security_level=security_level,
            municipality=municipality,
        )
        clean_and_save(facility)
        record_change(
            actor=actor, action="facility.create", obj=facility, data={"code": code, "name": name}
        )
    return facility


def unit_create(
    *, actor: Any, facility: Facility, code: str, name: str, kind: str, security_level: str = ""
) -> Unit:
    ensure_cap(actor, Cap.ESTATE_MANAGE)
    _ensure_manages_facility(actor, facility)
    with transaction.atomic():
        unit = Unit(
            facility=facility,
            code=code,
            name=name,
            kind=kind,
            security_level=security_level or facility.security_level,
        )
        clean_and_save(unit)
        record_change(actor=actor, action="unit.create", obj=unit, data={"code": code})
    return unit


def cell_create(
    *,
    actor: Any,
    unit: Unit,
    code: str,
    capacity: int = 1,
    single_occupancy: bool = True,
    accessible: bool = False,
    own_bathroom: bool = True,
    safe_cell: bool = False,
) -> Cell:
    ensure_cap(actor, Cap.ESTATE_MANAGE)
    _ensure_manages_facility(actor, unit.facility)
    if single_occupancy and capacity != 1:
        raise DomainError(_("A single-occupancy cell has capacity 1."), field="capacity")
    with transaction.atomic():
        cell = Cell(
            unit=unit,
            code=code,
            capacity=capacity,
            single_occupancy=single_occupancy,
            accessible=accessible,
            own_bathroom=own_bathroom,
            safe_cell=safe_cell,
        )
        clean_and_save(cell)
        record_change(
            actor=actor, action="cell.create", obj=cell, data={"code": code, "capacity": capacity}
        )
    return cell


def set_active(*, actor: Any, obj: Facility | Unit | Cell, active: bool, reason: str) -> None:
    """Take a facility, unit or cell into or out of use. A reason is required either way.

    Whether anyone is still placed there is checked by the caller that knows custody
    (``custody.services.estate_set_active``).
    """
    ensure_cap(actor, Cap.ESTATE_MANAGE)
    facility = (
        obj
        if isinstance(obj, Facility)
        else obj.facility
        if isinstance(obj, Unit)
        else (obj.unit.facility)
    )
    _ensure_manages_facility(actor, facility)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason."), field="reason")
    if obj.is_active == active:
        raise DomainError(
            _("It is already active.") if active else _("It is already out of use."),
            field="active",
        )
    with transaction.atomic():
        obj.is_active = active
        obj.status_reason = reason
        obj.save(update_fields=["is_active", "status_reason", "updated_at"])
        record_change(
            actor=actor,
            action=f"{obj._meta.model_name}.{'activate' if active else 'deactivate'}",
            obj=obj,
            reason=reason,
        )


def _ensure_manages_facility(actor: Any, facility: Facility) -> None:
    """A facility leader manages their own facility; an administrator manages all."""
    if actor.facility_id is not None and actor.facility_id != facility.pk:
        raise DomainError(_("You can only change your own facility."), field="facility")
