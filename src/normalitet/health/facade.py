"""What the rest of Normalitet may know of the health service, and the two things prison staff do
through it. The only module of ``normalitet.health`` that other contexts import (import-linter).

Health personnel may share with the correctional service only what is strictly necessary to avert
danger to life or health (SGL § 4 a; RULES.md § 10). So this facade answers with derived facts
only, never with a diagnosis, a reason, a medicine or the kind of an appointment:

- the observation level of a person, its check interval and when the next check is due;
- fit for work: yes, no or restricted, without the reason;
- a medical diet the kitchen must follow, as the instruction health staff wrote for the kitchen;
- appointment slots that block other activities, with the escort they need, without their kind.

Prison staff log a health request on a person's behalf (they get a reference back, not the text)
and record observation checks.
"""

from __future__ import annotations

from typing import Any

from normalitet.audit.services import VerifyResult

from . import audit
from .facts import (
    Observation,
    Receipt,
    Slot,
    appointment_slots,
    fit_for_work,
    medical_diets,
    observations,
    recent_checks,
)
from .services_observation import check_record, missed_sweep
from .services_requests import request_submit_by_staff

__all__ = [
    "Observation",
    "Receipt",
    "Slot",
    "appointment_slots",
    "fit_for_work",
    "medical_diets",
    "missed_check_sweep",
    "observation_check",
    "observations",
    "recent_checks",
    "request_log",
    "verify_log",
]


def request_log(*, actor: Any, person_id: int, service: str, text: str) -> Receipt:
    """Prison staff log a health request on a person's behalf. The text and the service go to
    the health service only; the actor gets a reference and the time."""
    request = request_submit_by_staff(actor=actor, person_id=person_id, service=service, text=text)
    return Receipt(reference=request.reference, submitted_at=request.created_at)


def observation_check(*, actor: Any, person_id: int, state: str, note: str = "") -> Observation:
    """An officer records a check on a person under observation; returns the clock after it."""
    check_record(actor=actor, person_id=person_id, state=state, note=note)
    return observations([person_id])[person_id]


def missed_check_sweep() -> int:
    """Raise the alerts for observation checks that fell due and were not made; how many."""
    return missed_sweep()


def verify_log() -> VerifyResult:
    """Walk the health service's own audit chain (``normalitet audit verify``)."""
    return audit.verify()
