"""Taking part in activities (RULES.md § 8; SGL § 3, SGF § 1-4): the waiting list (requested,
approved, declined, withdrawn) and places (allocated, suspended, ended), within capacity and
with non-associations and court restrictions on company respected.

Every change of status is one of :data:`TRANSITIONS`, made on the locked row in one
transaction with its audit event (codes and dates only). Staff with ``ACTIVITY_REQUEST`` put a
person of their caseload on the waiting list and record a withdrawal; staff with
``ACTIVITY_ALLOCATE`` decide, allocate, suspend, resume and end, in their own facility.

When custody transfers or releases a person, their places end and their requests are
withdrawn (the receivers at the bottom, connected in ``RegimeConfig.ready``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.dispatch import receiver
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from normalitet.audit.services import record_change
from normalitet.contact import restrictions as court
from normalitet.core import clock
from normalitet.core.errors import Conflict, DomainError, NotFound
from normalitet.core.validation import ensure_open, text
from normalitet.custody import signals
from normalitet.custody.caseload import open_episodes_in_caseload
from normalitet.custody.models import CustodyEpisode, LegalStatus
from normalitet.custody.selectors import person_non_associations
from normalitet.estate.models import SecurityLevel
from normalitet.identity.policies import can, ensure_cap
from normalitet.identity.roles import Cap

from . import health_facts
from .access import activities_for
from .models import (
    HOLDS_PLACE,
    OPEN_STATUSES,
    WAITING,
    Activity,
    ActivityKind,
    Allocation,
    AllocationStatus,
    CompanyRestriction,
    EndReason,
    Suspension,
)
from .occurrences import overlapping, running_on

S = AllocationStatus
# The statuses each action starts from; anything else is refused with its message.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "decide": (S.REQUESTED,),
    "allocate": (S.REQUESTED, S.APPROVED),
    "withdraw": WAITING,
    "suspend": (S.ALLOCATED,),
    "resume": (S.SUSPENDED,),
    "end": HOLDS_PLACE,
}
REFUSALS: dict[str, Promise] = {
    "decide": gettext_lazy("Only a new request can be approved or declined (now: %(status)s)."),
    "allocate": gettext_lazy(
        "Only a request on the waiting list can get a place (now: %(status)s)."
    ),
    "withdraw": gettext_lazy(
        "Only a request on the waiting list can be withdrawn (now: %(status)s)."
    ),
    "suspend": gettext_lazy("Only a place in use can be suspended (now: %(status)s)."),
    "resume": gettext_lazy("Only a suspended place can be resumed (now: %(status)s)."),
    "end": gettext_lazy("Only a place that is held can be ended (now: %(status)s)."),
}
# The caps each action takes.
NEEDS: dict[str, Cap] = {action: Cap.ACTIVITY_ALLOCATE for action in TRANSITIONS} | {
    "withdraw": Cap.ACTIVITY_REQUEST
}
SUSPEND_REASONS = (EndReason.HEALTH, EndReason.SECURITY, EndReason.PERSON_REQUEST)
END_REASONS = (
    EndReason.COMPLETED,
    EndReason.DISMISSED,
    EndReason.HEALTH,
    EndReason.SECURITY,
    EndReason.PERSON_REQUEST,
)


def may(actor: Any, allocation: Allocation, action: str) -> bool:
    """Whether the page offers ``action`` on ``allocation`` to ``actor``."""
    return allocation.status in TRANSITIONS[action] and can(actor, NEEDS[action])


# --- Selectors ----------------------------------------------------------------------------------


def allocations_for(*, actor: Any) -> QuerySet[Allocation]:
    """Allocations in the activities the actor sees (a teacher: those they lead)."""
    return Allocation.objects.filter(activity__in=activities_for(actor=actor))


def ensure_allocation(*, actor: Any, allocation_id: int) -> Allocation:
    allocation = (
        allocations_for(actor=actor)
        .select_related("activity", "person", "episode")
        .filter(pk=allocation_id)
        .first()
    )
    if allocation is None:
        raise NotFound(_("No such allocation."))
    return allocation


def _listed(allocations: QuerySet[Allocation]) -> QuerySet[Allocation]:
    return allocations.select_related("activity", "person", "episode__unit").prefetch_related(
        Prefetch("suspensions", queryset=Suspension.objects.order_by("-starts_on"))
    )


def participants(*, activity: Activity) -> list[Allocation]:
    """Who holds a place (allocated or suspended), by name."""
    return list(
        _listed(activity.allocations.filter(status__in=HOLDS_PLACE)).order_by(
            "person__family_name", "person__given_names", "pk"
        )
    )


def waiting_list(*, actor: Any, activity: Activity | None = None) -> list[Allocation]:
    """Requests on the waiting list in request order, of one activity or of every activity
    the actor sees."""
    allocations = allocations_for(actor=actor).filter(status__in=WAITING)
    if activity is not None:
        allocations = allocations.filter(activity=activity)
    return list(_listed(allocations).order_by("requested_on", "pk")[:500])


def closed_allocations(*, activity: Activity) -> list[Allocation]:
    """Ended places and closed requests (declined, withdrawn), the latest first."""
    closed = activity.allocations.exclude(status__in=OPEN_STATUSES)
    return list(_listed(closed).order_by("-requested_on", "-pk")[:500])


def person_allocations(*, actor: Any, episode: CustodyEpisode) -> list[Allocation]:
    """The person's places and requests in this stay, in the activities the actor sees: the
    open ones first, each group newest first."""
    rows = list(_listed(allocations_for(actor=actor).filter(episode=episode)))
    return sorted(rows, key=lambda a: (a.status not in OPEN_STATUSES, -a.requested_on.toordinal()))


def requestable_activities(*, episode: CustodyEpisode) -> QuerySet[Activity]:
    """Active activities of the person's facility without an open request or place."""
    taken = Allocation.objects.filter(episode=episode, status__in=OPEN_STATUSES)
    return Activity.objects.filter(facility_id=episode.facility_id, is_active=True).exclude(
        pk__in=taken.values("activity_id")
    )


def current_suspension(allocation: Allocation) -> Suspension | None:
    """The suspension in force or to come (from prefetched rows)."""
    today = clock.today()
    return next(
        (s for s in allocation.suspensions.all() if s.ends_on is None or s.ends_on >= today), None
    )


# --- Checks -------------------------------------------------------------------------------------


def eligibility_problem(activity: Activity, episode: CustodyEpisode) -> str | None:
    """Why the person may not take part, by the activity's forms of execution (the unit's
    level, else the facility's) and legal statuses; None if they may."""
    level = (episode.unit or episode.facility).security_level
    if activity.security_levels and level not in activity.security_levels:
        return _("The activity is not open to persons in %(level)s.") % {
            "level": SecurityLevel(level).label
        }
    if activity.legal_statuses and episode.legal_status not in activity.legal_statuses:
        return _("The activity is not open to the legal status %(status)s.") % {
            "status": LegalStatus(episode.legal_status).label
        }
    return None


def _ensure_eligible(activity: Activity, episode: CustodyEpisode) -> None:
    problem = eligibility_problem(activity, episode)
    if problem:
        raise Conflict(problem, field="activity", rule="eligibility")


def work_fitness(activity: Activity, person_id: int, on: dt.date) -> str:
    """What the health service says of the person's fitness for work on ``on`` (``fit``,
    ``restricted``, ``unfit``), for a work activity; '' for any other or without a statement."""
    if activity.kind != ActivityKind.WORK:
        return ""
    return health_facts.work_fitness([person_id], on=on).get(person_id, "")


def _ensure_fit_for_work(
    activity: Activity, person_id: int, day: dt.date, field: str = "starts_on"
) -> None:
    """A person the health service has said is not fit for work gets no place in work, and
    does not go back to a suspended one; fit for restricted work is allowed (the page warns).
    The reason stays with the health service (SGL § 4 a)."""
    if work_fitness(activity, person_id, day) == health_facts.UNFIT:
        raise Conflict(
            _("The health service has said the person is not fit for work on that date."),
            field=field,
            rule="fitness",
        )


def _ensure_may_join(activity: Activity, allocation: Allocation, day: dt.date) -> None:
    """Room in the activity (its row locked by the caller), nobody there the person is to be
    kept apart from (a non-association, or the court's isolation from named persons), and for
    a group activity no restriction on company on ``day`` (the court's full isolation, or a
    restriction recorded in the regime)."""
    held = set(
        activity.allocations.filter(status__in=HOLDS_PLACE).values_list("person_id", flat=True)
    )
    if len(held) >= activity.capacity:
        raise Conflict(
            _("The activity is full: %(n)s of %(n)s places are held.") % {"n": activity.capacity},
            rule="capacity",
        )
    if any(other.pk in held for _na, other in person_non_associations(person=allocation.person)):
        raise Conflict(
            _("The person must be kept apart from someone who holds a place in the activity."),
            rule="non-association",
        )
    if activity.capacity > 1 and court.in_force(allocation.person_id, day).full_isolation:
        raise Conflict(
            _(
                "The court ordered full isolation (STRPL § 186 a): the person takes no part in "
                "group activities then."
            ),
            field="starts_on",
            rule="court-isolation",
        )
    if held & court.isolated_from(allocation.person_id, day):
        raise Conflict(
            _(
                "The court ordered the person isolated from someone who holds a place in the "
                "activity."
            ),
            rule="court-isolation",
        )
    restriction = CompanyRestriction.objects.filter(
        running_on(day), episode_id=allocation.episode_id
    ).first()
    if restriction is not None and activity.capacity > 1:
        raise Conflict(
            _("%(restriction)s: the person takes no part in group activities then.")
            % {"restriction": restriction.get_kind_display()},
            field="starts_on",
            rule="company-restriction",
        )


def _ensure_allocator(actor: Any, allocation: Allocation, action: str) -> None:
    ensure_cap(actor, NEEDS[action])
    if action == "withdraw":
        if not open_episodes_in_caseload(actor).filter(pk=allocation.episode_id).exists():
            raise NotFound(_("No such allocation."))
    elif allocation.activity.facility_id != getattr(actor, "facility_id", None):
        raise NotFound(_("No such allocation."))


def not_past(day: dt.date, field: str, message: str) -> None:
    """Refuse a day before today, with ``message`` on ``field``."""
    if day < clock.today():
        raise DomainError(message, field=field)


def _transition(
    actor: Any,
    allocation: Allocation,
    action: str,
    changes: dict[str, Any],
    *,
    check: Any = None,
    data: dict[str, Any] | None = None,
) -> Allocation:
    """Lock the row, check it may go through ``action`` (and ``check(locked)``), write the
    ``changes`` and the audit event (with ``data``)."""
    with transaction.atomic():
        locked = Allocation.objects.select_for_update().get(pk=allocation.pk)
        if locked.status not in TRANSITIONS[action]:
            raise Conflict(str(REFUSALS[action]) % {"status": locked.get_status_display()})
        if check is not None:
            check(locked)
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.save(update_fields=[*changes, "updated_at"])
        record_change(
            actor=actor,
            action=f"regime.allocation_{action}",
            obj=locked,
            person_id=locked.person_id,
            data={
                "status": locked.status,
                **{k: v.isoformat() for k, v in changes.items() if isinstance(v, dt.date)},
                **({"reason": locked.end_reason} if locked.end_reason else {}),
                **(data or {}),
            },
        )
    return locked


# --- The waiting list ---------------------------------------------------------------------------


def allocation_request(
    *, actor: Any, episode: CustodyEpisode, activity: Activity, note: str = ""
) -> Allocation:
    """Put a person of the actor's caseload on an activity's waiting list, with why, in the
    person's words. One open request or place per activity and stay."""
    ensure_cap(actor, Cap.ACTIVITY_REQUEST)
    if not open_episodes_in_caseload(actor).filter(pk=episode.pk).exists():
        raise NotFound(_("No such person."))
    if activity.facility_id != getattr(actor, "facility_id", None):
        raise NotFound(_("No such activity."), field="activity")
    ensure_open(episode)
    if episode.facility_id != activity.facility_id:
        raise DomainError(_("The activity is in another facility."), field="activity")
    if not activity.is_active:
        raise DomainError(_("The activity is no longer offered."), field="activity")
    note = text(note, "note", None, 500)
    _ensure_eligible(activity, episode)
    already = _("The person already has a request or a place in this activity.")
    if Allocation.objects.filter(
        activity=activity, episode=episode, status__in=OPEN_STATUSES
    ).exists():
        raise Conflict(already, field="activity")
    try:
        with transaction.atomic():
            allocation = Allocation.objects.create(
                activity=activity,
                person_id=episode.person_id,
                episode=episode,
                status=S.REQUESTED,
                requested_on=clock.today(),
                requested_by=actor,
                request_note=note,
            )
            record_change(
                actor=actor,
                action="regime.allocation_requested",
                obj=allocation,
                person_id=episode.person_id,
                data={"activity": activity.pk, "status": S.REQUESTED},
            )
    except IntegrityError as exc:  # a concurrent request won
        raise Conflict(already, field="activity") from exc
    return allocation


def allocation_decide(
    *, actor: Any, allocation: Allocation, approve: bool, note: str = ""
) -> Allocation:
    """Approve a request (it waits for a place) or decline it, with the reason."""
    _ensure_allocator(actor, allocation, "decide")
    note = text(note, "note", None if approve else _("Give the reason for declining."), 500)
    return _transition(
        actor,
        allocation,
        "decide",
        {
            "status": S.APPROVED if approve else S.DECLINED,
            "decided_on": clock.today(),
            "decided_by": actor,
            "decision_note": note,
        },
    )


def allocation_allocate(
    *, actor: Any, allocation: Allocation, starts_on: dt.date | None = None
) -> Allocation:
    """Give the person a place from ``starts_on`` (today by default), within capacity: the
    activity row is locked and the places held counted. Refused when the person may not take
    part (level, legal status), must be kept apart from someone there, or is restricted from
    company on that day (court isolation, exclusion) and the activity is a group, or for work
    when the health service has said the person is not fit for work then."""
    _ensure_allocator(actor, allocation, "allocate")
    starts_on = starts_on or clock.today()
    not_past(starts_on, "starts_on", _("The date cannot be in the past."))
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=allocation.activity_id)
        episode = CustodyEpisode.objects.select_related("unit", "facility").get(
            pk=allocation.episode_id
        )

        def check(locked: Allocation) -> None:
            ensure_open(episode)
            if not activity.is_active:
                raise DomainError(_("The activity is no longer offered."))
            _ensure_eligible(activity, episode)
            _ensure_fit_for_work(activity, locked.person_id, starts_on)
            _ensure_may_join(activity, locked, starts_on)

        changes: dict[str, Any] = {"status": S.ALLOCATED, "starts_on": starts_on}
        if allocation.decided_on is None:
            changes |= {"decided_on": clock.today(), "decided_by": actor}
        return _transition(actor, allocation, "allocate", changes, check=check)


def allocation_withdraw(*, actor: Any, allocation: Allocation, note: str = "") -> Allocation:
    """The person withdraws their request (recorded by staff of their caseload)."""
    _ensure_allocator(actor, allocation, "withdraw")
    note = text(note, "note", None, 500)
    return _transition(
        actor,
        allocation,
        "withdraw",
        {
            "status": S.WITHDRAWN,
            "ended_on": clock.today(),
            "end_reason": EndReason.PERSON_REQUEST,
            "end_note": note,
        },
    )


# --- Places -------------------------------------------------------------------------------------


def allocation_suspend(
    *,
    actor: Any,
    allocation: Allocation,
    reason: str,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    note: str = "",
) -> Suspension:
    """Pause a place for a reason (health, security, the person's request) from ``starts_on``
    (today by default) to ``ends_on`` (open if not given); the place is kept."""
    _ensure_allocator(actor, allocation, "suspend")
    if reason not in SUSPEND_REASONS:
        raise DomainError(_("Choose the reason for the suspension."), field="reason")
    starts_on = starts_on or clock.today()
    not_past(starts_on, "starts_on", _("The date cannot be in the past."))
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("The suspension ends before it starts."), field="ends_on")
    note = text(note, "note", None, 500)

    def check(locked: Allocation) -> None:
        if locked.starts_on is not None and starts_on < locked.starts_on:
            raise DomainError(_("The suspension starts before the place."), field="starts_on")

    with transaction.atomic():
        locked = _transition(
            actor,
            allocation,
            "suspend",
            {"status": S.SUSPENDED},
            check=check,
            data={"reason": reason, "starts_on": starts_on.isoformat()},
        )
        suspension = Suspension.objects.create(
            allocation=locked,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason,
            note=note,
            recorded_by=actor,
        )
    return suspension


def allocation_resume(
    *, actor: Any, allocation: Allocation, on: dt.date | None = None
) -> Allocation:
    """The person takes part again from ``on`` (today by default): the suspension ends the day
    before, and one that had not begun is taken away. Refused for work when the health service
    has said the person is not fit for work on that day."""
    _ensure_allocator(actor, allocation, "resume")
    on = on or clock.today()
    not_past(on, "on", _("The date cannot be in the past."))

    def check(locked: Allocation) -> None:
        _ensure_fit_for_work(allocation.activity, locked.person_id, on, field="on")

    with transaction.atomic():
        locked = _transition(
            actor,
            allocation,
            "resume",
            {"status": S.ALLOCATED},
            check=check,
            data={"on": on.isoformat()},
        )
        running = Suspension.objects.filter(overlapping(on, None), allocation=locked)
        running.filter(starts_on__gte=on).delete()
        running.update(ends_on=on - dt.timedelta(days=1))
    return locked


def allocation_end(
    *,
    actor: Any,
    allocation: Allocation,
    reason: str,
    ended_on: dt.date | None = None,
    note: str = "",
) -> Allocation:
    """End a place (completed, dismissed, health, security, the person's request). The place
    is free from ``ended_on`` (today by default), which is not in the future nor before the
    place began."""
    _ensure_allocator(actor, allocation, "end")
    if reason not in END_REASONS:
        raise DomainError(_("Choose the reason for ending the place."), field="reason")
    ended_on = ended_on or clock.today()
    if ended_on > clock.today():
        raise DomainError(_("A place cannot end in the future."), field="ended_on")
    note = text(note, "note", None, 500)

    def check(locked: Allocation) -> None:
        began = locked.starts_on
        if began is not None and began <= clock.today() and ended_on < began:
            raise DomainError(_("The place ends before it began."), field="ended_on")

    return _transition(
        actor,
        allocation,
        "end",
        {"status": S.ENDED, "ended_on": ended_on, "end_reason": reason, "end_note": note},
        check=check,
    )


# --- After a transfer or a release --------------------------------------------------------------


def _close_all(episode: CustodyEpisode, actor: Any, at: dt.datetime, reason: str) -> None:
    """Every place of the stay ends and every request is withdrawn, from the day of ``at``."""
    day = at.astimezone(clock.OSLO).date()
    for allocation in Allocation.objects.select_for_update().filter(
        episode_id=episode.pk, status__in=OPEN_STATUSES
    ):
        held = allocation.status in HOLDS_PLACE
        allocation.status = S.ENDED if held else S.WITHDRAWN
        allocation.ended_on, allocation.end_reason = day, reason
        allocation.save(update_fields=["status", "ended_on", "end_reason", "updated_at"])
        record_change(
            actor=actor,
            action="regime.allocation_end" if held else "regime.allocation_withdraw",
            obj=allocation,
            person_id=allocation.person_id,
            data={"status": allocation.status, "reason": reason, "ended_on": day.isoformat()},
        )


@receiver(signals.transferred, dispatch_uid="regime.on_transfer")
def _on_transfer(
    sender: Any, episode: CustodyEpisode, actor: Any, at: dt.datetime, **kwargs: Any
) -> None:
    _close_all(episode, actor, at, EndReason.TRANSFERRED)


@receiver(signals.released, dispatch_uid="regime.on_release")
def _on_release(
    sender: Any, episode: CustodyEpisode, actor: Any, at: dt.datetime, **kwargs: Any
) -> None:
    _close_all(episode, actor, at, EndReason.RELEASED)
