"""Contact officer allocation with capacity and reasons, contact sessions, and the needs mapping
deadline (SGL § 41; RULES.md § 10; the number of days is a service standard)."""

from __future__ import annotations

import datetime as dt

import pytest

from normalitet.audit.models import AuditEvent
from normalitet.core.errors import Conflict, DomainError, PermissionDenied
from normalitet.custody.models import CustodyEpisode
from normalitet.planning import selectors, services
from normalitet.planning.domain import rules
from normalitet.planning.models import ContactOfficerAllocation, ContactSession, NeedsDomain

from ..custody.helpers import admitted
from ..factories import UserFactory
from .helpers import allocated, capacity

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_officer(estate):
    return UserFactory(
        username="co2", role="contact_officer", facility=estate.high, first_name="Ola"
    )


def test_default_capacity_is_the_service_standard_of_six(users):
    assert services.officer_capacity(users["contact_officer"]) == 6
    assert rules.default_capacity(dt.date(2026, 1, 1)) == 6


def test_allocation_is_refused_when_the_officer_is_full_and_nothing_changes(estate, users):
    co = users["contact_officer"]
    capacity(co, 2)
    allocated(users, estate, estate.cells_a[0])
    allocated(users, estate, estate.cells_a[1])
    third = admitted(users, estate.high, estate.cells_a[2])
    events = AuditEvent.objects.count()
    with pytest.raises(Conflict) as exc:
        services.contact_officer_allocate(
            actor=users["case_manager"], episode=third, officer=co, reason="arrival"
        )
    assert exc.value.rule == "contact-officer-capacity"
    assert "already follows 2 persons" in exc.value.message
    assert CustodyEpisode.objects.get(pk=third.pk).contact_officer_id is None
    assert ContactOfficerAllocation.objects.filter(episode=third).count() == 0
    assert AuditEvent.objects.count() == events


def test_released_persons_do_not_count_against_capacity(estate, users):
    from normalitet.custody import services as custody_services

    co = users["contact_officer"]
    capacity(co, 1)
    first = allocated(users, estate, estate.cells_a[0])
    custody_services.release(actor=users["case_manager"], episode=first, reason="served")
    second = allocated(users, estate, estate.cells_a[1])
    assert second.contact_officer_id == co.pk


def test_reallocation_ends_the_previous_allocation_with_its_reason(estate, users, second_officer):
    episode = allocated(users, estate, estate.cells_a[0])
    new = services.contact_officer_allocate(
        actor=users["contact_officer"],
        episode=episode,
        officer=second_officer,
        reason="person_request",
        note="Ønsker en annen",
    )
    history = selectors.allocation_history(episode=episode)
    assert [a.officer.username for a in history] == ["co2", "contact_officer"]
    old = history[1]
    assert old.ended_at is not None and old.end_reason == "person_request"
    assert old.end_note == "Ønsker en annen"
    assert new.ended_at is None and new.reason == "person_request"
    assert CustodyEpisode.objects.get(pk=episode.pk).contact_officer_id == second_officer.pk
    event = AuditEvent.objects.filter(action="planning.contact_officer_allocate").last()
    assert event.data == {
        "officer": "co2",
        "previous": "contact_officer",
        "reason": "person_request",
    }
    assert event.person_id == episode.person_id


@pytest.mark.parametrize(
    ("reason", "note", "field"),
    [("nonsense", "", "reason"), ("other", "  ", "note")],
)
def test_allocation_needs_a_reason(estate, users, reason, note, field):
    episode = admitted(users, estate.high, estate.cells_a[0])
    with pytest.raises(DomainError) as exc:
        services.contact_officer_allocate(
            actor=users["case_manager"],
            episode=episode,
            officer=users["contact_officer"],
            reason=reason,
            note=note,
        )
    assert exc.value.field == field
    assert ContactOfficerAllocation.objects.count() == 0


def test_allocation_refuses_the_same_officer_and_officers_of_other_facilities(estate, users):
    episode = allocated(users, estate, estate.cells_a[0])
    with pytest.raises(DomainError, match="already the person's contact officer"):
        services.contact_officer_allocate(
            actor=users["case_manager"],
            episode=episode,
            officer=users["contact_officer"],
            reason="other",
            note="x",
        )
    elsewhere = UserFactory(role="contact_officer", facility=estate.lower)
    with pytest.raises(DomainError, match="works in the person's facility"):
        services.contact_officer_allocate(
            actor=users["case_manager"], episode=episode, officer=elsewhere, reason="capacity"
        )
    assert ContactOfficerAllocation.objects.count() == 1


@pytest.mark.parametrize("role", ["officer", "health", "teacher", "admin"])
def test_roles_without_plan_edit_cannot_allocate(estate, users, role):
    episode = admitted(users, estate.high, estate.cells_a[0])
    with pytest.raises(PermissionDenied):
        services.contact_officer_allocate(
            actor=users[role], episode=episode, officer=users["contact_officer"], reason="arrival"
        )


def test_session_is_recorded_and_validated(estate, users, frozen):
    episode = allocated(users, estate, estate.cells_a[0])
    co = users["contact_officer"]
    today = dt.date(2026, 3, 2)
    for kwargs, field in [
        ({"held_on": today + dt.timedelta(days=1)}, "held_on"),
        ({"held_on": today - dt.timedelta(days=1)}, "held_on"),  # before admission
        ({"follow_up_due": today - dt.timedelta(days=1), "follow_ups": "x"}, "follow_up_due"),
        ({"follow_up_due": today}, "follow_ups"),
        ({"note": " "}, "note"),
        ({"kind": "chat"}, "kind"),
    ]:
        args = {"held_on": today, "kind": "conversation", "note": "Snakket om skole", **kwargs}
        with pytest.raises(DomainError) as exc:
            services.contact_session_record(actor=co, episode=episode, **args)
        assert exc.value.field == field, kwargs
    session = services.contact_session_record(
        actor=co,
        episode=episode,
        held_on=today,
        kind="external",
        note="Ringte NAV",
        follow_ups="Søknad om bostøtte",
        follow_up_due=dt.date(2026, 3, 6),
    )
    assert ContactSession.objects.get().pk == session.pk
    assert session.officer == co and session.person_id == episode.person_id
    assert AuditEvent.objects.filter(action="planning.contact_session").count() == 1


def test_needs_mapping_is_due_14_days_after_admission_sgl_41(estate, users, frozen):
    episode = admitted(users, estate.high, estate.cells_a[0])
    deadline = selectors.needs_deadline(episode, None, dt.date(2026, 3, 2))
    assert deadline.due_on == dt.date(2026, 3, 16) and not deadline.started
    assessment = services.needs_assessment_start(actor=users["case_manager"], episode=episode)
    assert assessment.due_on == dt.date(2026, 3, 16)
    assert "SGL § 41" in assessment.rule and "service standard" in assessment.rule
    assert assessment.items.count() == len(NeedsDomain)
    assert not assessment.is_overdue(dt.date(2026, 3, 16))
    assert assessment.is_overdue(dt.date(2026, 3, 17))


def test_admission_late_in_the_evening_counts_from_the_norwegian_date(estate, users, time_machine):
    # 23:30 UTC on 1 March is 00:30 on 2 March in Oslo.
    time_machine.move_to(dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC), tick=False)
    episode = admitted(users, estate.high, estate.cells_a[0])
    assert selectors.needs_deadline(episode, None, dt.date(2026, 3, 2)).due_on == dt.date(
        2026, 3, 16
    )


def test_needs_overdue_until_completed_and_completion_needs_every_domain(
    estate, users, time_machine
):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False)
    episode = admitted(users, estate.high, estate.cells_a[0])
    co = users["case_manager"]
    services.needs_items_update(
        actor=co, episode=episode, items={"housing": ("need", "Har ingen bolig etter løslatelse")}
    )
    time_machine.move_to(dt.datetime(2026, 3, 17, 9, tzinfo=dt.UTC), tick=False)
    assessment = selectors.needs_assessment(episode=episode)
    assert selectors.needs_deadline(episode, assessment, dt.date(2026, 3, 17)).overdue
    with pytest.raises(DomainError, match="Work and education") as exc:
        services.needs_assessment_complete(actor=co, episode=episode)
    assert exc.value.rule == "needs-mapping-complete"
    services.needs_items_update(
        actor=co,
        episode=episode,
        items={d: ("no_need", "") for d in NeedsDomain.values if d != "housing"},
    )
    done = services.needs_assessment_complete(actor=co, episode=episode)
    assert done.completed_at == dt.datetime(2026, 3, 17, 9, tzinfo=dt.UTC)
    assert not selectors.needs_deadline(episode, done, dt.date(2026, 3, 17)).overdue
    items = {i.domain: (i.status, i.own_words) for i in done.items.all()}
    assert items["housing"] == ("need", "Har ingen bolig etter løslatelse")
    event = AuditEvent.objects.filter(action="planning.needs_complete").get()
    assert event.data == {"due_on": "2026-03-16", "late": True}
    # The person's own words are kept in the record, not copied into the audit log.
    first = AuditEvent.objects.filter(action="planning.needs_update").first()
    assert first.data == {"status": {"housing": "need"}}
    with pytest.raises(DomainError, match="keeps a status"):
        services.needs_items_update(actor=co, episode=episode, items={"housing": ("", "")})


def test_needs_update_refuses_unknown_domains_and_statuses(estate, users):
    episode = admitted(users, estate.high, estate.cells_a[0])
    for items in ({"pets": ("need", "")}, {"housing": ("urgent", "")}):
        with pytest.raises(DomainError):
            services.needs_items_update(actor=users["case_manager"], episode=episode, items=items)
    assert selectors.needs_assessment(episode=episode) is None


def test_caseload_shows_what_is_due_this_week(estate, users, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False)  # a Monday
    co = users["contact_officer"]
    new = allocated(users, estate, estate.cells_a[0], given_names="Nora")
    time_machine.move_to(dt.datetime(2026, 3, 11, 9, tzinfo=dt.UTC), tick=False)  # Wednesday
    later = allocated(users, estate, estate.cells_a[1], given_names="Leo")
    services.contact_session_record(
        actor=co,
        episode=later,
        held_on=dt.date(2026, 3, 11),
        kind="conversation",
        note="Første samtale",
        follow_ups="Ring skolen",
        follow_up_due=dt.date(2026, 3, 13),
    )
    rows = selectors.caseload(actor=co, today=dt.date(2026, 3, 11))
    by_name = {r.episode.person.given_names: r for r in rows}
    assert set(by_name) == {"Nora", "Leo"}
    nora, leo = by_name["Nora"], by_name["Leo"]
    assert nora.needs.due_on == dt.date(2026, 3, 16) and not nora.needs.due_this_week
    assert not nora.due_this_week
    assert leo.follow_up_this_week and leo.follow_ups == "Ring skolen" and leo.due_this_week
    assert [r.episode.pk for r in rows] == [later.pk, new.pk]  # due first
    # The next session takes the follow-up over.
    services.contact_session_record(
        actor=co, episode=later, held_on=dt.date(2026, 3, 11), kind="other", note="Ringte skolen"
    )
    rows = selectors.caseload(actor=co, today=dt.date(2026, 3, 16))  # Monday: due today
    leo = next(r for r in rows if r.episode.pk == later.pk)
    assert leo.follow_up_due is None and not leo.due_this_week
    nora = next(r for r in rows if r.episode.pk == new.pk)
    assert nora.needs.due_this_week and not nora.needs.overdue


def test_contact_officer_caseload_is_their_own_persons_only(estate, users, second_officer):
    allocated(users, estate, estate.cells_a[0], given_names="Mine")
    allocated(users, estate, estate.cells_b[0], officer=second_officer, given_names="Theirs")
    names = [
        r.episode.person.given_names for r in selectors.caseload(actor=users["contact_officer"])
    ]
    assert names == ["Mine"]
    everyone = {
        r.episode.person.given_names for r in selectors.caseload(actor=users["case_manager"])
    }
    assert everyone == {"Mine", "Theirs"}
