"""Medication pages: a person's medication (prescribe and stop for doctors only), the round sheet
of a unit with and without HTMX and as a printable layout, and the controlled-drug book. The
pages do not exist for prison staff (404); a nurse who prescribes gets 403."""

from __future__ import annotations

import pytest

from normalitet.health import services_medication as med
from normalitet.health.models import (
    ControlledStock,
    DoseRecord,
    HealthAuditEvent,
    Prescription,
    StockEntry,
)

from .builders_clinical import TODAY, assert_main_log_clean, controlled, queries, rx, world
from .helpers import client_for

pytestmark = pytest.mark.django_db
__all__ = ["world"]

PRESCRIBE = {
    "action": "prescribe",
    "rx-medicine": "Sertralin",
    "rx-strength": "50 mg",
    "rx-dose": "1 tablet",
    "rx-units_per_dose": "1",
    "rx-rounds": ["morning", "evening"],
    "rx-instructions": "Med frokost",
    "rx-starts_on": "2026-03-02",
    "rx-ends_on": "",
}


def med_url(person_id: int) -> str:
    return f"/health/persons/{person_id}/medication/"


def test_person_page_for_a_doctor_prescribes_and_stops(world):
    c = client_for(world.doctor)
    url = med_url(world.anna.person_id)
    r = c.get(url)
    body = r.content.decode()
    assert r.status_code == 200 and "Anna Aas" in body and "Prescribe" in body
    assert "No current prescriptions." in body
    r = c.post(url, PRESCRIBE)
    assert r.status_code == 302 and r["Location"] == url
    p = Prescription.objects.get()
    assert (p.medicine, p.rounds, p.instructions) == (
        "Sertralin",
        ["morning", "evening"],
        "Med frokost",
    )
    body = c.get(url).content.decode()
    assert "Sertralin 50 mg" in body and "Morning, Evening" in body and "Med frokost" in body
    assert "Not recorded" in body  # this morning's dose is due and not recorded
    r = c.post(url, {"action": "stop", "prescription": p.pk, f"stop-{p.pk}-reason": ""})
    assert r.status_code == 400 and "This field is required" in r.content.decode()
    assert Prescription.objects.get().stopped_at is None
    r = c.post(url, {"action": "stop", "prescription": p.pk, f"stop-{p.pk}-reason": "Effekt"})
    assert r.status_code == 302
    body = c.get(url).content.decode()
    assert "Stopped" in body and "Effekt" in body and "No current prescriptions." in body
    assert_main_log_clean("Sertralin", "Effekt", "Med frokost")


def test_prescribe_form_shows_the_services_refusal(world):
    c = client_for(world.doctor)
    r = c.post(med_url(world.anna.person_id), {**PRESCRIBE, "rx-rounds": []})
    body = r.content.decode()
    assert r.status_code == 400 and "Choose at least one round" in body
    r = c.post(med_url(world.anna.person_id), {**PRESCRIBE, "rx-ends_on": "2026-03-01"})
    assert r.status_code == 400 and "cannot be before the start date" in r.content.decode()
    assert not Prescription.objects.exists()


def test_nurse_sees_but_cannot_prescribe(world):
    p = rx(world)
    c = client_for(world.nurse)
    url = med_url(world.anna.person_id)
    body = c.get(url).content.decode()
    assert "Sertralin" in body and 'name="action" value="prescribe"' not in body
    assert "Stop the prescription" not in body
    assert c.post(url, PRESCRIBE).status_code == 403
    stop = {"action": "stop", "prescription": p.pk, f"stop-{p.pk}-reason": "Nei"}
    assert c.post(url, stop).status_code == 403
    assert Prescription.objects.count() == 1 and Prescription.objects.get().stopped_at is None


def test_person_page_is_404_for_prison_staff_and_out_of_the_facility(world):
    url = med_url(world.anna.person_id)
    for role in ("officer", "contact_officer", "case_manager", "facility_leader", "teacher",
                 "admin", "person_in_custody", "visitor", "researcher"):  # fmt: skip
        c = client_for(world.users[role])
        assert c.get(url).status_code == 404, role
        assert c.post(url, PRESCRIBE).status_code == 404, role
    assert client_for(world.doctor).get(med_url(world.dag.person_id)).status_code == 404
    assert client_for(world.doctor).post(med_url(world.dag.person_id), PRESCRIBE).status_code == 404
    assert not Prescription.objects.exists()
    assert not HealthAuditEvent.objects.filter(kind="access").exists()


def test_person_page_read_is_logged(world):
    client_for(world.nurse).get(med_url(world.anna.person_id))
    event = HealthAuditEvent.objects.get(kind="access")
    assert (event.action, event.person_id, event.actor_id) == (
        "view.medication",
        world.anna.person_id,
        world.nurse.pk,
    )


# --- The round ------------------------------------------------------------------------------------


def test_rounds_page_defaults_to_the_first_unit_today_and_the_current_round(world):
    rx(world, rounds=["morning"])
    rx(world, world.cecilie, medicine="Levaxin", rounds=["morning"])
    body = client_for(world.nurse).get("/health/rounds/").content.decode()
    assert "Avdeling A · Morning 08:00" in body and "Anna Aas" in body
    assert "Sertralin" in body and "Levaxin" not in body
    assert "Recorded: 0 of 1 due dose." in body and 'value="given"' in body
    body = (
        client_for(world.nurse)
        .get(
            "/health/rounds/",
            {"unit": world.estate.unit_b.pk, "date": "2026-03-02", "round": "morning"},
        )  # fmt: skip
        .content.decode()
    )
    assert "Levaxin" in body and "Sertralin" not in body


def test_rounds_page_records_a_dose_without_javascript(world):
    p = rx(world, rounds=["morning"])
    c = client_for(world.nurse)
    data = {"prescription": p.pk, "date": "2026-03-02", "round": "morning",
            "unit": world.estate.unit_a.pk, "outcome": "refused", "note": "Sov"}  # fmt: skip
    r = c.post("/health/rounds/", data)
    assert r.status_code == 302
    assert r["Location"] == (
        f"/health/rounds/?unit={world.estate.unit_a.pk}&date=2026-03-02&round=morning"
        f"#person-{world.anna.person_id}"
    )
    record = DoseRecord.objects.get()
    assert (record.outcome, record.note) == ("refused", "Sov")
    body = c.get(r["Location"]).content.decode()
    assert "Refused" in body and "Sov" in body and "Recorded: 1 of 1 due dose." in body
    r = c.post("/health/rounds/", {**data, "outcome": "given"}, follow=True)
    assert "already recorded" in r.content.decode()
    assert DoseRecord.objects.count() == 1


def test_rounds_page_answers_htmx_with_the_row(world):
    p = rx(world, medicine="Metadon", strength="5 mg", controlled=True, rounds=["morning"])
    c = client_for(world.nurse)
    data = {"prescription": p.pk, "date": "2026-03-02", "round": "morning",
            "unit": world.estate.unit_a.pk, "outcome": "given", "note": ""}  # fmt: skip
    r = c.post("/health/rounds/", data, HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert r.status_code == 200 and f'<tr id="dose-{p.pk}">' in body
    assert "record it as not available" in body and "<html" not in body
    assert not DoseRecord.objects.exists()
    r = c.post("/health/rounds/", {**data, "outcome": "not_available"}, HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert "Not available" in body and 'name="outcome"' not in body
    assert DoseRecord.objects.get().outcome == "not_available"


def test_rounds_page_refusals(world):
    p = rx(world)
    c = client_for(world.nurse)
    r = c.get("/health/rounds/", {"unit": world.estate.lower_unit.pk})
    assert r.status_code == 400  # not a unit of the facility: not a choice
    assert c.get("/health/rounds/", {"date": "yesterday"}).status_code == 400
    future = {"prescription": p.pk, "date": "2026-03-03", "round": "morning",
              "unit": world.estate.unit_a.pk, "outcome": "given"}  # fmt: skip
    body = c.post("/health/rounds/", future, follow=True).content.decode()
    assert "future day" in body
    body = c.get("/health/rounds/", {"date": "2026-03-03"}).content.decode()
    assert "doses can be recorded on the day" in body and 'value="given"' not in body
    other = {**future, "date": "2026-03-02", "prescription": 999_999}
    assert c.post("/health/rounds/", other).status_code == 404
    assert c.post("/health/rounds/", {"prescription": "x"}).status_code == 400
    for role in ("officer", "contact_officer", "case_manager"):
        assert client_for(world.users[role]).get("/health/rounds/").status_code == 404
        assert client_for(world.users[role]).post("/health/rounds/", future).status_code == 404
    assert not DoseRecord.objects.exists()


def test_printable_round_sheet(world):
    p = rx(world, rounds=["morning"], instructions="Knuses")
    med.dose_record(actor=world.nurse, prescription_id=p.pk, day=TODAY, round="morning",
                    outcome="given", note="")  # fmt: skip
    rx(world, world.bjorn, medicine="Levaxin", rounds=["morning"])
    r = client_for(world.nurse).get(
        "/health/rounds/", {"unit": world.estate.unit_a.pk, "round": "morning", "print": "1"}
    )
    body = r.content.decode()
    assert r.status_code == 200 and 'class="plan-print"' in body
    assert "Anna Aas" in body and "Knuses" in body and "Nurse Helse" in body
    assert "Levaxin" in body and "☐" in body and "<form" not in body


# --- The controlled-drug book --------------------------------------------------------------------


def test_controlled_pages_receive_count_and_flag(world):
    _p, stock = controlled(world, units_per_dose=2)
    c = client_for(world.nurse)
    body = c.get("/health/controlled/").content.decode()
    assert "Metadon 5 mg" in body and "Never counted" in body
    receive = {"action": "receive", "receive-stock": stock.pk, "receive-quantity": "20",
               "receive-note": "Apotek"}  # fmt: skip
    r = c.post("/health/controlled/", receive)
    assert r.status_code == 302 and med.balance(stock) == 20
    count = {"action": "count", "count-stock": stock.pk, "count-counted": "19",
             "count-witness_name": "Lie"}  # fmt: skip
    r = c.post("/health/controlled/", count)
    assert r.status_code == 400 and "does not match the book" in r.content.decode()
    r = c.post(
        "/health/controlled/",
        {
            "action": "count",
            "count-stock": stock.pk,
            "count-counted": "19",
            "count-witness_name": "Lie",
            "count-note": "Ukjent",
        },  # fmt: skip
        follow=True,
    )
    body = r.content.decode()
    assert "The difference is recorded and flagged." in body and "Did not match: -1" in body
    assert med.balance(stock) == 19
    ledger = c.get(f"/health/controlled/{stock.pk}/").content.decode()
    assert "Counted 19, the book said 20" in ledger and "Witness: Lie" in ledger
    assert "Did not match" in ledger and "Apotek" in ledger


def test_ledger_page_forms_and_refusals(world, estate):
    _p, stock = controlled(world)
    c = client_for(world.nurse)
    url = f"/health/controlled/{stock.pk}/"
    assert c.post(url, {"action": "receive", "receive-quantity": "5"}).status_code == 302
    r = c.post(url, {"action": "waste", "waste-quantity": "2", "waste-witness_name": "Lie"})
    assert r.status_code == 400 and StockEntry.objects.count() == 1
    r = c.post(url, {"action": "waste", "waste-quantity": "9", "waste-witness_name": "Lie",
                     "waste-note": "Knust"})  # fmt: skip
    assert r.status_code == 400 and "cannot waste more" in r.content.decode()
    r = c.post(url, {"action": "waste", "waste-quantity": "2", "waste-witness_name": "Lie",
                     "waste-note": "Knust"})  # fmt: skip
    assert r.status_code == 302 and med.balance(stock) == 3
    assert c.post(url, {"action": "steal"}).status_code == 404
    elsewhere = ControlledStock.objects.create(facility_id=estate.lower.pk, medicine="Metadon")
    assert c.get(f"/health/controlled/{elsewhere.pk}/").status_code == 404
    for role in ("officer", "facility_leader", "admin"):
        rc = client_for(world.users[role])
        assert rc.get("/health/controlled/").status_code == 404
        assert rc.get(url).status_code == 404
        assert rc.post(url, {"action": "receive", "receive-quantity": "5"}).status_code == 404
    assert StockEntry.objects.count() == 2


def test_controlled_page_costs_the_same_with_more_lines(world):
    def cost() -> int:
        return queries(client_for(world.nurse), "/health/controlled/")

    controlled(world)
    one = cost()
    for name in ("Oksykodon", "Buprenorfin", "Morfin"):
        line = rx(world, medicine=name, controlled=True)
        med.stock_receive(actor=world.nurse, stock_id=ControlledStock.objects.get(
            medicine=line.medicine).pk, quantity=3, note="")  # fmt: skip
    assert cost() == one
