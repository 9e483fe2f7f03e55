"""Editing identity details, next of kin, and 'where was this person on date D'."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.test import Client

from normalitet.audit.models import AuditEvent
from normalitet.custody import services

from .helpers import admitted

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_edit_identity_details_records_what_changed(estate, users):
    ep = admitted(users, estate.high, estate.cells_a[0], given_names="Olav", family_name="Dahl")
    c = _client(users["contact_officer"])
    r = c.post(
        f"/persons/{ep.person_id}/edit/",
        {
            "given_names": "Olav",
            "family_name": "Dæhli",
            "birth_date": "1990-05-17",
            "gender": "male",
            "nationality": "no",
            "languages": "nb, pl",
        },
    )
    assert r.status_code == 302
    ep.person.refresh_from_db()
    assert (
        ep.person.family_name,
        ep.person.search_name,
        ep.person.languages,
        ep.person.nationality,
    ) == ("Dæhli", "olav daehli", ["nb", "pl"], "NO")
    ev = AuditEvent.objects.filter(action="person.update").get()
    assert ev.data == {"changed": ["family_name", "languages"]}
    assert 'value="nb, pl"' in c.get(f"/persons/{ep.person_id}/edit/").content.decode()


def test_edit_with_bad_identity_number_changes_nothing(estate, users):
    ep = admitted(users, estate.high, estate.cells_a[0], given_names="Olav", family_name="Dahl")
    r = _client(users["case_manager"]).post(
        f"/persons/{ep.person_id}/edit/",
        {
            "given_names": "Olav",
            "family_name": "Other",
            "birth_date": "1990-05-17",
            "gender": "male",
            "nationality": "NO",
            "national_id": "17059000000",
        },
    )
    assert r.status_code == 400
    ep.person.refresh_from_db()
    assert ep.person.family_name == "Dahl" and ep.person.national_id == ""


def test_next_of_kin(estate, users):
    ep = admitted(users, estate.high, estate.cells_a[0])
    c = _client(users["contact_officer"])
    r = c.post(
        f"/persons/{ep.person_id}/next-of-kin/new/",
        {
            "name": "Randi Dahl",
            "relationship": "mother",
            "phone": "+47 900 00 000",
            "is_primary": "on",
        },
    )
    assert r.status_code == 302
    body = c.get(f"/persons/{ep.person_id}/").content.decode()
    assert "Randi Dahl (mother)" in body
    r = c.post(f"/persons/{ep.person_id}/next-of-kin/new/", {"name": "", "relationship": ""})
    assert r.status_code == 400 and ep.person.next_of_kin.count() == 1


def test_where_was_the_person(estate, users, time_machine):
    time_machine.move_to(dt.datetime(2026, 4, 1, 10, tzinfo=dt.UTC), tick=False)
    ep = admitted(users, estate.high, estate.cells_a[0])
    time_machine.move_to(dt.datetime(2026, 4, 10, 10, tzinfo=dt.UTC), tick=False)
    services.absence_start(actor=users["officer"], episode=ep, kind="court", expected_back=None)
    time_machine.move_to(dt.datetime(2026, 4, 10, 16, tzinfo=dt.UTC), tick=False)
    services.absence_end(actor=users["officer"], episode=ep)
    c = _client(users["officer"])
    body = c.get(f"/persons/{ep.person_id}/history/?on=2026-04-05").content.decode()
    assert "Fjellvik fengsel, Avdeling A, cell A1" in body
    body = c.get(f"/persons/{ep.person_id}/history/?on=2026-04-10&time=14:00").content.decode()
    assert "(out: Court)" in body
    body = c.get(f"/persons/{ep.person_id}/history/?on=2026-03-01").content.decode()
    assert "not in the correctional service" in body
    r = c.get(f"/persons/{ep.person_id}/history/?on=not-a-date")
    assert r.status_code == 200 and "Enter a valid date" in r.content.decode()


CASE_DATA_APPS = {"people", "custody", "audit"}


def test_admin_site_holds_no_case_data():
    labels = {model._meta.app_label for model in admin.site._registry}
    assert not labels & CASE_DATA_APPS


def test_admin_site_is_for_system_administrators(estate, users):
    from normalitet.identity.sync import sync_roles

    sync_roles()
    assert _client(users["case_manager"]).get("/admin/").status_code == 302
    admin_client = _client(users["admin"])
    assert admin_client.get("/admin/identity/user/").status_code == 200
    assert admin_client.get("/admin/estate/cell/").status_code == 200
    assert "/admin/" in admin_client.get("/").content.decode()
