"""The risk and sentence plan API under /api/v1/planning/: round trips, the shared error shape,
404 outside the caseload or without PLAN_VIEW, 403 for writes without PLAN_EDIT, and nothing
changed on refusal. Time is frozen at 2026-03-02."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from normalitet.audit.models import AuditEvent
from normalitet.planning.models import PlanGoal, PlanStep, RiskAssessment, SentencePlan

from ..custody.helpers import admitted
from .helpers import allocated
from .plan_helpers import FACTORS, assessed, planned

pytestmark = pytest.mark.django_db
EDIT = {"contact_officer", "case_manager", "facility_leader"}
VIEW = EDIT | {"officer"}
RISK = {
    "assessed_on": "2026-03-02",
    "summary": "Stabil",
    "factors": [{"area": a, "level": lv, "justification": j} for a, (lv, j) in FACTORS.items()],
}


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _send(client, method, url, body):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def _changes() -> int:
    return AuditEvent.objects.filter(kind="change").count()


def test_risk_round_trip_with_history(estate, users, frozen):
    episode = allocated(users, estate, estate.cells_a[0])
    c = _client(users["contact_officer"])
    url = f"/api/v1/planning/persons/{episode.person_id}/risk"
    assert c.get(url).json() == {"person_id": episode.person_id, "current": None, "history": []}
    r = _send(c, "post", url, RISK)
    assert r.status_code == 201, r.content
    current = r.json()["current"]
    assert current["review_on"] == "2026-09-02" and current["review_overdue"] is False
    assert [(f["area"], f["level"], f["assessed_by"]) for f in current["factors"]] == [
        ("escape", "low", "contact_officer"),
        ("violence", "moderate", "contact_officer"),
        ("reoffending", "high", "contact_officer"),
        ("vulnerability", "low", "contact_officer"),
    ]
    r = _send(c, "post", url, {**RISK, "review_on": "2026-05-01"})
    listed = c.get(url).json()
    assert listed["current"]["review_on"] == "2026-05-01"
    assert [h["current"] for h in listed["history"]] == [False]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({**RISK, "factors": RISK["factors"][:3]}, 400, "vulnerability"),
        ({**RISK, "factors": [*RISK["factors"], RISK["factors"][0]]}, 400, "factors"),
        ({**RISK, "assessed_on": "2026-03-03"}, 400, "assessed_on"),
        ({**RISK, "review_on": "2026-03-01"}, 400, "review_on"),
        ({**RISK, "assessed_on": "yesterday"}, 422, "assessed_on"),
    ],
)
def test_bad_risk_gets_the_error_shape_and_changes_nothing(
    estate, users, frozen, body, status, field
):
    episode = allocated(users, estate, estate.cells_a[0])
    before = _changes()
    r = _send(
        _client(users["contact_officer"]),
        "post",
        f"/api/v1/planning/persons/{episode.person_id}/risk",
        body,
    )
    assert r.status_code == status
    assert r.json()["errors"][0]["field"] == field
    assert set(r.json()["errors"][0]) == {"field", "message", "rule"}
    assert RiskAssessment.objects.count() == 0 and _changes() == before


def test_framtidsplan_round_trip(estate, users, frozen):
    episode = allocated(users, estate, estate.cells_a[0])
    c = _client(users["contact_officer"])
    base = f"/api/v1/planning/persons/{episode.person_id}/framtidsplan"
    assert c.get(base).json() == {"person_id": episode.person_id, "plan": None}
    r = c.post(base)
    assert r.status_code == 201 and r.json()["plan"]["review"]["due_on"] == "2026-06-02"
    assert c.post(base).status_code == 409
    r = _send(c, "post", f"{base}/goals", {"domain": "housing", "text": "Egen leilighet"})
    assert r.status_code == 201, r.content
    goal_id = r.json()["id"]
    r = _send(
        c,
        "post",
        f"{base}/goals/{goal_id}/steps",
        {"text": "Søke startlån", "owner": "nav", "due_on": "2026-03-10"},
    )
    assert r.status_code == 201 and r.json()["status"] == "planned"
    step_id = r.json()["id"]
    r = _send(c, "patch", f"{base}/steps/{step_id}", {"status": "in_progress"})
    assert r.status_code == 200 and r.json()["status"] == "in_progress"
    r = _send(c, "patch", f"{base}/steps/{step_id}", {"status": "paused"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "status"
    r = _send(c, "post", f"{base}/agreement", {"agreed": True, "person_comment": "Enig"})
    assert r.status_code == 200
    plan = c.get(base).json()["plan"]
    assert plan["agreed_by_person"] is True and plan["agreed_on"] == "2026-03-02"
    assert plan["goals"] == [
        {
            "id": goal_id,
            "domain": "housing",
            "text": "Egen leilighet",
            "steps": [
                {
                    "id": step_id,
                    "goal_id": goal_id,
                    "text": "Søke startlån",
                    "owner": "nav",
                    "due_on": "2026-03-10",
                    "status": "in_progress",
                    "overdue": False,
                }
            ],
        }
    ]
    assert plan["review"]["rule"].startswith("SGL § 41")


def test_goal_without_plan_and_foreign_goal_or_step_are_404(estate, users, frozen):
    mine = allocated(users, estate, estate.cells_a[0])
    theirs = allocated(users, estate, estate.cells_a[1])
    c = _client(users["contact_officer"])
    base = f"/api/v1/planning/persons/{mine.person_id}/framtidsplan"
    r = _send(c, "post", f"{base}/goals", {"domain": "housing", "text": "x"})
    assert r.status_code == 404
    _plan, goal, step = planned(users["contact_officer"], theirs)
    planned(users["contact_officer"], mine)
    before = _changes()
    r = _send(
        c,
        "post",
        f"{base}/goals/{goal.pk}/steps",
        {"text": "x", "owner": "nav", "due_on": "2026-04-01"},
    )
    assert r.status_code == 404
    r = _send(c, "patch", f"{base}/steps/{step.pk}", {"status": "done"})
    assert r.status_code == 404
    assert PlanStep.objects.get(pk=step.pk).status == "planned" and _changes() == before


@pytest.mark.parametrize(
    "role",
    sorted(
        {
            "officer",
            "contact_officer",
            "case_manager",
            "facility_leader",
            "health",
            "teacher",
            "regional",
            "admin",
            "person_in_custody",
        }
    ),
)
def test_api_matrix_for_risk_and_plan(estate, users, frozen, role):
    episode = allocated(users, estate, estate.cells_a[0])
    _plan, goal, step = planned(users["case_manager"], episode)
    assessed(users["case_manager"], episode, frozen.date())
    c = _client(users[role])
    base = f"/api/v1/planning/persons/{episode.person_id}"
    before = (_changes(), PlanGoal.objects.count(), RiskAssessment.objects.count())
    reads = [c.get(f"{base}/risk"), c.get(f"{base}/framtidsplan")]
    writes = [
        _send(c, "post", f"{base}/risk", RISK),
        _send(c, "post", f"{base}/framtidsplan/goals", {"domain": "family", "text": "Besøk"}),
        _send(
            c,
            "post",
            f"{base}/framtidsplan/goals/{goal.pk}/steps",
            {"text": "x", "owner": "ngo", "due_on": "2026-04-01"},
        ),
        _send(c, "patch", f"{base}/framtidsplan/steps/{step.pk}", {"status": "done"}),
    ]
    if role in VIEW:
        assert [r.status_code for r in reads] == [200, 200]
    else:
        assert [r.status_code for r in reads] == [404, 404]
        assert all("Søke kommunal bolig" not in r.content.decode() for r in reads)
    if role in EDIT:
        assert [r.status_code for r in writes] == [201, 201, 201, 200]
    else:
        expected = 403 if role in VIEW else 404
        assert [r.status_code for r in writes] == [expected] * 4
        assert (_changes(), PlanGoal.objects.count(), RiskAssessment.objects.count()) == before


def test_outside_the_caseload_is_404(estate, users, frozen):
    other = admitted(users, estate.lower, estate.lower_cells[0])
    c = _client(users["case_manager"])
    for path in ("risk", "framtidsplan"):
        r = c.get(f"/api/v1/planning/persons/{other.person_id}/{path}")
        missing = c.get(f"/api/v1/planning/persons/999999/{path}")
        assert r.status_code == missing.status_code == 404 and r.json() == missing.json()
    assert c.post(f"/api/v1/planning/persons/{other.person_id}/framtidsplan").status_code == 404
    assert SentencePlan.objects.count() == 0
