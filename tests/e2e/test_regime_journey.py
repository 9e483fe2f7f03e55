"""Daily life in Chromium (issue 5): the workshop officer takes the register on a tablet-sized
screen and the daily allowance follows; a case manager gives a person a place in a course from
the waiting list; the facility leader sees the activity share and the time-out-of-cell figures.
Every page is checked with axe-core."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from normalitet.regime.models import Allocation, AllowanceDay, Attendance

from ..custody.helpers import admitted
from ..regime.helpers import activity, day_plan, place
from .axe import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TUESDAY = dt.datetime(2026, 11, 24, 8, 0, tzinfo=dt.UTC)  # 09:00 in Oslo
TABLET = {"width": 820, "height": 1180}


def test_a_day_in_the_regime(page: Page, live_server, estate, users, time_machine):
    time_machine.move_to(TUESDAY, tick=True)
    jonas = admitted(users, estate.high, estate.cells_a[0], given_names="Jonas", family_name="Berg")
    sara = admitted(users, estate.high, estate.cells_a[1], given_names="Sara", family_name="Lie")
    day_plan(estate.unit_a)
    workshop = activity(estate.high, "Snekkerverkstedet", leader=users["officer"])
    course = activity(estate.high, "Norsk for videregående", category="upper_secondary", capacity=6)
    place(workshop, jonas, starts_on=dt.date(2026, 11, 2))
    waiting = place(course, sara, status="requested")

    # The workshop officer takes the register on a tablet.
    page.set_viewport_size(TABLET)
    login(page, live_server, "officer")
    page.goto(f"{live_server.url}/regime/registers/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Snekkerverkstedet 08:30")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Snekkerverkstedet")
    assert_accessible(page)
    attended = page.get_by_role("button", name=re.compile(r"^(Møtt|Attended): Berg, Jonas|Jonas"))
    attended.first.click()
    expect(page.locator("button[aria-pressed=true]").first).to_be_visible()
    mark = Attendance.objects.get(person_id=jonas.person_id)
    assert mark.outcome == "attended" and mark.on == dt.date(2026, 11, 24)

    # The allowance follows the register: the ordinary rate for the day.
    day = AllowanceDay.objects.get(episode=jonas, on=dt.date(2026, 11, 24))
    assert (day.rate_kind, day.allowance_ore) == ("ordinary", 7_900)
    page.goto(f"{live_server.url}/regime/persons/{jonas.person_id}/allowance/")
    expect(page.locator("main")).to_contain_text("79,00")
    assert_accessible(page)

    # The case manager gives Sara a place in the course from the waiting list.
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "case_manager")
    page.goto(f"{live_server.url}/regime/waiting-list/")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Innvilg|Approve")).first.click()
    expect(page.locator(".ds-alert").first).to_be_visible()
    page.get_by_role("button", name=re.compile("Gi plass|Give a place")).first.click()
    expect(page.locator(".ds-alert").first).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.status == "allocated" and waiting.starts_on == dt.date(2026, 11, 24)
    assert Allocation.objects.filter(activity=course, status="allocated").count() == 1

    # The facility leader sees the activity share and the time out of cell.
    login(page, live_server, "facility_leader")
    page.goto(f"{live_server.url}/regime/")
    main = page.locator("main")
    expect(main).to_contain_text("100 %")  # both convicted persons are in an activity
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^(Tid utenfor cellen|Time out of cell)$")).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Avdeling A")
    assert_accessible(page)
