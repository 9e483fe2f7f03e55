"""Phone pages and API: the facility's week, a person's numbers and use, the setting, the CSV
import (per-row errors, nothing imported until asked) and the allowlist. Out of the caseload is
a 404; a role without the capability gets 403. Time is frozen at Monday 2 March 2026."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from normalitet.audit.models import AuditEvent
from normalitet.contact import phone
from normalitet.contact.models import CallImport, CallRecord, PhoneNumber, PhoneSetting

from ..custody.helpers import admitted
from .helpers import API, client_for, contact, order, post_api, visitor

pytestmark = pytest.mark.django_db
HEADER = "call_id,person_number,number,started_at,duration_seconds\n"


@pytest.fixture
def world(estate: Any, users: dict[str, Any], frozen: Any) -> dict[str, Any]:
    anders = admitted(users, estate.high, estate.cells_a[0], given_names="Anders")
    berit = admitted(users, estate.high, estate.cells_b[0], given_names="Berit")
    kari = contact(anders, visitor("Kari", "Nordmann", facility=estate.high))
    lawyer = contact(anders, visitor("Advokat", "Lie", facility=estate.high), "lawyer")
    cm = users["case_manager"]
    home = phone.phone_number_add(
        actor=cm, episode=anders, number="91234567", contact=kari, approve=True
    )
    law = phone.phone_number_add(
        actor=cm, episode=anders, number="22334455", contact=lawyer, approve=True
    )
    other = phone.phone_number_add(
        actor=cm, episode=berit, number="41111111", label="Mor", approve=True
    )
    pn = anders.person.person_number
    csv = (
        HEADER
        + f"c1,{pn},91234567,2026-02-23T18:00:00+01:00,1900\n"
        + f"c2,{pn},98765432,2026-02-24T18:00:00+01:00,120\n"
        + f"c3,{pn},22334455,2026-02-25T10:00:00+01:00,1800\n"
    )
    return {"anders": anders, "berit": berit, "kari": kari, "home": home, "law": law,
            "other": other, "csv": csv}  # fmt: skip


def _upload(csv: str, name: str = "calls.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv.encode(), content_type="text/csv")


def test_import_page_reports_rows_and_imports_only_when_asked(world, users):
    cm = client_for(users["case_manager"])
    assert cm.get("/contact/phone/import/").status_code == 200
    bad = world["csv"] + f"c4,{world['anders'].person.person_number},1,x,60\n"
    r = cm.post("/contact/phone/import/", {"file": _upload(bad)})
    body = r.content.decode()
    assert r.status_code == 400 and "Line 5" in body and "Nothing was imported" in body
    assert not CallRecord.objects.exists()
    r = cm.post("/contact/phone/import/", {"file": _upload(bad), "import_valid": "on"})
    assert r.status_code == 302 and CallRecord.objects.count() == 3
    r = cm.post("/contact/phone/import/", {"file": _upload("a,b\n")})
    assert r.status_code == 400 and "lacks the columns" in r.content.decode()
    assert client_for(users["officer"]).get("/contact/phone/import/").status_code == 403
    assert client_for(users["teacher"]).get("/contact/phone/import/").status_code == 404


def test_usage_page_flags_over_quota_and_unapproved(world, users):
    phone.calls_import(actor=users["case_manager"], facility=world["anders"].facility,
                       filename="w9.csv", content=world["csv"])  # fmt: skip
    cm = client_for(users["case_manager"])
    body = cm.get("/contact/phone/", {"week": "2026-W09"}).content.decode()
    assert "Phone use, week 2026-W09" in body
    assert "Over the minutes" in body and "1 call to a number not approved" in body
    assert "never charged" in body and "Berit" in body
    body = (
        client_for(users["officer"]).get("/contact/phone/", {"week": "2026-W09"}).content.decode()
    )
    assert "Anders" in body and "Berit" not in body  # unit A only
    assert cm.get("/contact/phone/", {"week": "nope"}).status_code == 404


def test_person_phone_page_records_a_number(world, users):
    pid = world["anders"].person_id
    officer = client_for(users["officer"])
    body = officer.get(f"/contact/person/{pid}/phone/").content.decode()
    assert "+4791234567" in body and "Never monitored" in body and "Approve at once" not in body
    r = officer.post(f"/contact/person/{pid}/phone/", {"number": "12", "label": "X"})
    assert r.status_code == 400 and "8 digits" in r.content.decode()
    r = officer.post(f"/contact/person/{pid}/phone/", {"number": "48 00 00 01", "label": "Bror"})
    assert r.status_code == 302
    asked = PhoneNumber.objects.get(number="+4748000001")
    assert asked.status == "requested"
    assert officer.get(f"/contact/phone-numbers/{asked.pk}/decide/").status_code == 403
    assert officer.get(f"/contact/person/{world['berit'].person_id}/phone/").status_code == 404
    cm = client_for(users["case_manager"])
    r = cm.post(f"/contact/phone-numbers/{asked.pk}/decide/", {"decision": "approve"})
    assert r.status_code == 302 and PhoneNumber.objects.get(pk=asked.pk).status == "approved"
    r = cm.post(f"/contact/phone-numbers/{asked.pk}/remove/", {"reason": ""})
    assert r.status_code == 400 and PhoneNumber.objects.get(pk=asked.pk).status == "approved"


def test_setting_page(world, users):
    leader = client_for(users["facility_leader"])
    r = leader.post("/contact/phone/setting/", {"weekly_minutes": "10", "monitored": "on"})
    assert r.status_code == 400 and "at least 30" in r.content.decode()
    assert not PhoneSetting.objects.exists()
    r = leader.post("/contact/phone/setting/", {"weekly_minutes": "45", "monitored": "on"})
    assert r.status_code == 302 and PhoneSetting.objects.get().weekly_minutes == 45
    assert client_for(users["officer"]).get("/contact/phone/setting/").status_code == 403


def test_phone_api(world, users):
    cm = client_for(users["case_manager"])
    aid = world["anders"].person_id
    r = cm.get(f"{API}/persons/{aid}/phone-numbers")
    assert {n["number"] for n in r.json()} == {"+4791234567", "+4722334455"}
    r = post_api(cm, f"/persons/{aid}/phone-numbers",
              {"number": "+46 70 123 45 67", "label": "Fetter"})  # fmt: skip
    assert r.status_code == 201 and r.json()["status"] == "requested"
    new_id = r.json()["id"]
    r = post_api(cm, f"/phone-numbers/{new_id}/decide", {"decision": "refuse"})
    assert r.status_code == 400
    r = post_api(cm, f"/phone-numbers/{new_id}/decide", {"decision": "approve"})
    assert r.status_code == 200 and r.json()["status"] == "approved"
    r = post_api(cm, f"/phone-numbers/{new_id}/remove", {"reason": "Ønsket av personen"})
    assert r.json()["status"] == "removed"
    officer = client_for(users["officer"])
    r = post_api(officer, f"/phone-numbers/{world['other'].pk}/remove", {"reason": "x"})
    assert r.status_code == 404
    r = post_api(officer, f"/phone-numbers/{world['home'].pk}/remove", {"reason": "x"})
    assert r.status_code == 403
    # The import, then the week's use.
    r = cm.post(f"{API}/phone/imports", {"file": _upload(world["csv"] + "bad,row\n")})
    assert r.status_code == 400
    assert r.json()["errors"][0]["message"].startswith("Line 5: No person")
    assert not CallImport.objects.exists()
    r = cm.post(f"{API}/phone/imports", {"file": _upload(world["csv"])})
    assert r.status_code == 201 and (r.json()["added"], r.json()["unapproved"]) == (3, 1)
    r = cm.get(f"{API}/persons/{aid}/phone-usage", {"week": "2026-W09"})
    assert (r.json()["minutes"], r.json()["privileged_minutes"], r.json()["over_quota"]) == (
        34, 30, True
    )  # fmt: skip
    assert cm.get(f"{API}/persons/{aid}/phone-usage", {"week": "W9"}).status_code == 400
    weeks = cm.get(f"{API}/phone/usage", {"week": "2026-W09"}).json()
    assert {w["name"].split()[0] for w in weeks} == {"Anders", "Berit"}
    assert officer.post(f"{API}/phone/imports", {"file": _upload(world["csv"])}).status_code == 403
    assert AuditEvent.objects.filter(action="phone.import").count() == 1


def test_allowlist_and_setting_api(world, users):
    cm = client_for(users["case_manager"])
    order(world["anders"], "visit_ban")
    rows = {p["person_id"]: p for p in cm.get(f"{API}/phone/allowlist").json()}
    anders = rows[world["anders"].person_id]
    assert anders["visit_ban"] and anders["numbers"] == [
        {"number": "+4722334455", "label": "Advokat Lie", "privileged": True, "monitored": False}
    ]
    berit = rows[world["berit"].person_id]
    assert berit["numbers"][0]["monitored"] is True
    later = cm.get(f"{API}/phone/allowlist", {"date": "2026-04-01"}).json()
    assert len({p["person_id"]: p for p in later}[world["anders"].person_id]["numbers"]) == 2
    assert cm.get(f"{API}/phone/allowlist", {"date": "1.4.2026"}).status_code == 400
    assert client_for(users["officer"]).get(f"{API}/phone/allowlist").status_code == 403
    r = cm.get(f"{API}/phone/setting")
    assert r.json() == {"facility_id": world["anders"].facility_id, "weekly_minutes": 30,
                        "monitored": True, "monitoring_reason": "", "saved": False}  # fmt: skip
    r = cm.put(f"{API}/phone/setting", json.dumps({"weekly_minutes": 40, "monitored": False}),
               content_type="application/json")  # fmt: skip
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "monitoring_reason"
    r = cm.put(
        f"{API}/phone/setting",
        json.dumps({"weekly_minutes": 40, "monitored": False, "monitoring_reason": "Lav risiko"}),
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["saved"] and not r.json()["monitored"]
    rows = {p["person_id"]: p for p in cm.get(f"{API}/phone/allowlist").json()}
    assert rows[world["berit"].person_id]["numbers"][0]["monitored"] is False
