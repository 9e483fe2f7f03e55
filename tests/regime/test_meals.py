"""Diets, the kitchen's meal numbers and faith through the services: diets say what to serve and
never overlap; meal numbers are exact per unit and diet on a small estate, in four queries;
faith services and clergy visits are counted per community. Time is frozen at Monday 2 March
2026, 10:30 in Oslo."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from normalitet.audit.models import AuditEvent
from normalitet.core import clock
from normalitet.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from normalitet.custody import services as custody
from normalitet.custody.models import CustodyEpisode
from normalitet.regime import meals
from normalitet.regime.models import (
    ClergyVisit,
    Closure,
    DietRequirement,
    SessionCancellation,
    UnitRegime,
)

from ..custody.helpers import admitted
from ..factories import CellFactory, UnitFactory, UserFactory
from .helpers import activity, place

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)
TOMORROW = TODAY + dt.timedelta(days=1)
NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def oslo(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clock.OSLO)


def changes() -> int:
    return AuditEvent.objects.filter(kind="change").count()


def diet(episode, kind, detail="", starts_on=dt.date(2026, 1, 1), ends_on=None):
    return DietRequirement.objects.create(
        person_id=episode.person_id, kind=kind, detail=detail, starts_on=starts_on, ends_on=ends_on
    )


@pytest.fixture
def anna(estate, users, frozen):
    return admitted(users, estate.high, estate.cells_a[0], given_names="Anna")


def add(users, episode, actor="contact_officer", **kw):
    args = {"kind": "halal", "starts_on": TODAY, **kw}
    return meals.diet_add(actor=users[actor], episode=episode, **args)


# --- Diets -------------------------------------------------------------------------------------


def test_contact_officer_records_a_diet(anna, users):
    d = add(users, anna, kind="allergy", detail=" nøtter og mandler ")
    assert (d.person_id, d.kind, d.detail, d.starts_on, d.ends_on, d.recorded_by) == (
        anna.person_id,
        "allergy",
        "nøtter og mandler",
        TODAY,
        None,
        users["contact_officer"],
    )
    event = AuditEvent.objects.get(action="regime.diet_added")
    assert event.data == {"kind": "allergy", "starts_on": "2026-03-02", "ends_on": None}


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"kind": "paleo"}, "kind"),
        ({"kind": "allergy"}, "detail"),
        ({"kind": "medical", "detail": "  "}, "detail"),
        ({"kind": "medical", "detail": "Diabeteskost"}, "detail"),
        ({"kind": "medical", "detail": "pga. cøliaki"}, "detail"),
        ({"ends_on": TODAY - dt.timedelta(days=1)}, "ends_on"),
        ({"kind": "vegan", "detail": "x" * 161}, "detail"),
    ],
)
def test_bad_diets_change_nothing(anna, users, kw, field):
    before = changes()
    with pytest.raises(DomainError) as err:
        add(users, anna, **kw)
    assert err.value.field == field
    assert not DietRequirement.objects.exists() and changes() == before


def test_the_same_diet_may_not_overlap(anna, users):
    diet(anna, "fasting", starts_on=dt.date(2026, 2, 18), ends_on=dt.date(2026, 3, 19))
    with pytest.raises(Conflict):
        add(users, anna, kind="fasting", starts_on=dt.date(2026, 3, 19))
    assert DietRequirement.objects.count() == 1
    add(users, anna, kind="fasting", starts_on=dt.date(2026, 3, 20), ends_on=dt.date(2026, 3, 25))
    add(users, anna, kind="medical", detail="glutenfri")
    with pytest.raises(Conflict):
        add(users, anna, kind="fasting", starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 1))
    assert DietRequirement.objects.count() == 3


def test_who_may_record_a_diet(anna, users, estate):
    with pytest.raises(PermissionDenied):
        add(users, anna, actor="officer")
    with pytest.raises(PermissionDenied):
        add(users, anna, actor="teacher")
    in_b = admitted(users, estate.high, estate.cells_b[0])
    with pytest.raises(NotFound):
        add(users, in_b)  # not in the contact officer's caseload
    assert not DietRequirement.objects.exists()
    assert add(users, in_b, actor="case_manager").person_id == in_b.person_id


def test_ending_a_diet(anna, users):
    d = add(users, anna, kind="vegetarian", starts_on=dt.date(2026, 2, 1))
    before = changes()
    with pytest.raises(DomainError) as err:
        meals.diet_end(actor=users["contact_officer"], diet=d, ends_on=dt.date(2026, 1, 31))
    assert err.value.field == "ends_on"
    with pytest.raises(PermissionDenied):
        meals.diet_end(actor=users["officer"], diet=d, ends_on=TODAY)
    assert changes() == before
    d = meals.diet_end(actor=users["contact_officer"], diet=d, ends_on=TOMORROW)
    assert d.ends_on == TOMORROW
    with pytest.raises(DomainError):  # ending later than it ends already
        meals.diet_end(actor=users["contact_officer"], diet=d, ends_on=TOMORROW.replace(day=9))
    d = meals.diet_end(actor=users["contact_officer"], diet=d, ends_on=dt.date(2026, 2, 27))
    with pytest.raises(Conflict):
        meals.diet_end(actor=users["contact_officer"], diet=d, ends_on=dt.date(2026, 2, 27))
    assert AuditEvent.objects.filter(action="regime.diet_ended").count() == 2
    current, ended = meals.person_diets(person_id=anna.person_id, today=TODAY)
    assert (current, [x.pk for x in ended]) == ([], [d.pk])


# --- Meal numbers ------------------------------------------------------------------------------


@pytest.fixture
def kitchen(estate, users, frozen):
    """Three persons in unit A, four in unit B (one away until tomorrow), one in a self-catering
    unit, one not yet placed, and one in another facility."""
    cm = users["case_manager"]
    unit_c = UnitFactory(facility=estate.high, code="C", name="Kollektivet")
    UnitRegime.objects.create(unit=unit_c, self_catering=True)
    extra_b = CellFactory(unit=estate.unit_b, code="B3")
    a = [admitted(users, estate.high, c) for c in estate.cells_a]
    b = [admitted(users, estate.high, c) for c in [*estate.cells_b, extra_b]]
    b.append(admitted(users, estate.high, CellFactory(unit=estate.unit_b, code="B4")))
    admitted(users, estate.high, CellFactory(unit=unit_c, code="C1"))
    admitted(users, estate.high)  # arrived, no cell yet
    admitted(users, estate.lower, estate.lower_cells[0])
    diet(a[0], "halal")
    diet(a[0], "allergy", "nøtter")
    diet(a[1], "vegetarian")
    CustodyEpisode.objects.filter(pk=a[2].pk).update(expected_release_date=TODAY)
    diet(b[0], "halal")
    diet(b[0], "vegan", ends_on=TODAY - dt.timedelta(days=1))
    custody.absence_start(actor=cm, episode=b[1], kind="hospital", expected_back=oslo(TOMORROW, 10))
    custody.absence_start(actor=cm, episode=b[2], kind="court", expected_back=oslo(TODAY, 15))
    diet(b[2], "medical", "glutenfri")
    diet(b[3], "vegan", starts_on=TOMORROW)
    return estate


def _row(row):
    return (row.name, row.present, row.ordinary, dict(+row.diets))


def test_meal_numbers_per_unit_and_diet(kitchen, django_assert_num_queries):
    with django_assert_num_queries(4):
        n = meals.meal_numbers(facility=kitchen.high, day=TODAY)
    assert [_row(r) for r in n.catered] == [
        ("Avdeling A", 3, 1, {"halal": 1, "allergy": 1, "vegetarian": 1}),
        ("Avdeling B", 3, 1, {"halal": 1, "medical": 1}),
        ("Not yet placed in a unit", 1, 1, {}),
    ]
    assert _row(n.total) == (
        "Total",
        7,
        3,
        {"halal": 2, "allergy": 1, "vegetarian": 1, "medical": 1},
    )
    assert n.total.diet_counts() == [2, 0, 0, 1, 0, 1, 1, 0]
    assert n.catered[0].detail_lines() == [("Allergy", "nøtter", 1)]
    assert [(r.name, r.present, r.food_money) for r in n.self_catering] == [
        ("Kollektivet", 1, "kr\u00a0122,00")
    ]
    assert (n.self_catering_total.present, n.food_rate) == (1, "kr\u00a0122,00")


def test_tomorrow_the_person_leaving_is_gone_and_the_one_in_hospital_is_back(kitchen):
    n = meals.meal_numbers(facility=kitchen.high, day=TOMORROW)
    assert [_row(r) for r in n.catered[:2]] == [
        ("Avdeling A", 2, 0, {"halal": 1, "allergy": 1, "vegetarian": 1}),
        ("Avdeling B", 4, 1, {"halal": 1, "medical": 1, "vegan": 1}),
    ]


@pytest.mark.parametrize("value", ["2026-03-01", "2026-03-17", "2. mars", "2026-02-30"])
def test_meal_days_are_today_and_two_weeks_ahead(value):
    with pytest.raises(DomainError) as err:
        meals.meal_day(value, TODAY)
    assert err.value.field == "date"
    assert meals.meal_day("", TODAY) == TODAY
    assert meals.meal_day("2026-03-16", TODAY) == dt.date(2026, 3, 16)


# --- Faith -------------------------------------------------------------------------------------


def visit(users, actor="contact_officer", **kw):
    args = {
        "community": "Den norske kirke",
        "visitor_name": "Fengselsprest Kari Lie",
        "external": False,
        "starts_at": oslo(dt.date(2026, 2, 25), 13),
        "minutes": 45,
        **kw,
    }
    return meals.clergy_visit_add(actor=users[actor], **args)


def test_a_pastoral_visit_is_recorded_for_a_person_in_the_caseload(anna, users, estate):
    v = visit(users, person_id=anna.person_id, note="Samtale etter dødsfall i familien")
    assert (v.facility_id, v.person_id, v.external, v.minutes) == (
        estate.high.pk,
        anna.person_id,
        False,
        45,
    )
    event = AuditEvent.objects.get(action="regime.clergy_visit_added")
    assert event.person_id == anna.person_id
    assert set(event.data) == {"external", "starts_at", "minutes"}
    naive = visit(users, starts_at=dt.datetime(2026, 3, 2, 9, 0))  # noqa: DTZ001
    assert naive.starts_at == oslo(TODAY, 9)


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"community": " "}, "community"),
        ({"visitor_name": ""}, "visitor_name"),
        ({"starts_at": oslo(TODAY, 12)}, "starts_at"),
        ({"minutes": 0}, "minutes"),
        ({"minutes": 600}, "minutes"),
        ({"person_id": -1}, "person_id"),
    ],
)
def test_bad_visits_change_nothing(anna, users, kw, field):
    before = changes()
    with pytest.raises(DomainError) as err:
        visit(users, **kw)
    assert err.value.field == field
    assert not ClergyVisit.objects.exists() and changes() == before


def test_who_may_record_a_visit(anna, users, estate):
    in_b = admitted(users, estate.high, estate.cells_b[0])
    with pytest.raises(DomainError) as err:
        visit(users, person_id=in_b.person_id)
    assert err.value.field == "person_id"
    with pytest.raises(PermissionDenied):
        visit(users, actor="officer")  # sees the faith page, does not record
    for actor in ("teacher", "regional", "health"):
        with pytest.raises(NotFound):
            visit(users, actor=actor)
    assert not ClergyVisit.objects.exists()


@pytest.fixture
def chapel(estate, users, anna):
    """Sunday service and Friday prayers in the last four weeks (one Friday cancelled, one
    Sunday closed), the open quiet room on Mondays, a mass that has not started yet though one
    person waits for it, and four visits."""
    church = activity(
        estate.high, "Gudstjeneste", category="chapel", days=(6,), times=(("11:00", "12:00"),),
        community="Den norske kirke",
    )  # fmt: skip
    prayers = activity(
        estate.high, "Fredagsbønn", category="chapel", days=(4,), times=(("12:30", "13:30"),),
        community="Islam",
    )  # fmt: skip
    SessionCancellation.objects.create(
        session=prayers.sessions.get(), on=dt.date(2026, 2, 13), reason="Imamen syk"
    )
    mass = activity(
        estate.high, "Messe", category="chapel", days=(5,), times=(("10:00", "11:00"),),
        community="Den katolske kirke", valid_from=dt.date(2026, 4, 1),
    )  # fmt: skip
    activity(estate.high, "Stillerommet", category="chapel", days=(0,), times=(("18:00", "19:00"),))
    Closure.objects.create(
        facility=estate.high, starts_on=dt.date(2026, 2, 22), ends_on=dt.date(2026, 2, 22),
        reason="Lockdown",
    )  # fmt: skip
    place(church, anna)
    place(prayers, anna)
    place(mass, anna, status="requested")
    visit(users, person_id=anna.person_id)
    visit(users, community="islam", visitor_name="Imam Ali", external=True,
          starts_at=oslo(dt.date(2026, 2, 20), 14), person_id=None)  # fmt: skip
    visit(users, community="Buddhistforbundet", visitor_name="Lama Tenzin", external=True,
          starts_at=oslo(dt.date(2026, 2, 10), 14), minutes=90)  # fmt: skip
    visit(users, starts_at=oslo(dt.date(2026, 2, 2), 14))  # before the four weeks
    return estate


def test_faith_services_and_visits_side_by_side(chapel, users):
    o = meals.faith_overview(actor=users["contact_officer"], facility=chapel.high, now=NOW)
    assert (o.since, o.until) == (dt.date(2026, 2, 3), TODAY)
    rows = [
        (c.name, c.services, c.sessions_held, c.group_visits, c.pastoral_visits, c.taking_part)
        for c in o.communities
    ]
    assert rows == [
        ("Buddhistforbundet", [], 0, 1, 0, 0),
        ("Den katolske kirke", ["Messe"], 0, 0, 0, 1),
        ("Den norske kirke", ["Gudstjeneste"], 3, 0, 1, 1),
        ("Islam", ["Fredagsbønn"], 3, 1, 0, 1),
        ("Open to all communities", ["Stillerommet"], 3, 0, 0, 0),  # not tonight's yet
    ]
    assert [c.name for c in o.communities if c.without_access] == ["Den katolske kirke"]
    assert [v.visitor_name for v, _p in o.visits] == [
        "Fengselsprest Kari Lie",
        "Imam Ali",
        "Lama Tenzin",
    ]
    assert o.visible_person_ids == [chapel_person(o)]


def chapel_person(o):
    return next(v.person_id for v, _p in o.visits if v.person_id)


def test_a_pastoral_visit_shows_the_person_only_within_the_caseload(chapel, users, estate):
    officer_b = UserFactory(username="officer_b", role="officer", facility=estate.high)
    officer_b.units.set([estate.unit_b])
    o = meals.faith_overview(actor=officer_b, facility=chapel.high, now=NOW)
    assert o.visible_person_ids == []
    assert sum(c.pastoral_visits for c in o.communities) == 1


def test_the_faith_overview_costs_the_same_for_more_visits(chapel, users, estate):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            meals.faith_overview(actor=users["contact_officer"], facility=estate.high, now=NOW)
        return len(ctx)

    first = queries()
    other = admitted(users, estate.high, estate.cells_a[1])
    for day in (26, 27):
        visit(users, person_id=other.person_id, starts_at=oslo(dt.date(2026, 2, day), 9))
    assert queries() == first <= 8
