"""The regime of one day, read in bulk: which sessions run, who holds a place in them, each
unit's day plan, closures and restrictions on company. Attendance, the allowance, schedules and
the time-out-of-cell figures all build on these, so that a facility's day is a handful of
queries whatever its size.
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
    Activity,
    Allocation,
    AllocationStatus,
    Closure,
    CompanyRestriction,
    DayPlan,
    DayPlanBlock,
    Session,
    SessionCancellation,
    Suspension,
    UnitRegime,
)


def minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


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


def facility_closure(*, facility_id: int, day: dt.date) -> str | None:
    """The reason if the whole facility runs a closed regime on ``day``."""
    closure = (
        Closure.objects.filter(
            facility_id=facility_id, unit__isnull=True, starts_on__lte=day, ends_on__gte=day
        )
        .values_list("reason", flat=True)
        .first()
    )
    return closure


def unit_closures(*, facility_id: int, day: dt.date) -> dict[int | None, str]:
    """Closures on ``day`` by unit id (``None`` for the whole facility)."""
    rows = Closure.objects.filter(
        facility_id=facility_id, starts_on__lte=day, ends_on__gte=day
    ).values_list("unit_id", "reason")
    return dict(rows)


def occurrences(
    *, facility_id: int, day: dt.date, activity_ids: Iterable[int] | None = None
) -> list[Occurrence]:
    """The sessions of the facility's active activities on ``day``, in time order, with
    cancellations: a public holiday (unless the activity runs then), a facility closure, or a
    cancellation recorded for that session and date."""
    sessions = Session.objects.filter(
        activity__facility_id=facility_id,
        activity__is_active=True,
        weekday=day.weekday(),
        valid_from__lte=day,
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    if activity_ids is not None:
        sessions = sessions.filter(activity_id__in=list(activity_ids))
    rows = list(
        sessions.values_list(
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
    cancelled = dict(
        SessionCancellation.objects.filter(session_id__in=[r[0] for r in rows], on=day).values_list(
            "session_id", "reason"
        )
    )
    holiday = calendar.holiday_name(day)
    closed = facility_closure(facility_id=facility_id, day=day) if rows else None
    result = []
    for pk, act, name, kind, category, place, leader, duty, supp, on_holidays, s, e in rows:
        reason = ""
        if pk in cancelled:
            reason = cancelled[pk]
        elif closed is not None:
            reason = _("Closed regime: %(reason)s") % {"reason": closed}
        elif holiday and not on_holidays:
            reason = _("Public holiday: %(name)s") % {"name": holiday}
        result.append(
            Occurrence(
                pk, act, name, kind, category, place, leader, duty, supp, day, s, e,
                bool(reason), reason,
            )
        )  # fmt: skip
    return result


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
        Suspension.objects.filter(allocation_id__in=[r[0] for r in rows], starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .values_list("allocation_id", flat=True)
    )
    return [Place(pk, act, ep, person, pk in suspended) for pk, act, ep, person in rows]


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


def restricted_episodes(*, episode_ids: Iterable[int], day: dt.date) -> set[int]:
    """Episodes under a restriction on company on ``day``."""
    return set(
        CompanyRestriction.objects.filter(episode_id__in=list(episode_ids), starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .values_list("episode_id", flat=True)
    )


def unit_settings(*, unit_ids: Iterable[int]) -> dict[int, UnitRegime]:
    return {u.unit_id: u for u in UnitRegime.objects.filter(unit_id__in=list(unit_ids))}


def activity_names(activity_ids: Iterable[int]) -> dict[int, str]:
    return dict(Activity.objects.filter(pk__in=list(activity_ids)).values_list("pk", "name"))
