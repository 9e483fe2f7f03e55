"""Synthetic risk assessments and sentence plans (framtidsplan) for the demo: for persons with a
contact officer and a completed needs mapping, in step with their needs. Deterministic."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from normalitet.core import clock

from .models import (
    NeedsAssessment,
    NeedStatus,
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

JUSTIFICATIONS = {
    RiskArea.ESCAPE: "Har overholdt alle permisjoner og fremstillinger; ingen rømningsforsøk.",
    RiskArea.VIOLENCE: "Ingen hendelser på avdelingen siste halvår; god kontakt med betjentene.",
    RiskArea.REOFFENDING: "Tidligere dommer for vinning; motivert for arbeid og rusbehandling.",
    RiskArea.VULNERABILITY: "Lite nettverk ute; følges opp av kontaktbetjent ukentlig.",
}
GOALS = {
    "housing": ("Ha et sted å bo når jeg løslates", StepOwner.MUNICIPALITY, "Søke kommunal bolig"),
    "work_education": ("Fullføre videregående", StepOwner.SCHOOL, "Melde seg på eksamen"),
    "finances": ("Få oversikt over gjelda", StepOwner.NAV, "Avtale time med gjeldsrådgiver"),
    "id_bank": ("Få gyldig pass og BankID", StepOwner.PERSON, "Bestille time hos politiet"),
    "health": ("Ha fastlege når jeg kommer ut", StepOwner.CONTACT_OFFICER, "Kontakte kommunen"),
    "drugs_alcohol": ("Holde meg rusfri", StepOwner.TREATMENT, "Starte i rusprogrammet"),
    "family": ("Ha kontakt med barna", StepOwner.PERSON, "Søke om besøk i familierommet"),
    "attitudes": ("Mestre sinne bedre", StepOwner.CONTACT_OFFICER, "Starte sinnemestringskurs"),
}


def seed_risk_and_plans(*, rng: random.Random, episodes: list[Any]) -> dict[str, int]:
    now = clock.now()
    today = clock.today()
    mappings = {
        a.episode_id: a
        for a in NeedsAssessment.objects.filter(
            episode__in=episodes, completed_at__isnull=False
        ).prefetch_related("items")
    }
    risks: list[RiskAssessment] = []
    factors: list[tuple[RiskAssessment, RiskFactor]] = []
    plans: list[SentencePlan] = []
    goals_by_plan: list[tuple[SentencePlan, list[str]]] = []
    for e in episodes:
        mapping = mappings.get(e.pk)
        if mapping is None or mapping.completed_at is None or e.contact_officer_id is None:
            continue
        assessed = min(mapping.completed_at.astimezone(clock.OSLO).date(), today)
        risk = RiskAssessment(
            episode=e,
            person_id=e.person_id,
            assessed_on=assessed,
            assessed_by_id=e.contact_officer_id,
            review_on=assessed + dt.timedelta(days=182),
            summary="Samlet vurdering etter kartlegging og samtaler.",
            recorded_at=now,
        )
        risks.append(risk)
        for area in RiskArea:
            level = rng.choices([RiskLevel.LOW, RiskLevel.MODERATE, RiskLevel.HIGH], [6, 3, 1])[0]
            factors.append(
                (
                    risk,
                    RiskFactor(
                        area=area,
                        level=level,
                        justification=JUSTIFICATIONS[area],
                        assessed_by_id=e.contact_officer_id,
                    ),
                )
            )
        needs = [
            i.domain
            for i in mapping.items.all()
            if i.status in (NeedStatus.NEED, NeedStatus.IN_PROGRESS)
        ]
        if not needs:
            continue
        agreed = rng.random() < 0.8
        plan = SentencePlan(
            episode=e,
            person_id=e.person_id,
            created_on=assessed,
            created_by_id=e.contact_officer_id,
            agreed_by_person=agreed,
            agreed_on=assessed if agreed else None,
            agreement_recorded_at=now if agreed else None,
        )
        plans.append(plan)
        goals_by_plan.append((plan, needs[:3]))
    RiskAssessment.objects.bulk_create(risks, batch_size=2000)
    for risk, factor in factors:
        factor.assessment_id = risk.pk
    RiskFactor.objects.bulk_create([f for _r, f in factors], batch_size=5000)
    SentencePlan.objects.bulk_create(plans, batch_size=2000)
    goals: list[PlanGoal] = []
    steps: list[tuple[PlanGoal, PlanStep]] = []
    for plan, domains in goals_by_plan:
        for domain in domains:
            text, owner, step_text = GOALS[domain]
            goal = PlanGoal(plan_id=plan.pk, domain=domain, text=text, created_at=now)
            goals.append(goal)
            steps.append(
                (
                    goal,
                    PlanStep(
                        text=step_text,
                        owner=owner,
                        due_on=plan.created_on + dt.timedelta(days=rng.randint(20, 120)),
                        status=rng.choice(
                            [
                                PlanStepStatus.PLANNED,
                                PlanStepStatus.IN_PROGRESS,
                                PlanStepStatus.DONE,
                            ]
                        ),
                        updated_at=now,
                    ),
                )
            )
    PlanGoal.objects.bulk_create(goals, batch_size=5000)
    for goal, step in steps:
        step.goal_id = goal.pk
    PlanStep.objects.bulk_create([s for _g, s in steps], batch_size=5000)
    return {"risk_assessments": len(risks), "plans": len(plans), "plan_goals": len(goals)}
