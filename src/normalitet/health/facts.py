"""The derived facts the health service lets the prison know, read from the health database.

``facade`` hands them to other contexts; the health service's own services, views and API read
them here, so that none of them needs the facade (which calls the services) half-loaded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q

from normalitet.core import clock

from .domain.rules import check_clock, rules_on
from .models import Appointment, MedicalDiet, ObservationCheck, ObservationLevel, WorkFitness


@dataclass(frozen=True)
class Observation:
    """An observation level in force, as officers see it."""

    observation_id: int
    person_id: int
    level: str
    level_label: str
    interval_minutes: int
    started_at: dt.datetime
    last_check_at: dt.datetime | None
    next_due: dt.datetime
    overdue: bool
    minutes_overdue: int


@dataclass(frozen=True)
class Slot:
    """An appointment as the prison sees it: the time it blocks and the escort it needs."""

    person_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    escort: str  # "none" | "inside" | "outside"
    escort_label: str


@dataclass(frozen=True)
class Receipt:
    """What prison staff get back when they log a request: never its text or service."""

    reference: str
    submitted_at: dt.datetime


def observations(
    person_ids: Iterable[int] | None = None,
    *,
    facility_id: int | None = None,
    now: dt.datetime | None = None,
) -> dict[int, Observation]:
    """The observation levels in force, by person (for ``person_ids``, or for a facility)."""
    now = now or clock.now()
    qs = ObservationLevel.objects.filter(ended_at__isnull=True)
    if person_ids is not None:
        qs = qs.filter(person_id__in=list(person_ids))
    if facility_id is not None:
        qs = qs.filter(facility_id=facility_id)
    qs = qs.annotate(last_check=Max("checks__checked_at"))
    grace = rules_on(clock.today()).check_grace_minutes
    result: dict[int, Observation] = {}
    for o in qs:
        c = check_clock(
            started_at=o.started_at,
            last_check_at=o.last_check,
            interval_minutes=o.interval_minutes,
            grace_minutes=grace,
            now=now,
        )
        result[o.person_id] = Observation(
            observation_id=o.pk,
            person_id=o.person_id,
            level=o.level,
            level_label=str(o.get_level_display()),
            interval_minutes=o.interval_minutes,
            started_at=o.started_at,
            last_check_at=o.last_check,
            next_due=c.next_due,
            overdue=c.overdue,
            minutes_overdue=c.minutes_overdue,
        )
    return result


def check_row(c: ObservationCheck) -> dict[str, Any]:
    """A check as officers recorded it."""
    return {
        "checked_at": c.checked_at,
        "state": c.state,
        "state_label": str(c.get_state_display()),
        "note": c.note,
        "by": c.created_by_name,
        "late_by_minutes": c.late_by_minutes,
    }


def recent_checks(person_id: int, *, limit: int = 20) -> list[dict[str, Any]]:
    """The latest checks on a person under observation, as officers recorded them."""
    rows = ObservationCheck.objects.filter(
        person_id=person_id, observation__ended_at__isnull=True
    ).order_by("-checked_at")[:limit]
    return [check_row(c) for c in rows]


def _in_force(model: Any, field: str, person_ids: Iterable[int], on: dt.date) -> dict[int, str]:
    """``field`` of each person's statement in force on ``on`` (the latest to start wins)."""
    rows = (
        model.objects.filter(person_id__in=list(person_ids), valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("person_id", "-valid_from", "-id")
        .values_list("person_id", field)
    )
    result: dict[int, str] = {}
    for person_id, value in rows:
        result.setdefault(person_id, value)
    return result


def fit_for_work(person_ids: Iterable[int], *, on: dt.date | None = None) -> dict[int, str]:
    """``fit``, ``restricted`` or ``unfit`` where health staff have said so for ``on``; a person
    missing from the answer has no statement (and counts as fit)."""
    return _in_force(WorkFitness, "fitness", person_ids, on or clock.today())


def medical_diets(person_ids: Iterable[int], *, on: dt.date | None = None) -> dict[int, str]:
    """The kitchen instruction of each person with a medical diet in force on ``on``."""
    return _in_force(MedicalDiet, "kitchen_instruction", person_ids, on or clock.today())


def appointment_slots(
    person_ids: Iterable[int] | None,
    start: dt.datetime,
    end: dt.datetime,
    *,
    facility_id: int | None = None,
) -> list[Slot]:
    """Appointments overlapping ``[start, end)`` as time slots, for the persons given or for a
    facility: those booked and those attended (the register taken afterwards still excuses the
    person). Cancelled ones and those the person did not attend are left out."""
    qs = Appointment.objects.filter(
        status__in=[Appointment.Status.BOOKED, Appointment.Status.ATTENDED],
        starts_at__lt=end,
        ends_at__gt=start,
    )
    if person_ids is not None:
        qs = qs.filter(person_id__in=list(person_ids))
    if facility_id is not None:
        qs = qs.filter(facility_id=facility_id)
    return [
        Slot(
            person_id=a.person_id,
            starts_at=a.starts_at,
            ends_at=a.ends_at,
            escort=a.escort,
            escort_label=str(a.get_escort_display()),
        )
        for a in qs.order_by("starts_at", "person_id")
    ]
