"""The health service in Chromium (issue 7). An officer logs a health request on a person's behalf
and cannot read it afterwards; a nurse triages it and books an appointment; a doctor sets an
observation level; the officer sees the level (never its reason) and records checks; a missed
check is an alert on the officer's pages. Every page is checked with axe-core."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from normalitet.health.models import (
    Appointment,
    HealthRequest,
    ObservationCheck,
    ObservationLevel,
)
from normalitet.people.models import Person

from ..custody.helpers import admitted
from ..health.helpers import clinician
from .axe import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
MONDAY = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
TEXT = "Vondt i brystet i natt og pustetrøbbel"
REASON = "Uttalt håpløshet etter dom, tidligere selvskading"


def test_request_triage_booking_observation_and_checks(
    page: Page, live_server, estate, users, time_machine
):
    time_machine.move_to(MONDAY, tick=True)
    anders = admitted(
        users, estate.high, estate.cells_a[0], given_names="Anders", family_name="Berg"
    )
    nurse = clinician(estate, "nurse", username="sykepleier")
    doctor = clinician(estate, "doctor", username="lege")
    person = anders.person_id

    # The officer logs a request on Anders' behalf from the person page.
    login(page, live_server, users["officer"].username)
    page.goto(f"{live_server.url}/persons/{person}/")
    page.locator(f"main a[href='/health/persons/{person}/request/']").click()
    assert_accessible(page)
    page.locator("select[name=service]").select_option("doctor")
    page.locator("textarea[name=text]").fill(TEXT)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".ds-alert").first).to_contain_text(re.compile(r"H-[A-Z0-9]{8}"))
    assert_accessible(page)
    request = HealthRequest.objects.using("health").get(person_id=person)
    assert request.text == TEXT and request.channel == "staff"
    assert TEXT not in page.content()
    # ... and cannot read it afterwards, anywhere.
    for url in (
        f"/health/requests/{request.pk}/",
        "/health/requests/",
        f"/health/persons/{person}/",
    ):
        response = page.goto(f"{live_server.url}{url}")
        assert response is not None and response.status == 404
        assert TEXT not in page.content()

    # The nurse triages it and books a time with the doctor tomorrow.
    login(page, live_server, nurse.username)
    expect(page).to_have_url(re.compile(r"/health/$"))
    assert_accessible(page)
    page.goto(f"{live_server.url}/health/requests/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/health/requests/{request.pk}/")
    expect(page.locator("main")).to_contain_text(TEXT)
    assert_accessible(page)
    triage = page.locator("#triage-form")
    triage.locator("select[name=triage-priority]").select_option("urgent")
    triage.locator("textarea[name=triage-note]").fill("Time hos lege i morgen.")
    triage.locator("button[type=submit]").click()
    page.wait_for_load_state()
    book = page.locator("#book-form")
    book.locator("select[name=book-clinician]").select_option(str(doctor.pk))
    book.locator("input[name=book-day]").fill("2026-03-03")
    book.locator("input[name=book-starts]").fill("10:00")
    book.locator("input[name=book-minutes]").fill("30")
    book.locator("select[name=book-escort]").select_option("inside")
    book.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert_accessible(page)
    appointment = Appointment.objects.using("health").get(request=request)
    assert appointment.clinician_id == doctor.pk and appointment.escort == "inside"
    assert HealthRequest.objects.using("health").get(pk=request.pk).status == "booked"

    # The doctor sets an observation level for Anders.
    login(page, live_server, doctor.username)
    page.goto(f"{live_server.url}/health/persons/{person}/observation/")
    assert_accessible(page)
    level = page.locator("form:has(input[name=action][value=set])")
    level.locator("select[name=level-level]").select_option("frequent")
    level.locator("textarea[name=level-reason]").fill(REASON)
    level.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert_accessible(page)
    observation = ObservationLevel.objects.using("health").get(person_id=person)
    assert observation.interval_minutes == 30 and observation.ended_at is None

    # The officer sees the level on the person page and the watch board, never the reason, and
    # records a check.
    login(page, live_server, users["officer"].username)
    page.goto(f"{live_server.url}/persons/{person}/")
    expect(page.locator("main")).to_contain_text(re.compile(r"\b30\b"))
    # The identity card's values are whole at desk width: none is cut at its column's edge.
    Person.objects.filter(pk=person).update(national_id="06499803913")
    page.reload()
    cut = page.evaluate(
        "[...document.querySelectorAll('.app-grid dd')].filter(d => d.scrollWidth > d.clientWidth"
        " + 1 || d.getBoundingClientRect().right > d.closest('.ds-card').getBoundingClientRect()"
        ".right).map(d => d.textContent)"
    )
    assert cut == []
    assert REASON not in page.content()
    page.goto(f"{live_server.url}/health/watch/")
    assert_accessible(page)
    row = page.locator(f"form[action*='/health/watch/{person}/check/']").first
    row.locator("input[value=settled]").check()
    row.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".ds-alert").first).to_be_visible()
    assert_accessible(page)
    assert REASON not in page.content() and TEXT not in page.content()
    assert ObservationCheck.objects.using("health").filter(observation=observation).count() == 1

    # Forty minutes on, the next check is overdue: every page of the officer says so.
    time_machine.move_to(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=40), tick=True)
    page.goto(f"{live_server.url}/persons/{person}/")
    expect(page.locator("#observation-overdue")).to_be_visible()
    assert_accessible(page)
    page.locator("#observation-overdue a").click()
    expect(page).to_have_url(re.compile(r"/health/watch/$"))
    row = page.locator(f"form[action*='/health/watch/{person}/check/']").first
    row.locator("input[value=asleep]").check()
    row.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#observation-overdue")).to_have_count(0)
    check = ObservationCheck.objects.using("health").order_by("-checked_at").first()
    assert check is not None and check.late_by_minutes > 0 and check.closes is not None


def test_the_handover_summary_has_a_print_button(
    page: Page, live_server, estate, users, time_machine
):
    """The print button calls the browser's print; the menus are left out of the print."""
    from normalitet.health.services_care import consent_record, handover_produce, referral_create

    time_machine.move_to(MONDAY, tick=True)
    anders = admitted(
        users, estate.high, estate.cells_a[0], given_names="Anders", family_name="Berg"
    )
    nurse = clinician(estate, "nurse", username="sykepleier")
    referral = referral_create(
        actor=nurse,
        person_id=anders.person_id,
        provider_kind="opioid",
        provider_name="LAR Oslo",
        purpose="Videreføring av LAR etter løslatelse",
    )
    consent_record(
        actor=nurse,
        referral_id=referral.pk,
        given="written",
        scope=["person"],
        given_on=MONDAY.date(),
    )
    summary = handover_produce(actor=nurse, referral_id=referral.pk)
    page.add_init_script("window.printed = 0; window.print = () => { window.printed += 1; };")
    login(page, live_server, "sykepleier")
    page.goto(f"{live_server.url}/health/referrals/{referral.pk}/handover/{summary.pk}/")
    assert_accessible(page)
    button = page.get_by_role("button", name=re.compile("^(Skriv ut|Print)$"))
    expect(button).to_be_visible()
    button.click()
    assert page.evaluate("window.printed") == 1
    page.emulate_media(media="print")
    expect(page.locator(".app-actions").first).to_be_hidden()
    expect(page.locator("#summary")).to_contain_text("LAR Oslo")
