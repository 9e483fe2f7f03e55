"""Medication (issue 7, capability 3): prescriptions with the rounds they are given in, the
dispensing round of a unit listing what each person is due, each dose recorded as given,
refused, missed or not available, and the controlled-drug book (narkotikaregnskap) of the
facility's health department.

- Only a doctor or a dentist prescribes or stops a prescription (``access.PRESCRIBERS``); any
  member of the health staff records doses and keeps the controlled-drug book.
- A dose is recorded once per prescription, day and round, never for a future day.
- A controlled drug is counted in units: a dose given takes ``units_per_dose`` off the book in
  the same transaction, and is refused when the book does not hold enough (the nurse records
  the dose as not available instead). Waste needs a witness and a note; a count needs a
  witness, and a count that does not match the book needs a note and is flagged.

When the rounds are held is a local service standard (``domain.rules.round_times``). A stopped
prescription is no longer due in a round held after it was stopped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery, Sum
from django.utils.translation import gettext as _

from normalitet.core import clock
from normalitet.core.errors import Conflict, DomainError, NotFound
from normalitet.core.validation import text
from normalitet.estate.models import Unit

from . import access, audit
from .access import PersonCard
from .domain.rules import due_rounds, rules_on
from .models import ControlledStock, DoseRecord, Prescription, Round, StockEntry
from .router import HEALTH_DB

ROUND_ORDER: tuple[str, ...] = tuple(r.value for r in Round)
HISTORY_DAYS = 7
MAX_UNITS = 100  # units per dose; more is a typing error, not a dose
MAX_STOCK_QUANTITY = 100_000
AS_NEEDED_OUTCOMES = (DoseRecord.Outcome.GIVEN, DoseRecord.Outcome.NOT_AVAILABLE)

# --- Rounds: when they are held, what is due --------------------------------------------------


def round_at(day: dt.date, round_: str) -> dt.datetime:
    """The instant a round is held on ``day`` (local time of the service standard)."""
    return dt.datetime.combine(day, rules_on(day).round_times[round_], tzinfo=clock.OSLO)


def current_round(now: dt.datetime) -> str:
    """The round of the moment: the last one held today, or the morning round before it."""
    local = now.astimezone(clock.OSLO)
    times = rules_on(local.date()).round_times
    held = [r for r in ROUND_ORDER if times[r] <= local.time()]
    return held[-1] if held else ROUND_ORDER[0]


def in_force(p: Prescription, day: dt.date, round_: str) -> bool:
    """The prescription holds for this round: within its dates and not stopped before it."""
    if day < p.starts_on or (p.ends_on is not None and day > p.ends_on):
        return False
    return p.stopped_at is None or round_at(day, round_) < p.stopped_at


def rounds_due(p: Prescription, day: dt.date) -> list[str]:
    """The rounds ``p`` is due in on ``day``: ``due_rounds``, less those held after a stop."""
    due = due_rounds(
        rounds=list(p.rounds or []),
        as_needed=p.as_needed,
        starts_on=p.starts_on,
        ends_on=p.ends_on,
        day=day,
    )
    return [r for r in due if in_force(p, day, r)]


def is_active(p: Prescription, today: dt.date) -> bool:
    """Current: not stopped and not past its end date. One starting later is current too: it can
    be stopped, and the pages mark it "Not started". ``current`` is the same test as a query."""
    return p.stopped_at is None and (p.ends_on is None or p.ends_on >= today)


def current(today: dt.date) -> Any:
    """The prescriptions ``is_active`` on ``today``, as a query."""
    return Prescription.objects.filter(stopped_at__isnull=True).exclude(ends_on__lt=today)


def _round(value: str, field: str = "round") -> str:
    if value not in ROUND_ORDER:
        raise DomainError(_("Choose a round from the list."), field=field)
    return value


# --- Prescriptions ----------------------------------------------------------------------------


def _clean_rounds(rounds: list[str], as_needed: bool) -> list[str]:
    chosen = set(rounds or [])
    if not chosen <= set(ROUND_ORDER):
        raise DomainError(_("Choose rounds from the list."), field="rounds")
    if as_needed and chosen:
        raise DomainError(
            _("A medicine given as needed has no fixed rounds: leave the rounds empty."),
            field="rounds",
        )
    if not as_needed and not chosen:
        raise DomainError(
            _("Choose at least one round, or say that the medicine is given as needed."),
            field="rounds",
        )
    return [r for r in ROUND_ORDER if r in chosen]


def _stock_for(
    facility_id: int, medicine: str, strength: str, *, lock: bool = False
) -> ControlledStock | None:
    """The facility's line for the drug (locked for the transaction when asked), if any."""
    lines = ControlledStock.objects.select_for_update() if lock else ControlledStock.objects
    return lines.filter(
        facility_id=facility_id, medicine__iexact=medicine, strength__iexact=strength
    ).first()


def _ensure_stock_line(facility_id: int, medicine: str, strength: str) -> ControlledStock:
    """The facility's line for the drug, made (with a balance of 0) when missing."""
    found = _stock_for(facility_id, medicine, strength)
    if found is not None:
        return found
    try:
        with transaction.atomic(using=HEALTH_DB):
            return ControlledStock.objects.create(
                facility_id=facility_id, medicine=medicine, strength=strength
            )
    except IntegrityError:  # made at the same moment by another prescription
        return ControlledStock.objects.get(
            facility_id=facility_id, medicine=medicine, strength=strength
        )


def prescription_create(
    *,
    actor: Any,
    person_id: int,
    medicine: str,
    strength: str,
    dose: str,
    units_per_dose: int,
    rounds: list[str],
    as_needed: bool,
    controlled: bool,
    instructions: str,
    starts_on: dt.date,
    ends_on: dt.date | None,
) -> Prescription:
    """A doctor or dentist prescribes a medicine for a person in custody in their facility.
    A controlled drug gets its line in the facility's controlled-drug book."""
    access.ensure_health_staff(actor)
    access.ensure_profession(
        actor, access.PRESCRIBERS, _("Only a doctor or a dentist may prescribe.")
    )
    card = access.ensure_patient(actor, person_id)
    medicine = " ".join(text(medicine, "medicine", _("Name the medicine."), 120).split())
    strength = " ".join(text(strength, "strength", None, 60).split())
    dose = text(dose, "dose", _("Give the dose, such as “1 tablet”."), 60)
    instructions = text(instructions, "instructions", None, 2000)
    if not 1 <= units_per_dose <= MAX_UNITS:
        raise DomainError(
            _("Units per dose must be between 1 and %(n)s.") % {"n": MAX_UNITS},
            field="units_per_dose",
        )
    rounds = _clean_rounds(rounds, as_needed)
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("The end date cannot be before the start date."), field="ends_on")
    with transaction.atomic(using=HEALTH_DB):
        if controlled:
            line = _ensure_stock_line(card.facility_id, medicine, strength)
            medicine, strength = line.medicine, line.strength  # the book's spelling
        p = Prescription.objects.create(
            person_id=card.person_id,
            facility_id=card.facility_id,
            medicine=medicine,
            strength=strength,
            dose=dose,
            units_per_dose=units_per_dose,
            rounds=rounds,
            as_needed=as_needed,
            controlled=controlled,
            instructions=instructions,
            starts_on=starts_on,
            ends_on=ends_on,
            **access.stamp(actor),
        )
        audit.record_change(
            actor=actor,
            action="health.prescription.create",
            obj=p,
            person_id=p.person_id,
            data={"rounds": rounds, "as_needed": as_needed, "controlled": controlled},
        )
    return p


def _prescription(actor: Any, prescription_id: int) -> tuple[Prescription, PersonCard]:
    """The prescription of a person in the actor's caseload, else NotFound."""
    access.ensure_health_staff(actor)
    p = Prescription.objects.filter(pk=prescription_id).first()
    if p is None:
        raise NotFound(_("No such prescription."))
    return p, access.ensure_patient(actor, p.person_id)


def prescription_stop(*, actor: Any, prescription_id: int, reason: str) -> Prescription:
    """A doctor or dentist stops a prescription, with the reason; it is no longer due in the
    rounds held after this moment."""
    access.ensure_health_staff(actor)
    access.ensure_profession(
        actor, access.PRESCRIBERS, _("Only a doctor or a dentist may stop a prescription.")
    )
    _prescription(actor, prescription_id)
    reason = text(reason, "reason", _("Give the reason."), 500)
    with transaction.atomic(using=HEALTH_DB):
        p = Prescription.objects.select_for_update().get(pk=prescription_id)
        if p.stopped_at is not None:
            raise Conflict(_("The prescription is already stopped."))
        if not is_active(p, clock.today()):
            raise Conflict(_("The prescription has already ended."))
        p.stopped_at = clock.now()
        p.stopped_by_name = access.name_of(actor)
        p.stop_reason = reason
        p.save(update_fields=["stopped_at", "stopped_by_name", "stop_reason"])
        audit.record_change(
            actor=actor, action="health.prescription.stop", obj=p, person_id=p.person_id
        )
    return p


@dataclass(frozen=True)
class HistoryRow:
    """A due dose of the last days, with what was recorded (``record`` None: not recorded)."""

    day: dt.date
    round: str
    prescription: Prescription
    record: DoseRecord | None

    @property
    def round_label(self) -> str:
        return str(Round(self.round).label)


@dataclass(frozen=True)
class Medication:
    card: PersonCard
    active: list[Prescription]
    ended: list[Prescription]
    history: list[HistoryRow]


def medication_of(*, actor: Any, person_id: int, what: str = "medication") -> Medication:
    """A person's prescriptions and the doses of the last seven days, including due doses no
    one recorded. Reading it is logged in the health service's access log."""
    access.ensure_health_staff(actor)
    card = access.ensure_patient(actor, person_id)
    audit.record_access(actor=actor, person_id=person_id, what=what)
    today = clock.today()
    now = clock.now()
    prescriptions = list(Prescription.objects.filter(person_id=person_id))
    first = today - dt.timedelta(days=HISTORY_DAYS - 1)
    records = {
        (d.prescription_id, d.day, d.round): d
        for d in DoseRecord.objects.filter(person_id=person_id, day__gte=first, day__lte=today)
    }
    by_id = {p.pk: p for p in prescriptions}
    rows: dict[tuple[int, dt.date, str], HistoryRow] = {}
    for offset in range(HISTORY_DAYS):
        day = today - dt.timedelta(days=offset)
        for p in prescriptions:
            for r in rounds_due(p, day):
                if round_at(day, r) <= now:
                    rows[(p.pk, day, r)] = HistoryRow(day, r, p, records.get((p.pk, day, r)))
    for key, record in records.items():
        if key not in rows:  # as-needed doses, or recorded ahead of the round
            rows[key] = HistoryRow(record.day, record.round, by_id[record.prescription_id], record)
    history = sorted(
        rows.values(),
        key=lambda h: (h.day, ROUND_ORDER.index(h.round), h.prescription.medicine),
        reverse=True,
    )
    return Medication(
        card=card,
        active=[p for p in prescriptions if is_active(p, today)],
        ended=[p for p in prescriptions if not is_active(p, today)],
        history=history,
    )


# --- The round sheet and doses ----------------------------------------------------------------


@dataclass(frozen=True)
class SheetDose:
    prescription: Prescription
    record: DoseRecord | None


@dataclass(frozen=True)
class SheetPerson:
    card: PersonCard
    due: list[SheetDose]
    as_needed: list[SheetDose]


@dataclass(frozen=True)
class RoundSheet:
    unit_id: int
    unit_name: str
    day: dt.date
    round: str
    at: dt.datetime
    recordable: bool  # not a future day
    persons: list[SheetPerson]

    @property
    def round_label(self) -> str:
        return str(Round(self.round).label)

    @property
    def due_count(self) -> int:
        return sum(len(p.due) for p in self.persons)

    @property
    def recorded_count(self) -> int:
        return sum(1 for p in self.persons for d in p.due if d.record is not None)


def units_of(actor: Any) -> list[Unit]:
    """The units of the health worker's facility, for choosing a round."""
    access.ensure_health_staff(actor)
    return list(Unit.objects.filter(facility_id=actor.facility_id, is_active=True).order_by("code"))


def _unit(actor: Any, unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id, facility_id=actor.facility_id).first()
    if unit is None:
        raise NotFound(_("No such unit."), field="unit_id")
    return unit


def round_sheet(*, actor: Any, unit_id: int, day: dt.date, round: str) -> RoundSheet:
    """What each person of a unit is due in a round, with what was recorded, and the medicines
    they may have as needed. Each person listed counts as a read of their medication."""
    access.ensure_health_staff(actor)
    unit = _unit(actor, unit_id)
    round_ = _round(round)
    cards = access.caseload(actor, unit_id=unit.pk)
    prescriptions = Prescription.objects.filter(
        person_id__in=list(cards), starts_on__lte=day
    ).exclude(ends_on__lt=day)
    due: dict[int, list[Prescription]] = {}
    needed: dict[int, list[Prescription]] = {}
    for p in prescriptions:
        if p.as_needed and in_force(p, day, round_):
            needed.setdefault(p.person_id, []).append(p)
        elif round_ in rounds_due(p, day):
            due.setdefault(p.person_id, []).append(p)
    records = {
        d.prescription_id: d
        for d in DoseRecord.objects.filter(person_id__in=list(cards), day=day, round=round_)
    }
    persons = []
    for card in cards.values():
        if card.person_id not in due and card.person_id not in needed:
            continue
        persons.append(
            SheetPerson(
                card=card,
                due=[SheetDose(p, records.get(p.pk)) for p in due.get(card.person_id, [])],
                as_needed=[SheetDose(p, records.get(p.pk)) for p in needed.get(card.person_id, [])],
            )
        )
    audit.record_accesses(
        actor=actor, person_ids=[p.card.person_id for p in persons], what="medication.round"
    )
    return RoundSheet(
        unit_id=unit.pk,
        unit_name=unit.name,
        day=day,
        round=round_,
        at=round_at(day, round_),
        recordable=day <= clock.today(),
        persons=persons,
    )


def balance(stock: ControlledStock) -> int:
    """The book's balance of a controlled drug: the sum of its entries."""
    total = StockEntry.objects.filter(stock=stock).aggregate(total=Sum("quantity"))["total"]
    return int(total or 0)


def dose_record(
    *,
    actor: Any,
    prescription_id: int,
    day: dt.date,
    round: str,
    outcome: str,
    note: str,
) -> DoseRecord:
    """Record what happened to a dose in a round. A controlled drug given is taken off the book
    in the same transaction; when the book holds too little nothing is written."""
    p, card = _prescription(actor, prescription_id)
    round_ = _round(round)
    if outcome not in DoseRecord.Outcome.values:
        raise DomainError(_("Choose what happened from the list."), field="outcome")
    note = text(note, "note", None, 300)
    if day > clock.today():
        raise DomainError(_("A dose cannot be recorded for a future day."), field="day")
    if p.as_needed:
        if not in_force(p, day, round_):
            raise DomainError(_("The prescription is not in force in that round."), field="round")
    elif round_ not in rounds_due(p, day):
        raise DomainError(_("The medicine is not due in that round."), field="round")
    from_book = p.controlled and outcome == DoseRecord.Outcome.GIVEN
    with transaction.atomic(using=HEALTH_DB):
        stock = (
            _stock_for(actor.facility_id, p.medicine, p.strength, lock=True) if from_book else None
        )
        if DoseRecord.objects.filter(prescription=p, day=day, round=round_).exists():
            raise Conflict(_("This dose is already recorded."), field="outcome")
        if from_book:
            held = balance(stock) if stock is not None else 0
            if held < p.units_per_dose:
                raise Conflict(
                    _(
                        "The controlled-drug book holds %(held)s units, the dose takes "
                        "%(units)s: record it as not available."
                    )
                    % {"held": held, "units": p.units_per_dose},
                    field="outcome",
                )
        stamp = access.stamp(actor)
        try:
            with transaction.atomic(using=HEALTH_DB):
                record = DoseRecord.objects.create(
                    prescription=p,
                    person_id=card.person_id,
                    day=day,
                    round=round_,
                    outcome=outcome,
                    note=note,
                    **stamp,
                )
        except IntegrityError as exc:
            raise Conflict(_("This dose is already recorded."), field="outcome") from exc
        data: dict[str, Any] = {"day": day.isoformat(), "round": round_, "outcome": outcome}
        if stock is not None:
            entry = StockEntry.objects.create(
                stock=stock,
                kind=StockEntry.Kind.DISPENSED,
                quantity=-p.units_per_dose,
                dose=record,
                **stamp,
            )
            data["stock_entry_id"] = entry.pk
        audit.record_change(
            actor=actor,
            action="health.dose.record",
            obj=record,
            person_id=card.person_id,
            data=data,
        )
    return record


# --- The controlled-drug book -----------------------------------------------------------------


@dataclass(frozen=True)
class StockLine:
    stock: ControlledStock
    balance: int
    last_count: StockEntry | None

    @property
    def last_count_matched(self) -> bool | None:
        return None if self.last_count is None else self.last_count.quantity == 0


@dataclass(frozen=True)
class LedgerRow:
    entry: StockEntry
    balance: int  # after the entry
    person: PersonCard | None  # for a dose given, when the person is still in the caseload


def stock_lines(*, actor: Any) -> list[StockLine]:
    """The facility's controlled drugs with their balance and last count."""
    access.ensure_health_staff(actor)
    counts = StockEntry.objects.filter(stock=OuterRef("pk"), kind=StockEntry.Kind.COUNT)
    lines = ControlledStock.objects.filter(facility_id=actor.facility_id).annotate(
        held=Sum("entries__quantity"),
        last_count_id=Subquery(counts.order_by("-id").values("id")[:1]),
    )
    rows = list(lines)
    last = StockEntry.objects.in_bulk([s.last_count_id for s in rows if s.last_count_id])
    return [
        StockLine(stock=s, balance=int(s.held or 0), last_count=last.get(s.last_count_id))
        for s in rows
    ]


def stock_line(*, actor: Any, stock_id: int) -> ControlledStock:
    """A controlled drug of the actor's facility, else NotFound."""
    access.ensure_health_staff(actor)
    stock = ControlledStock.objects.filter(pk=stock_id, facility_id=actor.facility_id).first()
    if stock is None:
        raise NotFound(_("No such controlled drug."))
    return stock


def stock_ledger(*, actor: Any, stock_id: int) -> list[LedgerRow]:
    """Every entry of a line with the balance after it. The persons given a dose are named,
    and reading it counts as a read of their medication."""
    stock = stock_line(actor=actor, stock_id=stock_id)
    entries = list(StockEntry.objects.filter(stock=stock).select_related("dose").order_by("id"))
    person_ids = {e.dose.person_id for e in entries if e.dose is not None}
    cards = access.caseload(actor, person_ids) if person_ids else {}
    audit.record_accesses(actor=actor, person_ids=sorted(cards), what="medication.controlled")
    rows, running = [], 0
    for e in entries:
        running += e.quantity
        person = cards.get(e.dose.person_id) if e.dose is not None else None
        rows.append(LedgerRow(entry=e, balance=running, person=person))
    return rows


def _quantity(value: int, field: str, minimum: int) -> int:
    if not minimum <= value <= MAX_STOCK_QUANTITY:
        raise DomainError(
            _("Give a whole number from %(low)s to %(high)s.")
            % {"low": minimum, "high": MAX_STOCK_QUANTITY},
            field=field,
        )
    return value


def _entry(actor: Any, stock: ControlledStock, **fields: Any) -> StockEntry:
    entry = StockEntry.objects.create(stock=stock, **access.stamp(actor), **fields)
    audit.record_change(
        actor=actor,
        action=f"health.stock.{entry.kind}",
        obj=entry,
        data={
            "stock_id": stock.pk,
            "quantity": entry.quantity,
            "counted": entry.counted,
            "expected": entry.expected,
        },
    )
    return entry


def stock_receive(*, actor: Any, stock_id: int, quantity: int, note: str) -> StockEntry:
    """Units received from the pharmacy."""
    stock = stock_line(actor=actor, stock_id=stock_id)
    quantity = _quantity(quantity, "quantity", 1)
    note = text(note, "note", None, 300)
    with transaction.atomic(using=HEALTH_DB):
        stock = ControlledStock.objects.select_for_update().get(pk=stock.pk)
        return _entry(actor, stock, kind=StockEntry.Kind.RECEIVED, quantity=quantity, note=note)


def stock_waste(
    *, actor: Any, stock_id: int, quantity: int, witness_name: str, note: str
) -> StockEntry:
    """Units wasted or returned, with a witness and what happened; never more than the book
    holds."""
    stock = stock_line(actor=actor, stock_id=stock_id)
    quantity = _quantity(quantity, "quantity", 1)
    witness_name = text(witness_name, "witness_name", _("Name the witness."), 150)
    note = text(note, "note", _("Say what was wasted or returned, and why."), 300)
    with transaction.atomic(using=HEALTH_DB):
        stock = ControlledStock.objects.select_for_update().get(pk=stock.pk)
        held = balance(stock)
        if quantity > held:
            raise Conflict(
                _("The book holds %(held)s units: you cannot waste more.") % {"held": held},
                field="quantity",
            )
        return _entry(
            actor,
            stock,
            kind=StockEntry.Kind.WASTED,
            quantity=-quantity,
            witness_name=witness_name,
            note=note,
        )


def stock_count(
    *, actor: Any, stock_id: int, counted: int, witness_name: str, note: str
) -> StockEntry:
    """A count of the units held, with a witness. The entry's quantity is the difference
    between what was found and the book's balance, so that the book then matches the count;
    a difference needs a note and is flagged."""
    stock = stock_line(actor=actor, stock_id=stock_id)
    counted = _quantity(counted, "counted", 0)
    witness_name = text(witness_name, "witness_name", _("Name the witness."), 150)
    note = text(note, "note", None, 300)
    with transaction.atomic(using=HEALTH_DB):
        stock = ControlledStock.objects.select_for_update().get(pk=stock.pk)
        expected = balance(stock)
        if counted != expected and not note:
            raise DomainError(
                _(
                    "The count (%(counted)s) does not match the book (%(expected)s): "
                    "say what is known about the difference."
                )
                % {"counted": counted, "expected": expected},
                field="note",
            )
        return _entry(
            actor,
            stock,
            kind=StockEntry.Kind.COUNT,
            quantity=counted - expected,
            counted=counted,
            expected=expected,
            witness_name=witness_name,
            note=note,
        )
