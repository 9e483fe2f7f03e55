"""Reads for the plan page and the contact officer's caseload, scoped by the actor's caseload.

The caseload is one query whatever the number of persons (plus the caseload's own unit
lookup): the episodes with their latest follow-up and their needs mapping annotated; release
readiness adds three (needs items, referrals, consents of all the rows at once).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Q, Subquery

from normalitet.core import clock
from normalitet.custody.caseload import open_episodes_in_caseload
from normalitet.custody.models import CustodyEpisode
from normalitet.estate.models import Facility
from normalitet.estate.selectors import visible_facility
from normalitet.identity.roles import Cap, Role
from normalitet.people.models import Person

from . import checks
from .domain import rules
from .models import (
    ContactOfficerAllocation,
    ContactOfficerCapacity,
    ContactSession,
    NeedsAssessment,
    NeedsDomain,
    NeedsItem,
)
from .reentry import Readiness, readiness_of


def plan_facility(*, actor: Any, facility_id: int) -> Facility:
    """A facility whose planning lists (progression, releases) the actor may read; else the
    same NotFound as a missing one."""
    return visible_facility(actor=actor, facility_id=facility_id, caps=(Cap.PLAN_VIEW,))


@dataclass(frozen=True)
class NeedsDeadline:
    """The needs mapping's deadline for one person, whether or not it is started."""

    due_on: dt.date
    started: bool
    completed: bool
    today: dt.date

    @property
    def overdue(self) -> bool:
        return not self.completed and self.today > self.due_on

    @property
    def due_this_week(self) -> bool:
        return not self.completed and self.due_on <= rules.week_end(self.today)


def needs_deadline(
    episode: CustodyEpisode, assessment: NeedsAssessment | None, today: dt.date
) -> NeedsDeadline:
    if assessment is None:
        return _deadline(episode, None, None, today)
    return _deadline(episode, assessment.due_on, assessment.completed_at, today)


def _deadline(
    episode: CustodyEpisode, due_on: dt.date | None, completed_at: Any, today: dt.date
) -> NeedsDeadline:
    if due_on is not None:
        return NeedsDeadline(due_on, True, completed_at is not None, today)
    admitted_on = checks.admitted_on(episode)
    return NeedsDeadline(rules.needs_mapping_due(admitted_on), False, False, today)


def allocation_history(*, episode: CustodyEpisode) -> list[ContactOfficerAllocation]:
    return list(
        ContactOfficerAllocation.objects.filter(episode=episode).select_related(
            "officer", "allocated_by"
        )[:100]
    )


def person_sessions(*, person: Person, limit: int = 200) -> list[ContactSession]:
    return list(ContactSession.objects.filter(person=person).select_related("officer")[:limit])


def needs_assessment(*, episode: CustodyEpisode) -> NeedsAssessment | None:
    return NeedsAssessment.objects.filter(episode=episode).select_related("completed_by").first()


def needs_items(assessment: NeedsAssessment | None) -> list[tuple[str, Any, NeedsItem | None]]:
    """Every domain in its fixed order with its item, if the mapping is started."""
    by_domain = (
        {i.domain: i for i in assessment.items.select_related("updated_by")} if (assessment) else {}
    )
    return [(d.value, d.label, by_domain.get(d.value)) for d in NeedsDomain]


@dataclass
class CaseloadRow:
    episode: CustodyEpisode
    needs: NeedsDeadline
    follow_up_due: dt.date | None
    follow_ups: str
    week_end: dt.date
    readiness: Readiness | None = None  # release readiness and the SGL § 41 flags

    @property
    def follow_up_this_week(self) -> bool:
        return self.follow_up_due is not None and self.follow_up_due <= self.week_end

    @property
    def follow_up_overdue(self) -> bool:
        return self.follow_up_due is not None and self.follow_up_due < self.needs.today

    @property
    def due_this_week(self) -> bool:
        return self.follow_up_this_week or self.needs.due_this_week


def caseload(*, actor: Any, today: dt.date | None = None) -> list[CaseloadRow]:
    """A contact officer's persons (for other roles: every person in their caseload), with
    what is due this week: follow-ups and the needs mapping deadline, and for release
    preparation whether the readiness window is open and what the SGL § 41 duty still needs.
    Persons with something due come first.

    A follow-up is the one written at the latest session; the next session takes it over.
    """
    today = today or clock.today()
    end = rules.week_end(today)
    latest = ContactSession.objects.filter(person_id=OuterRef("person_id")).order_by(
        "-held_on", "-id"
    )
    mapping = NeedsAssessment.objects.filter(episode_id=OuterRef("pk"))
    episodes = open_episodes_in_caseload(actor)
    if actor.role == Role.CONTACT_OFFICER:
        episodes = episodes.filter(contact_officer_id=actor.pk)
    episodes = (
        episodes.select_related("person", "unit", "cell", "contact_officer")
        .annotate(
            latest_follow_up_due=Subquery(latest.values("follow_up_due")[:1]),
            latest_follow_ups=Subquery(latest.values("follow_ups")[:1]),
            needs_due_on=Subquery(mapping.values("due_on")[:1]),
            needs_completed_at=Subquery(mapping.values("completed_at")[:1]),
        )
        .order_by("person__family_name", "person__given_names", "pk")
    )
    listed = list(episodes)
    reentry = readiness_of(episodes=listed, today=today)
    rows = [
        CaseloadRow(
            episode=e,
            needs=_deadline(
                e,
                getattr(e, "needs_due_on", None),
                getattr(e, "needs_completed_at", None),
                today,
            ),
            follow_up_due=getattr(e, "latest_follow_up_due", None),
            follow_ups=getattr(e, "latest_follow_ups", None) or "",
            week_end=end,
            readiness=reentry[e.pk],
        )
        for e in listed
    ]
    rows.sort(key=lambda r: not r.due_this_week)  # stable: names stay in order
    return rows


@dataclass(frozen=True)
class OfficerLoad:
    officer: Any
    load: int
    capacity: int

    @property
    def full(self) -> bool:
        return self.load >= self.capacity


def contact_officers(*, facility_id: int, today: dt.date | None = None) -> list[OfficerLoad]:
    """The active contact officers of a facility with how many persons each follows now and
    their capacity. One query."""
    default = rules.default_capacity(today or clock.today())
    capacity = ContactOfficerCapacity.objects.filter(officer_id=OuterRef("pk"))
    officers = (
        get_user_model()
        .objects.filter(role=Role.CONTACT_OFFICER, facility_id=facility_id, is_active=True)
        .annotate(
            load=Count("contact_persons", filter=Q(contact_persons__released_at__isnull=True)),
            capacity=Subquery(capacity.values("max_persons")[:1]),
        )
        .order_by("last_name", "first_name", "pk")
    )
    return [
        OfficerLoad(o, getattr(o, "load", 0), getattr(o, "capacity", None) or default)
        for o in officers
    ]
