"""Court restrictions on remand (STRPL §§ 186, 186 a): recording, renewing and lifting orders,
the rules of full isolation, what a new order does to visits, and who may do what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from normalitet.audit.models import AuditEvent
from normalitet.contact import court_orders, visits
from normalitet.contact.models import BookingStatus, CourtRestriction, Notice
from normalitet.core.errors import Conflict, DomainError, NotFound, PermissionDenied

from ..custody.helpers import admitted
from ..factories import PersonFactory
from .helpers import contact, order, room, session, visitor

D = dt.date


def remanded(users: dict[str, Any], facility: Any, cell: Any = None, **person: Any) -> Any:
    """A person admitted on remand, optionally with a cell."""
    return admitted(users, facility, cell, legal_status="remand", **person)


def record(actor: Any, episode: Any, kind: str, **kw: Any) -> CourtRestriction:
    fields: dict[str, Any] = {
        "court": "Oslo tingrett",
        "case_number": "26-031234MED-OTIR/05",
        "ordered_on": D(2026, 3, 2),
        "starts_on": D(2026, 3, 2),
        "ends_on": D(2026, 3, 29),
    }
    fields.update(kw)
    return court_orders.order_record(actor=actor, episode=episode, kind=kind, **fields)


@pytest.fixture
def ep(estate: Any, users: dict[str, Any], frozen: Any) -> Any:
    return remanded(users, estate.high, estate.cells_a[0], given_names="Rune")


def test_visit_ban_is_recorded_audited_and_cancels_visits_with_notice(ep, users, estate):
    kari = visitor(facility=estate.high)
    lawyer = visitor("Liv", "Advokat", facility=estate.high)
    t = session(room(estate.high), capacity=3)
    booking = visits.booking_make(
        actor=users["officer"],
        episode=ep,
        slot_key=f"{t.pk}:2026-03-04",
        contacts=[contact(ep, kari)],
    )
    o = record(users["case_manager"], ep, "visit_ban")
    assert o.recorded_by == users["case_manager"] and o.person_id == ep.person_id
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert Notice.objects.filter(visitor=kari, kind="cancelled").exists()
    event = AuditEvent.objects.get(action="contact.order_record")
    assert event.data["kind"] == "visit_ban" and event.data["visits_cancelled"] == 1
    assert event.person_id == ep.person_id
    assert lawyer  # the lawyer's contact is never restricted (checked in visits)


def test_police_control_flags_visits(ep, users, estate):
    kari = visitor(facility=estate.high)
    t = session(room(estate.high))
    booking = visits.booking_make(
        actor=users["officer"],
        episode=ep,
        slot_key=f"{t.pk}:2026-03-04",
        contacts=[contact(ep, kari)],
    )
    record(users["case_manager"], ep, "visits_police")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.FLAGGED and booking.police_control


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"ends_on": D(2026, 3, 1)}, "ends_on"),  # before it starts
        ({"ordered_on": D(2026, 3, 3), "starts_on": D(2026, 3, 3)}, "ordered_on"),  # future
        ({"ordered_on": D(2026, 3, 2), "starts_on": D(2026, 3, 1)}, "starts_on"),
        ({"court": "  "}, "court"),
        ({"case_number": ""}, "case_number"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(ep, users, kw, field):
    with pytest.raises(DomainError) as err:
        record(users["case_manager"], ep, "letter_ban", **kw)
    assert err.value.field == field
    assert not CourtRestriction.objects.exists()
    assert not AuditEvent.objects.filter(action="contact.order_record").exists()


def test_only_for_a_person_on_remand(users, estate, frozen):

    sentenced = admitted(users, estate.high, estate.cells_a[1])
    with pytest.raises(DomainError, match="only for persons on remand"):
        record(users["case_manager"], sentenced, "visit_ban")
    assert not CourtRestriction.objects.exists()


def test_isolation_from_named_persons_needs_known_persons_not_themselves(ep, users):
    with pytest.raises(DomainError, match="at least one person") as err:
        record(users["case_manager"], ep, "isolation_named")
    assert err.value.field == "named_persons"
    with pytest.raises(DomainError, match="themselves"):
        record(users["case_manager"], ep, "isolation_named", named_person_ids=[ep.person_id])
    with pytest.raises(DomainError, match="known to the correctional service"):
        record(users["case_manager"], ep, "isolation_named", named_person_ids=[999_999])
    other = PersonFactory(given_names="Medtiltalt")
    o = record(users["case_manager"], ep, "isolation_named", named_person_ids=[other.pk])
    assert list(o.named_persons.all()) == [other]


def test_number_lookup_for_named_persons(ep):
    other = PersonFactory()
    assert court_orders.named_ids_from_numbers([other.person_number, " "]) == [other.pk]
    with pytest.raises(DomainError, match="X123"):
        court_orders.named_ids_from_numbers(["X123"])


def test_full_isolation_rules_each_named(users, estate, frozen):
    young = remanded(users, estate.high, birth_date=D(2009, 1, 1))
    with pytest.raises(DomainError) as err:
        record(users["case_manager"], young, "full_isolation", ends_on=D(2026, 3, 20))
    message = err.value.message
    assert "under 18" in message and "at most 14 days" in message
    assert "maximum penalty" in message and "STRPL § 186 a" in message
    assert err.value.rule == "court-isolation"
    assert not CourtRestriction.objects.exists()


def test_full_isolation_in_steps_within_the_continuous_maximum(ep, users):
    cm = users["case_manager"]
    first = record(
        cm,
        ep,
        "full_isolation",
        ordered_on=D(2026, 2, 1),
        starts_on=D(2026, 2, 1),
        ends_on=D(2026, 2, 14),
        offence_max_years=6,
    )
    second = court_orders.order_renew(
        actor=cm, order=first, ends_on=D(2026, 2, 28), ordered_on=D(2026, 2, 13)
    )
    assert second.starts_on == D(2026, 2, 15) and second.pk != first.pk
    assert second.offence_max_years == 6 and second.case_number == first.case_number
    third = court_orders.order_renew(
        actor=cm, order=second, ends_on=D(2026, 3, 14), ordered_on=D(2026, 2, 27),
        case_number="26-031234MED-OTIR/07",
    )  # fmt: skip
    assert third.case_number.endswith("/07")
    # 6 weeks = 42 days (up to 6 years' maximum penalty): 1 Feb – 14 Mar is exactly 42.
    with pytest.raises(DomainError, match="43 days without a break") as err:
        court_orders.order_renew(
            actor=cm, order=third, ends_on=D(2026, 3, 15), ordered_on=D(2026, 3, 2)
        )
    assert "6 weeks" in err.value.message and err.value.field == "ends_on"
    assert CourtRestriction.objects.count() == 3
    assert AuditEvent.objects.filter(action="contact.order_renew").count() == 2


def test_full_isolation_beyond_six_years_allows_twelve_weeks(ep, users):
    cm = users["case_manager"]
    o = record(
        cm, ep, "full_isolation", ordered_on=D(2026, 1, 5), starts_on=D(2026, 1, 5),
        ends_on=D(2026, 1, 18), offence_max_years=10,
    )  # fmt: skip
    for end in (D(2026, 2, 1), D(2026, 2, 15), D(2026, 3, 1)):
        o = court_orders.order_renew(actor=cm, order=o, ends_on=end, ordered_on=o.ends_on)
    assert (o.ends_on - D(2026, 1, 5)).days + 1 == 56


def test_renewal_refusals(ep, users):
    cm = users["case_manager"]
    o = record(cm, ep, "letter_ban", ends_on=D(2026, 3, 10))
    with pytest.raises(DomainError, match="before the order expired"):
        court_orders.order_renew(
            actor=cm, order=o, ends_on=D(2026, 4, 7), ordered_on=D(2026, 3, 11)
        )
    with pytest.raises(DomainError, match="run past"):
        court_orders.order_renew(
            actor=cm, order=o, ends_on=D(2026, 3, 10), ordered_on=D(2026, 3, 2)
        )
    court_orders.order_renew(actor=cm, order=o, ends_on=D(2026, 4, 7), ordered_on=D(2026, 3, 2))
    with pytest.raises(Conflict, match="renewed already"):
        court_orders.order_renew(actor=cm, order=o, ends_on=D(2026, 4, 7), ordered_on=D(2026, 3, 2))


def test_same_kind_cannot_overlap(ep, users):
    record(users["case_manager"], ep, "letter_ban")
    with pytest.raises(Conflict, match="already covers"):
        record(users["case_manager"], ep, "letter_ban", ends_on=D(2026, 3, 5))
    assert CourtRestriction.objects.count() == 1


def test_lift(ep, users):
    cm = users["case_manager"]
    o = record(cm, ep, "visit_ban")
    with pytest.raises(DomainError, match="reason"):
        court_orders.order_lift(actor=cm, order=o, lifted_on=D(2026, 3, 2), reason="")
    with pytest.raises(DomainError, match="future"):
        court_orders.order_lift(actor=cm, order=o, lifted_on=D(2026, 3, 3), reason="Opphevet")
    lifted = court_orders.order_lift(
        actor=cm, order=o, lifted_on=D(2026, 3, 2), reason="Opphevet av lagmannsretten"
    )
    assert lifted.lifted_on == D(2026, 3, 2)
    assert (
        AuditEvent.objects.get(action="contact.order_lift").reason == "Opphevet av lagmannsretten"
    )
    with pytest.raises(Conflict, match="lifted already"):
        court_orders.order_lift(actor=cm, order=o, lifted_on=D(2026, 3, 2), reason="x")
    with pytest.raises(Conflict, match="lifted order cannot be renewed"):
        court_orders.order_renew(
            actor=cm, order=o, ends_on=D(2026, 4, 30), ordered_on=D(2026, 3, 2)
        )


def test_who_may_record(ep, users, estate):
    with pytest.raises(PermissionDenied):
        record(users["officer"], ep, "visit_ban")  # sees them, records none
    other = remanded(users, estate.lower, estate.lower_cells[0])
    with pytest.raises(NotFound):
        record(users["case_manager"], other, "visit_ban")  # not in the caseload
    assert not CourtRestriction.objects.exists()


def test_orders_of_current_first_and_visible_to_officers(ep, users):
    old = order(ep, "visit_ban", starts_on=D(2026, 1, 1), ends_on=D(2026, 1, 28))
    now = order(ep, "letter_ban", starts_on=D(2026, 3, 1), ends_on=D(2026, 3, 28))
    rows = court_orders.orders_of(actor=users["officer"], person_id=ep.person_id)
    assert [o.pk for o in rows] == [now.pk, old.pk]
    with pytest.raises(NotFound):
        court_orders.orders_of(actor=users["health"], person_id=ep.person_id)
    with pytest.raises(NotFound):
        court_orders.ensure_order(actor=users["lower_case_manager"], order_id=now.pk)


def test_expiring_this_week_with_isolation_total(ep, users, estate):
    order(ep, "visit_ban", starts_on=D(2026, 2, 10), ends_on=D(2026, 3, 5))
    order(ep, "letter_ban", starts_on=D(2026, 2, 10), ends_on=D(2026, 3, 20))  # next weeks
    order(
        ep, "full_isolation", starts_on=D(2026, 2, 12), ends_on=D(2026, 2, 25), offence_max_years=6
    )
    iso = order(
        ep, "full_isolation", starts_on=D(2026, 2, 26), ends_on=D(2026, 3, 8), offence_max_years=6
    )
    start, end, rows = court_orders.expiring_week(actor=users["case_manager"])
    assert (start, end) == (D(2026, 3, 2), D(2026, 3, 8))
    assert [(r.order.kind, r.days_left) for r in rows] == [("visit_ban", 3), ("full_isolation", 6)]
    last = rows[1]
    assert (
        last.order.pk == iso.pk and last.isolation_days == 25 and last.isolation_maximum_days == 42
    )
    _s, _e, later = court_orders.expiring_week(actor=users["case_manager"], week="2026-W12")
    assert [r.order.kind for r in later] == ["letter_ban"]
    with pytest.raises(DomainError, match="YYYY-Www"):
        court_orders.expiring_week(actor=users["case_manager"], week="uke 10")
    _s, _e, none = court_orders.expiring_week(actor=users["lower_case_manager"])
    assert none == []
