"""Caseload scoping: whose person records a user may open (DESIGN.md, deny by default).

A record outside the caseload is reported as missing (404), never as forbidden, so that its
existence leaks nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from normalitet.core.errors import NotFound
from normalitet.identity.roles import Cap, Scope
from normalitet.people.models import Person

from .models import CustodyEpisode


def can_open_persons(actor: Any) -> bool:
    return actor.has_cap(Cap.PERSON_VIEW) or actor.has_cap(Cap.PERSON_VIEW_MINIMAL)


def open_episodes_in_caseload(actor: Any) -> QuerySet[CustodyEpisode]:
    """The open custody episodes of the persons in the actor's caseload."""
    episodes = CustodyEpisode.objects.filter(released_at__isnull=True)
    if not getattr(actor, "is_authenticated", False) or not can_open_persons(actor):
        return episodes.none()
    scope = actor.scope
    if scope == Scope.FACILITY and actor.facility_id:
        return episodes.filter(facility_id=actor.facility_id)
    unit_ids = list(actor.units.values_list("id", flat=True))
    if scope == Scope.UNITS:
        return episodes.filter(unit_id__in=unit_ids)
    if scope == Scope.ASSIGNED:
        return episodes.filter(Q(contact_officer_id=actor.pk) | Q(unit_id__in=unit_ids))
    return episodes.none()


def persons_in_caseload(actor: Any) -> QuerySet[Person]:
    return Person.objects.filter(pk__in=open_episodes_in_caseload(actor).values("person_id"))


def ensure_person_in_caseload(actor: Any, person_id: int) -> Person:
    """The person, if the actor may open their record; else the same NotFound as a missing one."""
    person = persons_in_caseload(actor).filter(pk=person_id).first()
    if person is None:
        raise NotFound(_("No such person."))
    return person


def ensure_episode_in_caseload(actor: Any, episode_id: int) -> CustodyEpisode:
    episode = (
        open_episodes_in_caseload(actor)
        .select_related("person", "facility", "unit", "cell")
        .filter(pk=episode_id)
        .first()
    )
    if episode is None:
        raise NotFound(_("No such custody episode."))
    return episode
