"""Recalculating every active sentence, e.g. after a rule change (`normalitet recalc --all`).

Batches of executions are read with everything the input needs in a fixed number of queries, the
pure engine computes, and a new calculation is stored only where the result differs from the one
in force, so the history shows real changes. One audit event records the run and its summary.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery

from normalitet.audit.services import record_run
from normalitet.core import clock
from normalitet.custody.services import expected_release_bulk_set
from normalitet.identity.policies import ensure_cap
from normalitet.identity.roles import Cap

from . import engine
from .calculations import date_changes, expected_release, new_calculation
from .inputs import execution_input, records_for
from .models import Calculation, Execution

BATCH = 1000


@dataclass
class RecalcSummary:
    checked: int = 0
    changed: int = 0
    refused: int = 0
    moved: Counter[str] = field(default_factory=Counter)
    refused_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "changed": self.changed,
            "refused": self.refused,
            "moved": dict(sorted(self.moved.items())),
            "refused_executions": self.refused_ids[:50],
        }


def _batch(after_id: int) -> list[Execution]:
    newest = Calculation.objects.filter(execution=OuterRef("pk")).order_by("-id").values("id")[:1]
    return list(
        Execution.objects.filter(is_active=True, pk__gt=after_id)
        .annotate(current_id=Subquery(newest))
        .order_by("pk")[:BATCH]
    )


_COPY = (
    "COPY sentencing_calculation (execution_id, computed_at, computed_by_id, trigger, rule_set, "
    "input, result, changes) FROM STDIN"
)


def _insert(rows: list[Calculation]) -> None:
    """Store new calculations: COPY on PostgreSQL (the JSON is most of the cost), else a bulk
    insert."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        Calculation.objects.bulk_create(rows, batch_size=500)
        return
    with connection.cursor() as cursor, cursor.cursor.copy(_COPY) as copy:
        for r in rows:
            copy.write_row(
                (
                    r.execution_id,
                    r.computed_at,
                    r.computed_by_id,
                    r.trigger,
                    r.rule_set,
                    json.dumps(r.input),
                    json.dumps(r.result),
                    json.dumps(r.changes),
                )
            )


def recalc_all(
    *,
    actor: Any,
    trigger: str = "recalculation of all active sentences",
    progress: Callable[[int], object] | None = None,
) -> RecalcSummary:
    ensure_cap(actor, Cap.SENTENCE_RECALC_ALL)
    summary = RecalcSummary()
    by = actor if getattr(actor, "pk", None) else None
    after = 0
    while batch := _batch(after):
        current = {
            c.execution_id: c
            for c in Calculation.objects.filter(
                pk__in=[e.current_id for e in batch if e.current_id]  # type: ignore[attr-defined]
            ).only("id", "execution_id", "result")
        }
        records = records_for(e.pk for e in batch)
        now = clock.now()
        new_rows = []
        release: dict[int, dt.date | None] = {}
        for execution in batch:
            summary.checked += 1
            payload = execution_input(execution, records[execution.pk])
            result = engine.calculate(payload)
            if "errors" in result:
                summary.refused += 1
                summary.refused_ids.append(execution.pk)
                continue
            previous = current.get(execution.pk)
            if previous is not None and previous.result == result:
                continue
            changes = date_changes(previous.result if previous else None, result)
            summary.changed += 1
            summary.moved.update(changes.keys())
            expected = expected_release(result)
            if previous is None or expected_release(previous.result) != expected:
                release[execution.person_id] = expected
            new_rows.append(
                new_calculation(
                    execution=execution,
                    payload=payload,
                    result=result,
                    changes=changes,
                    by=by,
                    trigger=trigger,
                    at=now,
                )
            )
        with transaction.atomic():
            _insert(new_rows)
            expected_release_bulk_set(by_person=release)
        after = batch[-1].pk
        if progress:
            progress(len(batch))
    with transaction.atomic():
        record_run(
            actor=actor,
            action="sentencing.recalc_all",
            subject="sentencing.execution",
            data=summary.as_dict(),
            reason=trigger,
        )
    return summary
