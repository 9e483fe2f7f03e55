"""A day at a 400-place facility (issue 5): the time-out-of-cell figures, the activity duty and
the unit lists are right at that size and take a fixed number of queries (the time they take is
measured in bench/bench_regime.py, not here).
The facility is built in bulk: 20 units of 20 persons, 12 activities with 320 places, a day
plan per unit and the register of the Friday before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from normalitet.core import clock
from normalitet.custody.models import CustodyEpisode
from normalitet.estate.models import Unit
from normalitet.people.models import Person
from normalitet.regime import figures, schedule
from normalitet.regime.models import Allocation, Attendance, CompanyRestriction, Session

from ..factories import FacilityFactory
from .helpers import activity, day_plan

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)
FRIDAY = dt.date(2026, 2, 27)
CATEGORIES = ("carpentry", "laundry", "kitchen", "upper_secondary", "assembly", "cleaning")


@pytest.fixture
def big(estate, frozen):
    facility = FacilityFactory(region=estate.region, code="BIG", name="Storby fengsel")
    units = Unit.objects.bulk_create(
        Unit(facility=facility, code=f"U{i:02d}", name=f"Avdeling {i}", security_level="high")
        for i in range(20)
    )
    persons = Person.objects.bulk_create(
        Person(
            person_number=f"P{i:07d}",
            given_names=f"Person{i}",
            family_name="Nordmann",
            search_name=f"person{i} nordmann",
            birth_date=dt.date(1990, 1, 1),
            gender="male",
        )
        for i in range(400)
    )
    arrived = dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)
    episodes = CustodyEpisode.objects.bulk_create(
        CustodyEpisode(
            person=p,
            legal_status="remand" if i % 5 == 0 else "sentenced",
            admitted_at=arrived,
            arrived_at=arrived,
            facility=facility,
            unit=units[i // 20],
        )
        for i, p in enumerate(persons)
    )
    for unit in units:
        day_plan(unit)
    acts = [
        activity(facility, f"Aktivitet {i}", category=CATEGORIES[i % 6], capacity=30)
        for i in range(12)
    ]
    allocations = Allocation.objects.bulk_create(
        Allocation(
            activity=acts[i % 12],
            person_id=ep.person_id,
            episode=ep,
            status="allocated",
            requested_on=dt.date(2026, 1, 5),
            starts_on=dt.date(2026, 1, 5),
        )
        for i, ep in enumerate(episodes[:320])
    )
    CompanyRestriction.objects.bulk_create(
        CompanyRestriction(
            person_id=ep.person_id, episode=ep, kind="court", starts_on=dt.date(2026, 2, 1)
        )
        for ep in episodes[::40]
    )
    sessions = {
        (s.activity_id, s.starts): s for s in Session.objects.filter(weekday=FRIDAY.weekday())
    }
    Attendance.objects.bulk_create(
        Attendance(
            allocation=a,
            session=sessions[(a.activity_id, starts)],
            on=FRIDAY,
            person_id=a.person_id,
            episode=a.episode,
            outcome="attended" if a.pk % 7 else "sick",
            recorded_at=clock.now(),
        )
        for a in allocations
        for starts in (dt.time(8, 30), dt.time(12))
    )
    return facility, units


def _fast(fn: Callable[[], Any]) -> tuple[Any, int]:
    """The result and the number of queries it took."""
    with CaptureQueriesContext(connection) as queries:
        result = fn()
    return result, len(queries.captured_queries)


def test_time_out_of_cell_of_a_400_place_facility(big):
    facility, _units = big
    result, queries = _fast(lambda: figures.facility_times(facility_id=facility.pk, day=TODAY))
    assert result.present == 400 and len(result.units) == 20
    assert result.locked_in_long == 80 + 8  # without an activity, and isolated with one
    assert queries <= 15
    past, _ = _fast(lambda: figures.facility_times(facility_id=facility.pk, day=FRIDAY))
    assert past.average_out_of_cell is not None and past.average_out_of_cell < 720


def test_activity_duty_of_a_400_place_facility(big):
    facility, _units = big
    result, queries = _fast(lambda: figures.facility_duty(facility_id=facility.pk, day=TODAY))
    assert len(result.convicted) == 320 and len(result.in_activity) == 256
    assert queries <= 12


def test_a_unit_list_of_a_400_place_facility(big):
    _facility, units = big
    result, queries = _fast(lambda: schedule.unit_day(unit=units[3], day=TODAY))
    assert len(result.rows) == 20 and len(result.going) == 24
    assert queries <= 12


def test_every_unit_list_and_the_figures_in_one_read(big):
    facility, _units = big
    (lists, tally), queries = _fast(lambda: schedule.unit_days(facility_id=facility.pk, day=TODAY))
    assert len(lists) == 20 and sum(len(u.rows) for u in lists) == 400
    assert tally.present == 400 and tally.locked_in_long == 80 + 8
    assert queries <= 15
