"""The court restriction pages: a person's orders (current first) with the record, renew and
lift forms for the remand office, the list of orders expiring in a week, and who sees what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from normalitet.audit.models import AuditEvent
from normalitet.contact.models import CourtRestriction

from ..custody.helpers import admitted
from ..factories import PersonFactory
from .helpers import order
from .test_court_orders import remanded

D = dt.date


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def ep(estate: Any, users: dict[str, Any], frozen: Any) -> Any:
    return remanded(users, estate.high, estate.cells_a[0], given_names="Rune")


FORM = {
    "kind": "letter_ban",
    "court": "Oslo tingrett",
    "case_number": "26-031234MED-OTIR/05",
    "ordered_on": "2026-03-02",
    "starts_on": "2026-03-02",
    "ends_on": "2026-03-29",
}


def test_record_an_order_through_the_page(ep, users):
    c = client_for(users["case_manager"])
    url = f"/contact/person/{ep.person_id}/restrictions/"
    page = c.get(url).content.decode()
    assert "Record a court order" in page and 'aria-current="page"' in page
    r = c.post(url, FORM)
    assert r.status_code == 302
    o = CourtRestriction.objects.get()
    assert o.kind == "letter_ban" and o.ends_on == D(2026, 3, 29)
    body = c.get(url).content.decode()
    assert "Ban on letters" in body and "In force" in body
    assert f"/contact/restrictions/{o.pk}/renew/" in body
    assert f"/contact/restrictions/{o.pk}/lift/" in body


def test_named_persons_by_person_number(ep, users):
    other = PersonFactory(given_names="Medtiltalt")
    c = client_for(users["case_manager"])
    url = f"/contact/person/{ep.person_id}/restrictions/"
    r = c.post(url, FORM | {"kind": "isolation_named", "named_persons": "X-404"})
    assert r.status_code == 400 and "X-404" in r.content.decode()
    r = c.post(url, FORM | {"kind": "isolation_named", "named_persons": other.person_number})
    assert r.status_code == 302
    assert list(CourtRestriction.objects.get().named_persons.all()) == [other]
    assert "Medtiltalt" in c.get(url).content.decode()


def test_a_named_person_in_the_same_unit_is_warned_about(ep, users, estate):
    near = remanded(users, estate.high, estate.cells_a[1], given_names="Nabo")
    c = client_for(users["case_manager"])
    url = f"/contact/person/{ep.person_id}/restrictions/"
    data = FORM | {"kind": "isolation_named", "named_persons": near.person.person_number}
    page = c.post(url, data, follow=True).content.decode()
    assert "placed in the same unit" in page


def test_full_isolation_refusal_is_shown_on_the_form(ep, users):
    c = client_for(users["case_manager"])
    r = c.post(f"/contact/person/{ep.person_id}/restrictions/", FORM | {"kind": "full_isolation"})
    assert r.status_code == 400
    body = r.content.decode()
    assert "at most 14 days" in body and "maximum penalty" in body
    assert not CourtRestriction.objects.exists()


def test_renew_and_lift_pages(ep, users):
    o = order(ep, "visit_ban", starts_on=D(2026, 2, 10), ends_on=D(2026, 3, 5))
    c = client_for(users["case_manager"])
    r = c.post(
        f"/contact/restrictions/{o.pk}/renew/",
        {"ordered_on": "2026-03-02", "ends_on": "2026-04-02"},
    )
    assert r.status_code == 302
    new = CourtRestriction.objects.exclude(pk=o.pk).get()
    assert new.starts_on == D(2026, 3, 6) and new.case_number == o.case_number
    r = c.post(f"/contact/restrictions/{new.pk}/lift/", {"lifted_on": "2026-03-02"})
    assert r.status_code == 400  # the reason is needed
    r = c.post(
        f"/contact/restrictions/{new.pk}/lift/", {"lifted_on": "2026-03-02", "reason": "Opphevet"}
    )
    assert r.status_code == 302
    new.refresh_from_db()
    assert new.lifted_on == D(2026, 3, 2)
    assert AuditEvent.objects.filter(action__startswith="contact.order_").count() == 2


def test_officers_see_orders_but_do_not_record(ep, users):
    order(ep, "visit_ban")
    c = client_for(users["officer"])
    url = f"/contact/person/{ep.person_id}/restrictions/"
    body = c.get(url).content.decode()
    assert "Ban on visits" in body and "Record a court order" not in body
    assert c.post(url, FORM).status_code == 403
    o = CourtRestriction.objects.get()
    assert c.get(f"/contact/restrictions/{o.pk}/lift/").status_code == 403
    assert CourtRestriction.objects.count() == 1


def test_outside_the_caseload_is_404(ep, users, estate):
    other = admitted(users, estate.high, estate.cells_b[0])
    o = order(other, "visit_ban")
    officer = client_for(users["officer"])  # unit A only
    assert officer.get(f"/contact/person/{other.person_id}/restrictions/").status_code == 404
    lower = client_for(users["lower_case_manager"])
    assert lower.get(f"/contact/restrictions/{o.pk}/renew/").status_code == 404
    assert client_for(users["health"]).get("/contact/restrictions/expiring/").status_code == 404


def test_no_form_for_a_sentenced_person(users, estate, frozen):
    sentenced = admitted(users, estate.high, estate.cells_a[1])
    body = (
        client_for(users["case_manager"])
        .get(f"/contact/person/{sentenced.person_id}/restrictions/")
        .content.decode()
    )
    assert "No court restrictions." in body and "Record a court order" not in body


def test_expiring_list(ep, users):
    order(ep, "visit_ban", starts_on=D(2026, 2, 10), ends_on=D(2026, 3, 5))
    order(
        ep, "full_isolation", starts_on=D(2026, 2, 23), ends_on=D(2026, 3, 8), offence_max_years=10
    )
    order(ep, "letter_ban", starts_on=D(2026, 2, 10), ends_on=D(2026, 3, 20))
    c = client_for(users["officer"])
    r = c.get("/contact/restrictions/expiring/")
    body = r.content.decode()
    assert r.status_code == 200 and "2026-W10" in body
    assert "Ban on visits" in body and "Full isolation" in body and "Ban on letters" not in body
    assert "14 of at most 84 days" in body and "Avdeling A" in body
    body = c.get("/contact/restrictions/expiring/?week=2026-W12").content.decode()
    assert "Ban on letters" in body and "Ban on visits" not in body
    assert c.get("/contact/restrictions/expiring/?week=tomorrow").status_code == 400
