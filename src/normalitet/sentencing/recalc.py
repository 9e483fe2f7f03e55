"""Recalculating every active sentence, e.g. after a rule change (`normalitet recalc --all`).

Batches of executions are read with everything the input needs in a fixed number of queries, the
pure engine computes, and a new calculation is stored only where the result differs from the one
in force, so the history shows real changes. One audit event records the run and its summary.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Prefetch, Subquery

from normalitet.audit.services import record_run
from normalitet.core import clock
from normalitet.custody.services import expected_release_bulk_set
from normalitet.identity.policies import ensure_cap
from normalitet.identity.roles import Cap

from . import engine
from .inputs import execution_input
from .models import Calculation, Execution, Judgment

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
        .prefetch_related(
            Prefetch("judgments", queryset=Judgment.objects.prefetch_related("sentences")),
            "deprivations__isolations",
            "interruptions",
            "decisions",
        )
        .order_by("pk")[:BATCH]
    )


def _expected(result: dict[str, Any]) -> dt.date | None:
    value = result.get("parole_date") or result.get("expiry_date")
    return dt.date.fromisoformat(value) if value else None


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
        now = clock.now()
        new_rows = []
        for execution in batch:
            summary.checked += 1
            payload = execution_input(execution)
            result = engine.calculate(payload)
            if "errors" in result:
                summary.refused += 1
                summary.refused_ids.append(execution.pk)
                continue
            previous = current.get(execution.pk)
            if previous is not None and previous.result == result:
                continue
            changes = {
                k: [previous.result.get(k) if previous else None, v]
                for k, v in result.items()
                if k.endswith("_date") and (previous is None or previous.result.get(k) != v)
            }
            summary.changed += 1
            summary.moved.update(changes.keys())
            new_rows.append(
                Calculation(
                    execution=execution,
                    computed_at=now,
                    computed_by=by,
                    trigger=trigger,
                    rule_set=str(result.get("rule_set", "")),
                    input=payload,
                    result=result,
                    changes=changes if previous is not None else {},
                )
            )
        with transaction.atomic():
            Calculation.objects.bulk_create(new_rows, batch_size=500)
            expected_release_bulk_set(
                by_person={row.execution.person_id: _expected(row.result) for row in new_rows}
            )
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
