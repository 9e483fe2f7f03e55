"""The regime of one day, read in bulk: which sessions run, who holds a place in them and the
register's marks, each unit's day plan, closures and restrictions on company. Attendance, the
allowance, schedules and the time-out-of-cell figures all build on these, so that a facility's
day is a handful of queries whatever its size.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from .domain import calendar
from .domain.out_of_cell import Block
from .models import (
    Allocation,
    AllocationStatus,
    Attendance,
    Closure,
    DayPlan,
    DayPlanBlock,
    Session,
    SessionCancellation,
    Suspension,
    UnitRegime,
)


def minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def running_on(day: dt.date) -> Q:
    """Rows dated ``starts_on`` to ``ends_on`` (none: still running) that run on ``day``."""
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def overlapping(starts_on: dt.date, ends_on: dt.date | None) -> Q:
    """Rows dated ``starts_on`` to ``ends_on`` (none: still running) that run on some day from
    ``starts_on`` to ``ends_on`` (none: from ``starts_on`` on)."""
    q = Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    if ends_on is not None:
        q &= Q(starts_on__lte=ends_on)
    return q


@dataclass(frozen=True)
class Occurrence:
    """A session on a date."""

    session_id: int
    activity_id: int
    activity_name: str
    kind: str
    category: str
    place: str
    leader_id: int | None
    meets_duty: bool
    supplement_ore: int
    on: dt.date
    starts: dt.time
    ends: dt.time
    cancelled: bool
    cancel_reason: str

    @property
    def span(self) -> tuple[int, int]:
        return minutes(self.starts), minutes(self.ends)


def occurrences(
    *, facility_id: int, day: dt.date, activity_ids: Iterable[int] | None = None
) -> list[Occurrence]:
    """The sessions of the facility's active activities on ``day``, in time order, with
    cancellations: a public holiday (unless the activity runs then), a facility closure, or a
    cancellation recorded for that session and date."""
    found = occurrences_many(facility_ids=[facility_id], day=day, activity_ids=activity_ids)
    return found.get(facility_id, [])


def occurrences_many(
    *, facility_ids: Iterable[int], day: dt.date, activity_ids: Iterable[int] | None = None
) -> dict[int, list[Occurrence]]:
    """:func:`occurrences` of many facilities at once, by facility: three queries in all."""
    wanted = list(facility_ids)
    sessions = Session.objects.filter(
        activity__facility_id__in=wanted,
        activity__is_active=True,
        weekday=day.weekday(),
        valid_from__lte=day,
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    if activity_ids is not None:
        sessions = sessions.filter(activity_id__in=list(activity_ids))
    rows = list(
        sessions.values_list(
            "activity__facility_id",
            "pk",
            "activity_id",
            "activity__name",
            "activity__kind",
            "activity__category",
            "activity__place",
            "activity__leader_id",
            "activity__meets_activity_duty",
            "activity__supplement_ore",
            "activity__runs_on_holidays",
            "starts",
            "ends",
        ).order_by("starts", "activity__name", "pk")
    )
    result: dict[int, list[Occurrence]] = {f: [] for f in wanted}
    if not rows:
        return result
    cancelled = dict(
        SessionCancellation.objects.filter(session_id__in=[r[1] for r in rows], on=day).values_list(
            "session_id", "reason"
        )
    )
    closed = dict(
        Closure.objects.filter(
            facility_id__in={r[0] for r in rows},
            unit__isnull=True,
            starts_on__lte=day,
            ends_on__gte=day,
        ).values_list("facility_id", "reason")
    )
    holiday = calendar.holiday_name(day)
    for fac, pk, act, name, kind, category, place, leader, duty, supp, on_hol, s, e in rows:
        reason = ""
        if pk in cancelled:
            reason = cancelled[pk]
        elif fac in closed:
            reason = _("Closed regime: %(reason)s") % {"reason": closed[fac]}
        elif holiday and not on_hol:
            reason = _("Public holiday: %(name)s") % {"name": holiday}
        result[fac].append(
            Occurrence(
                pk, act, name, kind, category, place, leader, duty, supp, day, s, e,
                bool(reason), reason,
            )
        )  # fmt: skip
    return result


def occurrence_of(session: Session, day: dt.date) -> Occurrence | None:
    """The session on ``day``, or None when it does not run then."""
    found = occurrences(
        facility_id=session.activity.facility_id, day=day, activity_ids=[session.activity_id]
    )
    return next((o for o in found if o.session_id == session.pk), None)


@dataclass(frozen=True)
class Place:
    """An allocation that holds a place in an activity on a date."""

    allocation_id: int
    activity_id: int
    episode_id: int
    person_id: int
    suspended: bool


def places_on(
    *,
    day: dt.date,
    facility_id: int | None = None,
    activity_ids: Iterable[int] | None = None,
    episode_ids: Iterable[int] | None = None,
) -> list[Place]:
    """Allocations that held a place on ``day`` (started on or before it and not ended by
    it), past days included, with whether a suspension covered the day."""
    allocations = Allocation.objects.filter(
        status__in=[AllocationStatus.ALLOCATED, AllocationStatus.SUSPENDED, AllocationStatus.ENDED],
        starts_on__lte=day,
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
    if facility_id is not None:
        allocations = allocations.filter(activity__facility_id=facility_id)
    if activity_ids is not None:
        allocations = allocations.filter(activity_id__in=list(activity_ids))
    if episode_ids is not None:
        allocations = allocations.filter(episode_id__in=list(episode_ids))
    rows = list(allocations.values_list("pk", "activity_id", "episode_id", "person_id"))
    suspended = set(
        Suspension.objects.filter(
            running_on(day), allocation_id__in=[r[0] for r in rows]
        ).values_list("allocation_id", flat=True)
    )
    return [Place(pk, act, ep, person, pk in suspended) for pk, act, ep, person in rows]


def marks_on(
    *,
    day: dt.date,
    facility_ids: Iterable[int] | None = None,
    session_ids: Iterable[int] | None = None,
) -> dict[tuple[int, int], str]:
    """The register of ``day``: (allocation id, session id) → outcome."""
    rows = Attendance.objects.filter(on=day)
    if facility_ids is not None:
        rows = rows.filter(session__activity__facility_id__in=list(facility_ids))
    if session_ids is not None:
        rows = rows.filter(session_id__in=list(session_ids))
    return {(a, s): o for a, s, o in rows.values_list("allocation_id", "session_id", "outcome")}


def day_plans(*, unit_ids: Iterable[int], day: dt.date) -> dict[int, list[Block]]:
    """Each unit's blocks for ``day`` (the plan of the day's type in force then); a unit with
    no plan has no blocks (locked in all day, which the figures then show)."""
    kind = calendar.day_type(day)
    plans: dict[int, int] = {}
    for plan_id, unit_id in (
        DayPlan.objects.filter(unit_id__in=list(unit_ids), day_type=kind, valid_from__lte=day)
        .order_by("unit_id", "-valid_from")
        .values_list("pk", "unit_id")
    ):
        plans.setdefault(unit_id, plan_id)
    blocks: dict[int, list[Block]] = defaultdict(list)
    unit_of = {plan_id: unit_id for unit_id, plan_id in plans.items()}
    for plan_id, k, s, e, company in DayPlanBlock.objects.filter(
        plan_id__in=list(plans.values())
    ).values_list("plan_id", "kind", "starts", "ends", "in_company"):
        blocks[unit_of[plan_id]].append(Block(k, minutes(s), minutes(e), company))
    return {unit_id: sorted(blocks.get(unit_id, []), key=lambda b: b.starts) for unit_id in plans}


def unit_settings(*, unit_ids: Iterable[int]) -> dict[int, UnitRegime]:
    return {u.unit_id: u for u in UnitRegime.objects.filter(unit_id__in=list(unit_ids))}
