"""The family portal's pages: registration, asking to be a contact (with children), booking in
two steps (hold, confirm), release, lapse and cancel, notices, and that a visitor only ever
reaches their own records while staff reach none of the portal. Time is frozen at Monday
2 March 2026 (10:30 in Oslo)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from normalitet.audit.models import AuditEvent
from normalitet.contact import contacts
from normalitet.contact.models import (
    BookingStatus,
    BookingVisitor,
    Contact,
    Notice,
    VisitBooking,
    Visitor,
)

from ..contact.helpers import contact, order, room, session, visitor
from ..custody.helpers import admitted
from .helpers import WED, client_for, portal_user

pytestmark = pytest.mark.django_db
User = get_user_model()

REGISTER = {
    "given_names": "Lise",
    "family_name": "Hansen",
    "birth_date": "1985-04-01",
    "email": "Lise.Hansen@Example.org",
    "phone": "+4791234567",
    "password": "en-lang-og-trygg-setning",
    "password_again": "en-lang-og-trygg-setning",
    "preferred_language": "en",
}


def _children(*rows):
    data = {
        "children-TOTAL_FORMS": "3",
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "0",
        "children-MAX_NUM_FORMS": "6",
    }
    for i, row in enumerate(rows):
        data |= {f"children-{i}-{k}": v for k, v in row.items()}
    return data


@pytest.fixture
def world(estate, users, frozen):
    ep = admitted(users, estate.high, estate.cells_a[0], given_names="Anders")
    kari = portal_user(facility=estate.high)
    r = room(estate.high)
    t = session(r, capacity=2)
    return {"ep": ep, "kari": kari, "room": r, "t": t, "c": contact(ep, kari)}


def _key(world, day=WED):
    return f"{world['t'].pk}:{day.isoformat()}"


def _hold(world, client=None):
    c = client or client_for(world["kari"].user)
    r = c.post(f"/portal/contacts/{world['c'].pk}/book/", {"slot": _key(world)})
    assert r.status_code == 302, r.content.decode()
    return VisitBooking.objects.get(pk=int(r["Location"].rstrip("/").split("/")[-1]))


# --- Registration -------------------------------------------------------------------------------


def test_register_creates_user_and_visitor_logs_in_and_audits(db, frozen):
    c = client_for_anonymous()
    assert c.get("/portal/register/").status_code == 200
    r = c.post("/portal/register/", REGISTER)
    assert r.status_code == 302 and r["Location"] == "/portal/"
    user = User.objects.get(username="lise.hansen@example.org")
    assert (user.role, user.email, user.preferred_language) == (
        "visitor",
        "lise.hansen@example.org",
        "en",
    )
    assert user.check_password(REGISTER["password"])
    v = Visitor.objects.get(user=user)
    assert (v.full_name, v.birth_date, v.phone) == (
        "Lise Hansen",
        dt.date(1985, 4, 1),
        "+4791234567",
    )
    assert AuditEvent.objects.filter(action="visitor.register", object_id=str(v.pk)).count() == 1
    assert r.cookies["django_language"].value == "en"
    home = c.get("/portal/")
    assert home.status_code == 200 and "Welcome, Lise" in home.content.decode()


def client_for_anonymous():
    from django.test import Client

    return Client()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"password_again": "noe-helt-annet-enn-sist"}, "The two passwords are not the same."),
        ({"password": "kort", "password_again": "kort"}, "too short"),
        ({"email": "ikke-en-adresse"}, "Enter a valid email address."),
        ({"given_names": ""}, "This field is required."),
        ({"phone": " "}, "This field is required."),
        ({"birth_date": "2030-01-01"}, "must be 18 or older"),
        ({"preferred_language": "sv"}, "Select a valid choice."),
    ],
)
def test_register_bad_input_saves_nothing(db, frozen, change, message):
    before = (User.objects.count(), Visitor.objects.count(), AuditEvent.objects.count())
    r = client_for_anonymous().post("/portal/register/", REGISTER | change)
    assert r.status_code == 400
    assert message in r.content.decode()
    assert 'aria-invalid="true"' in r.content.decode()
    assert (User.objects.count(), Visitor.objects.count(), AuditEvent.objects.count()) == before


def test_register_refuses_under_18(db, frozen):
    r = client_for_anonymous().post("/portal/register/", REGISTER | {"birth_date": "2008-03-03"})
    assert r.status_code == 400
    assert "You must be 18 or older to register." in r.content.decode()
    assert not User.objects.filter(role="visitor").exists()
    # 18 today is old enough.
    r = client_for_anonymous().post("/portal/register/", REGISTER | {"birth_date": "2008-03-02"})
    assert r.status_code == 302


def test_register_refuses_a_taken_email_in_any_case(db, frozen):
    assert client_for_anonymous().post("/portal/register/", REGISTER).status_code == 302
    r = client_for_anonymous().post(
        "/portal/register/", REGISTER | {"email": "LISE.HANSEN@example.ORG", "given_names": "A"}
    )
    assert r.status_code == 400
    assert "already registered" in r.content.decode()
    assert User.objects.filter(role="visitor").count() == 1


def test_registration_is_throttled(db, frozen, settings):
    c = client_for_anonymous()
    for _i in range(20):
        assert c.post("/portal/register/", REGISTER | {"email": "x"}).status_code == 400
    r = c.post("/portal/register/", REGISTER)
    assert r.status_code == 429 and not User.objects.filter(role="visitor").exists()


def test_logged_in_user_is_sent_home_from_registration(world, users):
    r = client_for(world["kari"].user).get("/portal/register/")
    assert r.status_code == 302


# --- Asking to be a contact ---------------------------------------------------------------------


def _request_body(ep, **extra):
    return {
        "person_number": ep.person.person_number.lower(),
        "person_birth_date": ep.person.birth_date.isoformat(),
        "relationship": "partner",
        "note": "Vi er samboere.",
        **_children(),
        **extra,
    }


def test_guessing_persons_is_limited(estate, users, frozen):
    """Ten tries an hour at naming a person; the eleventh is refused and nothing is made."""
    ep = admitted(users, estate.high, estate.cells_a[0], given_names="Anders")
    c = client_for(portal_user(facility=estate.high).user)
    wrong = _request_body(ep, person_birth_date="1950-01-01")
    for _i in range(10):
        assert c.post("/portal/contacts/new/", wrong).status_code == 400
    r = c.post("/portal/contacts/new/", _request_body(ep))
    assert r.status_code == 429 and "many requests" in r.content.decode()
    assert not Contact.objects.exists()


def test_request_with_a_child_then_approved_book_confirm_and_notice(
    estate, users, frozen, django_capture_on_commit_callbacks
):
    ep = admitted(users, estate.high, estate.cells_a[0], given_names="Anders")
    session(room(estate.high), capacity=2)
    kari = portal_user(facility=estate.high)
    c = client_for(kari.user)
    assert c.get("/portal/contacts/new/").status_code == 200
    body = _request_body(ep) | _children(
        {
            "given_names": "Ola",
            "family_name": "Nordmann",
            "birth_date": "2018-06-01",
            "relationship": "child",
        }
    )
    r = c.post("/portal/contacts/new/", body)
    assert r.status_code == 302 and r["Location"] == "/portal/"
    page = c.get("/portal/").content.decode()
    assert "Your 2 requests are sent." in page and "up to 4 weeks" in page
    mine = Contact.objects.get(visitor=kari)
    ola = Visitor.objects.get(given_names="Ola")
    child = Contact.objects.get(visitor=ola)
    assert (mine.status, mine.relationship, mine.requested_via_portal) == (
        "requested",
        "partner",
        True,
    )
    assert (child.status, child.relationship, ola.registered_by_id, ola.user_id) == (
        "requested",
        "child",
        kari.pk,
        None,
    )
    assert "Requested" in page and "Anders" in page and "Fjellvik fengsel" in page
    # Not approved yet: nothing to book.
    assert c.get(f"/portal/contacts/{mine.pk}/book/").status_code == 400

    cm = users["case_manager"]
    for x in (mine, child):
        contacts.contact_decide(actor=cm, contact=x, approve=True)
        contacts.visitor_list_set(actor=cm, contact=x, on=True)
    page = c.get(f"/portal/contacts/{mine.pk}/book/").content.decode()
    assert "Wednesday 4. March" in page and "17:00–18:00" in page and "2 places free" in page
    assert "Ola Nordmann" in page
    slot = page.split('name="slot" value="')[1].split('"')[0]
    r = c.post(f"/portal/contacts/{mine.pk}/book/", {"slot": slot, "companions": [child.pk]})
    assert r.status_code == 302
    booking = VisitBooking.objects.get()
    assert booking.status == BookingStatus.HELD and booking.via_portal
    assert set(BookingVisitor.objects.values_list("visitor_id", flat=True)) == {kari.pk, ola.pk}
    page = c.get(r["Location"]).content.decode()
    assert "Confirm your visit" in page and "until 10:45" in page and booking.reference in page

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(r["Location"])
    assert r.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    notice = Notice.objects.get(visitor=kari, kind="confirmed")
    assert Notice.objects.filter(visitor=ola, kind="confirmed").count() == 1
    assert [m.to for m in mail.outbox] == [["kari@example.org"]]
    assert booking.reference in mail.outbox[0].body
    page = c.get(r["Location"]).content.decode()
    assert "Your visit is booked" in page and "Bring identification" in page
    assert "Ola Nordmann" in page and "Kari Nordmann" in page
    assert AuditEvent.objects.filter(action="visit.confirm", object_id=str(booking.pk)).exists()

    home = c.get("/portal/").content.decode()
    assert f'id="booking-{booking.pk}"' in home and "(unread)" in home
    # Notices are written in the visitor's language; the newest comes first.
    approved = Notice.objects.get(visitor=kari, kind="contact")
    assert home.index(notice.subject) < home.index(approved.subject)
    r = c.get(f"/portal/notices/{notice.pk}/")
    assert r.status_code == 200 and booking.reference in r.content.decode()
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_request_bad_input_changes_nothing(world, users):
    c = client_for(world["kari"].user)
    ep = world["ep"]
    before = (Contact.objects.count(), Visitor.objects.count())
    r = c.post("/portal/contacts/new/", _request_body(ep, person_number="X0000000"))
    assert (
        r.status_code == 400 and "No person in custody has this person number" in r.content.decode()
    )
    r = c.post("/portal/contacts/new/", _request_body(ep, relationship="lawyer"))
    assert r.status_code == 400 and "Select a valid choice." in r.content.decode()
    # A child of 18 or more registers themself; nothing at all is saved.
    other = admitted(users, world["ep"].facility, given_names="Berit")
    body = _request_body(other) | _children(
        {
            "given_names": "Per",
            "family_name": "N",
            "birth_date": "2000-01-01",
            "relationship": "child",
        }
    )
    r = c.post("/portal/contacts/new/", body)
    assert r.status_code == 400 and "registers in the portal themselves" in r.content.decode()
    assert 'id="id_children-0-birth_date_error"' in r.content.decode()
    # Half a child row: the missing fields are named.
    body = _request_body(other) | _children({"given_names": "Per"})
    r = c.post("/portal/contacts/new/", body)
    assert (
        r.status_code == 400
        and "Child 1, family name: This field is required." in r.content.decode()
    )
    # Already a contact, and no child named.
    r = c.post("/portal/contacts/new/", _request_body(ep))
    assert r.status_code == 400 and "already asked to be, or are, a contact" in r.content.decode()
    assert (Contact.objects.count(), Visitor.objects.count()) == before


def test_an_existing_contact_adds_a_child_only(world):
    c = client_for(world["kari"].user)
    body = _request_body(world["ep"]) | _children(
        {
            "given_names": "Ola",
            "family_name": "Nordmann",
            "birth_date": "2018-06-01",
            "relationship": "child",
        }
    )
    assert c.post("/portal/contacts/new/", body).status_code == 302
    assert Contact.objects.filter(visitor=world["kari"]).count() == 1
    assert Contact.objects.get(visitor__given_names="Ola").status == "requested"
    # Asked again for the same child: refused, nothing new.
    r = c.post("/portal/contacts/new/", body)
    assert r.status_code == 400 and "Ola Nordmann is already a contact" in r.content.decode()
    assert Visitor.objects.filter(given_names="Ola").count() == 1


# --- Booking ------------------------------------------------------------------------------------


def test_hold_lapses_then_confirm_is_refused(world, time_machine):
    booking = _hold(world)
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 46, tzinfo=dt.UTC), tick=False)
    c = client_for(world["kari"].user)
    page = c.get(f"/portal/bookings/{booking.pk}/").content.decode()
    assert "The hold ran out" in page and "Choose a time again" in page
    r = c.post(f"/portal/bookings/{booking.pk}/")
    assert r.status_code == 409 and "hold ran out before it was confirmed" in r.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.HELD
    assert not Notice.objects.filter(kind="confirmed").exists()
    # The lapsed hold no longer takes a place, and is among the earlier visits.
    home = c.get("/portal/").content.decode()
    assert "Earlier and cancelled visits" in home and "The hold ran out" in home


def test_release_a_hold(world):
    booking = _hold(world)
    c = client_for(world["kari"].user)
    r = c.post(f"/portal/bookings/{booking.pk}/release/")
    assert r.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert c.get(f"/portal/bookings/{booking.pk}/release/").status_code == 405


def test_cancel_a_confirmed_visit(world):
    booking = _hold(world)
    c = client_for(world["kari"].user)
    c.post(f"/portal/bookings/{booking.pk}/")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert c.get(f"/portal/bookings/{booking.pk}/cancel/").status_code == 200
    r = c.post(f"/portal/bookings/{booking.pk}/cancel/", {"reason": "  "})
    assert r.status_code == 400 and "Give the reason for cancelling." in r.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    r = c.post(f"/portal/bookings/{booking.pk}/cancel/", {"reason": "Syk"})
    assert r.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.cancel_reason) == (BookingStatus.CANCELLED, "Syk")
    assert AuditEvent.objects.filter(action="visit.cancel", object_id=str(booking.pk)).exists()
    assert not Notice.objects.filter(kind="cancelled").exists()  # she cancelled it herself
    r = c.post(f"/portal/bookings/{booking.pk}/cancel/", {"reason": "Igjen"})
    assert r.status_code == 400 and "Only a visit still to come" in r.content.decode()


def test_court_visit_ban_is_shown_with_its_reason(world):
    order(world["ep"], "visit_ban")
    r = client_for(world["kari"].user).post(
        f"/portal/contacts/{world['c'].pk}/book/", {"slot": _key(world)}
    )
    assert r.status_code == 400
    assert "The court has banned visits to this person until 28.03.2026." in r.content.decode()
    assert not VisitBooking.objects.exists()


@pytest.mark.parametrize(
    ("slot", "message"),
    [
        ("", "Choose a visiting time."),
        ("nonsense", "Choose a visiting time from the list."),
        (None, "at least 24 hours ahead"),
        ("far", "at most 28 days ahead"),
    ],
)
def test_booking_refusals_are_plain(world, time_machine, slot, message):
    if slot is None:
        time_machine.move_to(dt.datetime(2026, 3, 4, 8, 0, tzinfo=dt.UTC), tick=False)
        slot = _key(world)
    elif slot == "far":
        slot = _key(world, dt.date(2026, 4, 1))
    r = client_for(world["kari"].user).post(
        f"/portal/contacts/{world['c'].pk}/book/", {"slot": slot}
    )
    assert r.status_code == 400 and message in r.content.decode()
    assert not VisitBooking.objects.exists()


def test_police_check_pending_and_not_listed_are_refused(world, estate):
    pending = portal_user("Per", facility=None, email="per@example.org")
    from normalitet.contact.models import PoliceCheck

    PoliceCheck.objects.create(
        visitor=pending, facility=estate.high, requested_on=dt.date(2026, 3, 1)
    )
    c_pending = contact(world["ep"], pending, "friend", listed=False)
    r = client_for(pending.user).post(
        f"/portal/contacts/{c_pending.pk}/book/", {"slot": _key(world)}
    )
    body = r.content.decode()
    assert r.status_code == 400
    assert "Per Nordmann is not on the visitor list." in body
    assert "the police check is not yet answered" in body


def test_fully_booked_is_a_conflict(world, users, estate):
    for name in ("Berit", "Cecilie"):
        ep = admitted(users, estate.high, given_names=name)
        v = visitor(name, facility=estate.high)
        from normalitet.contact import visits

        visits.booking_make(
            actor=users["officer"], episode=ep, slot_key=_key(world), contacts=[contact(ep, v)]
        )
    c = client_for(world["kari"].user)
    page = c.get(f"/portal/contacts/{world['c'].pk}/book/").content.decode()
    assert f'value="{_key(world)}"' not in page and "Wednesday 11. March" in page
    r = c.post(f"/portal/contacts/{world['c'].pk}/book/", {"slot": _key(world)})
    assert r.status_code == 409 and "fully booked" in r.content.decode()


# --- Only one's own -----------------------------------------------------------------------------


def test_another_visitors_records_are_404(world, estate):
    booking = _hold(world)
    notice = Notice.objects.create(
        visitor=world["kari"], kind="contact", subject="S", body="B", created_at=booking.created_at
    )
    per = portal_user("Per", facility=estate.high, email="per@example.org")
    c = client_for(per.user)
    assert c.get("/portal/").status_code == 200
    for url in (
        f"/portal/contacts/{world['c'].pk}/book/",
        f"/portal/bookings/{booking.pk}/",
        f"/portal/bookings/{booking.pk}/cancel/",
        f"/portal/notices/{notice.pk}/",
    ):
        assert c.get(url).status_code == 404, url
    assert (
        c.post(f"/portal/contacts/{world['c'].pk}/book/", {"slot": _key(world)}).status_code == 404
    )
    assert c.post(f"/portal/bookings/{booking.pk}/").status_code == 404
    assert c.post(f"/portal/bookings/{booking.pk}/release/").status_code == 404
    assert c.post(f"/portal/bookings/{booking.pk}/cancel/", {"reason": "x"}).status_code == 404
    booking.refresh_from_db()
    notice.refresh_from_db()
    assert booking.status == BookingStatus.HELD and notice.read_at is None


@pytest.mark.parametrize(
    "role", ["officer", "case_manager", "facility_leader", "admin", "person_in_custody", "visitor"]
)
def test_staff_and_others_get_404_on_every_portal_page(world, users, role):
    booking = _hold(world)
    c = client_for(users[role])  # the "visitor" user here has no visitor record
    for url in (
        "/portal/",
        "/portal/contacts/new/",
        f"/portal/contacts/{world['c'].pk}/book/",
        f"/portal/bookings/{booking.pk}/",
        f"/portal/bookings/{booking.pk}/cancel/",
    ):
        assert c.get(url).status_code == 404, url


def test_anonymous_is_sent_to_login(world):
    r = client_for_anonymous().get("/portal/")
    assert r.status_code == 302 and "/auth/login/" in r["Location"]
