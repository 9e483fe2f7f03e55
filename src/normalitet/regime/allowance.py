"""The daily allowance (dagpenger, SGF § 3-13): computed from the register in bulk, stored as
one :class:`AllowanceDay` per person and day, and read as a person's statement and a
facility's week. The rule itself is :func:`normalitet.regime.domain.allowance.compute_day`.

Where a person was on a day is replayed from the custody episode and its movements: the day
belongs to the facility the person was last in custody in that day; they are present unless
away (leave, hospital, court) the whole day. A day already posted to the money ledger
(``posted_at``) is never recomputed.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple, TextIO

from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from normalitet.audit.services import record_run
from normalitet.core import clock
from normalitet.core.errors import DomainError, NotFound
from normalitet.custody.models import CustodyEpisode, Movement, MovementKind
from normalitet.identity.policies import SystemActor, can, ensure_cap
from normalitet.identity.roles import Cap

from . import occurrences as occ
from .access import ensure_episode, episodes_for, regime_facility
from .domain import allowance as rules
from .domain import calendar
from .domain.rules import ALLOWANCE_RATES, AllowanceRates, in_force
from .models import (
    WAITING,
    Activity,
    Allocation,
    AllocationStatus,
    AllowanceDay,
    Outcome,
)

MAX_DAYS = 31
NBSP = "\u00a0"
# The stored values of a day, compared to tell a changed day from an unchanged one.
STORED = (
    "facility_id",
    "rate_kind",
    "allowance_ore",
    "supplement_ore",
    "food_ore",
    "rule_set",
    "reasons",
)


def kroner(ore: int) -> str:
    """Øre as Norwegian kroner, with no-break spaces so that an amount never wraps:
    7900 -> 'kr 79,00', 123456 -> 'kr 1 234,56'."""
    whole, part = divmod(abs(ore), 100)
    grouped = f"{whole:,}".replace(",", NBSP)
    return f"{'-' if ore < 0 else ''}kr{NBSP}{grouped},{part:02d}"


# --- Wording of the reasons --------------------------------------------------------------------


def reason_text(code: str, args: dict[str, Any]) -> str:
    """One reason of a computed day as a sentence in the active language."""
    n = int(args.get("sessions", 0))
    values = {"sessions": n, "percent": int(args.get("percent", 0))}
    amount = {"amount": kroner(int(args.get("ore", 0)))}
    texts = {
        "away": lambda: _("Away from the facility the whole day: no allowance."),
        "not_working_day": lambda: _(
            "Not a working day (weekend or public holiday): no allowance."
        ),
        "suspended": lambda: _("The place in the activity is suspended: reduced rate."),
        "no_session_today": lambda: _(
            "Holds a place, but the activity does not run today: reduced rate."
        ),
        "remand_no_activity": lambda: _(
            "On remand, with no activity and not waiting for one: no allowance."
        ),
        "waiting": lambda: _("On the waiting list for an activity: reduced rate."),
        "no_activity_offered": lambda: _("No activity offered: reduced rate."),
        "no_activity": lambda: _("No activity: no allowance."),
        "food_money": lambda: _("Food money in a self-catering unit: %(amount)s.") % amount,
        "supplement": lambda: _("Supplement for demanding work: %(amount)s.") % amount,
        "late": lambda: (
            ngettext(
                "Late or left early at %(sessions)d session: %(percent)d %% of it is paid.",
                "Late or left early at %(sessions)d sessions: %(percent)d %% of them are paid.",
                n,
            )
            % values
        ),
        "sessions": lambda: (
            ngettext("%(sessions)d session counted.", "%(sessions)d sessions counted.", n) % values
        ),
        "refused": lambda: (
            ngettext(
                "Refused %(sessions)d session: the day's allowance is withheld.",
                "Refused %(sessions)d sessions: the day's allowance is withheld.",
                n,
            )
            % values
        ),
        "reduced_sessions": lambda: (
            ngettext(
                "%(sessions)d session sick or cancelled: reduced rate for it.",
                "%(sessions)d sessions sick or cancelled: reduced rate for them.",
                n,
            )
            % values
        ),
        "unpaid_sessions": lambda: (
            ngettext(
                "%(sessions)d session away or absent without reason: not paid.",
                "%(sessions)d sessions away or absent without reason: not paid.",
                n,
            )
            % values
        ),
        "unmarked": lambda: (
            ngettext(
                "%(sessions)d session not marked in the register: counted as attended.",
                "%(sessions)d sessions not marked in the register: counted as attended.",
                n,
            )
            % values
        ),
    }
    text = texts.get(code)
    return text() if text is not None else code


def worded(reasons: Iterable[dict[str, Any]]) -> list[str]:
    return [reason_text(str(r.get("code", "")), r.get("args") or {}) for r in reasons]


def rates_between(first: dt.date, last: dt.date) -> list[AllowanceRates]:
    """The rate rows in force on some day from ``first`` to ``last``."""
    start = in_force(ALLOWANCE_RATES, first)
    later = [r for r in ALLOWANCE_RATES if first < r.valid_from <= last]
    return [start, *sorted(later, key=lambda r: r.valid_from)]


# --- Where each episode was ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Spot:
    facility_id: int | None
    unit_id: int | None
    absent: bool


@dataclass
class _Stay:
    """An episode over the run: its custody bounds and its places from ``segments[i][0]`` on."""

    episode_id: int
    person_id: int
    legal_status: str
    admitted_at: dt.datetime
    released_at: dt.datetime | None
    segments: list[tuple[dt.datetime, _Spot]]

    def on(self, bounds: tuple[dt.datetime, dt.datetime]) -> tuple[_Spot, bool] | None:
        """Where the episode ended the day (its local ``bounds``) in custody and whether it
        was present some of the day; None when it was not in custody that day."""
        start, end = bounds
        if len(self.segments) == 1 and self.admitted_at <= start and self.released_at is None:
            spot = self.segments[0][1]  # the usual case: no movement since the run began
            return (spot, not spot.absent) if spot.facility_id else None
        start = max(start, self.admitted_at)
        if self.released_at is not None:
            end = min(end, self.released_at)
        if start >= end:
            return None
        seen = [
            spot
            for i, (since, spot) in enumerate(self.segments)
            if since < end and (i + 1 == len(self.segments) or self.segments[i + 1][0] > start)
        ]
        if not seen or seen[-1].facility_id is None:
            return None
        return seen[-1], any(not s.absent for s in seen)


def _before(kind: str, after: _Spot, from_facility: int | None, from_unit: int | None) -> _Spot:
    """The spot just before a movement, from the spot after it."""
    if kind == MovementKind.ABSENCE_OUT:
        return replace(after, absent=False)
    if kind == MovementKind.ABSENCE_RETURN:
        return replace(after, absent=True)
    if kind == MovementKind.ADMISSION:
        return after  # before it the episode is not in custody: cut off by admitted_at
    keeps_absence = kind in (MovementKind.CELL_ALLOCATION, MovementKind.INTERNAL_MOVE)
    return _Spot(from_facility, from_unit, after.absent and keeps_absence)


def _stays(
    *,
    first: dt.date,
    last: dt.date,
    facility_ids: list[int] | None,
    episode_ids: list[int] | None,
) -> list[_Stay]:
    """Every episode in custody some time from ``first`` to ``last`` (in the facilities, or
    the episodes, given), with its places replayed backwards from now. Two queries."""
    t0 = clock.local_day_bounds(first)[0]
    t1 = clock.local_day_bounds(last)[1]
    episodes = CustodyEpisode.objects.filter(admitted_at__lt=t1).filter(
        Q(released_at__isnull=True) | Q(released_at__gt=t0)
    )
    moves = Movement.objects.filter(occurred_at__gte=t0)
    if episode_ids is not None:
        episodes = episodes.filter(pk__in=episode_ids)
    if facility_ids is not None:
        left = moves.filter(from_facility_id__in=facility_ids).values("episode_id")
        episodes = episodes.filter(Q(facility_id__in=facility_ids) | Q(pk__in=left))
    moved: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for episode_id, *move in (
        moves.filter(episode_id__in=episodes.values("pk"))
        .order_by("occurred_at", "pk")
        .values_list("episode_id", "kind", "occurred_at", "from_facility_id", "from_unit_id")
    ):
        moved[episode_id].append(tuple(move))
    stays = []
    for pk, person, status, admitted, released, facility, unit, absent in episodes.values_list(
        "pk",
        "person_id",
        "legal_status",
        "admitted_at",
        "released_at",
        "facility_id",
        "unit_id",
        "absent_since",
    ):
        spot = _Spot(facility, unit, absent is not None)
        segments: list[tuple[dt.datetime, _Spot]] = []
        for kind, at, from_facility, from_unit in reversed(moved.get(pk, [])):
            segments.append((at, spot))
            spot = _before(kind, spot, from_facility, from_unit)
        segments.append((t0, spot))
        stays.append(_Stay(pk, person, status, admitted, released, segments[::-1]))
    return stays


# --- The facts of each day ---------------------------------------------------------------------

# A waiting-list row: status, requested on, decided on, starts on.
Waiting = tuple[str, dt.date, dt.date | None, dt.date | None]


def _waiting_on(rows: list[Waiting], day: dt.date) -> bool:
    """On the waiting list for a duty activity on ``day``: requested by then, and not yet
    decided (declined, withdrawn) or started."""
    for status, requested, decided, starts in rows:
        if requested > day:
            continue
        if status in WAITING or (starts is not None and day < starts):
            return True
        if starts is None and decided is not None and day < decided:
            return True
    return False


@dataclass
class _Run:
    """What the days of a run share: the duty activities and their facility, the waiting-list
    rows, and the day results already computed (many persons' days have the same facts)."""

    duty: dict[int, int]
    waiting: dict[int, list[Waiting]]
    episode_ids: list[int] | None
    results: dict[rules.DayFacts, tuple[rules.DayAllowance, list[dict[str, Any]]]] = field(
        default_factory=dict
    )

    @classmethod
    def load(
        cls, facility_ids: list[int], first: dt.date, last: dt.date, episode_ids: list[int] | None
    ) -> _Run:
        duty = dict(
            Activity.objects.filter(
                facility_id__in=facility_ids, meets_activity_duty=True
            ).values_list("pk", "facility_id")
        )
        rows = Allocation.objects.filter(activity_id__in=list(duty), requested_on__lte=last).filter(
            Q(status__in=WAITING)
            | Q(starts_on__gt=first)
            | Q(
                status__in=[AllocationStatus.DECLINED, AllocationStatus.WITHDRAWN],
                decided_on__gt=first,
            )
        )
        if episode_ids is not None:
            rows = rows.filter(episode_id__in=episode_ids)
        waiting: dict[int, list[Waiting]] = defaultdict(list)
        for episode_id, status, requested, decided, starts in rows.values_list(
            "episode_id", "status", "requested_on", "decided_on", "starts_on"
        ):
            waiting[episode_id].append((status, requested, decided, starts))
        return cls(duty, waiting, episode_ids)

    def compute(self, facts: rules.DayFacts) -> tuple[rules.DayAllowance, list[dict[str, Any]]]:
        known = self.results.get(facts)
        if known is None:
            result = rules.compute_day(facts)
            known = self.results[facts] = (result, [r.as_dict() for r in result.reasons])
        return known


class _Row(NamedTuple):
    person_id: int
    episode_id: int
    facility_id: int
    on: dt.date
    result: rules.DayAllowance
    reasons: list[dict[str, Any]]

    def values(self) -> tuple[Any, ...]:
        r = self.result
        amounts = (r.rate_kind, r.allowance_ore, r.supplement_ore, r.food_ore, r.rule_set)
        return (self.facility_id, *amounts, self.reasons)

    def model(self, computed_at: dt.datetime, pk: int | None = None) -> AllowanceDay:
        values = dict(zip(STORED, self.values(), strict=True))
        return AllowanceDay(
            pk=pk,
            person_id=self.person_id,
            episode_id=self.episode_id,
            on=self.on,
            computed_at=computed_at,
            **values,
        )


def _day_rows(
    run: _Run,
    day: dt.date,
    people: dict[int, list[tuple[_Stay, _Spot, bool]]],
    catering: set[int],
) -> list[_Row]:
    """The allowance of ``people`` (by facility) on ``day``. On a working day: the sessions of
    each facility, and for them all the places held and the register's marks (two and one
    queries); nothing more on a day off."""
    working = calendar.is_working_day(day)
    sessions: dict[int, list[occ.Occurrence]] = defaultdict(list)
    places: dict[int, list[occ.Place]] = defaultdict(list)
    marks: dict[tuple[int, int], str] = {}
    if working:
        for found in occ.occurrences_many(facility_ids=list(people), day=day).values():
            for o in found:
                if o.meets_duty:
                    sessions[o.activity_id].append(o)
        single = next(iter(people)) if len(people) == 1 else None
        for p in occ.places_on(
            day=day, facility_id=single, activity_ids=run.duty, episode_ids=run.episode_ids
        ):
            places[p.episode_id].append(p)
        running = [o.session_id for found in sessions.values() for o in found]
        if running:
            marks = occ.marks_on(day=day, session_ids=running)
    rows = []
    for facility_id, present_there in people.items():
        for stay, spot, present in present_there:
            held = [
                p for p in places.get(stay.episode_id, []) if run.duty[p.activity_id] == facility_id
            ]
            active = [p for p in held if not p.suspended]
            facts = rules.DayFacts(
                on=day,
                legal_status=stay.legal_status,
                working_day=working,
                present=present,
                self_catering=spot.unit_id in catering,
                marks=tuple(
                    rules.Mark(Outcome.CANCELLED)
                    if o.cancelled
                    else rules.Mark(
                        marks.get((p.allocation_id, o.session_id), ""), o.supplement_ore
                    )
                    for p in active
                    for o in sessions.get(p.activity_id, [])
                ),
                holds_place=bool(held),
                suspended=bool(held) and not active,
                waiting=working and _waiting_on(run.waiting.get(stay.episode_id, []), day),
            )
            result, reasons = run.compute(facts)
            rows.append(_Row(stay.person_id, stay.episode_id, facility_id, day, result, reasons))
    return rows


# --- Computing and storing ----------------------------------------------------------------------


@dataclass(frozen=True)
class ComputeRun:
    """What one computation did: person-days computed, and of them how many rows were made,
    changed, found unchanged or left because they were posted."""

    first: dt.date
    last: dt.date
    facilities: int
    person_days: int
    created: int
    updated: int
    unchanged: int
    posted: int
    total_ore: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "facilities": self.facilities,
            "person_days": self.person_days,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "posted": self.posted,
            "total_ore": self.total_ore,
        }


def _compute(
    days: list[dt.date], facility_ids: list[int] | None, episode_ids: list[int] | None
) -> tuple[list[_Row], set[int]]:
    """The allowance of every episode on ``days`` in the facilities (or of the episodes)
    given, and the facilities the days fell in."""
    stays = _stays(first=days[0], last=days[-1], facility_ids=facility_ids, episode_ids=episode_ids)
    people: dict[dt.date, dict[int, list[tuple[_Stay, _Spot, bool]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    bounds = [(day, clock.local_day_bounds(day)) for day in days]
    for stay in stays:
        for day, day_bounds in bounds:
            where = stay.on(day_bounds)
            if where is None:
                continue
            spot, present = where
            if spot.facility_id and (facility_ids is None or spot.facility_id in facility_ids):
                people[day][spot.facility_id].append((stay, spot, present))
    facilities = {f for by_facility in people.values() for f in by_facility}
    units = {s.unit_id for by_f in people.values() for d in by_f.values() for _t, s, _p in d}
    catering = {
        unit_id
        for unit_id, settings in occ.unit_settings(unit_ids=[u for u in units if u]).items()
        if settings.self_catering
    }
    run = _Run.load(sorted(facilities), days[0], days[-1], episode_ids)
    rows = [row for day in days for row in _day_rows(run, day, people.get(day, {}), catering)]
    return rows, facilities


INSERTED = ("person_id", "episode_id", "on", *STORED, "computed_at")


def _insert(rows: list[_Row], now: dt.datetime) -> None:
    """Insert new days with their values adapted once (COPY on PostgreSQL, one prepared
    statement run over them all elsewhere): at the national scale (some 22,000 person-days a
    week) ``bulk_create`` spends seconds preparing each field of each row, where these rows
    share their dates, stamp and most of their reasons."""
    if not rows:
        return
    meta, ops = AllowanceDay._meta, connection.ops
    fields = [meta.get_field(n) for n in INSERTED]
    columns = ", ".join(ops.quote_name(f.column) for f in fields)  # type: ignore[union-attr,arg-type]
    table = ops.quote_name(meta.db_table)
    stamp = ops.adapt_datetimefield_value(now)
    days: dict[dt.date, Any] = {}
    reasons: dict[int, Any] = {}  # by the identity of the shared list
    params = []
    for row in rows:
        if row.on not in days:
            days[row.on] = ops.adapt_datefield_value(row.on)
        if id(row.reasons) not in reasons:
            reasons[id(row.reasons)] = json.dumps(row.reasons)  # JSON text, as the field stores
        values = row.values()[:-1]
        params.append(
            (row.person_id, row.episode_id, days[row.on], *values, reasons[id(row.reasons)], stamp)
        )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY, as the demo loader does
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for values in params:
                    copy.write_row(values)
        else:
            marks = ", ".join(["%s"] * len(fields))
            # Names from the model's own metadata; every value a parameter.
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, params)


def _store(rows: list[_Row], days: list[dt.date]) -> tuple[int, int, int, int]:
    """Write the rows: new days made, unposted days changed, posted days never touched.
    Returns (created, updated, unchanged, posted)."""
    existing = {
        (episode_id, on): (pk, posted_at is not None, tuple(values))
        for pk, episode_id, on, posted_at, *values in AllowanceDay.objects.select_for_update()
        .filter(on__in=days, episode_id__in={r.episode_id for r in rows})
        .values_list("pk", "episode_id", "on", "posted_at", *STORED)
    }
    now = clock.now()
    create, update = [], []
    unchanged = posted = 0
    for row in rows:
        old = existing.get((row.episode_id, row.on))
        if old is None:
            create.append(row)
        elif old[1]:
            posted += 1
        elif old[2] == row.values():
            unchanged += 1
        else:
            update.append(row.model(now, pk=old[0]))
    _insert(create, now)
    AllowanceDay.objects.bulk_update(update, [*STORED, "computed_at"], batch_size=500)
    return len(create), len(update), unchanged, posted


def _check_days(days: list[dt.date]) -> None:
    if not days:
        raise DomainError(_("Choose the days to compute."), field="from")
    earliest = min(r.valid_from for r in ALLOWANCE_RATES)
    if days[0] < earliest:
        raise DomainError(
            _("No allowance rates are in force before %(date)s.") % {"date": earliest.isoformat()},
            field="from",
        )
    if days[-1] > clock.today():
        raise DomainError(_("The allowance is computed only for days that have come."), field="to")
    if (days[-1] - days[0]).days >= MAX_DAYS:
        raise DomainError(
            _("Compute at most %(days)d days at a time.") % {"days": MAX_DAYS}, field="to"
        )


def _scope(actor: Any, facility_ids: Iterable[int] | None) -> list[int] | None:
    """The facilities the actor may compute: their own, or for the system any (None: all)."""
    wanted = None if facility_ids is None else sorted(set(facility_ids))
    if isinstance(actor, SystemActor):
        return wanted
    own = getattr(actor, "facility_id", None)
    if own is None or (wanted is not None and wanted != [own]):
        raise NotFound(_("No such facility."))
    return [own]


def allowance_compute(
    *, actor: Any, days: Iterable[dt.date], facility_ids: Iterable[int] | None = None
) -> ComputeRun:
    """Compute and store the daily allowance (SGF § 3-13) of everyone in custody on ``days``
    in the actor's facility (``ALLOWANCE_RUN``); the system actor may do any or all
    facilities. At most 31 days, none in the future; posted days are left as they are."""
    ensure_cap(actor, Cap.ALLOWANCE_RUN)
    wanted = sorted(set(days))
    scope = _scope(actor, facility_ids)
    _check_days(wanted)
    with transaction.atomic():
        rows, facilities = _compute(wanted, scope, None)
        created, updated, unchanged, posted = _store(rows, wanted)
        run = ComputeRun(
            first=wanted[0],
            last=wanted[-1],
            facilities=len(facilities),
            person_days=len(rows),
            created=created,
            updated=updated,
            unchanged=unchanged,
            posted=posted,
            total_ore=sum(r.result.total_ore for r in rows),
        )
        record_run(
            actor=actor,
            action="regime.allowance_computed",
            subject="regime.allowanceday",
            data={**run.as_dict(), "facility_ids": scope or "all"},
        )
    return run


def allowance_recompute(*, episode_ids: Iterable[int], day: dt.date) -> int:
    """Recompute the day of these episodes after the register changed, inside the caller's
    transaction (the caller checked the actor and writes the audit event). Returns the rows
    made or changed; a posted day is left."""
    ids = sorted(set(episode_ids))
    earliest = min(r.valid_from for r in ALLOWANCE_RATES)
    if not ids or day > clock.today() or day < earliest:
        return 0
    rows, _facilities = _compute([day], None, ids)
    created, updated, _unchanged, _posted = _store(rows, [day])
    return created + updated


# --- Reading: the person's statement and the facility's week -----------------------------------


@dataclass(frozen=True)
class Amounts:
    allowance_ore: int = 0
    supplement_ore: int = 0
    food_ore: int = 0

    @property
    def total_ore(self) -> int:
        return self.allowance_ore + self.supplement_ore + self.food_ore

    def __add__(self, other: Amounts) -> Amounts:
        return Amounts(
            self.allowance_ore + other.allowance_ore,
            self.supplement_ore + other.supplement_ore,
            self.food_ore + other.food_ore,
        )

    @property
    def shown(self) -> dict[str, str]:
        """The amounts in kroner, for pages."""
        return {
            "allowance": kroner(self.allowance_ore),
            "supplement": kroner(self.supplement_ore),
            "food": kroner(self.food_ore),
            "total": kroner(self.total_ore),
        }


@dataclass(frozen=True)
class Day:
    """A stored day, worded."""

    on: dt.date
    facility_id: int
    rate_kind: str
    rate_label: str
    amounts: Amounts
    rule_set: str
    reasons: list[dict[str, Any]]
    texts: list[str]
    posted: bool


def _day(row: AllowanceDay) -> Day:
    return Day(
        row.on,
        row.facility_id,
        row.rate_kind,
        str(row.get_rate_kind_display()),
        Amounts(row.allowance_ore, row.supplement_ore, row.food_ore),
        row.rule_set,
        list(row.reasons),
        worded(row.reasons),
        row.posted_at is not None,
    )


def _total(days: Iterable[Day | None]) -> Amounts:
    total = Amounts()
    for day in days:
        if day is not None:
            total += day.amounts
    return total


def rate_rows(rates: Iterable[AllowanceRates]) -> list[dict[str, Any]]:
    return [
        {
            "name": r.name,
            "valid_from": r.valid_from,
            "ordinary": kroner(r.ordinary_ore),
            "supplement_max": kroner(r.supplement_max_ore),
            "reduced": kroner(r.reduced_ore),
            "food": kroner(r.food_ore),
            "source": r.source,
            "verified": r.verified,
        }
        for r in rates
    ]


@dataclass
class Statement:
    episode: CustodyEpisode
    first: dt.date
    last: dt.date
    days: list[Day]
    totals: Amounts
    rates: list[AllowanceRates]

    @property
    def unverified(self) -> bool:
        return any(not r.verified for r in self.rates)


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def allowance_statement(*, actor: Any, person_id: int, month: dt.date) -> Statement:
    """A person's statement for a month: each computed day, its amounts and reasons, and the
    month's totals (``ALLOWANCE_VIEW``, the person in the actor's caseload)."""
    if not can(actor, Cap.ALLOWANCE_VIEW):
        raise NotFound(_("No such person."))
    episode = ensure_episode(actor=actor, person_id=person_id)
    first, last = month_bounds(month)
    days = [
        _day(r)
        for r in AllowanceDay.objects.filter(person_id=person_id, on__range=(first, last)).order_by(
            "on"
        )
    ]
    return Statement(episode, first, last, days, _total(days), rates_between(first, last))


@dataclass
class WeekLine:
    person_id: int
    name: str
    cells: list[Day | None]
    total: Amounts


@dataclass
class WeekUnit:
    name: str
    lines: list[WeekLine]
    day_totals: list[Amounts]
    total: Amounts


@dataclass
class FacilityWeek:
    facility: Any
    days: list[dt.date]
    units: list[WeekUnit]
    day_totals: list[Amounts]
    total: Amounts
    rates: list[AllowanceRates]

    @property
    def unverified(self) -> bool:
        return any(not r.verified for r in self.rates)

    @property
    def computable(self) -> list[dt.date]:
        return [d for d in self.days if d <= clock.today()]


def _column_totals(lines: list[WeekLine]) -> list[Amounts]:
    return [_total(line.cells[i] for line in lines) for i in range(7)]


def allowance_week(*, actor: Any, monday: dt.date) -> FacilityWeek:
    """The facility's week by unit (the person's unit now): each person's days and total,
    the units' and the facility's totals. ``ALLOWANCE_VIEW``; staff who may not run the
    allowance see only the persons in their caseload. A few queries for the whole week."""
    if not can(actor, Cap.ALLOWANCE_VIEW):
        raise NotFound(_("No such facility."))
    facility = regime_facility(actor=actor)
    days = calendar.week_of(monday)
    rows = AllowanceDay.objects.filter(facility=facility, on__range=(days[0], days[-1]))
    if not can(actor, Cap.ALLOWANCE_RUN):
        rows = rows.filter(episode_id__in=episodes_for(actor=actor).values("pk"))
    lines: dict[int, WeekLine] = {}
    unit_of: dict[int, str] = {}
    for row in rows.select_related("person", "episode__unit").order_by("on"):
        line = lines.get(row.episode_id)
        if line is None:
            line = lines[row.episode_id] = WeekLine(
                row.person_id, row.person.full_name, [None] * 7, Amounts()
            )
            unit = row.episode.unit
            unit_of[row.episode_id] = unit.name if unit and row.episode.is_open else ""
        day = _day(row)
        line.cells[(row.on - days[0]).days] = day
        line.total += day.amounts
    units = []
    for name in sorted(set(unit_of.values()), key=lambda n: (n == "", n)):
        members = sorted(
            (ln for ep, ln in lines.items() if unit_of[ep] == name), key=lambda ln: ln.name
        )
        units.append(
            WeekUnit(
                name or _("Not in a unit now"),
                members,
                _column_totals(members),
                _total(m.cells[i] for m in members for i in range(7)),
            )
        )
    everyone = list(lines.values())
    total = _total(c for line in everyone for c in line.cells)
    return FacilityWeek(
        facility, days, units, _column_totals(everyone), total, rates_between(days[0], days[-1])
    )


def run_cli(week: str | None, stdout: TextIO) -> None:
    """``normalitet allowance [--week 2026-W10]``: compute a week (up to today) for every
    facility as the system, and print what was done."""
    monday = parse_week(week) if week else calendar.week_of(clock.today())[0]
    days = [d for d in calendar.week_of(monday) if d <= clock.today()]
    actor = SystemActor("allowance", frozenset({Cap.ALLOWANCE_RUN}))
    started = time.monotonic()
    run = allowance_compute(actor=actor, days=days)
    seconds = time.monotonic() - started
    stdout.write(
        f"Allowance {run.first.isoformat()}..{run.last.isoformat()}: "
        f"{run.facilities} facilities, {run.person_days} person-days "
        f"({run.created} new, {run.updated} changed, {run.unchanged} unchanged, "
        f"{run.posted} posted and left), {kroner(run.total_ore)} in all, {seconds:.1f} s\n"
    )


def parse_week(value: str) -> dt.date:
    """'2026-W10' -> the Monday of that ISO week; DomainError otherwise."""
    try:
        year, week = value.strip().upper().split("-W")
        return dt.date.fromisocalendar(int(year), int(week), 1)
    except ValueError as exc:
        raise DomainError(
            _("Give the week as YYYY-Www, for example 2026-W10."), field="week"
        ) from exc


def parse_month(value: str) -> dt.date:
    """'2026-03' -> 1 March 2026; DomainError otherwise."""
    try:
        return dt.date.fromisoformat(f"{value.strip()}-01")
    except ValueError as exc:
        raise DomainError(
            _("Give the month as YYYY-MM, for example 2026-03."), field="month"
        ) from exc
