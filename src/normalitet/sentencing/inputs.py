"""Turning stored records into the engine's input, in the documented JSON shape (README)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from normalitet.core import clock

from .models import (
    CourtDecision,
    CourtDecisionKind,
    Deprivation,
    Execution,
    Interruption,
    Isolation,
    Judgment,
    Sentence,
    SentenceKind,
)


@dataclass
class Records:
    """What a calculation reads for one execution, in the order the law counts it."""

    judgments: list[tuple[Judgment, list[Sentence]]] = field(default_factory=list)
    deprivations: list[tuple[Deprivation, list[Isolation]]] = field(default_factory=list)
    interruptions: list[Interruption] = field(default_factory=list)
    decisions: list[CourtDecision] = field(default_factory=list)


def records_of(execution: Execution) -> Records:
    """The records of one execution (through its relations, so prefetches are used)."""
    return Records(
        judgments=[(j, list(j.sentences.all())) for j in execution.judgments.all()],
        deprivations=[(d, list(d.isolations.all())) for d in execution.deprivations.all()],
        interruptions=list(execution.interruptions.all()),
        decisions=list(execution.decisions.all()),
    )


def records_for(execution_ids: Iterable[int]) -> dict[int, Records]:
    """The records of many executions in six flat queries (a recalculation run)."""
    ids = list(execution_ids)
    out: dict[int, Records] = defaultdict(Records)
    sentences: dict[int, list[Sentence]] = defaultdict(list)
    for s in Sentence.objects.filter(judgment__execution_id__in=ids).order_by(
        "judgment_id", "position", "id"
    ):
        sentences[s.judgment_id].append(s)
    for j in Judgment.objects.filter(execution_id__in=ids).order_by("judgment_date", "id"):
        out[j.execution_id].judgments.append((j, sentences[j.pk]))
    isolations: dict[int, list[Isolation]] = defaultdict(list)
    for i in Isolation.objects.filter(deprivation__execution_id__in=ids).order_by("starts_at"):
        isolations[i.deprivation_id].append(i)
    for d in Deprivation.objects.filter(execution_id__in=ids).order_by("starts_at"):
        out[d.execution_id].deprivations.append((d, isolations[d.pk]))
    for r in Interruption.objects.filter(execution_id__in=ids).order_by("starts_on"):
        out[r.execution_id].interruptions.append(r)
    for c in CourtDecision.objects.filter(execution_id__in=ids).order_by("decided_on", "id"):
        out[c.execution_id].decisions.append(c)
    return out


def _local(instant: dt.datetime) -> str:
    return instant.astimezone(clock.OSLO).strftime("%Y-%m-%dT%H:%M")


def _duration(years: int, months: int, days: int) -> dict[str, int]:
    return {"years": years, "months": months, "days": days}


def execution_input(execution: Execution, records: Records | None = None) -> dict[str, Any]:
    """The calculation input for an execution: sentences in order, deprivations with their
    isolation periods, interruptions. Local times in Europe/Oslo, as the law counts them."""
    records = records or records_of(execution)
    sentences = []
    for judgment, judgment_sentences in records.judgments:
        for s in judgment_sentences:
            item: dict[str, Any] = {
                "kind": s.kind,
                "thirty_year_offence": s.thirty_year_offence,
                "under_18_at_offence": s.under_18_at_offence,
                "excluded_from_em": s.excluded_from_em,
                "date_final": (judgment.date_final or judgment.judgment_date).isoformat(),
            }
            if s.kind == SentenceKind.PRISON:
                item["length"] = _duration(s.years, s.months, s.days)
            else:
                item["minimum_term"] = _duration(s.minimum_years, s.minimum_months, s.minimum_days)
                item["time_frame"] = _duration(s.frame_years, s.frame_months, s.frame_days)
            sentences.append(item)
    decisions = records.decisions
    if sentences and sentences[0]["kind"] == SentenceKind.PREVENTIVE_DETENTION:
        sentences[0]["extensions"] = [
            _duration(d.extension_years, d.extension_months, 0)
            for d in decisions
            if d.kind == CourtDecisionKind.EXTENSION
        ]
        sentences[0]["probation_refusals"] = [
            d.decided_on.isoformat()
            for d in decisions
            if d.kind == CourtDecisionKind.PROBATION_REFUSED
        ]
    return {
        "start_date": execution.start_date.isoformat(),
        "parole_refusals": sum(1 for d in decisions if d.kind == CourtDecisionKind.PAROLE_REFUSED),
        "sentences": sentences,
        "deprivations": [
            {
                "from": _local(d.starts_at),
                "to": _local(d.ends_at),
                "full_isolation": [
                    {"from": _local(i.starts_at), "to": _local(i.ends_at)} for i in isolations
                ],
            }
            for d, isolations in records.deprivations
        ],
        "interruptions": [
            {"from": i.starts_on.isoformat(), "to": i.ends_on.isoformat(), "reason": i.reason}
            for i in records.interruptions
        ],
    }
