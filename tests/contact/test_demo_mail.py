"""The demo's court orders and mail: orders only for persons on remand and within the law
(full isolation never for under-18s, in 14-day steps within the maximum, alone in a cell;
isolation from a co-accused elsewhere), some expiring this week; three weeks of mail that
follows the workflow's rules; the regime keeps persons in full isolation out of group
activities; and a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

import pytest

from normalitet.contact.demo_mail import seed_mail_and_orders
from normalitet.contact.domain.rules import Period, age_on, continuous_days, isolation_maximum_weeks
from normalitet.contact.models import CourtRestriction, MailItem
from normalitet.contact.restrictions import in_force_on
from normalitet.custody.models import CustodyEpisode
from normalitet.demo.seed import seed
from normalitet.regime.demo import seed_regime
from normalitet.regime.models import HOLDS_PLACE, Allocation

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def seeded(frozen: Any) -> dict[str, int]:
    seed(scale="small", progress=False)
    return seed_mail_and_orders(rng=random.Random(7), today=TODAY)


def test_orders_follow_the_law(seeded: dict[str, int]) -> None:
    assert seeded["court_orders"] == CourtRestriction.objects.count() > 0
    episodes = {e.pk: e for e in CustodyEpisode.objects.select_related("person")}
    remand = {
        e.person_id
        for e in episodes.values()
        if e.legal_status == "remand" and e.released_at is None
    }
    ordered = set(CourtRestriction.objects.values_list("person_id", flat=True))
    assert ordered <= remand
    assert 0.2 <= len(ordered) / len(remand) <= 0.5
    isolation: dict[int, list[Period]] = defaultdict(list)
    for o in CourtRestriction.objects.all():
        ep = episodes[o.episode_id]
        assert o.ends_on >= o.starts_on >= o.ordered_on
        if o.kind == "full_isolation":
            assert age_on(ep.person.birth_date, o.starts_on) >= 18
            assert (o.ends_on - o.starts_on).days + 1 <= 14 and o.offence_max_years
            isolation[o.person_id].append(Period(o.starts_on, o.ends_on))
            alone = CustodyEpisode.objects.filter(cell_id=ep.cell_id, released_at__isnull=True)
            assert ep.cell_id is None or alone.count() == 1
        if o.kind == "isolation_named":
            for other in o.named_persons.all():
                assert other.pk != o.person_id
                theirs = CustodyEpisode.objects.filter(
                    person=other, released_at__isnull=True
                ).first()
                assert theirs is None or theirs.facility_id != ep.facility_id
    assert isolation and seeded["full_isolation"] == len(isolation)
    for person, periods in isolation.items():
        last = max(periods, key=lambda p: p.starts_on)
        years = (
            CourtRestriction.objects.filter(person_id=person, kind="full_isolation")
            .first()
            .offence_max_years
        )
        assert (
            continuous_days([p for p in periods if p != last], last)
            <= isolation_maximum_weeks(TODAY, years) * 7
        )
    monday, sunday = TODAY, TODAY + dt.timedelta(days=6)
    assert CourtRestriction.objects.filter(ends_on__gte=monday, ends_on__lte=sunday).exists()
    assert CourtRestriction.objects.filter(in_force_on(TODAY), kind="letter_ban").exists()


def test_mail_follows_the_workflow(seeded: dict[str, int]) -> None:
    assert seeded["mail_items"] == MailItem.objects.count() > 100
    items = list(MailItem.objects.all())
    assert {i.kind for i in items} == {"letter", "parcel"}
    assert {i.direction for i in items} == {"in", "out"}
    for i in items:
        if i.privileged:
            assert i.status in ("logged", "delivered", "sent")
            assert i.status == "logged" or i.witness
        if i.status in ("withheld", "returned"):
            assert i.reason
        if i.kind == "parcel" and i.status in ("delivered", "sent"):
            assert i.contents_controlled and i.contents
    assert any(i.privileged and i.status == "delivered" for i in items)
    assert any(i.status == "withheld" and "forbud" in i.reason for i in items)
    today = [i for i in items if i.status == "logged"]
    assert today and seeded["mail_to_handle"] == len(today)
    banned = CourtRestriction.objects.filter(kind="letter_ban", lifted_on__isnull=True)
    for o in banned[:50]:
        during = MailItem.objects.filter(
            person_id=o.person_id, privileged=False, status__in=["delivered", "sent"],
            logged_at__date__gte=o.starts_on, logged_at__date__lte=o.ends_on,
        )  # fmt: skip
        assert not [m for m in during if not m.contact_id], o


def test_the_regime_keeps_full_isolation_out_of_groups_and_a_second_run_adds_nothing(
    seeded: dict[str, int],
) -> None:
    seed_regime(seed=3)
    isolated = CourtRestriction.objects.filter(in_force_on(TODAY), kind="full_isolation")
    held = Allocation.objects.filter(
        episode_id__in=isolated.values("episode_id"),
        status__in=HOLDS_PLACE,
        activity__capacity__gt=1,
    )
    assert isolated.exists() and not held.exists()
    again = seed_mail_and_orders(rng=random.Random(7), today=TODAY)
    assert again == {
        "court_orders": 0,
        "full_isolation": 0,
        "isolation_named": 0,
        "mail_items": 0,
        "mail_to_handle": 0,
    }
