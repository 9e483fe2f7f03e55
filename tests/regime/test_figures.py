"""Time out of cell and in company, and the activity duty, on a small estate with known day
plans: exact minutes for each person, with closures, public holidays, restrictions on company,
absences, suspended places and the register of past days. Time is frozen on Monday 2 March
2026, 10:30 in Oslo."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from normalitet.core import clock
from normalitet.custody import services as custody
from normalitet.regime import figures
from normalitet.regime.models import (
    Allocation,
    Attendance,
    Closure,
    CompanyRestriction,
    Session,
    Suspension,
    UnitRegime,
)

from ..custody.helpers import admitted
from ..factories import CellFactory
from .helpers import activity, day_plan, place

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)
FRIDAY = dt.date(2026, 2, 27)
GOOD_FRIDAY = dt.date(2026, 4, 3)
WEEKEND = (
    ("association", "09:00", "12:00", True),
    ("meal", "12:00", "13:00", True),
    ("outdoor", "13:00", "14:00", True),
    ("association", "14:00", "19:00", True),
)


def inside(
    users: dict[str, Any],
    cell: Any,
    *,
    status: str = "sentenced",
    since: dt.date = dt.date(2026, 1, 5),
    **person: Any,
) -> Any:
    """A person admitted on ``since`` (noon in Oslo) with ``status``, in ``cell``."""
    at = min(dt.datetime.combine(since, dt.time(12), tzinfo=clock.OSLO), clock.now())
    return admitted(users, cell.unit.facility, cell, legal_status=status, admitted_at=at, **person)


def restrict(episode: Any, kind: str = "court", starts_on: dt.date = dt.date(2026, 2, 1)) -> Any:
    return CompanyRestriction.objects.create(
        person_id=episode.person_id, episode=episode, kind=kind, starts_on=starts_on
    )


def mark(allocation: Any, starts: str, on: dt.date, outcome: str) -> Attendance:
    session = Session.objects.get(
        activity=allocation.activity, weekday=on.weekday(), starts=dt.time.fromisoformat(starts)
    )
    return Attendance.objects.create(
        allocation=allocation,
        session=session,
        on=on,
        person_id=allocation.person_id,
        episode=allocation.episode,
        outcome=outcome,
        recorded_at=clock.now(),
    )


@pytest.fixture
def day(estate, users, frozen):
    """Unit A: the standard weekday (6 hours unlocked) and a weekend plan (10 hours); unit B
    has no plan. Anna works in the carpentry shop (6 hours), Bjørn has no activity, Cato is
    under court-ordered isolation, Dag lives in unit B."""
    day_plan(estate.unit_a)
    day_plan(estate.unit_a, day_type="weekend", blocks=WEEKEND)
    shop = activity(estate.high)
    anna = inside(users, estate.cells_a[0], given_names="Anna", family_name="Aas")
    bjorn = inside(users, estate.cells_a[1], given_names="Bjørn", family_name="Berg")
    cato = inside(users, estate.cells_a[2], given_names="Cato", family_name="Carlsen")
    dag = inside(users, estate.cells_b[0], given_names="Dag", family_name="Dahl")
    restrict(cato)
    return {
        "shop": shop,
        "anna": anna,
        "bjorn": bjorn,
        "cato": cato,
        "dag": dag,
        "place": place(shop, anna),
    }


def _minutes(times: figures.FacilityTimes) -> dict[str, tuple[int, int]]:
    return {
        p.resident.name.split()[0]: (p.out_of_cell, p.in_company)
        for u in times.units
        for p in u.persons
    }


def _times(estate: Any, on: dt.date = TODAY) -> figures.FacilityTimes:
    return figures.facility_times(facility_id=estate.high.pk, day=on)


def test_today_from_the_unit_plans_and_the_planned_sessions(day, estate):
    times = _times(estate)
    assert _minutes(times) == {
        "Anna": (720, 720),  # 6 hours unlocked + 6 hours in the workshop
        "Bjørn": (360, 360),
        "Cato": (60, 0),  # outdoor time only, alone
        "Dag": (0, 0),  # unit B has no day plan
    }
    unit_a, unit_b = times.units
    assert (unit_a.code, unit_a.present, unit_a.locked_in_long, unit_a.below_minimum) == (
        "A",
        3,
        2,
        2,
    )
    assert (unit_a.average_out_of_cell, unit_a.average_in_company) == (380, 360)
    assert unit_a.has_plan and not unit_b.has_plan and unit_a.minimum == 480
    assert (times.present, times.locked_in_long, times.below_minimum) == (4, 3, 3)
    assert [(p.resident.name, p.short_by) for p in times.below] == [
        ("Dag Dahl", 480),
        ("Cato Carlsen", 420),
        ("Bjørn Berg", 120),
    ]
    assert times.locked_in_hours == 16 and "Ombudsman" in times.source


def test_the_unit_minimum_replaces_the_service_standard(day, estate):
    UnitRegime.objects.create(unit=estate.unit_a, minimum_out_of_cell_minutes=300)
    times = _times(estate)
    assert [p.resident.name for p in times.below] == ["Dag Dahl", "Cato Carlsen"]
    assert times.units[0].minimum == 300 and times.units[1].minimum == 480


def test_a_past_day_counts_only_attended_sessions(day, estate):
    assert _minutes(_times(estate, FRIDAY))["Anna"] == (360, 360)  # no register taken
    mark(day["place"], "08:30", FRIDAY, "attended")
    mark(day["place"], "12:00", FRIDAY, "sick")
    assert _minutes(_times(estate, FRIDAY))["Anna"] == (540, 540)


def test_today_the_register_saying_away_takes_the_session_off(day, estate):
    mark(day["place"], "08:30", TODAY, "legal_visit")
    mark(day["place"], "12:00", TODAY, "late")
    assert _minutes(_times(estate))["Anna"] == (540, 540)
    # tomorrow the planned sessions count
    assert _minutes(_times(estate, TODAY + dt.timedelta(days=1)))["Anna"] == (720, 720)


def test_a_suspended_place_does_not_count(day, estate):
    Allocation.objects.filter(pk=day["place"].pk).update(status="suspended")
    Suspension.objects.create(allocation=day["place"], starts_on=TODAY, reason="health")
    assert _minutes(_times(estate))["Anna"] == (360, 360)


def test_a_unit_closure_leaves_outdoor_time_alone(day, estate, users):
    Closure.objects.create(
        facility=estate.high, unit=estate.unit_a, starts_on=TODAY, ends_on=TODAY, reason="Lockdown"
    )
    times = _times(estate)
    assert _minutes(times)["Anna"] == (60, 0) and _minutes(times)["Bjørn"] == (60, 0)
    assert times.units[0].closed == "Lockdown" and times.units[1].closed == ""
    assert _minutes(_times(estate, TODAY + dt.timedelta(days=1)))["Anna"] == (720, 720)


def test_a_facility_closure_closes_every_unit(day, estate):
    Closure.objects.create(
        facility=estate.high, starts_on=TODAY, ends_on=TODAY, reason="Personalmangel"
    )
    times = _times(estate)
    assert [u.closed for u in times.units] == ["Personalmangel", "Personalmangel"]
    assert _minutes(times)["Anna"] == (60, 0)


def test_a_public_holiday_follows_the_weekend_plan(day, estate, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 30, 8, tzinfo=dt.UTC), tick=False)
    minutes = _minutes(_times(estate, GOOD_FRIDAY))
    assert minutes["Anna"] == (600, 600)  # the workshop does not run on Good Friday
    assert minutes["Bjørn"] == (600, 600)
    assert minutes["Cato"] == (60, 0)


def test_an_activity_running_on_holidays_counts(day, estate):
    day["shop"].runs_on_holidays = True
    day["shop"].save()
    # Good Friday is ahead: the planned sessions count; overlaps with the weekend plan (09:00 to
    # 19:00 unlocked) count once, so the workshop adds 08:30-09:00
    assert _minutes(_times(estate, GOOD_FRIDAY))["Anna"] == (630, 630)


def test_an_exclusion_ends_and_company_returns(day, estate):
    restriction = CompanyRestriction.objects.get(episode=day["cato"])
    restriction.ends_on = TODAY - dt.timedelta(days=1)
    restriction.save()
    assert _minutes(_times(estate))["Cato"] == (360, 360)


def test_a_person_away_is_counted_apart(day, estate, users):
    custody.absence_start(
        actor=users["case_manager"], episode=day["bjorn"], kind="court", expected_back=None
    )
    times = _times(estate)
    assert "Bjørn" not in _minutes(times)
    assert (times.units[0].away, times.away, times.present) == (1, 1, 3)
    # a past day before he left: he was there
    assert _minutes(_times(estate, FRIDAY))["Bjørn"] == (360, 360)


def test_persons_who_arrived_later_are_not_on_a_past_day(day, estate, users):
    inside(users, estate.cells_b[1], since=TODAY, given_names="Ny")
    assert "Ny" in _minutes(_times(estate))
    assert "Ny" not in _minutes(_times(estate, FRIDAY))


def test_the_cost_does_not_grow_with_persons(day, estate, users, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        _times(estate)
    more = [CellFactory(unit=estate.unit_b, code=f"X{i}") for i in range(4)]
    for i, cell in enumerate(more):
        ep = inside(users, cell, given_names=f"Ekstra{i}")
        place(day["shop"], ep)
        if i % 2:
            restrict(ep)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert _times(estate).present == 8


# --- The activity duty -------------------------------------------------------------------------


@pytest.fixture
def duty(day, estate, users):
    """Besides the day: Dag arrived a week ago (reception), Eva is on remand, Frode's place is
    suspended for health, Geir was dismissed last week, Hilde has nothing, Bjørn waits for the
    shop, Cato is isolated."""
    b = estate.unit_b
    cells = [CellFactory(unit=b, code=f"D{i}") for i in range(4)]
    dag = day["dag"]
    dag.arrived_at = dt.datetime(2026, 2, 23, 12, tzinfo=dt.UTC)
    dag.save()
    eva = inside(users, estate.cells_b[1], status="remand", given_names="Eva", family_name="Ek")
    frode = inside(users, cells[0], given_names="Frode", family_name="Fjell")
    geir = inside(users, cells[1], given_names="Geir", family_name="Gran")
    inside(users, cells[2], given_names="Hilde", family_name="Hauge")
    laundry = activity(estate.high, "Vaskeriet", category="laundry")
    suspended = place(laundry, frode, status="suspended")
    Suspension.objects.create(allocation=suspended, starts_on=dt.date(2026, 2, 20), reason="health")
    ended = place(laundry, geir)
    Allocation.objects.filter(pk=ended.pk).update(
        status="ended", ended_on=dt.date(2026, 2, 24), end_reason="dismissed"
    )
    place(day["shop"], day["bjorn"], status="requested")
    gym = activity(estate.high, "Treningsrommet", category="gym")
    place(gym, eva)  # leisure does not meet the duty
    return {"eva": eva}


def test_the_activity_duty_and_why_persons_have_none(duty, estate):
    d = figures.facility_duty(facility_id=estate.high.pk, day=TODAY)
    assert [r.resident.name for r in d.in_activity] == ["Anna Aas"]
    assert d.in_activity[0].activities == ("Snekkerverkstedet",)
    reasons = {r.resident.name: (r.reason, r.detail, r.since) for r in d.without}
    assert reasons == {
        "Bjørn Berg": ("waiting", "requested", dt.date(2026, 1, 5)),
        "Cato Carlsen": ("restricted", "court", dt.date(2026, 2, 1)),
        "Dag Dahl": ("reception", "", dt.date(2026, 2, 23)),
        "Frode Fjell": ("suspended", "health", dt.date(2026, 2, 20)),
        "Geir Gran": ("ended", "dismissed", dt.date(2026, 2, 24)),
        "Hilde Hauge": ("none", "", None),
    }
    assert [r.resident.name for r in d.remand] == ["Eva Ek"] and d.remand_in_activity == 0
    # seven convicted; Dag in reception is not counted: 1 of 6
    assert (len(d.convicted), d.counted, d.share) == (7, 6, 17)
    counts = {code: n for code, _label, n in d.reason_counts()}
    assert counts == {
        "reception": 1,
        "suspended": 1,
        "restricted": 1,
        "waiting": 1,
        "ended": 1,
        "none": 1,
    }
    frode = next(r for r in d.without if r.reason == "suspended")
    assert (frode.reason_label, frode.detail_label) == ("Place suspended", "Health")


def test_reception_ends_after_fourteen_days_and_an_old_ending_is_no_reason(duty, estate):
    later = figures.facility_duty(facility_id=estate.high.pk, day=dt.date(2026, 3, 30))
    reasons = {r.resident.name: r.reason for r in later.without}
    assert reasons["Dag Dahl"] == "none" and reasons["Geir Gran"] == "none"


def test_the_overview_for_the_region(duty, estate, users):
    inside(users, estate.lower_cells[0], given_names="Lise")
    rows = figures.overview(facility_ids=[estate.high.pk, estate.lower.pk], day=TODAY)
    assert [(r.name, r.present, r.convicted, r.in_activity, r.share, r.remand) for r in rows] == [
        ("Fjellvik fengsel", 8, 7, 1, 17, 1),
        ("Lyngmo fengsel", 1, 1, 0, 0, 0),
    ]
    high = rows[0]
    assert (high.locked_in_long, high.below_minimum) == (7, 7)
    assert figures.overview(facility_ids=[], day=TODAY) == []


def test_an_empty_unit_shows_its_plan_and_minimum(estate, frozen):
    day_plan(estate.lower_unit)
    UnitRegime.objects.create(unit=estate.lower_unit, minimum_out_of_cell_minutes=300)
    times = figures.facility_times(facility_id=estate.lower.pk, day=TODAY)
    (unit,) = times.units
    assert (unit.has_plan, unit.minimum, unit.present, unit.average_out_of_cell) == (
        True,
        300,
        0,
        None,
    )
    assert (times.present, times.below, times.average_out_hm) == (0, [], "–")
