"""Shared builders for the regime's tests: activities with weekly sessions, places in them, and
a unit day plan. They write the rows directly; the services are tested where they are used."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.test import Client

from normalitet.regime.models import (
    CATEGORY_KIND,
    Activity,
    Allocation,
    AllocationStatus,
    DayPlan,
    DayPlanBlock,
    Session,
)

WEEKDAYS = (0, 1, 2, 3, 4)


def activity(
    facility: Any,
    name: str = "Snekkerverkstedet",
    *,
    category: str = "carpentry",
    capacity: int = 8,
    days: tuple[int, ...] = WEEKDAYS,
    times: tuple[tuple[str, str], ...] = (("08:30", "11:30"), ("12:00", "15:00")),
    valid_from: dt.date = dt.date(2025, 1, 1),
    **fields: Any,
) -> Activity:
    """An activity with the given sessions on each of ``days``."""
    fields.setdefault("place", "Verkstedbygget")
    fields.setdefault("meets_activity_duty", CATEGORY_KIND[category] != "leisure")
    act = Activity.objects.create(
        facility=facility,
        name=name,
        category=category,
        kind=CATEGORY_KIND[category],
        capacity=capacity,
        **fields,
    )
    for day in days:
        for starts, ends in times:
            Session.objects.create(
                activity=act,
                weekday=day,
                starts=dt.time.fromisoformat(starts),
                ends=dt.time.fromisoformat(ends),
                valid_from=valid_from,
            )
    return act


def place(
    act: Activity,
    episode: Any,
    *,
    starts_on: dt.date = dt.date(2026, 1, 5),
    status: str = AllocationStatus.ALLOCATED,
) -> Allocation:
    """A place held in ``act`` from ``starts_on``."""
    return Allocation.objects.create(
        activity=act,
        person_id=episode.person_id,
        episode=episode,
        status=status,
        requested_on=starts_on,
        decided_on=starts_on,
        starts_on=starts_on if status in (AllocationStatus.ALLOCATED, "suspended") else None,
    )


STANDARD_WEEKDAY = (
    ("association", "07:30", "08:15", True),
    ("activities", "08:30", "15:00", True),
    ("meal", "15:15", "16:00", True),
    ("outdoor", "16:00", "17:00", True),
    ("association", "17:00", "20:30", True),
    ("locked", "20:30", "07:30", False),
)


def day_plan(
    unit: Any,
    *,
    day_type: str = "weekday",
    blocks: tuple[tuple[str, str, str, bool], ...] = STANDARD_WEEKDAY,
    valid_from: dt.date = dt.date(2025, 1, 1),
) -> DayPlan:
    """A unit day plan; a block ending before it starts (the night) is left out."""
    plan = DayPlan.objects.create(unit=unit, day_type=day_type, valid_from=valid_from)
    for kind, starts, ends, company in blocks:
        s, e = dt.time.fromisoformat(starts), dt.time.fromisoformat(ends)
        if e > s:
            DayPlanBlock.objects.create(plan=plan, kind=kind, starts=s, ends=e, in_company=company)
    return plan


def client_for(user: Any) -> Client:
    """A test client logged in as ``user``."""
    c = Client()
    c.force_login(user)
    return c


def post_json(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")
