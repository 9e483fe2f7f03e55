"""API: medication (under /api/v1/health/). Prescriptions, the round sheet of a unit, doses and
the controlled-drug book, through the same services as the pages. Anyone but health staff gets
404; a nurse who prescribes gets 403."""

from __future__ import annotations

from typing import Any

from django.db.models import Sum
from ninja import Router, Status

from normalitet.core import clock
from normalitet.core.schemas import ERRORS
from normalitet.core.validation import iso_date
from normalitet.identity.models import AuthenticatedRequest

from . import services_medication as services
from .api_record import health_staff
from .models import DoseRecord, Prescription, StockEntry
from .schemas_medication import (
    HealthDoseIn,
    HealthDoseOut,
    HealthPrescriptionIn,
    HealthPrescriptionOut,
    HealthPrescriptionStopIn,
    HealthRoundSheetOut,
    HealthStockCountIn,
    HealthStockEntryOut,
    HealthStockOut,
    HealthStockReceiveIn,
    HealthStockWasteIn,
)

router = Router(tags=["health"])


def _prescription_out(p: Prescription) -> dict[str, Any]:
    return {
        "id": p.pk,
        "person_id": p.person_id,
        "facility_id": p.facility_id,
        "medicine": p.medicine,
        "strength": p.strength,
        "dose": p.dose,
        "units_per_dose": p.units_per_dose,
        "rounds": list(p.rounds),
        "as_needed": p.as_needed,
        "controlled": p.controlled,
        "instructions": p.instructions,
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "active": services.is_active(p, clock.today()),
        "stopped_at": p.stopped_at,
        "stopped_by_name": p.stopped_by_name,
        "stop_reason": p.stop_reason,
        "created_at": p.created_at,
        "created_by_name": p.created_by_name,
    }


def _dose_out(d: DoseRecord) -> dict[str, Any]:
    entry = StockEntry.objects.filter(dose=d).values_list("pk", flat=True).first()
    return {
        "id": d.pk,
        "prescription_id": d.prescription_id,
        "person_id": d.person_id,
        "day": d.day,
        "round": d.round,
        "outcome": d.outcome,
        "note": d.note,
        "created_at": d.created_at,
        "created_by_name": d.created_by_name,
        "stock_entry_id": entry,
    }


def _entry_out(e: StockEntry, balance: int) -> dict[str, Any]:
    return {
        "id": e.pk,
        "kind": e.kind,
        "quantity": e.quantity,
        "balance": balance,
        "counted": e.counted,
        "expected": e.expected,
        "witness_name": e.witness_name,
        "note": e.note,
        "dose_id": e.dose_id,
        "person_id": e.dose.person_id if e.dose is not None else None,
        "created_at": e.created_at,
        "created_by_name": e.created_by_name,
    }


def _entry_with_balance(e: StockEntry) -> dict[str, Any]:
    upto = StockEntry.objects.filter(stock_id=e.stock_id, pk__lte=e.pk)
    return _entry_out(e, int(upto.aggregate(total=Sum("quantity"))["total"] or 0))


# --- Prescriptions ------------------------------------------------------------------------------


@router.get(
    "/persons/{person_id}/prescriptions", response={200: list[HealthPrescriptionOut], **ERRORS}
)
def get_prescriptions(request: AuthenticatedRequest, person_id: int) -> Any:
    """The person's prescriptions, current first."""
    user = health_staff(request)
    med = services.medication_of(actor=user, person_id=person_id)
    return [_prescription_out(p) for p in [*med.active, *med.ended]]


@router.post("/persons/{person_id}/prescriptions", response={201: HealthPrescriptionOut, **ERRORS})
def post_prescription(
    request: AuthenticatedRequest, person_id: int, body: HealthPrescriptionIn
) -> Any:
    """Prescribe (doctors and dentists)."""
    user = health_staff(request)
    data = body.dict()
    data["starts_on"] = data["starts_on"] or clock.today()
    p = services.prescription_create(actor=user, person_id=person_id, **data)
    return Status(201, _prescription_out(p))


@router.post(
    "/prescriptions/{prescription_id}/stop", response={200: HealthPrescriptionOut, **ERRORS}
)
def post_prescription_stop(
    request: AuthenticatedRequest, prescription_id: int, body: HealthPrescriptionStopIn
) -> Any:
    """Stop a prescription, with the reason (doctors and dentists)."""
    user = health_staff(request)
    p = services.prescription_stop(actor=user, prescription_id=prescription_id, reason=body.reason)
    return _prescription_out(p)


# --- Rounds and doses ---------------------------------------------------------------------------


def _round_dose(d: services.SheetDose) -> dict[str, Any]:
    p, r = d.prescription, d.record
    return {
        "prescription_id": p.pk,
        "medicine": p.medicine,
        "strength": p.strength,
        "dose": p.dose,
        "units_per_dose": p.units_per_dose,
        "instructions": p.instructions,
        "controlled": p.controlled,
        "as_needed": p.as_needed,
        "outcome": r.outcome if r else None,
        "note": r.note if r else "",
        "recorded_at": r.created_at if r else None,
        "recorded_by_name": r.created_by_name if r else "",
    }


@router.get("/rounds", response={200: HealthRoundSheetOut, **ERRORS})
def get_round(request: AuthenticatedRequest, unit_id: int, day: str = "", round: str = "") -> Any:
    """The round sheet of a unit (``day`` YYYY-MM-DD, today when not given; ``round`` the
    current one when not given)."""
    user = health_staff(request)
    sheet = services.round_sheet(
        actor=user,
        unit_id=unit_id,
        day=iso_date(day, field="day") if day else clock.today(),
        round=round or services.current_round(clock.now()),
    )
    return {
        "unit_id": sheet.unit_id,
        "unit": sheet.unit_name,
        "day": sheet.day,
        "round": sheet.round,
        "at": sheet.at,
        "recordable": sheet.recordable,
        "due_count": sheet.due_count,
        "recorded_count": sheet.recorded_count,
        "persons": [
            {
                "person_id": sp.card.person_id,
                "name": sp.card.name,
                "person_number": sp.card.person_number,
                "cell": sp.card.cell,
                "due": [_round_dose(d) for d in sp.due],
                "as_needed": [_round_dose(d) for d in sp.as_needed],
            }
            for sp in sheet.persons
        ],
    }


@router.post("/doses", response={201: HealthDoseOut, **ERRORS})
def post_dose(request: AuthenticatedRequest, body: HealthDoseIn) -> Any:
    """Record a dose: given, refused, missed or not available."""
    user = health_staff(request)
    record = services.dose_record(
        actor=user,
        prescription_id=body.prescription_id,
        day=body.day or clock.today(),
        round=body.round,
        outcome=body.outcome,
        note=body.note,
    )
    return Status(201, _dose_out(record))


# --- The controlled-drug book -------------------------------------------------------------------


@router.get("/controlled", response={200: list[HealthStockOut], **ERRORS})
def get_controlled(request: AuthenticatedRequest) -> Any:
    """The facility's controlled drugs with their balance and last count."""
    user = health_staff(request)
    return [
        {
            "id": line.stock.pk,
            "medicine": line.stock.medicine,
            "strength": line.stock.strength,
            "balance": line.balance,
            "last_count_at": line.last_count.created_at if line.last_count else None,
            "last_count_difference": line.last_count.quantity if line.last_count else None,
            "last_count_matched": line.last_count_matched,
        }
        for line in services.stock_lines(actor=user)
    ]


@router.get("/controlled/{stock_id}/entries", response={200: list[HealthStockEntryOut], **ERRORS})
def get_controlled_entries(request: AuthenticatedRequest, stock_id: int) -> Any:
    """Every entry of a controlled drug's book, oldest first, with the balance after it."""
    user = health_staff(request)
    return [
        _entry_out(r.entry, r.balance) for r in services.stock_ledger(actor=user, stock_id=stock_id)
    ]


@router.post("/controlled/{stock_id}/receive", response={201: HealthStockEntryOut, **ERRORS})
def post_controlled_receive(
    request: AuthenticatedRequest, stock_id: int, body: HealthStockReceiveIn
) -> Any:
    user = health_staff(request)
    entry = services.stock_receive(actor=user, stock_id=stock_id, **body.dict())
    return Status(201, _entry_with_balance(entry))


@router.post("/controlled/{stock_id}/waste", response={201: HealthStockEntryOut, **ERRORS})
def post_controlled_waste(
    request: AuthenticatedRequest, stock_id: int, body: HealthStockWasteIn
) -> Any:
    user = health_staff(request)
    entry = services.stock_waste(actor=user, stock_id=stock_id, **body.dict())
    return Status(201, _entry_with_balance(entry))


@router.post("/controlled/{stock_id}/count", response={201: HealthStockEntryOut, **ERRORS})
def post_controlled_count(
    request: AuthenticatedRequest, stock_id: int, body: HealthStockCountIn
) -> Any:
    """Record a count; ``quantity`` of the answer is the difference from the book."""
    user = health_staff(request)
    entry = services.stock_count(actor=user, stock_id=stock_id, **body.dict())
    return Status(201, _entry_with_balance(entry))
