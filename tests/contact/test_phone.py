"""Phone services (SGL § 32; SGF § 3-29; STRPL § 186): numbers in E.164, the request and the
decision, the facility's setting, the weekly quota and use, the allowlist under court orders,
and the import of call records. Time is frozen at Monday 2 March 2026 (week 2026-W10)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from normalitet.audit.models import AuditEvent
from normalitet.contact import phone
from normalitet.contact.models import CallImport, CallRecord, PhoneNumber, PhoneSetting
from normalitet.core.errors import Conflict, DomainError, PermissionDenied

from ..custody.helpers import admitted
from .helpers import contact, order, visitor

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 3, 2)
HEADER = "call_id,person_number,number,started_at,duration_seconds\n"


@pytest.fixture
def world(estate: Any, users: dict[str, Any], frozen: Any) -> dict[str, Any]:
    ep = admitted(users, estate.high, estate.cells_a[0], given_names="Anders")
    kari = visitor(facility=estate.high)
    lawyer = visitor("Advokat", "Lie", facility=estate.high, organisation="Lie & Co")
    c_kari = contact(ep, kari)
    c_lawyer = contact(ep, lawyer, "lawyer")
    cm = users["case_manager"]
    home = phone.phone_number_add(
        actor=cm, episode=ep, number="912 34 567", contact=c_kari, approve=True
    )
    law = phone.phone_number_add(
        actor=cm, episode=ep, number="+47 22 33 44 55", contact=c_lawyer, approve=True
    )
    return {"ep": ep, "kari": c_kari, "lawyer": c_lawyer, "home": home, "law": law}


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("912 34 567", "+4791234567"),
        ("+47 912 34 567", "+4791234567"),
        ("0047-22334455", "+4722334455"),
        ("(+46) 70-123 45 67", "+46701234567"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_numbers_are_normalised_to_e164(raw: str, e164: str) -> None:
    assert phone.normalise_number(raw) == e164


@pytest.mark.parametrize("raw", ["", "1234567", "01234567", "+47 1234 5678", "abc", "+0123456789"])
def test_bad_numbers_are_refused(raw: str) -> None:
    with pytest.raises(DomainError) as err:
        phone.normalise_number(raw)
    assert err.value.field == "number"


def test_a_request_is_decided_and_a_lawyer_number_is_privileged(world, users):
    assert world["law"].privileged and not world["home"].privileged
    asked = phone.phone_number_add(
        actor=users["officer"], episode=world["ep"], number="48 00 00 01", label="Bror"
    )
    assert asked.status == "requested" and asked.number == "+4748000001"
    with pytest.raises(PermissionDenied):
        phone.phone_number_decide(actor=users["officer"], phone=asked, approve=True)
    with pytest.raises(DomainError, match="reason"):
        phone.phone_number_decide(actor=users["case_manager"], phone=asked, approve=False)
    assert PhoneNumber.objects.get(pk=asked.pk).status == "requested"
    phone.phone_number_decide(
        actor=users["case_manager"], phone=asked, approve=False, reason="Ukjent eier"
    )
    assert PhoneNumber.objects.get(pk=asked.pk).status == "refused"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"phone.request", "phone.refuse", "phone.approve"} <= actions


def test_the_same_live_number_twice_is_a_conflict(world, users):
    with pytest.raises(Conflict):
        phone.phone_number_add(
            actor=users["officer"], episode=world["ep"], number="91234567", label="Kari"
        )
    phone.phone_number_remove(actor=users["case_manager"], phone=world["home"], reason="Byttet")
    again = phone.phone_number_add(
        actor=users["officer"], episode=world["ep"], number="91234567", label="Kari"
    )
    assert again.status == "requested"


def test_an_officer_cannot_approve_at_once(world, users):
    with pytest.raises(PermissionDenied):
        phone.phone_number_add(
            actor=users["officer"], episode=world["ep"], number="41000000", label="X", approve=True
        )
    assert not PhoneNumber.objects.filter(number="+4741000000").exists()


def test_setting_never_below_the_law_and_a_reason_to_depart_from_the_default(estate, users, frozen):
    leader = users["facility_leader"]
    assert phone.setting_of(estate.high).monitored is True
    assert phone.setting_of(estate.lower).monitored is False
    assert phone.setting_of(estate.high).weekly_minutes == 30
    with pytest.raises(DomainError, match="at least 30"):
        phone.phone_setting_update(
            actor=leader, facility=estate.high, weekly_minutes=20, monitored=True
        )
    with pytest.raises(DomainError) as err:
        phone.phone_setting_update(
            actor=leader, facility=estate.high, weekly_minutes=60, monitored=False
        )
    assert err.value.field == "monitoring_reason"
    assert not PhoneSetting.objects.exists()
    with pytest.raises(PermissionDenied):
        phone.phone_setting_update(
            actor=users["officer"], facility=estate.high, weekly_minutes=60, monitored=True
        )
    saved = phone.phone_setting_update(
        actor=leader, facility=estate.high, weekly_minutes=60, monitored=True
    )
    assert (saved.weekly_minutes, saved.monitored) == (60, True)
    assert AuditEvent.objects.filter(action="phone.setting").count() == 1


def test_quota_is_the_setting_but_at_least_the_law_and_60_for_under_18s(estate, users, frozen):
    adult = phone.quota_of(birth_date=dt.date(1990, 1, 1), facility=estate.high, day=MONDAY)
    minor = phone.quota_of(birth_date=dt.date(2009, 1, 1), facility=estate.high, day=MONDAY)
    assert (adult, minor) == (30, 60)
    phone.phone_setting_update(
        actor=users["facility_leader"], facility=estate.high, weekly_minutes=90, monitored=True
    )
    assert phone.quota_of(birth_date=dt.date(2009, 1, 1), facility=estate.high, day=MONDAY) == 90


def test_allowlist_under_court_orders(world, users, estate):
    ep = world["ep"]
    rows = {p.person_id: p for p in phone.allowed_numbers(estate.high.pk, MONDAY)}
    numbers = {n.number: n for n in rows[ep.person_id].numbers}
    assert set(numbers) == {"+4791234567", "+4722334455"}
    assert numbers["+4791234567"].monitored is True  # high security
    assert numbers["+4722334455"].monitored is False  # a lawyer: never
    order(ep, "visit_ban")
    rows = {p.person_id: p for p in phone.allowed_numbers(estate.high.pk, MONDAY)}
    assert rows[ep.person_id].visit_ban
    assert [n.number for n in rows[ep.person_id].numbers] == ["+4722334455"]
    # After the order expires, the family's number is back.
    later = {p.person_id: p for p in phone.allowed_numbers(estate.high.pk, dt.date(2026, 3, 29))}
    assert len(later[ep.person_id].numbers) == 2


def test_police_control_monitors_calls_in_lower_security(estate, users, frozen):
    ep = admitted(users, estate.lower, estate.lower_cells[0], given_names="Lars")
    c = contact(ep, visitor(facility=estate.lower))
    phone.phone_number_add(
        actor=users["lower_case_manager"], episode=ep, number="91111111", contact=c, approve=True
    )
    [row] = phone.allowed_numbers(estate.lower.pk, MONDAY)
    assert row.numbers[0].monitored is False
    order(ep, "visits_police")
    [row] = phone.allowed_numbers(estate.lower.pk, MONDAY)
    assert row.numbers[0].monitored is True


def test_ended_contact_number_leaves_the_allowlist(world, users, estate):
    from normalitet.contact import contacts

    contacts.contact_end(actor=users["case_manager"], contact=world["kari"], reason="Brudd")
    [row] = phone.allowed_numbers(estate.high.pk, MONDAY)
    assert [n.number for n in row.numbers] == ["+4722334455"]


def _csv(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


def test_import_validates_every_row_and_imports_nothing_on_errors(world, users, estate):
    pn = world["ep"].person.person_number
    content = _csv(
        f"c1,{pn},91234567,2026-02-23T18:00:00+01:00,600",
        f"c2,{pn},12,2026-02-23T19:00:00+01:00,60",
        "c3,NOPE,91234567,2026-02-23T19:00:00+01:00,60",
        f"c4,{pn},91234567,2026-02-23T19:00:00,60",
        f"c5,{pn},91234567,2026-02-23T20:00:00+01:00,-5",
    )
    cm = users["case_manager"]
    result = phone.calls_import(actor=cm, facility=estate.high, filename="a.csv", content=content)
    assert result.saved is None and (result.rows, result.valid) == (5, 1)
    assert [e.line for e in result.errors] == [3, 4, 5, 6]
    assert "NOPE" in result.errors[1].message
    assert not CallRecord.objects.exists() and not CallImport.objects.exists()
    result = phone.calls_import(
        actor=cm, facility=estate.high, filename="a.csv", content=content, import_valid=True
    )
    assert result.saved is not None and result.added == 1
    assert CallImport.objects.get().added == 1
    assert AuditEvent.objects.filter(action="phone.import").count() == 1


def test_import_skips_duplicates_matches_numbers_and_flags(world, users, estate):
    ep = world["ep"]
    pn = ep.person.person_number
    order(ep, "letter_ban", starts_on=dt.date(2026, 2, 25), ends_on=dt.date(2026, 3, 20))
    content = _csv(
        f"c1,{pn},91234567,2026-02-23T18:00:00+01:00,600",  # family, before the ban
        f"c2,{pn},22334455,2026-02-26T10:00:00+01:00,1200",  # lawyer, during the ban
        f"c3,{pn},99999999,2026-02-26T18:00:00+01:00,61",  # not approved, during the ban
        f"c1,{pn},91234567,2026-02-23T18:00:00+01:00,600",  # the same call twice
    )
    cm = users["case_manager"]
    result = phone.calls_import(actor=cm, facility=estate.high, filename="w9.csv", content=content)
    assert (result.added, result.duplicates, result.unapproved, result.during_ban) == (3, 1, 1, 1)
    records = {r.call_id: r for r in CallRecord.objects.all()}
    assert records["c1"].phone_number == world["home"] and records["c1"].monitored
    assert records["c2"].phone_number == world["law"] and not records["c2"].monitored
    assert records["c3"].phone_number is None
    again = phone.calls_import(actor=cm, facility=estate.high, filename="w9.csv", content=content)
    assert (again.added, again.duplicates) == (0, 4)
    assert CallRecord.objects.count() == 3
    with pytest.raises(PermissionDenied):
        phone.calls_import(
            actor=users["officer"], facility=estate.high, filename="x", content=content
        )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"a,b\n1,2\n", "lacks the columns"),
        (HEADER.encode(), "no call records"),
        (b"\xff\xfe\x00", "UTF-8"),
    ],
)
def test_import_refuses_a_file_it_cannot_read(world, users, estate, content, message):
    with pytest.raises(DomainError, match=message):
        phone.calls_import(
            actor=users["case_manager"], facility=estate.high, filename="x", content=content
        )


def test_weekly_usage_counts_minutes_against_the_quota(world, users, estate):
    pn = world["ep"].person.person_number
    phone.calls_import(
        actor=users["case_manager"],
        facility=estate.high,
        filename="w9.csv",
        content=_csv(
            f"c1,{pn},91234567,2026-02-23T18:00:00+01:00,1500",
            f"c2,{pn},91234567,2026-02-24T18:00:00+01:00,601",
            f"c3,{pn},22334455,2026-02-25T10:00:00+01:00,1800",
            f"c4,{pn},91234567,2026-03-02T08:00:00+01:00,60",
        ),
    )
    [week9] = phone.usage_for_week(
        episodes=[world["ep"]], facility=estate.high, monday=dt.date(2026, 2, 23)
    )
    assert (week9.minutes, week9.quota, week9.privileged_minutes, week9.calls) == (36, 30, 30, 3)
    assert week9.over_quota and week9.label == "2026-W09"
    weeks = phone.person_weeks(episode=world["ep"])
    assert [(w.label, w.minutes) for w in weeks[:2]] == [("2026-W10", 1), ("2026-W09", 36)]


def test_parse_week() -> None:
    assert phone.parse_week("2026-W10") == MONDAY
    assert phone.parse_week("2026w1") == dt.date(2025, 12, 29)
    for bad in ("2026-10", "2026-W54", "x"):
        with pytest.raises(DomainError):
            phone.parse_week(bad)
