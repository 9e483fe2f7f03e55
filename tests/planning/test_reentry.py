"""Reentry coordination: the rule parameters, readiness per area, referrals and consent through
the services (bad input changes nothing), the SGL § 41 duty, and the facility's release list in
a constant number of queries. Time is frozen at 2 March 2026."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from normalitet.audit.models import AuditEvent
from normalitet.core.errors import DomainError, PermissionDenied
from normalitet.custody import services as custody
from normalitet.custody.models import CustodyEpisode
from normalitet.planning import services
from normalitet.planning.domain import readiness, rules
from normalitet.planning.models import CoordinationConsent, Referral
from normalitet.planning.reentry import (
    consent_record,
    facility_releases,
    person_readiness,
    referral_add,
    referral_status_set,
)

from ..factories import CellFactory
from .helpers import capacity
from .reentry_helpers import OLDER, SOON, inside

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


def _changes() -> int:
    return AuditEvent.objects.filter(kind="change").count()


def _refer(actor, episode, area="housing", **kw):
    data = {
        "partner": "housing",
        "partner_name": "Boligkontoret i Fjellvik kommune",
        "area": area,
        "purpose": "Søknad om kommunal bolig",
        "sent_on": dt.date(2026, 2, 20),
        **kw,
    }
    return referral_add(actor=actor, episode=episode, **data)


# --- Rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("release", "opens"),
    [
        (dt.date(2026, 9, 2), dt.date(2026, 3, 2)),
        (dt.date(2026, 8, 31), dt.date(2026, 2, 28)),  # kept inside the shorter month
        (dt.date(2027, 1, 15), dt.date(2026, 7, 15)),
    ],
)
def test_readiness_window_opens_six_months_before_release_sgl_41(release, opens):
    assert rules.readiness_window_opens(release, TODAY) == opens


def test_release_list_horizon_is_90_days_and_parameters_name_their_source():
    assert rules.release_list_end(TODAY) == dt.date(2026, 5, 31)
    assert rules.parameter_on(rules.SECTION_41_AGE_LIMIT, TODAY).source == (
        "SGL § 41 second paragraph"
    )
    assert "service standard" in rules.parameter_on(rules.READINESS_WINDOW_MONTHS, TODAY).source
    assert "service standard" in rules.parameter_on(rules.RELEASE_LIST_DAYS, TODAY).source


@pytest.mark.parametrize(
    ("born", "on", "age", "under_25"),
    [
        (dt.date(2001, 3, 2), dt.date(2026, 3, 1), 24, True),
        (dt.date(2001, 3, 2), dt.date(2026, 3, 2), 25, False),  # the birthday itself
        (dt.date(2004, 2, 29), dt.date(2029, 2, 28), 24, True),  # leap day: 1 March
        (dt.date(2004, 2, 29), dt.date(2029, 3, 1), 25, False),
        (dt.date(1990, 5, 17), TODAY, 35, False),
    ],
)
def test_age_limit_of_the_duty_sgl_41_second_paragraph(born, on, age, under_25):
    assert rules.age_on(born, on) == age
    assert rules.under_section_41_age(born, on) is under_25


@pytest.mark.parametrize(
    ("needs", "referrals", "status"),
    [
        (["need"], ["in_place"], "in_place"),
        (["need"], ["withdrawn", "accepted"], "in_progress"),
        (["in_progress"], [], "in_progress"),
        (["need"], ["declined"], "not_started"),
        ([""], [], "not_started"),
        (["no_need", ""], [], "not_started"),  # a domain not mapped yet
        (["declined"], [], "declined"),
        (["declined", "done"], [], "declined"),
        (["done", "no_need"], [], "in_place"),
        (["no_need", "no_need"], [], "no_need"),
        ([], [], "not_started"),
    ],
)
def test_area_status_from_needs_and_referrals(needs, referrals, status):
    assert readiness.area_status(needs, referrals) == status


@pytest.mark.parametrize(
    ("under", "consents", "coordinator", "window", "areas", "refs", "applies", "ask", "missing"),
    [
        (False, True, "NAV", True, {}, {}, False, False, ()),  # 25 or older: no duty
        (True, None, "", True, {}, {}, False, True, ()),  # ask about consent
        (True, False, "", True, {}, {}, False, False, ()),  # said no
        (True, True, "NAV", False, {}, {}, True, False, ()),  # before the window
        (True, True, " ", False, {}, {}, True, False, ("coordinator",)),
        (True, True, "NAV", True, {}, {}, True, False, ("housing", "income")),
        (
            True,
            True,
            "NAV",
            True,
            {},
            {"housing": ["withdrawn"], "income": ["sent"]},
            True,
            False,
            ("housing",),
        ),
        (
            True,
            True,
            "NAV",
            True,
            {"housing": "no_need"},
            {"income": ["in_place"]},
            True,
            False,
            (),
        ),
    ],
)
def test_section_41_duty(under, consents, coordinator, window, areas, refs, applies, ask, missing):
    duty = readiness.section_41(
        under_limit=under,
        consents=consents,
        coordinator=coordinator,
        window_open=window,
        areas=areas,
        referrals=refs,
    )
    assert (duty.applies, duty.ask_consent, duty.missing) == (applies, ask, missing)
    assert duty.met is (not missing)


# --- Services ---------------------------------------------------------------------------------


def test_referral_add_records_the_referral_and_its_audit_event(estate, users, frozen):
    episode = inside(users, estate, estate.cells_a[0])
    before = _changes()
    r = _refer(users["contact_officer"], episode, meeting_on=dt.date(2026, 4, 20), note=" ")
    r.refresh_from_db()
    assert (r.status, r.status_on, r.sent_on, r.meeting_on) == (
        "sent",
        dt.date(2026, 2, 20),
        dt.date(2026, 2, 20),
        dt.date(2026, 4, 20),
    )
    assert (r.person_id, r.created_by, r.note) == (episode.person_id, users["contact_officer"], "")
    event = AuditEvent.objects.filter(kind="change").latest("id")
    assert _changes() == before + 1 and event.action == "planning.referral_add"
    assert event.data["area"] == "housing" and "purpose" not in event.data


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"partner": "police"}, "partner"),
        ({"partner_name": "  "}, "partner_name"),
        ({"area": "leisure"}, "area"),
        ({"purpose": ""}, "purpose"),
        ({"purpose": "x" * 501}, "purpose"),
        ({"sent_on": dt.date(2026, 3, 3)}, "sent_on"),  # in the future
        ({"sent_on": dt.date(2025, 6, 1)}, "sent_on"),  # before the admission
        ({"meeting_on": dt.date(2026, 2, 19)}, "meeting_on"),
    ],
)
def test_referral_add_refuses_bad_input_and_writes_nothing(estate, users, frozen, change, field):
    episode = inside(users, estate, estate.cells_a[0])
    before = _changes()
    with pytest.raises(DomainError) as exc:
        _refer(users["case_manager"], episode, **change)
    assert exc.value.field == field
    assert Referral.objects.count() == 0 and _changes() == before


def test_only_plan_editors_refer_and_never_after_release(estate, users, frozen):
    episode = inside(users, estate, estate.cells_a[0])
    with pytest.raises(PermissionDenied):
        _refer(users["officer"], episode)
    custody.release(actor=users["case_manager"], episode=episode, reason="served")
    episode.refresh_from_db()
    with pytest.raises(DomainError, match="released"):
        _refer(users["case_manager"], episode)
    assert Referral.objects.count() == 0


def test_referral_status_follows_the_transitions(estate, users, frozen):
    co = users["contact_officer"]
    episode = inside(users, estate, estate.cells_a[0])
    r = _refer(co, episode)
    referral_status_set(actor=co, referral=r, status="acknowledged", status_on=dt.date(2026, 2, 22))
    r = referral_status_set(
        actor=co, referral=r, status="in_place", status_on=dt.date(2026, 3, 1), note="Nøkkel 1. mai"
    )
    r.refresh_from_db()
    assert (r.status, r.status_on, r.note, r.updated_by) == (
        "in_place",
        dt.date(2026, 3, 1),
        "Nøkkel 1. mai",
        co,
    )
    actions = list(
        AuditEvent.objects.filter(action="planning.referral_status")
        .order_by("id")
        .values_list("data", flat=True)
    )
    assert [(a["from"], a["to"]) for a in actions] == [
        ("sent", "acknowledged"),
        ("acknowledged", "in_place"),
    ]


@pytest.mark.parametrize(
    ("status", "status_on", "note", "field", "message"),
    [
        ("withdrawn", dt.date(2026, 3, 1), "", "note", "declined or withdrawn"),
        ("declined", dt.date(2026, 3, 1), "  ", "note", "declined or withdrawn"),
        ("accepted", dt.date(2026, 2, 19), "", "status_on", "before the referral was sent"),
        ("accepted", dt.date(2026, 2, 24), "", "status_on", "current status"),
        ("accepted", dt.date(2026, 3, 3), "", "status_on", "future"),
        ("acknowledged", dt.date(2026, 3, 1), "", "status", "already has this status"),
        ("sent", dt.date(2026, 3, 1), "", "status", "cannot become"),
        ("lost", dt.date(2026, 3, 1), "", "status", "Choose a status"),
    ],
)
def test_referral_status_refuses_and_changes_nothing(
    estate, users, frozen, status, status_on, note, field, message
):
    co = users["contact_officer"]
    r = _refer(co, inside(users, estate, estate.cells_a[0]))
    r = referral_status_set(
        actor=co, referral=r, status="acknowledged", status_on=dt.date(2026, 2, 25)
    )
    before = (_changes(), Referral.objects.values_list("status", "status_on", "note").get())
    with pytest.raises(DomainError) as exc:
        referral_status_set(actor=co, referral=r, status=status, status_on=status_on, note=note)
    assert exc.value.field == field and message in exc.value.message
    assert (_changes(), Referral.objects.values_list("status", "status_on", "note").get()) == before


def test_a_closed_referral_stays_closed(estate, users, frozen):
    co = users["contact_officer"]
    r = _refer(co, inside(users, estate, estate.cells_a[0]))
    referral_status_set(
        actor=co, referral=r, status="declined", status_on=TODAY, note="Ingen ledige boliger"
    )
    with pytest.raises(DomainError) as exc:
        referral_status_set(actor=co, referral=r, status="accepted", status_on=TODAY)
    assert exc.value.rule == "referral-transition"
    with pytest.raises(PermissionDenied):
        referral_status_set(actor=users["officer"], referral=r, status="withdrawn", status_on=TODAY)


def test_consent_needs_a_person_under_25_and_a_named_coordinator(estate, users, frozen):
    co = users["contact_officer"]
    young = inside(users, estate, estate.cells_a[0])
    older = inside(users, estate, estate.cells_a[1], born=OLDER)
    before = _changes()
    with pytest.raises(DomainError) as exc:
        consent_record(
            actor=co, episode=older, consents=True, given_on=TODAY, coordinator="NAV Fjellvik"
        )
    assert exc.value.field == "given_on" and exc.value.rule == "SGL § 41 second paragraph"
    assert "the person was 35" in exc.value.message
    with pytest.raises(DomainError) as exc:
        consent_record(actor=co, episode=young, consents=True, given_on=TODAY, coordinator=" ")
    assert exc.value.field == "coordinator"
    for given_on in (dt.date(2026, 3, 3), dt.date(2025, 6, 1)):
        with pytest.raises(DomainError) as exc:
            consent_record(actor=co, episode=young, consents=False, given_on=given_on)
        assert exc.value.field == "given_on"
    with pytest.raises(PermissionDenied):
        consent_record(actor=users["officer"], episode=young, consents=False, given_on=TODAY)
    assert CoordinationConsent.objects.count() == 0 and _changes() == before

    c = consent_record(
        actor=co,
        episode=young,
        consents=True,
        given_on=dt.date(2026, 2, 1),
        coordinator="NAV Grünerløkka, veileder Kari Hansen",
    )
    assert (c.consents, c.coordinator, c.recorded_by) == (
        True,
        "NAV Grünerløkka, veileder Kari Hansen",
        co,
    )
    with pytest.raises(DomainError, match="answer in force"):
        consent_record(actor=co, episode=young, consents=False, given_on=dt.date(2026, 1, 31))
    consent_record(actor=co, episode=young, consents=False, given_on=TODAY, note="Vil ordne selv")
    r = person_readiness(episode=young, today=TODAY)
    assert r.consent.consents is False and [c.consents for c in r.consents] == [False, True]
    assert not r.section_41.applies and _changes() == before + 2


# --- Readiness and the SGL § 41 duty ---------------------------------------------------------


def test_readiness_per_area_from_needs_and_referrals(estate, users, frozen):
    co = users["contact_officer"]
    episode = inside(users, estate, estate.cells_a[0], born=OLDER)
    services.needs_items_update(
        actor=co,
        episode=episode,
        items={
            "housing": ("need", ""),
            "work_education": ("in_progress", ""),
            "finances": ("need", ""),
            "health": ("declined", ""),
            "drugs_alcohol": ("no_need", ""),
            "id_bank": ("done", ""),
            "family": ("no_need", ""),
        },
    )
    r = person_readiness(episode=episode, today=TODAY)
    assert {a.area: a.status for a in r.areas} == {
        "housing": "not_started",
        "income": "in_progress",
        "care": "declined",
        "id_bank": "in_place",
        "network": "no_need",
    }
    assert r.areas[1].needs == [("work_education", "in_progress"), ("finances", "need")]
    ref = _refer(co, episode)
    referral_status_set(actor=co, referral=ref, status="in_place", status_on=TODAY)
    r = person_readiness(episode=episode, today=TODAY)
    housing = r.areas[0]
    assert (housing.status, [x.pk for x in housing.referrals]) == ("in_place", [ref.pk])
    assert (r.expected_release, r.window_opens, r.window_open, r.days_left) == (
        SOON,
        dt.date(2025, 11, 1),
        True,
        60,
    )
    assert r.age == 35 and not r.section_41.under_limit and not r.ask_consent and not r.problems


def test_window_is_closed_far_from_release_and_unknown_without_a_date(estate, users, frozen):
    far = inside(users, estate, estate.cells_a[0], release=dt.date(2027, 3, 1))
    none = inside(users, estate, estate.cells_a[1], release=None)
    r = person_readiness(episode=far, today=TODAY)
    assert (r.window_opens, r.window_open) == (dt.date(2026, 9, 1), False)
    r = person_readiness(episode=none, today=TODAY)
    assert (r.window_opens, r.window_open, r.days_left) == (None, False, None)


def test_section_41_duty_is_flagged_and_enforced(estate, users, frozen):
    co = users["contact_officer"]
    episode = inside(users, estate, estate.cells_a[0])
    r = person_readiness(episode=episode, today=TODAY)
    assert r.ask_consent and not r.section_41.applies and r.problems == []

    consent_record(
        actor=co,
        episode=episode,
        consents=True,
        given_on=TODAY,
        coordinator="NAV Grünerløkka, veileder Kari Hansen",
    )
    r = person_readiness(episode=episode, today=TODAY)
    assert r.section_41.applies and not r.ask_consent
    assert r.section_41.missing == ("housing", "income")
    assert r.problems == [
        "SGL § 41 duty not met: no referral for housing.",
        "SGL § 41 duty not met: no referral for income or a job.",
    ]
    # Before the window opens, only the coordinator is required.
    assert person_readiness(episode=episode, today=dt.date(2025, 10, 31)).problems == []

    housing = _refer(co, episode)
    _refer(
        co,
        episode,
        area="income",
        partner="nav",
        partner_name="NAV Grünerløkka",
        purpose="Avklare AAP",
    )
    assert person_readiness(episode=episode, today=TODAY).section_41.met
    # A withdrawn referral does not count: the duty is not met again.
    referral_status_set(
        actor=co, referral=housing, status="withdrawn", status_on=TODAY, note="Flytter til mor"
    )
    r = person_readiness(episode=episode, today=TODAY)
    assert r.section_41.missing == ("housing",)
    # No need for housing recorded in the needs mapping: nothing to refer.
    services.needs_items_update(actor=co, episode=episode, items={"housing": ("no_need", "")})
    assert person_readiness(episode=episode, today=TODAY).section_41.met


def test_a_consent_recorded_without_coordinator_is_a_problem(estate, users, frozen):
    """A consent row without a coordinator (made outside the service, e.g. imported) still
    shows as duty not met."""
    episode = inside(users, estate, estate.cells_a[0], release=dt.date(2027, 3, 1))
    CoordinationConsent.objects.create(
        episode=episode,
        person_id=episode.person_id,
        consents=True,
        given_on=TODAY,
        recorded_at=frozen,
    )
    r = person_readiness(episode=episode, today=TODAY)
    assert r.problems == ["SGL § 41 duty not met: no coordinator is named."]


# --- The facility's release list --------------------------------------------------------------


def test_release_list_has_the_next_90_days_soonest_first(estate, users, frozen):
    late = inside(users, estate, estate.cells_a[0], release=dt.date(2026, 5, 31), officer=None)
    soon = inside(users, estate, estate.cells_a[1], release=dt.date(2026, 3, 2), officer=None)
    inside(users, estate, estate.cells_a[2], release=dt.date(2026, 6, 1), officer=None)
    inside(users, estate, estate.cells_b[0], release=dt.date(2026, 3, 1), officer=None)
    inside(users, estate, estate.cells_b[1], release=None, officer=None)
    inside(users, estate, estate.lower_cells[0], facility=estate.lower, officer=None)
    rows = facility_releases(actor=users["case_manager"], facility=estate.high, today=TODAY)
    assert [r.episode.pk for r in rows] == [soon.pk, late.pk]
    assert [r.days_left for r in rows] == [0, 90]
    assert all(r.ask_consent for r in rows)  # both 22, no answer recorded
    assert facility_releases(actor=users["case_manager"], facility=estate.lower) == []


def test_release_list_follows_the_caseload(estate, users, frozen):
    mine = inside(users, estate, estate.cells_b[0])  # contact officer's person, unit B
    inside(users, estate, estate.cells_a[0], officer=None)  # unit A
    inside(users, estate, estate.cells_b[1], officer=None)  # unit B, not theirs
    ids = {
        role: {r.episode.pk for r in facility_releases(actor=users[role], facility=estate.high)}
        for role in ("contact_officer", "officer", "case_manager", "health")
    }
    assert len(ids["case_manager"]) == 3 and mine.pk in ids["contact_officer"]
    assert len(ids["contact_officer"]) == 2 and len(ids["officer"]) == 1
    assert ids["health"] == set()


def test_release_list_costs_the_same_for_2_and_10_persons(estate, users, frozen):
    co = users["contact_officer"]
    capacity(co, 20)

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            cell = CellFactory(unit=estate.unit_a, code=f"R{i}")
            e = inside(users, estate, cell, given_names=f"Per{i}")
            services.needs_items_update(actor=co, episode=e, items={"housing": ("need", "")})
            _refer(co, e)
            _refer(co, e, area="income", partner="nav", partner_name="NAV Fjellvik", purpose="AAP")
            consent_record(actor=co, episode=e, consents=True, given_on=TODAY, coordinator="NAV")

    def count(actor) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            rows = facility_releases(actor=actor, facility=estate.high, today=TODAY)
            [(a.status, len(a.referrals)) for r in rows for a in r.areas]
            [(r.problems, r.episode.person.full_name, r.episode.unit) for r in rows]
        return len(ctx.captured_queries), len(rows)

    add(2, 0)
    few = {role: count(users[role]) for role in ("case_manager", "contact_officer")}
    add(8, 2)
    many = {role: count(users[role]) for role in ("case_manager", "contact_officer")}
    assert few == {"case_manager": (4, 2), "contact_officer": (5, 2)}
    assert many == {"case_manager": (4, 10), "contact_officer": (5, 10)}


# --- Demo -------------------------------------------------------------------------------------


def test_demo_reentry_is_plausible_and_idempotent(frozen):
    from normalitet.demo.seed import seed
    from normalitet.planning.demo import seed_plans
    from normalitet.planning.demo_reentry import seed_reentry

    seed(scale="small", progress=False)
    seed_plans()
    summary = seed_reentry(seed=7)
    assert summary["referrals"] == Referral.objects.count() > 0
    assert summary["coordination_consents"] == CoordinationConsent.objects.count() > 0
    horizon = TODAY + dt.timedelta(days=243)
    for r in Referral.objects.select_related("episode"):
        assert r.sent_on <= r.status_on <= TODAY
        assert TODAY <= r.episode.expected_release_date <= horizon
        assert r.purpose and r.partner_name
        assert r.status not in ("declined", "withdrawn") or r.note
    for c in CoordinationConsent.objects.select_related("person"):
        assert rules.under_section_41_age(c.person.birth_date, c.given_on)
        assert not c.consents or c.coordinator
    assert seed_reentry(seed=7) == {"referrals": 0, "coordination_consents": 0}
    assert CustodyEpisode.objects.filter(referrals__isnull=False).distinct().count() > 1
