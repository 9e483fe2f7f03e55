"""Synthetic sentences for the demo and the benchmarks: every person serving a sentence or in
preventive detention gets an execution, a judgment and the legal dates calculated by the engine.

Deterministic (fixed seed), plausible in shape: most sentences are short, a few are long; about a
third had remand before the start; preventive detention with a frame and a minimum term.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction

from normalitet.core import clock
from normalitet.custody.models import CustodyEpisode, LegalStatus
from normalitet.identity.policies import SystemActor
from normalitet.identity.roles import Cap

from .models import Deprivation, Execution, Judgment, Sentence, SentenceKind
from .recalc import RecalcSummary, recalc_all

COURTS = (
    "Oslo tingrett",
    "Bergen tingrett",
    "Trøndelag tingrett",
    "Rogaland tingrett",
    "Nord-Troms og Senja tingrett",
    "Vestfold tingrett",
    "Agder tingrett",
    "Østfold tingrett",
    "Romerike og Glåmdal tingrett",
    "Borgarting lagmannsrett",
    "Gulating lagmannsrett",
)
OFFENCES = (
    "Narkotikalovbrudd",
    "Grovt narkotikalovbrudd",
    "Legemsbeskadigelse",
    "Ran",
    "Grovt tyveri",
    "Bedrageri",
    "Kroppskrenkelse",
    "Ruspåvirket kjøring",
    "Grov økonomisk utroskap",
    "Trusler",
    "Vold i nære relasjoner",
    "Drap",
    "Voldtekt",
)
EM_EXCLUDED = {"Voldtekt", "Drap", "Vold i nære relasjoner"}
BATCH = 2000


def _length(rng: random.Random, served_days: int, max_years: int = 21) -> dict[str, int]:
    """A sentence length that fits how long the person has been inside already: most have
    their parole date ahead of them (some have passed it, as when parole is refused)."""
    roll = rng.random()
    if served_days < 60 and roll < 0.3:
        return {"days": rng.randint(max(21, served_days + 14), 120)}
    to_parole = rng.randint(-60, 900) if roll < 0.9 else rng.randint(900, 2500)
    total = max((served_days + to_parole) * 3 // 2, served_days + 30, 125)
    months = min(max(round(total / 30.44), 5), max_years * 12)
    years, months = divmod(months, 12)
    return {"years": years, "months": months}


def seed_sentences(
    *, seed: int = 20_260_301, progress: Callable[[int], object] | None = None
) -> RecalcSummary:
    """Give every sentenced person without one an execution with a judgment, then calculate."""
    rng = random.Random(seed)
    episodes = (
        CustodyEpisode.objects.filter(
            released_at__isnull=True,
            legal_status__in=[LegalStatus.SENTENCED, LegalStatus.PREVENTIVE_DETENTION],
        )
        .exclude(person_id__in=Execution.objects.filter(is_active=True).values("person_id"))
        .select_related("person")
        .order_by("pk")
    )
    last = 0
    while batch := list(episodes.filter(pk__gt=last)[:BATCH]):
        with transaction.atomic():
            _write(rng, batch)
        last = batch[-1].pk
    actor = SystemActor("demo", frozenset({Cap.SENTENCE_RECALC_ALL}))
    return recalc_all(
        actor=actor, trigger="recalculation of all sentences (demo data)", progress=progress
    )


def _write(rng: random.Random, batch: list[CustodyEpisode]) -> None:
    executions = [
        Execution(person_id=e.person_id, start_date=e.admitted_at.astimezone(clock.OSLO).date())
        for e in batch
    ]
    Execution.objects.bulk_create(executions)
    if executions[0].pk is None:  # SQLite before returning ids: read them back in order
        ids = dict(
            Execution.objects.filter(person_id__in=[e.person_id for e in batch]).values_list(
                "person_id", "pk"
            )
        )
        for ex in executions:
            ex.pk = ids[ex.person_id]
    judgments, sentences, deprivations = [], [], []
    for execution in executions:
        judgment_date = execution.start_date - dt.timedelta(days=rng.randint(20, 200))
        judgments.append(
            Judgment(
                execution=execution,
                court=rng.choice(COURTS),
                case_number=f"{judgment_date:%y}-{rng.randint(10_000, 199_999)}MED",
                judgment_date=judgment_date,
                date_final=judgment_date + dt.timedelta(days=rng.randint(14, 60)),
            )
        )
    Judgment.objects.bulk_create(judgments)
    if judgments[0].pk is None:
        by_execution = dict(
            Judgment.objects.filter(execution__in=executions).values_list("execution_id", "pk")
        )
        for j in judgments:
            j.pk = by_execution[j.execution.pk]
    for episode, execution, judgment in zip(batch, executions, judgments, strict=True):
        offence = rng.choice(OFFENCES)
        age_at_judgment = (judgment.judgment_date - episode.person.birth_date).days // 365
        under_18 = age_at_judgment < 18
        if episode.legal_status == LegalStatus.PREVENTIVE_DETENTION:
            served_years = (clock.today() - execution.start_date).days // 365
            frame = min(max(rng.randint(7, 15), served_years + 2), 21)
            sentences.append(
                Sentence(
                    judgment=judgment,
                    kind=SentenceKind.PREVENTIVE_DETENTION,
                    frame_years=frame,
                    minimum_years=rng.randint(
                        max(1, frame - 8), min(14 if frame > 15 else 10, frame - 1)
                    ),
                    offence=offence,
                    excluded_from_em=True,
                )
            )
        else:
            served = (clock.today() - execution.start_date).days
            length: dict[str, Any] = _length(rng, served, max_years=15 if under_18 else 21)
            sentences.append(
                Sentence(
                    judgment=judgment,
                    kind=SentenceKind.PRISON,
                    offence=offence,
                    under_18_at_offence=under_18,
                    excluded_from_em=offence in EM_EXCLUDED,
                    **length,
                )
            )
        if rng.random() < 0.35:
            ends = dt.datetime.combine(
                execution.start_date - dt.timedelta(days=1), dt.time(14, 0), tzinfo=clock.OSLO
            )
            deprivations.append(
                Deprivation(
                    execution=execution,
                    starts_at=ends - dt.timedelta(hours=rng.randint(30, 2400)),
                    ends_at=ends,
                    note="Varetekt",
                )
            )
    Sentence.objects.bulk_create(sentences)
    Deprivation.objects.bulk_create(deprivations)
