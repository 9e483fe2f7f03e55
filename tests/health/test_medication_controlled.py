"""The controlled-drug book (narkotikaregnskap): receive, give through a dose, waste with a
witness, and count, with and without a difference. The balance is the sum of the entries; a
dose given takes its units off in the same transaction and is refused when the book holds too
little. Refusals write nothing."""

from __future__ import annotations

import pytest

from normalitet.core.errors import Conflict, DomainError, NotFound
from normalitet.health import services_medication as med
from normalitet.health.models import ControlledStock, DoseRecord, HealthAuditEvent, StockEntry

from .builders_clinical import (
    TODAY,
    YESTERDAY,
    assert_main_log_clean,
    controlled,
    lower_clinician,
    rx,
    world,
)

pytestmark = pytest.mark.django_db
__all__ = ["world"]


@pytest.fixture
def methadone(world):
    return controlled(world, units_per_dose=2, rounds=["morning", "evening"])


def entries(stock):
    return list(StockEntry.objects.filter(stock=stock).values_list("kind", "quantity"))


def test_receive_give_count_keeps_the_balance(world, methadone):
    p, stock = methadone
    received = med.stock_receive(actor=world.nurse, stock_id=stock.pk, quantity=10, note="Apotek")
    assert (received.kind, received.quantity, received.created_by_name) == (
        "received",
        10,
        "Nurse Helse",
    )
    dose = med.dose_record(actor=world.nurse, prescription_id=p.pk, day=TODAY, round="morning",
                           outcome="given", note="")  # fmt: skip
    given = StockEntry.objects.get(kind="dispensed")
    assert (given.quantity, given.dose, given.stock) == (-2, dose, stock)
    assert med.balance(stock) == 8
    event = HealthAuditEvent.objects.get(action="health.dose.record")
    assert event.data["stock_entry_id"] == given.pk
    # A dose refused takes nothing off the book.
    med.dose_record(actor=world.nurse, prescription_id=p.pk, day=YESTERDAY, round="evening",
                    outcome="refused", note="")  # fmt: skip
    assert med.balance(stock) == 8
    count = med.stock_count(actor=world.nurse, stock_id=stock.pk, counted=8,
                            witness_name="Lege Lie", note="")  # fmt: skip
    assert (count.kind, count.quantity, count.counted, count.expected) == ("count", 0, 8, 8)
    line = med.stock_lines(actor=world.nurse)[0]
    assert (line.balance, line.last_count, line.last_count_matched) == (8, count, True)
    assert entries(stock) == [("received", 10), ("dispensed", -2), ("count", 0)]
    assert [e.action for e in HealthAuditEvent.objects.filter(kind="change").order_by("id")] == [
        "health.prescription.create",
        "health.stock.received",
        "health.dose.record",
        "health.dose.record",
        "health.stock.count",
    ]
    assert_main_log_clean("Metadon", "Lege Lie", "Apotek")


def test_a_count_that_does_not_match_needs_a_note_and_is_flagged(world, methadone):
    _p, stock = methadone
    med.stock_receive(actor=world.nurse, stock_id=stock.pk, quantity=10, note="")
    before = StockEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        med.stock_count(actor=world.nurse, stock_id=stock.pk, counted=9, witness_name="Lie",
                        note=" ")  # fmt: skip
    assert exc.value.field == "note" and "(9)" in exc.value.message and "(10)" in exc.value.message
    assert StockEntry.objects.count() == before
    count = med.stock_count(actor=world.nurse, stock_id=stock.pk, counted=9,
                            witness_name="Lie", note="Én tablett knust")  # fmt: skip
    assert (count.quantity, count.counted, count.expected) == (-1, 9, 10)
    assert med.balance(stock) == 9  # the book now says what was found
    line = med.stock_lines(actor=world.nurse)[0]
    assert line.last_count_matched is False and line.last_count.quantity == -1
    ledger = med.stock_ledger(actor=world.nurse, stock_id=stock.pk)
    assert [(r.entry.kind, r.balance) for r in ledger] == [("received", 10), ("count", 9)]


def test_a_dose_the_book_cannot_cover_is_refused_and_writes_nothing(world, methadone):
    p, stock = methadone
    med.stock_receive(actor=world.nurse, stock_id=stock.pk, quantity=1, note="")
    before = (StockEntry.objects.count(), HealthAuditEvent.objects.count())
    with pytest.raises(Conflict) as exc:
        med.dose_record(actor=world.nurse, prescription_id=p.pk, day=TODAY, round="morning",
                        outcome="given", note="")  # fmt: skip
    assert "not available" in exc.value.message and exc.value.field == "outcome"
    assert not DoseRecord.objects.exists()
    assert (StockEntry.objects.count(), HealthAuditEvent.objects.count()) == before
    record = med.dose_record(actor=world.nurse, prescription_id=p.pk, day=TODAY,
                             round="morning", outcome="not_available", note="Tomt")  # fmt: skip
    assert record.outcome == "not_available" and med.balance(stock) == 1


def test_a_controlled_dose_needs_a_line_in_the_givers_facility(world, methadone):
    p, stock = methadone
    med.stock_receive(actor=world.nurse, stock_id=stock.pk, quantity=10, note="")
    # The same drug at another strength has a line of its own.
    other = rx(world, medicine="Metadon", strength="10 mg", controlled=True)
    assert ControlledStock.objects.count() == 2
    with pytest.raises(Conflict):
        med.dose_record(actor=world.nurse, prescription_id=other.pk, day=TODAY,
                        round="morning", outcome="given", note="")  # fmt: skip
    assert med.balance(stock) == 10


def test_waste_needs_a_witness_a_note_and_the_units(world, methadone):
    _p, stock = methadone
    med.stock_receive(actor=world.nurse, stock_id=stock.pk, quantity=5, note="")
    before = StockEntry.objects.count()
    for fields, error, field in [
        ({"witness_name": ""}, DomainError, "witness_name"),
        ({"note": ""}, DomainError, "note"),
        ({"quantity": 0}, DomainError, "quantity"),
        ({"quantity": 6}, Conflict, "quantity"),
    ]:
        args = {"quantity": 2, "witness_name": "Lie", "note": "Knust", **fields}
        with pytest.raises(error) as exc:
            med.stock_waste(actor=world.nurse, stock_id=stock.pk, **args)
        assert exc.value.field == field
    assert StockEntry.objects.count() == before
    wasted = med.stock_waste(actor=world.nurse, stock_id=stock.pk, quantity=2,
                             witness_name="Lege Lie", note="Knust")  # fmt: skip
    assert (wasted.kind, wasted.quantity, wasted.witness_name) == ("wasted", -2, "Lege Lie")
    assert med.balance(stock) == 3


def test_stock_refusals(world, methadone, estate):
    _p, stock = methadone
    for fields, field in [({"quantity": 0}, "quantity"), ({"quantity": 100_001}, "quantity")]:
        with pytest.raises(DomainError) as exc:
            med.stock_receive(actor=world.nurse, stock_id=stock.pk, note="", **fields)
        assert exc.value.field == field
    with pytest.raises(DomainError) as exc:
        med.stock_count(actor=world.nurse, stock_id=stock.pk, counted=-1, witness_name="Lie",
                        note="")  # fmt: skip
    assert exc.value.field == "counted"
    with pytest.raises(DomainError) as exc:
        med.stock_count(actor=world.nurse, stock_id=stock.pk, counted=0, witness_name="",
                        note="")  # fmt: skip
    assert exc.value.field == "witness_name"
    elsewhere = ControlledStock.objects.create(facility_id=estate.lower.pk, medicine="Metadon")
    lower_nurse = lower_clinician(estate)
    for actor, stock_id in [
        (world.nurse, elsewhere.pk),
        (lower_nurse, stock.pk),
        (world.users["officer"], stock.pk),
        (world.users["facility_leader"], stock.pk),
    ]:
        with pytest.raises(NotFound):
            med.stock_receive(actor=actor, stock_id=stock_id, quantity=1, note="")
        with pytest.raises(NotFound):
            med.stock_ledger(actor=actor, stock_id=stock_id)
    assert not StockEntry.objects.exists()
    assert [line.stock for line in med.stock_lines(actor=lower_nurse)] == [elsewhere]


def test_ledger_names_the_persons_given_and_logs_the_read(world, methadone):
    p, stock = methadone
    med.stock_receive(actor=world.nurse, stock_id=stock.pk, quantity=4, note="")
    med.dose_record(actor=world.nurse, prescription_id=p.pk, day=TODAY, round="morning",
                    outcome="given", note="")  # fmt: skip
    rows = med.stock_ledger(actor=world.doctor, stock_id=stock.pk)
    assert [(r.entry.kind, r.balance, r.person and r.person.name) for r in rows] == [
        ("received", 4, None),
        ("dispensed", 2, "Anna Aas"),
    ]
    assert HealthAuditEvent.objects.filter(
        kind="access", action="view.medication.controlled", person_id=world.anna.person_id,
        actor_id=world.doctor.pk,
    ).count() == 1  # fmt: skip
