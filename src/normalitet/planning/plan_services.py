"""Writes for the risk assessment and the sentence plan (framtidsplan) (SGL § 41; RULES.md
§ 10: release preparation in good time, with the person).

Each service is keyword-only, one transaction with its audit event, and refuses bad input with
a ``DomainError`` before anything is written. Free text (justifications, goals, the person's
comment) stays in the record; the audit event holds codes and dates only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from normalitet.audit.services import record_change
from normalitet.core import clock, validation
from normalitet.core.errors import Conflict, DomainError
from normalitet.core.validation import clean, clean_and_save
from normalitet.custody.models import CustodyEpisode
from normalitet.identity.policies import ensure_cap
from normalitet.identity.roles import Cap

from . import checks
from .domain import rules
from .models import (
    NeedsDomain,
    PlanGoal,
    PlanStep,
    PlanStepStatus,
    RiskArea,
    RiskAssessment,
    RiskFactor,
    RiskLevel,
    SentencePlan,
    StepOwner,
)

# Allowed changes of a step's status. A done step can be reopened; a cancelled one planned
# again. Anything else is refused.
STEP_TRANSITIONS: dict[str, frozenset[str]] = {
    PlanStepStatus.PLANNED: frozenset(
        {PlanStepStatus.IN_PROGRESS, PlanStepStatus.DONE, PlanStepStatus.CANCELLED}
    ),
    PlanStepStatus.IN_PROGRESS: frozenset(
        {PlanStepStatus.PLANNED, PlanStepStatus.DONE, PlanStepStatus.CANCELLED}
    ),
    PlanStepStatus.DONE: frozenset({PlanStepStatus.IN_PROGRESS}),
    PlanStepStatus.CANCELLED: frozenset({PlanStepStatus.PLANNED}),
}


def risk_assessment_record(
    *,
    actor: Any,
    episode: CustodyEpisode,
    assessed_on: dt.date,
    factors: dict[str, tuple[str, str]],
    review_on: dt.date | None = None,
    summary: str = "",
) -> RiskAssessment:
    """Record a structured risk assessment: for every area a level and its justification
    (``{area: (level, justification)}``), and a review date (by default the service standard
    after the assessment). The current assessment is superseded and kept as history. A factor
    unchanged from the current assessment keeps the name of the one who assessed it."""
    ensure_cap(actor, Cap.PLAN_EDIT)
    validation.ensure_open(episode)
    unknown = set(factors) - set(RiskArea.values)
    if unknown:
        raise DomainError(_("Unknown risk area."), field=sorted(unknown)[0])
    cleaned: dict[str, tuple[str, str]] = {}
    for area in RiskArea:
        level, justification = factors.get(area.value, ("", ""))
        if level not in RiskLevel.values:
            raise DomainError(
                _("Choose a level for %(area)s.") % {"area": area.label}, field=area.value
            )
        cleaned[area.value] = (
            level,
            validation.text(
                justification,
                area.value,
                _("Explain the level for %(area)s.") % {"area": area.label},
                1000,
            ),
        )
    summary = summary.strip()
    if len(summary) > 1000:
        raise DomainError(_("At most %(n)s characters.") % {"n": 1000}, field="summary")
    if assessed_on > clock.today():
        raise DomainError(_("An assessment cannot be in the future."), field="assessed_on")
    if assessed_on < checks.admitted_on(episode):
        raise DomainError(_("The assessment is before the admission."), field="assessed_on")
    review_on = review_on or rules.risk_review_due(assessed_on)
    if review_on <= assessed_on:
        raise DomainError(_("The review date must be after the assessment."), field="review_on")
    with transaction.atomic():
        episode = CustodyEpisode.objects.select_for_update().get(pk=episode.pk)
        now = clock.now()
        previous = (
            RiskAssessment.objects.filter(episode=episode, superseded_at__isnull=True)
            .prefetch_related("factors")
            .first()
        )
        kept: dict[str, Any] = {}
        if previous is not None:
            if assessed_on < previous.assessed_on:
                raise DomainError(
                    _("The assessment is before the current one."), field="assessed_on"
                )
            kept = {
                f.area: f.assessed_by_id
                for f in previous.factors.all()
                if cleaned[f.area] == (f.level, f.justification)
            }
            previous.superseded_at = now
            previous.save(update_fields=["superseded_at"])
        assessment = RiskAssessment(
            episode=episode,
            person_id=episode.person_id,
            assessed_on=assessed_on,
            assessed_by=actor,
            review_on=review_on,
            summary=summary,
            recorded_at=now,
        )
        clean_and_save(assessment)
        rows = [
            RiskFactor(
                assessment=assessment,
                area=area,
                level=level,
                justification=justification,
                assessed_by_id=kept.get(area, actor.pk),
            )
            for area, (level, justification) in cleaned.items()
        ]
        for row in rows:
            clean(row)
        RiskFactor.objects.bulk_create(rows)
        record_change(
            actor=actor,
            action="planning.risk_assess",
            obj=assessment,
            person_id=episode.person_id,
            data={
                "assessed_on": assessed_on,
                "review_on": review_on,
                "levels": {area: level for area, (level, _j) in cleaned.items()},
                "supersedes": previous.pk if previous else None,
            },
        )
    return assessment


def sentence_plan_create(*, actor: Any, episode: CustodyEpisode) -> SentencePlan:
    """Start the person's sentence plan (framtidsplan). One plan per custody episode."""
    ensure_cap(actor, Cap.PLAN_EDIT)
    validation.ensure_open(episode)
    with transaction.atomic():
        if SentencePlan.objects.filter(episode=episode).exists():
            raise Conflict(_("The person already has a sentence plan."), rule="one-plan")
        plan = SentencePlan(
            episode=episode,
            person_id=episode.person_id,
            created_on=clock.today(),
            created_by=actor,
        )
        clean_and_save(plan)
        record_change(
            actor=actor,
            action="planning.plan_create",
            obj=plan,
            person_id=episode.person_id,
            data={"created_on": plan.created_on},
        )
    return plan


def _ensure_plan_open(plan: SentencePlan) -> CustodyEpisode:
    episode = CustodyEpisode.objects.get(pk=plan.episode_id)
    validation.ensure_open(episode)
    return episode


def plan_goal_add(*, actor: Any, plan: SentencePlan, domain: str, text: str) -> PlanGoal:
    """Add a goal in one needs domain to the plan."""
    ensure_cap(actor, Cap.PLAN_EDIT)
    if domain not in NeedsDomain.values:
        raise DomainError(_("Choose a domain."), field="domain")
    text = validation.text(text, "text", _("Write the goal."), 500)
    _ensure_plan_open(plan)
    with transaction.atomic():
        goal = PlanGoal(plan=plan, domain=domain, text=text, created_at=clock.now())
        clean_and_save(goal)
        record_change(
            actor=actor,
            action="planning.plan_goal_add",
            obj=goal,
            person_id=plan.person_id,
            data={"plan": plan.pk, "domain": domain},
        )
    return goal


def plan_step_add(
    *, actor: Any, goal: PlanGoal, text: str, owner: str, due_on: dt.date
) -> PlanStep:
    """Add a step towards a goal, with who does it and by when."""
    ensure_cap(actor, Cap.PLAN_EDIT)
    text = validation.text(text, "text", _("Describe the step."), 500)
    if owner not in StepOwner.values:
        raise DomainError(_("Choose who does the step."), field="owner")
    plan = goal.plan
    _ensure_plan_open(plan)
    if due_on < plan.created_on:
        raise DomainError(_("The due date is before the plan was made."), field="due_on")
    with transaction.atomic():
        step = PlanStep(
            goal=goal,
            text=text,
            owner=owner,
            due_on=due_on,
            status=PlanStepStatus.PLANNED,
            updated_at=clock.now(),
            updated_by=actor,
        )
        clean_and_save(step)
        record_change(
            actor=actor,
            action="planning.plan_step_add",
            obj=step,
            person_id=plan.person_id,
            data={"goal": goal.pk, "owner": owner, "due_on": due_on},
        )
    return step


def plan_step_status_set(*, actor: Any, step: PlanStep, status: str) -> PlanStep:
    """Move a step to another status, by the table ``STEP_TRANSITIONS``."""
    ensure_cap(actor, Cap.PLAN_EDIT)
    if status not in PlanStepStatus.values:
        raise DomainError(_("Choose a status."), field="status")
    with transaction.atomic():
        step = PlanStep.objects.select_for_update().select_related("goal__plan").get(pk=step.pk)
        _ensure_plan_open(step.goal.plan)
        if status == step.status:
            raise DomainError(_("The step already has this status."), field="status")
        if status not in STEP_TRANSITIONS[step.status]:
            raise DomainError(
                _("A step that is %(from)s cannot become %(to)s.")
                % {
                    "from": PlanStepStatus(step.status).label,
                    "to": PlanStepStatus(status).label,
                },
                field="status",
                rule="plan-step-transition",
            )
        previous = step.status
        step.status, step.updated_at, step.updated_by = status, clock.now(), actor
        step.save(update_fields=["status", "updated_at", "updated_by"])
        record_change(
            actor=actor,
            action="planning.plan_step_status",
            obj=step,
            person_id=step.goal.plan.person_id,
            data={"from": previous, "to": status},
        )
    return step


def plan_agreement_record(
    *,
    actor: Any,
    plan: SentencePlan,
    agreed: bool,
    agreed_on: dt.date | None = None,
    person_comment: str = "",
) -> SentencePlan:
    """Record whether the person agrees with the plan, when, and in their own words. A person
    who does not agree says why in the comment; the plan stands, and the comment is kept."""
    ensure_cap(actor, Cap.PLAN_EDIT)
    person_comment = person_comment.strip()
    if len(person_comment) > 1000:
        raise DomainError(_("At most %(n)s characters.") % {"n": 1000}, field="person_comment")
    if agreed:
        agreed_on = agreed_on or clock.today()
        if agreed_on > clock.today():
            raise DomainError(_("The agreement cannot be in the future."), field="agreed_on")
        if agreed_on < plan.created_on:
            raise DomainError(_("The agreement is before the plan was made."), field="agreed_on")
    else:
        agreed_on = None
        if not person_comment:
            raise DomainError(
                _("Write what the person says about the plan."), field="person_comment"
            )
    _ensure_plan_open(plan)
    with transaction.atomic():
        plan = SentencePlan.objects.select_for_update().get(pk=plan.pk)
        if not plan.goals.exists():
            raise DomainError(_("Add at least one goal before recording the agreement."))
        plan.agreed_by_person, plan.agreed_on = agreed, agreed_on
        plan.person_comment, plan.agreement_recorded_at = person_comment, clock.now()
        clean_and_save(
            plan,
            update_fields=[
                "agreed_by_person",
                "agreed_on",
                "person_comment",
                "agreement_recorded_at",
            ],
        )
        record_change(
            actor=actor,
            action="planning.plan_agreement",
            obj=plan,
            person_id=plan.person_id,
            data={"agreed": agreed, "agreed_on": agreed_on},
        )
    return plan
