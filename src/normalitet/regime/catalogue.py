"""The activity catalogue of a facility (RULES.md § 8; SGL § 3, SGF § 1-4 and § 3-13): what it
offers (work, county school, programmes, leisure), where, for how many, led by whom, on which
weekly sessions, and who may take part (forms of execution and legal statuses).

Writes are keyword-only services, each one transaction with its audit event (codes and dates
only), refusing bad input with a ``DomainError`` before anything is written. Managing the
catalogue takes ``REGIME_MANAGE`` in the activity's own facility.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from normalitet.audit.services import record_change
from normalitet.core import clock
from normalitet.core.errors import Conflict, DomainError, NotFound
from normalitet.core.validation import text
from normalitet.custody.models import LegalStatus
from normalitet.estate.models import SecurityLevel
from normalitet.identity.policies import ensure_cap
from normalitet.identity.roles import Cap, Role

from .access import activities_for, regime_facility
from .allocation import not_past
from .allowance import kroner
from .domain.rules import ALLOWANCE_RATES, in_force
from .models import (
    CATEGORY_KIND,
    HOLDS_PLACE,
    WAITING,
    Activity,
    ActivityKind,
    Allocation,
    Provider,
    Session,
    SessionCancellation,
)
from .occurrences import occurrence_of

# fmt: off
# Who may lead an activity: the facility's own staff who run the day, and county teachers.
LEADER_ROLES = (
    Role.OFFICER, Role.CONTACT_OFFICER, Role.CASE_MANAGER, Role.FACILITY_LEADER, Role.TEACHER,
)
# The fields of an activity that its services set.
FIELDS = (
    "name", "kind", "category", "provider", "place", "capacity", "leader", "security_levels",
    "legal_statuses", "meets_activity_duty", "supplement_ore", "runs_on_holidays", "community",
    "description",
)
# fmt: on


def supplement_max_ore(on: dt.date | None = None) -> int:
    """The year's highest supplement for demanding work (SGF § 3-13)."""
    return in_force(ALLOWANCE_RATES, on or clock.today()).supplement_max_ore


def weekday_name(weekday: int) -> str:
    return str(WEEKDAYS[weekday])


def open_to(activity: Activity) -> tuple[list[str], list[str]]:
    """The labels of the forms of execution and legal statuses that may take part (empty:
    everyone)."""
    return (
        [str(SecurityLevel(v).label) for v in activity.security_levels],
        [str(LegalStatus(v).label) for v in activity.legal_statuses],
    )


def leader_choices(*, facility_id: int) -> QuerySet[Any]:
    """Users who may lead an activity of the facility."""
    return (
        get_user_model()
        .objects.filter(facility_id=facility_id, role__in=LEADER_ROLES, is_active=True)
        .order_by("last_name", "first_name", "username")
    )


def ensure_manages(actor: Any, activity: Activity) -> None:
    """``REGIME_MANAGE`` in the activity's facility; an activity elsewhere is not found."""
    ensure_cap(actor, Cap.REGIME_MANAGE)
    if activity.facility_id != getattr(actor, "facility_id", None):
        raise NotFound(_("No such activity."))


# --- Selectors ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueRow:
    activity: Activity
    held: int
    waiting: int

    @property
    def free(self) -> int:
        return max(self.activity.capacity - self.held, 0)


def catalogue_rows(activities: QuerySet[Activity]) -> list[CatalogueRow]:
    """The activities with the places held and the waiting list counted, in one query."""
    rows = activities.select_related("leader").annotate(
        n_held=Count("allocations", filter=Q(allocations__status__in=HOLDS_PLACE)),
        n_waiting=Count("allocations", filter=Q(allocations__status__in=WAITING)),
    )
    return [CatalogueRow(a, a.n_held, a.n_waiting) for a in rows.order_by("kind", "name")]


def catalogue(
    *, actor: Any, kind: str | None = None, include_inactive: bool = False
) -> list[CatalogueRow]:
    """The catalogue the actor sees (a teacher: the activities they lead), by kind and name."""
    activities = activities_for(actor=actor)
    if kind:
        activities = activities.filter(kind=kind)
    if not include_inactive:
        activities = activities.filter(is_active=True)
    return catalogue_rows(activities)


def activity_sessions(*, activity: Activity) -> list[Session]:
    """Every session of the activity, current and ended, by weekday and time."""
    return list(activity.sessions.order_by("weekday", "starts", "valid_from"))


def upcoming_cancellations(*, activity: Activity) -> list[SessionCancellation]:
    return list(
        SessionCancellation.objects.filter(session__activity=activity, on__gte=clock.today())
        .select_related("session")
        .order_by("on", "session__starts")
    )


# --- The catalogue ------------------------------------------------------------------------------


def _codes(values: Iterable[str], allowed: list[str], field: str) -> list[str]:
    chosen = sorted(set(values or ()))
    if any(v not in allowed for v in chosen):
        raise DomainError(_("Choose among the listed values."), field=field)
    return chosen


def _leader(leader: Any, facility_id: int) -> Any:
    if leader is None:
        return None
    if leader.facility_id != facility_id or leader.role not in LEADER_ROLES or not leader.is_active:
        raise DomainError(
            _("The leader must be an officer or a teacher of this facility."), field="leader"
        )
    return leader


def _cleaned(data: dict[str, Any], *, facility_id: int, held: int, pk: int | None) -> dict:
    """Every field of an activity checked; the first problem raises, naming its field."""
    kind, category = data["kind"], data["category"]
    if kind not in ActivityKind.values:
        raise DomainError(_("Choose the kind of activity."), field="kind")
    if CATEGORY_KIND.get(category) != kind:
        raise DomainError(
            _("Choose a category of the kind %(kind)s.") % {"kind": ActivityKind(kind).label},
            field="category",
        )
    provider = data["provider"] or (
        Provider.COUNTY if kind == ActivityKind.EDUCATION else Provider.CORRECTIONAL_SERVICE
    )
    if provider not in Provider.values:
        raise DomainError(_("Choose who provides the activity."), field="provider")
    capacity = data["capacity"]
    if not isinstance(capacity, int) or capacity < 1:
        raise DomainError(_("An activity has at least one place."), field="capacity")
    if capacity < held:
        raise Conflict(
            ngettext(
                "%(n)s person holds a place: end places before lowering the capacity.",
                "%(n)s persons hold a place: end places before lowering the capacity.",
                held,
            )
            % {"n": held},
            field="capacity",
        )
    supplement, most = data["supplement_ore"] or 0, supplement_max_ore()
    if supplement < 0 or supplement > most:
        raise DomainError(
            _("The supplement is at most %(max)s a day (SGF § 3-13).") % {"max": kroner(most)},
            field="supplement_ore",
        )
    if supplement and kind != ActivityKind.WORK:
        raise DomainError(
            _("A supplement is paid for demanding work only."), field="supplement_ore"
        )
    duty = data["meets_activity_duty"]
    duty = kind != ActivityKind.LEISURE if duty is None else bool(duty)
    if duty and kind == ActivityKind.LEISURE:
        raise DomainError(
            _("Leisure does not meet the activity duty (SGF § 1-4)."), field="meets_activity_duty"
        )
    cleaned = {
        "name": text(data["name"], "name", _("Give the activity a name."), 120),
        "kind": kind,
        "category": category,
        "provider": provider,
        "place": text(data["place"], "place", _("Say where the activity takes place."), 120),
        "capacity": capacity,
        "leader": _leader(data["leader"], facility_id),
        "security_levels": _codes(data["security_levels"], SecurityLevel.values, "security_levels"),
        "legal_statuses": _codes(data["legal_statuses"], LegalStatus.values, "legal_statuses"),
        "meets_activity_duty": duty,
        "supplement_ore": supplement,
        "runs_on_holidays": bool(data["runs_on_holidays"]),
        "community": text(data["community"], "community", None, 80),
        "description": text(data["description"], "description", None, 2000),
    }
    same_name = Activity.objects.filter(facility_id=facility_id, name__iexact=cleaned["name"])
    if pk is not None:
        same_name = same_name.exclude(pk=pk)
    if same_name.exists():
        raise Conflict(_("The facility already has an activity by that name."), field="name")
    return cleaned


def _save(actor: Any, activity: Activity, action: str, data: dict[str, Any]) -> Activity:
    try:
        activity.save()
    except IntegrityError as exc:  # a concurrent activity took the name
        raise Conflict(
            _("The facility already has an activity by that name."), field="name"
        ) from exc
    record_change(actor=actor, action=action, obj=activity, data=data)
    return activity


def activity_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    category: str,
    place: str,
    capacity: int,
    provider: str = "",
    leader: Any = None,
    security_levels: Iterable[str] = (),
    legal_statuses: Iterable[str] = (),
    meets_activity_duty: bool | None = None,
    supplement_ore: int = 0,
    runs_on_holidays: bool = False,
    community: str = "",
    description: str = "",
) -> Activity:
    """Add an activity to the actor's facility. Work, school and programmes meet the activity
    duty by default (SGF § 1-4); the supplement is for demanding work, at most the year's rate
    (SGF § 3-13); empty levels or statuses mean everyone may take part."""
    ensure_cap(actor, Cap.REGIME_MANAGE)
    facility = regime_facility(actor=actor)
    data = {k: v for k, v in locals().items() if k in FIELDS}  # the parameters are FIELDS
    cleaned = _cleaned(data, facility_id=facility.pk, held=0, pk=None)
    with transaction.atomic():
        activity = Activity(facility=facility, **cleaned)
        return _save(
            actor,
            activity,
            "regime.activity_created",
            {"kind": activity.kind, "category": activity.category, "capacity": activity.capacity},
        )


def activity_update(*, actor: Any, activity: Activity, **changes: Any) -> Activity:
    """Change an activity (any of :data:`FIELDS`). The capacity cannot go below the places
    held; the activity row is locked so that no place is given meanwhile."""
    ensure_manages(actor, activity)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"activity_update: unknown fields {sorted(unknown)}")
    with transaction.atomic():
        activity = (
            Activity.objects.select_for_update(of=("self",))
            .select_related("leader")
            .get(pk=activity.pk)
        )
        held = Allocation.objects.filter(activity=activity, status__in=HOLDS_PLACE).count()
        before = {f: getattr(activity, f) for f in FIELDS}
        cleaned = _cleaned(
            {**before, **changes}, facility_id=activity.facility_id, held=held, pk=activity.pk
        )
        for field, value in cleaned.items():
            setattr(activity, field, value)
        changed = sorted(f for f in FIELDS if cleaned[f] != before[f])
        return _save(actor, activity, "regime.activity_updated", {"changed": changed})


def activity_deactivate(*, actor: Any, activity: Activity) -> Activity:
    """Stop offering an activity. Refused while anyone holds a place or waits for one: their
    places are ended (with reasons) and their requests decided first."""
    ensure_manages(actor, activity)
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if not activity.is_active:
            raise Conflict(_("The activity is no longer offered."))
        open_count = Allocation.objects.filter(
            activity=activity, status__in=(*HOLDS_PLACE, *WAITING)
        ).count()
        if open_count:
            raise Conflict(
                ngettext(
                    "%(n)s person holds a place or waits for one: end or decide it first.",
                    "%(n)s persons hold a place or wait for one: end or decide them first.",
                    open_count,
                )
                % {"n": open_count}
            )
        activity.is_active = False
        activity.save(update_fields=["is_active", "updated_at"])
        record_change(actor=actor, action="regime.activity_deactivated", obj=activity, data={})
    return activity


# --- Sessions -----------------------------------------------------------------------------------


def session_add(
    *,
    actor: Any,
    activity: Activity,
    weekday: int,
    starts: dt.time,
    ends: dt.time,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
) -> Session:
    """A weekly session of the activity (Monday is 0) from ``valid_from``. Refused when it
    overlaps another session of the same activity on the same weekday and dates."""
    ensure_manages(actor, activity)
    if not Activity.objects.filter(pk=activity.pk, is_active=True).exists():
        raise DomainError(_("The activity is no longer offered."))
    if weekday not in range(7):
        raise DomainError(_("Choose a weekday."), field="weekday")
    if ends <= starts:
        raise DomainError(_("The session must end after it starts."), field="ends")
    not_past(valid_from, "valid_from", _("A new session cannot start in the past."))
    if valid_to is not None and valid_to < valid_from:
        raise DomainError(_("The last day is before the first."), field="valid_to")
    clash = activity.sessions.filter(weekday=weekday, starts__lt=ends, ends__gt=starts).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    )
    if valid_to is not None:
        clash = clash.filter(valid_from__lte=valid_to)
    other = clash.first()
    if other is not None:
        raise Conflict(
            _("The activity already has a session then: %(day)s %(starts)s–%(ends)s.")
            % {
                "day": weekday_name(other.weekday),
                "starts": f"{other.starts:%H:%M}",
                "ends": f"{other.ends:%H:%M}",
            },
            field="starts",
        )
    with transaction.atomic():
        session = Session.objects.create(
            activity=activity,
            weekday=weekday,
            starts=starts,
            ends=ends,
            valid_from=valid_from,
            valid_to=valid_to,
        )
        record_change(
            actor=actor,
            action="regime.session_added",
            obj=session,
            data={"weekday": weekday, "valid_from": valid_from.isoformat()},
        )
    return session


def session_end(*, actor: Any, session: Session, valid_to: dt.date) -> Session:
    """The session's last day (from today on; a day already past stays in the registers)."""
    ensure_manages(actor, session.activity)
    today = clock.today()
    if session.valid_to is not None and session.valid_to < today:
        raise Conflict(_("The session has already ended."))
    not_past(valid_to, "valid_to", _("The last day cannot be in the past."))
    if valid_to < session.valid_from:
        raise DomainError(_("The last day is before the session starts."), field="valid_to")
    with transaction.atomic():
        session.valid_to = valid_to
        session.save(update_fields=["valid_to"])
        record_change(
            actor=actor,
            action="regime.session_ended",
            obj=session,
            data={"valid_to": valid_to.isoformat()},
        )
    return session


def session_cancel(
    *, actor: Any, session: Session, on: dt.date, reason: str
) -> SessionCancellation:
    """One date of the session does not run (staff, a holiday plan, a lockdown). Only a date
    on which it would run, today or later."""
    ensure_manages(actor, session.activity)
    reason = text(reason, "reason", _("Say why the session does not run."), 255)
    not_past(on, "on", _("A past session cannot be cancelled; record it in the register."))
    ran = occurrence_of(session, on)
    if ran is None:
        raise DomainError(_("The session does not run on that date."), field="on")
    if ran.cancelled:
        if SessionCancellation.objects.filter(session=session, on=on).exists():
            raise Conflict(_("The session is already cancelled on that date."), field="on")
        raise DomainError(
            _("The session does not run on that date: %(reason)s") % {"reason": ran.cancel_reason},
            field="on",
        )
    try:
        with transaction.atomic():
            cancellation = SessionCancellation.objects.create(
                session=session, on=on, reason=reason, cancelled_by=actor
            )
            record_change(
                actor=actor,
                action="regime.session_cancelled",
                obj=cancellation,
                data={"session": session.pk, "on": on.isoformat()},
            )
    except IntegrityError as exc:
        raise Conflict(_("The session is already cancelled on that date."), field="on") from exc
    return cancellation


def session_reinstate(*, actor: Any, session: Session, on: dt.date) -> Session:
    """Undo a cancellation: the session runs on ``on`` after all."""
    ensure_manages(actor, session.activity)
    not_past(on, "on", _("A past session cannot be reinstated."))
    with transaction.atomic():
        deleted, _rows = SessionCancellation.objects.filter(session=session, on=on).delete()
        if not deleted:
            raise NotFound(_("The session is not cancelled on that date."), field="on")
        record_change(
            actor=actor,
            action="regime.session_reinstated",
            obj=session,
            data={"on": on.isoformat()},
        )
    return session
