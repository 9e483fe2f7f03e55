"""The pages of the units' regime: the front page for staff, teachers and the regional office,
a unit's day list and plans, time out of cell, the activity duty, a person's week, an
activity's list and closures; forms that refuse bad input and change nothing; and every role
against every page. Time is frozen on Monday 2 March 2026."""

from __future__ import annotations

import datetime as dt

import pytest

from normalitet.audit.models import AuditEvent
from normalitet.identity.roles import Role
from normalitet.regime.models import (
    Closure,
    CompanyRestriction,
    DayPlan,
    SessionCancellation,
    UnitRegime,
)

from .helpers import activity, day_plan, place
from .helpers import client_for as _client
from .test_figures import inside, restrict

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def regime(estate, users, frozen):
    return build_regime(estate, users)


def build_regime(estate, users):
    """Unit A with the standard weekday; Anna works in the carpentry shop (led by the teacher
    for the test's sake, with a cancelled afternoon), Bjørn has nothing, Cato is isolated."""
    day_plan(estate.unit_a)
    shop = activity(estate.high, leader=users["teacher"])
    school = activity(estate.high, "Skolen", category="upper_secondary")
    anna = inside(users, estate.cells_a[0], given_names="Anna", family_name="Aas")
    bjorn = inside(users, estate.cells_a[1], given_names="Bjørn", family_name="Berg")
    cato = inside(users, estate.cells_a[2], given_names="Cato", family_name="Carlsen")
    restrict(cato)
    place(shop, anna)
    SessionCancellation.objects.create(
        session=shop.sessions.get(weekday=0, starts=dt.time(12)), on=TODAY, reason="Sykdom"
    )
    other = inside(users, estate.lower_cells[0], given_names="Ola", family_name="Lyng")
    return {"shop": shop, "school": school, "anna": anna, "bjorn": bjorn, "cato": cato,
            "other": other}  # fmt: skip


def test_front_page_for_staff(regime, users, estate):
    body = _client(users["case_manager"]).get("/regime/").content.decode()
    assert "Daily regime: Fjellvik fengsel" in body
    # Anna 9 hours out of cell; Bjørn 6, Cato 1: both below; Bjørn, Cato locked in 16 hours+
    assert "33 % (1 of 3 convicted persons)" in body
    assert "2 of 3 persons" in body
    assert f"/regime/units/{estate.unit_a.pk}/day/?date=2026-03-02" in body
    assert "No day plan" in body  # unit B


def test_front_page_for_a_teacher_and_the_regional_office(regime, users, estate):
    body = _client(users["teacher"]).get("/regime/").content.decode()
    assert "Your activities on this day" in body and "Snekkerverkstedet" in body
    assert "Cancelled" in body and "Sykdom" in body and "Skolen" not in body
    assert "Anna" not in body
    body = _client(users["regional"]).get("/regime/").content.decode()
    assert 'id="overview"' in body and "Fjellvik fengsel" in body and "Lyngmo fengsel" in body
    assert "Anna" not in body
    assert f"/regime/time-out-of-cell/?facility_id={estate.high.pk}" in body


def test_the_unit_day_list_and_its_print(regime, users, estate):
    c = _client(users["officer"])
    body = c.get(f"/regime/units/{estate.unit_a.pk}/day/").content.decode()
    assert 'id="going"' in body and "08:30–11:30" in body
    assert "Sykdom" in body  # the cancelled afternoon is shown with its reason
    assert "Restriction on company" in body and "Below the minimum" in body
    assert "9 h 00 min" in body and "1 h 00 min" in body
    assert f"/regime/persons/{regime['anna'].person_id}/schedule/" in body
    printed = c.get(f"/regime/units/{estate.unit_a.pk}/day/print/?date=2026-03-02&lang=nb")
    text = printed.content.decode()
    assert printed.status_code == 200 and printed["Content-Language"] == "nb"
    assert "Anna Aas" in text and "/regime/persons/" not in text
    assert c.get(f"/regime/units/{estate.unit_a.pk}/day/?date=2026-13-01").status_code == 400
    old = c.get(f"/regime/units/{estate.unit_a.pk}/day/?date=1999-12-31")
    assert old.status_code == 400 and "Choose a date between 2002-03-01 and" in old.content.decode()
    assert (
        _client(users["lower_case_manager"])
        .get(f"/regime/units/{estate.unit_a.pk}/day/")
        .status_code
        == 404
    )


def test_time_out_of_cell_and_who_is_below(regime, users, estate):
    body = _client(users["case_manager"]).get("/regime/time-out-of-cell/").content.decode()
    assert 'id="below"' in body and "Cato Carlsen" in body and "8 h 00 min" in body
    assert "Anna Aas" not in body.split('id="below"')[1]
    regional = _client(users["regional"])
    r = regional.get(f"/regime/time-out-of-cell/?facility_id={estate.high.pk}")
    assert r.status_code == 200 and 'id="below"' not in r.content.decode()
    assert "Cato" not in r.content.decode()
    assert regional.get("/regime/time-out-of-cell/").status_code == 404
    assert regional.get("/regime/time-out-of-cell/?facility_id=x").status_code == 404


def test_activity_duty_page(regime, users, estate):
    body = _client(users["case_manager"]).get("/regime/activity-duty/").content.decode()
    assert "SGL § 3" in body and 'id="without"' in body
    assert "Under a restriction on company: Court-ordered isolation" in body
    assert "None offered or requested" in body and "Bjørn Berg" in body
    national = _client(users["national"]).get(
        f"/regime/activity-duty/?facility_id={estate.high.pk}"
    )
    assert national.status_code == 200 and "Bjørn" not in national.content.decode()


def test_person_week_logs_the_access_and_prints(regime, users, estate):
    c = _client(users["contact_officer"])
    person = regime["anna"].person_id
    body = c.get(f"/regime/persons/{person}/schedule/?week=2026-03-04").content.decode()
    assert "The week from 2 March 2026" in body and "Snekkerverkstedet" in body
    assert "Verkstedbygget" in body and "Sykdom" in body
    assert AuditEvent.objects.filter(action="view.regime.schedule", person_id=person).count() == 1
    assert "Record a restriction on company" not in body  # contact officers do not
    printed = c.get(f"/regime/persons/{person}/schedule/print/?week=2026-03-02&lang=en")
    assert printed.status_code == 200 and "My week" in printed.content.decode()
    assert c.get(f"/regime/persons/{person}/schedule/?week=W10").status_code == 400
    other = regime["other"].person_id
    assert c.get(f"/regime/persons/{other}/schedule/").status_code == 404
    teacher = _client(users["teacher"])
    assert teacher.get(f"/regime/persons/{person}/schedule/").status_code == 200
    assert teacher.get(f"/regime/persons/{regime['bjorn'].person_id}/schedule/").status_code == 404


def test_restrictions_through_the_person_page(regime, users):
    c = _client(users["case_manager"])
    person = regime["bjorn"].person_id
    url = f"/regime/persons/{person}/restrictions/"
    assert (
        "Record a restriction on company"
        in c.get(f"/regime/persons/{person}/schedule/").content.decode()
    )
    r = c.post(url, {"kind": "exclusion", "starts_on": "2026-03-05", "ends_on": "2026-03-04"})
    assert r.status_code == 400 and "The last day is before the first." in r.content.decode()
    assert not CompanyRestriction.objects.filter(episode=regime["bjorn"]).exists()
    r = c.post(url, {"kind": "exclusion", "starts_on": "2026-03-02", "note": "SGL § 37"})
    assert r.status_code == 302
    restriction = CompanyRestriction.objects.get(episode=regime["bjorn"])
    page = c.get(f"/regime/persons/{person}/schedule/").content.decode()
    assert f'action="/regime/restrictions/{restriction.pk}/end/"' in page
    assert "Excluded from company (SGL § 37)" in page
    officer = _client(users["officer"]).post(url, {"kind": "court", "starts_on": "2026-03-02"})
    assert officer.status_code == 403
    r = c.post(f"/regime/restrictions/{restriction.pk}/end/", {"ends_on": "2026-03-03"})
    restriction.refresh_from_db()
    assert r.status_code == 302 and restriction.ends_on == dt.date(2026, 3, 3)


def test_the_activity_list_for_the_teacher(regime, users):
    shop, school = regime["shop"], regime["school"]
    teacher = _client(users["teacher"])
    body = teacher.get(f"/regime/activities/{shop.pk}/list/").content.decode()
    assert "List of Snekkerverkstedet" in body and "Anna Aas" in body
    assert "Cancelled:</strong> Sykdom" in body
    assert teacher.get(f"/regime/activities/{school.pk}/list/").status_code == 404
    printed = teacher.get(f"/regime/activities/{shop.pk}/list/print/?lang=nb")
    assert printed.status_code == 200 and "Anna Aas" in printed.content.decode()
    weekend = teacher.get(f"/regime/activities/{shop.pk}/list/?date=2026-03-07")
    assert "The activity has no session on this day." in weekend.content.decode()


def test_day_plans_through_the_unit_page(regime, users, estate):
    c = _client(users["case_manager"])
    url = f"/regime/units/{estate.unit_b.pk}/plan/"
    page = c.get(url).content.decode()
    assert "New day plan" in page and 'name="blocks-TOTAL_FORMS"' in page
    data = {
        "day_type": "weekday",
        "valid_from": "2026-03-02",
        "note": "",
        "blocks-TOTAL_FORMS": "8",
        "blocks-INITIAL_FORMS": "0",
        "blocks-0-kind": "association",
        "blocks-0-starts": "07:30",
        "blocks-0-ends": "12:00",
        "blocks-0-in_company": "on",
        "blocks-1-kind": "outdoor",
        "blocks-1-starts": "11:00",
        "blocks-1-ends": "12:30",
        "blocks-2-kind": "",
        "blocks-2-starts": "",
        "blocks-2-ends": "",
    }
    r = c.post(url, data)
    assert r.status_code == 400 and "overlap" in r.content.decode()
    r = c.post(url, {**data, "blocks-2-kind": "meal"})
    assert r.status_code == 400 and "Give what happens, from and to." in r.content.decode()
    assert not DayPlan.objects.filter(unit=estate.unit_b).exists()
    officer = _client(users["officer"])
    assert "New day plan" not in officer.get(url).content.decode()
    assert officer.post(url, {**data, "blocks-1-starts": "12:00"}).status_code == 403
    r = c.post(url, {**data, "blocks-1-starts": "12:00"})
    assert r.status_code == 302
    plan = DayPlan.objects.get(unit=estate.unit_b)
    assert list(plan.blocks.values_list("kind", "in_company")) == [
        ("association", True),
        ("outdoor", False),
    ]
    page = c.get(url).content.decode()
    assert "In force" in page and "12:00" in page


def test_copy_settings_and_withdraw_through_the_unit_page(regime, users, estate):
    c = _client(users["case_manager"])
    source = DayPlan.objects.get(unit=estate.unit_a)
    base = f"/regime/units/{estate.unit_b.pk}"
    r = c.post(f"{base}/plan/copy/", {"copy-source": source.pk, "copy-valid_from": "2026-03-01"})
    assert r.status_code == 400 and "A day plan starts today or later." in r.content.decode()
    r = c.post(f"{base}/plan/copy/", {"copy-source": source.pk, "copy-valid_from": "2026-04-01"})
    copy = DayPlan.objects.get(unit=estate.unit_b)
    assert r.status_code == 302 and copy.blocks.count() == source.blocks.count()
    assert "Upcoming" in c.get(f"{base}/plan/").content.decode()
    r = c.post(f"{base}/settings/", {"self_catering": "on", "minimum_minutes": "2000"})
    assert r.status_code == 400 and not UnitRegime.objects.exists()
    r = c.post(f"{base}/settings/", {"self_catering": "on", "minimum_minutes": "540"})
    assert r.status_code == 302
    assert UnitRegime.objects.get().minimum_out_of_cell_minutes == 540
    assert (
        _client(users["officer"]).post(f"/regime/day-plans/{copy.pk}/withdraw/").status_code == 403
    )
    r = c.post(f"/regime/day-plans/{copy.pk}/withdraw/")
    assert r.status_code == 302 and not DayPlan.objects.filter(unit=estate.unit_b).exists()


def test_closures_page(regime, users, estate):
    c = _client(users["case_manager"])
    r = c.post(
        "/regime/closures/",
        {
            "unit": estate.unit_a.pk,
            "starts_on": "2026-03-02",
            "ends_on": "2026-03-01",
            "reason": "x",
        },
    )
    assert r.status_code == 400 and not Closure.objects.exists()
    r = c.post(
        "/regime/closures/",
        {"unit": "", "starts_on": "2026-03-02", "ends_on": "2026-03-04", "reason": "Streik"},
    )
    assert r.status_code == 302
    closure = Closure.objects.get()
    assert closure.unit is None
    assert (
        f'action="/regime/closures/{closure.pk}/end/"'
        in c.get("/regime/closures/").content.decode()
    )
    body = _client(users["officer"]).get("/regime/closures/").content.decode()
    assert "Streik" in body and "The whole facility" in body and "Record a closure" not in body
    unit_day = c.get(f"/regime/units/{estate.unit_a.pk}/day/").content.decode()
    assert "Closed regime" in unit_day and "Streik" in unit_day
    r = c.post(f"/regime/closures/{closure.pk}/end/", {"ends_on": "2026-03-01"})
    closure.refresh_from_db()
    assert r.status_code == 400 and closure.ends_on == dt.date(2026, 3, 4)
    c.post(f"/regime/closures/{closure.pk}/end/", {"ends_on": ""})
    closure.refresh_from_db()
    assert closure.ends_on == TODAY


# --- Every role against every page -------------------------------------------------------------

STAFF = {"officer", "contact_officer", "case_manager", "facility_leader"}
AGGREGATE = {"regional", "national"}


@pytest.mark.parametrize("role", sorted(r.value for r in Role))
def test_page_matrix(regime, users, estate, role):
    c = _client(users[role])
    person, shop = regime["anna"].person_id, regime["shop"].pk
    pages = [
        ("/regime/", STAFF | AGGREGATE | {"teacher"}),
        (f"/regime/units/{estate.unit_a.pk}/day/", STAFF),
        (f"/regime/units/{estate.unit_a.pk}/day/print/", STAFF),
        (f"/regime/units/{estate.unit_a.pk}/plan/", STAFF),
        ("/regime/time-out-of-cell/", STAFF),
        (f"/regime/time-out-of-cell/?facility_id={estate.high.pk}", STAFF | AGGREGATE),
        ("/regime/activity-duty/", STAFF),
        (f"/regime/activity-duty/?facility_id={estate.high.pk}", STAFF | AGGREGATE),
        (f"/regime/persons/{person}/schedule/", STAFF | {"teacher"}),
        (f"/regime/persons/{person}/schedule/print/", STAFF | {"teacher"}),
        (f"/regime/persons/{regime['other'].person_id}/schedule/", set()),
        (f"/regime/activities/{shop}/list/", STAFF | {"teacher"}),
        (f"/regime/activities/{shop}/list/print/", STAFF | {"teacher"}),
        ("/regime/closures/", STAFF),
    ]
    for url, allowed in pages:
        assert c.get(url).status_code == (200 if role in allowed else 404), url
    changes = AuditEvent.objects.filter(kind="change").count()
    r = c.post(
        "/regime/closures/",
        {"unit": "", "starts_on": "2026-03-02", "ends_on": "2026-03-02", "reason": "Streik"},
    )
    if role in ("case_manager", "facility_leader"):
        assert r.status_code == 302 and Closure.objects.count() == 1
    else:
        assert r.status_code in (403, 404) and not Closure.objects.exists()
        assert AuditEvent.objects.filter(kind="change").count() == changes


def test_one_heading_and_unique_ids_on_every_page(regime, users, estate):
    import re

    c = _client(users["case_manager"])
    pages = [
        "/regime/",
        f"/regime/units/{estate.unit_a.pk}/day/",
        f"/regime/units/{estate.unit_a.pk}/day/print/",
        f"/regime/units/{estate.unit_a.pk}/plan/",
        "/regime/time-out-of-cell/",
        "/regime/activity-duty/",
        f"/regime/persons/{regime['anna'].person_id}/schedule/",
        f"/regime/persons/{regime['anna'].person_id}/schedule/print/",
        f"/regime/activities/{regime['shop'].pk}/list/",
        f"/regime/activities/{regime['shop'].pk}/list/print/",
        "/regime/closures/",
    ]
    for url in pages:
        html = c.get(url).content.decode()
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), url
        assert html.count("<h1") == 1, url
        # every visible input, select and textarea has a label
        for tag in re.findall(r"<(?:input|select|textarea)[^>]*>", html):
            field_id = re.search(r'\sid="([^"]+)"', tag)
            if 'type="hidden"' not in tag:
                assert field_id and f'for="{field_id[1]}"' in html, (url, tag)
