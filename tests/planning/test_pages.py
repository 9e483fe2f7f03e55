"""The plan page, its forms and the caseload page; the caseload costs the same with any
number of persons."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from normalitet.audit.models import AuditEvent
from normalitet.custody.models import CustodyEpisode
from normalitet.planning import services
from normalitet.planning.models import ContactOfficerAllocation, ContactSession

from ..custody.helpers import admitted
from ..factories import CellFactory
from .helpers import allocated, capacity

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_plan_page_shows_officer_history_needs_deadline_and_sessions(estate, users, frozen):
    episode = allocated(users, estate, estate.cells_a[0], given_names="Siri")
    services.contact_session_record(
        actor=users["contact_officer"],
        episode=episode,
        held_on=dt.date(2026, 3, 2),
        kind="conversation",
        note="Første samtale",
        follow_ups="Søke om bankkonto",
        follow_up_due=dt.date(2026, 3, 5),
    )
    r = _client(users["contact_officer"]).get(f"/persons/{episode.person_id}/plan/")
    body = r.content.decode()
    assert r.status_code == 200
    assert 'id="allocations"' in body and "New arrival" in body
    assert "Første samtale" in body and "Søke om bankkonto" in body
    assert "Not started" in body and "To be completed by 03/16/2026" in body
    assert 'id="need-health"' in body and "Health, as the person describes it" in body
    assert "Start the needs mapping" in body and "Record a contact session" in body
    assert AuditEvent.objects.filter(action="view.person.plan").count() == 1
    officer_body = _client(users["officer"]).get(f"/persons/{episode.person_id}/plan/").content
    assert b"Record a contact session" not in officer_body  # officers see, they do not edit


def test_allocation_form_lists_officers_with_their_load_and_refuses_when_full(estate, users):
    episode = admitted(users, estate.high, estate.cells_a[0])
    capacity(users["contact_officer"], 1)
    allocated(users, estate, estate.cells_a[1])
    c = _client(users["case_manager"])
    url = f"/persons/{episode.person_id}/plan/contact-officer/"
    assert "(1 of 1 persons)" in c.get(url).content.decode()
    r = c.post(url, {"officer": users["contact_officer"].pk, "reason": "arrival"})
    assert r.status_code == 400
    assert "their capacity" in r.content.decode() and 'aria-invalid="true"' in r.content.decode()
    assert CustodyEpisode.objects.get(pk=episode.pk).contact_officer_id is None
    capacity(users["contact_officer"], 2)
    r = c.post(url, {"officer": users["contact_officer"].pk, "reason": "arrival"})
    assert r.status_code == 302 and r["Location"] == f"/persons/{episode.person_id}/plan/"
    assert ContactOfficerAllocation.objects.filter(episode=episode, ended_at=None).count() == 1


def test_session_form_records_and_shows_errors(estate, users, frozen):
    episode = allocated(users, estate, estate.cells_a[0])
    c = _client(users["contact_officer"])
    url = f"/persons/{episode.person_id}/plan/sessions/new/"
    r = c.post(url, {"held_on": "2026-03-09", "kind": "conversation", "note": "x"})
    assert r.status_code == 400 and "cannot be in the future" in r.content.decode()
    r = c.post(
        url,
        {
            "held_on": "2026-03-02",
            "kind": "plan_review",
            "note": "Gikk gjennom planen",
            "follow_ups": "Kontakte NAV",
            "follow_up_due": "2026-03-04",
        },
    )
    assert r.status_code == 302
    s = ContactSession.objects.get()
    assert (s.kind, s.follow_up_due) == ("plan_review", dt.date(2026, 3, 4))


def test_needs_form_saves_every_domain_and_completes(estate, users, frozen):
    episode = allocated(users, estate, estate.cells_a[0])
    c = _client(users["contact_officer"])
    url = f"/persons/{episode.person_id}/plan/needs/"
    page = c.get(url).content.decode()
    assert page.count("<fieldset") == 8 and "No diagnoses" in page
    data = {f"{d}_status": "no_need" for d in ("work_education", "finances", "id_bank")}
    data.update({"housing_status": "need", "housing_words": "Jeg mister leiligheten"})
    assert c.post(url, data).status_code == 302
    r = c.post(f"/persons/{episode.person_id}/plan/needs/complete/")
    assert r.status_code == 400 and "Give a status in every domain" in r.content.decode()
    for d in ("health", "drugs_alcohol", "family", "attitudes"):
        data[f"{d}_status"] = "declined"
    assert c.post(url, data).status_code == 302
    r = c.post(f"/persons/{episode.person_id}/plan/needs/complete/")
    assert r.status_code == 302
    body = c.get(f"/persons/{episode.person_id}/plan/").content.decode()
    assert "Jeg mister leiligheten" in body and "Completed" in body
    assert "Mark the needs mapping as completed" not in body


def test_caseload_page_shows_due_this_week(estate, users, frozen):
    episode = allocated(users, estate, estate.cells_a[0], given_names="Kari")
    services.contact_session_record(
        actor=users["contact_officer"],
        episode=episode,
        held_on=dt.date(2026, 3, 2),
        kind="conversation",
        note="Samtale",
        follow_ups="Ringe mor",
        follow_up_due=dt.date(2026, 3, 6),
    )
    body = _client(users["contact_officer"]).get("/planning/caseload/").content.decode()
    assert "My persons" in body and "You are contact officer for 1 person (capacity 6)" in body
    assert "Kari" in body and "Ringe mor" in body and "Due this week" in body
    assert "1 person has something due by 03/08/2026" in body


def _caseload_queries(users):
    counts = {}
    for role in ("contact_officer", "case_manager"):
        c = _client(users[role])
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/planning/caseload/").status_code == 200
        counts[role] = len(ctx.captured_queries)
    return counts


def test_caseload_page_costs_the_same_with_3_or_30_persons(estate, users, frozen):
    capacity(users["contact_officer"], 40)

    def add(n, start):
        for i in range(start, start + n):
            cell = CellFactory(unit=estate.unit_a, code=f"X{i}")
            e = allocated(users, estate, cell, given_names=f"Per{i}")
            services.contact_session_record(
                actor=users["contact_officer"],
                episode=e,
                held_on=dt.date(2026, 3, 2),
                kind="conversation",
                note="Samtale",
                follow_ups="Oppfølging",
                follow_up_due=dt.date(2026, 3, 3),
            )
            if i % 2:
                services.needs_assessment_start(actor=users["case_manager"], episode=e)

    add(3, 0)
    few = _caseload_queries(users)
    add(27, 3)
    many = _caseload_queries(users)
    assert many == few
    assert max(few.values()) <= 8
