"""The demo data: deterministic, consistent with the rules the services enforce, like Norway."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import Count, Q
from stdnum.no import fodselsnummer

from normalitet.audit.models import AuditEvent
from normalitet.audit.services import verify_chain
from normalitet.core import clock
from normalitet.custody.models import CustodyEpisode, LegalStatus, Movement, MovementKind
from normalitet.custody.selectors import facility_roll, location_on, search_persons
from normalitet.demo.seed import DEMO_USERS, SeedError, seed
from normalitet.estate.models import Cell, Facility, Region, SecurityLevel
from normalitet.identity.models import User
from normalitet.identity.roles import Role
from normalitet.people.models import NonAssociation, Person, PersonAlert, SeparationScope
from normalitet.people.services import person_number_for, search_name_of

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def frozen(time_machine: Any) -> dt.datetime:
    time_machine.move_to(NOW, tick=False)
    return NOW


def fingerprint() -> dict[str, list[tuple[Any, ...]]]:
    """What two runs must agree on."""
    return {
        "persons": list(
            Person.objects.order_by("pk").values_list(
                "person_number",
                "given_names",
                "family_name",
                "birth_date",
                "national_id",
                "nationality",
                "languages",
                "gender",
            )
        ),
        "episodes": list(
            CustodyEpisode.objects.order_by("pk").values_list(
                "person__person_number",
                "legal_status",
                "admitted_at",
                "released_at",
                "facility__code",
                "unit__code",
                "cell__code",
                "absent_since",
            )
        ),
        "movements": list(
            Movement.objects.order_by("pk").values_list(
                "episode_id", "kind", "occurred_at", "to_cell_id"
            )
        ),
        "users": list(
            User.objects.order_by("pk").values_list("username", "role", "facility__code")
        ),
    }


class _Rollback(Exception):
    pass


def seed_and_fingerprint(scale: str) -> dict[str, list[tuple[Any, ...]]]:
    """Seed in a transaction of its own, take the fingerprint, and undo it: a fresh database."""
    result: dict[str, list[tuple[Any, ...]]] = {}
    try:
        with transaction.atomic():
            seed(scale=scale, progress=False, now=NOW)
            result = fingerprint()
            raise _Rollback
    except _Rollback:
        pass
    assert not Person.objects.exists()
    return result


# --- invariants ----------------------------------------------------------------------------------


def check_capacity_now() -> None:
    cells = {c.pk: c for c in Cell.objects.select_related("unit")}
    occupied = Counter(
        CustodyEpisode.objects.filter(released_at__isnull=True, cell__isnull=False).values_list(
            "cell_id", flat=True
        )
    )
    for cell_id, n in occupied.items():
        cell = cells[cell_id]
        assert n <= cell.capacity, f"cell {cell_id} holds {n} of {cell.capacity}"
        assert cell.is_active and cell.unit.is_active and not cell.safe_cell
        if cell.unit.security_level == SecurityLevel.HIGH:
            assert n == 1, f"high-security cell {cell_id} is shared"


def check_capacity_always() -> None:
    """Replaying every movement in time order, no cell ever holds more than its capacity."""
    capacity = dict(Cell.objects.values_list("pk", "capacity"))
    occupants: Counter[int] = Counter()
    for from_cell, to_cell, kind in Movement.objects.order_by("occurred_at", "id").values_list(
        "from_cell_id", "to_cell_id", "kind"
    ):
        if kind in (MovementKind.ABSENCE_OUT, MovementKind.ABSENCE_RETURN):
            continue
        if from_cell is not None:
            occupants[from_cell] -= 1
            assert occupants[from_cell] >= 0
        if to_cell is not None:
            occupants[to_cell] += 1
            assert occupants[to_cell] <= capacity[to_cell], f"cell {to_cell} overfull"


def check_movements_replay() -> None:
    """Each episode's movements chain from nowhere to where the episode says the person is."""
    by_episode: dict[int, list[Movement]] = defaultdict(list)
    for m in Movement.objects.order_by("occurred_at", "id"):
        by_episode[m.episode_id].append(m)
    for ep in CustodyEpisode.objects.all():
        moves = by_episode[ep.pk]
        assert moves and moves[0].kind == MovementKind.ADMISSION
        assert moves[0].occurred_at == ep.admitted_at
        where: tuple[Any, Any, Any] = (None, None, None)
        arrived = ep.admitted_at
        out = None
        for m in moves:
            assert m.person_id == ep.person_id
            assert (m.from_facility_id, m.from_unit_id, m.from_cell_id) == where, (ep.pk, m.kind)
            where = (m.to_facility_id, m.to_unit_id, m.to_cell_id)
            if m.kind == MovementKind.TRANSFER:
                arrived = m.occurred_at
                assert where[1] is None and where[2] is None
            if m.kind == MovementKind.ABSENCE_OUT:
                assert out is None
                out = m
            elif m.kind == MovementKind.ABSENCE_RETURN:
                assert out is not None and out.absence_kind == m.absence_kind
                out = None
        assert ep.arrived_at == arrived
        if ep.released_at is None:
            assert where == (ep.facility_id, ep.unit_id, ep.cell_id), ep.pk
            assert (ep.absent_since is None) == (out is None)
            if out is not None:
                assert ep.absent_since == out.occurred_at
                assert ep.absence_kind == out.absence_kind
        else:
            assert moves[-1].kind == MovementKind.RELEASE
            assert moves[-1].occurred_at == ep.released_at
            assert ep.release_reason
            assert out is None and ep.absent_since is None


def check_episodes() -> None:
    assert (
        not Person.objects.annotate(n=Count("pk"))
        .filter(~Q(pk__in=CustodyEpisode.objects.values("person_id")))
        .exists()
    )
    open_per_person = Counter(
        CustodyEpisode.objects.filter(released_at__isnull=True).values_list("person_id", flat=True)
    )
    assert max(open_per_person.values()) == 1
    # a person's episodes never overlap
    last_release: dict[int, dt.datetime | None] = {}
    for person_id, admitted, released in CustodyEpisode.objects.order_by(
        "person_id", "admitted_at"
    ).values_list("person_id", "admitted_at", "released_at"):
        if person_id in last_release:
            before = last_release[person_id]
            assert before is not None and before < admitted
        last_release[person_id] = released
    now = clock.now()
    assert not CustodyEpisode.objects.filter(admitted_at__gt=now).exists()
    assert not Movement.objects.filter(occurred_at__gt=now).exists()


def check_non_associations() -> None:
    where = {e.person_id: e for e in CustodyEpisode.objects.filter(released_at__isnull=True)}
    active = list(NonAssociation.objects.filter(ended_at__isnull=True))
    assert active
    for na in active:
        a, b = where.get(na.person_a_id), where.get(na.person_b_id)
        if a is None or b is None:
            continue
        if na.scope == SeparationScope.FACILITY:
            assert a.facility_id != b.facility_id
        elif na.scope == SeparationScope.UNIT:
            assert a.facility_id != b.facility_id or a.unit_id != b.unit_id
        else:
            assert a.cell_id is None or a.cell_id != b.cell_id


def check_people() -> None:
    for p in Person.objects.all():
        assert p.person_number == person_number_for(p.pk)
        assert p.search_name == search_name_of(p.given_names, p.family_name, p.preferred_name)
        if p.national_id:
            assert fodselsnummer.is_valid(p.national_id), p.national_id
            assert fodselsnummer.get_birth_date(p.national_id) == p.birth_date
            assert (fodselsnummer.get_gender(p.national_id) == "F") == (p.gender == "female")
        if p.nationality == "NO":
            assert p.languages[:1] == ["nb"]
    # alerts are operational, never health
    assert not PersonAlert.objects.filter(kind="health").exists()


def check_all() -> None:
    check_capacity_now()
    check_capacity_always()
    check_movements_replay()
    check_episodes()
    check_non_associations()
    check_people()
    assert verify_chain().ok


# --- tests ---------------------------------------------------------------------------------------


def test_unknown_scale_is_refused() -> None:
    with pytest.raises(SeedError, match="Unknown scale"):
        seed(scale="huge", progress=False)


def test_refuses_a_database_with_persons(frozen: dt.datetime) -> None:
    seed(scale="small", progress=False)
    with pytest.raises(SeedError, match="already has persons"):
        seed(scale="small", progress=False)
    assert Person.objects.count() == 60


def test_small_is_deterministic(frozen: dt.datetime) -> None:
    first = seed_and_fingerprint("small")
    second = seed_and_fingerprint("small")
    assert first["persons"] and first["movements"]
    assert first == second


def test_small_is_consistent(frozen: dt.datetime) -> None:
    summary = seed(scale="small", progress=False)
    assert summary["facilities"] == Facility.objects.count() == 2
    assert Region.objects.count() == 1
    assert summary["persons"] == Person.objects.count() == 60
    assert summary["in_custody"] == CustodyEpisode.objects.filter(released_at__isnull=True).count()
    assert summary["movements"] == Movement.objects.count()
    check_all()
    seeded = AuditEvent.objects.filter(action="demo.seed")
    assert AuditEvent.objects.count() == seeded.count() == 1
    assert seeded.get().data["persons"] == 60


def test_demo_logins(frozen: dt.datetime) -> None:
    seed(scale="small", progress=False)
    first = Facility.objects.order_by("pk").first()
    assert first is not None
    expected = {
        "officer": Role.OFFICER,
        "contact-officer": Role.CONTACT_OFFICER,
        "case-manager": Role.CASE_MANAGER,
        "leader": Role.FACILITY_LEADER,
        "regional": Role.REGIONAL,
        "national": Role.NATIONAL,
        "health": Role.HEALTH,
        "doctor": Role.HEALTH,
        "teacher": Role.TEACHER,
        "admin": Role.ADMIN,
    }
    assert [u for u, _ in DEMO_USERS] == list(expected)
    assert User.objects.get(username="health").profession == "nurse"
    assert User.objects.get(username="doctor").profession == "doctor"
    for username, role in expected.items():
        user = User.objects.get(username=username)
        assert user.role == role
        assert user.check_password("demo")
        assert not user.is_superuser and not user.is_staff
        facility_staff = role not in (Role.REGIONAL, Role.NATIONAL, Role.ADMIN)
        assert user.facility_id == (first.pk if facility_staff else None)
    assert User.objects.get(username="regional").region_id == first.region_id
    officer_units = User.objects.get(username="officer").units.all()
    assert 1 <= len(officer_units) <= 2
    assert {u.facility_id for u in officer_units} == {first.pk}
    contact = User.objects.get(username="contact-officer")
    mine = CustodyEpisode.objects.filter(released_at__isnull=True, contact_officer=contact)
    assert mine.count() >= 5
    assert set(mine.values_list("facility_id", flat=True)) == {first.pk}
    others = User.objects.exclude(username__in=expected)
    assert others.count() > 20
    assert not any(u.has_usable_password() for u in others)
    assert set(Role) - {Role.PERSON_IN_CUSTODY, Role.VISITOR} <= set(
        User.objects.values_list("role", flat=True)
    )


def test_small_demo_has_a_day_to_show(frozen: dt.datetime) -> None:
    """The first facility's roll has people out, without a cell, arriving and leaving today."""
    seed(scale="small", progress=False)
    first = Facility.objects.order_by("pk").first()
    assert first is not None
    roll = facility_roll(facility=first)
    assert roll.total.in_cell > 10
    assert roll.total.out >= 1
    assert roll.total.without_cell >= 1
    assert roll.total.arriving_today >= 1
    assert roll.total.leaving_today >= 1
    assert PersonAlert.objects.filter(active_to__isnull=True).exists()
    case_manager = User.objects.get(username="case-manager")
    episode = (
        CustodyEpisode.objects.filter(
            facility=first, released_at__isnull=True, person__national_id__gt=""
        )
        .select_related("person")
        .first()
    )
    assert episode is not None
    person = episode.person
    for q in (
        person.family_name,
        search_name_of(person.family_name, ""),
        person.person_number,
        person.national_id,
    ):
        assert episode in search_persons(actor=case_manager, q=q, limit=200)
    where = location_on(person=person, at=clock.now())
    assert where.in_custody and where.facility == first


def test_national_has_the_shape_of_norway(frozen: dt.datetime) -> None:
    summary = seed(scale="national", progress=False)
    assert Region.objects.count() == 5
    assert set(Region.objects.values_list("name", flat=True)) == {
        "Region øst",
        "Region sør",
        "Region sørvest",
        "Region vest",
        "Region nord",
    }
    assert Facility.objects.count() == 57
    assert 3800 <= summary["places"] <= 4000
    open_eps = CustodyEpisode.objects.filter(released_at__isnull=True)
    n = open_eps.count()
    assert 3050 <= n <= 3150
    status = Counter(open_eps.values_list("legal_status", flat=True))
    assert status[LegalStatus.REMAND] / n == pytest.approx(0.26, abs=0.02)
    assert 125 <= status[LegalStatus.PREVENTIVE_DETENTION] <= 155
    foreign = open_eps.exclude(person__nationality="NO")
    assert foreign.count() / n == pytest.approx(0.27, abs=0.02)
    assert foreign.exclude(person__languages=[]).count() == foreign.count()
    assert foreign.filter(person__interpreter_needed=True).count() > 0.2 * foreign.count()
    women = open_eps.filter(person__gender="female").count()
    assert women / n == pytest.approx(0.045, abs=0.01)
    today = clock.today()
    young = [
        b
        for b in open_eps.values_list("person__birth_date", flat=True)
        if b > today.replace(year=today.year - 18)
    ]
    assert 7 <= len(young) <= 13
    active_places = sum(
        c.capacity for c in Cell.objects.filter(is_active=True, unit__is_active=True)
    )
    assert 0.8 <= n / active_places <= 0.95
    norwegians = Person.objects.filter(nationality="NO")
    assert norwegians.exclude(national_id="").count() / norwegians.count() > 0.9
    assert Person.objects.count() == summary["persons"] >= 9000
    assert CustodyEpisode.objects.filter(released_at__isnull=False).count() >= 8000
    kinds = set(Movement.objects.values_list("kind", flat=True))
    assert kinds == set(MovementKind.values)
    assert User.objects.values("facility").distinct().count() >= 57
    check_all()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="bulk mode is for PostgreSQL")
def test_bulk_mode_restores_constraints_and_indexes(frozen: dt.datetime) -> None:
    def schema() -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid ="
                " ANY(ARRAY['people_person', 'custody_movement', 'custody_custodyepisode',"
                " 'people_nextofkin']::regclass[]) UNION ALL SELECT indexname, indexdef FROM"
                " pg_indexes WHERE tablename IN ('people_person', 'custody_movement',"
                " 'custody_custodyepisode', 'people_nextofkin') ORDER BY 1, 2"
            )
            return cursor.fetchall()

    before = schema()
    seed(scale="small", progress=False, bulk_mode=True)
    assert schema() == before
    check_all()
