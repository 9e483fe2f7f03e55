"""A contact officer's plan work in Chromium, each page checked with axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from normalitet.core import clock
from normalitet.custody import services as custody
from normalitet.planning import plan_services
from normalitet.planning.models import ContactSession, NeedsAssessment

from ..custody.helpers import admitted
from ..planning.plan_helpers import assessed
from .axe import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_contact_officer_maps_needs_and_reads_the_plan(page: Page, live_server, estate, users):
    ep = admitted(users, estate.high, estate.cells_a[0], given_names="Mona", family_name="Lie")
    custody.contact_officer_assign(
        actor=users["case_manager"], episode=ep, officer=users["contact_officer"]
    )
    co = users["contact_officer"]
    assessed(co, ep, clock.today())
    plan = plan_services.sentence_plan_create(actor=co, episode=ep)
    plan_services.plan_goal_add(
        actor=co, plan=plan, domain="housing", text="Ha et sted å bo etter løslatelse"
    )
    login(page, live_server, "contact_officer")
    page.get_by_role("link", name=re.compile("^(Saksliste|Caseload)$")).click()
    expect(page.locator("main")).to_contain_text("Mona Lie")
    assert_accessible(page)
    page.goto(f"{live_server.url}/persons/{ep.person_id}/plan/")
    expect(page.locator("main")).to_contain_text("Ha et sted å bo")
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("Start kartleggingen|Start the needs mapping")).click()
    assert_accessible(page)
    page.locator("select").first.select_option("need")
    page.locator("textarea, input[type=text]").first.fill("Har ingen bolig når jeg kommer ut.")
    page.locator("form button[type=submit]").click()
    expect(page.locator(".ds-alert")).to_be_visible()
    assert NeedsAssessment.objects.get(episode=ep).items.filter(status="need").count() == 1

    page.get_by_role(
        "link", name=re.compile("Registrer en samtale|Record a contact session")
    ).click()
    assert_accessible(page)
    page.locator("#id_kind").select_option("conversation")
    page.locator("#id_note").fill("Snakket om bolig og NAV.")
    page.locator("form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Snakket om bolig og NAV.")
    assert ContactSession.objects.filter(person_id=ep.person_id).count() == 1

    page.goto(f"{live_server.url}/persons/{ep.person_id}/pathway/")
    expect(page.locator("#pathway")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/persons/{ep.person_id}/plan/framtidsplan/print/?lang=nb")
    expect(page.locator("h1")).to_contain_text("Min framtidsplan")
    assert_accessible(page)
