"""Building risk assessments and sentence plans through the services, for the plan tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from normalitet.planning import plan_services
from normalitet.planning.models import PlanGoal, PlanStep, RiskAssessment, SentencePlan

FACTORS = {
    "escape": ("low", "Ingen rømningsforsøk; tett kontakt med familien"),
    "violence": ("moderate", "Én episode med trusler i 2023, ingen siden"),
    "reoffending": ("high", "Tre tidligere dommer for vinningskriminalitet"),
    "vulnerability": ("low", "Har nettverk og fast bolig å komme til"),
}


def assessed(actor: Any, episode: Any, on: dt.date, **kwargs: Any) -> RiskAssessment:
    return plan_services.risk_assessment_record(
        actor=actor,
        episode=episode,
        assessed_on=on,
        factors=kwargs.pop("factors", FACTORS),
        **kwargs,
    )


def planned(actor: Any, episode: Any) -> tuple[SentencePlan, PlanGoal, PlanStep]:
    """A plan with one housing goal and one step for NAV."""
    plan = plan_services.sentence_plan_create(actor=actor, episode=episode)
    goal = plan_services.plan_goal_add(
        actor=actor, plan=plan, domain="housing", text="Ha et sted å bo etter løslatelse"
    )
    step = plan_services.plan_step_add(
        actor=actor,
        goal=goal,
        text="Søke kommunal bolig",
        owner="municipality",
        due_on=dt.date(2026, 4, 15),
    )
    return plan, goal, step
