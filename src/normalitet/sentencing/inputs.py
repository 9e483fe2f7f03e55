"""Turning stored records into the engine's input, in the documented JSON shape (README)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from normalitet.core import clock

from .models import CourtDecisionKind, Execution, SentenceKind


def _local(instant: dt.datetime) -> str:
    return instant.astimezone(clock.OSLO).strftime("%Y-%m-%dT%H:%M")


def _duration(years: int, months: int, days: int) -> dict[str, int]:
    return {"years": years, "months": months, "days": days}


def execution_input(execution: Execution) -> dict[str, Any]:
    """The calculation input for an execution: sentences in order, deprivations with their
    isolation periods, interruptions. Local times in Europe/Oslo, as the law counts them."""
    sentences = []
    for judgment in execution.judgments.all():
        for s in judgment.sentences.all():
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
    decisions = list(execution.decisions.all())
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
                    {"from": _local(i.starts_at), "to": _local(i.ends_at)}
                    for i in d.isolations.all()
                ],
            }
            for d in execution.deprivations.all()
        ],
        "interruptions": [
            {"from": i.starts_on.isoformat(), "to": i.ends_on.isoformat(), "reason": i.reason}
            for i in execution.interruptions.all()
        ],
    }
