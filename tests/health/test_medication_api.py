"""The medication API under /api/v1/health/: the same services and rules as the pages, the shared
error shape, 404 for prison staff and out of the facility, 403 for a nurse who prescribes, and
nothing changed when refused."""

from __future__ import annotations

import pytest

from normalitet.health.models import (
    ControlledStock,
    DoseRecord,
    HealthAuditEvent,
    Prescription,
    StockEntry,
)

from .builders_clinical import assert_main_log_clean, controlled, rx, world
from .helpers import API, client_for, post_json

pytestmark = pytest.mark.django_db
__all__ = ["world"]

BODY = {
    "medicine": "Metadon",
    "strength": "5 mg",
    "dose": "2 tablets",
    "units_per_dose": 2,
    "rounds": ["morning"],
    "controlled": True,
    "instructions": "Under tilsyn",
}


def test_prescribe_list_and_stop(world):
    c = client_for(world.doctor)
    url = f"{API}/persons/{world.anna.person_id}/prescriptions"
    r = post_json(c, url, BODY)
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["medicine"] == "Metadon" and out["starts_on"] == "2026-03-02"
    assert out["active"] is True and out["created_by_name"] == "Doctor Helse"
    assert out["rounds"] == ["morning"] and out["facility_id"] == world.estate.high.pk
    assert ControlledStock.objects.count() == 1
    listed = client_for(world.nurse).get(url)
    assert listed.status_code == 200 and [p["id"] for p in listed.json()] == [out["id"]]
    assert HealthAuditEvent.objects.filter(
        kind="access", action="view.medication", actor_id=world.nurse.pk
    ).exists()
    r = post_json(c, f"{API}/prescriptions/{out['id']}/stop", {"reason": "Trappet ned"})
    assert r.status_code == 200 and r.json()["active"] is False
    assert r.json()["stop_reason"] == "Trappet ned"
    r = post_json(c, f"{API}/prescriptions/{out['id']}/stop", {"reason": "Igjen"})
    assert r.status_code == 409
    assert_main_log_clean("Metadon", "Trappet ned", "Under tilsyn")


def test_prescription_refusals(world):
    url = f"{API}/persons/{world.anna.person_id}/prescriptions"
    doctor = client_for(world.doctor)
    r = post_json(doctor, url, {**BODY, "rounds": []})
    assert r.status_code == 400
    assert r.json()["errors"][0]["field"] == "rounds"
    r = post_json(doctor, url, {**BODY, "starts_on": "2026-03-05", "ends_on": "2026-03-04"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "ends_on"
    assert post_json(doctor, url, {"medicine": "X"}).status_code == 422
    r = post_json(client_for(world.nurse), url, BODY)
    assert r.status_code == 403 and r.json()["errors"][0]["rule"] == "profession"
    for role in ("officer", "case_manager", "facility_leader", "admin"):
        c = client_for(world.users[role])
        assert post_json(c, url, BODY).status_code == 404, role
        assert c.get(url).status_code == 404, role
    other = f"{API}/persons/{world.dag.person_id}/prescriptions"
    assert post_json(doctor, other, BODY).status_code == 404
    assert doctor.get(other).status_code == 404
    assert not Prescription.objects.exists() and not ControlledStock.objects.exists()
    assert not HealthAuditEvent.objects.exists()


def test_round_sheet_and_doses(world):
    p = rx(world, rounds=["morning", "evening"])
    needed = rx(world, medicine="Paracetamol", rounds=[], as_needed=True)
    c = client_for(world.nurse)
    unit = world.estate.unit_a.pk
    r = c.get(f"{API}/rounds", {"unit_id": unit, "day": "2026-03-02", "round": "morning"})
    assert r.status_code == 200, r.content
    sheet = r.json()
    assert (sheet["unit"], sheet["round"], sheet["due_count"], sheet["recorded_count"]) == (
        "Avdeling A",
        "morning",
        1,
        0,
    )
    person = sheet["persons"][0]
    assert person["name"] == "Anna Aas" and person["cell"] == "A1"
    assert [d["prescription_id"] for d in person["due"]] == [p.pk]
    assert [d["prescription_id"] for d in person["as_needed"]] == [needed.pk]
    r = post_json(c, f"{API}/doses", {"prescription_id": p.pk, "round": "morning",
                                      "outcome": "given"})  # fmt: skip
    assert r.status_code == 201, r.content
    dose = r.json()
    assert (dose["day"], dose["outcome"], dose["stock_entry_id"]) == ("2026-03-02", "given", None)
    again = post_json(c, f"{API}/doses", {"prescription_id": p.pk, "round": "morning",
                                          "outcome": "refused"})  # fmt: skip
    assert again.status_code == 409
    sheet = c.get(f"{API}/rounds", {"unit_id": unit, "round": "morning"}).json()
    assert sheet["recorded_count"] == 1 and sheet["persons"][0]["due"][0]["outcome"] == "given"
    assert c.get(f"{API}/rounds", {"unit_id": unit}).json()["round"] == "morning"  # 10:30
    assert c.get(f"{API}/rounds", {"unit_id": unit, "day": "2.3."}).status_code == 400
    assert c.get(f"{API}/rounds", {"unit_id": unit, "round": "brunch"}).status_code == 400
    lower = world.estate.lower_unit.pk
    assert c.get(f"{API}/rounds", {"unit_id": lower}).status_code == 404
    future = {"prescription_id": p.pk, "day": "2026-03-03", "round": "morning",
              "outcome": "given"}  # fmt: skip
    r = post_json(c, f"{API}/doses", future)
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "day"
    officer = client_for(world.users["officer"])
    assert officer.get(f"{API}/rounds", {"unit_id": unit}).status_code == 404
    assert post_json(officer, f"{API}/doses", {**future, "day": "2026-03-02"}).status_code == 404
    assert DoseRecord.objects.count() == 1


def test_controlled_book(world):
    p, stock = controlled(world, units_per_dose=2)
    c = client_for(world.nurse)
    base = f"{API}/controlled/{stock.pk}"
    r = post_json(c, f"{base}/receive", {"quantity": 10, "note": "Apotek"})
    assert r.status_code == 201 and (r.json()["kind"], r.json()["balance"]) == ("received", 10)
    r = post_json(c, f"{API}/doses", {"prescription_id": p.pk, "round": "morning",
                                      "outcome": "given"})  # fmt: skip
    assert r.status_code == 201 and r.json()["stock_entry_id"] is not None
    r = post_json(c, f"{base}/waste", {"quantity": 1, "witness_name": "Lie", "note": "Knust"})
    assert r.status_code == 201 and r.json()["balance"] == 7
    r = post_json(c, f"{base}/count", {"counted": 7, "witness_name": "Lie"})
    assert r.status_code == 201 and (r.json()["quantity"], r.json()["balance"]) == (0, 7)
    r = post_json(c, f"{base}/count", {"counted": 6, "witness_name": "Lie"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "note"
    r = post_json(c, f"{base}/count", {"counted": 6, "witness_name": "Lie", "note": "Savnet"})
    assert r.status_code == 201 and (r.json()["quantity"], r.json()["expected"]) == (-1, 7)
    lines = c.get(f"{API}/controlled").json()
    assert lines == [
        {
            "id": stock.pk,
            "medicine": "Metadon",
            "strength": "5 mg",
            "balance": 6,
            "last_count_at": lines[0]["last_count_at"],
            "last_count_difference": -1,
            "last_count_matched": False,
        }
    ]
    entries = c.get(f"{base}/entries").json()
    assert [(e["kind"], e["quantity"], e["balance"]) for e in entries] == [
        ("received", 10, 10),
        ("dispensed", -2, 8),
        ("wasted", -1, 7),
        ("count", 0, 7),
        ("count", -1, 6),
    ]
    assert entries[1]["person_id"] == world.anna.person_id
    assert post_json(c, f"{base}/waste", {"quantity": 7, "witness_name": "Lie",
                                          "note": "x"}).status_code == 409  # fmt: skip
    assert post_json(c, f"{base}/receive", {"quantity": 0}).status_code == 400
    officer = client_for(world.users["officer"])
    assert officer.get(f"{API}/controlled").status_code == 404
    assert officer.get(f"{base}/entries").status_code == 404
    assert post_json(officer, f"{base}/receive", {"quantity": 5}).status_code == 404
    assert c.get(f"{API}/controlled/999999/entries").status_code == 404
    assert StockEntry.objects.count() == 5
    assert_main_log_clean("Metadon", "Savnet", "Knust")
