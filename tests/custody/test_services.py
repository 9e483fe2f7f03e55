"""Custody services: admission, cells, transfers, absences, release, counts, history replay."""

from __future__ import annotations

import datetime as dt

import pytest

from normalitet.audit.models import AuditEvent
from normalitet.core.errors import Conflict, DomainError, PermissionDenied
from normalitet.custody import selectors, services
from normalitet.custody.models import CustodyEpisode, Movement, MovementKind
from normalitet.people.services import non_association_add

from ..factories import PersonFactory
from .helpers import admitted

pytestmark = pytest.mark.django_db


def test_admission_creates_episode_movement_and_audit(estate, users):
    person = PersonFactory()
    before = AuditEvent.objects.count()
    ep = services.admit(
        actor=users["case_manager"], person=person, legal_status="remand", facility=estate.high
    )
    assert ep.facility == estate.high and ep.cell is None and ep.is_open
    assert list(Movement.objects.filter(person=person).values_list("kind", flat=True)) == [
        MovementKind.ADMISSION
    ]
    ev = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert (ev.action, ev.person_id, ev.actor_username) == (
        "custody.admission",
        person.pk,
        "case_manager",
    )


def test_a_person_cannot_be_admitted_twice(estate, users):
    ep = admitted(users, estate.high)
    with pytest.raises(Conflict):
        services.admit(
            actor=users["case_manager"],
            person=ep.person,
            legal_status="remand",
            facility=estate.high,
        )
    assert CustodyEpisode.objects.filter(person=ep.person).count() == 1


def test_officer_may_not_admit(estate, users):
    with pytest.raises(PermissionDenied):
        services.admit(
            actor=users["officer"],
            person=PersonFactory(),
            legal_status="remand",
            facility=estate.high,
        )
    assert CustodyEpisode.objects.count() == 0


def test_case_manager_admits_only_to_own_facility(estate, users):
    with pytest.raises(DomainError, match="own facility"):
        services.admit(
            actor=users["case_manager"],
            person=PersonFactory(),
            legal_status="remand",
            facility=estate.lower,
        )


def test_cell_never_above_capacity(estate, users):
    cell = estate.cells_a[0]
    admitted(users, estate.high, cell)
    second = admitted(users, estate.high)
    with pytest.raises(Conflict, match="full"):
        services.allocate_cell(actor=users["case_manager"], episode=second, cell=cell)
    second.refresh_from_db()
    assert second.cell is None
    assert CustodyEpisode.objects.filter(cell=cell, released_at__isnull=True).count() == 1


def test_high_security_shared_cell_needs_a_decision(estate, users):
    cell = estate.double_cell
    admitted(users, estate.high, cell)
    second = admitted(users, estate.high)
    with pytest.raises(Conflict) as exc:
        services.allocate_cell(actor=users["case_manager"], episode=second, cell=cell)
    assert exc.value.rule == "single-occupancy-high-security"
    ep = services.allocate_cell(
        actor=users["case_manager"],
        episode=second,
        cell=cell,
        shared_cell_reason="Own wish, decided by the unit leader",
    )
    assert ep.cell == cell and ep.shared_cell_decided
    third = admitted(users, estate.high)
    with pytest.raises(Conflict, match="full"):
        services.allocate_cell(
            actor=users["case_manager"], episode=third, cell=cell, shared_cell_reason="x"
        )


@pytest.mark.parametrize(
    ("scope", "same_unit_allowed", "same_facility_allowed"),
    [("cell", True, True), ("unit", False, True), ("facility", False, False)],
)
def test_non_association_scopes(estate, users, scope, same_unit_allowed, same_facility_allowed):
    cm = users["case_manager"]
    first = admitted(users, estate.high, estate.cells_a[0])
    other = PersonFactory()
    non_association_add(
        actor=cm, person=first.person, other=other, scope=scope, reason="Conflict in the case"
    )
    if not same_facility_allowed:
        with pytest.raises(Conflict, match="kept apart"):
            services.admit(actor=cm, person=other, legal_status="remand", facility=estate.high)
        return
    ep = services.admit(actor=cm, person=other, legal_status="remand", facility=estate.high)
    if same_unit_allowed:
        services.allocate_cell(actor=cm, episode=ep, cell=estate.cells_a[1])
    else:
        with pytest.raises(Conflict, match="kept apart"):
            services.allocate_cell(actor=cm, episode=ep, cell=estate.cells_a[1])
        services.allocate_cell(actor=cm, episode=ep, cell=estate.cells_b[0])


def test_internal_move_and_transfer_recorded_as_history(estate, users, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC), tick=False)
    ep = admitted(users, estate.high, estate.cells_a[0])
    time_machine.move_to(dt.datetime(2026, 3, 5, 8, 0, tzinfo=dt.UTC), tick=False)
    services.allocate_cell(actor=users["officer"], episode=ep, cell=estate.cells_a[1])
    time_machine.move_to(dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.UTC), tick=False)
    services.transfer(
        actor=users["case_manager"],
        episode=ep,
        to_facility=estate.lower,
        reason="Progression to lower security",
    )
    ep.refresh_from_db()
    assert (ep.facility, ep.unit, ep.cell) == (estate.lower, None, None)
    kinds = list(Movement.objects.filter(person=ep.person).values_list("kind", flat=True))
    assert kinds == ["admission", "cell_allocation", "internal_move", "transfer"]
    where = selectors.location_on(person=ep.person, at=dt.datetime(2026, 3, 3, 12, tzinfo=dt.UTC))
    assert (where.facility, where.cell) == (estate.high, estate.cells_a[0])
    where = selectors.location_on(person=ep.person, at=dt.datetime(2026, 3, 7, 12, tzinfo=dt.UTC))
    assert where.cell == estate.cells_a[1]
    where = selectors.location_on(person=ep.person, at=dt.datetime(2026, 3, 11, tzinfo=dt.UTC))
    assert (where.facility, where.cell) == (estate.lower, None)
    assert not selectors.location_on(
        person=ep.person, at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    ).in_custody


def test_transfer_to_own_facility_or_without_reason_is_refused(estate, users):
    ep = admitted(users, estate.high)
    with pytest.raises(DomainError):
        services.transfer(
            actor=users["case_manager"], episode=ep, to_facility=estate.high, reason="x"
        )
    with pytest.raises(DomainError, match="reason"):
        services.transfer(
            actor=users["case_manager"], episode=ep, to_facility=estate.lower, reason=" "
        )
    ep.refresh_from_db()
    assert ep.facility == estate.high


def test_absence_keeps_cell_and_counts_as_out(estate, users, frozen):
    ep = admitted(users, estate.high, estate.cells_a[0])
    services.absence_start(
        actor=users["officer"],
        episode=ep,
        kind="court",
        expected_back=frozen + dt.timedelta(hours=6),
    )
    roll = selectors.facility_roll(facility=estate.high)
    row = next(r for r in roll.rows if r.unit == estate.unit_a)
    assert (row.in_cell, row.out) == (0, 1)
    with pytest.raises(DomainError, match="already out"):
        services.absence_start(actor=users["officer"], episode=ep, kind="court", expected_back=None)
    services.absence_end(actor=users["officer"], episode=ep)
    ep.refresh_from_db()
    assert ep.cell == estate.cells_a[0] and not ep.is_absent


def test_release_frees_the_cell(estate, users):
    ep = admitted(users, estate.high, estate.cells_a[0])
    services.release(actor=users["case_manager"], episode=ep, reason="served")
    ep.refresh_from_db()
    assert ep.released_at is not None
    nxt = admitted(users, estate.high, estate.cells_a[0])
    assert nxt.cell == estate.cells_a[0]
    with pytest.raises(DomainError):
        services.release(actor=users["case_manager"], episode=ep, reason="served")


def test_roll_counts(estate, users, frozen):
    admitted(users, estate.high, estate.cells_a[0])
    admitted(users, estate.high, estate.cells_a[1])
    waiting = admitted(users, estate.high)
    waiting.expected_release_date = frozen.date()
    waiting.save()
    out = admitted(users, estate.high, estate.cells_b[0])
    services.absence_start(
        actor=users["case_manager"], episode=out, kind="hospital", expected_back=None
    )
    roll = selectors.facility_roll(facility=estate.high)
    rows = {r.unit.code if r.unit else None: r for r in roll.rows}
    assert (rows["A"].places, rows["A"].in_cell, rows["A"].out) == (3, 2, 0)
    assert (rows["B"].places, rows["B"].in_cell, rows["B"].out) == (4, 0, 1)
    assert (rows[None].without_cell, rows[None].leaving_today) == (1, 1)
    assert roll.total.arriving_today == 4
    assert (roll.total.places, roll.total.on_roll) == (7, 4)


def test_count_flags_discrepancy(estate, users):
    admitted(users, estate.high, estate.cells_a[0])
    admitted(users, estate.high, estate.cells_a[1])
    ok = services.count_record(
        actor=users["officer"], facility=estate.high, unit=estate.unit_a, counted=2
    )
    assert (ok.expected, ok.discrepancy) == (2, 0)
    bad = services.count_record(
        actor=users["officer"],
        facility=estate.high,
        unit=estate.unit_a,
        counted=1,
        note="One missing at 21:00",
    )
    assert (bad.expected, bad.counted, bad.discrepancy) == (2, 1, -1)
    with pytest.raises(DomainError):
        services.count_record(actor=users["officer"], facility=estate.lower, unit=None, counted=0)


def test_cannot_deactivate_an_occupied_cell(estate, users):
    admitted(users, estate.high, estate.cells_a[0])
    with pytest.raises(Conflict):
        services.estate_set_active(
            actor=users["facility_leader"],
            obj=estate.cells_a[0],
            active=False,
            reason="Water damage",
        )
    estate.cells_a[0].refresh_from_db()
    assert estate.cells_a[0].is_active
    services.estate_set_active(
        actor=users["facility_leader"], obj=estate.cells_a[2], active=False, reason="Water damage"
    )
    estate.cells_a[2].refresh_from_db()
    assert not estate.cells_a[2].is_active and estate.cells_a[2].status_reason == "Water damage"
