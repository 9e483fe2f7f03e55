"""The way home: each step of a person's pathway with its legal date and its status, what the
plan still needs before the next step, and the facility's list of persons eligible for a less
restrictive form who have not been moved (SGL § 3: nobody held more restrictively than
necessary; the reason must be recorded)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Subquery, TextField, Value
from django.db.models.fields.json import KT
from django.db.models.functions import NullIf
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from normalitet.audit.services import record_change
from normalitet.core import clock
from normalitet.core.dated import parameter_on
from normalitet.core.errors import DomainError
from normalitet.core.validation import ensure_open
from normalitet.custody.caseload import open_episodes_in_caseload
from normalitet.custody.models import CustodyEpisode
from normalitet.estate.models import Facility, SecurityLevel
from normalitet.identity.policies import ensure_cap
from normalitet.identity.roles import Cap
from normalitet.sentencing.models import Calculation, Execution
from normalitet.sentencing.selectors import calculation_in_force

from .domain.placement import HALFWAY_HOUSE_MAX_DAYS
from .models import (
    Milestone,
    NeedsAssessment,
    NeedsItem,
    NeedStatus,
    PathwayDecision,
    StepStatus,
)

# The legal date of each step (sentencing engine output), and the rule it comes from.
STEP_DATES: dict[str, tuple[str | None, str]] = {
    Milestone.LEAVE: ("leave_eligibility_date", "SGL § 33"),
    Milestone.DAY_RELEASE: ("day_release_eligibility_date", "SGL § 20"),
    Milestone.LOWER_SECURITY: ("lower_security_consideration_date", "SGL § 14"),
    Milestone.HALFWAY_HOUSE: (None, "SGL § 11"),
    Milestone.SECTION_16: ("section_16_eligibility_date", "SGL § 16"),
    Milestone.ELECTRONIC_MONITORING: ("electronic_monitoring_eligibility_date", "SGL § 16 a"),
    Milestone.PAROLE: ("parole_date", "SGL § 42"),
    Milestone.EXPIRY: ("expiry_date", "SGF § 3-3"),
}
# Steps to a less restrictive form: eligible and not moved needs a recorded reason.
LESS_RESTRICTIVE = (Milestone.LOWER_SECURITY, Milestone.SECTION_16, Milestone.ELECTRONIC_MONITORING)
DERIVED = {
    "none": gettext_lazy("No date"),
    "not_yet": gettext_lazy("Not yet"),
    "eligible": gettext_lazy("Eligible"),
}


@dataclass
class Step:
    milestone: str
    label: Any
    rule: str
    date: dt.date | None
    status: str  # a StepStatus value, or "none" / "not_yet" / "eligible"
    status_label: Any
    decision: PathwayDecision | None = None


@dataclass
class Pathway:
    steps: list[Step]
    next_step: Step | None
    plan_needs: list[Any] = field(default_factory=list)
    has_dates: bool = False


def _result(person_id: int) -> dict[str, Any] | None:
    calc = calculation_in_force(person_id=person_id)
    return calc.result if calc else None


def _latest_decisions(episode_ids: list[int]) -> dict[tuple[int, str], PathwayDecision]:
    latest: dict[tuple[int, str], PathwayDecision] = {}
    for d in PathwayDecision.objects.filter(episode_id__in=episode_ids).order_by("id"):
        latest[(d.episode_id, d.milestone)] = d
    return latest


def _steps(
    result: dict[str, Any] | None, decisions: dict[str, PathwayDecision], today: dt.date
) -> list[Step]:
    steps = []
    for milestone in Milestone:
        field_name, rule = STEP_DATES[milestone]
        value = None
        if result and field_name and result.get(field_name):
            value = dt.date.fromisoformat(result[field_name])
        if milestone == Milestone.HALFWAY_HOUSE and result:
            limit = parameter_on(HALFWAY_HOUSE_MAX_DAYS, today).value  # SGL § 11
            short = (result.get("sentence_days") or 0) <= limit
            start = result.get("lower_security_consideration_date")
            value = dt.date.fromisoformat(start) if short and start else None
        derived = "none" if value is None else "eligible" if value <= today else "not_yet"
        decision = decisions.get(milestone)
        status = decision.status if decision else derived
        label = decision.get_status_display() if decision else DERIVED[derived]
        steps.append(
            Step(milestone, Milestone(milestone).label, rule, value, status, label, decision)
        )
    return steps


def person_pathway(*, episode: CustodyEpisode, today: dt.date | None = None) -> Pathway:
    """Every step of the way home for the person of an open custody episode."""
    today = today or clock.today()
    result = _result(episode.person_id)
    decisions = {m: d for (_e, m), d in _latest_decisions([episode.pk]).items()}
    steps = _steps(result, decisions, today)
    upcoming = [s for s in steps if s.status in ("not_yet", "eligible", StepStatus.APPLIED)]
    plan_needs: list[Any] = []
    assessment = NeedsAssessment.objects.filter(episode=episode).first()
    if assessment is None or not assessment.is_complete:
        plan_needs.append(_("The needs mapping is not completed."))
    if assessment is not None:
        open_items = NeedsItem.objects.filter(
            assessment=assessment, status__in=[NeedStatus.NEED, NeedStatus.IN_PROGRESS]
        )
        plan_needs += [
            _("%(domain)s: %(status)s")
            % {"domain": i.get_domain_display(), "status": i.get_status_display()}
            for i in open_items
        ]
    return Pathway(
        steps=steps,
        next_step=upcoming[0] if upcoming else None,
        plan_needs=plan_needs,
        has_dates=result is not None,
    )


def pathway_decision_record(
    *,
    actor: Any,
    episode: CustodyEpisode,
    milestone: str,
    status: str,
    decided_on: dt.date,
    reason: str,
) -> PathwayDecision:
    """Record that a step was applied for, granted, refused or judged not suitable now."""
    ensure_cap(actor, Cap.PLAN_EDIT)
    if milestone not in Milestone.values:
        raise DomainError(_("Choose a step."), field="milestone")
    if status not in StepStatus.values:
        raise DomainError(_("Choose a status."), field="status")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason."), field="reason")
    if decided_on > clock.today():
        raise DomainError(_("The date cannot be in the future."), field="decided_on")
    ensure_open(episode)
    with transaction.atomic():
        decision = PathwayDecision.objects.create(
            episode=episode,
            person_id=episode.person_id,
            milestone=milestone,
            status=status,
            decided_on=decided_on,
            reason=reason,
            recorded_at=clock.now(),
            recorded_by=actor,
        )
        record_change(
            actor=actor,
            action="planning.pathway_decision",
            obj=decision,
            person_id=episode.person_id,
            data={"milestone": milestone, "status": status},
        )
    return decision


def _step_results(person_ids: Any) -> dict[int, dict[str, Any]]:
    """The dates the steps need from the calculation in force of each person, read out of the
    JSON in the database (a calculation with its explanations is several kilobytes; the steps
    need a few dates). One query."""
    newest = Calculation.objects.filter(execution=OuterRef("pk")).order_by("-id").values("id")
    in_force = Execution.objects.filter(is_active=True, person_id__in=person_ids).annotate(
        calculation=Subquery(newest[:1])
    )
    keys = [f for f, _rule in STEP_DATES.values() if f] + ["sentence_days"]
    rows = (
        Calculation.objects.filter(pk__in=in_force.values("calculation"))
        # SQLite's KT gives a JSON null as the text 'null'; PostgreSQL gives NULL.
        .annotate(
            **{
                f"k_{k}": NullIf(KT(f"result__{k}"), Value("null", output_field=TextField()))
                for k in keys
            }
        )
        .values("execution__person_id", *[f"k_{k}" for k in keys])
    )
    out: dict[int, dict[str, Any]] = {}
    for row in rows:
        result = {k: row[f"k_{k}"] for k in keys}
        result["sentence_days"] = int(result["sentence_days"] or 0)
        out[row["execution__person_id"]] = result
    return out


@dataclass
class Candidate:
    episode: CustodyEpisode
    steps: list[Step]  # the less restrictive steps the person is eligible for now
    reason: PathwayDecision | None  # the newest recorded refusal or 'not suitable', if any


def less_restrictive_candidates(
    *, actor: Any, facility: Facility, today: dt.date | None = None
) -> list[Candidate]:
    """Persons in a facility who are eligible today for a less restrictive form and have not
    been moved or applied, with the reason recorded for keeping them (or none: flagged).
    Three queries whatever the size of the facility."""
    today = today or clock.today()
    results = _step_results(
        open_episodes_in_caseload(actor).filter(facility=facility).values("person_id")
    )
    episodes = list(
        open_episodes_in_caseload(actor)
        .filter(facility=facility, person_id__in=list(results))
        .select_related("person", "unit", "cell")
        .order_by("person__family_name", "pk")
    )
    by_episode: dict[int, dict[str, PathwayDecision]] = {}
    for (eid, m), d in _latest_decisions([e.pk for e in episodes]).items():
        by_episode.setdefault(eid, {})[m] = d
    high = facility.security_level == SecurityLevel.HIGH
    out = []
    for e in episodes:
        own = by_episode.get(e.pk, {})
        steps = [
            s
            for s in _steps(results[e.person_id], own, today)
            if s.milestone in LESS_RESTRICTIVE
            and s.status in ("eligible", StepStatus.REFUSED, StepStatus.NOT_SUITABLE)
            and s.date is not None
            and s.date <= today
            and (high or s.milestone != Milestone.LOWER_SECURITY)
        ]
        if not steps:
            continue
        reasons = [s.decision for s in steps if s.decision is not None]
        out.append(Candidate(e, steps, max(reasons, key=lambda d: d.id) if reasons else None))
    return out
