"""Who may see and do what in family contact (DESIGN.md: deny by default; a record the actor
may not see is a 404, the same as a missing one).

- Facility staff see the contacts, visits, calls, mail and court restrictions of the persons in
  their caseload, and the visit rooms and sessions of their facility.
- A visitor (family portal) sees only their own relationships, bookings and notices.
- Regional, national, health, teacher and administrator roles see none of it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from normalitet.core.errors import NotFound
from normalitet.custody.caseload import ensure_episode_in_caseload, open_episodes_in_caseload
from normalitet.custody.models import CustodyEpisode
from normalitet.estate.models import Facility
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap

from .models import Contact, Visitor, VisitRoom


def contact_facility(*, actor: Any) -> Facility:
    """The facility whose visits and mail the actor handles (staff with ``CONTACT_VIEW``)."""
    if can(actor, Cap.CONTACT_VIEW) and actor.facility_id:
        facility = Facility.objects.filter(pk=actor.facility_id).first()
        if facility is not None:
            return facility
    raise NotFound(_("No such facility."))


def episodes_for(*, actor: Any) -> QuerySet[CustodyEpisode]:
    if not can(actor, Cap.CONTACT_VIEW):
        return CustodyEpisode.objects.none()
    return open_episodes_in_caseload(actor)


def ensure_episode(*, actor: Any, person_id: int) -> CustodyEpisode:
    """The open custody episode of a person in the actor's caseload, else NotFound."""
    episode = episodes_for(actor=actor).filter(person_id=person_id).first()
    if episode is None:
        raise NotFound(_("No such person."))
    return ensure_episode_in_caseload(actor, episode.pk)


def rooms_for(*, actor: Any) -> QuerySet[VisitRoom]:
    if not can(actor, Cap.CONTACT_VIEW) or not actor.facility_id:
        return VisitRoom.objects.none()
    return VisitRoom.objects.filter(facility_id=actor.facility_id)


def ensure_room(*, actor: Any, room_id: int) -> VisitRoom:
    room = rooms_for(actor=actor).select_related("facility").filter(pk=room_id).first()
    if room is None:
        raise NotFound(_("No such visit room."))
    return room


def visitor_of(actor: Any) -> Visitor:
    """The visitor record of a family-portal user; NotFound for anyone else."""
    if can(actor, Cap.VISITOR_PORTAL):
        visitor = Visitor.objects.filter(user_id=actor.pk).first()
        if visitor is not None:
            return visitor
    raise NotFound(_("No visitor profile."))


def contacts_of_visitor(visitor: Visitor) -> QuerySet[Contact]:
    return Contact.objects.filter(visitor=visitor).select_related("person")
