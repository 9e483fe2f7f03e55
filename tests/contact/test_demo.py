"""The demo's family contact on the small world: contacts within the rules (visitor lists within
the maximum, police checks from 15, lawyers privileged), phone settings and calls that respect
court orders, the family portal's demo login, the same data from the same seed, and a second
run that adds nothing. Time is frozen at Monday 2 March 2026."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import pytest
from django.contrib.auth.hashers import check_password
from django.db import transaction

from normalitet.contact import contacts, phone
from normalitet.contact.demo import seed_contact
from normalitet.contact.domain.rules import age_on, police_check_expiry
from normalitet.contact.models import (
    BlockedDate,
    BookingVisitor,
    CallImport,
    CallRecord,
    Contact,
    CourtRestriction,
    MailItem,
    Notice,
    PhoneNumber,
    PhoneSetting,
    PoliceCheck,
    VisitBooking,
    Visitor,
    VisitRoom,
    VisitSessionTemplate,
    VisitSlot,
)
from normalitet.custody.models import CustodyEpisode
from normalitet.demo.seed import seed
from normalitet.estate.models import Facility
from normalitet.identity.models import User

pytestmark = pytest.mark.django_db
SEED = 20_260_302
TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def seeded(frozen: dt.datetime) -> dict[str, int]:
    seed(scale="small", progress=False)
    return seed_contact(seed=SEED)


def test_every_part_is_made(seeded: dict[str, int]) -> None:
    parts = ("rooms", "visitors", "contacts", "police_checks", "phone_numbers",
             "phone_settings", "call_imports", "calls", "visitor_login", "bookings")  # fmt: skip
    for key in parts:
        assert seeded[key] > 0, key
    assert seeded["contacts"] == Contact.objects.count()
    assert seeded["calls"] == CallRecord.objects.count()
    active = Facility.objects.filter(is_active=True)
    assert PhoneSetting.objects.count() == active.count()
    for s in PhoneSetting.objects.select_related("facility"):
        assert s.monitored == (s.facility.security_level == "high")
        assert s.weekly_minutes >= 30
    assert (
        CallImport.objects.count()
        == active.filter(
            pk__in=CustodyEpisode.objects.filter(released_at__isnull=True).values("facility_id")
        ).count()
    )


def test_contacts_follow_the_rules(seeded: dict[str, int]) -> None:
    open_eps = list(CustodyEpisode.objects.filter(released_at__isnull=True))
    by_person: dict[int, list[Contact]] = defaultdict(list)
    for c in Contact.objects.select_related("visitor"):
        by_person[c.person_id].append(c)
    assert all(1 <= len(by_person[e.person_id]) <= 5 for e in open_eps)
    for mine in by_person.values():
        assert contacts.list_entries([c for c in mine if c.status == "approved"]) <= 4
        assert not any(c.on_visitor_list and (c.privileged or c.status != "approved")
                       for c in mine)  # fmt: skip
    remand = [e for e in open_eps if e.legal_status == "remand"]
    with_lawyer = [e for e in remand if any(c.relationship == "lawyer"
                                            for c in by_person[e.person_id])]  # fmt: skip
    assert remand and len(with_lawyer) / len(remand) >= 0.7
    relationships = {c.relationship for c in Contact.objects.all()}
    assert {"partner", "child", "parent", "lawyer"} <= relationships
    children = Contact.objects.filter(relationship="child").select_related("visitor")
    assert any(age_on(c.visitor.birth_date, TODAY) < 15 for c in children)
    assert Contact.objects.filter(status="requested", requested_via_portal=True).exists()


def test_police_checks(seeded: dict[str, int]) -> None:
    statuses = set(PoliceCheck.objects.values_list("status", flat=True))
    assert statuses == {"cleared", "requested", "refused"}
    for check in PoliceCheck.objects.select_related("visitor"):
        assert age_on(check.visitor.birth_date, TODAY) >= 15
        assert not check.visitor.contacts.filter(relationship__in=("lawyer", "official")).exists()
        if check.status == "cleared":
            assert check.expires_on == police_check_expiry(check.decided_on)
            assert TODAY - dt.timedelta(days=366) <= check.decided_on <= TODAY
    cleared = PoliceCheck.objects.filter(status="cleared").count()
    assert cleared / PoliceCheck.objects.count() >= 0.7


def test_phone_numbers_and_calls(seeded: dict[str, int]) -> None:
    lawyers = PhoneNumber.objects.filter(contact__relationship="lawyer")
    assert lawyers.exists() and not lawyers.filter(privileged=False).exists()
    assert not PhoneNumber.objects.filter(privileged=True).exclude(contact__relationship__in=(
        "lawyer", "official")).exists()  # fmt: skip
    assert PhoneNumber.objects.filter(status="requested").exists()
    first = CallRecord.objects.order_by("started_at").first()
    assert first is not None and first.started_at.date() >= dt.date(2026, 2, 9)
    now = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    assert not CallRecord.objects.filter(started_at__gt=now).exists()
    assert not CallRecord.objects.filter(phone_number__privileged=True, monitored=True).exists()
    # Under a visit ban, the approved numbers called are the lawyer's only.
    for order in CourtRestriction.objects.filter(kind="visit_ban"):
        calls = CallRecord.objects.filter(
            person_id=order.person_id,
            phone_number__isnull=False,
            phone_number__privileged=False,
            started_at__date__gte=order.starts_on,
            started_at__date__lte=order.ends_on - dt.timedelta(days=1),
        )
        assert not calls.exists(), order
    facility = Facility.objects.filter(is_active=True).order_by("pk").first()
    assert facility is not None
    eps = list(CustodyEpisode.objects.filter(facility=facility, released_at__isnull=True)
               .select_related("person"))  # fmt: skip
    weeks = phone.usage_for_week(episodes=eps, facility=facility, monday=dt.date(2026, 2, 16))
    assert sum(u.calls for u in weeks) > 0


def test_the_demo_visitor_login(seeded: dict[str, int]) -> None:
    user = User.objects.get(username="visitor")
    assert user.role == "visitor" and user.preferred_language == "nb"
    assert check_password("demo", user.password)
    visitor = Visitor.objects.get(user=user)
    officer = User.objects.get(username="officer")
    link = Contact.objects.get(visitor=visitor, relationship="partner")
    assert (link.status, link.on_visitor_list) == ("approved", True)
    ep = CustodyEpisode.objects.get(person_id=link.person_id, released_at__isnull=True)
    assert ep.facility_id == officer.facility_id
    assert ep.unit_id in set(officer.units.values_list("pk", flat=True))
    assert PoliceCheck.objects.filter(visitor=visitor, status="cleared",
                                      expires_on__gt=TODAY).exists()  # fmt: skip
    assert contacts.list_entries(list(Contact.objects.filter(
        person_id=link.person_id, status="approved"))) <= 4  # fmt: skip


def fingerprint() -> list[tuple[Any, ...]]:
    return [
        *Visitor.objects.order_by("pk").values_list("given_names", "family_name", "birth_date"),
        *Contact.objects.order_by("pk").values_list(
            "visitor__given_names", "relationship", "status", "on_visitor_list"
        ),
        *PoliceCheck.objects.order_by("pk").values_list("status", "requested_on", "expires_on"),
        *PhoneNumber.objects.order_by("pk").values_list("number", "status", "privileged"),
        *CallRecord.objects.order_by("pk").values_list("call_id", "number", "seconds"),
    ]


class _Undo(Exception):
    pass


CONTACT_ROWS = (
    Notice, BookingVisitor, VisitBooking, VisitSlot, BlockedDate, VisitSessionTemplate,
    VisitRoom, CallRecord, CallImport, PhoneNumber, PhoneSetting, MailItem, CourtRestriction,
    PoliceCheck, Contact,
)  # fmt: skip


def test_the_same_seed_gives_the_same_data_and_a_second_run_adds_nothing(
    seeded: dict[str, int],
) -> None:
    first = fingerprint()
    with pytest.raises(_Undo), transaction.atomic():
        for model in CONTACT_ROWS:
            model.objects.all().delete()
        Visitor.objects.update(user=None)
        User.objects.filter(username="visitor").delete()
        Visitor.objects.all().delete()
        again = seed_contact(seed=SEED)
        assert again["contacts"] == seeded["contacts"] and again["calls"] == seeded["calls"]
        assert fingerprint() == first
        raise _Undo
    before = (Visitor.objects.count(), Contact.objects.count(), CallRecord.objects.count())
    assert set(seed_contact(seed=SEED).values()) == {0}
    assert (Visitor.objects.count(), Contact.objects.count(), CallRecord.objects.count()) == before
