"""The health record is separate by construction (RULES.md § 10): its own database, its own log,
and nothing but the facade's derived facts reaches a member of the prison staff — through pages,
the API, search, exports (the main database's dump) or the admin."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connections, transaction

from normalitet.audit.models import AuditEvent
from normalitet.health import facade
from normalitet.health.models import (
    HealthAuditEvent,
    HealthRequest,
    MedicalDiet,
    ObservationLevel,
    WorkFitness,
)
from normalitet.identity.roles import Role

from .helpers import client_for, patient

SECRET = "Brystsmerter-og-hjertebank-7731"
REASON = "Selvmordstanker-etter-dom-4417"
DIAGNOSIS = "Cøliaki-diagnose-2290"
pytestmark = pytest.mark.django_db(databases="__all__")


def test_health_tables_live_only_in_the_health_database():
    main = set(connections["default"].introspection.table_names())
    health = set(connections["health"].introspection.table_names())
    assert not {t for t in main if t.startswith("health_")}
    assert "health_healthrequest" in health and "health_healthauditevent" in health
    assert not health & {"people_person", "custody_custodyepisode", "identity_user"}
    assert HealthRequest.objects.db == "health"


def test_the_health_log_is_append_only(users, estate, frozen):
    ep = patient(users, estate)
    facade.request_log(actor=users["officer"], person_id=ep.person_id, service="doctor", text="x")
    event = HealthAuditEvent.objects.using("health").latest("id")
    with pytest.raises(Exception, match="append-only"), transaction.atomic(using="health"):
        HealthAuditEvent.objects.using("health").filter(pk=event.pk).update(action="edited")
    with pytest.raises(Exception, match="append-only"), transaction.atomic(using="health"):
        HealthAuditEvent.objects.using("health").filter(pk=event.pk).delete()
    assert facade.verify_log().ok


@pytest.fixture
def logged(users, estate, frozen, doctor):
    """An officer logs a request for a person; health staff record an observation reason, a
    fitness reason and a diagnosis-bearing diet reason."""
    ep = patient(users, estate, given_names="Anders")
    receipt = facade.request_log(
        actor=users["officer"], person_id=ep.person_id, service="doctor", text=SECRET
    )
    now = frozen
    ObservationLevel.objects.using("health").create(
        person_id=ep.person_id,
        facility_id=estate.high.pk,
        level="close",
        interval_minutes=15,
        reason=REASON,
        started_at=now,
        created_at=now,
    )
    WorkFitness.objects.using("health").create(
        person_id=ep.person_id,
        fitness="restricted",
        valid_from=now.date(),
        reason=DIAGNOSIS,
        created_at=now,
    )
    MedicalDiet.objects.using("health").create(
        person_id=ep.person_id,
        kitchen_instruction="Glutenfri kost",
        reason=DIAGNOSIS,
        valid_from=now.date(),
        created_at=now,
    )
    return ep, receipt


def test_the_officer_gets_a_reference_and_never_the_text(users, logged):
    ep, receipt = logged
    assert receipt.reference.startswith("H-")
    request = HealthRequest.objects.using("health").get(reference=receipt.reference)
    assert request.text == SECRET and request.channel == "staff"
    assert not any(SECRET in str(v) for v in vars(receipt).values())


STAFF_URLS = [
    "/persons/{p}/",
    "/persons/?q=Anders",
    f"/persons/?q={SECRET[:12]}",
    "/persons/{p}/history/",
    "/api/v1/persons/{p}",
    "/api/v1/persons?search=Anders",
    "/regime/persons/{p}/schedule/",
    "/regime/persons/{p}/activities/",
    "/regime/persons/{p}/diet/",
    "/regime/meals/",
    "/api/v1/regime/persons/{p}/diets",
    "/health/persons/{p}/request/",
    "/health/watch/",
    "/health/watch/{p}/",
    "/api/v1/health/watch",
    "/health/escorts/",
    "/api/openapi.json",
]


@pytest.mark.parametrize(
    "role", [r.value for r in Role if r not in (Role.HEALTH, Role.VISITOR)] + ["visitor"]
)
def test_no_prison_role_reads_anything_clinical(users, logged, role):
    ep, _ = logged
    client = client_for(users[role])
    for url in STAFF_URLS:
        body = client.get(url.format(p=ep.person_id)).content.decode()
        for text in (SECRET, REASON, DIAGNOSIS):
            assert text not in body, f"{role} read health text at {url}"
    for path in (
        "/health/",
        "/health/requests/",
        "/health/persons/{p}/",
        "/api/v1/health/requests",
        "/api/v1/health/persons/{p}/record",
    ):
        assert client.get(path.format(p=ep.person_id)).status_code == 404, (role, path)


def test_what_the_officer_sees_is_the_facade_only(users, logged):
    ep, _ = logged
    body = client_for(users["officer"]).get(f"/health/watch/{ep.person_id}/").content.decode()
    assert "15" in body  # the interval
    watch = client_for(users["officer"]).get("/api/v1/health/watch").json()
    text = json.dumps(watch)
    assert REASON not in text and str(ep.person_id) in text


def test_health_staff_read_the_record_but_not_the_custody_record(users, logged, doctor):
    ep, receipt = logged
    client = client_for(doctor)
    request = HealthRequest.objects.using("health").get(reference=receipt.reference)
    assert SECRET in client.get(f"/health/requests/{request.pk}/").content.decode()
    for url in ("/persons/{p}/history/", "/persons/{p}/sentence/", "/persons/{p}/plan/"):
        assert client.get(url.format(p=ep.person_id)).status_code == 404
    minimal = client.get(f"/persons/{ep.person_id}/").content.decode()
    assert "Anders" in minimal


def test_the_main_audit_log_and_the_main_dump_hold_no_health_text(users, logged):
    ep, _ = logged
    for event in AuditEvent.objects.all():
        assert SECRET not in json.dumps(event.data) + event.reason
    out = io.StringIO()
    call_command("dumpdata", database="default", stdout=out)
    dump = out.getvalue()
    assert "Anders" in dump  # the dump is the main database's: persons, custody, ...
    for text in (SECRET, REASON, DIAGNOSIS, "health.healthrequest"):
        assert text not in dump
    assert HealthAuditEvent.objects.using("health").filter(person_id=ep.person_id).exists()


def test_the_admin_has_no_health_models(users):
    assert not [m for m in admin.site._registry if m._meta.app_label == "health"]
    staff = users["admin"]
    staff.is_staff = True
    staff.save()
    client = client_for(staff)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/health/").status_code == 404
    assert "health" not in client.get("/admin/").content.decode().lower().replace(
        "health staff", ""
    )
