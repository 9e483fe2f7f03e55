"""The regime's figures for a day, read in bulk: time out of cell and in company per person,
unit and facility (the Parliamentary Ombudsman's measure: locked in 16 hours or more), who is
below the unit's minimum, and the activity duty of convicted persons (SGL § 3, SGF § 1-4).

A facility's day is a handful of queries whatever its size (:func:`read_day`); the schedules
build on the same read. A person counts where they are now: the open custody episodes of the
facility with a unit, who had arrived by the end of the day. A person away from the facility
that day (court, hospital, leave) is counted apart, neither in nor out of a cell.

Sessions count towards time out of cell where the person holds a place that is not suspended,
the occurrence runs, and the register does not say they were away: for a past day only an
attended (or late) mark counts; for today and later days the planned sessions do.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import CharField, Q, Value
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from normalitet.contact import restrictions as court
from normalitet.contact.models import CourtRestriction, RestrictionKind
from normalitet.core import clock
from normalitet.core.errors import DomainError, NotFound
from normalitet.custody.models import CustodyEpisode, LegalStatus
from normalitet.estate.models import Facility, Unit
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap

from . import access
from . import occurrences as occ
from .access import regime_facility
from .domain import rules
from .domain.out_of_cell import Block, DayTime, Span, day_time, thresholds
from .models import (
    WAITING,
    Activity,
    Allocation,
    AllocationStatus,
    Closure,
    CompanyRestriction,
    CompanyRestrictionKind,
    EndReason,
    Outcome,
    Suspension,
    UnitRegime,
)

COUNTED = frozenset({Outcome.ATTENDED, Outcome.LATE})
# How long after a duty place ended the reason is still given for having none.
RECENTLY_ENDED_DAYS = 30


# The figures need the rule rows in force: no day before the first of them, nor far ahead.
FIRST_DAY = max(
    min(r.valid_from for r in rows) for rows in (rules.TIME_OUT_OF_CELL, rules.ACTIVITY_DUTY)
)
DAYS_AHEAD = 2 * 366


def checked_day(day: dt.date, *, field: str = "date") -> dt.date:
    """``day``, if the regime can be shown for it; else a DomainError naming ``field``."""
    last = clock.today() + dt.timedelta(days=DAYS_AHEAD)
    if not FIRST_DAY <= day <= last:
        raise DomainError(
            gettext("Choose a date between %(first)s and %(last)s.")
            % {"first": FIRST_DAY.isoformat(), "last": last.isoformat()},
            field=field,
        )
    return day


def local_date(instant: dt.datetime) -> dt.date:
    return instant.astimezone(clock.OSLO).date()


def hours(minutes: int | None) -> str:
    """Minutes as hours and minutes ('7 h 30 min'); a dash for none."""
    if minutes is None:
        return "–"
    return gettext("%(h)d h %(m)02d min") % {"h": minutes // 60, "m": minutes % 60}


@dataclass(frozen=True)
class Resident:
    """A person in the facility on the day, where they are now."""

    episode_id: int
    person_id: int
    facility_id: int
    unit_id: int
    unit_name: str
    cell: str
    name: str
    legal_status: str
    arrived_on: dt.date
    away: bool

    @property
    def convicted(self) -> bool:
        return self.legal_status != LegalStatus.REMAND

    @property
    def status_label(self) -> str:
        return str(LegalStatus(self.legal_status).label)


def residents(
    *,
    day: dt.date,
    facility_ids: Iterable[int] | None = None,
    unit_ids: Iterable[int] | None = None,
    episode_ids: Iterable[int] | None = None,
) -> list[Resident]:
    """Open episodes with a unit that had arrived by the end of ``day``, by name. A person is
    away when an absence that is still open began on or before the day and they are not
    expected back before it."""
    _start, end = clock.local_day_bounds(day)
    episodes = CustodyEpisode.objects.filter(
        released_at__isnull=True, unit__isnull=False, arrived_at__lt=end
    )
    if facility_ids is not None:
        episodes = episodes.filter(facility_id__in=list(facility_ids))
    if unit_ids is not None:
        episodes = episodes.filter(unit_id__in=list(unit_ids))
    if episode_ids is not None:
        episodes = episodes.filter(pk__in=list(episode_ids))
    rows = episodes.order_by("person__family_name", "person__given_names", "pk").values_list(
        "pk",
        "person_id",
        "facility_id",
        "unit_id",
        "unit__name",
        "cell__code",
        "person__given_names",
        "person__family_name",
        "legal_status",
        "arrived_at",
        "absent_since",
        "absence_expected_back",
    )
    result = []
    for pk, person, fac, unit, unit_name, cell, given, family, status, arrived, out, back in rows:
        away = (
            out is not None and local_date(out) <= day and (back is None or local_date(back) >= day)
        )
        result.append(
            Resident(
                pk, person, fac, unit, unit_name, cell or "", f"{given} {family}", status,
                local_date(arrived), away,
            )
        )  # fmt: skip
    return result


@dataclass(frozen=True)
class Taking:
    """An occurrence of a session in which a person holds a place, with the register's mark."""

    occurrence: occ.Occurrence
    allocation_id: int
    suspended: bool
    outcome: str = ""

    def runs_for(self, *, past: bool) -> bool:
        """Whether the person spends this session out of their cell."""
        if self.suspended or self.occurrence.cancelled:
            return False
        if self.outcome:
            return self.outcome in COUNTED
        return not past


def restrictions_on(*, day: dt.date, facility_ids: Iterable[int]) -> dict[int, tuple[str, dt.date]]:
    """Restrictions on company running on ``day``: episode id → (kind, from), the latest
    begun. The court's full isolation (STRPL § 186 a), recorded as a court order under family
    contact, counts as kind ``court``. One query."""
    ids = list(facility_ids)
    isolated = (
        CourtRestriction.objects.filter(
            court.in_force_on(day),
            kind=RestrictionKind.FULL_ISOLATION,
            episode__facility_id__in=ids,
            episode__released_at__isnull=True,
        )
        .annotate(restriction=Value(CompanyRestrictionKind.COURT.value, output_field=CharField()))
        .values_list("episode_id", "restriction", "starts_on")
        .order_by()
    )
    rows = (
        CompanyRestriction.objects.filter(
            occ.running_on(day),
            episode__facility_id__in=ids,
            episode__released_at__isnull=True,
        )
        .values_list("episode_id", "kind", "starts_on")
        .order_by()
    )
    found = sorted(rows.union(isolated, all=True), key=lambda r: r[2])
    return {episode: (kind, starts) for episode, kind, starts in found}


def closures_on(*, day: dt.date, facility_ids: Iterable[int]) -> dict[tuple[int, int | None], str]:
    """Closures on ``day``: (facility id, unit id or None for the whole facility) → reason."""
    rows = Closure.objects.filter(
        facility_id__in=list(facility_ids), starts_on__lte=day, ends_on__gte=day
    ).values_list("facility_id", "unit_id", "reason")
    return {(fac, unit): reason for fac, unit, reason in rows}


@dataclass
class DayRead:
    """Everything a day of one or more facilities needs, read once."""

    day: dt.date
    facility_ids: list[int]
    residents: list[Resident]
    occurrences: dict[int, list[occ.Occurrence]]  # by facility
    takings: dict[int, list[Taking]]  # by episode, in time order
    blocks: dict[int, list[Block]]  # by unit; a unit without a plan is missing
    closures: dict[tuple[int, int | None], str]
    restricted: dict[int, tuple[str, dt.date]]
    settings: dict[int, UnitRegime]
    units: list[Unit] = field(default_factory=list)  # every unit, when whole facilities are read

    # Each person's time, once computed (the unit lists and the figures share it).
    computed: dict[int, PersonTime] = field(default_factory=dict)

    @cached_property
    def past(self) -> bool:
        return self.day < clock.today()

    def closure(self, facility_id: int, unit_id: int | None) -> str:
        """The reason the unit (or its facility) is closed on the day, or ''."""
        return self.closures.get((facility_id, None)) or self.closures.get(
            (facility_id, unit_id), ""
        )

    def minimum(self, unit_id: int) -> int:
        setting = self.settings.get(unit_id)
        own = setting.minimum_out_of_cell_minutes if setting is not None else None
        return thresholds(self.day, own).minimum_out_of_cell

    def time_of(self, resident: Resident) -> DayTime:
        spans = [
            Span(*t.occurrence.span)
            for t in self.takings.get(resident.episode_id, ())
            if t.runs_for(past=self.past)
        ]
        return day_time(
            self.blocks.get(resident.unit_id, ()),
            spans,
            present=not resident.away,
            closed=bool(self.closure(resident.facility_id, resident.unit_id)),
            restricted=resident.episode_id in self.restricted,
        )


def read_day(
    *,
    day: dt.date,
    facility_ids: list[int],
    unit_ids: Iterable[int] | None = None,
    episode_ids: Iterable[int] | None = None,
) -> DayRead:
    """Read the day of ``facility_ids`` (optionally only some units or episodes) in bulk: three
    queries a facility for its sessions, and a handful for everything else."""
    people = residents(
        day=day, facility_ids=facility_ids, unit_ids=unit_ids, episode_ids=episode_ids
    )
    episodes = {r.episode_id for r in people}
    by_facility = occ.occurrences_many(facility_ids=facility_ids, day=day)
    single = facility_ids[0] if len(facility_ids) == 1 else None
    places = [
        p
        for p in occ.places_on(
            day=day,
            facility_id=single,
            episode_ids=list(episodes) if single is None or episode_ids is not None else None,
        )
        if p.episode_id in episodes
    ]
    marks = occ.marks_on(day=day, facility_ids=facility_ids) if places else {}
    by_activity: dict[int, list[occ.Occurrence]] = defaultdict(list)
    for occurrences in by_facility.values():
        for o in occurrences:
            by_activity[o.activity_id].append(o)
    takings: dict[int, list[Taking]] = defaultdict(list)
    for p in places:
        for o in by_activity.get(p.activity_id, ()):
            outcome = marks.get((p.allocation_id, o.session_id), "")
            takings[p.episode_id].append(Taking(o, p.allocation_id, p.suspended, outcome))
    for items in takings.values():
        items.sort(key=lambda t: (t.occurrence.starts, t.occurrence.activity_name))
    whole = unit_ids is None and episode_ids is None
    all_units = (
        list(Unit.objects.filter(facility_id__in=facility_ids).order_by("code")) if whole else []
    )
    units = {u.pk for u in all_units} | {r.unit_id for r in people} | set(unit_ids or ())
    return DayRead(
        day=day,
        facility_ids=list(facility_ids),
        residents=people,
        occurrences=by_facility,
        takings=takings,
        blocks=occ.day_plans(unit_ids=units, day=day),
        closures=closures_on(day=day, facility_ids=facility_ids),
        restricted=restrictions_on(day=day, facility_ids=facility_ids) if people else {},
        settings=occ.unit_settings(unit_ids=units),
        units=all_units,
    )


# --- Time out of cell ------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonTime:
    resident: Resident
    time: DayTime
    minimum: int
    locked_in_long: bool  # locked in for the Ombudsman's measure (16 hours) or longer
    restricted: bool
    closed: bool

    @property
    def below_minimum(self) -> bool:
        return self.time.out_of_cell < self.minimum

    @property
    def out_of_cell(self) -> int:
        return self.time.out_of_cell

    @property
    def in_company(self) -> int:
        return self.time.in_company

    @property
    def short_by(self) -> int:
        return max(0, self.minimum - self.time.out_of_cell)

    @property
    def out_hm(self) -> str:
        return hours(self.out_of_cell)

    @property
    def company_hm(self) -> str:
        return hours(self.in_company)

    @property
    def short_hm(self) -> str:
        return hours(self.short_by)


def _average(values: list[int]) -> int | None:
    return round(sum(values) / len(values)) if values else None


@dataclass
class Tally:
    """Counts over persons present: shared by units and facilities."""

    persons: list[PersonTime] = field(default_factory=list)
    away: int = 0

    @property
    def present(self) -> int:
        return len(self.persons)

    @property
    def locked_in_long(self) -> int:
        return sum(1 for p in self.persons if p.locked_in_long)

    @property
    def below_minimum(self) -> int:
        return sum(1 for p in self.persons if p.below_minimum)

    @property
    def average_out_of_cell(self) -> int | None:
        return _average([p.out_of_cell for p in self.persons])

    @property
    def average_in_company(self) -> int | None:
        return _average([p.in_company for p in self.persons])

    @property
    def average_out_hm(self) -> str:
        return hours(self.average_out_of_cell)

    @property
    def average_company_hm(self) -> str:
        return hours(self.average_in_company)

    @property
    def below(self) -> list[PersonTime]:
        """Persons below the minimum, the shortest time first."""
        short = [p for p in self.persons if p.below_minimum]
        return sorted(short, key=lambda p: (p.out_of_cell, p.resident.name))


@dataclass
class UnitTimes(Tally):
    unit_id: int = 0
    code: str = ""
    name: str = ""
    minimum: int = 0
    has_plan: bool = False
    closed: str = ""

    @property
    def minimum_hm(self) -> str:
        return hours(self.minimum)


@dataclass
class FacilityTimes(Tally):
    facility_id: int = 0
    name: str = ""
    day: dt.date = dt.date.min
    locked_in_hours: int = 16
    source: str = ""
    units: list[UnitTimes] = field(default_factory=list)


def person_time(read: DayRead, resident: Resident) -> PersonTime:
    known = read.computed.get(resident.episode_id)
    if known is not None:
        return known
    time = read.time_of(resident)
    measure = thresholds(read.day).locked_in_minutes
    result = read.computed[resident.episode_id] = PersonTime(
        resident=resident,
        time=time,
        minimum=read.minimum(resident.unit_id),
        locked_in_long=time.locked_in >= measure,
        restricted=resident.episode_id in read.restricted,
        closed=bool(read.closure(resident.facility_id, resident.unit_id)),
    )
    return result


def times(read: DayRead) -> dict[int, FacilityTimes]:
    """Time out of cell and in company of every person of the read, per unit and facility."""
    rule = thresholds(read.day)
    facilities = {
        f.pk: FacilityTimes(
            facility_id=f.pk,
            name=f.name,
            day=read.day,
            locked_in_hours=rule.locked_in_minutes // 60,
            source=rule.source,
        )
        for f in Facility.objects.filter(pk__in=read.facility_ids).order_by("name")
    }
    units: dict[int, UnitTimes] = {}
    occupied = {r.unit_id for r in read.residents}
    for u in read.units:
        unit = UnitTimes(
            unit_id=u.pk,
            code=u.code,
            name=u.name,
            minimum=read.minimum(u.pk),
            has_plan=u.pk in read.blocks,
            closed=read.closure(u.facility_id, u.pk),
        )
        if u.is_active or u.pk in occupied:
            units[u.pk] = unit
            facilities[u.facility_id].units.append(unit)
    for resident in read.residents:
        unit = units[resident.unit_id]
        total = facilities[resident.facility_id]
        if resident.away:
            unit.away += 1
            total.away += 1
            continue
        pt = person_time(read, resident)
        unit.persons.append(pt)
        total.persons.append(pt)
    return facilities


def facility_times(*, facility_id: int, day: dt.date) -> FacilityTimes:
    return times(read_day(day=day, facility_ids=[facility_id]))[facility_id]


# --- Who may see the figures -----------------------------------------------------------------


def figures_facility(*, actor: Any, facility_id: int | str | None) -> tuple[Facility, bool]:
    """The facility whose figures to show, and whether names may be shown: staff see their
    own with names; regional and national roles one of theirs (``facility_id``) without."""
    if can(actor, Cap.REGIME_VIEW):
        return access.staff_facility(actor=actor), True
    try:
        wanted = int(facility_id or "")
    except ValueError as exc:
        raise NotFound(gettext("No such facility.")) from exc
    return regime_facility(actor=actor, facility_id=wanted), False


# --- The activity duty -----------------------------------------------------------------------

RECEPTION = "reception"
SUSPENDED = "suspended"
RESTRICTED = "restricted"
WAITING_LIST = "waiting"
ENDED = "ended"
NONE = "none"

DUTY_REASONS = {
    RECEPTION: _("In reception"),
    SUSPENDED: _("Place suspended"),
    RESTRICTED: _("Under a restriction on company"),
    WAITING_LIST: _("On a waiting list"),
    ENDED: _("Place ended recently"),
    NONE: _("None offered or requested"),
}


@dataclass(frozen=True)
class DutyRow:
    resident: Resident
    activities: tuple[str, ...] = ()
    reason: str = ""
    detail: str = ""  # the suspension's or ending's reason code, or the restriction's kind
    since: dt.date | None = None

    @property
    def reason_label(self) -> str:
        return str(DUTY_REASONS.get(self.reason, ""))

    @property
    def detail_label(self) -> str:
        labels = {
            **dict(EndReason.choices),
            **dict(AllocationStatus.choices),
            **dict(CompanyRestrictionKind.choices),
        }
        return str(labels.get(self.detail, self.detail))


@dataclass
class FacilityDuty:
    facility_id: int
    day: dt.date
    reception_days: int
    source: str
    convicted: list[DutyRow] = field(default_factory=list)
    remand: list[DutyRow] = field(default_factory=list)

    @property
    def in_activity(self) -> list[DutyRow]:
        return [r for r in self.convicted if r.activities]

    @property
    def without(self) -> list[DutyRow]:
        return [r for r in self.convicted if not r.activities]

    @property
    def counted(self) -> int:
        """Convicted persons the duty is counted for: all but those in reception without one."""
        return sum(1 for r in self.convicted if r.activities or r.reason != RECEPTION)

    @property
    def share(self) -> int | None:
        """Per cent of the counted persons in a duty activity."""
        return round(100 * len(self.in_activity) / self.counted) if self.counted else None

    @property
    def remand_in_activity(self) -> int:
        return sum(1 for r in self.remand if r.activities)

    def reason_counts(self) -> list[tuple[str, str, int]]:
        counts: dict[str, int] = defaultdict(int)
        for r in self.without:
            counts[r.reason] += 1
        return [(code, str(label), counts[code]) for code, label in DUTY_REASONS.items()]


def _latest(rows: Iterable[tuple[int, str, dt.date | None]]) -> dict[int, tuple[str, dt.date]]:
    """episode → (code, date) of the row with the latest date."""
    result: dict[int, tuple[str, dt.date]] = {}
    for episode, code, on in rows:
        if on is not None and (episode not in result or on >= result[episode][1]):
            result[episode] = (code, on)
    return result


def duty(*, day: dt.date, facility_ids: list[int]) -> dict[int, FacilityDuty]:
    """Who among the convicted persons of each facility holds a place in an activity that meets
    the duty on ``day`` (remand persons apart: they have no duty), and why the others have
    none: in reception, a suspended place, a restriction on company, a waiting list, a place
    ended recently, or nothing offered or requested."""
    rule = rules.in_force(rules.ACTIVITY_DUTY, day)
    people = residents(day=day, facility_ids=facility_ids)
    duty_activities = Activity.objects.filter(
        facility_id__in=facility_ids, meets_activity_duty=True
    )
    activities = dict(duty_activities.values_list("pk", "name"))
    places = occ.places_on(day=day, activity_ids=list(activities))
    held: dict[int, list[str]] = defaultdict(list)
    for p in places:
        if not p.suspended:
            held[p.episode_id].append(activities[p.activity_id])
    open_episode = Q(episode__facility_id__in=facility_ids, episode__released_at__isnull=True)
    suspended = _latest(
        Suspension.objects.filter(
            allocation_id__in=[p.allocation_id for p in places if p.suspended], starts_on__lte=day
        ).values_list("allocation__episode_id", "reason", "starts_on")
    )
    duty_allocations = Allocation.objects.filter(open_episode, activity__meets_activity_duty=True)
    waiting = _latest(
        duty_allocations.filter(status__in=WAITING, requested_on__lte=day).values_list(
            "episode_id", "status", "requested_on"
        )
    )
    ended = _latest(
        duty_allocations.filter(
            ended_on__lte=day, ended_on__gt=day - dt.timedelta(days=RECENTLY_ENDED_DAYS)
        ).values_list("episode_id", "end_reason", "ended_on")
    )
    restricted = restrictions_on(day=day, facility_ids=facility_ids)
    result = {f: FacilityDuty(f, day, rule.reception_days, rule.source) for f in facility_ids}
    reasons = (suspended, restricted, waiting, ended)
    for r in people:
        names = tuple(sorted(held.get(r.episode_id, ())))
        row = DutyRow(r, names) if names else _without(r, day, rule, *reasons)
        target = result[r.facility_id]
        (target.convicted if r.convicted else target.remand).append(row)
    return result


def _without(
    r: Resident,
    day: dt.date,
    rule: rules.ActivityDutyRules,
    *sources: dict[int, tuple[str, dt.date]],
) -> DutyRow:
    """Why a person has no duty activity: the first that applies, in this order."""
    if (day - r.arrived_on).days < rule.reception_days:
        return DutyRow(r, reason=RECEPTION, since=r.arrived_on)
    for reason, source in zip((SUSPENDED, RESTRICTED, WAITING_LIST, ENDED), sources, strict=True):
        if r.episode_id in source:
            code, since = source[r.episode_id]
            return DutyRow(r, reason=reason, detail=code, since=since)
    return DutyRow(r, reason=NONE)


def facility_duty(*, facility_id: int, day: dt.date) -> FacilityDuty:
    return duty(day=day, facility_ids=[facility_id])[facility_id]


# --- Aggregates for regional and national roles ----------------------------------------------


@dataclass(frozen=True)
class FacilityOverview:
    facility_id: int
    name: str
    present: int
    away: int
    locked_in_long: int
    below_minimum: int
    average_out_of_cell: int | None
    convicted: int
    in_activity: int
    share: int | None
    remand: int
    remand_in_activity: int

    @property
    def average_out_hm(self) -> str:
        return hours(self.average_out_of_cell)


def overview(*, facility_ids: list[int], day: dt.date) -> list[FacilityOverview]:
    """Per facility: persons present and away, locked in 16 hours or more, below the minimum,
    the average time out of cell, and the share of convicted persons in a duty activity."""
    if not facility_ids:
        return []
    by_time = times(read_day(day=day, facility_ids=facility_ids))
    by_duty = duty(day=day, facility_ids=facility_ids)
    result = []
    for t in by_time.values():
        d = by_duty[t.facility_id]
        result.append(
            FacilityOverview(
                t.facility_id, t.name, t.present, t.away, t.locked_in_long, t.below_minimum,
                t.average_out_of_cell, len(d.convicted), len(d.in_activity), d.share,
                len(d.remand), d.remand_in_activity,
            )
        )  # fmt: skip
    return result
