"""The risk assessment and sentence plan (framtidsplan) API under /api/v1/planning/. Same
services and selectors as the pages; the shared error shape; 404 outside the caseload or
without PLAN_VIEW, 403 for writes without PLAN_EDIT (raised by the services)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Router, Status

from normalitet.audit.services import record_access
from normalitet.core import clock
from normalitet.core.errors import DomainError, NotFound
from normalitet.core.schemas import ERRORS
from normalitet.custody.models import CustodyEpisode
from normalitet.identity.models import AuthenticatedRequest
from normalitet.people.models import Person

from . import plan_selectors, plan_services
from .api import plan_person
from .models import PlanGoal, PlanStep, PlanStepStatus, RiskAssessment, SentencePlan
from .plan_schemas import (
    AgreementIn,
    FramtidsplanOut,
    GoalIn,
    GoalOut,
    RiskIn,
    RiskOut,
    StepIn,
    StepOut,
    StepPatch,
)

router = Router(tags=["planning"])
_ACTIVE = {PlanStepStatus.PLANNED, PlanStepStatus.IN_PROGRESS}


def _plan(episode: CustodyEpisode) -> SentencePlan:
    plan = SentencePlan.objects.filter(episode=episode).first()
    if plan is None:
        raise NotFound("The person has no sentence plan yet.")
    return plan


def _name(user: Any) -> str:
    return user.username


def _assessment_out(a: RiskAssessment, today: dt.date) -> dict[str, Any]:
    return {
        "id": a.pk,
        "assessed_on": a.assessed_on,
        "assessed_by": _name(a.assessed_by),
        "review_on": a.review_on,
        "review_overdue": a.review_overdue(today),
        "summary": a.summary,
        "current": a.is_current,
        "factors": [
            {
                "area": f.area,
                "level": f.level,
                "justification": f.justification,
                "assessed_by": _name(f.assessed_by),
            }
            for f in a.factors.all()
        ],
    }


def _risk_out(person: Person, episode: CustodyEpisode) -> dict[str, Any]:
    today = clock.today()
    view = plan_selectors.risk(episode=episode, today=today)
    return {
        "person_id": person.pk,
        "current": _assessment_out(view.current, today) if view.current else None,
        "history": [_assessment_out(a, today) for a in view.history],
    }


@router.get("/persons/{person_id}/risk", response={200: RiskOut, **ERRORS})
def get_risk(request: AuthenticatedRequest, person_id: int) -> Any:
    """The current risk assessment, each area with its level, justification and assessor, and
    the earlier assessments it superseded."""
    person, episode = plan_person(request, person_id)
    record_access(actor=request.user, person_id=person.pk, what="person.plan", reason="api")
    return _risk_out(person, episode)


@router.post("/persons/{person_id}/risk", response={201: RiskOut, **ERRORS})
def post_risk(request: AuthenticatedRequest, person_id: int, body: RiskIn) -> Any:
    """Record a new risk assessment (every area once); the current one becomes history."""
    person, episode = plan_person(request, person_id)
    factors = {f.area: (f.level, f.justification) for f in body.factors}
    if len(factors) != len(body.factors):
        raise DomainError("Each area at most once.", field="factors")
    plan_services.risk_assessment_record(
        actor=request.user,
        episode=episode,
        assessed_on=body.assessed_on,
        review_on=body.review_on,
        summary=body.summary,
        factors=factors,
    )
    return Status(201, _risk_out(person, episode))


def _step_out(s: PlanStep, today: dt.date) -> dict[str, Any]:
    return {
        "id": s.pk,
        "goal_id": s.goal_id,
        "text": s.text,
        "owner": s.owner,
        "due_on": s.due_on,
        "status": s.status,
        "overdue": s.status in _ACTIVE and s.due_on < today,
    }


def _goal_out(g: PlanGoal, today: dt.date) -> dict[str, Any]:
    return {
        "id": g.pk,
        "domain": g.domain,
        "text": g.text,
        "steps": [_step_out(s, today) for s in g.steps.all()],
    }


def _framtidsplan_out(person: Person, episode: CustodyEpisode) -> dict[str, Any]:
    plan = plan_selectors.sentence_plan(episode=episode)
    if plan is None:
        return {"person_id": person.pk, "plan": None}
    today = clock.today()
    review = plan_selectors.plan_review(episode=episode, plan=plan, today=today)
    return {
        "person_id": person.pk,
        "plan": {
            "id": plan.pk,
            "created_on": plan.created_on,
            "agreed_by_person": plan.agreed_by_person,
            "agreed_on": plan.agreed_on,
            "person_comment": plan.person_comment,
            "review": {
                "last_on": review.last_on,
                "due_on": review.due_on,
                "months": review.due.months,
                "final_period": review.due.final_period,
                "overdue": review.overdue,
                "expected_release": review.expected_release,
                "rule": review.due.source,
            },
            "goals": [_goal_out(g, today) for g in plan.goals.all()],
        },
    }


@router.get("/persons/{person_id}/framtidsplan", response={200: FramtidsplanOut, **ERRORS})
def get_framtidsplan(request: AuthenticatedRequest, person_id: int) -> Any:
    """The sentence plan with goals, steps, the person's agreement and the next review
    (scheduled by time left to the expected release). ``plan`` is null before it is made."""
    person, episode = plan_person(request, person_id)
    record_access(actor=request.user, person_id=person.pk, what="person.plan", reason="api")
    return _framtidsplan_out(person, episode)


@router.post("/persons/{person_id}/framtidsplan", response={201: FramtidsplanOut, **ERRORS})
def post_framtidsplan(request: AuthenticatedRequest, person_id: int) -> Any:
    """Start the sentence plan; 409 if the person already has one."""
    person, episode = plan_person(request, person_id)
    plan_services.sentence_plan_create(actor=request.user, episode=episode)
    return Status(201, _framtidsplan_out(person, episode))


@router.post(
    "/persons/{person_id}/framtidsplan/agreement", response={200: FramtidsplanOut, **ERRORS}
)
def post_agreement(request: AuthenticatedRequest, person_id: int, body: AgreementIn) -> Any:
    """Record whether the person agrees with the plan, and their comment."""
    person, episode = plan_person(request, person_id)
    plan_services.plan_agreement_record(actor=request.user, plan=_plan(episode), **body.dict())
    return _framtidsplan_out(person, episode)


@router.post("/persons/{person_id}/framtidsplan/goals", response={201: GoalOut, **ERRORS})
def post_goal(request: AuthenticatedRequest, person_id: int, body: GoalIn) -> Any:
    _person_obj, episode = plan_person(request, person_id)
    goal = plan_services.plan_goal_add(actor=request.user, plan=_plan(episode), **body.dict())
    return Status(201, _goal_out(goal, clock.today()))


@router.post(
    "/persons/{person_id}/framtidsplan/goals/{goal_id}/steps",
    response={201: StepOut, **ERRORS},
)
def post_step(request: AuthenticatedRequest, person_id: int, goal_id: int, body: StepIn) -> Any:
    _person_obj, episode = plan_person(request, person_id)
    goal = PlanGoal.objects.filter(pk=goal_id, plan__episode=episode).first()
    if goal is None:
        raise NotFound("Not found.")
    step = plan_services.plan_step_add(actor=request.user, goal=goal, **body.dict())
    return Status(201, _step_out(step, clock.today()))


@router.patch(
    "/persons/{person_id}/framtidsplan/steps/{step_id}", response={200: StepOut, **ERRORS}
)
def patch_step(request: AuthenticatedRequest, person_id: int, step_id: int, body: StepPatch) -> Any:
    """Change a step's status (planned, in progress, done, cancelled) by the allowed
    transitions."""
    _person_obj, episode = plan_person(request, person_id)
    step = PlanStep.objects.filter(pk=step_id, goal__plan__episode=episode).first()
    if step is None:
        raise NotFound("Not found.")
    step = plan_services.plan_step_status_set(actor=request.user, step=step, status=body.status)
    return _step_out(step, clock.today())
