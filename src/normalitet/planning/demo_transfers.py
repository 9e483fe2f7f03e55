"""Transfer cases for the demo, made through the services so that each carries its real
placement recommendation: in every region a few persons in high security whom the rules
point to lower security, some proposed, some granted, one refused; and the cases the regional
offices decide (long sentences) waiting in their queues."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import OuterRef, Subquery

from normalitet.core import clock
from normalitet.core.dated import parameter_on
from normalitet.custody.models import CustodyEpisode
from normalitet.estate.models import SecurityLevel
from normalitet.identity.models import User
from normalitet.identity.roles import Role
from normalitet.sentencing.models import Calculation

from . import transfers
from .domain.placement import LOWER_SECURITY_MAX_DAYS, REGIONAL_SENTENCE_DAYS
from .models import RiskAssessment, TransferCase, TransferReason
from .placement import placement_for

# Cases per region at each deciding level: the first of each waits for its decision.
PER_REGION = {"facility": 4, "regional": 2}
JUSTIFICATION = (
    "Har fulgt planen, arbeider i verkstedet og har hatt permisjoner uten anmerkninger. "
    "Lavere sikkerhet gir arbeidstrening og nærhet til familien."
)
LONG_JUSTIFICATION = (
    "Lang dom. Stabil gjennomføring over flere år; overføring til lavere sikkerhet "
    "vurderes ett år før prøveløslatelsestidspunktet."
)


def _candidates(today: dt.date) -> list[tuple[CustodyEpisode, int]]:
    """Persons in high security with a current risk assessment, with their sentence days,
    where lower security is to be considered now (by the length or the SGL § 14 date)."""
    short = parameter_on(LOWER_SECURITY_MAX_DAYS, today).value
    newest = (
        Calculation.objects.filter(execution__person_id=OuterRef("person_id"))
        .filter(execution__is_active=True)
        .order_by("-id")
        .values("result")[:1]
    )
    assessed = RiskAssessment.objects.filter(superseded_at__isnull=True).values("episode_id")
    out: list[tuple[CustodyEpisode, int]] = []
    rows = (
        CustodyEpisode.objects.filter(
            released_at__isnull=True,
            facility__security_level=SecurityLevel.HIGH,
            legal_status="sentenced",
            pk__in=assessed,
        )
        .annotate(result=Subquery(newest))
        .select_related("facility")
        .order_by("pk")
    )
    for e in rows.iterator(chunk_size=2000):
        result: Any = getattr(e, "result", None)
        if not result:
            continue
        lower = result.get("lower_security_consideration_date")
        days = result.get("sentence_days") or 0
        if days <= short or (lower and dt.date.fromisoformat(lower) <= today):
            out.append((e, days))
    return out


def seed_transfers() -> dict[str, int]:
    """Idempotent: does nothing when there are transfer cases already."""
    if TransferCase.objects.exists():
        return {"transfer_cases": 0}
    today = clock.today()
    managers: dict[int | None, Any] = {}
    for u in User.objects.filter(role=Role.CASE_MANAGER, is_active=True).order_by("pk"):
        managers.setdefault(u.facility_id, u)
    regional = {u.region_id: u for u in User.objects.filter(role=Role.REGIONAL, is_active=True)}
    long_days = parameter_on(REGIONAL_SENTENCE_DAYS, today).value
    per_region: dict[tuple[int, str], int] = defaultdict(int)
    made = 0
    # The demo's own case manager (first by primary key) finds cases at home.
    first = next(iter(managers.values()), None)
    home = first.facility_id if first else None
    candidates = sorted(_candidates(today), key=lambda c: c[0].facility_id != home)
    for episode, days in candidates:
        region = episode.facility.region_id
        actor = managers.get(episode.facility_id)
        if actor is None or all(per_region[(region, lv)] >= n for lv, n in PER_REGION.items()):
            continue
        placement = placement_for(episode=episode, today=today)
        best = placement.recommendation.best
        key = (region, placement.decision_level)
        if best is None or placement.recommendation.level == SecurityLevel.HIGH:
            continue
        if per_region[key] >= PER_REGION[placement.decision_level]:
            continue
        case = transfers.transfer_propose(
            actor=actor,
            episode=episode,
            to_facility=placement.facilities[best.option.facility_id],
            reason=TransferReason.PROGRESSION,
            justification=LONG_JUSTIFICATION if days > long_days else JUSTIFICATION,
            placement=placement,
        )
        n = per_region[key]
        per_region[key] += 1
        made += 1
        decider = regional.get(region) if case.decision_level == "regional" else actor
        if decider is None or n == 0:
            continue  # the first of each level in each region waits for a decision
        granted = n != 2
        transfers.transfer_decide(
            actor=decider,
            case=case,
            granted=granted,
            reasons=(
                "Vilkårene for lavere sikkerhet er oppfylt; risikovurderingen taler ikke imot."
                if granted
                else "Ny risikovurdering må foreligge før overføring; vurderes igjen om tre "
                "måneder."
            ),
        )
    return {"transfer_cases": made}
