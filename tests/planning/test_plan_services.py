"""Risk assessment (structured, explained, superseded with history) and the sentence plan
(framtidsplan): goals, steps, status changes and the person's agreement (SGL § 41; RULES.md
§ 10). Time is frozen at 2026-03-02."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from normalitet.audit.models import AuditEvent
from normalitet.core.errors import Conflict, DomainError, PermissionDenied
from normalitet.custody import services as custody_services
from normalitet.planning import plan_selectors, plan_services, services
from normalitet.planning.models import (
    PlanGoal,
    PlanStep,
    RiskAssessment,
    RiskFactor,
    SentencePlan,
)

from ..factories import UserFactory
from .helpers import allocated
from .plan_helpers import FACTORS, assessed, planned

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


def _changes() -> int:
    return AuditEvent.objects.filter(kind="change").count()


def test_risk_assessment_records_every_area_with_its_justification_and_assessor(
    estate, users, frozen
):
    episode = allocated(users, estate, estate.cells_a[0])
    co = users["contact_officer"]
    before = _changes()
    a = assessed(co, episode, TODAY, summary="Motivert for endring")
    assert a.review_on == dt.date(2026, 9, 2)  # six months, the service standard
    factors = list(a.factors.order_by("id"))
    assert [(f.area, f.level, f.assessed_by_id) for f in factors] == [
        ("escape", "low", co.pk),
        ("violence", "moderate", co.pk),
        ("reoffending", "high", co.pk),
        ("vulnerability", "low", co.pk),
    ]
    assert factors[1].justification == "Én episode med trusler i 2023, ingen siden"
    event = AuditEvent.objects.filter(kind="change").latest("id")
    assert _changes() == before + 1
    assert event.action == "planning.risk_assess"
    assert event.data["levels"] == {
        "escape": "low",
        "violence": "moderate",
        "reoffending": "high",
        "vulnerability": "low",
    }
    assert "trusler" not in str(event.data)  # justifications stay in the record


def test_a_new_assessment_supersedes_and_keeps_history_and_unchanged_assessors(
    estate, users, frozen, time_machine
):
    episode = allocated(users, estate, estate.cells_a[0])
    first = assessed(users["contact_officer"], episode, TODAY)
    time_machine.move_to(dt.datetime(2026, 4, 10, 9, tzinfo=dt.UTC), tick=False)
    changed = {**FACTORS, "violence": ("low", "Ingen hendelser på fem uker, deltar i ART")}
    second = assessed(
        users["case_manager"],
        episode,
        dt.date(2026, 4, 10),
        factors=changed,
        review_on=dt.date(2026, 7, 1),
    )
    first.refresh_from_db()
    assert first.superseded_at is not None and second.is_current
    view = plan_selectors.risk(episode=episode, today=dt.date(2026, 4, 10))
    assert view.current == second and [a.pk for a in view.history] == [first.pk]
    by_area = {f.area: f.assessed_by.username for f in second.factors.all()}
    assert by_area == {
        "escape": "contact_officer",
        "violence": "case_manager",
        "reoffending": "contact_officer",
        "vulnerability": "contact_officer",
    }
    assert RiskAssessment.objects.filter(episode=episode).count() == 2


def test_review_overdue_shows_after_the_review_date(estate, users, frozen):
    episode = allocated(users, estate, estate.cells_a[0])
    assessed(users["contact_officer"], episode, TODAY, review_on=dt.date(2026, 4, 1))
    assert not plan_selectors.risk(episode=episode, today=dt.date(2026, 4, 1)).overdue
    assert plan_selectors.risk(episode=episode, today=dt.date(2026, 4, 2)).overdue


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"factors": {**FACTORS, "escape": ("low", "  ")}}, "escape"),
        ({"factors": {k: v for k, v in FACTORS.items() if k != "violence"}}, "violence"),
        ({"factors": {**FACTORS, "violence": ("extreme", "x")}}, "violence"),
        ({"factors": {**FACTORS, "health": ("low", "x")}}, "health"),
        ({"review_on": TODAY}, "review_on"),
        ({"on": TODAY + dt.timedelta(days=1)}, "assessed_on"),
        ({"on": TODAY - dt.timedelta(days=1)}, "assessed_on"),  # before the admission
    ],
)
def test_bad_risk_assessment_is_refused_and_nothing_is_saved(estate, users, frozen, kwargs, field):
    episode = allocated(users, estate, estate.cells_a[0])
    before = _changes()
    on = kwargs.pop("on", TODAY)
    with pytest.raises(DomainError) as exc:
        assessed(users["contact_officer"], episode, on, **kwargs)
    assert exc.value.field == field
    assert RiskAssessment.objects.count() == 0 and RiskFactor.objects.count() == 0
    assert _changes() == before


def test_officer_may_not_record_risk_or_plan(estate, users, frozen):
    episode = allocated(users, estate, estate.cells_a[0])
    with pytest.raises(PermissionDenied):
        assessed(users["officer"], episode, TODAY)
    with pytest.raises(PermissionDenied):
        plan_services.sentence_plan_create(actor=users["officer"], episode=episode)
    assert RiskAssessment.objects.count() == 0 and SentencePlan.objects.count() == 0


def test_plan_goals_and_steps_are_built_with_audit_events(estate, users, frozen):
    episode = allocated(users, estate, estate.cells_a[0])
    before = _changes()
    plan, goal, step = planned(users["contact_officer"], episode)
    assert plan.created_on == TODAY and not plan.agreed_by_person
    assert (goal.domain, step.owner, step.status) == ("housing", "municipality", "planned")
    actions = list(
        AuditEvent.objects.filter(kind="change")
        .order_by("-id")[:3]
        .values_list("action", flat=True)
    )
    assert actions == ["planning.plan_step_add", "planning.plan_goal_add", "planning.plan_create"]
    assert _changes() == before + 3
    with pytest.raises(Conflict):
        plan_services.sentence_plan_create(actor=users["contact_officer"], episode=episode)
    assert SentencePlan.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"text": " "}, "text"),
        ({"owner": "police"}, "owner"),
        ({"due_on": dt.date(2026, 3, 1)}, "due_on"),
    ],
)
def test_bad_step_is_refused(estate, users, frozen, kwargs, field):
    episode = allocated(users, estate, estate.cells_a[0])
    _plan, goal, _step = planned(users["contact_officer"], episode)
    before = _changes()
    args = {"text": "Skaffe bankkort", "owner": "person", "due_on": dt.date(2026, 5, 1), **kwargs}
    with pytest.raises(DomainError) as exc:
        plan_services.plan_step_add(actor=users["contact_officer"], goal=goal, **args)
    assert exc.value.field == field
    assert PlanStep.objects.count() == 1 and _changes() == before


def test_bad_goal_is_refused(estate, users, frozen):
    episode = allocated(users, estate, estate.cells_a[0])
    plan, _goal, _step = planned(users["contact_officer"], episode)
    for domain, text, field in [("pets", "x", "domain"), ("housing", "", "text")]:
        with pytest.raises(DomainError) as exc:
            plan_services.plan_goal_add(
                actor=users["contact_officer"], plan=plan, domain=domain, text=text
            )
        assert exc.value.field == field
    assert PlanGoal.objects.count() == 1


def test_step_status_follows_the_transition_table(estate, users, frozen):
    episode = allocated(users, estate, estate.cells_a[0])
    co = users["contact_officer"]
    _plan, _goal, step = planned(co, episode)
    step = plan_services.plan_step_status_set(actor=co, step=step, status="in_progress")
    step = plan_services.plan_step_status_set(actor=co, step=step, status="done")
    before = _changes()
    with pytest.raises(DomainError) as exc:
        plan_services.plan_step_status_set(actor=co, step=step, status="cancelled")
    assert exc.value.rule == "plan-step-transition"
    with pytest.raises(DomainError):
        plan_services.plan_step_status_set(actor=co, step=step, status="done")
    assert PlanStep.objects.get(pk=step.pk).status == "done" and _changes() == before
    event = AuditEvent.objects.filter(action="planning.plan_step_status").latest("id")
    assert event.data == {"from": "in_progress", "to": "done"}


def test_agreement_is_recorded_with_date_or_comment(estate, users, frozen):
    episode = allocated(users, estate, estate.cells_a[0])
    co = users["contact_officer"]
    plan = plan_services.sentence_plan_create(actor=co, episode=episode)
    with pytest.raises(DomainError):  # nothing to agree to yet
        plan_services.plan_agreement_record(actor=co, plan=plan, agreed=True)
    plan_services.plan_goal_add(
        actor=co, plan=plan, domain="work_education", text="Fullføre fagbrev"
    )
    with pytest.raises(DomainError) as exc:
        plan_services.plan_agreement_record(actor=co, plan=plan, agreed=False)
    assert exc.value.field == "person_comment"
    plan = plan_services.plan_agreement_record(
        actor=co, plan=plan, agreed=False, person_comment="Vil heller jobbe enn gå på skole"
    )
    assert (plan.agreed_by_person, plan.agreed_on) == (False, None)
    plan = plan_services.plan_agreement_record(
        actor=co, plan=plan, agreed=True, person_comment="Enig etter samtalen"
    )
    assert (plan.agreed_by_person, plan.agreed_on) == (True, TODAY)
    assert plan.person_comment == "Enig etter samtalen"
    with pytest.raises(DomainError) as exc:
        plan_services.plan_agreement_record(
            actor=co, plan=plan, agreed=True, agreed_on=TODAY + dt.timedelta(days=1)
        )
    assert exc.value.field == "agreed_on"


def test_plan_review_follows_time_left_and_plan_review_sessions(estate, users, frozen):
    episode = allocated(users, estate, estate.cells_a[0])
    co = users["contact_officer"]
    plan, _goal, _step = planned(co, episode)
    custody_services.expected_release_bulk_set(by_person={episode.person_id: dt.date(2028, 6, 1)})
    episode.refresh_from_db()
    review = plan_selectors.plan_review(episode=episode, plan=plan, today=TODAY)
    assert (review.last_on, review.due_on, review.due.months) == (TODAY, dt.date(2026, 6, 2), 3)
    custody_services.expected_release_bulk_set(by_person={episode.person_id: dt.date(2026, 12, 1)})
    episode.refresh_from_db()
    review = plan_selectors.plan_review(episode=episode, plan=plan, today=TODAY)
    assert (review.due_on, review.due.months, review.overdue) == (dt.date(2026, 4, 2), 1, False)
    with time_machine.travel(dt.datetime(2026, 4, 20, 9, tzinfo=dt.UTC), tick=False):
        review = plan_selectors.plan_review(episode=episode, plan=plan, today=dt.date(2026, 4, 20))
        assert review.overdue
        services.contact_session_record(
            actor=co,
            episode=episode,
            held_on=dt.date(2026, 4, 20),
            kind="plan_review",
            note="Gikk gjennom planen",
        )
        review = plan_selectors.plan_review(episode=episode, plan=plan, today=dt.date(2026, 4, 20))
    assert (review.last_on, review.due_on, review.overdue) == (
        dt.date(2026, 4, 20),
        dt.date(2026, 5, 20),
        False,
    )


def test_released_person_gets_no_new_plan_steps(estate, users, frozen):
    episode = allocated(users, estate, estate.cells_a[0])
    co = users["contact_officer"]
    _plan, goal, _step = planned(co, episode)
    custody_services.release(actor=users["case_manager"], episode=episode, reason="served")
    with pytest.raises(DomainError):
        plan_services.plan_step_add(
            actor=co, goal=goal, text="x", owner="person", due_on=dt.date(2026, 5, 1)
        )
    assert PlanStep.objects.count() == 1


def test_second_contact_officer_is_named_only_for_what_they_assessed(estate, users, frozen):
    episode = allocated(users, estate, estate.cells_a[0])
    other = UserFactory(username="co2", role="contact_officer", facility=estate.high)
    assessed(users["contact_officer"], episode, TODAY)
    a = assessed(other, episode, TODAY)  # same day, same factors: assessors are kept
    assert {f.assessed_by_id for f in a.factors.all()} == {users["contact_officer"].pk}
    assert a.assessed_by_id == other.pk
