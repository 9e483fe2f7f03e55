"""The way home in Chromium (issue 4): a contact officer maps needs and builds the plan with
the person; a case manager sees the person become eligible for lower security, proposes and
decides a transfer and carries it out; months later the release-readiness list of the
receiving facility shows the referrals. Every page is checked with axe-core."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from normalitet.custody import services as custody
from normalitet.custody.models import CustodyEpisode
from normalitet.planning.models import NeedsAssessment, Referral, SentencePlan, TransferCase

from ..custody.helpers import admitted
from ..planning.helpers import serving
from ..planning.plan_helpers import assessed
from .axe import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
START = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
ELIGIBLE = dt.datetime(2027, 1, 5, 9, 0, tzinfo=dt.UTC)  # a year before parole eligibility
LEAVING = dt.datetime(2027, 10, 20, 9, 0, tzinfo=dt.UTC)  # 73 days before parole


def _submit(page: Page) -> None:
    page.locator("main form button[type=submit]").last.click()


def test_the_way_home(page: Page, live_server, estate, users, time_machine):
    time_machine.move_to(START, tick=True)
    cm, co = users["case_manager"], users["contact_officer"]
    ep = admitted(users, estate.high, estate.cells_a[0], given_names="Jonas", family_name="Berg")
    custody.contact_officer_assign(actor=cm, episode=ep, officer=co)
    serving(cm, ep, years=3)
    assessed(cm, ep, START.date())
    person = ep.person_id

    # The contact officer maps the needs and builds the plan with the person.
    login(page, live_server, "contact_officer")
    page.goto(f"{live_server.url}/persons/{person}/plan/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Start kartleggingen|Start the needs mapping")).click()
    page.locator("#id_housing_status").select_option("need")
    page.locator("#id_housing_words").fill("Mister leiligheten. Vil bo nær datteren.")
    page.locator("#id_work_education_status").select_option("in_progress")
    _submit(page)
    expect(page.locator(".ds-alert").first).to_be_visible()
    assert NeedsAssessment.objects.get(episode=ep).items.filter(status="need").count() == 1

    page.get_by_role(
        "button", name=re.compile("Start framtidsplanen|Start the sentence plan")
    ).click()
    page.get_by_role("link", name=re.compile("Legg til et mål|Add a goal")).click()
    assert_accessible(page)
    page.locator("#id_domain").select_option("housing")
    page.locator("#id_text").fill("Ha et sted å bo når jeg kommer ut")
    _submit(page)
    page.get_by_role("link", name=re.compile("Legg til et steg|Add a step")).first.click()
    page.locator("#id_text").fill("Søke kommunal bolig sammen med NAV")
    page.locator("#id_owner").select_option("nav")
    page.locator("#id_due_on").fill("2027-06-01")
    _submit(page)
    page.get_by_role(
        "link", name=re.compile("Registrer personens syn på planen|Record the person's agreement")
    ).click()
    page.locator("#id_agreed").select_option("yes")
    page.locator("#id_agreed_on").fill(START.date().isoformat())
    _submit(page)
    plan = SentencePlan.objects.get(episode=ep)
    assert plan.agreed_by_person and plan.goals.get().steps.count() == 1

    # Referrals to NAV and the municipality, from the release-readiness page.
    page.goto(f"{live_server.url}/persons/{person}/reentry/")
    assert_accessible(page)
    for partner, name, area, purpose in (
        ("nav", "NAV Grünerløkka", "income", "Arbeidsrettet oppfølging og inntekt ved løslatelse"),
        ("housing", "Boligkontoret i Oslo kommune", "housing", "Kommunal bolig fra løslatelse"),
    ):
        page.goto(f"{live_server.url}/persons/{person}/reentry/referrals/new/")
        page.locator("#id_partner").select_option(partner)
        page.locator("#id_partner_name").fill(name)
        page.locator("#id_area").select_option(area)
        page.locator("#id_purpose").fill(purpose)
        _submit(page)
    assert Referral.objects.filter(episode=ep).count() == 2
    expect(page.locator("main")).to_contain_text("NAV Grünerløkka")
    assert_accessible(page)

    # The case manager: not yet eligible for lower security; then the date comes.
    login(page, live_server, "case_manager")
    page.goto(f"{live_server.url}/persons/{person}/placement/")
    expect(page.locator("#recommended-level")).to_contain_text(re.compile("Høy|High"))
    assert_accessible(page)
    time_machine.move_to(ELIGIBLE, tick=True)
    login(page, live_server, "case_manager")
    page.goto(f"{live_server.url}/planning/facilities/{estate.high.pk}/less-restrictive/")
    expect(page.locator("#candidates")).to_contain_text("Jonas Berg")
    assert_accessible(page)
    page.goto(f"{live_server.url}/persons/{person}/placement/")
    expect(page.locator("#recommended-level")).to_contain_text(re.compile("Lavere|Lower"))
    expect(page.locator("#level-reasons")).to_contain_text("SGL § 14")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Foreslå overføring|Propose a transfer")).click()
    assert_accessible(page)
    expect(page.locator("#id_to_facility")).to_have_value(str(estate.lower.pk))
    page.locator("#id_justification").fill(
        "Stabil gjennomføring, i arbeid, lav rømningsrisiko. Nærmere datteren."
    )
    _submit(page)
    case = TransferCase.objects.get(episode=ep)
    expect(page.locator("#case-status")).to_contain_text(re.compile("Foreslått|Proposed"))
    assert_accessible(page)
    page.locator("#id_decision").select_option("granted")
    page.locator("#id_reasons").fill("Vilkårene for lavere sikkerhet er oppfylt.")
    page.get_by_role("button", name=re.compile("Registrer vedtaket|Record the decision")).click()
    expect(page.locator("#appeal-deadline")).to_contain_text("2027")
    assert_accessible(page)
    case.refresh_from_db()
    assert case.status == "granted" and case.appeal_deadline == dt.date(2027, 1, 12)
    page.get_by_role(
        "link", name=re.compile("Vedtaksbrev \\(norsk\\)|Decision letter \\(Norwegian\\)")
    ).click()
    expect(page.locator("#letter-appeal")).to_contain_text("SGL § 7 e")
    assert_accessible(page)
    page.go_back()
    page.get_by_role(
        "button", name=re.compile("Gjennomfør overføringen|Carry out the transfer")
    ).click()
    expect(page.locator("#case-status")).to_contain_text(re.compile("Gjennomført|Carried out"))
    assert CustodyEpisode.objects.get(pk=ep.pk).facility == estate.lower

    # Months later, the receiving facility's list of everyone leaving in the next 90 days.
    time_machine.move_to(LEAVING, tick=True)
    login(page, live_server, "lower_case_manager")
    page.goto(f"{live_server.url}/planning/facilities/{estate.lower.pk}/releases/")
    main = page.locator("main")
    expect(main).to_contain_text("Jonas Berg")
    expect(main).to_contain_text(re.compile("Bolig|Housing"))
    assert_accessible(page)
    page.goto(f"{live_server.url}/persons/{person}/reentry/")
    expect(page.locator("main")).to_contain_text("Boligkontoret i Oslo kommune")
    assert_accessible(page)
