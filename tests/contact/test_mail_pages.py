"""The mail pages: the log form, the steps offered (only those the rules allow), the step form
with its refusals shown on the form, the facility's mail log, and who may see what."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from normalitet.audit.models import AuditEvent
from normalitet.contact.models import MailItem, MailStatus

from ..custody.helpers import admitted
from .helpers import contact, order, visitor
from .test_court_orders import remanded


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def ep(estate: Any, users: dict[str, Any], frozen: Any) -> Any:
    return remanded(users, estate.high, estate.cells_a[0], given_names="Rune")


def test_log_and_handle_a_letter_through_the_pages(ep, users):
    c = client_for(users["officer"])
    url = f"/contact/person/{ep.person_id}/mail/"
    page = c.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'aria-current="page"' in body and "Log an item" in body
    r = c.post(url, {"direction": "in", "kind": "letter", "counterpart": "Kari Nordmann"})
    assert r.status_code == 302
    item = MailItem.objects.get()
    body = c.get(url).content.decode()
    assert f'action="/contact/mail/{item.pk}/inspect/"' in body
    assert f"/contact/mail/{item.pk}/pass/" in body  # a form: high security needs the reason
    assert f"/contact/mail/{item.pk}/deliver/" not in body
    r = c.post(f"/contact/mail/{item.pk}/inspect/", {"next": url})
    assert r.status_code == 302 and r["Location"] == url
    r = c.post(f"/contact/mail/{item.pk}/deliver/")
    assert r.status_code == 302
    assert MailItem.objects.get().status == MailStatus.DELIVERED


def test_bad_log_input_shows_the_message_and_saves_nothing(ep, users):
    c = client_for(users["officer"])
    r = c.post(f"/contact/person/{ep.person_id}/mail/", {"direction": "in", "kind": "letter"})
    assert r.status_code == 400
    body = r.content.decode()
    assert (
        "Give the sender or the recipient." in body and 'aria-describedby="id_counterpart' in body
    )
    assert not MailItem.objects.exists()


def test_lawyer_letter_offers_only_opening_in_presence(ep, users, estate):
    lawyer = contact(ep, visitor("Liv", "Advokat", facility=estate.high), "lawyer")
    c = client_for(users["officer"])
    r = c.post(
        f"/contact/person/{ep.person_id}/mail/",
        {"direction": "in", "kind": "letter", "contact": lawyer.pk},
    )
    assert r.status_code == 302
    item = MailItem.objects.get()
    assert item.privileged
    body = c.get(f"/contact/person/{ep.person_id}/mail/").content.decode()
    assert f"/contact/mail/{item.pk}/open_in_presence/" in body
    assert f"/contact/mail/{item.pk}/inspect/" not in body
    assert f"/contact/mail/{item.pk}/withhold/" not in body
    # Posting a forbidden step anyway is refused, with the law's reason, nothing changed.
    r = c.post(f"/contact/mail/{item.pk}/inspect/")
    assert r.status_code == 400 and "never read" in r.content.decode()
    assert MailItem.objects.get().status == MailStatus.LOGGED
    url = f"/contact/mail/{item.pk}/open_in_presence/"
    form = c.get(url).content.decode()
    assert "Second officer present" in form and "The person was present" in form
    r = c.post(url, {"witness": "Betjent Hansen"})
    assert r.status_code == 400 and "only with the person present" in r.content.decode()
    r = c.post(url, {"witness": "Betjent Hansen", "person_present": "on"})
    assert r.status_code == 302
    assert MailItem.objects.get().status == MailStatus.OPENED_IN_PRESENCE


def test_withhold_form_prefills_the_court_order(ep, users):
    order(ep, "letter_ban", case_number="26-77/01")
    item = MailItem.objects.create(
        person_id=ep.person_id, episode=ep, direction="in", kind="letter", counterpart="Venn",
        logged_at="2026-03-02T09:00:00Z",
    )  # fmt: skip
    c = client_for(users["officer"])
    body = c.get(f"/contact/person/{ep.person_id}/mail/").content.decode()
    assert f"/contact/mail/{item.pk}/withhold/" in body
    assert f"/contact/mail/{item.pk}/inspect/" not in body
    assert "26-77/01" in c.get(f"/contact/mail/{item.pk}/withhold/").content.decode()


def test_facility_mail_log_filters(ep, users):
    MailItem.objects.create(
        person_id=ep.person_id, episode=ep, direction="out", kind="parcel", counterpart="Mor",
        logged_at="2026-03-02T08:00:00Z",
    )  # fmt: skip
    c = client_for(users["case_manager"])
    r = c.get("/contact/mail/?status=to_handle")
    assert r.status_code == 200 and "Mor" in r.content.decode()
    r = c.get("/contact/mail/?status=delivered&period=week")
    assert "Mor" not in r.content.decode()
    assert c.get("/contact/mail/?status=lost").status_code == 400


def test_who_may_see_and_do_what(ep, users, estate):
    other = admitted(users, estate.high, estate.cells_b[0])
    officer = client_for(users["officer"])
    assert officer.get(f"/contact/person/{other.person_id}/mail/").status_code == 404
    assert (
        client_for(users["health"]).get(f"/contact/person/{ep.person_id}/mail/").status_code == 404
    )
    assert client_for(users["health"]).get("/contact/mail/").status_code == 404
    item = MailItem.objects.create(
        person_id=other.person_id, episode=other, direction="in", kind="letter",
        counterpart="X", logged_at="2026-03-02T08:00:00Z",
    )  # fmt: skip
    assert officer.post(f"/contact/mail/{item.pk}/inspect/").status_code == 404
    assert MailItem.objects.get(pk=item.pk).status == MailStatus.LOGGED
    assert officer.post(f"/contact/mail/{item.pk}/shred/").status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="contact.mail_").exists()
