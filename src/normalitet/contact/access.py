"""Who may see and do what in family contact (DESIGN.md: deny by default; a record the actor
may not see is a 404, the same as a missing one).

- Facility staff see the contacts, visits, calls, mail and court restrictions of the persons in
  their caseload, and the visit rooms and sessions of their facility.
- A visitor (family portal) sees only their own relationships, bookings and notices.
- Regional, national, health, teacher and administrator roles see none of it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from normalitet.core.errors import NotFound
from normalitet.custody.caseload import open_episodes_in_caseload
from normalitet.custody.models import CustodyEpisode
from normalitet.estate.models import Facility
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap

from .models import Contact, PhoneNumber, PoliceCheck, Visitor, VisitRoom


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
    episode = (
        episodes_for(actor=actor)
        .select_related("person", "facility", "unit", "cell")
        .filter(person_id=person_id)
        .first()
    )
    if episode is None:
        raise NotFound(_("No such person."))
    return episode


def ensure_same_episode(*, actor: Any, episode: CustodyEpisode) -> CustodyEpisode:
    """``episode`` read again from the actor's caseload, if it is still the person's open
    episode there; else NotFound (a record passed in is never trusted as it is)."""
    found = ensure_episode(actor=actor, person_id=episode.person_id)
    if found.pk != episode.pk:
        raise NotFound(_("No such person."))
    return found


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


# --- Contacts, visitors, police checks and numbers of persons in the caseload -------------


def caseload_person_ids(actor: Any) -> QuerySet[CustodyEpisode, Any]:
    return episodes_for(actor=actor).values("person_id")


def ensure_contact(*, actor: Any, contact_id: int) -> Contact:
    """A contact of a person in the actor's caseload, else NotFound."""
    found = (
        Contact.objects.select_related("visitor", "person")
        .filter(pk=contact_id, person_id__in=caseload_person_ids(actor))
        .first()
    )
    if found is None:
        raise NotFound(_("No such contact."))
    return found


def visible_visitors(actor: Any) -> QuerySet[Visitor]:
    """Visitors who are (or asked to be, or were) contacts of persons in the caseload."""
    return Visitor.objects.filter(
        pk__in=Contact.objects.filter(person_id__in=caseload_person_ids(actor)).values("visitor_id")
    )


def ensure_visitor(*, actor: Any, visitor_id: int) -> Visitor:
    found = visible_visitors(actor).filter(pk=visitor_id).first()
    if found is None:
        raise NotFound(_("No such visitor."))
    return found


def ensure_police_check(*, actor: Any, check_id: int) -> PoliceCheck:
    """A police check asked for by the actor's facility, of a visitor they may see."""
    found = (
        PoliceCheck.objects.select_related("visitor")
        .filter(
            pk=check_id,
            facility_id=actor.facility_id,
            visitor_id__in=visible_visitors(actor).values("pk"),
        )
        .first()
    )
    if found is None:
        raise NotFound(_("No such police check."))
    return found


def search_visitors(actor: Any, q: str) -> QuerySet[Visitor]:
    """Visitors the actor may see whose names contain every word of ``q``."""
    found = visible_visitors(actor)
    words = q.split()
    if not words:
        return found.none()
    for word in words[:4]:
        found = found.filter(Q(given_names__icontains=word) | Q(family_name__icontains=word))
    return found.order_by("family_name", "given_names", "pk")


def ensure_phone(*, actor: Any, number_id: int) -> PhoneNumber:
    """A number of a person in the actor's caseload, else NotFound."""
    found = (
        PhoneNumber.objects.select_related("person", "contact__visitor")
        .filter(
            pk=number_id,
            person_id__in=episodes_for(actor=actor).values("person_id"),
        )
        .first()
    )
    if found is None:
        raise NotFound(_("No such number."))
    return found
