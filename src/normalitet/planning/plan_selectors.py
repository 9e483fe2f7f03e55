"""Reads for the risk assessment and the sentence plan (framtidsplan). The caller has checked
that the actor may see the person (``person_for`` / the API's caseload check); these take the
person's episode and cost a fixed number of queries whatever the number of goals and steps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Prefetch

from normalitet.custody.models import CustodyEpisode

from .domain import rules
from .models import (
    ContactSession,
    PlanGoal,
    PlanStep,
    PlanStepStatus,
    RiskAssessment,
    RiskFactor,
    SentencePlan,
    SessionKind,
)


def risk_assessments(*, episode: CustodyEpisode, limit: int = 50) -> list[RiskAssessment]:
    """The episode's risk assessments, the current first, each with its factors in the fixed
    order of the areas (they are written in that order)."""
    rows = list(
        RiskAssessment.objects.filter(episode=episode)
        .select_related("assessed_by")
        .prefetch_related(
            Prefetch(
                "factors", queryset=RiskFactor.objects.select_related("assessed_by").order_by("id")
            )
        )
        .order_by(F("superseded_at").asc(nulls_first=True), "-assessed_on", "-id")[:limit]
    )
    return rows


@dataclass(frozen=True)
class RiskView:
    current: RiskAssessment | None
    history: list[RiskAssessment]
    today: dt.date

    @property
    def overdue(self) -> bool:
        return self.current is not None and self.current.review_overdue(self.today)


def risk(*, episode: CustodyEpisode, today: dt.date) -> RiskView:
    rows = risk_assessments(episode=episode)
    current = rows[0] if rows and rows[0].is_current else None
    return RiskView(current, [r for r in rows if not r.is_current], today)


def sentence_plan(*, episode: CustodyEpisode) -> SentencePlan | None:
    """The plan with its goals and their steps (three queries)."""
    steps = PlanStep.objects.select_related("updated_by").order_by("due_on", "id")
    return (
        SentencePlan.objects.filter(episode=episode)
        .prefetch_related(
            Prefetch("goals", queryset=PlanGoal.objects.prefetch_related(Prefetch("steps", steps)))
        )
        .first()
    )


@dataclass(frozen=True)
class PlanReview:
    """When the plan was last reviewed and when it is next due, with the rule that set it."""

    last_on: dt.date
    due: rules.PlanReviewDue
    expected_release: dt.date | None
    today: dt.date

    @property
    def due_on(self) -> dt.date:
        return self.due.due_on

    @property
    def overdue(self) -> bool:
        return self.today > self.due.due_on


def plan_review(*, episode: CustodyEpisode, plan: SentencePlan, today: dt.date) -> PlanReview:
    """The next review of the plan. A review is a contact session of the kind 'plan review'
    held since the plan was made; the interval follows the time left to the expected release
    (kept in step with the legal dates by the release-date engine)."""
    last = (
        ContactSession.objects.filter(
            episode_id=episode.pk, kind=SessionKind.PLAN_REVIEW, held_on__gte=plan.created_on
        )
        .order_by("-held_on")
        .values_list("held_on", flat=True)
        .first()
    ) or plan.created_on
    release = episode.expected_release_date
    return PlanReview(last, rules.next_plan_review(last, release), release, today)


def open_steps(plan: SentencePlan) -> int:
    """Steps not done or cancelled, from the prefetched goals."""
    active = {PlanStepStatus.PLANNED, PlanStepStatus.IN_PROGRESS}
    return sum(1 for g in plan.goals.all() for s in g.steps.all() if s.status in active)
