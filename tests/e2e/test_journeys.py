"""Real tasks by real users, in Chromium, each page checked with axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from normalitet.custody.models import CustodyEpisode, RollCount

from ..custody.helpers import admitted
from .axe import assert_accessible, login


def _choose(page: Page, select: str, text: str) -> None:
    value = page.locator(f"{select} option", has_text=text).first.get_attribute("value")
    page.locator(select).select_option(value)


pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_officer_finds_person_sees_roll_and_records_count(page: Page, live_server, estate, users):
    admitted(users, estate.high, estate.cells_a[0], given_names="Åsmund", family_name="Grønli")
    admitted(users, estate.high, estate.cells_a[1], given_names="Per", family_name="Berg")
    login(page, live_server, "officer")
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("Personer|Persons")).first.click()
    page.locator("#q").fill("asmund gronli")
    expect(page.locator("#results")).to_contain_text("Grønli")
    assert_accessible(page)
    page.locator("#results a", has_text="Grønli").click()
    expect(page.locator("h1")).to_contain_text("Åsmund Grønli")
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("^(Opptelling|Roll)$")).click()
    expect(page.locator("h1")).to_contain_text("Fjellvik fengsel")
    assert_accessible(page)
    row = page.locator("tbody tr", has_text="Avdeling A")
    expect(row.locator("td").nth(1)).to_have_text("2")
    row.locator("input[name=counted]").fill("1")
    row.locator("button").click()
    expect(page.locator(".ds-alert")).to_contain_text("-1")
    assert_accessible(page)
    count = RollCount.objects.get()
    assert (count.expected, count.counted, count.unit_id) == (2, 1, estate.unit_a.pk)

    page.locator("tbody tr", has_text="Avdeling A").get_by_role("link").click()
    expect(page.locator("table")).to_contain_text("Grønli")
    assert_accessible(page)


def test_case_manager_admits_allocates_and_transfers(page: Page, live_server, estate, users):
    login(page, live_server, "case_manager")
    page.get_by_role("link", name=re.compile("^(Innsett|Admit)$")).click()
    assert_accessible(page)
    # submit with missing details first: clear errors, nothing saved
    page.locator("button[type=submit]", has_text=re.compile("Sett inn|Admit")).click()
    expect(page.locator(".ds-error-summary")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_given_names").fill("Linnea")
    page.locator("#id_family_name").fill("Fjære")
    page.locator("#id_birth_date").fill("1994-06-12")
    page.locator("#id_gender").select_option("female")
    page.locator("#id_legal_status").select_option("sentenced")
    page.locator("button[type=submit]", has_text=re.compile("Sett inn|Admit")).click()
    expect(page.locator("h2")).to_contain_text(re.compile("celle|cell"))
    assert_accessible(page)
    _choose(page, "#id_cell", "A2")
    page.locator("form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Linnea Fjære")
    assert_accessible(page)
    ep = CustodyEpisode.objects.get(person__family_name="Fjære")
    assert ep.cell == estate.cells_a[1]

    page.get_by_role("link", name=re.compile("^(Overfør|Transfer)$")).click()
    assert_accessible(page)
    _choose(page, "#id_to_facility", "Lyngmo")
    page.locator("#id_reason").fill("Progression: lower security considered, SGL § 14")
    page.locator("form button[type=submit]").click()
    expect(page.locator(".ds-alert")).to_contain_text("Linnea Fjære")
    assert_accessible(page)
    ep.refresh_from_db()
    assert ep.facility == estate.lower and ep.cell is None
    # the receiving facility sees the person waiting for a cell
    login(page, live_server, "lower_case_manager")
    page.goto(f"{live_server.url}/roll/{estate.lower.pk}/")
    expect(page.locator("#h-nocell + ul")).to_contain_text("Linnea Fjære")
    assert_accessible(page)


def test_person_outside_caseload_is_not_found(page: Page, live_server, estate, users):
    other = admitted(users, estate.lower, estate.lower_cells[0], given_names="Hemmelig")
    login(page, live_server, "officer")
    response = page.goto(f"{live_server.url}/persons/{other.person_id}/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_contain_text(re.compile("Fant ikke|Not found"))
    expect(page.locator("body")).not_to_contain_text("Hemmelig")
    assert_accessible(page)
    page.goto(f"{live_server.url}/persons/?q=hemmelig")
    expect(page.locator("#results")).not_to_contain_text("Hemmelig")


def test_case_manager_registers_a_sentence_and_reads_why_a_date_is_what_it_is(
    page: Page, live_server, estate, users
):
    ep = admitted(users, estate.high, estate.cells_a[0], given_names="Tor", family_name="Moe")
    login(page, live_server, "case_manager")
    page.goto(f"{live_server.url}/persons/{ep.person_id}/")
    page.get_by_role("link", name=re.compile("Dom og juridiske datoer|Sentence and legal")).click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Registrer start|Register the start")).click()
    page.locator("#id_start_date").fill("2026-01-01")
    page.locator("form button[type=submit]").click()
    page.get_by_role("link", name=re.compile("Registrer en dom|Register a judgment")).click()
    assert_accessible(page)
    page.locator("#id_court").fill("Oslo tingrett")
    page.locator("#id_case_number").fill("25-99")
    page.locator("#id_judgment_date").fill("2025-11-01")
    page.locator("#id_years").fill("1")
    page.locator("form button[type=submit]").click()
    row = page.locator("#date-parole_date")
    expect(row).to_contain_text("01.09.2026")
    row.locator("summary").click()
    expect(row.locator(".app-steps")).to_contain_text("To tredjedeler av 365 dager")
    assert_accessible(page)
