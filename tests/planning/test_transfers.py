"""Placement recommendation and transfer cases, through the services, the pages and the API:
propose with the day's recommendation, decide at the right level with the appeal deadline,
carry out as a custody movement; the contact officer allocation ends with the transfer."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from normalitet.audit.models import AuditEvent
from normalitet.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from normalitet.custody import services as custody
from normalitet.custody.models import CustodyEpisode, Movement
from normalitet.estate.models import Municipality, SecurityLevel
from normalitet.identity.models import User
from normalitet.identity.roles import Role
from normalitet.people.models import NonAssociation
from normalitet.planning import services, transfers
from normalitet.planning.models import ContactOfficerAllocation, TransferCase
from normalitet.planning.placement import placement_for

from ..custody.helpers import admitted
from ..factories import FacilityFactory, RegionFactory
from .helpers import serving
from .plan_helpers import assessed

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def person(estate, users, time_machine):
    """Serving 18 months from 1 January 2026 in high security, risk assessed (violence
    moderate), with a contact officer: lower security is to be considered (SGL § 11)."""
    time_machine.move_to(NOW, tick=False)
    cm = users["case_manager"]
    home = Municipality.objects.create(number="3201", name="Bærum", latitude=59.89, longitude=10.52)
    estate.high.latitude, estate.high.longitude = 69.65, 18.96  # far north
    estate.high.save()
    estate.lower.latitude, estate.lower.longitude = 59.95, 10.60
    estate.lower.save()
    ep = admitted(
        users, estate.high, estate.cells_a[0], given_names="Vidar", home_municipality=home
    )
    serving(cm, ep, months=18)
    assessed(cm, ep, dt.date(2026, 11, 24))
    services.contact_officer_allocate(
        actor=cm, episode=ep, officer=users["contact_officer"], reason="arrival"
    )
    return CustodyEpisode.objects.get(pk=ep.pk)


def _propose(users, estate, episode, **kw):
    args = {
        "to_facility": estate.lower,
        "reason": "progression",
        "justification": "Stabil, i arbeid, nær familien i Bærum.",
    }
    args.update(kw)
    return transfers.transfer_propose(actor=users["case_manager"], episode=episode, **args)


def test_recommendation_uses_dates_risk_and_home(person, estate):
    p = placement_for(episode=person)
    assert p.recommendation.level == SecurityLevel.LOWER
    codes = [r.code for r in p.reasons]
    assert codes == ["consider.lower_short", "consider.lower_date", "risk.moderate", "level.lower"]
    best = p.recommendation.best
    assert best is not None and best.option.facility_id == estate.lower.pk
    assert best.option.free_places == 2 and 5 < best.option.distance_km < 10
    assert p.decision_level == "facility" and p.home.name == "Bærum"


def test_no_risk_assessment_keeps_the_recommendation_at_high(estate, users, time_machine):
    time_machine.move_to(NOW, tick=False)
    ep = admitted(users, estate.high, estate.cells_a[1])
    serving(users["case_manager"], ep, months=6)
    p = placement_for(episode=ep)
    assert p.recommendation.level == SecurityLevel.HIGH
    assert "risk.missing" in [r.code for r in p.reasons]


def test_propose_keeps_the_recommendation_and_the_deciding_level(person, users, estate):
    case = _propose(users, estate, person)
    assert case.status == "proposed" and case.decision_level == "facility"
    assert case.recommendation["level"] == "lower" and case.recommendation["follows_recommendation"]
    assert [r["code"] for r in case.recommendation["reasons"]][0] == "consider.lower_short"
    assert AuditEvent.objects.filter(action="planning.transfer_proposed").count() == 1


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"justification": "  "}, "justification"),
        ({"reason": "whim"}, "reason"),
    ],
)
def test_bad_proposals_change_nothing(person, users, estate, kw, field):
    with pytest.raises(DomainError) as err:
        _propose(users, estate, person, **kw)
    assert err.value.field == field
    assert not TransferCase.objects.exists()


def test_not_to_the_same_facility_nor_twice(person, users, estate):
    with pytest.raises(DomainError) as err:
        _propose(users, estate, person, to_facility=estate.high)
    assert err.value.field == "to_facility"
    _propose(users, estate, person)
    with pytest.raises(Conflict):
        _propose(users, estate, person)
    assert TransferCase.objects.count() == 1


def test_not_where_someone_must_be_kept_apart(person, users, estate):
    other = admitted(users, estate.lower, estate.lower_cells[0])
    a, b = sorted([person.person_id, other.person_id])
    NonAssociation.objects.create(
        person_a_id=a, person_b_id=b, scope="facility", reason="Vitne", created_by=users["admin"]
    )
    best = placement_for(episode=person).recommendation.facilities[0]
    assert not best.suitable
    with pytest.raises(Conflict):
        _propose(users, estate, person)
    assert not TransferCase.objects.exists()


def test_contact_officer_may_not_propose(person, users, estate):
    with pytest.raises(PermissionDenied):
        transfers.transfer_propose(
            actor=users["contact_officer"],
            episode=person,
            to_facility=estate.lower,
            reason="progression",
            justification="x",
        )


def test_decide_states_the_appeal_deadline_and_execute_moves(person, users, estate):
    cm = users["case_manager"]
    case = _propose(users, estate, person)
    with pytest.raises(DomainError) as err:
        transfers.transfer_decide(actor=cm, case=case, granted=True, reasons=" ")
    assert err.value.field == "reasons"
    case = transfers.transfer_decide(actor=cm, case=case, granted=True, reasons="Godt grunnlag.")
    assert case.status == "granted"
    assert case.appeal_deadline == dt.date(2026, 12, 1) and case.appeal_rule == "SGL § 7 e"
    with pytest.raises(Conflict):
        transfers.transfer_decide(actor=cm, case=case, granted=False, reasons="Nei")
    # the receiving facility's free places count the person as on their way
    assert placement_for(episode=person).recommendation.facilities[0].option.free_places == 1

    case = transfers.transfer_execute(actor=cm, case=case)
    assert case.status == "executed" and case.executed_by == cm
    moved = CustodyEpisode.objects.get(pk=person.pk)
    assert moved.facility == estate.lower and moved.contact_officer is None
    assert Movement.objects.filter(episode=moved, kind="transfer").count() == 1
    allocation = ContactOfficerAllocation.objects.get(episode=person)
    assert allocation.ended_at is not None and allocation.end_reason == "transferred"
    # the sending facility keeps the case; the receiving one sees it too
    assert transfers.case_for(cm, case.pk) == case
    assert transfers.case_for(users["lower_case_manager"], case.pk) == case


def test_a_refusal_also_has_an_appeal_deadline_and_cannot_be_executed(person, users, estate):
    cm = users["case_manager"]
    case = _propose(users, estate, person)
    case = transfers.transfer_decide(actor=cm, case=case, granted=False, reasons="Ikke nå.")
    assert case.status == "refused" and case.appeal_deadline == dt.date(2026, 12, 1)
    with pytest.raises(Conflict):
        transfers.transfer_execute(actor=cm, case=case)
    assert CustodyEpisode.objects.get(pk=person.pk).facility == estate.high


@pytest.fixture
def long_sentence(estate, users, time_machine):
    """Twelve years: the regional office decides (over 10 years)."""
    time_machine.move_to(NOW, tick=False)
    ep = admitted(users, estate.high, estate.cells_a[1], given_names="Lang")
    serving(users["case_manager"], ep, years=12)
    return ep


def test_the_regional_office_decides_long_sentences(long_sentence, users, estate):
    case = _propose(users, estate, long_sentence)
    assert case.decision_level == "regional" and case.decision_level_rule == "RULES.md § 6"
    with pytest.raises(PermissionDenied):
        transfers.transfer_decide(actor=users["case_manager"], case=case, granted=True, reasons="x")
    regional = users["regional"]
    assert transfers.case_for(regional, case.pk) == case
    other_region = User.objects.create(
        username="vest", role=Role.REGIONAL, region=RegionFactory(code="VST")
    )
    with pytest.raises(NotFound):
        transfers.case_for(other_region, case.pk)
    case = transfers.transfer_decide(actor=regional, case=case, granted=True, reasons="Ok.")
    assert case.status == "granted" and case.decided_by == regional
    # the regional office decides but does not move people
    with pytest.raises(PermissionDenied):
        transfers.transfer_execute(actor=regional, case=case)


def test_regional_sees_only_cases_it_decides(person, long_sentence, users, estate):
    _propose(users, estate, person)
    regional_case = _propose(users, estate, long_sentence)
    assert list(transfers.cases_for(users["regional"])) == [regional_case]
    assert list(transfers.cases_for(users["health"])) == []


def test_a_direct_transfer_closes_open_cases(person, users, estate):
    case = _propose(users, estate, person)
    elsewhere = FacilityFactory(region=estate.region, code="OTR")
    custody.transfer(
        actor=users["case_manager"], episode=person, to_facility=elsewhere, reason="Sikkerhet"
    )
    case.refresh_from_db()
    assert case.status == "withdrawn" and case.closed_note


def test_release_ends_the_contact_officer_allocation(person, users):
    custody.release(actor=users["case_manager"], episode=person, reason="served")
    allocation = ContactOfficerAllocation.objects.get(episode=person)
    assert allocation.end_reason == "released"


def test_withdraw(person, users, estate):
    case = _propose(users, estate, person)
    with pytest.raises(DomainError):
        transfers.transfer_withdraw(actor=users["case_manager"], case=case, note="")
    case = transfers.transfer_withdraw(actor=users["case_manager"], case=case, note="Ønsker å bli")
    assert case.status == "withdrawn"
    with pytest.raises(Conflict):
        transfers.transfer_withdraw(actor=users["case_manager"], case=case, note="igjen")


# --- Pages ------------------------------------------------------------------------------------


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_placement_page_shows_the_recommendation(person, users):
    r = _client(users["officer"]).get(f"/persons/{person.person_id}/placement/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Lower security" in html and "Lyngmo fengsel" in html and "SGL § 11" in html
    assert "Propose a transfer" not in html  # officers see, case managers propose


def test_propose_decide_execute_through_the_pages(person, users, estate):
    c = _client(users["case_manager"])
    url = f"/persons/{person.person_id}/placement/transfers/new/"
    form = c.get(url)
    assert form.status_code == 200
    assert f'<option value="{estate.lower.pk}" selected>' in form.content.decode()
    bad = c.post(
        url, {"to_facility": estate.lower.pk, "reason": "progression", "justification": ""}
    )
    assert bad.status_code == 400 and not TransferCase.objects.exists()
    r = c.post(
        url,
        {"to_facility": estate.lower.pk, "reason": "progression", "justification": "Klar for det."},
    )
    case = TransferCase.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/planning/transfers/{case.pk}/"
    page = c.get(r["Location"]).content.decode()
    assert "Record the decision" in page
    r = c.post(f"/planning/transfers/{case.pk}/decision/", {"decision": "granted", "reasons": ""})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == "proposed"  # no reasons: nothing decided
    c.post(f"/planning/transfers/{case.pk}/decision/", {"decision": "granted", "reasons": "Ja."})
    case.refresh_from_db()
    assert case.status == "granted"
    letter = c.get(f"/planning/transfers/{case.pk}/letter/?lang=en").content.decode()
    assert "You are transferred from Fjellvik fengsel to Lyngmo fengsel" in letter
    assert "within 7 days" in letter and "SGL § 7 e" in letter
    assert "the regional office, Region øst" in letter
    r = c.post(f"/planning/transfers/{case.pk}/execute/")
    assert r.status_code == 302
    assert CustodyEpisode.objects.get(pk=person.pk).facility == estate.lower


def test_regional_queue_and_decision_page(long_sentence, users, estate):
    case = _propose(users, estate, long_sentence)
    c = _client(users["regional"])
    queue = c.get("/planning/transfers/").content.decode()
    assert "1 case awaits your decision." in queue and long_sentence.person.full_name in queue
    page = c.get(f"/planning/transfers/{case.pk}/").content.decode()
    assert "Record the decision" in page
    # the case manager sees the case but not the decision form
    cm_page = _client(users["case_manager"]).get(f"/planning/transfers/{case.pk}/")
    assert "Record the decision" not in cm_page.content.decode()
    assert "The regional office decides this transfer" in cm_page.content.decode()


def test_letter_only_after_a_decision(person, users, estate):
    case = _propose(users, estate, person)
    r = _client(users["case_manager"]).get(f"/planning/transfers/{case.pk}/letter/")
    assert r.status_code == 404


# --- API --------------------------------------------------------------------------------------


def _post(c, url, body):
    return c.post(url, json.dumps(body), content_type="application/json")


def test_api_placement_and_transfer(person, users, estate):
    c = _client(users["case_manager"])
    r = c.get(f"/api/v1/planning/persons/{person.person_id}/placement")
    assert r.status_code == 200
    body = r.json()
    assert body["recommended_level"] == "lower" and body["decision_level"] == "facility"
    assert body["facilities"][0]["facility_id"] == estate.lower.pk
    assert body["facilities"][0]["suitable"] is True
    bad = _post(
        c,
        f"/api/v1/planning/persons/{person.person_id}/transfers",
        {"to_facility_id": estate.lower.pk, "reason": "progression", "justification": ""},
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "justification"
    missing = _post(
        c,
        f"/api/v1/planning/persons/{person.person_id}/transfers",
        {"to_facility_id": 999999, "reason": "progression", "justification": "x"},
    )
    assert missing.status_code == 404 and not TransferCase.objects.exists()
    r = _post(
        c,
        f"/api/v1/planning/persons/{person.person_id}/transfers",
        {"to_facility_id": estate.lower.pk, "reason": "progression", "justification": "Klar."},
    )
    assert r.status_code == 201
    case_id = r.json()["id"]
    assert r.json()["recommended_level"] == "lower"
    r = _post(
        c, f"/api/v1/planning/transfers/{case_id}/decision", {"decision": "maybe", "reasons": "x"}
    )
    assert r.status_code == 422
    r = _post(
        c,
        f"/api/v1/planning/transfers/{case_id}/decision",
        {"decision": "granted", "reasons": "Ja"},
    )
    assert r.status_code == 200 and r.json()["appeal_deadline"] == "2026-12-01"
    r = _post(c, f"/api/v1/planning/transfers/{case_id}/execute", {})
    assert r.status_code == 200 and r.json()["status"] == "executed"
    assert c.get("/api/v1/planning/transfers").json() == []
    assert len(c.get("/api/v1/planning/transfers?status=all").json()) == 1


def test_api_regional(long_sentence, users, estate):
    case = _propose(users, estate, long_sentence)
    regional = _client(users["regional"])
    assert [c["id"] for c in regional.get("/api/v1/planning/transfers").json()] == [case.pk]
    r = _post(
        _client(users["case_manager"]),
        f"/api/v1/planning/transfers/{case.pk}/decision",
        {"decision": "granted", "reasons": "x"},
    )
    assert r.status_code == 403
    assert _client(users["health"]).get(f"/api/v1/planning/transfers/{case.pk}").status_code == 404


# --- Every role against one transfer case ------------------------------------------------------

CASE_VIEW = {"officer", "contact_officer", "case_manager", "facility_leader"}


@pytest.mark.parametrize("role", sorted(r.value for r in Role))
def test_case_matrix(person, users, estate, role):
    case = _propose(users, estate, person)
    c = _client(users[role])
    page = c.get(f"/planning/transfers/{case.pk}/")
    api = c.get(f"/api/v1/planning/transfers/{case.pk}")
    if role in CASE_VIEW:
        assert page.status_code == 200 and api.status_code == 200
    else:
        # the regional office decides only long sentences, PD and special units
        assert page.status_code == 404 and api.status_code == 404
    r = c.post(f"/planning/transfers/{case.pk}/decision/", {"decision": "granted", "reasons": "Ja"})
    case.refresh_from_db()
    if role in ("case_manager", "facility_leader"):
        assert r.status_code == 302 and case.status == "granted"
    else:
        assert r.status_code in (403, 404) and case.status == "proposed"
