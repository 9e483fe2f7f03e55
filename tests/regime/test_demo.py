"""The demo's daily regime: within capacity and the rules on who may take part and who is kept
apart, the demo teacher with a class, attendance only where sessions ran, the same data from the
same seed, and a second run that adds nothing."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count, Q

from normalitet.contact.demo_mail import seed_orders
from normalitet.contact.models import CourtRestriction
from normalitet.contact.restrictions import in_force_on
from normalitet.custody.models import CustodyEpisode
from normalitet.demo.seed import seed
from normalitet.estate.models import Facility, Unit
from normalitet.identity.models import User
from normalitet.people.models import NonAssociation
from normalitet.regime.demo import seed_regime
from normalitet.regime.domain import calendar
from normalitet.regime.models import (
    HOLDS_PLACE,
    WAITING,
    Activity,
    Allocation,
    Attendance,
    ClergyVisit,
    Closure,
    CompanyRestriction,
    DayPlan,
    DietRequirement,
    EducationRecord,
    Suspension,
    UnitRegime,
)
from normalitet.regime.occurrences import occurrences, places_on

pytestmark = pytest.mark.django_db

SEED = 20_260_302
HELD = [*HOLDS_PLACE, "ended"]
# The register of 2 March 2026 (a Monday): the three full weeks before it.
WINDOW = [dt.date(2026, 2, 9) + dt.timedelta(days=i) for i in range(21)]


@pytest.fixture
def seeded(frozen: dt.datetime) -> dict[str, int]:
    seed(scale="small", progress=False)
    # The court's orders (full isolation among them) come first: the regime reads them.
    seed_orders(rng=random.Random(SEED), today=dt.date(2026, 3, 2))
    return seed_regime(seed=SEED)


def test_every_part_of_the_regime_is_made(seeded: dict[str, int]) -> None:
    assert seeded["teachers"] == 0  # the demo has teachers in every facility
    assert all(n > 0 for key, n in seeded.items() if key != "teachers"), seeded
    assert seeded["attendance"] == Attendance.objects.count()
    assert seeded["allocations"] == Allocation.objects.count()
    assert set(Activity.objects.values_list("kind", flat=True)) == {
        "work", "education", "programme", "leisure"
    }  # fmt: skip
    assert Activity.objects.filter(supplement_ore__gt=0).exists()
    assert not Activity.objects.filter(supplement_ore__gt=3_200).exists()
    for unit in Unit.objects.filter(is_active=True):
        plans = DayPlan.objects.filter(unit=unit)
        assert sorted(plans.values_list("day_type", flat=True)) == ["weekday", "weekend"]
        assert all(p.blocks.exists() for p in plans)
    catering = dict(UnitRegime.objects.values_list("unit__security_level", "self_catering"))
    assert catering == {"high": False, "lower": True}
    special = UnitRegime.objects.filter(minimum_out_of_cell_minutes=360)
    assert set(special.values_list("unit__kind", flat=True)) == {"special_high"}
    visits = Counter(ClergyVisit.objects.values_list("community", flat=True))
    assert {"Den norske kirke", "Islam", "Den katolske kirke", "Den ortodokse kirke"} <= set(visits)
    assert 0.05 <= DietRequirement.objects.values("person").distinct().count() / 46 <= 0.3


def test_places_keep_capacity_and_the_duty_shares(seeded: dict[str, int]) -> None:
    held = Count("allocations", filter=Q(allocations__status__in=HELD))
    for act in Activity.objects.annotate(n=held):
        assert act.n <= act.capacity, act
    for day in WINDOW:
        per_activity = Counter(p.activity_id for p in places_on(day=day))
        for act in Activity.objects.filter(pk__in=per_activity):
            assert per_activity[act.pk] <= act.capacity
    open_eps = CustodyEpisode.objects.filter(released_at__isnull=True)
    duty = Allocation.objects.filter(status__in=HOLDS_PLACE, activity__meets_activity_duty=True)
    convicted = open_eps.exclude(legal_status="remand")
    share = convicted.filter(pk__in=duty.values("episode_id")).count() / convicted.count()
    assert 0.6 <= share <= 0.95, share
    assert Allocation.objects.filter(status__in=WAITING, starts_on__isnull=True).exists()
    assert not Allocation.objects.filter(status__in=WAITING, starts_on__isnull=False).exists()
    assert Allocation.objects.filter(status="ended").exclude(end_reason="").exists()
    for a in Allocation.objects.filter(status="suspended"):
        running = Q(ends_on__isnull=True) | Q(ends_on__gte=dt.date(2026, 3, 2))
        assert a.suspensions.filter(running).exists()


def test_who_may_take_part(seeded: dict[str, int]) -> None:
    episodes = {e.pk: e for e in CustodyEpisode.objects.select_related("unit")}
    pairs = set(
        NonAssociation.objects.filter(ended_at__isnull=True).values_list("person_a", "person_b")
    )
    assert pairs, "the small demo has non-associations to respect"
    holders: dict[int, set[int]] = defaultdict(set)
    for a in Allocation.objects.select_related("activity"):
        ep, act = episodes[a.episode_id], a.activity
        assert not act.legal_statuses or ep.legal_status in act.legal_statuses
        assert not act.security_levels or ep.unit.security_level in act.security_levels
        if a.status in HELD:
            holders[act.pk].add(a.person_id)
    for persons in holders.values():
        assert not {(a, b) for a in persons for b in persons if (a, b) in pairs}
    assert any(
        "remand" not in a.legal_statuses for a in Activity.objects.exclude(legal_statuses=[])
    )
    assert not CompanyRestriction.objects.exists()  # court isolation is a court order now
    isolated = CourtRestriction.objects.filter(
        in_force_on(dt.date(2026, 3, 2)), kind="full_isolation"
    )
    assert isolated.exists()
    for r in isolated:
        assert episodes[r.episode_id].legal_status == "remand"
        assert not Allocation.objects.filter(episode_id=r.episode_id, status__in=HELD).exists()


def test_the_demo_teacher_has_a_class_and_records(seeded: dict[str, int]) -> None:
    teacher = User.objects.get(username="teacher")
    led = Activity.objects.filter(leader=teacher, kind="education", facility_id=teacher.facility_id)
    assert Allocation.objects.filter(activity__in=led, status="allocated").exists()
    assert Attendance.objects.filter(allocation__activity__in=led, recorded_by=teacher).exists()
    for a in Allocation.objects.filter(activity__kind="education", status__in=HELD):
        assert EducationRecord.objects.filter(
            person_id=a.person_id, activity=a.activity, kind="enrolment", on=a.starts_on
        ).exists()
    assert EducationRecord.objects.filter(kind="exam", proctored=True).exists()


def assert_marks_only_where_sessions_ran(days: list[dt.date]) -> None:
    marks: dict[dt.date, set[int]] = defaultdict(set)
    for session_id, on in Attendance.objects.values_list("session_id", "on"):
        marks[on].add(session_id)
    assert marks and set(marks) <= set(days)
    facilities = list(Activity.objects.values_list("facility_id", flat=True).distinct())
    for day, sessions in marks.items():
        ran = {
            o.session_id
            for f in facilities
            for o in occurrences(facility_id=f, day=day)
            if not o.cancelled
        }
        assert sessions <= ran, day


def test_attendance_only_where_sessions_ran(seeded: dict[str, int]) -> None:
    assert_marks_only_where_sessions_ran(WINDOW)
    outcomes = Counter(Attendance.objects.values_list("outcome", flat=True))
    assert outcomes["attended"] > 0.75 * sum(outcomes.values())
    assert {"sick", "late", "clash"} <= set(outcomes)
    spans: dict[tuple[int, dt.date], list[Any]] = defaultdict(list)
    for a in Attendance.objects.select_related("session"):
        spans[a.person_id, a.on].append(a)
    for (_person, _on), day in spans.items():
        for a in (a for a in day if a.outcome == "clash"):
            s = a.session
            assert any(b.pk != a.pk and b.session.starts < s.ends and s.starts < b.session.ends
                       for b in day)  # fmt: skip
    for place in places_on(day=WINDOW[3]):
        if place.suspended:
            assert not Attendance.objects.filter(allocation_id=place.allocation_id, on=WINDOW[3])


def test_no_work_or_school_on_public_holidays(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 4, 8, 9, tzinfo=dt.UTC), tick=False)
    seed(scale="small", progress=False)
    seed_regime(seed=SEED)
    days = [dt.date(2026, 3, 16) + dt.timedelta(days=i) for i in range(23)]
    holidays = [d for d in days if calendar.is_public_holiday(d)]
    assert len(holidays) == 4  # Maundy Thursday, Good Friday, Easter Day and Easter Monday
    assert_marks_only_where_sessions_ran(days)
    on_holidays = Attendance.objects.filter(on__in=holidays)
    assert not on_holidays.filter(allocation__activity__runs_on_holidays=False).exists()
    assert on_holidays.exists()  # the gym and the faith services run on public holidays


def fingerprint() -> list[tuple[Any, ...]]:
    return [
        *Allocation.objects.order_by("pk").values_list(
            "activity__name", "person_id", "status", "starts_on", "ended_on", "end_reason"
        ),
        *Attendance.objects.order_by("pk").values_list(
            "session__activity__name", "session__starts", "on", "person_id", "outcome"
        ),
        *Suspension.objects.order_by("pk").values_list("starts_on", "ends_on", "reason"),
    ]


class _Undo(Exception):
    pass


REGIME_ROWS = (
    Attendance, Suspension, EducationRecord, Allocation, Activity, DayPlan, UnitRegime, Closure,
    CompanyRestriction, DietRequirement, ClergyVisit,
)  # fmt: skip


def test_the_same_seed_gives_the_same_regime_and_a_second_run_adds_nothing(
    seeded: dict[str, int],
) -> None:
    first = fingerprint()
    with pytest.raises(_Undo), transaction.atomic():
        for model in REGIME_ROWS:
            model.objects.all().delete()
        assert seed_regime(seed=SEED)["attendance"] == seeded["attendance"]
        assert fingerprint() == first
        raise _Undo
    before = Attendance.objects.count(), Allocation.objects.count(), DietRequirement.objects.count()
    assert set(seed_regime(seed=SEED).values()) == {0}
    after = Attendance.objects.count(), Allocation.objects.count(), DietRequirement.objects.count()
    assert after == before


def test_teachers_are_made_where_a_facility_has_none(frozen: dt.datetime) -> None:
    seed(scale="small", progress=False)
    lower = Facility.objects.get(security_level="lower")
    User.objects.filter(role="teacher", facility=lower).update(is_active=False)
    assert seed_regime(seed=SEED)["teachers"] == 2
    leaders = User.objects.filter(
        pk__in=Activity.objects.filter(facility=lower, kind="education").values("leader_id")
    )
    assert {u.role for u in leaders} == {"teacher"} and all(u.is_active for u in leaders)
    assert not any(u.has_usable_password() for u in leaders)
