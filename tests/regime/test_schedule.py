"""Schedules: the unit's list for the day (who goes where, when), a person's week with public
holidays and closures marked, and an activity's list with suspended places, restrictions and
the register's marks. Time is frozen on Monday 2 March 2026."""

from __future__ import annotations

import datetime as dt

import pytest

from normalitet.custody import services as custody
from normalitet.regime import schedule
from normalitet.regime.models import Allocation, Closure, SessionCancellation, Suspension

from .helpers import activity, day_plan, place
from .test_figures import WEEKEND, inside, mark, restrict

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def unit(estate, users, frozen):
    """Unit A: Anna in the carpentry shop and at school on Monday afternoons (cancelled
    today), Bjørn in the laundry (suspended), Cato isolated, Dag at court."""
    day_plan(estate.unit_a)
    day_plan(estate.unit_a, day_type="weekend", blocks=WEEKEND)
    shop = activity(estate.high, times=(("08:30", "11:30"),))
    laundry = activity(estate.high, "Vaskeriet", category="laundry", times=(("08:00", "11:00"),))
    school = activity(
        estate.high, "Skolen", category="upper_secondary", days=(0,), times=(("12:30", "14:30"),),
        place="Skolebygget",
    )  # fmt: skip
    anna = inside(users, estate.cells_a[0], given_names="Anna", family_name="Aas")
    bjorn = inside(users, estate.cells_a[1], given_names="Bjørn", family_name="Berg")
    cato = inside(users, estate.cells_a[2], given_names="Cato", family_name="Carlsen")
    dag = inside(users, estate.cells_b[0], given_names="Dag", family_name="Dahl")
    restrict(cato)
    shop_place = place(shop, anna)
    place(school, anna)
    place(shop, dag)
    suspended = place(laundry, bjorn, status="suspended")
    Suspension.objects.create(allocation=suspended, starts_on=dt.date(2026, 2, 1), reason="health")
    SessionCancellation.objects.create(
        session=school.sessions.get(), on=TODAY, reason="Læreren er syk"
    )
    return {"shop": shop, "school": school, "laundry": laundry, "anna": anna, "bjorn": bjorn,
            "cato": cato, "dag": dag, "shop_place": shop_place}  # fmt: skip


def test_the_unit_list_for_the_day(unit, estate):
    day = schedule.unit_day(unit=estate.unit_a, day=TODAY)
    assert day.info.has_plan and day.info.day_type == "weekday" and day.info.closure == ""
    assert [b.starts for b in day.info.blocks] == ["07:30", "08:30", "15:15", "16:00", "17:00"]
    assert [r.resident.name for r in day.rows] == ["Anna Aas", "Bjørn Berg", "Cato Carlsen"]
    going = [
        (g.occurrence.activity_name, f"{g.occurrence.starts:%H:%M}", g.occurrence.cancelled,
         [p.name for p in g.persons])
        for g in day.going
    ]  # fmt: skip
    assert going == [
        ("Snekkerverkstedet", "08:30", False, ["Anna Aas"]),
        ("Skolen", "12:30", True, ["Anna Aas"]),
    ]
    assert day.going[1].occurrence.cancel_reason == "Læreren er syk"
    anna, bjorn, cato = day.rows
    assert anna.time is not None and anna.time.out_of_cell == 360 + 180
    assert [t.suspended for t in bjorn.takings] == [True] and bjorn.going == []
    assert cato.restriction == "court" and cato.time is not None and cato.time.out_of_cell == 60
    assert [r.resident.name for r in day.staying] == ["Bjørn Berg", "Cato Carlsen"]


def test_a_person_away_is_listed_but_goes_nowhere(unit, estate, users):
    custody.absence_start(
        actor=users["case_manager"], episode=unit["anna"], kind="court", expected_back=None
    )
    day = schedule.unit_day(unit=estate.unit_a, day=TODAY)
    anna = day.rows[0]
    assert anna.resident.away and anna.time is None and day.going == []


def test_a_unit_without_a_plan_and_a_closed_unit(unit, estate, users):
    Closure.objects.create(
        facility=estate.high, unit=estate.unit_b, starts_on=TODAY, ends_on=TODAY, reason="Ransaking"
    )
    day = schedule.unit_day(unit=estate.unit_b, day=TODAY)
    assert not day.info.has_plan and day.info.closure == "Ransaking"
    dag = day.rows[0]
    assert dag.time is not None and dag.time.out_of_cell == 0


def test_the_person_s_week_with_a_holiday_and_a_closure(unit, estate, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 30, 8, tzinfo=dt.UTC), tick=False)
    Closure.objects.create(
        facility=estate.high, unit=estate.unit_a, starts_on=dt.date(2026, 3, 31),
        ends_on=dt.date(2026, 3, 31), reason="Streik",
    )  # fmt: skip
    week = schedule.person_week(episode=unit["anna"], day=dt.date(2026, 4, 1))
    assert [d.info.day for d in week][0] == dt.date(2026, 3, 30)
    monday, tuesday, _wed, thursday, friday, saturday, _sun = week
    assert [(e.starts, e.what) for e in monday.entries] == [
        ("07:30", "Unlocked, in company (fellesskap)"),
        ("08:30", "Snekkerverkstedet"),
        ("12:30", "Skolen"),
        ("15:15", "Meal"),
        ("16:00", "Outdoor time"),
        ("17:00", "Unlocked, in company (fellesskap)"),
    ]
    assert monday.entries[2].where == "Skolebygget"
    assert tuesday.info.closure == "Streik"
    assert [(e.what, e.cancelled) for e in tuesday.entries] == [
        ("Snekkerverkstedet", "Streik"),
        ("Outdoor time, alone", ""),
    ]
    # the page's language names the holiday; the cancellation keeps the Norwegian name
    assert thursday.info.holiday == "Maundy Thursday" and thursday.info.day_type == "weekend"
    assert [e.cancelled for e in thursday.entries if e.session] == ["Public holiday: Skjærtorsdag"]
    assert friday.info.holiday == "Good Friday"
    assert saturday.row is not None and [e.starts for e in saturday.entries] == [
        "09:00",
        "12:00",
        "13:00",
        "14:00",
    ]


def test_before_arrival_the_person_is_not_in_the_week(unit, estate, users):
    newcomer = inside(users, estate.cells_b[1], since=TODAY, given_names="Ny")
    week = schedule.person_week(episode=newcomer, day=dt.date(2026, 2, 27))
    assert [d.row for d in week] == [None] * 7
    this_week = schedule.person_week(episode=newcomer, day=TODAY)
    assert this_week[0].row is not None and this_week[0].entries == []  # unit B: no plan


def test_the_activity_list(unit, estate, users):
    shop = unit["shop"]
    mark(unit["shop_place"], "08:30", TODAY, "attended")
    day = schedule.activity_day(activity=shop, day=TODAY)
    (occurrence, persons), = day.sessions  # fmt: skip
    assert f"{occurrence.starts:%H:%M}" == "08:30" and not occurrence.cancelled
    assert [(p.resident.name, p.resident.unit_name, p.outcome_label) for p in persons] == [
        ("Anna Aas", "Avdeling A", "Attended"),
        ("Dag Dahl", "Avdeling B", ""),
    ]
    laundry = schedule.activity_day(activity=unit["laundry"], day=TODAY)
    assert [(p.resident.name, p.suspended) for p in laundry.sessions[0][1]] == [
        ("Bjørn Berg", True)
    ]
    saturday = schedule.activity_day(activity=shop, day=dt.date(2026, 3, 7))
    assert saturday.sessions == []
    Allocation.objects.filter(pk=unit["shop_place"].pk).update(
        status="ended", ended_on=TODAY, end_reason="completed"
    )
    persons = schedule.activity_day(activity=shop, day=TODAY).sessions[0][1]
    assert [p.resident.name for p in persons] == ["Dag Dahl"]
