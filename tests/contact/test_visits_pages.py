"""The visits desk's pages: the day sheet (and its printable list), the review list, rooms
with sessions and blocked days, a person's visits with booking (refusals shown at the form,
nothing saved), the lawyer's visit, and the persons under 18. Out of scope is a 404. Time is
frozen at Monday 2 March 2026, 10:30 in Oslo."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from normalitet.audit.models import AuditEvent
from normalitet.contact import visits
from normalitet.contact.models import (
    BlockedDate,
    BookingStatus,
    Notice,
    RoomKind,
    VisitBooking,
    VisitRoom,
    VisitSessionTemplate,
)

from ..custody.helpers import admitted
from .helpers import client_for, contact, order, room, session, visitor

pytestmark = pytest.mark.django_db
WED = "2026-03-04"


@pytest.fixture
def world(estate: Any, users: dict[str, Any], frozen: Any) -> dict[str, Any]:
    ep = admitted(users, estate.high, estate.cells_a[0], given_names="Anders")
    kari = visitor(facility=estate.high, email="kari@example.org")
    r = room(estate.high)
    t = session(r, capacity=2)
    return {"ep": ep, "kari": kari, "c": contact(ep, kari), "t": t, "room": r}


def _book(world: dict[str, Any], users: dict[str, Any], day: str = WED) -> VisitBooking:
    return visits.booking_make(
        actor=users["officer"],
        episode=world["ep"],
        slot_key=f"{world['t'].pk}:{day}",
        contacts=[world["c"]],
    )


def _person_url(world: dict[str, Any]) -> str:
    return reverse("contact:person_visits", args=[world["ep"].person_id])


# --- The day sheet and review -------------------------------------------------------------------


def test_day_sheet_lists_the_days_visits_with_child_ages(world, users, estate):
    child = visitor("Lise", birth_date=dt.date(2016, 6, 1))
    b = visits.booking_make(
        actor=users["officer"],
        episode=world["ep"],
        slot_key=f"{world['t'].pk}:{WED}",
        contacts=[world["c"], contact(world["ep"], child, "child")],
    )
    r = client_for(users["officer"]).get(reverse("contact:visits_day") + f"?date={WED}")
    assert r.status_code == 200
    html = r.content.decode()
    assert f'id="visit-{b.pk}"' in html and "Anders" in html
    assert "Lise Nordmann (9 years)" in html
    assert "Kari Nordmann (" not in html  # adults' ages are not shown
    assert "Supervised" in html
    assert reverse("contact:visit_cancel", args=[b.pk]) in html
    # Before the visit starts nothing is recorded.
    assert reverse("contact:visit_outcome", args=[b.pk]) not in html
    other = client_for(users["officer"]).get(reverse("contact:visits_day") + "?date=2026-03-05")
    assert 'id="no-visits"' in other.content.decode()


def test_printable_day_sheet(world, users):
    b = _book(world, users)
    r = client_for(users["officer"]).get(reverse("contact:visits_day_print") + f"?date={WED}")
    assert r.status_code == 200
    html = r.content.decode()
    assert b.reference in html and "Printed" in html
    assert reverse("contact:visit_cancel", args=[b.pk]) not in html


def test_day_sheet_hides_persons_outside_the_caseload_and_other_roles(world, users, estate):
    berit = admitted(users, estate.high, estate.cells_b[0], given_names="Berit")
    visits.booking_make(
        actor=users["case_manager"],
        episode=berit,
        slot_key=f"{world['t'].pk}:{WED}",
        contacts=[contact(berit, visitor("Per", facility=estate.high))],
    )
    url = reverse("contact:visits_day") + f"?date={WED}"
    assert "Berit" not in client_for(users["officer"]).get(url).content.decode()
    assert "Berit" in client_for(users["case_manager"]).get(url).content.decode()
    for role in ("health", "national", "teacher"):
        assert client_for(users[role]).get(url).status_code == 404


def test_cancel_from_the_day_sheet(world, users):
    b = _book(world, users)
    c = client_for(users["officer"])
    url = reverse("contact:visit_cancel", args=[b.pk])
    assert c.get(url).status_code == 200
    r = c.post(url, {"reason": ""})
    assert r.status_code == 400 and "This field is required" in r.content.decode()
    assert VisitBooking.objects.get(pk=b.pk).status == BookingStatus.CONFIRMED
    r = c.post(url, {"reason": "Sykdom", "next": reverse("contact:visits_review")})
    assert r.status_code == 302 and r["Location"] == reverse("contact:visits_review")
    b.refresh_from_db()
    assert (b.status, b.cancel_reason) == (BookingStatus.CANCELLED, "Sykdom")
    assert Notice.objects.filter(booking=b, kind="cancelled").exists()


def test_record_outcome_after_the_start(world, users, time_machine):
    b = _book(world, users)
    c = client_for(users["officer"])
    url = reverse("contact:visit_outcome", args=[b.pk])
    r = c.post(url, {"took_place": "1"})
    assert r.status_code == 400 and "not started" in r.content.decode()
    time_machine.move_to(dt.datetime(2026, 3, 4, 16, 30, tzinfo=dt.UTC), tick=False)
    c = client_for(users["officer"])  # a new login: the old session has expired
    html = c.get(reverse("contact:visits_day") + f"?date={WED}").content.decode()
    assert url in html
    r = c.post(url, {"took_place": "0"})
    assert r.status_code == 302
    assert VisitBooking.objects.get(pk=b.pk).status == BookingStatus.NO_SHOW
    assert AuditEvent.objects.filter(action="visit.outcome", object_id=b.pk).exists()


def test_review_lists_flagged_and_keep_needs_visit_manage(world, users):
    b = _book(world, users)
    order(world["ep"], "visits_police")
    visits.bookings_review_for_order(
        actor=users["case_manager"],
        person_id=world["ep"].person_id,
        kind="visits_police",
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 3, 28),
    )
    html = client_for(users["case_manager"]).get(reverse("contact:visits_review")).content.decode()
    assert f'id="visit-{b.pk}"' in html and "police control" in html
    keep = reverse("contact:visit_keep", args=[b.pk])
    assert keep in html
    assert client_for(users["officer"]).get(keep).status_code == 404
    c = client_for(users["case_manager"])
    r = c.post(keep, {"note": "Politiet er til stede."})
    assert r.status_code == 302
    b.refresh_from_db()
    assert (b.status, b.note) == (BookingStatus.CONFIRMED, "Politiet er til stede.")


def test_review_lists_held_portal_bookings(world, users):
    b = visits.booking_make(
        actor=users["visitor"],
        episode=world["ep"],
        slot_key=f"{world['t'].pk}:2026-03-11",
        contacts=[world["c"]],
        via_portal=True,
    )
    html = client_for(users["officer"]).get(reverse("contact:visits_review")).content.decode()
    assert 'id="held"' in html and b.reference in html and 'id="no-flagged"' in html


def test_actions_on_a_booking_outside_the_caseload_are_404(world, users, estate):
    b = _book(world, users)
    c = client_for(users["lower_case_manager"])
    assert c.get(reverse("contact:visit_cancel", args=[b.pk])).status_code == 404
    assert c.post(reverse("contact:visit_cancel", args=[b.pk]), {"reason": "x"}).status_code == 404
    assert (
        c.post(reverse("contact:visit_outcome", args=[b.pk]), {"took_place": "1"}).status_code
        == 404
    )
    assert VisitBooking.objects.get(pk=b.pk).status == BookingStatus.CONFIRMED


# --- Rooms, sessions, blocked days --------------------------------------------------------------


def test_rooms_page_read_only_without_visit_manage(world, users):
    html = client_for(users["officer"]).get(reverse("contact:visit_rooms")).content.decode()
    assert "Besøksrom 1" in html and f'id="session-{world["t"].pk}"' in html
    assert reverse("contact:visit_room_new") not in html
    assert client_for(users["officer"]).get(reverse("contact:visit_room_new")).status_code == 404
    html = client_for(users["case_manager"]).get(reverse("contact:visit_rooms")).content.decode()
    assert reverse("contact:visit_room_new") in html
    assert reverse("contact:visit_session_end", args=[world["t"].pk]) in html


def test_room_and_session_forms(world, users):
    c = client_for(users["case_manager"])
    r = c.post(
        reverse("contact:visit_room_new"),
        {"name": "Familierommet", "kind": RoomKind.FAMILY, "capacity": 1, "seats": 5},
    )
    assert r.status_code == 302
    fam = VisitRoom.objects.get(name="Familierommet")
    r = c.post(reverse("contact:visit_room_new"), {"name": "familierommet", "kind": "family"})
    assert r.status_code == 400
    r = c.post(
        reverse("contact:visit_session_new", args=[fam.pk]),
        {
            "weekday": "5",
            "starts_at": "12:00",
            "ends_at": "11:00",
            "capacity": "2",
            "valid_from": "2026-03-07",
        },
    )
    assert r.status_code == 400 and "end after it starts" in r.content.decode()
    assert not VisitSessionTemplate.objects.filter(room=fam).exists()
    r = c.post(
        reverse("contact:visit_session_new", args=[fam.pk]),
        {
            "weekday": "5",
            "starts_at": "12:00",
            "ends_at": "13:00",
            "capacity": "2",
            "valid_from": "2026-03-07",
            "bookable_online": "on",
        },
    )
    assert r.status_code == 302
    t = VisitSessionTemplate.objects.get(room=fam)
    assert (t.weekday, t.bookable_online) == (5, True)
    r = c.post(
        reverse("contact:visit_room_edit", args=[fam.pk]),
        {"name": "Familierommet", "kind": "family", "capacity": 2, "seats": 6},
    )
    assert r.status_code == 302 and VisitRoom.objects.get(pk=fam.pk).seats == 6


def test_session_end_form_shows_stranded_visits(world, users):
    b = _book(world, users, "2026-03-11")
    c = client_for(users["case_manager"])
    url = reverse("contact:visit_session_end", args=[world["t"].pk])
    r = c.post(url, {"valid_to": "2026-03-05"})
    assert r.status_code == 400 and "1 visit is booked after that day" in r.content.decode()
    assert VisitSessionTemplate.objects.get(pk=world["t"].pk).valid_to is None
    r = c.post(url, {"valid_to": "2026-03-05", "cancel_bookings": "on", "reason": "Ny ordning"})
    assert r.status_code == 302
    b.refresh_from_db()
    assert (b.status, b.cancel_reason) == (BookingStatus.CANCELLED, "Ny ordning")


def test_blocked_day_form_and_removal(world, users):
    b = _book(world, users)
    c = client_for(users["case_manager"])
    url = reverse("contact:visit_blocked_new")
    r = c.post(url, {"day": WED, "room": "", "reason": ""})
    assert r.status_code == 400 and not BlockedDate.objects.exists()
    r = c.post(url, {"day": WED, "room": str(world["room"].pk), "reason": "Maling"})
    assert r.status_code == 302
    b.refresh_from_db()
    assert b.status == BookingStatus.CANCELLED
    blocked = BlockedDate.objects.get()
    html = c.get(reverse("contact:visit_rooms")).content.decode()
    assert "Maling" in html
    assert (
        client_for(users["officer"])
        .post(reverse("contact:visit_blocked_remove", args=[blocked.pk]))
        .status_code
        == 404
    )
    r = c.post(reverse("contact:visit_blocked_remove", args=[blocked.pk]))
    assert r.status_code == 302 and not BlockedDate.objects.exists()


# --- A person's visits --------------------------------------------------------------------------


def test_person_page_books_a_visit(world, users):
    c = client_for(users["officer"])
    r = c.get(_person_url(world))
    assert r.status_code == 200
    html = r.content.decode()
    key = f"{world['t'].pk}:{WED}"
    assert f'value="{key}"' in html and 'id="no-upcoming"' in html
    r = c.post(
        _person_url(world),
        {"action": "book", "slot": key, "contacts": [str(world["c"].pk)], "note": "Første"},
    )
    assert r.status_code == 302
    b = VisitBooking.objects.get()
    assert (b.status, b.note, b.booked_by) == (BookingStatus.CONFIRMED, "Første", users["officer"])
    html = c.get(_person_url(world)).content.decode()
    assert f'id="visit-{b.pk}"' in html


def test_person_page_shows_the_refusal_and_saves_nothing(world, users):
    order(world["ep"], "visit_ban")
    r = client_for(users["officer"]).post(
        _person_url(world),
        {"action": "book", "slot": f"{world['t'].pk}:{WED}", "contacts": [str(world["c"].pk)]},
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "The court has banned visits to this person until 28.03.2026." in html
    assert 'id="id_contacts_error"' in html
    assert not VisitBooking.objects.exists()


def test_person_page_refuses_an_unchecked_visitor_and_a_full_session(world, users, estate):
    unchecked = contact(world["ep"], visitor("Ola", cleared=False))
    r = client_for(users["officer"]).post(
        _person_url(world),
        {"action": "book", "slot": f"{world['t'].pk}:{WED}", "contacts": [str(unchecked.pk)]},
    )
    assert r.status_code == 400 and "no valid police check" in r.content.decode()
    for name in ("Berit", "Cecilie"):
        ep = admitted(users, estate.high, given_names=name)
        visits.booking_make(
            actor=users["case_manager"],
            episode=ep,
            slot_key=f"{world['t'].pk}:{WED}",
            contacts=[contact(ep, visitor(name, facility=estate.high))],
        )
    # The full session is no longer offered: choosing it anyway is a form error.
    r = client_for(users["officer"]).post(
        _person_url(world),
        {"action": "book", "slot": f"{world['t'].pk}:{WED}", "contacts": [str(world["c"].pk)]},
    )
    assert r.status_code == 400
    assert VisitBooking.objects.filter(person_id=world["ep"].person_id).count() == 0


def test_person_page_books_the_lawyers_visit(world, users, estate):
    lawyer_room = room(estate.high, "Advokatrommet", kind=RoomKind.LAWYER)
    adv = contact(
        world["ep"], visitor("Advokat", "Berg", organisation="Berg & Co", cleared=False), "lawyer"
    )
    order(world["ep"], "visit_ban")  # never stops the lawyer
    c = client_for(users["officer"])
    html = c.get(_person_url(world)).content.decode()
    assert "Advokat Berg, Berg &amp; Co" in html
    data = {
        "action": "lawyer",
        "contact": str(adv.pk),
        "room": str(lawyer_room.pk),
        "day": "2026-03-03",
        "starts": "10:00",
        "ends": "09:00",
    }
    r = c.post(_person_url(world), data)
    assert r.status_code == 400 and "end after it starts" in r.content.decode()
    r = c.post(_person_url(world), data | {"ends": "11:00"})
    assert r.status_code == 302
    b = VisitBooking.objects.get()
    assert (b.kind, b.supervised, b.room) == ("lawyer", False, lawyer_room)


def test_person_page_is_404_outside_the_caseload(world, users):
    for role in ("lower_case_manager", "health", "visitor"):
        assert client_for(users[role]).get(_person_url(world)).status_code == 404
    r = client_for(users["lower_case_manager"]).post(
        _person_url(world),
        {"action": "book", "slot": f"{world['t'].pk}:{WED}", "contacts": [str(world["c"].pk)]},
    )
    assert r.status_code == 404 and not VisitBooking.objects.exists()


# --- Under 18 -----------------------------------------------------------------------------------


def test_under_18_page(users, estate, frozen, time_machine):
    admitted(
        users, estate.high, estate.cells_a[1], given_names="Ola", birth_date=dt.date(2009, 1, 1)
    )
    time_machine.move_to(dt.datetime(2026, 4, 6, 9, 0, tzinfo=dt.UTC), tick=False)
    r = client_for(users["case_manager"]).get(reverse("contact:under_18_visits"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Ola" in html and 'id="due-alert"' in html and "Due a visit" in html
    assert client_for(users["health"]).get(reverse("contact:under_18_visits")).status_code == 404
