"""API schemas for the risk assessment and the sentence plan (framtidsplan)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class RiskFactorIn(Schema):
    area: str
    level: str
    justification: str = Field(..., max_length=1000)


class RiskIn(Schema):
    assessed_on: dt.date
    review_on: dt.date | None = None
    summary: str = Field("", max_length=1000)
    factors: list[RiskFactorIn]


class RiskFactorOut(Schema):
    area: str
    level: str
    justification: str
    assessed_by: str


class RiskAssessmentOut(Schema):
    id: int
    assessed_on: dt.date
    assessed_by: str
    review_on: dt.date
    review_overdue: bool
    summary: str
    current: bool
    factors: list[RiskFactorOut]


class RiskOut(Schema):
    person_id: int
    current: RiskAssessmentOut | None
    history: list[RiskAssessmentOut]


class GoalIn(Schema):
    domain: str
    text: str = Field(..., max_length=500)


class StepIn(Schema):
    text: str = Field(..., max_length=500)
    owner: str
    due_on: dt.date


class StepPatch(Schema):
    status: str


class AgreementIn(Schema):
    agreed: bool
    agreed_on: dt.date | None = None
    person_comment: str = Field("", max_length=1000)


class StepOut(Schema):
    id: int
    goal_id: int
    text: str
    owner: str
    due_on: dt.date
    status: str
    overdue: bool


class GoalOut(Schema):
    id: int
    domain: str
    text: str
    steps: list[StepOut]


class ReviewOut(Schema):
    last_on: dt.date
    due_on: dt.date
    months: int
    final_period: bool
    overdue: bool
    expected_release: dt.date | None
    rule: str


class PlanOut(Schema):
    id: int
    created_on: dt.date
    agreed_by_person: bool
    agreed_on: dt.date | None
    person_comment: str
    review: ReviewOut
    goals: list[GoalOut]


class FramtidsplanOut(Schema):
    person_id: int
    plan: PlanOut | None
