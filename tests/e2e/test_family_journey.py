"""Family contact in Chromium (issue 6). A visitor registers in the family portal, asks to be a
contact, is approved and police-checked by the contact officer, books a visit in two steps (hold,
then confirm), and after the person's transfer sees the visit cancelled with the reason. A court
ban on visits stops a booking with a clear reason, in the portal and at the visits desk. Every
page is checked with axe-core; the portal also on a phone-sized screen."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from normalitet.contact.models import BookingStatus, Contact, Notice, VisitBooking, Visitor
from normalitet.custody.models import CustodyEpisode

from ..contact.helpers import contact, order, room, session, visitor
from ..custody.helpers import admitted
from .axe import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
MONDAY = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
PHONE = {"width": 375, "height": 740}
DESK = {"width": 1280, "height": 900}


def _fill(page: Page, label: str, value: str) -> None:
    page.get_by_label(re.compile(label), exact=False).first.fill(value)


def _portal_login(page: Page, live_server, email: str, password: str) -> None:
    login(page, live_server, email, password)
    expect(page).to_have_url(re.compile(r"/portal/$"))


def test_visitor_registers_books_and_is_told_of_the_cancellation(
    page: Page, live_server, estate, users, time_machine
):
    time_machine.move_to(MONDAY, tick=True)
    anders = admitted(
        users,
        estate.high,
        estate.cells_a[0],
        given_names="Anders",
        family_name="Berg",
        birth_date=dt.date(1990, 4, 1),
    )
    session(room(estate.high, "Besøksrom 1"), capacity=3)  # Wednesdays 17-18

    # The visitor registers on a phone and asks to be Anders' contact.
    page.set_viewport_size(PHONE)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/auth/login/")
    page.get_by_role("link", name=re.compile("familieportalen|family portal")).click()
    assert_accessible(page)
    _fill(page, "^(Fornavn|Given names)", "Kari")
    _fill(page, "^(Etternavn|Family name)", "Berg")
    _fill(page, "^(Fødselsdato|Date of birth)", "1991-06-12")
    _fill(page, "^(E-post|Email)", "kari.berg@example.org")
    _fill(page, "^(Telefon|Phone)", "912 34 567")
    page.locator("input[type=password]").nth(0).fill("Fjordlys-2026!")
    page.locator("input[type=password]").nth(1).fill("Fjordlys-2026!")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/portal/$"))
    assert_accessible(page)
    kari = Visitor.objects.get(email="kari.berg@example.org")

    page.goto(f"{live_server.url}/portal/contacts/new/")
    person = anders.person
    page.locator("input[name=person_number]").fill(person.person_number)
    page.locator("input[name=person_birth_date]").fill("1990-04-01")
    page.locator("select[name=relationship]").select_option("partner")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator(".ds-alert").first).to_be_visible()
    assert_accessible(page)
    request = Contact.objects.get(visitor=kari, person=person)
    assert request.status == "requested"

    # The contact officer approves her, puts her on the visitor list and records the police check.
    page.set_viewport_size(DESK)
    login(page, live_server, "contact_officer")
    page.goto(f"{live_server.url}/contact/person/{person.pk}/contacts/")
    assert_accessible(page)
    page.locator(f"#contact-{request.pk}").get_by_role(
        "link", name=re.compile("Avgjør|Decide")
    ).click()
    page.locator("select[name=decision]").select_option("approve")
    page.locator("main form button[type=submit]").click()
    page.locator(f"#contact-{request.pk} form button").click()
    expect(page.locator(f"#contact-{request.pk}")).to_contain_text(
        re.compile("På listen|On the list")
    )
    page.goto(f"{live_server.url}/contact/visitors/{kari.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("politiattest|police check")).click()
    page.get_by_role("link", name=re.compile("Registrer svaret|Record the answer")).click()
    page.locator("select[name=result]").select_option("cleared")
    page.locator("input[name=answered_on]").fill("2026-03-02")
    page.locator("main form button[type=submit]").click()
    request.refresh_from_db()
    assert (request.status, request.on_visitor_list) == ("approved", True)

    # Kari books Wednesday's visit in two steps: hold, then confirm.
    page.set_viewport_size(PHONE)
    _portal_login(page, live_server, "kari.berg@example.org", "Fjordlys-2026!")
    page.get_by_role("link", name=re.compile("Bestill besøk|Book a visit")).first.click()
    page.wait_for_url(re.compile(r"/book/"))
    assert_accessible(page)
    page.locator("input[name=slot]").first.check()
    page.locator("main form button[type=submit]").last.click()
    expect(
        page.get_by_role("button", name=re.compile("Bekreft besøket|Confirm the visit"))
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Bekreft besøket|Confirm the visit")).click()
    booking = VisitBooking.objects.get(person=person)
    assert booking.status == BookingStatus.CONFIRMED
    expect(page.locator("main")).to_contain_text(booking.reference)
    assert_accessible(page)

    # The case manager transfers Anders to another prison.
    page.set_viewport_size(DESK)
    login(page, live_server, "case_manager")
    page.goto(f"{live_server.url}/persons/{person.pk}/transfer/")
    page.locator("select[name=to_facility]").select_option(str(estate.lower.pk))
    page.locator("input[name=reason], textarea[name=reason]").first.fill("Nærmere familien")
    page.locator("main form button[type=submit]").click()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED

    # Kari sees the cancellation, with the reason, in the portal.
    page.set_viewport_size(PHONE)
    _portal_login(page, live_server, "kari.berg@example.org", "Fjordlys-2026!")
    main = page.locator("main")
    expect(main).to_contain_text(re.compile("Besøk avlyst|Visit cancelled"))
    assert_accessible(page)
    notice = Notice.objects.get(visitor=kari, kind="cancelled")
    assert booking.reference in notice.body
    assert re.search("annet fengsel|another prison", notice.body)


def test_a_court_visit_ban_stops_the_booking_with_its_reason(
    page: Page, live_server, estate, users, time_machine
):
    time_machine.move_to(MONDAY, tick=True)
    remand = admitted(users, estate.high, estate.cells_a[0], given_names="Ola", family_name="Dahl")
    CustodyEpisode.objects.filter(pk=remand.pk).update(legal_status="remand")
    session(room(estate.high, "Besøksrom 1"), capacity=3)
    user = users["visitor"]
    mor = visitor("Liv", "Dahl", facility=estate.high, user=user)
    contact(remand, mor, "parent")
    order(remand, "visit_ban", starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 28))

    # In the family portal.
    page.set_viewport_size(PHONE)
    login(page, live_server, "visitor")
    page.goto(f"{live_server.url}/portal/")
    page.get_by_role("link", name=re.compile("Bestill besøk|Book a visit")).first.click()
    page.locator("input[name=slot]").first.check()
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("main")).to_contain_text(
        re.compile("(Retten har forbudt besøk|The court has banned visits).*28.03.2026")
    )
    assert_accessible(page)

    # At the visits desk.
    page.set_viewport_size(DESK)
    login(page, live_server, "officer")
    page.goto(f"{live_server.url}/contact/person/{remand.person_id}/visits/")
    form = page.locator("#book-form")
    form.locator("select[name=slot]").select_option(index=1)
    form.locator("input[name=contacts]").first.check()
    form.get_by_role("button", name=re.compile("Bestill besøket|Book the visit")).click()
    expect(page.locator("main")).to_contain_text(
        re.compile("Retten har forbudt besøk|The court has banned visits")
    )
    assert_accessible(page)
    assert not VisitBooking.objects.filter(person_id=remand.person_id).exists()
