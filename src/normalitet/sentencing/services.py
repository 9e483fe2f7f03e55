"""Writes to sentences and their legal dates.

Every change to the input of a calculation (judgments, sentences, deprivations, interruptions,
decisions) recalculates the dates in the same transaction. The previous result stays as history,
the audit log says what moved, and input the engine refuses rolls the whole change back with the
rule it breaks: nothing is saved that cannot be calculated.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from normalitet.audit.services import record_change
from normalitet.core import clock
from normalitet.core.errors import DomainError
from normalitet.custody.services import expected_release_bulk_set
from normalitet.identity.policies import ensure_cap
from normalitet.identity.roles import Cap
from normalitet.people.models import Person

from . import engine
from .calculations import date_changes, expected_release, new_calculation
from .inputs import execution_input
from .models import (
    Calculation,
    CourtDecision,
    Deprivation,
    Execution,
    Interruption,
    Isolation,
    Judgment,
    Sentence,
)


class CalculationRefused(DomainError):
    """The engine refused the input: ``errors`` lists each rule broken."""

    def __init__(self, errors: list[dict[str, Any]]):
        first = errors[0] if errors else {"message": _("The input cannot be calculated.")}
        super().__init__(first["message"], field=first.get("field"), rule=first.get("rule"))
        self.errors = errors


def recalculate(*, actor: Any, execution: Execution, trigger: str) -> Calculation:
    """Calculate the legal dates again and keep the result as the newest in the history."""
    execution = Execution.objects.get(pk=execution.pk)  # fresh: no stale prefetched records
    payload = execution_input(execution)
    result = engine.calculate(payload)
    if "errors" in result:
        raise CalculationRefused(result["errors"])
    previous = execution.calculations.order_by("-id").first()
    changes = date_changes(previous.result if previous else None, result)
    calculation = new_calculation(
        execution=execution,
        payload=payload,
        result=result,
        changes=changes,
        by=actor if getattr(actor, "pk", None) else None,
        trigger=trigger,
        at=clock.now(),
    )
    calculation.save()
    expected_release_bulk_set(by_person={execution.person_id: expected_release(result)})
    record_change(
        actor=actor,
        action="sentencing.calculate",
        obj=calculation,
        person_id=execution.person_id,
        data={"trigger": trigger, "moved": sorted(changes)},
    )
    return calculation


def _write(actor: Any, execution: Execution, trigger: str, fn: Any) -> Calculation:
    ensure_cap(actor, Cap.SENTENCE_EDIT)
    with transaction.atomic():
        fn()
        return recalculate(actor=actor, execution=execution, trigger=trigger)


def execution_start(*, actor: Any, person: Person, start_date: dt.date) -> Execution:
    """Start the execution of sentences for a person (the day S all dates count from)."""
    ensure_cap(actor, Cap.SENTENCE_EDIT)
    if Execution.objects.filter(person=person, is_active=True).exists():
        raise DomainError(_("The person already has sentences being executed."), field="person")
    with transaction.atomic():
        execution = Execution.objects.create(person=person, start_date=start_date)
        record_change(
            actor=actor,
            action="sentencing.execution_start",
            obj=execution,
            person_id=person.pk,
            data={"start_date": start_date},
        )
    return execution


def judgment_add(
    *,
    actor: Any,
    execution: Execution,
    court: str,
    case_number: str,
    judgment_date: dt.date,
    date_final: dt.date | None,
    sentences: list[dict[str, Any]],
) -> Calculation:
    """Register a judgment with its sentences (served one after the other, in order)."""
    if not sentences:
        raise DomainError(_("A judgment needs at least one sentence."), field="sentences")
    if date_final and date_final < judgment_date:
        raise DomainError(_("A judgment cannot be final before it is given."), field="date_final")

    def write() -> None:
        judgment = Judgment.objects.create(
            execution=execution,
            court=court.strip(),
            case_number=case_number.strip(),
            judgment_date=judgment_date,
            date_final=date_final,
        )
        for position, data in enumerate(sentences, start=1):
            Sentence.objects.create(judgment=judgment, position=position, **data)

    return _write(actor, execution, f"judgment {case_number.strip()}", write)


def deprivation_add(
    *,
    actor: Any,
    execution: Execution,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    isolations: list[tuple[dt.datetime, dt.datetime]] | None = None,
    note: str = "",
) -> Calculation:
    """Credit an arrest or remand period, with any court-ordered full isolation inside it."""
    if ends_at <= starts_at:
        raise DomainError(_("The period ends before it starts."), field="ends_at")

    def write() -> None:
        d = Deprivation.objects.create(
            execution=execution, starts_at=starts_at, ends_at=ends_at, note=note
        )
        for start, end in isolations or []:
            Isolation.objects.create(deprivation=d, starts_at=start, ends_at=end)

    return _write(actor, execution, "deprivation", write)


def interruption_add(
    *, actor: Any, execution: Execution, starts_on: dt.date, ends_on: dt.date, reason: str
) -> Calculation:
    """Time that does not count as served: every later date moves by its length."""
    return _write(
        actor,
        execution,
        f"interruption {reason}",
        lambda: Interruption.objects.create(
            execution=execution, starts_on=starts_on, ends_on=ends_on, reason=reason
        ),
    )


def decision_add(
    *,
    actor: Any,
    execution: Execution,
    kind: str,
    decided_on: dt.date,
    extension_years: int = 0,
    extension_months: int = 0,
) -> Calculation:
    """A court extension of preventive detention, or a refusal of parole or probation."""
    return _write(
        actor,
        execution,
        f"decision {kind}",
        lambda: CourtDecision.objects.create(
            execution=execution,
            kind=kind,
            decided_on=decided_on,
            extension_years=extension_years,
            extension_months=extension_months,
        ),
    )
