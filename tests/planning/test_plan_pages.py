"""The risk and sentence plan sections of the plan page, their forms, and the printable plan
in nb and en. Time is frozen at 2026-03-02."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from normalitet.audit.models import AuditEvent
from normalitet.custody import services as custody_services
from normalitet.planning.models import PlanGoal, PlanStep, RiskAssessment, SentencePlan

from .helpers import allocated
from .plan_helpers import assessed, planned

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


def _client(user, lang: str = "en") -> Client:
    c = Client(headers={"accept-language": lang})
    c.force_login(user)
    return c


def test_plan_page_shows_risk_and_plan_sections(estate, users, frozen):
    episode = allocated(users, estate, estate.cells_a[0], given_names="Siri")
    co = users["contact_officer"]
    assessed(co, episode, TODAY, review_on=dt.date(2026, 6, 1))
    _plan, _goal, step = planned(co, episode)
    custody_services.expected_release_bulk_set(by_person={episode.person_id: dt.date(2028, 6, 1)})
    body = _client(co).get(f"/persons/{episode.person_id}/plan/").content.decode()
    assert 'id="h-risk"' in body and 'id="h-framtidsplan"' in body
    assert "Tre tidligere dommer for vinningskriminalitet" in body
    assert "To be reviewed by 06/01/2026." in body
    assert "Ha et sted å bo etter løslatelse" in body and "Søke kommunal bolig" in body
    assert "Municipality" in body and "Next review by" in body
    assert f"/plan/framtidsplan/steps/{step.pk}/status/" in body
    assert "style=" not in body


def test_plan_page_without_risk_or_plan_offers_to_start_and_officer_sees_no_forms(
    estate, users, frozen
):
    episode = allocated(users, estate, estate.cells_a[0])
    body = _client(users["contact_officer"]).get(f"/persons/{episode.person_id}/plan/")
    text = body.content.decode()
    assert "No risk assessment yet." in text and "Start the sentence plan" in text
    officer_page = _client(users["officer"]).get(f"/persons/{episode.person_id}/plan/")
    assert officer_page.status_code == 200
    assert "Start the sentence plan" not in officer_page.content.decode()
    assert "/plan/risk/new/" not in officer_page.content.decode()


def test_norwegian_plan_page_renders(estate, users, frozen):
    episode = allocated(users, estate, estate.cells_a[0])
    r = _client(users["contact_officer"], "nb").get(f"/persons/{episode.person_id}/plan/")
    assert r.status_code == 200 and 'lang="nb"' in r.content.decode()


def test_risk_form_records_and_overdue_shows(estate, users, frozen, time_machine):
    episode = allocated(users, estate, estate.cells_a[0])
    c = _client(users["contact_officer"])
    url = f"/persons/{episode.person_id}/plan/risk/new/"
    data = {
        "assessed_on": "2026-03-02",
        "review_on": "2026-04-01",
        "summary": "",
        "escape_level": "low",
        "escape_justification": "Ingen historikk",
        "violence_level": "low",
        "violence_justification": "Ingen hendelser",
        "reoffending_level": "moderate",
        "reoffending_justification": "Én tidligere dom",
        "vulnerability_level": "high",
        "vulnerability_justification": "Gjeld og trusler fra kreditorer",
    }
    r = c.post(url, {**data, "violence_justification": ""})
    assert r.status_code == 400 and RiskAssessment.objects.count() == 0
    r = c.post(url, data)
    assert r.status_code == 302 and r["Location"].endswith("/plan/#h-risk")
    assert RiskAssessment.objects.get().review_on == dt.date(2026, 4, 1)
    time_machine.move_to(dt.datetime(2026, 4, 2, 9, tzinfo=dt.UTC), tick=False)
    c = _client(users["contact_officer"])  # a fresh session a month later
    body = c.get(f"/persons/{episode.person_id}/plan/").content.decode()
    assert "Review overdue" in body and "Gjeld og trusler fra kreditorer" in body
    # The form starts from the current assessment.
    assert "Gjeld og trusler fra kreditorer" in c.get(url).content.decode()


def test_plan_forms_create_goal_step_status_and_agreement(estate, users, frozen):
    episode = allocated(users, estate, estate.cells_a[0])
    c = _client(users["contact_officer"])
    base = f"/persons/{episode.person_id}/plan/framtidsplan/"
    assert c.post(base).status_code == 302
    assert c.post(base).status_code == 409  # a second plan is refused
    plan = SentencePlan.objects.get()
    assert c.get(base + "goals/new/").status_code == 200
    r = c.post(base + "goals/new/", {"domain": "id_bank", "text": "Få bankkonto"})
    assert r.status_code == 302
    goal = PlanGoal.objects.get(plan=plan)
    step_url = f"{base}goals/{goal.pk}/steps/new/"
    r = c.post(step_url, {"text": "Bestille pass", "owner": "person", "due_on": "2026-02-01"})
    assert r.status_code == 400 and PlanStep.objects.count() == 0
    r = c.post(step_url, {"text": "Bestille pass", "owner": "person", "due_on": "2026-04-01"})
    assert r.status_code == 302
    step = PlanStep.objects.get()
    r = c.post(f"{base}steps/{step.pk}/status/", {"status": "in_progress"})
    assert r.status_code == 302 and PlanStep.objects.get().status == "in_progress"
    r = c.post(base + "agreement/", {"agreed": "yes", "agreed_on": "2026-03-02"})
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.agreed_by_person and plan.agreed_on == TODAY
    assert (
        "The person agreed to the plan on"
        in c.get(f"/persons/{episode.person_id}/plan/").content.decode()
    )


def test_goal_or_step_of_another_person_is_404_and_nothing_changes(estate, users, frozen):
    mine = allocated(users, estate, estate.cells_a[0])
    theirs = allocated(users, estate, estate.cells_a[1])
    co = users["contact_officer"]
    _plan, goal, step = planned(co, theirs)
    planned(co, mine)
    c = _client(co)
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    base = f"/persons/{mine.person_id}/plan/framtidsplan/"
    r = c.post(
        f"{base}goals/{goal.pk}/steps/new/", {"text": "x", "owner": "nav", "due_on": "2026-04-01"}
    )
    assert r.status_code == 404
    assert c.post(f"{base}steps/{step.pk}/status/", {"status": "done"}).status_code == 404
    assert PlanStep.objects.get(pk=step.pk).status == "planned"
    assert not AuditEvent.objects.filter(kind="change", pk__gt=last).exists()


@pytest.mark.parametrize(
    ("lang", "title", "words"),
    [
        ("en", "My plan for the future", "Who: municipality."),
        ("nb", "Min framtidsplan", "Hvem: kommunen."),
    ],
)
def test_printable_plan_in_plain_language(estate, users, frozen, lang, title, words):
    episode = allocated(users, estate, estate.cells_a[0], given_names="Siri")
    planned(users["contact_officer"], episode)
    r = _client(users["officer"]).get(
        f"/persons/{episode.person_id}/plan/framtidsplan/print/?lang={lang}"
    )
    body = r.content.decode()
    assert r.status_code == 200 and r["Content-Language"] == lang
    assert f'<html lang="{lang}">' in body
    assert "Søke kommunal bolig" in body and "Siri" in body
    assert "framtidsplan-print.css" in body
    assert "app-header" not in body and "<nav" not in body and "style=" not in body
    if lang == "en":
        assert title in body and words in body


def test_printable_plan_is_404_without_a_plan(estate, users, frozen):
    episode = allocated(users, estate, estate.cells_a[0])
    r = _client(users["contact_officer"]).get(
        f"/persons/{episode.person_id}/plan/framtidsplan/print/"
    )
    assert r.status_code == 404


def test_plan_page_query_count_does_not_grow_with_goals_and_steps(
    estate, users, frozen, django_assert_max_num_queries
):
    from normalitet.planning import plan_services

    episode = allocated(users, estate, estate.cells_a[0])
    co = users["contact_officer"]
    plan, goal, _step = planned(co, episode)
    assessed(co, episode, TODAY)
    c = _client(co)
    url = f"/persons/{episode.person_id}/plan/"
    c.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        c.get(url)
    for i in range(4):
        g = plan_services.plan_goal_add(actor=co, plan=plan, domain="family", text=f"Mål {i}")
        for j in range(3):
            plan_services.plan_step_add(
                actor=co, goal=g, text=f"Steg {j}", owner="ngo", due_on=dt.date(2026, 5, 1)
            )
    assessed(co, episode, TODAY)
    with django_assert_max_num_queries(len(few.captured_queries)):
        c.get(url)


ROLES = [
    "officer",
    "contact_officer",
    "case_manager",
    "facility_leader",
    "health",
    "teacher",
    "regional",
    "national",
    "admin",
    "person_in_custody",
    "visitor",
    "researcher",
]
EDIT = {"contact_officer", "case_manager", "facility_leader"}
VIEW = EDIT | {"officer"}


@pytest.mark.parametrize("role", ROLES)
def test_plan_pages_matrix_with_a_plan(estate, users, frozen, role):
    episode = allocated(users, estate, estate.cells_a[0], given_names="Siri")
    _plan, goal, step = planned(users["case_manager"], episode)
    base = f"/persons/{episode.person_id}/plan/framtidsplan/"
    c = _client(users[role])
    edit_pages = [
        "goals/new/",
        f"goals/{goal.pk}/steps/new/",
        f"steps/{step.pk}/status/",
        "agreement/",
    ]
    for page in edit_pages:
        r = c.get(base + page)
        assert r.status_code == (200 if role in EDIT else 404), page
    r = c.get(base + "print/")
    assert r.status_code == (200 if role in VIEW else 404)
    if role not in VIEW:
        assert "Siri" not in r.content.decode()
    events = AuditEvent.objects.filter(kind="change").count()
    r = c.post(base + f"steps/{step.pk}/status/", {"status": "done"})
    assert r.status_code == (302 if role in EDIT else 404)
    if role not in EDIT:
        assert PlanStep.objects.get(pk=step.pk).status == "planned"
        assert AuditEvent.objects.filter(kind="change").count() == events
