"""Who may see and do what in the daily regime (DESIGN.md: deny by default; a record the
actor may not see is a 404, the same as a missing one).

- Facility staff (officer, contact officer, case manager, leader) see the regime of their own
  facility; person-level pages follow their caseload.
- A teacher sees only the activities they lead, and the persons allocated to them.
- Regional and national roles see aggregates of the facilities in their scope.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from normalitet.core.errors import NotFound
from normalitet.custody.caseload import open_episodes_in_caseload
from normalitet.custody.models import CustodyEpisode
from normalitet.estate.models import Facility, Unit
from normalitet.estate.selectors import facilities_for
from normalitet.identity.policies import can, ensure_cap
from normalitet.identity.roles import Cap, Role

from .models import OPEN_STATUSES, Activity, Allocation, EndReason, Session


def is_teacher(actor: Any) -> bool:
    return getattr(actor, "role", None) == Role.TEACHER


def regime_facility(*, actor: Any, facility_id: int | None = None) -> Facility:
    """The facility whose regime the actor works in: their own (staff and teachers), or for
    aggregate roles one of the facilities they oversee. NotFound otherwise."""
    if can(actor, Cap.REGIME_VIEW) and actor.facility_id:
        if facility_id is None or facility_id == actor.facility_id:
            facility = Facility.objects.filter(pk=actor.facility_id).first()
            if facility is not None:
                return facility
    elif can(actor, Cap.REGIME_AGGREGATE) and facility_id is not None:
        facility = facilities_for(actor=actor).filter(pk=facility_id).first()
        if facility is not None:
            return facility
    raise NotFound(_("No such facility."))


def staff_facility(*, actor: Any) -> Facility:
    """The facility of staff who run its regime (teachers and aggregate roles: NotFound)."""
    if is_teacher(actor) or not can(actor, Cap.REGIME_VIEW):
        raise NotFound(_("No such facility."))
    return regime_facility(actor=actor)


def activities_for(*, actor: Any) -> QuerySet[Activity]:
    """The activities the actor may see: their facility's, or a teacher's own."""
    if not can(actor, Cap.REGIME_VIEW) or not actor.facility_id:
        return Activity.objects.none()
    activities = Activity.objects.filter(facility_id=actor.facility_id)
    if is_teacher(actor):
        activities = activities.filter(leader_id=actor.pk)
    return activities


def ensure_activity(*, actor: Any, activity_id: int) -> Activity:
    activity = (
        activities_for(actor=actor).select_related("facility", "leader").filter(pk=activity_id)
    ).first()
    if activity is None:
        raise NotFound(_("No such activity."))
    return activity


def ensure_session(*, actor: Any, session_id: int) -> Session:
    """A session of an activity the actor sees, else NotFound."""
    session = (
        Session.objects.select_related("activity")
        .filter(pk=session_id, activity__in=activities_for(actor=actor))
        .first()
    )
    if session is None:
        raise NotFound(_("No such session."))
    return session


def ensure_manageable_activity(*, actor: Any, activity_id: int) -> Activity:
    ensure_cap(actor, Cap.REGIME_MANAGE)
    return ensure_activity(actor=actor, activity_id=activity_id)


def ensure_unit(*, actor: Any, unit_id: int) -> Unit:
    """A unit of the actor's facility (teachers have none)."""
    unit = None
    if can(actor, Cap.REGIME_VIEW) and actor.facility_id and not is_teacher(actor):
        unit = Unit.objects.filter(pk=unit_id, facility_id=actor.facility_id).first()
    if unit is None:
        raise NotFound(_("No such unit."))
    return unit


def episodes_for(*, actor: Any) -> QuerySet[CustodyEpisode]:
    """Open custody episodes whose regime data the actor may open: the caseload for staff; for
    a teacher, the persons allocated to (or waiting for) an activity they lead."""
    if is_teacher(actor) and can(actor, Cap.REGIME_VIEW):
        # Allocated to, suspended from or waiting for an activity they lead, or finished it:
        # not declined, withdrawn or ended for another reason.
        allocated = (
            Allocation.objects.filter(activity__leader_id=actor.pk)
            .filter(Q(status__in=OPEN_STATUSES) | Q(end_reason=EndReason.COMPLETED))
            .values("episode_id")
        )
        return CustodyEpisode.objects.filter(released_at__isnull=True, pk__in=allocated)
    return open_episodes_in_caseload(actor)


def ensure_episode(*, actor: Any, person_id: int) -> CustodyEpisode:
    """The open episode of a person whose regime data the actor may open, else NotFound (a
    role without the regime, such as health staff, gets the same NotFound)."""
    if not can(actor, Cap.REGIME_VIEW):
        raise NotFound(_("No such person."))
    episode = (
        episodes_for(actor=actor)
        .select_related("person", "facility", "unit", "cell")
        .filter(person_id=person_id)
        .first()
    )
    if episode is None:
        raise NotFound(_("No such person."))
    return episode
