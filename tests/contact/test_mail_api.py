"""The mail and court restriction API under /api/v1/contact/: the same services and rules as
the pages, the shared error shape, 404 out of the caseload, 403 without the capability, and
nothing changed when refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from normalitet.audit.models import AuditEvent
from normalitet.contact.models import CourtRestriction, MailItem

from ..custody.helpers import admitted
from .helpers import API, contact, order, post_api, visitor
from .test_court_orders import remanded


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def ep(estate: Any, users: dict[str, Any], frozen: Any) -> Any:
    return remanded(users, estate.high, estate.cells_a[0], given_names="Rune")


def test_log_list_and_handle_mail(ep, users, estate):
    c = client_for(users["officer"])
    lawyer = contact(ep, visitor("Liv", "Advokat", facility=estate.high), "lawyer")
    r = post_api(
        c,
        f"/persons/{ep.person_id}/mail",
        {"direction": "in", "kind": "letter", "contact_id": lawyer.pk},
    )
    assert r.status_code == 201, r.content
    item = r.json()
    assert item["privileged"] and item["next_actions"] == ["open_in_presence"]
    r = post_api(c, f"/mail/{item['id']}/handle", {"action": "inspect"})
    assert r.status_code == 409
    assert (
        r.json()["errors"][0]["field"] == "action"
        and "never read" in r.json()["errors"][0]["message"]
    )
    r = post_api(
        c,
        f"/mail/{item['id']}/handle",
        {"action": "open_in_presence", "witness": "Betjent Hansen", "person_present": True},
    )
    assert r.status_code == 200 and r.json()["status"] == "opened_in_presence"
    assert r.json()["next_actions"] == ["deliver"]
    listed = c.get(f"{API}/persons/{ep.person_id}/mail").json()
    assert [i["id"] for i in listed] == [item["id"]]
    assert [i["id"] for i in c.get(f"{API}/mail?status=to_handle").json()] == [item["id"]]
    assert c.get(f"{API}/mail?status=nonsense").status_code == 400


def test_mail_refusals_change_nothing(ep, users, estate):
    c = client_for(users["officer"])
    r = post_api(c, f"/persons/{ep.person_id}/mail", {"direction": "in", "kind": "letter"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "counterpart"
    other = admitted(users, estate.high, estate.cells_b[0])
    r = post_api(
        c,
        f"/persons/{other.person_id}/mail",
        {"direction": "in", "kind": "letter", "counterpart": "x"},
    )
    assert r.status_code == 404
    assert not MailItem.objects.exists()
    r = post_api(
        client_for(users["health"]),
        f"/persons/{ep.person_id}/mail",
        {"direction": "in", "kind": "letter", "counterpart": "x"},
    )
    assert r.status_code == 404


def test_record_renew_lift_and_list_orders(ep, users):
    c = client_for(users["case_manager"])
    body = {
        "kind": "visit_ban", "court": "Oslo tingrett", "case_number": "26-1/01",
        "ordered_on": "2026-02-20", "starts_on": "2026-02-20", "ends_on": "2026-03-05",
    }  # fmt: skip
    r = post_api(c, f"/persons/{ep.person_id}/restrictions", body)
    assert r.status_code == 201, r.content
    made = r.json()
    assert made["state"] == "in_force" and made["named_person_ids"] == []
    r = post_api(
        c,
        f"/restrictions/{made['id']}/renew",
        {"ordered_on": "2026-03-02", "ends_on": "2026-04-02"},
    )
    assert r.status_code == 201 and r.json()["starts_on"] == "2026-03-06"
    assert r.json()["state"] == "to_come"
    expiring = c.get(f"{API}/restrictions/expiring").json()
    assert [(e["order"]["id"], e["days_left"], e["unit"]) for e in expiring] == [
        (made["id"], 3, "Avdeling A")
    ]
    assert (
        c.get(f"{API}/restrictions/expiring?week=2026-W14").json()[0]["order"]["ends_on"]
        == "2026-04-02"
    )
    assert c.get(f"{API}/restrictions/expiring?week=x").status_code == 400
    r = post_api(
        c, f"/restrictions/{made['id']}/lift", {"lifted_on": "2026-03-02", "reason": "Opphevet"}
    )
    assert r.status_code == 200 and r.json()["state"] == "lifted"
    listed = c.get(f"{API}/persons/{ep.person_id}/restrictions").json()
    assert len(listed) == 2
    assert AuditEvent.objects.filter(action__startswith="contact.order_").count() == 3


def test_order_refusals_and_access(ep, users, estate):
    body = {
        "kind": "full_isolation", "court": "Oslo tingrett", "case_number": "26-1/01",
        "ordered_on": "2026-03-02", "starts_on": "2026-03-02", "ends_on": "2026-03-29",
    }  # fmt: skip
    r = post_api(client_for(users["case_manager"]), f"/persons/{ep.person_id}/restrictions", body)
    assert r.status_code == 400 and r.json()["errors"][0]["rule"] == "court-isolation"
    r = post_api(
        client_for(users["officer"]),
        f"/persons/{ep.person_id}/restrictions",
        body | {"kind": "visit_ban"},
    )
    assert r.status_code == 403
    assert not CourtRestriction.objects.exists()
    o = order(ep, "visit_ban")
    assert (
        client_for(users["officer"]).get(f"{API}/persons/{ep.person_id}/restrictions").status_code
        == 200
    )
    lower = client_for(users["lower_case_manager"])
    assert (
        post_api(
            lower, f"/restrictions/{o.pk}/lift", {"lifted_on": "2026-03-02", "reason": "x"}
        ).status_code
        == 404
    )
    assert lower.get(f"{API}/persons/{ep.person_id}/restrictions").status_code == 404
    CourtRestriction.objects.get(pk=o.pk, lifted_on__isnull=True)
