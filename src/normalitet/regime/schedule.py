"""Schedules of the daily regime: the unit's list for the day (who goes where, when), a
person's day and week (the unit's plan and their sessions, public holidays and closures
marked), and an activity's list for a day (who comes to which session: the workshop's and
the teacher's list). Read through :mod:`.figures`, a handful of queries a day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext

from normalitet.core import clock
from normalitet.custody.models import CustodyEpisode
from normalitet.estate.models import Unit

from . import health_facts
from . import occurrences as occ
from .domain import calendar
from .domain.out_of_cell import Block
from .figures import (
    DayRead,
    FacilityTimes,
    PersonTime,
    Resident,
    Taking,
    person_time,
    read_day,
    residents,
    restrictions_on,
    times,
)
from .models import Activity, BlockKind, DayPlan, DayType, Outcome


def clock_time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def holiday(day: dt.date) -> str | None:
    """The public holiday's name in the page's language."""
    english = (translation.get_language() or "").startswith("en")
    return calendar.holiday_name(day, "en_US" if english else "no")


@dataclass(frozen=True)
class PlanBlock:
    kind: str
    starts: str
    ends: str
    in_company: bool

    @property
    def label(self) -> str:
        return str(BlockKind(self.kind).label)


def plan_blocks(blocks: list[Block]) -> list[PlanBlock]:
    return [
        PlanBlock(b.kind, clock_time(b.starts), clock_time(b.ends), b.in_company) for b in blocks
    ]


def stored_blocks(plan: DayPlan) -> list[PlanBlock]:
    """A stored plan's periods (prefetched as ``blocks``), for showing."""
    return [
        PlanBlock(b.kind, f"{b.starts:%H:%M}", f"{b.ends:%H:%M}", b.in_company)
        for b in plan.blocks.all()
    ]


@dataclass(frozen=True)
class DayInfo:
    """What kind of day it is in a unit: the plan in force, a public holiday, a closure."""

    day: dt.date
    day_type: str
    holiday: str | None
    closure: str
    has_plan: bool
    blocks: list[PlanBlock]

    @property
    def day_type_label(self) -> str:
        return str(DayType(self.day_type).label)


def day_info(read: DayRead, facility_id: int, unit_id: int | None) -> DayInfo:
    blocks = read.blocks.get(unit_id) if unit_id is not None else None
    return DayInfo(
        day=read.day,
        day_type=calendar.day_type(read.day),
        holiday=holiday(read.day),
        closure=read.closure(facility_id, unit_id),
        has_plan=blocks is not None,
        blocks=plan_blocks(blocks or []),
    )


@dataclass(frozen=True)
class Row:
    """One person on a unit's list or in their own schedule for a day."""

    resident: Resident
    takings: list[Taking]
    restriction: str  # the kind of a restriction on company running that day, or ''
    time: PersonTime | None  # None when away from the facility

    @property
    def going(self) -> list[Taking]:
        """The sessions the person is to go to (not suspended)."""
        return [t for t in self.takings if not t.suspended]


def _row(read: DayRead, resident: Resident) -> Row:
    kind = read.restricted.get(resident.episode_id, ("", None))[0]
    return Row(
        resident,
        list(read.takings.get(resident.episode_id, ())),
        kind,
        None if resident.away else person_time(read, resident),
    )


@dataclass(frozen=True)
class Going:
    """A session and who goes to it from the unit."""

    occurrence: occ.Occurrence
    persons: list[Resident]


@dataclass(frozen=True)
class Escort:
    """A person of the unit to be escorted to the health service: when and where, no more."""

    resident: Resident
    slot: health_facts.Slot


@dataclass
class UnitDay:
    unit: Unit
    info: DayInfo
    rows: list[Row] = field(default_factory=list)
    going: list[Going] = field(default_factory=list)
    escorts: list[Escort] = field(default_factory=list)

    @property
    def staying(self) -> list[Row]:
        """Persons present with no session to go to."""
        return [r for r in self.rows if r.time is not None and not r.going]


def _unit_day(read: DayRead, unit: Unit, residents: Iterable[Resident]) -> UnitDay:
    result = UnitDay(unit, day_info(read, unit.facility_id, unit.pk))
    sessions: dict[tuple[int, dt.date], Going] = {}
    for resident in residents:
        row = _row(read, resident)
        result.rows.append(row)
        if resident.away:
            continue
        for t in row.going:
            key = (t.occurrence.session_id, t.occurrence.on)
            sessions.setdefault(key, Going(t.occurrence, [])).persons.append(resident)
    result.going = sorted(
        sessions.values(), key=lambda g: (g.occurrence.starts, g.occurrence.activity_name)
    )
    return result


def unit_day(*, unit: Unit, day: dt.date) -> UnitDay:
    """The unit's list for the day: its plan, each person and their sessions, and per session
    who goes there from the unit (cancelled sessions are shown with their reason)."""
    read = read_day(day=day, facility_ids=[unit.facility_id], unit_ids=[unit.pk])
    result = _unit_day(read, unit, read.residents)
    present = {r.person_id: r for r in read.residents if not r.away}
    result.escorts = [
        Escort(present[s.person_id], s) for s in health_facts.escorts_on(present, day)
    ]
    return result


def unit_days(*, facility_id: int, day: dt.date) -> tuple[list[UnitDay], FacilityTimes]:
    """Every unit's list for the day and the facility's time-out-of-cell figures, from one
    read of the whole facility (the morning's paperwork of a facility in one go)."""
    read = read_day(day=day, facility_ids=[facility_id])
    by_unit: dict[int | None, list[Resident]] = defaultdict(list)
    for resident in read.residents:
        by_unit[resident.unit_id].append(resident)
    lists = [_unit_day(read, unit, by_unit.get(unit.pk, ())) for unit in read.units]
    return lists, times(read)[facility_id]


@dataclass(frozen=True)
class Entry:
    """A line of a person's day: a period of the unit's plan or one of their sessions."""

    starts: str
    ends: str
    what: str
    where: str = ""
    cancelled: str = ""  # why the session does not run
    session: bool = False
    at_health_service: bool = False  # a session during one of the person's appointments


@dataclass(frozen=True)
class PersonDay:
    info: DayInfo
    row: Row | None  # None when the person was not in the facility or had no unit
    # The person's appointments with the health service that day, as clock times only.
    health: tuple[tuple[str, str], ...] = ()

    @property
    def entries(self) -> list[Entry]:
        """The unit's periods that the person is out for and their sessions, in time order: on
        a closed day, or under a restriction on company, only outdoor time, alone; a session
        does not run on a closed day."""
        alone = bool(self.info.closure) or bool(self.row and self.row.restriction)
        items = [
            Entry(b.starts, b.ends, gettext("Outdoor time, alone") if alone else b.label)
            for b in self.info.blocks
            if b.kind not in (BlockKind.LOCKED, BlockKind.ACTIVITIES)
            and (not alone or b.kind == BlockKind.OUTDOOR)
        ]
        for t in self.row.going if self.row is not None else ():
            o = t.occurrence
            why = o.cancel_reason if o.cancelled else self.info.closure
            start, end = f"{o.starts:%H:%M}", f"{o.ends:%H:%M}"
            busy = any(s < end and start < e for s, e in self.health)
            items.append(Entry(start, end, o.activity_name, o.place, why, True, busy))
        what = str(health_facts.HEALTH_SERVICE)
        items.extend(Entry(s, e, what, session=True) for s, e in self.health)
        return sorted(items, key=lambda e: (e.starts, e.ends))


def person_week(*, episode: CustodyEpisode, day: dt.date) -> list[PersonDay]:
    """The person's week (Monday to Sunday) holding ``day``: each day's unit plan, their
    sessions, their appointments with the health service (time only), and holidays, closures
    and restrictions marked."""
    week = calendar.week_of(day)
    start, end = clock.local_day_bounds(week[0])[0], clock.local_day_bounds(week[-1])[1]
    slots = health_facts.slots([episode.person_id], start, end)
    result = []
    for d in week:
        read = read_day(day=d, facility_ids=[episode.facility_id], episode_ids=[episode.pk])
        resident = read.residents[0] if read.residents else None
        unit_id = resident.unit_id if resident is not None else episode.unit_id
        info = day_info(read, episode.facility_id, unit_id)
        row = _row(read, resident) if resident is not None else None
        times = tuple(t for t in (s.on(d) for s in slots) if t is not None)
        result.append(PersonDay(info, row, times))
    return result


@dataclass(frozen=True)
class Participant:
    resident: Resident
    suspended: bool
    restriction: str
    outcome: str

    @property
    def outcome_label(self) -> str:
        return str(Outcome(self.outcome).label) if self.outcome else ""


@dataclass
class ActivityDay:
    activity: Activity
    day: dt.date
    holiday: str | None
    sessions: list[tuple[occ.Occurrence, list[Participant]]] = field(default_factory=list)


def activity_day(*, activity: Activity, day: dt.date) -> ActivityDay:
    """Who comes to each session of the activity on ``day``: the persons holding a place, with
    suspended places, restrictions on company, absences and the register's marks shown."""
    occurrences = occ.occurrences(
        facility_id=activity.facility_id, day=day, activity_ids=[activity.pk]
    )
    places = occ.places_on(day=day, activity_ids=[activity.pk]) if occurrences else []
    people = {
        r.episode_id: r for r in residents(day=day, episode_ids=[p.episode_id for p in places])
    }
    marks = occ.marks_on(day=day, session_ids=[o.session_id for o in occurrences]) if places else {}
    restricted = restrictions_on(day=day, facility_ids=[activity.facility_id]) if places else {}
    result = ActivityDay(activity, day, holiday(day))
    for o in occurrences:
        persons = [
            Participant(
                people[p.episode_id],
                p.suspended,
                restricted.get(p.episode_id, ("", None))[0],
                marks.get((p.allocation_id, o.session_id), ""),
            )
            for p in places
            if p.episode_id in people
        ]
        persons.sort(key=lambda x: (x.suspended, x.resident.name))
        result.sessions.append((o, persons))
    return result
