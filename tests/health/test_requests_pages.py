"""Pages of health requests and appointments: health staff see the queue, a request with its
text and forms, the day's calendar by clinician, an appointment, and a patient's requests; the
officer logs a request for a person and never reads it back, and sees the day's escorts as times
only. Everyone else gets a 404. Time is frozen at Monday 2 March 2026, 10:30 in Oslo."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format

from normalitet.audit.models import AuditEvent
from normalitet.health import services_requests as services
from normalitet.health.models import Appointment, HealthAuditEvent, HealthRequest

from .helpers import API, at, book, client_for, post_json, requests_world
from .helpers import requests_snapshot as snapshot

pytestmark = pytest.mark.django_db

SECRET = "Jeg tenker på å ta livet mitt og trenger å snakke med noen"
R = HealthRequest
A = Appointment
NON_HEALTH = (
    "officer",
    "contact_officer",
    "case_manager",
    "facility_leader",
    "regional",
    "national",
    "teacher",
    "person_in_custody",
    "visitor",
    "researcher",
    "admin",
)


@pytest.fixture
def world(estate: Any, users: dict[str, Any], frozen: Any, nurse: Any, doctor: Any) -> Any:
    return requests_world(users, estate)


def logged(users: dict[str, Any], world: Any, text: str = SECRET, service: str = "psychologist"):
    return services.request_submit_by_staff(
        actor=users["officer"], person_id=world["anders"].person_id, service=service, text=text
    )


def book_post(clinician: Any, **over: Any) -> dict[str, Any]:
    return {
        "action": "book",
        "book-clinician": str(clinician.pk),
        "book-service": "doctor",
        "book-day": "2026-03-03",
        "book-starts": "09:00",
        "book-minutes": "30",
        "book-place": "Legekontoret",
        "book-escort": "inside",
        "book-note": "",
        **over,
    }


# --- The officer logs a request and cannot read it back -----------------------------------------


def test_officer_logs_a_request_and_never_sees_its_text(world, users, nurse):
    officer = client_for(users["officer"])
    url = reverse("health:request_log", args=[world["anders"].person_id])
    seen: list[str] = []
    r = officer.get(url)
    assert r.status_code == 200
    seen.append(r.content.decode())
    assert "Anders" in seen[0] and 'id="no-receipts"' in seen[0]
    r = officer.post(url, {"service": "psychologist", "text": SECRET}, follow=True)
    assert r.redirect_chain == [(url, 302)]
    made = R.objects.get()
    html = r.content.decode()
    seen.append(html)
    assert (
        f"Sent to the health service. Reference {made.reference}. Only health staff can read it."
        in html
    )
    assert made.reference in html.split('id="receipts"')[1]  # in the receipt book too
    assert (made.text, made.channel, made.created_by_id) == (SECRET, "staff", users["officer"].pk)
    # Every other way in is closed to the officer.
    for name, args in (
        ("health:requests", []),
        ("health:request_detail", [made.pk]),
        ("health:person_requests", [world["anders"].person_id]),
        ("health:appointments", []),
    ):
        r = officer.get(reverse(name, args=args))
        assert r.status_code == 404
        seen.append(r.content.decode())
    for path in (
        "/requests",
        f"/requests/{made.pk}",
        f"/persons/{world['anders'].person_id}/requests",
    ):
        r = officer.get(f"{API}{path}")
        assert r.status_code == 404
        seen.append(r.content.decode())
    r = post_json(
        officer,
        f"{API}/persons/{world['anders'].person_id}/requests",
        {"service": "doctor", "text": "Vondt i kneet"},
    )
    assert r.status_code == 201 and set(r.json()) == {"reference", "submitted_at"}
    seen.append(r.content.decode())
    seen.append(officer.get(url).content.decode())
    for page in seen:
        assert SECRET not in page
        assert "Vondt i kneet" not in page
    # Nor the service: the only mention of it is the form's list to choose from.
    assert "Psychologist" not in seen[1].split('id="log-form"')[0]
    assert "Psychologist" not in seen[1].split('id="h-sent"')[1]
    assert "Vondt i kneet" in R.objects.get(service="doctor").text
    assert SECRET not in json.dumps(list(AuditEvent.objects.values()), default=str)
    # The health staff read it.
    r = client_for(nurse).get(reverse("health:request_detail", args=[made.pk]))
    assert r.status_code == 200 and SECRET in r.content.decode()


def test_the_receipt_book_lists_only_the_users_own_references(world, users):
    mine = logged(users, world)
    theirs = services.request_submit_by_staff(
        actor=users["contact_officer"],
        person_id=world["anders"].person_id,
        service="dentist",
        text="Tannpine",
    )
    html = (
        client_for(users["officer"])
        .get(reverse("health:request_log", args=[world["anders"].person_id]))
        .content.decode()
    )
    assert mine.reference in html and theirs.reference not in html
    receipts = html.split('id="h-sent"')[1]
    assert "Psychologist" not in receipts and "New" not in receipts


def test_a_bad_request_is_shown_at_the_form_and_nothing_is_sent(world, users):
    url = reverse("health:request_log", args=[world["anders"].person_id])
    before = snapshot()
    r = client_for(users["officer"]).post(url, {"service": "", "text": "   "})
    assert r.status_code == 400
    assert 'aria-invalid="true"' in r.content.decode()
    assert snapshot() == before


def test_request_log_is_404_outside_the_caseload_and_for_other_roles(world, users, nurse):
    officer = client_for(users["officer"])
    for person in (world["berit"], world["lars"]):
        url = reverse("health:request_log", args=[person.person_id])
        assert officer.get(url).status_code == 404
        assert officer.post(url, {"service": "doctor", "text": "x"}).status_code == 404
    url = reverse("health:request_log", args=[world["anders"].person_id])
    for user in (users["teacher"], users["health"], nurse, users["researcher"], users["admin"]):
        assert client_for(user).get(url).status_code == 404
    assert R.objects.count() == 0
    assert client_for(users["case_manager"]).get(url).status_code == 200


# --- Escorts ------------------------------------------------------------------------------------


def test_escorts_show_times_and_escort_only(world, users, nurse, doctor):
    book(
        nurse,
        world,
        at(2, 13),
        service="psychologist",
        minutes=45,
        place="Samtalerommet",
        escort="outside",
        note="Oppfølging etter selvskading",
    )
    book(
        nurse,
        world,
        at(2, 14),
        person_id=world["berit"].person_id,
        service="dentist",
        minutes=30,
        place="",
        escort="inside",
        clinician_id=doctor.pk,
    )
    url = reverse("health:escorts")
    r = client_for(users["officer"]).get(url)
    assert r.status_code == 200
    html = r.content.decode()
    assert "13:00–13:45" in html and "Anders" in html and "Outside the prison" in html
    for secret in ("Psychologist", "Samtalerommet", "selvskading", "Nurse Helse", "Berit"):
        assert secret not in html
    other = client_for(users["officer"]).get(f"{url}?date=2026-03-03").content.decode()
    assert 'id="no-escorts"' in other and 'href="?date=2026-03-02"' in other
    assert "Berit" in client_for(users["case_manager"]).get(url).content.decode()
    for role in ("health", "teacher", "researcher", "admin", "national"):
        assert client_for(users[role]).get(url).status_code == 404


# --- Health staff: the queue and a request ------------------------------------------------------


def test_queue_lists_new_triaged_and_booked(world, users, nurse):
    new = logged(users, world)
    tri = logged(users, world, text="Vondt i ryggen")
    services.request_triage(actor=nurse, request_id=tri.pk, priority="urgent", note="")
    r = client_for(nurse).get(reverse("health:requests"))
    assert r.status_code == 200
    html = r.content.decode()
    new_part = html.split('id="new-requests"')[1].split("</table>")[0]
    assert new.reference in new_part and tri.reference not in new_part
    triaged_part = html.split('id="triaged-requests"')[1].split("</table>")[0]
    assert tri.reference in triaged_part
    assert date_format(dt.date(2026, 3, 5), "SHORT_DATE_FORMAT") in triaged_part
    assert SECRET not in html  # the queue does not show texts
    assert 'aria-current="page"' in html.split('id="main"')[1].split("</nav>")[0]
    for role in NON_HEALTH:
        assert client_for(users[role]).get(reverse("health:requests")).status_code == 404


def test_queue_costs_the_same_with_more_requests(world, users, nurse):
    def queries() -> int:
        with (
            CaptureQueriesContext(connections["default"]) as main,
            CaptureQueriesContext(connections["health"]) as health,
        ):
            assert client_for(nurse).get(reverse("health:requests")).status_code == 200
        return len(main) + len(health)

    tri = logged(users, world)
    services.request_triage(actor=nurse, request_id=tri.pk, priority="routine", note="")
    one = queries()
    for i in range(4):
        logged(users, world, text=f"Nr {i}")
        extra = services.request_submit(
            actor=nurse, person_id=world["berit"].person_id, service="nurse", text=f"B {i}"
        )
        services.request_triage(actor=nurse, request_id=extra.pk, priority="urgent", note="")
    assert queries() == one


def test_request_detail_shows_the_text_and_logs_the_read(world, users, nurse):
    made = logged(users, world)
    r = client_for(nurse).get(reverse("health:request_detail", args=[made.pk]))
    assert r.status_code == 200
    html = r.content.decode()
    assert SECRET in html and made.reference in html
    assert 'id="triage-form"' in html and 'id="close-form"' in html
    assert 'id="book-form"' not in html and 'id="triage-first"' in html
    assert HealthAuditEvent.objects.filter(
        kind="access", action="view.request", person_id=made.person_id, actor_id=nurse.pk
    ).exists()
    for role in NON_HEALTH:
        url = reverse("health:request_detail", args=[made.pk])
        assert client_for(users[role]).get(url).status_code == 404


def test_request_of_another_facility_is_404(world, users, nurse):
    other = services.request_submit_by_staff(
        actor=users["lower_case_manager"],
        person_id=world["lars"].person_id,
        service="doctor",
        text="Annet",
    )
    c = client_for(nurse)
    assert c.get(reverse("health:request_detail", args=[other.pk])).status_code == 404
    assert c.get(reverse("health:request_detail", args=[other.pk + 50])).status_code == 404
    url = reverse("health:person_requests", args=[world["lars"].person_id])
    assert c.get(url).status_code == 404


def test_triage_book_and_close_from_the_request_page(world, users, nurse, doctor, time_machine):
    made = logged(users, world)
    c = client_for(nurse)
    url = reverse("health:request_detail", args=[made.pk])
    before = snapshot()
    r = c.post(url, {"action": "triage", "triage-priority": "", "triage-note": ""})
    assert r.status_code == 400 and snapshot() == before
    r = c.post(url, book_post(nurse))  # not open before triage
    assert r.status_code == 400 and snapshot() == before
    r = c.post(url, {"action": "triage", "triage-priority": "urgent", "triage-note": "Samme dag"})
    assert r.status_code == 302 and r["Location"] == url
    assert R.objects.get(pk=made.pk).priority == "urgent"
    html = c.get(url).content.decode()
    assert 'id="book-form"' in html
    # A refusal of the service is shown at the form, nothing saved.
    before = snapshot()
    r = c.post(url, book_post(nurse, **{"book-day": "2026-03-01"}))
    assert r.status_code == 400 and "The time has passed." in r.content.decode()
    assert snapshot() == before
    r = c.post(url, book_post(doctor))
    a = A.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse(
        "health:appointment_detail", args=[a.pk]
    )
    assert (a.starts_at, a.ends_at, a.clinician_id, a.request_id) == (
        at(3, 9),
        at(3, 9, 30),
        doctor.pk,
        made.pk,
    )
    assert R.objects.get(pk=made.pk).status == "booked"
    follow = c.get(r["Location"]).content.decode()
    assert "The appointment is booked: 03.03.2026 09:00 with Doctor Helse." in follow
    # Closing waits for the appointment.
    r = c.post(url, {"action": "close", "close-note": "Ferdig"})
    assert r.status_code == 409 and R.objects.get(pk=made.pk).status == "booked"
    time_machine.move_to(at(3, 9, 10), tick=False)
    services.appointment_outcome(actor=nurse, appointment_id=a.pk, status="attended", note="")
    c = client_for(nurse)  # a new day, a new login
    r = c.post(url, {"action": "close", "close-note": ""})
    assert r.status_code == 302 and r["Location"] == reverse("health:requests")
    assert R.objects.get(pk=made.pk).status == "closed"
    html = c.get(url).content.decode()
    assert 'id="close-form"' not in html and 'id="triage-form"' not in html


# --- Appointments -------------------------------------------------------------------------------


def test_day_view_groups_by_clinician_with_date_navigation(world, users, nurse, doctor):
    book(nurse, world, at(3, 10), minutes=15, place="", escort="none")
    book(
        nurse,
        world,
        at(3, 9),
        person_id=world["berit"].person_id,
        service="doctor",
        minutes=20,
        place="",
        clinician_id=doctor.pk,
    )
    url = reverse("health:appointments")
    c = client_for(nurse)
    html = c.get(f"{url}?date=2026-03-03").content.decode().split('id="h-day"')[1]
    assert html.index("Doctor Helse") < html.index("Nurse Helse")
    assert html.index("Berit") < html.index("Anders")
    assert "09:00–09:20" in html and "10:00–10:15" in html
    nav = c.get(f"{url}?date=2026-03-03").content.decode()
    assert 'href="?date=2026-03-02"' in nav and 'href="?date=2026-03-04"' in nav
    today = c.get(url).content.decode()
    assert 'id="no-appointments"' in today
    assert c.get(f"{url}?date=nonsense").status_code == 200
    for role in NON_HEALTH:
        assert client_for(users[role]).get(url).status_code == 404


def test_appointment_outcome_and_cancel_pages(world, users, nurse, time_machine):
    made = logged(users, world)
    services.request_triage(actor=nurse, request_id=made.pk, priority="routine", note="")
    a = book(
        nurse, world, at(2, 13), service="psychologist", minutes=30, place="", request_id=made.pk
    )
    c = client_for(nurse)
    url = reverse("health:appointment_detail", args=[a.pk])
    html = c.get(url).content.decode()
    assert 'id="cancel-form"' in html and 'id="outcome-form"' not in html
    assert 'id="not-started"' in html and made.reference in html
    assert HealthAuditEvent.objects.filter(kind="access", action="view.appointment").exists()
    before = snapshot()
    r = c.post(url, {"action": "outcome", "outcome-status": "attended"})
    assert r.status_code == 400 and snapshot() == before  # not open yet
    r = c.post(url, {"action": "cancel", "cancel-reason": ""})
    assert r.status_code == 400 and snapshot() == before
    time_machine.move_to(at(2, 13, 5), tick=False)
    html = c.get(url).content.decode()
    assert 'id="outcome-form"' in html and 'id="cancel-form"' in html
    r = c.post(url, {"action": "outcome", "outcome-status": "did_not_attend", "outcome-note": ""})
    assert r.status_code == 302
    assert A.objects.get(pk=a.pk).status == "did_not_attend"
    assert R.objects.get(pk=made.pk).status == "triaged"
    assert "Recorded: the person did not come." in c.get(url).content.decode()
    for role in NON_HEALTH:
        assert client_for(users[role]).get(url).status_code == 404


def test_cancel_from_the_appointment_page(world, nurse):
    a = book(nurse, world, at(4, 9), service="dentist", minutes=30, place="", escort="outside")
    c = client_for(nurse)
    url = reverse("health:appointment_detail", args=[a.pk])
    r = c.post(url, {"action": "cancel", "cancel-reason": "Tannlegen er syk"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert (a.status, a.status_note) == ("cancelled", "Tannlegen er syk")


# --- A patient's requests and appointments ------------------------------------------------------


def test_person_requests_page_with_forms(world, users, nurse):
    made = logged(users, world)
    c = client_for(nurse)
    url = reverse("health:person_requests", args=[world["anders"].person_id])
    r = c.get(url)
    assert r.status_code == 200
    html = r.content.decode()
    assert made.reference in html and "Anders" in html
    assert 'id="request-form"' in html and 'id="book-form"' in html
    assert re.search(r'aria-current="page"[^>]*>Requests and appointments<', html) or (
        'aria-current="page">Requests and appointments' in html
    )
    assert HealthAuditEvent.objects.filter(
        kind="access", action="view.requests", person_id=world["anders"].person_id
    ).exists()
    before = snapshot()
    r = c.post(url, {"action": "request", "request-service": "nurse", "request-text": ""})
    assert r.status_code == 400 and snapshot() == before
    r = c.post(
        url, {"action": "request", "request-service": "nurse", "request-text": "Sår på hånden"}
    )
    taken = R.objects.get(text="Sår på hånden")
    assert r.status_code == 302
    assert r["Location"] == reverse("health:request_detail", args=[taken.pk])
    assert taken.channel == "health"
    r = c.post(url, book_post(nurse, **{"book-service": "nurse", "book-day": "2026-03-02"}))
    assert r.status_code == 400  # 09:00 today has passed
    r = c.post(url, book_post(nurse, **{"book-service": "nurse", "book-starts": "11:00"}))
    assert r.status_code == 302
    a = A.objects.get()
    assert (a.request_id, a.starts_at, a.clinician_id) == (None, at(3, 11), nurse.pk)
    html = c.get(url).content.decode()
    assert f'id="appointment-{a.pk}"' in html.split('id="upcoming"')[1]
    for role in NON_HEALTH:
        assert client_for(users[role]).get(url).status_code == 404
    assert c.post(url, {"action": "nonsense"}).status_code == 400


def test_pages_leave_the_text_out_of_the_main_audit(world, users, nurse):
    made = logged(users, world)
    c = client_for(nurse)
    c.get(reverse("health:request_detail", args=[made.pk]))
    c.get(reverse("health:person_requests", args=[world["anders"].person_id]))
    c.post(
        reverse("health:request_detail", args=[made.pk]),
        {"action": "triage", "triage-priority": "acute", "triage-note": "Selvmordstanker"},
    )
    main = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert SECRET not in main and "Selvmordstanker" not in main
    health_log = json.dumps(list(HealthAuditEvent.objects.values()), default=str)
    assert SECRET not in health_log and "Selvmordstanker" not in health_log
