"""Synthetic plans for the demo: every person in custody gets a contact officer (within the
officers' capacity), a needs mapping in step with how long they have been inside, and a few
contact sessions, some with follow-ups due this week. Deterministic (fixed seed)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.db import transaction

from normalitet.core import clock
from normalitet.core.dated import parameter_on
from normalitet.custody.models import CustodyEpisode
from normalitet.identity.models import User
from normalitet.identity.roles import Role
from normalitet.sentencing.models import Calculation

from . import checks
from .demo_plan import seed_risk_and_plans
from .domain.rules import CONTACT_OFFICER_CAPACITY, needs_mapping_due
from .models import (
    AllocationReason,
    ContactOfficerAllocation,
    ContactOfficerCapacity,
    ContactSession,
    Milestone,
    NeedsAssessment,
    NeedsDomain,
    NeedsItem,
    NeedStatus,
    PathwayDecision,
    SessionKind,
    StepStatus,
)

OWN_WORDS: dict[str, list[str]] = {
    NeedsDomain.HOUSING: [
        "Har ingen bolig når jeg kommer ut.",
        "Kan bo hos søsteren min.",
        "Leiligheten er sagt opp.",
        "Har egen leilighet i kommunen.",
    ],
    NeedsDomain.WORK_EDUCATION: [
        "Vil fullføre videregående.",
        "Har fagbrev som tømrer.",
        "Vil gjerne jobbe på verkstedet.",
        "Aldri hatt fast jobb.",
    ],
    NeedsDomain.FINANCES: [
        "Har gjeld til Statens innkrevingssentral.",
        "Ingen gjeld.",
        "Trenger hjelp med budsjett.",
        "Vet ikke hvor mye jeg skylder.",
    ],
    NeedsDomain.ID_BANK: [
        "Mangler gyldig pass.",
        "Har bankkort og BankID.",
        "BankID er utløpt.",
        "Har ikke bankkonto i Norge.",
    ],
    NeedsDomain.HEALTH: [
        "Føler meg bra.",
        "Sover dårlig, vil snakke med helsetjenesten.",
        "Har fastlege ute.",
        "Ønsker ikke å si noe om dette.",
    ],
    NeedsDomain.DRUGS_ALCOHOL: [
        "Vil ha hjelp til å slutte.",
        "Ingen rusproblemer.",
        "Ønsker rusmestringsenheten.",
        "Har vært rusfri et år.",
    ],
    NeedsDomain.FAMILY: [
        "Har to barn, vil ha besøk.",
        "Mor besøker meg.",
        "Lite kontakt med familien.",
        "Samboeren venter på meg.",
    ],
    NeedsDomain.ATTITUDES: [
        "Vil jobbe med sinnemestring.",
        "Ønsker program mot vold.",
        "Vet ikke ennå.",
        "Vil gjøre det bedre denne gangen.",
    ],
}
SESSION_NOTES = [
    "Første samtale, gikk gjennom dagen og reglene.",
    "Snakket om skole og arbeid.",
    "Planla kontakt med NAV om bolig.",
    "Gjennomgang av planen, god fremdrift.",
    "Samtale om besøk fra familien.",
    "Kontakt med skolen om eksamen.",
]
FOLLOW_UPS = [
    "Kontakte NAV om bolig.",
    "Søke om skoleplass.",
    "Bestille time for nytt pass.",
    "Avtale besøk med barna.",
    "Sende søknad om arbeidsdrift.",
]
STATUSES = [
    NeedStatus.NO_NEED,
    NeedStatus.NEED,
    NeedStatus.IN_PROGRESS,
    NeedStatus.DONE,
    NeedStatus.DECLINED,
]


def seed_plans(*, seed: int = 20_261_124) -> dict[str, int]:
    """Plans for everyone in custody who has none yet."""
    rng = random.Random(seed)
    now = clock.now()
    today = clock.today()
    default_capacity = parameter_on(CONTACT_OFFICER_CAPACITY, today).value
    officers: dict[int, list[User]] = defaultdict(list)
    for officer in User.objects.filter(role=Role.CONTACT_OFFICER, is_active=True).order_by("pk"):
        if officer.facility_id:
            officers[officer.facility_id].append(officer)
    episodes = list(
        CustodyEpisode.objects.filter(released_at__isnull=True)
        .exclude(pk__in=NeedsAssessment.objects.values("episode_id"))
        .order_by("pk")
    )
    load: dict[int, int] = defaultdict(int)
    for e in episodes:
        if e.contact_officer_id:
            load[e.contact_officer_id] += 1
    capacities = [
        ContactOfficerCapacity(officer_id=pk, max_persons=n)
        for pk, n in load.items()
        if n > default_capacity
    ]
    allocations: list[ContactOfficerAllocation] = []
    sessions: list[ContactSession] = []
    assessments: list[tuple[NeedsAssessment, list[dict[str, Any]]]] = []
    moved: list[CustodyEpisode] = []
    for e in episodes:
        officer_id = e.contact_officer_id
        if officer_id is None:
            free = [o for o in officers.get(e.facility_id, []) if load[o.pk] < default_capacity]
            if free:
                officer_id = min(free, key=lambda o: load[o.pk]).pk
                load[officer_id] += 1
                e.contact_officer_id = officer_id
                moved.append(e)
        arrived_on = e.arrived_at.astimezone(clock.OSLO).date()
        if officer_id is not None:
            allocations.append(
                ContactOfficerAllocation(
                    episode=e,
                    person_id=e.person_id,
                    officer_id=officer_id,
                    allocated_at=min(e.arrived_at + dt.timedelta(days=rng.randint(0, 3)), now),
                    reason=AllocationReason.ARRIVAL,
                )
            )
            _sessions(rng, e, officer_id, arrived_on, today, now, sessions)
        assessments.append(_assessment(rng, e, officer_id, today, now))
    with transaction.atomic():
        ContactOfficerCapacity.objects.bulk_create(capacities, ignore_conflicts=True)
        CustodyEpisode.objects.bulk_update(moved, ["contact_officer"], batch_size=1000)
        ContactOfficerAllocation.objects.bulk_create(allocations, batch_size=2000)
        ContactSession.objects.bulk_create(sessions, batch_size=2000)
        NeedsAssessment.objects.bulk_create([a for a, _items in assessments], batch_size=2000)
        if assessments and assessments[0][0].pk is None:
            ids = dict(NeedsAssessment.objects.values_list("episode_id", "pk"))
            for a, _items in assessments:
                a.pk = ids[a.episode_id]
        NeedsItem.objects.bulk_create(
            [NeedsItem(assessment_id=a.pk, **item) for a, items in assessments for item in items],
            batch_size=5000,
        )
        decisions = _pathway_decisions(rng, episodes, today, now)
        PathwayDecision.objects.bulk_create(decisions, batch_size=2000)
        plans = seed_risk_and_plans(rng=rng, episodes=episodes)
    return {
        **plans,
        "allocations": len(allocations),
        "sessions": len(sessions),
        "needs_mappings": len(assessments),
        "pathway_decisions": len(decisions),
    }


REASONS = {
    StepStatus.APPLIED: ["Søknad sendt regionen.", "Søknad under behandling."],
    StepStatus.NOT_SUITABLE: [
        "Rømningsfare vurdert som høy; ny vurdering om tre måneder.",
        "Venter på at behandlingsplassen starter.",
        "Ingen godkjent bolig ennå; NAV er kontaktet.",
    ],
}


def _pathway_decisions(
    rng: random.Random, episodes: list[Any], today: dt.date, now: dt.datetime
) -> list[PathwayDecision]:
    """For about two in three persons past their lower-security date: a decision with its
    reason (applied, or not suitable now), as staff would have recorded it."""
    results = dict(
        Calculation.objects.filter(
            execution__person_id__in=[e.person_id for e in episodes], execution__is_active=True
        )
        .order_by("execution_id", "id")
        .values_list("execution__person_id", "result")
    )
    out = []
    for e in episodes:
        result = results.get(e.person_id)
        day = result.get("lower_security_consideration_date") if result else None
        if not day or dt.date.fromisoformat(day) > today or rng.random() < 0.35:
            continue
        status = rng.choice([StepStatus.APPLIED, StepStatus.NOT_SUITABLE, StepStatus.NOT_SUITABLE])
        out.append(
            PathwayDecision(
                episode=e,
                person_id=e.person_id,
                milestone=Milestone.LOWER_SECURITY,
                status=status,
                decided_on=max(dt.date.fromisoformat(day), today - dt.timedelta(days=30)),
                reason=rng.choice(REASONS[status]),
                recorded_at=now,
            )
        )
    return out


def _sessions(
    rng: random.Random,
    e: Any,
    officer_id: int,
    arrived_on: dt.date,
    today: dt.date,
    now: dt.datetime,
    out: list[ContactSession],
) -> None:
    days_inside = (today - arrived_on).days
    for i in range(min(rng.randint(1, 4), days_inside // 7 + 1)):
        held_on = today - dt.timedelta(days=rng.randint(0, min(days_inside, 60)))
        follow = rng.random() < 0.4
        out.append(
            ContactSession(
                episode=e,
                person_id=e.person_id,
                officer_id=officer_id,
                held_on=held_on,
                kind=SessionKind.NEEDS_MAPPING
                if i == 0
                else rng.choice(
                    [SessionKind.CONVERSATION, SessionKind.PLAN_REVIEW, SessionKind.EXTERNAL]
                ),
                note=rng.choice(SESSION_NOTES),
                follow_ups=rng.choice(FOLLOW_UPS) if follow else "",
                follow_up_due=held_on + dt.timedelta(days=rng.randint(3, 14)) if follow else None,
                recorded_at=now,
            )
        )


def _assessment(
    rng: random.Random, e: Any, officer_id: int | None, today: dt.date, now: dt.datetime
) -> tuple[NeedsAssessment, list[dict[str, Any]]]:
    admitted_on = checks.admitted_on(e)
    due = needs_mapping_due(admitted_on)
    started = min(e.admitted_at + dt.timedelta(days=rng.randint(1, 5)), now)
    complete = today > due and rng.random() < 0.93
    completed_at = (
        min(dt.datetime.combine(due, dt.time(14), tzinfo=clock.OSLO), now) if complete else None
    )
    assessment = NeedsAssessment(
        episode=e,
        person_id=e.person_id,
        due_on=due,
        rule="SGL § 41; RULES.md § 10 (service standard)",
        started_at=started,
        started_by_id=officer_id,
        completed_at=completed_at,
        completed_by_id=officer_id if complete else None,
    )
    items = []
    for domain in NeedsDomain:
        mapped = complete or rng.random() < 0.5
        items.append(
            {
                "domain": domain.value,
                "status": rng.choice(STATUSES).value if mapped else "",
                "own_words": rng.choice(OWN_WORDS[domain]) if mapped and rng.random() < 0.7 else "",
                "updated_at": started if mapped else None,
                "updated_by_id": officer_id if mapped else None,
            }
        )
    return assessment, items
