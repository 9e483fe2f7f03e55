"""What the person page shows of the health service: the observation level in force (danger when
a check is overdue), fit for work when restricted or not fit, and a link to log a health
request. Nothing else of health; health staff keep their minimal page."""

from __future__ import annotations

import datetime as dt

import pytest

from normalitet.audit.models import AuditEvent

from ..health.helpers import patient
from ..regime.helpers import client_for
from ..regime.test_health_facts_rows import (
    assert_main_log_clean,
    assert_nothing_clinical,
    check,
    fitness,
    observation,
)

pytestmark = pytest.mark.django_db


def _person_page(user, episode) -> str:
    response = client_for(user).get(f"/persons/{episode.person_id}/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_overdue_observation_is_a_danger_alert_linking_to_the_checks(estate, users, frozen):
    ep = patient(users, estate)
    observation(ep)  # from 10:00 in Oslo, every 15 minutes: due 10:15, now 10:30
    body = _person_page(users["officer"], ep)
    alert = body.split('id="observation"')[1].split("</div>")[0]
    assert body.count('id="observation"') == 1
    assert 'data-color="danger"' in body.split('id="observation"')[0].rsplit("<div", 1)[1]
    assert ("Under observation: Close — check every 15 minutes; next check due 10:15") in alert
    assert "The check is overdue by 15 minutes." in alert
    assert f'href="/health/watch/{ep.person_id}/"' in alert
    assert_nothing_clinical(body)


def test_a_check_in_time_is_a_warning_with_the_next_due_time(estate, users, frozen):
    ep = patient(users, estate)
    check(observation(ep, level="frequent", interval=30), frozen - dt.timedelta(minutes=5))
    body = _person_page(users["contact_officer"], ep)
    head = body.split('id="observation"')[0].rsplit("<div", 1)[1]
    assert 'data-color="warning"' in head
    assert "check every 30 minutes; next check due 10:55" in body
    assert "overdue" not in body
    assert_nothing_clinical(body)


def test_no_alert_without_an_observation_in_force(estate, users, frozen):
    ep = patient(users, estate)
    obs = observation(ep)
    obs.ended_at = frozen
    obs.save()
    body = _person_page(users["officer"], ep)
    assert 'id="observation"' not in body and "Under observation" not in body


@pytest.mark.parametrize(
    ("value", "shown"), [("restricted", "restricted"), ("unfit", "not fit"), ("fit", None)]
)
def test_fit_for_work_is_shown_when_restricted_or_not_fit(estate, users, frozen, value, shown):
    ep = patient(users, estate)
    fitness(ep, value)
    body = _person_page(users["case_manager"], ep)
    if shown is None:
        assert 'id="work-fitness"' not in body
    else:
        line = body.split('id="work-fitness"')[1].split("</p>")[0]
        assert "Fit for work" in line and f">{shown}</span>" in line
    assert_nothing_clinical(body)


def test_a_statement_that_has_ended_is_not_shown(estate, users, frozen):
    ep = patient(users, estate)
    fitness(ep, "unfit", valid_to=dt.date(2026, 3, 1))
    assert 'id="work-fitness"' not in _person_page(users["officer"], ep)


def test_unit_staff_get_the_link_to_log_a_health_request(estate, users, frozen):
    ep = patient(users, estate)
    for role in ("officer", "contact_officer", "case_manager", "facility_leader"):
        body = _person_page(users[role], ep)
        assert f'href="/health/persons/{ep.person_id}/request/">Log a health request</a>' in body


def test_health_staff_keep_the_minimal_page(estate, users, frozen):
    ep = patient(users, estate)
    observation(ep)
    fitness(ep, "unfit")
    body = _person_page(users["health"], ep)
    assert "Your role sees only the person's name, date of birth and location." in body
    for absent in (
        'id="observation"',
        "Under observation",
        'id="work-fitness"',
        "Fit for work",
        "Log a health request",
        "Next of kin",
        "Alerts",
    ):
        assert absent not in body, absent
    assert_nothing_clinical(body)


def test_nothing_clinical_reaches_the_main_audit_log(estate, users, frozen):
    ep = patient(users, estate)
    observation(ep)
    fitness(ep, "unfit")
    for role in ("officer", "health"):
        _person_page(users[role], ep)
    assert AuditEvent.objects.filter(action="view.person", person_id=ep.person_id).exists()
    assert_main_log_clean()
