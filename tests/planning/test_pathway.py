"""The way home: steps with their legal dates and statuses, decisions with reasons, and the
facility's list of persons eligible for a less restrictive form who have not been moved."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from normalitet.core.errors import DomainError, PermissionDenied
from normalitet.planning.models import PathwayDecision
from normalitet.planning.pathway import (
    less_restrictive_candidates,
    pathway_decision_record,
    person_pathway,
)
from normalitet.sentencing import services as sentencing

from ..custody.helpers import admitted

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def sentenced(estate, users, time_machine):
    """Serving one year from 1 January 2026: lower security to be considered from the start,
    leave from 2 May 2026 (one-third), parole 1 September 2026 -- as of 24 November 2026
    everything but the end of the sentence (31 December) has come."""
    time_machine.move_to(TODAY, tick=False)
    ep = admitted(users, estate.high, estate.cells_a[0], given_names="Vidar")
    cm = users["case_manager"]
    ex = sentencing.execution_start(actor=cm, person=ep.person, start_date=dt.date(2026, 1, 1))
    sentencing.judgment_add(
        actor=cm,
        execution=ex,
        court="X",
        case_number="1",
        judgment_date=dt.date(2025, 11, 1),
        date_final=None,
        sentences=[{"kind": "prison", "years": 1}],
    )
    return ep


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_steps_follow_the_legal_dates(sentenced):
    steps = {s.milestone: s for s in person_pathway(episode=sentenced).steps}
    assert steps["leave"].date == dt.date(2026, 5, 2) and steps["leave"].status == "eligible"
    assert steps["parole"].date == dt.date(2026, 9, 1)
    assert steps["expiry"].status == "not_yet"
    # a one-year sentence: the halfway house is to be considered (SGL § 11)
    assert steps["halfway_house"].date == dt.date(2026, 1, 1)


def test_remand_has_steps_without_dates(estate, users):
    ep = admitted(users, estate.high, estate.cells_a[1])
    p = person_pathway(episode=ep)
    assert not p.has_dates and {s.status for s in p.steps} == {"none"}
    assert p.plan_needs  # the needs mapping is not completed


def test_eligible_not_moved_needs_a_reason(sentenced, users, estate):
    cm = users["case_manager"]
    found = less_restrictive_candidates(actor=cm, facility=estate.high)
    assert [c.episode.pk for c in found] == [sentenced.pk] and found[0].reason is None
    eligible = {s.milestone for s in found[0].steps}
    assert eligible == {"lower_security", "section_16", "electronic_monitoring"}
    pathway_decision_record(
        actor=cm,
        episode=sentenced,
        milestone="lower_security",
        status="not_suitable",
        decided_on=dt.date(2026, 11, 20),
        reason="Escape risk assessed as high; review in March",
    )
    found = less_restrictive_candidates(actor=cm, facility=estate.high)
    assert found[0].reason.reason.startswith("Escape risk")
    for milestone in ("section_16", "electronic_monitoring"):
        pathway_decision_record(
            actor=cm,
            episode=sentenced,
            milestone=milestone,
            status="applied",
            decided_on=dt.date(2026, 11, 21),
            reason="Application sent",
        )
    pathway_decision_record(
        actor=cm,
        episode=sentenced,
        milestone="lower_security",
        status="applied",
        decided_on=dt.date(2026, 11, 22),
        reason="Application sent to the region",
    )
    assert less_restrictive_candidates(actor=cm, facility=estate.high) == []


def test_a_date_that_does_not_apply_is_no_step(sentenced, users, estate):
    """A sentence that excludes electronic monitoring has no EM date (null in the result):
    the list reads it as no date, on SQLite as on PostgreSQL."""
    cm = users["case_manager"]
    other = admitted(users, estate.high, estate.cells_a[1], given_names="Unntatt")
    ex = sentencing.execution_start(actor=cm, person=other.person, start_date=dt.date(2026, 1, 1))
    sentencing.judgment_add(
        actor=cm,
        execution=ex,
        court="X",
        case_number="2",
        judgment_date=dt.date(2025, 11, 1),
        date_final=None,
        sentences=[{"kind": "prison", "years": 1, "excluded_from_em": True}],
    )
    found = {c.episode.pk: c for c in less_restrictive_candidates(actor=cm, facility=estate.high)}
    assert {s.milestone for s in found[other.pk].steps} == {"lower_security", "section_16"}
    assert {s.milestone for s in found[sentenced.pk].steps} == {
        "lower_security",
        "section_16",
        "electronic_monitoring",
    }


def test_a_decision_needs_a_reason_and_an_editor(sentenced, users):
    with pytest.raises(DomainError):
        pathway_decision_record(
            actor=users["case_manager"],
            episode=sentenced,
            milestone="leave",
            status="granted",
            decided_on=dt.date(2026, 11, 1),
            reason=" ",
        )
    with pytest.raises(PermissionDenied):
        pathway_decision_record(
            actor=users["officer"],
            episode=sentenced,
            milestone="leave",
            status="granted",
            decided_on=dt.date(2026, 11, 1),
            reason="x",
        )
    assert PathwayDecision.objects.count() == 0


def test_pages_and_api(sentenced, users, estate):
    c = _client(users["case_manager"])
    body = c.get(f"/persons/{sentenced.person_id}/pathway/").content.decode()
    assert 'id="step-parole"' in body and "SGL § 42" in body
    r = c.post(
        f"/persons/{sentenced.person_id}/pathway/decisions/new/",
        {
            "milestone": "leave",
            "status": "granted",
            "decided_on": "2026-11-23",
            "reason": "First ordinary leave, 3 days",
        },
    )
    assert r.status_code == 302
    body = c.get(f"/planning/facilities/{estate.high.pk}/less-restrictive/").content.decode()
    assert "Vidar" in body and "No reason recorded" in body
    r = c.get(f"/api/v1/planning/persons/{sentenced.person_id}/pathway")
    steps = {s["milestone"]: s for s in r.json()["steps"]}
    assert steps["leave"]["status"] == "granted"
    r = c.post(
        f"/api/v1/planning/persons/{sentenced.person_id}/pathway/decisions",
        json.dumps({"milestone": "parole", "status": "maybe", "reason": "x"}),
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "status"
    r = c.get(f"/api/v1/planning/facilities/{estate.high.pk}/less-restrictive")
    assert [x["person_id"] for x in r.json()] == [sentenced.person_id]
    assert (
        _client(users["teacher"])
        .get(f"/api/v1/planning/persons/{sentenced.person_id}/pathway")
        .status_code
        == 404
    )


def test_less_restrictive_list_costs_the_same_for_more_persons(sentenced, users, estate):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from normalitet.custody import services as custody
    from normalitet.sentencing.demo import seed_sentences

    from ..factories import PersonFactory

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            found = less_restrictive_candidates(actor=users["case_manager"], facility=estate.high)
        return len(ctx.captured_queries), len(found)

    few = queries()
    for _ in range(6):
        custody.admit(
            actor=users["case_manager"],
            person=PersonFactory(),
            legal_status="sentenced",
            facility=estate.high,
            admitted_at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
        )
    seed_sentences()
    many = queries()
    assert many[0] == few[0] == 3 and many[1] > few[1]
