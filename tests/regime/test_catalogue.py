"""The activity catalogue through its services: activities checked field by field (kind and
category, capacity, the supplement's maximum, levels and statuses, the leader), weekly sessions
without overlaps, cancelled dates and their undoing, and the catalogue with its counts. Time is
frozen at Monday 2 March 2026."""

from __future__ import annotations

import datetime as dt

import pytest

from normalitet.audit.models import AuditEvent
from normalitet.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from normalitet.regime import catalogue as svc
from normalitet.regime.models import Activity, Session, SessionCancellation
from normalitet.regime.occurrences import occurrences

from ..custody.helpers import admitted
from ..factories import UserFactory
from .helpers import activity, place

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)
T = dt.time.fromisoformat
BASE = {
    "name": "Metallverkstedet",
    "kind": "work",
    "category": "metalwork",
    "place": "Verkstedbygget",
    "capacity": 6,
}


def create(users, role="case_manager", **kw):
    return svc.activity_create(actor=users[role], **{**BASE, **kw})


def test_create_fills_the_defaults_and_is_audited(estate, users, frozen):
    a = create(users, leader=users["officer"], supplement_ore=3200, security_levels=["high"] * 2)
    assert (a.facility, a.provider, a.meets_activity_duty, a.security_levels) == (
        estate.high,
        "kriminalomsorgen",
        True,
        ["high"],
    )
    school = create(users, name="Vg2", kind="education", category="upper_secondary", capacity=8)
    assert (school.provider, school.meets_activity_duty) == ("county", True)
    gym = create(users, name="Treningsrommet", kind="leisure", category="gym")
    assert not gym.meets_activity_duty
    event = AuditEvent.objects.filter(action="regime.activity_created").first()
    assert event.data == {"kind": "work", "category": "metalwork", "capacity": 6}


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"category": "gym"}, "category"),
        ({"kind": "sport"}, "kind"),
        ({"capacity": 0}, "capacity"),
        ({"supplement_ore": 3201}, "supplement_ore"),
        ({"kind": "education", "category": "vocational", "supplement_ore": 100}, "supplement_ore"),
        ({"security_levels": ["medium"]}, "security_levels"),
        ({"legal_statuses": ["convicted"]}, "legal_statuses"),
        (
            {"kind": "leisure", "category": "gym", "meets_activity_duty": True},
            "meets_activity_duty",
        ),
        ({"name": "  "}, "name"),
        ({"place": ""}, "place"),
        ({"provider": "church"}, "provider"),
    ],
)
def test_bad_activities_change_nothing(estate, users, frozen, kw, field):
    with pytest.raises(DomainError) as err:
        create(users, **kw)
    assert err.value.field == field
    assert not Activity.objects.exists() and not AuditEvent.objects.filter(kind="change").exists()


def test_the_leader_is_staff_or_a_teacher_of_the_facility(estate, users, frozen):
    for leader in (users["health"], users["lower_case_manager"], users["admin"]):
        with pytest.raises(DomainError) as err:
            create(users, leader=leader)
        assert err.value.field == "leader"
    away = UserFactory(role="teacher", facility=estate.high, is_active=False)
    with pytest.raises(DomainError):
        create(users, leader=away)
    assert create(users, leader=users["teacher"]).leader == users["teacher"]
    staff = ("case_manager", "contact_officer", "facility_leader", "officer", "teacher")
    assert list(svc.leader_choices(facility_id=estate.high.pk)) == [users[r] for r in staff]


def test_only_the_regime_office_manages_and_names_are_unique(estate, users, frozen):
    for role in ("officer", "teacher", "contact_officer"):
        with pytest.raises(PermissionDenied):
            create(users, role=role)
    create(users)
    with pytest.raises(Conflict) as err:
        create(users, role="facility_leader", name="metallverkstedet")
    assert err.value.field == "name" and Activity.objects.count() == 1
    other = svc.activity_create(actor=users["lower_case_manager"], **BASE)
    assert other.facility == estate.lower


def test_update_keeps_the_capacity_above_the_places_held(estate, users, frozen):
    a = create(users, capacity=3)
    for cell in estate.cells_a[:2]:
        place(a, admitted(users, estate.high, cell))
    with pytest.raises(Conflict) as err:
        svc.activity_update(actor=users["case_manager"], activity=a, capacity=1)
    assert err.value.field == "capacity" and "2 persons hold a place" in err.value.message
    a = svc.activity_update(
        actor=users["case_manager"], activity=a, capacity=2, place="Hall B", supplement_ore=1500
    )
    a.refresh_from_db()
    assert (a.capacity, a.place, a.supplement_ore) == (2, "Hall B", 1500)
    event = AuditEvent.objects.filter(action="regime.activity_updated").get()
    assert event.data == {"changed": ["capacity", "place", "supplement_ore"]}
    with pytest.raises(NotFound):
        svc.activity_update(actor=users["lower_case_manager"], activity=a, capacity=9)
    with pytest.raises(TypeError):
        svc.activity_update(actor=users["case_manager"], activity=a, facility_id=9)


def test_deactivate_only_when_nobody_holds_or_waits(estate, users, frozen):
    a = create(users)
    held = place(a, admitted(users, estate.high, estate.cells_a[0]))
    with pytest.raises(Conflict, match="1 person holds a place or waits"):
        svc.activity_deactivate(actor=users["case_manager"], activity=a)
    held.status, held.ended_on, held.end_reason = "ended", TODAY, "completed"
    held.save()
    assert not svc.activity_deactivate(actor=users["case_manager"], activity=a).is_active
    with pytest.raises(Conflict):
        svc.activity_deactivate(actor=users["case_manager"], activity=a)
    with pytest.raises(DomainError):
        svc.session_add(
            actor=users["case_manager"],
            activity=a,
            weekday=0,
            starts=T("08:00"),
            ends=T("09:00"),
            valid_from=TODAY,
        )


def _add(users, act, weekday=0, starts="08:00", ends="11:30", **kw):
    kw.setdefault("valid_from", TODAY)
    return svc.session_add(
        actor=users["case_manager"],
        activity=act,
        weekday=weekday,
        starts=T(starts),
        ends=T(ends),
        **kw,
    )


def test_sessions_do_not_overlap(estate, users, frozen):
    act = create(users)
    first = _add(users, act)
    assert (first.weekday, first.valid_from, first.valid_to) == (0, TODAY, None)
    with pytest.raises(Conflict) as err:
        _add(users, act, starts="11:00", ends="12:00")
    assert err.value.field == "starts" and "Monday 08:00–11:30" in err.value.message
    assert _add(users, act, starts="11:30", ends="15:00")  # back to back is fine
    assert _add(users, act, weekday=1, starts="09:00", ends="10:00")
    svc.session_end(actor=users["case_manager"], session=first, valid_to=dt.date(2026, 3, 31))
    assert _add(users, act, starts="08:00", ends="11:00", valid_from=dt.date(2026, 4, 1))
    assert Session.objects.filter(activity=act).count() == 4


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"starts": "10:00", "ends": "10:00"}, "ends"),
        ({"weekday": 7}, "weekday"),
        ({"valid_from": dt.date(2026, 3, 1)}, "valid_from"),
        ({"valid_to": dt.date(2026, 3, 1)}, "valid_to"),
    ],
)
def test_bad_sessions_change_nothing(estate, users, frozen, kw, field):
    act = create(users)
    with pytest.raises(DomainError) as err:
        _add(users, act, **kw)
    assert err.value.field == field and not Session.objects.exists()


def test_end_a_session(estate, users, frozen):
    act = activity(estate.high, days=(0,), times=(("08:00", "11:00"),))
    session = act.sessions.get()
    with pytest.raises(DomainError) as err:
        svc.session_end(actor=users["case_manager"], session=session, valid_to=TODAY.replace(day=1))
    assert err.value.field == "valid_to" and Session.objects.get().valid_to is None
    with pytest.raises(PermissionDenied):
        svc.session_end(actor=users["officer"], session=session, valid_to=TODAY)
    svc.session_end(actor=users["case_manager"], session=session, valid_to=TODAY)
    assert Session.objects.get().valid_to == TODAY
    assert [o.session_id for o in occurrences(facility_id=estate.high.pk, day=TODAY)] == [
        session.pk
    ]
    assert occurrences(facility_id=estate.high.pk, day=dt.date(2026, 3, 9)) == []


def test_cancel_a_date_and_undo_it(estate, users, frozen):
    act = activity(estate.high, days=(0, 3), times=(("08:00", "11:00"),))
    monday, thursday = act.sessions.order_by("weekday")
    cm = users["case_manager"]
    with pytest.raises(DomainError) as err:
        svc.session_cancel(actor=cm, session=monday, on=dt.date(2026, 3, 3), reason="Kurs")
    assert err.value.field == "on" and "does not run" in err.value.message
    with pytest.raises(DomainError, match="Skjærtorsdag"):  # Maundy Thursday 2026
        svc.session_cancel(actor=cm, session=thursday, on=dt.date(2026, 4, 2), reason="Kurs")
    with pytest.raises(DomainError):
        svc.session_cancel(actor=cm, session=monday, on=dt.date(2026, 2, 23), reason="Kurs")
    with pytest.raises(DomainError) as err:
        svc.session_cancel(actor=cm, session=monday, on=dt.date(2026, 3, 9), reason=" ")
    assert err.value.field == "reason" and not SessionCancellation.objects.exists()
    svc.session_cancel(actor=cm, session=monday, on=dt.date(2026, 3, 9), reason="Personalmangel")
    (occ,) = occurrences(facility_id=estate.high.pk, day=dt.date(2026, 3, 9))
    assert (occ.cancelled, occ.cancel_reason) == (True, "Personalmangel")
    with pytest.raises(Conflict):
        svc.session_cancel(actor=cm, session=monday, on=dt.date(2026, 3, 9), reason="Igjen")
    assert [c.on for c in svc.upcoming_cancellations(activity=act)] == [dt.date(2026, 3, 9)]
    svc.session_reinstate(actor=cm, session=monday, on=dt.date(2026, 3, 9))
    assert not occurrences(facility_id=estate.high.pk, day=dt.date(2026, 3, 9))[0].cancelled
    with pytest.raises(NotFound):
        svc.session_reinstate(actor=cm, session=monday, on=dt.date(2026, 3, 9))
    actions = list(
        AuditEvent.objects.filter(action__startswith="regime.session_").values_list(
            "action", flat=True
        )
    )
    assert actions == ["regime.session_cancelled", "regime.session_reinstated"]


def test_catalogue_counts_places_and_waiting(estate, users, frozen, django_assert_num_queries):
    work = activity(estate.high, "Snekkerverkstedet", capacity=2)
    school = activity(estate.high, "Vg1", category="upper_secondary", leader=users["teacher"])
    activity(estate.lower, "Lyngmo kjøkken", category="kitchen")
    gone = activity(estate.high, "Gammelt", category="laundry", is_active=False)
    eps = [admitted(users, estate.high, c) for c in [*estate.cells_a, *estate.cells_b]]
    place(work, eps[0])
    place(work, eps[1], status="suspended")
    place(work, eps[2], status="requested")
    place(school, eps[3], status="approved")
    place(school, eps[4], status="ended")
    with django_assert_num_queries(1):
        rows = svc.catalogue(actor=users["officer"])
    counts = {r.activity.name: (r.held, r.free, r.waiting) for r in rows}
    assert counts == {"Snekkerverkstedet": (2, 0, 1), "Vg1": (0, 8, 1)}
    assert [r.activity for r in svc.catalogue(actor=users["officer"], kind="education")] == [school]
    every = svc.catalogue(actor=users["case_manager"], include_inactive=True)
    assert gone in [r.activity for r in every]
    assert [r.activity for r in svc.catalogue(actor=users["teacher"])] == [school]
    assert svc.catalogue(actor=users["health"]) == []
    assert svc.kroner(7900) == "kr\u00a079,00" and svc.kroner(123456) == "kr\u00a01\u00a0234,56"
