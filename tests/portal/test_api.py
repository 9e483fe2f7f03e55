"""The family portal's API under /api/v1/contact/portal/: the same journey as the pages (ask,
approved by staff, hold, confirm, notice and email, cancel), the shared error shape with
nothing changed when refused, and 404 for everyone but the visitor and for anything not
theirs. Time is frozen at Monday 2 March 2026 (10:30 in Oslo)."""

from __future__ import annotations

import datetime as dt
import functools

import pytest
from django.core import mail

from normalitet.audit.models import AuditEvent
from normalitet.contact import contacts
from normalitet.contact.models import BookingStatus, Contact, Notice, VisitBooking, Visitor

from ..contact.helpers import contact, order, post_api, room, session
from ..custody.helpers import admitted
from .helpers import WED, client_for, portal_user

pytestmark = pytest.mark.django_db
API = "/api/v1/contact/portal"
post_portal = functools.partial(post_api, base=API)


@pytest.fixture
def world(estate, users, frozen):
    ep = admitted(users, estate.high, estate.cells_a[0], given_names="Anders")
    kari = portal_user(facility=estate.high)
    t = session(room(estate.high), capacity=2)
    return {"ep": ep, "kari": kari, "t": t, "c": contact(ep, kari)}


def test_me(world):
    r = client_for(world["kari"].user).get(f"{API}/me")
    assert r.status_code == 200
    assert (r.json()["given_names"], r.json()["email"], r.json()["children"]) == (
        "Kari",
        "kari@example.org",
        [],
    )


def test_request_approve_hold_confirm_cancel(
    estate, users, frozen, django_capture_on_commit_callbacks
):
    ep = admitted(users, estate.high, estate.cells_a[0], given_names="Anders")
    session(room(estate.high), capacity=2)
    kari = portal_user(facility=estate.high)
    c = client_for(kari.user)
    body = {
        "person_number": ep.person.person_number,
        "person_birth_date": ep.person.birth_date.isoformat(),
        "relationship": "partner",
        "children": [
            {
                "given_names": "Ola",
                "family_name": "Nordmann",
                "birth_date": "2018-06-01",
                "relationship": "child",
            }
        ],
    }
    r = post_portal(c, "/contacts", body)
    assert r.status_code == 201, r.content
    made = r.json()
    assert sorted((x["visitor_name"], x["status"]) for x in made["contacts"]) == [
        ("Kari Nordmann", "requested"),
        ("Ola Nordmann", "requested"),
    ]
    assert "police check" in made["message"]
    mine = Contact.objects.get(visitor=kari)
    child = Contact.objects.get(visitor__given_names="Ola")
    r = c.get(f"{API}/contacts/{mine.pk}/slots")
    assert r.status_code == 400 and "approved you as a contact" in r.json()["errors"][0]["message"]
    cm = users["case_manager"]
    for x in (mine, child):
        contacts.contact_decide(actor=cm, contact=x, approve=True)
        contacts.visitor_list_set(actor=cm, contact=x, on=True)
    listed = {x["id"]: x for x in c.get(f"{API}/contacts").json()}
    assert listed[mine.pk]["bookable"] and not listed[child.pk]["bookable"]
    assert listed[mine.pk]["facility"] == "Fjellvik fengsel"
    slots = c.get(f"{API}/contacts/{mine.pk}/slots").json()
    assert slots[0]["day"] == WED.isoformat() and slots[0]["free"] == 2
    r = post_portal(
        c, f"/contacts/{mine.pk}/bookings", {"slot": slots[0]["key"], "companions": [child.pk]}
    )
    assert r.status_code == 201, r.content
    held = r.json()
    assert held["status"] == "held" and held["visitors"] == ["Kari Nordmann", "Ola Nordmann"]
    assert held["hold_expires_at"].startswith("2026-03-02T09:45")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        r = post_portal(c, f"/bookings/{held['id']}/confirm")
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    assert [m.to for m in mail.outbox] == [["kari@example.org"]]
    notices = c.get(f"{API}/notices").json()
    assert notices[0]["kind"] == "confirmed" and notices[0]["read_at"] is None
    r = post_portal(c, f"/notices/{notices[0]['id']}/read")
    assert r.status_code == 200 and r.json()["read_at"] is not None
    assert [b["reference"] for b in c.get(f"{API}/bookings").json()] == [held["reference"]]
    r = post_portal(c, f"/bookings/{held['id']}/cancel", {"reason": " "})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "reason"
    r = post_portal(c, f"/bookings/{held['id']}/cancel", {"reason": "Syk"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert AuditEvent.objects.filter(action="visit.cancel").count() == 1


def test_refusals_are_json_errors_and_change_nothing(world, time_machine):
    c = client_for(world["kari"].user)
    order(world["ep"], "visit_ban")
    key = f"{world['t'].pk}:{WED.isoformat()}"
    r = post_portal(c, f"/contacts/{world['c'].pk}/bookings", {"slot": key})
    assert r.status_code == 400
    assert r.json()["errors"][0]["message"].startswith("The court has banned visits")
    r = post_portal(c, f"/contacts/{world['c'].pk}/bookings", {"slot": "x"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "slot"
    r = post_portal(
        c,
        "/contacts",
        {"person_number": "X", "person_birth_date": "1990-01-01", "relationship": "friend"},
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "person_number"
    r = post_portal(
        c,
        "/contacts",
        {
            "person_number": world["ep"].person.person_number,
            "person_birth_date": world["ep"].person.birth_date.isoformat(),
            "relationship": "lawyer",
        },
    )
    assert r.status_code == 400 and "registered by the prison" in r.json()["errors"][0]["message"]
    assert not VisitBooking.objects.exists()
    assert Contact.objects.count() == 1 and Visitor.objects.count() == 1


def test_hold_lapse(world, time_machine):
    c = client_for(world["kari"].user)
    key = f"{world['t'].pk}:{WED.isoformat()}"
    held = post_portal(c, f"/contacts/{world['c'].pk}/bookings", {"slot": key}).json()
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 46, tzinfo=dt.UTC), tick=False)
    r = post_portal(c, f"/bookings/{held['id']}/confirm")
    assert r.status_code == 409 and r.json()["errors"][0]["rule"] == "hold-lapsed"
    assert c.get(f"{API}/bookings").json()[0]["hold_lapsed"] is True
    assert VisitBooking.objects.get().status == BookingStatus.HELD


def test_another_visitor_and_staff_get_404(world, users, estate):
    c = client_for(world["kari"].user)
    key = f"{world['t'].pk}:{WED.isoformat()}"
    held = post_portal(c, f"/contacts/{world['c'].pk}/bookings", {"slot": key}).json()
    notice = Notice.objects.create(
        visitor=world["kari"],
        kind="contact",
        subject="S",
        body="B",
        created_at=world["c"].created_at,
    )
    per = portal_user("Per", facility=estate.high, email="per@example.org")
    other = client_for(per.user)
    assert other.get(f"{API}/contacts").json() == []
    assert other.get(f"{API}/bookings").json() == []
    for r in (
        other.get(f"{API}/contacts/{world['c'].pk}/slots"),
        post_portal(other, f"/contacts/{world['c'].pk}/bookings", {"slot": key}),
        post_portal(other, f"/bookings/{held['id']}/confirm"),
        post_portal(other, f"/bookings/{held['id']}/cancel", {"reason": "x"}),
        post_portal(other, f"/notices/{notice.pk}/read"),
    ):
        assert r.status_code == 404, r.content
    for role in ("officer", "case_manager", "admin", "visitor"):
        s = client_for(users[role])
        assert s.get(f"{API}/me").status_code == 404
        assert s.get(f"{API}/contacts").status_code == 404
        assert s.get(f"{API}/bookings").status_code == 404
        assert post_portal(s, f"/bookings/{held['id']}/confirm").status_code == 404
    assert VisitBooking.objects.get().status == BookingStatus.HELD
    notice.refresh_from_db()
    assert notice.read_at is None
    from django.test import Client

    assert Client().get(f"{API}/me").status_code == 401
