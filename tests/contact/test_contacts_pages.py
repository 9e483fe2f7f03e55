"""The contacts pages: the family-contact desk, a person's contacts and the visitor list, adding
a contact, deciding, ending, supervision, a visitor's details and police checks. Bad input
changes nothing; out of the caseload is a 404; a role without CONTACT_EDIT gets 403. Time is
frozen at Monday 2 March 2026."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from normalitet.audit.models import AuditEvent
from normalitet.contact.models import Contact, Notice, PoliceCheck, Visitor

from ..custody.helpers import admitted
from .helpers import client_for, contact, order, visitor

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(estate: Any, users: dict[str, Any], frozen: Any) -> dict[str, Any]:
    anders = admitted(users, estate.high, estate.cells_a[0], given_names="Anders")
    berit = admitted(users, estate.high, estate.cells_b[0], given_names="Berit")  # unit B
    kari = visitor("Kari", "Nordmann", facility=estate.high)
    ola = visitor("Ola", "Bakken", facility=estate.high, birth_date=dt.date(1970, 1, 1))
    per = visitor("Per", "Berg", facility=estate.high)
    asking = visitor("Siri", "Lund", cleared=False)
    return {
        "anders": anders,
        "berit": berit,
        "kari": contact(anders, kari),
        "ola": contact(berit, ola, "friend"),
        "per": contact(anders, per, "friend", listed=False),
        "request": contact(
            anders, asking, "sibling", listed=False, status="requested", requested_via_portal=True
        ),
    }


def _changes() -> int:
    return AuditEvent.objects.filter(kind="change").count()


def test_desk_lists_requests_checks_and_expiring_orders(world, users, estate):
    waiting = PoliceCheck.objects.create(
        visitor=world["per"].visitor,
        facility=estate.high,
        requested_on=dt.date(2026, 1, 20),
    )
    order(world["anders"], "visit_ban", ends_on=dt.date(2026, 3, 6))
    body = client_for(users["case_manager"]).get("/contact/").content.decode()
    assert "Siri Lund" in body and f"/contact/contacts/{world['request'].pk}/decide/" in body
    assert f'id="check-{waiting.pk}"' in body and "41" in body and "Overdue" in body
    assert 'id="expiring"' in body and "Ban on visits" in body
    assert "/contact/phone/import/" in body
    officer = client_for(users["officer"]).get("/contact/").content.decode()
    assert "Siri Lund" in officer and "/decide/" not in officer  # no CONTACT_EDIT
    assert "/contact/phone/import/" not in officer
    for role in ("health", "teacher", "visitor", "regional"):
        assert client_for(users[role]).get("/contact/").status_code == 404, role


def test_person_contacts_shows_the_list_count_and_checks(world, users):
    c = client_for(users["case_manager"])
    r = c.get(f"/contact/person/{world['anders'].person_id}/contacts/")
    body = r.content.decode()
    assert r.status_code == 200
    assert "Visitor list: 1 of 4 entries" in body
    assert "Kari Nordmann" in body and "Siri Lund" in body and "Ola Bakken" not in body
    assert "Cleared, valid until" in body and 'aria-current="page"' in body
    assert AuditEvent.objects.filter(action="view.contact.contacts").count() == 1
    # The officer of unit A sees Anders, not Berit (unit B).
    officer = client_for(users["officer"])
    assert officer.get(f"/contact/person/{world['berit'].person_id}/contacts/").status_code == 404
    body = officer.get(f"/contact/person/{world['anders'].person_id}/contacts/").content.decode()
    assert "Add a contact" not in body and "Put on the list" not in body


def test_add_an_existing_visitor_found_by_name(world, users):
    cm = client_for(users["case_manager"])
    url = f"/contact/person/{world['anders'].person_id}/contacts/add/"
    body = cm.get(url, {"q": "ola bak"}).content.decode()
    ola = world["ola"].visitor
    assert f"visitor={ola.pk}" in body
    assert "Kari Nordmann" not in cm.get(url, {"q": "kari"}).content.decode()  # already a contact
    r = cm.post(
        url,
        {
            "mode": "existing",
            "visitor": ola.pk,
            "existing-visitor": ola.pk,
            "existing-relationship": "friend",
            "existing-on_visitor_list": "on",
        },
    )
    assert r.status_code == 302
    added = Contact.objects.get(person_id=world["anders"].person_id, visitor=ola)
    assert (added.status, added.on_visitor_list) == ("approved", True)


def test_add_a_new_visitor_and_bad_input_changes_nothing(world, users):
    cm = client_for(users["case_manager"])
    url = f"/contact/person/{world['anders'].person_id}/contacts/add/"
    before = (Visitor.objects.count(), Contact.objects.count(), _changes())
    new = {
        "mode": "new",
        "new-given_names": "Mona",
        "new-family_name": "Haugen",
        "new-birth_date": "2030-01-01",
        "new-relationship": "parent",
    }
    r = cm.post(url, new)
    assert r.status_code == 400
    assert "cannot be in the future" in r.content.decode()
    assert 'aria-describedby="id_new-birth_date_error"' in r.content.decode()
    assert (Visitor.objects.count(), Contact.objects.count(), _changes()) == before
    r = cm.post(url, {**new, "new-birth_date": "1960-04-04", "new-phone": "91234567"})
    assert r.status_code == 302
    mona = Visitor.objects.get(given_names="Mona")
    assert Contact.objects.get(visitor=mona).relationship == "parent"
    assert {"visitor.create", "contact.add"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


def test_the_full_visitor_list_shows_its_message_and_changes_nothing(world, users, estate):
    anders = world["anders"]
    for name in ("A", "B", "C"):
        contact(anders, visitor(name, "Venn", facility=estate.high), "friend")
    cm = client_for(users["case_manager"])
    r = cm.post(f"/contact/contacts/{world['per'].pk}/visitor-list/", {"on": "1"})
    assert r.status_code == 409
    assert "The visitor list holds 4 entries" in r.content.decode()
    assert Contact.objects.get(pk=world["per"].pk).on_visitor_list is False
    r = cm.post(f"/contact/contacts/{world['kari'].pk}/visitor-list/", {"on": "0"})
    assert r.status_code == 302
    assert Contact.objects.get(pk=world["kari"].pk).on_visitor_list is False
    assert AuditEvent.objects.filter(action="contact.list_off").count() == 1


def test_decide_a_request_refusal_needs_a_reason_and_the_visitor_is_told(world, users):
    cm = client_for(users["case_manager"])
    url = f"/contact/contacts/{world['request'].pk}/decide/"
    assert cm.get(url).status_code == 200
    r = cm.post(url, {"decision": "refuse"})
    assert r.status_code == 400 and "Give the reason." in r.content.decode()
    assert Contact.objects.get(pk=world["request"].pk).status == "requested"
    r = cm.post(url, {"decision": "refuse", "reason": "Ukjent relasjon"})
    assert r.status_code == 302
    assert Contact.objects.get(pk=world["request"].pk).status == "refused"
    assert Notice.objects.get(visitor=world["request"].visitor).kind == "contact"


def test_end_and_supervision(world, users):
    cm = client_for(users["case_manager"])
    r = cm.post(f"/contact/contacts/{world['kari'].pk}/supervision/", {"waived": "1"})
    assert r.status_code == 400
    r = cm.post(
        f"/contact/contacts/{world['kari'].pk}/supervision/",
        {"waived": "1", "reason": "Kjent familie"},
    )
    assert r.status_code == 302 and Contact.objects.get(pk=world["kari"].pk).supervision_waived
    r = cm.post(f"/contact/contacts/{world['kari'].pk}/end/", {"reason": "Brudd"})
    assert r.status_code == 302
    assert Contact.objects.get(pk=world["kari"].pk).status == "ended"


def test_edit_actions_need_contact_edit_and_the_caseload(world, users):
    officer = client_for(users["officer"])
    before = _changes()
    assert (
        officer.post(f"/contact/contacts/{world['kari'].pk}/end/", {"reason": "x"}).status_code
        == 403
    )
    assert (
        officer.get(f"/contact/person/{world['anders'].person_id}/contacts/add/").status_code == 403
    )
    contact_officer = client_for(users["contact_officer"])  # CONTACT_EDIT, units A
    r = contact_officer.post(f"/contact/contacts/{world['ola'].pk}/end/", {"reason": "x"})
    assert r.status_code == 404  # Berit is in unit B
    assert contact_officer.get(f"/contact/visitors/{world['ola'].visitor_id}/").status_code == 404
    assert _changes() == before
    assert Contact.objects.get(pk=world["ola"].pk).status == "approved"
    lower = client_for(users["lower_case_manager"])
    assert lower.get(f"/contact/contacts/{world['kari'].pk}/decide/").status_code == 404


def test_visitor_page_correct_details_and_police_checks(world, users):
    cm = client_for(users["case_manager"])
    per = world["per"].visitor
    body = cm.get(f"/contact/visitors/{per.pk}/").content.decode()
    assert "Anders" in body and "Request a police check" not in body  # has a valid check
    siri = world["request"].visitor
    body = cm.get(f"/contact/visitors/{siri.pk}/").content.decode()
    assert "No valid police check." in body and "Request a police check" in body
    r = cm.post(f"/contact/visitors/{siri.pk}/police-check/", {"note": ""})
    assert r.status_code == 302
    check = PoliceCheck.objects.get(visitor=siri)
    r = cm.post(f"/contact/visitors/{siri.pk}/police-check/")
    assert r.status_code == 409 and PoliceCheck.objects.filter(visitor=siri).count() == 1
    url = f"/contact/police-checks/{check.pk}/answer/"
    r = cm.post(url, {"result": "cleared", "answered_on": "2026-03-09"})
    assert r.status_code == 400 and "future" in r.content.decode()
    r = cm.post(url, {"result": "cleared", "answered_on": "2026-03-02"})
    assert r.status_code == 302
    check.refresh_from_db()
    assert (check.status, check.expires_on) == ("cleared", dt.date(2027, 3, 2))
    r = cm.post(
        f"/contact/visitors/{siri.pk}/edit/",
        {"given_names": "Siri", "family_name": "Lund-Berg", "birth_date": "1980-05-17"},
    )
    assert r.status_code == 302
    assert Visitor.objects.get(pk=siri.pk).family_name == "Lund-Berg"
    r = cm.post(f"/contact/visitors/{siri.pk}/edit/", {"given_names": "", "family_name": "X"})
    assert r.status_code == 400 and Visitor.objects.get(pk=siri.pk).family_name == "Lund-Berg"


def test_pages_cost_the_same_with_more_contacts(world, users, estate):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cm = client_for(users["case_manager"])
    pid = world["anders"].person_id

    def cost(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert cm.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = (f"/contact/person/{pid}/contacts/", "/contact/", f"/contact/person/{pid}/phone/")
    before = [cost(u) for u in urls]
    for name in ("A", "B", "C", "D"):
        contact(
            world["anders"], visitor(name, "Venn", facility=estate.high), "friend", listed=False
        )
        contact(world["anders"], visitor(name, "Spør"), "friend", listed=False, status="requested")
    assert [cost(u) for u in urls] == before
