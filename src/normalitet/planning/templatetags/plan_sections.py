"""The risk assessment and sentence plan (framtidsplan) sections of the plan page.

They are inclusion tags so that the plan page gains them without its view knowing of them; each
reads through :mod:`normalitet.planning.plan_selectors` for the episode the page already shows
(the page has checked the caseload and PLAN_VIEW).
"""

from __future__ import annotations

from typing import Any

from django import template

from normalitet.core import clock

from .. import plan_selectors
from ..models import PlanStepStatus

register = template.Library()


@register.inclusion_tag("planning/risk_section.html", takes_context=True)
def risk_section(context: template.Context) -> dict[str, Any]:
    episode = context["episode"]
    return {
        "person": context["person"],
        "can_edit": context.get("can_edit", False),
        "risk": plan_selectors.risk(episode=episode, today=clock.today()),
    }


@register.inclusion_tag("planning/framtidsplan_section.html", takes_context=True)
def framtidsplan_section(context: template.Context) -> dict[str, Any]:
    episode = context["episode"]
    plan = plan_selectors.sentence_plan(episode=episode)
    today = clock.today()
    return {
        "person": context["person"],
        "can_edit": context.get("can_edit", False),
        "csrf_token": context.get("csrf_token"),
        "plan": plan,
        "review": plan_selectors.plan_review(episode=episode, plan=plan, today=today)
        if plan
        else None,
        "today": today,
        "done": (PlanStepStatus.DONE, PlanStepStatus.CANCELLED),
    }
