"""The visits API under /api/v1/contact/: free places, booking (refusals with the shared error
shape, nothing saved), the lawyer's visit, the day, cancel / outcome / keep, rooms, sessions,
blocked dates and the under-18 list. Out of scope is a 404. Time is frozen at Monday 2 March
2026, 10:30 in Oslo."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from normalitet.audit.models import AuditEvent
from normalitet.contact import visits
from normalitet.contact.models import (
    BlockedDate,
    BookingStatus,
    VisitBooking,
    VisitRoom,
    VisitSessionTemplate,
)

from ..custody.helpers import admitted
from .helpers import API, client_for, contact, order, post_api, room, session, visitor

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


def test_slots_default_four_weeks_and_limits(world, users):
    c = client_for(users["officer"])
    r = c.get(f"{API}/visits/slots")
    assert r.status_code == 200
    rows = r.json()
    assert [s["day"] for s in rows] == ["2026-03-04", "2026-03-11", "2026-03-18", "2026-03-25"]
    assert rows[0]["slot"] == f"{world['t'].pk}:{WED}" and rows[0]["free"] == 2
    r = c.get(f"{API}/visits/slots?date_from=2026-03-02&date_to=2026-04-10")
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "date_to"
    r = c.get(f"{API}/visits/slots?date_from=2026-03-10&date_to=2026-03-02")
    assert r.status_code == 400
    assert client_for(users["health"]).get(f"{API}/visits/slots").status_code == 404


def test_book_list_and_day(world, users):
    c = client_for(users["officer"])
    url = f"/persons/{world['ep'].person_id}/visits"
    r = post_api(c, url, {"slot": f"{world['t'].pk}:{WED}", "contacts": [world["c"].pk]})
    assert r.status_code == 201, r.content
    made = r.json()
    assert (made["status"], made["supervised"], made["visitors"][0]["name"]) == (
        "confirmed",
        True,
        "Kari Nordmann",
    )
    assert [b["id"] for b in c.get(f"{API}{url}").json()] == [made["id"]]
    day = c.get(f"{API}/visits/day?date={WED}").json()
    assert [b["reference"] for b in day] == [made["reference"]]
    assert AuditEvent.objects.filter(action="visit.book", object_id=made["id"]).exists()


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"slot": "nonsense", "contacts": []}, 400, "slot"),
        ({"slot": "{t}:2026-03-05", "contacts": ["{c}"]}, 404, None),
        ({"slot": "{t}:" + WED, "contacts": [999999]}, 400, "contacts"),
        ({"slot": "{t}:" + WED, "contacts": "many"}, 422, "contacts"),
    ],
)
def test_book_refusals(world, users, body, status, field):
    body = json.loads(
        json.dumps(body).replace("{t}", str(world["t"].pk)).replace('"{c}"', str(world["c"].pk))
    )
    r = post_api(client_for(users["officer"]), f"/persons/{world['ep'].person_id}/visits", body)
    assert r.status_code == status, r.content
    assert r.json()["errors"][0]["field"] == field
    assert not VisitBooking.objects.exists()


def test_book_refused_by_the_court_and_when_full(world, users, estate):
    order(world["ep"], "visit_ban")
    c = client_for(users["officer"])
    body = {"slot": f"{world['t'].pk}:{WED}", "contacts": [world["c"].pk]}
    r = post_api(c, f"/persons/{world['ep'].person_id}/visits", body)
    assert r.status_code == 400
    err = r.json()["errors"][0]
    assert (err["field"], err["rule"]) == ("visitors", "visit-rules")
    assert "banned visits" in err["message"]
    for name in ("Berit", "Cecilie"):
        ep = admitted(users, estate.high, given_names=name)
        post_api(
            client_for(users["case_manager"]),
            f"/persons/{ep.person_id}/visits",
            {
                "slot": body["slot"],
                "contacts": [contact(ep, visitor(name, facility=estate.high)).pk],
            },
        )
    ep = admitted(users, estate.high, estate.cells_a[1], given_names="Dag")
    r = post_api(
        c,
        f"/persons/{ep.person_id}/visits",
        {"slot": body["slot"], "contacts": [contact(ep, visitor("Eva", facility=estate.high)).pk]},
    )
    assert r.status_code == 409 and r.json()["errors"][0]["rule"] == "capacity"
    assert VisitBooking.objects.count() == 2


def test_book_outside_the_caseload_is_404(world, users):
    r = post_api(
        client_for(users["lower_case_manager"]),
        f"/persons/{world['ep'].person_id}/visits",
        {"slot": f"{world['t'].pk}:{WED}", "contacts": [world["c"].pk]},
    )
    assert r.status_code == 404 and not VisitBooking.objects.exists()
    r = client_for(users["lower_case_manager"]).get(f"{API}/persons/{world['ep'].person_id}/visits")
    assert r.status_code == 404


def test_lawyer_visit(world, users, estate):
    lawyer_room = room(estate.high, "Advokatrommet", kind="lawyer")
    adv = contact(world["ep"], visitor("Advokat", "Berg", cleared=False), "lawyer")
    body = {
        "contact_id": adv.pk,
        "room_id": lawyer_room.pk,
        "day": "2026-03-03",
        "starts": "10:00",
        "ends": "11:00",
    }
    url = f"/persons/{world['ep'].person_id}/visits/lawyer"
    r = post_api(client_for(users["officer"]), url, body | {"contact_id": world["c"].pk})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "contact"
    r = post_api(client_for(users["officer"]), url, body)
    assert r.status_code == 201, r.content
    assert (r.json()["kind"], r.json()["supervised"]) == ("lawyer", False)
    r = post_api(client_for(users["officer"]), url, body)
    assert r.status_code == 409


def test_cancel_outcome_and_keep(world, users, time_machine):
    b = _book(world, users)
    c = client_for(users["officer"])
    r = post_api(c, f"/visits/{b.pk}/cancel", {"reason": " "})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "reason"
    r = post_api(c, f"/visits/{b.pk}/outcome", {"took_place": True})
    assert r.status_code == 400
    # keep: only a flagged visit, and only with VISIT_MANAGE
    assert post_api(c, f"/visits/{b.pk}/keep", {"note": "x"}).status_code == 403
    r = post_api(client_for(users["case_manager"]), f"/visits/{b.pk}/keep", {"note": "x"})
    assert r.status_code == 400
    # outside the caseload: 404, nothing changed
    r = post_api(client_for(users["lower_case_manager"]), f"/visits/{b.pk}/cancel", {"reason": "x"})
    assert r.status_code == 404
    assert VisitBooking.objects.get(pk=b.pk).status == BookingStatus.CONFIRMED
    time_machine.move_to(dt.datetime(2026, 3, 4, 16, 30, tzinfo=dt.UTC), tick=False)
    c = client_for(users["officer"])
    r = post_api(c, f"/visits/{b.pk}/outcome", {"took_place": True})
    assert r.status_code == 200 and r.json()["status"] == "completed"
    other = _book(world, users, "2026-03-11")
    r = post_api(c, f"/visits/{other.pk}/cancel", {"reason": "Syk"})
    assert r.status_code == 200 and r.json()["cancel_reason"] == "Syk"


def test_keep_a_flagged_visit(world, users):
    b = _book(world, users)
    order(world["ep"], "visits_police")
    visits.bookings_review_for_order(
        actor=users["case_manager"],
        person_id=world["ep"].person_id,
        kind="visits_police",
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 3, 28),
    )
    r = post_api(
        client_for(users["case_manager"]), f"/visits/{b.pk}/keep", {"note": "Politiet møter"}
    )
    assert r.status_code == 200 and r.json()["status"] == "confirmed"


def test_rooms_sessions_and_blocked_dates(world, users):
    cm = client_for(users["case_manager"])
    r = post_api(cm, "/visits/rooms", {"name": "Glassrommet", "kind": "non_contact", "seats": 2})
    assert r.status_code == 201, r.content
    room_id = r.json()["id"]
    assert (
        post_api(
            client_for(users["officer"]), "/visits/rooms", {"name": "X", "kind": "ordinary"}
        ).status_code
        == 403
    )
    r = post_api(cm, f"/visits/rooms/{room_id}", {"capacity": 2})
    assert r.status_code == 200 and r.json()["capacity"] == 2
    session_body = {
        "weekday": 6,
        "starts_at": "13:00",
        "ends_at": "14:00",
        "capacity": 2,
        "valid_from": "2026-03-08",
    }
    r = post_api(cm, f"/visits/rooms/{room_id}/sessions", session_body)
    assert r.status_code == 201, r.content
    r = post_api(
        cm, f"/visits/rooms/{room_id}/sessions", session_body | {"valid_from": "2026-03-01"}
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "valid_from"
    rooms = client_for(users["officer"]).get(f"{API}/visits/rooms").json()
    assert {r["name"]: len(r["sessions"]) for r in rooms} == {"Besøksrom 1": 1, "Glassrommet": 1}
    b = _book(world, users)
    r = post_api(cm, "/visits/blocked-dates", {"day": WED, "reason": "Påskeøvelse"})
    assert r.status_code == 201 and r.json()["cancelled"] == 1
    assert VisitBooking.objects.get(pk=b.pk).status == BookingStatus.CANCELLED
    blocked_id = r.json()["id"]
    assert cm.delete(f"{API}/visits/blocked-dates/{blocked_id}").status_code == 204
    assert not BlockedDate.objects.exists()
    # another facility's room: 404
    r = post_api(
        client_for(users["lower_case_manager"]),
        f"/visits/rooms/{world['room'].pk}/sessions",
        session_body,
    )
    assert r.status_code == 404
    assert VisitSessionTemplate.objects.count() == 2
    assert VisitRoom.objects.count() == 2


def test_session_end_api(world, users):
    _book(world, users, "2026-03-11")
    cm = client_for(users["case_manager"])
    url = f"/visits/sessions/{world['t'].pk}/end"
    r = post_api(cm, url, {"valid_to": "2026-03-05"})
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "cancel_bookings"
    r = post_api(cm, url, {"valid_to": "2026-03-05", "cancel_bookings": True})
    assert r.status_code == 200 and r.json()["cancelled"] == 1
    assert r.json()["session"]["valid_to"] == "2026-03-05"


def test_under_18(users, estate, frozen):
    ep = admitted(
        users, estate.high, estate.cells_a[1], given_names="Ola", birth_date=dt.date(2009, 1, 1)
    )
    rows = client_for(users["case_manager"]).get(f"{API}/visits/under-18").json()
    assert [(r["person_id"], r["age"], r["due"]) for r in rows] == [(ep.person_id, 17, False)]
    assert client_for(users["national"]).get(f"{API}/visits/under-18").status_code == 404
