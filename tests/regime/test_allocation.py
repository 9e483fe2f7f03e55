"""The waiting list and places in activities, through the services: every transition checked,
capacity, eligibility, non-associations and restrictions on company respected, and what a
transfer or release does to the person's places and requests. Time is frozen at Monday
2 March 2026."""

from __future__ import annotations

import datetime as dt

import pytest

from normalitet.audit.models import AuditEvent
from normalitet.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from normalitet.custody import services as custody
from normalitet.people.models import NonAssociation
from normalitet.regime import allocation as svc
from normalitet.regime.models import Allocation, CompanyRestriction, Suspension
from normalitet.regime.occurrences import places_on

from ..custody.helpers import admitted
from .helpers import activity, place

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def world(estate, users, frozen):
    """Anders in unit A (the officer's caseload), Berit in unit B, a workshop of two places
    and a class the teacher leads."""
    return {
        "anders": admitted(users, estate.high, estate.cells_a[0], given_names="Anders"),
        "berit": admitted(users, estate.high, estate.cells_b[0], given_names="Berit"),
        "work": activity(estate.high, "Snekkerverkstedet", capacity=2),
        "school": activity(
            estate.high, "Vg1 norsk", category="upper_secondary", leader=users["teacher"]
        ),
    }


def request(users, episode, act, role="officer", note="Vil lære snekring"):
    return svc.allocation_request(actor=users[role], episode=episode, activity=act, note=note)


def allocated(users, episode, act, starts_on=TODAY):
    a = request(users, episode, act, role="case_manager")
    return svc.allocation_allocate(actor=users["case_manager"], allocation=a, starts_on=starts_on)


def _statuses():
    return list(Allocation.objects.order_by("pk").values_list("pk", "status", "starts_on"))


def test_request_puts_the_person_on_the_waiting_list(world, users):
    a = request(users, world["anders"], world["work"])
    assert (a.status, a.requested_on, a.requested_by, a.request_note) == (
        "requested",
        TODAY,
        users["officer"],
        "Vil lære snekring",
    )
    event = AuditEvent.objects.get(action="regime.allocation_requested")
    assert event.person_id == world["anders"].person_id
    assert event.data == {"activity": world["work"].pk, "status": "requested"}  # no free text
    with pytest.raises(Conflict) as err:
        request(users, world["anders"], world["work"])
    assert err.value.field == "activity" and Allocation.objects.count() == 1


def test_request_only_for_the_caseload_and_own_facility(world, users, estate):
    with pytest.raises(NotFound):  # unit B is outside the officer's caseload
        request(users, world["berit"], world["work"])
    elsewhere = admitted(users, estate.lower, estate.lower_cells[0])
    with pytest.raises(NotFound):
        request(users, elsewhere, world["work"], role="case_manager")
    with pytest.raises(PermissionDenied):
        request(users, world["anders"], world["school"], role="teacher")
    assert not Allocation.objects.exists()


def test_request_refused_when_the_activity_is_not_open_to_the_person(world, users, estate):
    remand_only = activity(estate.high, "Varetekt", legal_statuses=["remand"])
    with pytest.raises(Conflict) as err:
        request(users, world["anders"], remand_only)
    assert err.value.rule == "eligibility"
    assert "Remand" not in err.value.message and "Serving a sentence" in err.value.message
    lower_only = activity(estate.high, "Utegruppa", security_levels=["lower"])
    with pytest.raises(Conflict, match="not open to persons in High security"):
        svc.allocation_request(actor=users["officer"], episode=world["anders"], activity=lower_only)
    assert not Allocation.objects.exists()


def test_approve_decline_and_a_declined_request_cannot_get_a_place(world, users):
    cm = users["case_manager"]
    a = request(users, world["anders"], world["work"])
    b = request(users, world["berit"], world["work"], role="case_manager")
    with pytest.raises(DomainError) as err:
        svc.allocation_decide(actor=cm, allocation=b, approve=False, note=" ")
    assert err.value.field == "note" and Allocation.objects.get(pk=b.pk).status == "requested"
    a = svc.allocation_decide(actor=cm, allocation=a, approve=True)
    assert (a.status, a.decided_on, a.decided_by) == ("approved", TODAY, cm)
    b = svc.allocation_decide(actor=cm, allocation=b, approve=False, note="Ikke plass i år")
    assert (b.status, b.decision_note) == ("declined", "Ikke plass i år")
    before = _statuses()
    with pytest.raises(Conflict, match=r"waiting list can get a place \(now: Declined\)"):
        svc.allocation_allocate(actor=cm, allocation=b)
    with pytest.raises(Conflict, match="Only a new request"):
        svc.allocation_decide(actor=cm, allocation=a, approve=False, note="x")
    with pytest.raises(PermissionDenied):
        svc.allocation_decide(actor=users["officer"], allocation=a, approve=True)
    assert _statuses() == before


def test_allocation_within_capacity(world, users, estate):
    third = admitted(users, estate.high, estate.cells_a[1])
    allocated(users, world["anders"], world["work"])
    allocated(users, world["berit"], world["work"])
    waiting = request(users, third, world["work"])
    with pytest.raises(Conflict) as err:
        svc.allocation_allocate(actor=users["case_manager"], allocation=waiting)
    assert err.value.rule == "capacity" and "2 of 2 places" in err.value.message
    assert Allocation.objects.get(pk=waiting.pk).status == "requested"
    assert {p.person_id for p in places_on(day=TODAY, activity_ids=[world["work"].pk])} == {
        world["anders"].person_id,
        world["berit"].person_id,
    }


def test_allocation_keeps_apart_those_who_must_be(world, users):
    allocated(users, world["berit"], world["work"])
    a, b = sorted([world["anders"].person_id, world["berit"].person_id])
    na = NonAssociation.objects.create(
        person_a_id=a, person_b_id=b, scope="unit", reason="Konflikt", created_by=users["admin"]
    )
    waiting = request(users, world["anders"], world["work"])
    with pytest.raises(Conflict) as err:
        svc.allocation_allocate(actor=users["case_manager"], allocation=waiting)
    assert err.value.rule == "non-association" and "Berit" not in err.value.message
    na.ended_at = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    na.save()
    done = svc.allocation_allocate(actor=users["case_manager"], allocation=waiting)
    assert done.status == "allocated"


def test_restriction_on_company_refuses_group_activities_only(world, users, estate):
    CompanyRestriction.objects.create(
        person_id=world["anders"].person_id,
        episode=world["anders"],
        kind="court",
        starts_on=dt.date(2026, 2, 20),
        ends_on=dt.date(2026, 3, 10),
    )
    waiting = request(users, world["anders"], world["work"])
    cm = users["case_manager"]
    with pytest.raises(Conflict) as err:
        svc.allocation_allocate(actor=cm, allocation=waiting)
    assert err.value.rule == "company-restriction" and "STRPL § 186 a" in err.value.message
    assert svc.allocation_allocate(actor=cm, allocation=waiting, starts_on=dt.date(2026, 3, 11))
    tutoring = activity(estate.high, "Eneundervisning", category="basic_schooling", capacity=1)
    one_to_one = request(users, world["anders"], tutoring)
    assert svc.allocation_allocate(actor=cm, allocation=one_to_one).status == "allocated"


def test_allocation_cannot_start_in_the_past(world, users):
    waiting = request(users, world["anders"], world["work"])
    with pytest.raises(DomainError) as err:
        svc.allocation_allocate(
            actor=users["case_manager"], allocation=waiting, starts_on=dt.date(2026, 3, 1)
        )
    assert err.value.field == "starts_on" and Allocation.objects.get().status == "requested"


def test_suspend_and_resume(world, users):
    cm = users["case_manager"]
    a = allocated(users, world["anders"], world["work"], starts_on=dt.date(2026, 3, 2))
    with pytest.raises(DomainError) as err:
        svc.allocation_suspend(actor=cm, allocation=a, reason="released")
    assert err.value.field == "reason" and not Suspension.objects.exists()
    s = svc.allocation_suspend(actor=cm, allocation=a, reason="health", note="Sykemeldt")
    assert (s.starts_on, s.ends_on, s.reason) == (TODAY, None, "health")
    assert Allocation.objects.get(pk=a.pk).status == "suspended"
    assert [p.suspended for p in places_on(day=TODAY, activity_ids=[a.activity_id])] == [True]
    with pytest.raises(Conflict, match="Only a place in use"):
        svc.allocation_suspend(actor=cm, allocation=a, reason="security")
    resumed = svc.allocation_resume(actor=cm, allocation=a, on=dt.date(2026, 3, 5))
    assert resumed.status == "allocated"
    assert Suspension.objects.get().ends_on == dt.date(2026, 3, 4)
    # A suspension that has not begun is taken away when the place resumes.
    svc.allocation_suspend(actor=cm, allocation=a, reason="security", starts_on=dt.date(2026, 3, 9))
    svc.allocation_resume(actor=cm, allocation=a, on=dt.date(2026, 3, 6))
    assert list(Suspension.objects.values_list("ends_on", flat=True)) == [dt.date(2026, 3, 4)]


def test_end_with_a_reason_frees_the_place(world, users, estate):
    cm = users["case_manager"]
    a = allocated(users, world["anders"], world["work"])
    allocated(users, world["berit"], world["work"])
    with pytest.raises(DomainError) as err:
        svc.allocation_end(
            actor=cm, allocation=a, reason="completed", ended_on=TODAY.replace(day=3)
        )
    assert err.value.field == "ended_on"
    with pytest.raises(DomainError) as err:
        svc.allocation_end(actor=cm, allocation=a, reason="transferred")
    assert err.value.field == "reason" and Allocation.objects.get(pk=a.pk).status == "allocated"
    ended = svc.allocation_end(actor=cm, allocation=a, reason="dismissed", note="Gjentatt nekt")
    assert (ended.status, ended.ended_on, ended.end_reason) == ("ended", TODAY, "dismissed")
    event = AuditEvent.objects.filter(action="regime.allocation_end").get()
    assert event.data == {"status": "ended", "ended_on": "2026-03-02", "reason": "dismissed"}
    third = admitted(users, estate.high, estate.cells_a[1])
    assert allocated(users, third, world["work"]).status == "allocated"


def test_the_person_withdraws_a_request_but_not_a_place(world, users):
    a = request(users, world["anders"], world["work"])
    done = svc.allocation_withdraw(
        actor=users["officer"], allocation=a, note="Vil heller gå på skole"
    )
    assert (done.status, done.end_reason, done.ended_on) == ("withdrawn", "person_request", TODAY)
    b = allocated(users, world["berit"], world["work"])
    with pytest.raises(NotFound):  # Berit is not in the officer's caseload
        svc.allocation_withdraw(actor=users["officer"], allocation=b)
    with pytest.raises(Conflict, match="Only a request on the waiting list can be withdrawn"):
        svc.allocation_withdraw(actor=users["case_manager"], allocation=b)
    assert Allocation.objects.get(pk=b.pk).status == "allocated"


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        ("requested", {"decide", "allocate", "withdraw"}),
        ("approved", {"allocate", "withdraw"}),
        ("declined", set()),
        ("allocated", {"suspend", "end"}),
        ("suspended", {"resume", "end"}),
        ("withdrawn", set()),
        ("ended", set()),
    ],
)
def test_transition_table(world, users, status, allowed):
    a = place(world["work"], world["anders"], status=status)
    assert {x for x in svc.TRANSITIONS if svc.may(users["case_manager"], a, x)} == allowed
    assert not any(svc.may(users["teacher"], a, x) for x in svc.TRANSITIONS)


def test_allocation_elsewhere_is_not_found(world, users):
    a = request(users, world["anders"], world["work"])
    with pytest.raises(NotFound):
        svc.allocation_allocate(actor=users["lower_case_manager"], allocation=a)
    assert Allocation.objects.get().status == "requested"


def test_transfer_ends_places_and_withdraws_requests(world, users, estate):
    held = allocated(users, world["anders"], world["work"])
    waiting = request(users, world["anders"], world["school"])
    other = allocated(users, world["berit"], world["school"])
    custody.transfer(
        actor=users["case_manager"], episode=world["anders"], to_facility=estate.lower, reason="x"
    )
    held.refresh_from_db()
    waiting.refresh_from_db()
    assert (held.status, held.end_reason, held.ended_on) == ("ended", "transferred", TODAY)
    assert (waiting.status, waiting.end_reason) == ("withdrawn", "transferred")
    assert Allocation.objects.get(pk=other.pk).status == "allocated"
    assert places_on(day=TODAY, activity_ids=[world["work"].pk]) == []


def test_release_ends_places(world, users):
    held = allocated(users, world["berit"], world["school"])
    svc.allocation_suspend(actor=users["case_manager"], allocation=held, reason="health")
    custody.release(actor=users["case_manager"], episode=world["berit"], reason="served")
    held.refresh_from_db()
    assert (held.status, held.end_reason, held.ended_on) == ("ended", "released", TODAY)
    assert AuditEvent.objects.filter(action="regime.allocation_end", person_id=held.person_id)


def test_selectors_order_and_scope(world, users, estate):
    third = admitted(users, estate.high, estate.cells_a[1], given_names="Cecilie")
    late = request(users, world["anders"], world["school"])
    early = request(users, third, world["school"])
    Allocation.objects.filter(pk=early.pk).update(requested_on=dt.date(2026, 2, 1))
    work = request(users, world["anders"], world["work"])
    cm, teacher = users["case_manager"], users["teacher"]
    assert [a.pk for a in svc.waiting_list(actor=cm)] == [early.pk, late.pk, work.pk]
    assert [a.pk for a in svc.waiting_list(actor=teacher)] == [early.pk, late.pk]
    mine = svc.person_allocations(actor=teacher, episode=world["anders"])
    assert [a.pk for a in mine] == [late.pk]
    assert list(svc.requestable_activities(episode=world["anders"])) == []
