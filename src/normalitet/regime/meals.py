"""Meals, diets and faith (issue 5, part 6; RULES.md § 8 and SGL § 4: faith services are the
ordinary providers' inside the prison).

- A diet is kept on the person, so it follows them on transfer. A medical diet says what to
  serve, never why: diagnoses stay in the health record.
- The kitchen's meal numbers for a day: per unit, the persons there and not away, and how many
  of them have each diet. Self-catering units buy and cook their own food with food money
  (SGF § 3-13) and are listed apart.
- A medical diet set by the health service reaches the kitchen through the health facade as
  its instruction for the kitchen only (SGL § 4 a), shown as from the health service beside the
  diets recorded here and counted as a medical diet.
- Faith: services (chapel activities, by community) and visits by the prison chaplain or clergy
  of other communities, counted per community to show that every community gets access.

Who may do what: the pages are for the facility's staff with ``REGIME_VIEW`` (teachers have no
part in them); diets and clergy visits are recorded with ``DIET_EDIT``, for persons in the
actor's caseload.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from normalitet.audit.services import record_change
from normalitet.core import clock
from normalitet.core.errors import Conflict, DomainError, NotFound
from normalitet.core.text import fold
from normalitet.core.validation import clean_and_save, iso_date, text
from normalitet.custody.caseload import open_episodes_in_caseload
from normalitet.custody.models import CustodyEpisode
from normalitet.estate.models import Facility, Unit
from normalitet.identity.policies import ensure_cap
from normalitet.identity.roles import Cap

from . import access, health_facts
from .access import ensure_episode, is_teacher
from .allowance import kroner
from .domain import calendar
from .domain.rules import ALLOWANCE_RATES, in_force
from .models import (
    OPEN_STATUSES,
    ActivityCategory,
    Allocation,
    ClergyVisit,
    Closure,
    DietKind,
    DietRequirement,
    Session,
    SessionCancellation,
)
from .occurrences import overlapping, running_on, unit_settings

# Diets whose detail the kitchen needs: what to leave out, or what to serve.
DETAILED = (DietKind.ALLERGY, DietKind.MEDICAL)
# Words that name a diagnosis rather than what to serve (folded: 'cøliaki' is 'coliaki').
_DIAGNOSIS = re.compile(
    r"\b(diabet\w*|coliaki\w*|coeliac\w*|celiac\w*|crohn\w*|kolitt\w*|colitis|epilep\w*|"
    r"nyresvikt|anoreksi|anorexia|bulimi\w*|hiv|kreft|cancer)\b"
)
# Meal numbers are planned from today's roll, for today and the days ahead.
MEAL_DAYS_AHEAD = 14
FAITH_WEEKS = 4
VISIT_MINUTES = (5, 480)


def diet_episode(*, actor: Any, person_id: int) -> CustodyEpisode:
    """The open episode of a person in the caseload of staff with ``REGIME_VIEW``."""
    if is_teacher(actor):
        raise NotFound(_("No such person."))
    return ensure_episode(actor=actor, person_id=person_id)


# --- Diets -------------------------------------------------------------------------------------


def person_diets(
    *, person_id: int, today: dt.date
) -> tuple[list[DietRequirement], list[DietRequirement]]:
    """The person's diets: those in force or ahead, and those that have ended."""
    diets = list(
        DietRequirement.objects.filter(person_id=person_id)
        .select_related("recorded_by")
        .order_by("-starts_on", "kind")
    )
    ended = [d for d in diets if d.ends_on is not None and d.ends_on < today]
    return [d for d in diets if d not in ended], ended


def diet_add(
    *,
    actor: Any,
    episode: CustodyEpisode,
    kind: str,
    starts_on: dt.date,
    detail: str = "",
    ends_on: dt.date | None = None,
) -> DietRequirement:
    """Record a diet. An allergy or medical diet says what to leave out or serve; a medical
    diet never names a diagnosis. Two diets of one kind may not overlap."""
    ensure_cap(actor, Cap.DIET_EDIT)
    episode = ensure_episode(actor=actor, person_id=episode.person_id)
    if kind not in DietKind.values:
        raise DomainError(_("Choose the diet."), field="kind")
    needs = _("Say what to leave out or serve.") if kind in DETAILED else None
    detail = text(detail, "detail", needs, 160)
    if kind == DietKind.MEDICAL and _DIAGNOSIS.search(fold(detail)):
        raise DomainError(
            _("Say what to serve or avoid, not the diagnosis: that stays in the health record."),
            field="detail",
        )
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("A diet cannot end before it starts."), field="ends_on")
    if DietRequirement.objects.filter(
        overlapping(starts_on, ends_on), person_id=episode.person_id, kind=kind
    ).exists():
        raise Conflict(_("The person already has this diet for these dates."), field="kind")
    with transaction.atomic():
        diet = DietRequirement(
            person_id=episode.person_id,
            kind=kind,
            detail=detail,
            starts_on=starts_on,
            ends_on=ends_on,
            recorded_by=actor,
        )
        clean_and_save(diet)
        record_change(
            actor=actor,
            action="regime.diet_added",
            obj=diet,
            person_id=diet.person_id,
            data={"kind": kind, "starts_on": starts_on, "ends_on": ends_on},
        )
    return diet


def diet_for(*, actor: Any, diet_id: int) -> DietRequirement:
    """A diet of a person in the actor's caseload; else NotFound."""
    diet = DietRequirement.objects.filter(pk=diet_id).first()
    if diet is None:
        raise NotFound(_("No such diet."))
    diet_episode(actor=actor, person_id=diet.person_id)
    return diet


def diet_end(*, actor: Any, diet: DietRequirement, ends_on: dt.date) -> DietRequirement:
    """End a diet on ``ends_on`` (the last day it is served)."""
    ensure_cap(actor, Cap.DIET_EDIT)
    ensure_episode(actor=actor, person_id=diet.person_id)
    with transaction.atomic():
        diet = DietRequirement.objects.select_for_update().get(pk=diet.pk)
        if diet.ends_on is not None and diet.ends_on < clock.today():
            raise Conflict(_("The diet has already ended."))
        if ends_on < diet.starts_on:
            raise DomainError(_("A diet cannot end before it starts."), field="ends_on")
        if diet.ends_on is not None and ends_on > diet.ends_on:
            raise DomainError(
                _("The diet ends earlier already; record a new diet to go on with it."),
                field="ends_on",
            )
        diet.ends_on = ends_on
        diet.save(update_fields=["ends_on"])
        record_change(
            actor=actor,
            action="regime.diet_ended",
            obj=diet,
            person_id=diet.person_id,
            data={"kind": diet.kind, "ends_on": ends_on},
        )
    return diet


# --- The kitchen's meal numbers ------------------------------------------------------------------


@dataclass
class UnitMeals:
    """One unit's meals on a day: persons present, and how many have each diet. A person with
    two diets counts under both; ``ordinary`` is those with none."""

    unit_id: int | None
    name: str
    present: int = 0
    with_diet: int = 0
    diets: Counter[str] = field(default_factory=Counter)
    details: Counter[tuple[str, str]] = field(default_factory=Counter)
    # The health service's instructions for the kitchen, and how many persons have each.
    health_details: Counter[str] = field(default_factory=Counter)
    food_ore: int = 0

    @property
    def ordinary(self) -> int:
        return self.present - self.with_diet

    def diet_counts(self) -> list[int]:
        return [self.diets[k] for k in DietKind.values]

    def detail_lines(self) -> list[tuple[str, str, int]]:
        """(diet, what to serve or avoid, persons), for the allergies and medical diets."""
        return sorted((str(DietKind(k).label), d, n) for (k, d), n in self.details.items())

    def health_lines(self) -> list[tuple[str, int]]:
        """(the health service's instruction for the kitchen, persons)."""
        return sorted(self.health_details.items())

    @property
    def food_money(self) -> str:
        return kroner(self.present * self.food_ore)

    def add(self, other: UnitMeals) -> None:
        self.present += other.present
        self.with_diet += other.with_diet
        self.diets.update(other.diets)
        self.details.update(other.details)
        self.health_details.update(other.health_details)


@dataclass
class MealNumbers:
    facility: Facility
    day: dt.date
    catered: list[UnitMeals]
    self_catering: list[UnitMeals]
    total: UnitMeals
    self_catering_total: UnitMeals
    food_ore: int
    rates_verified: bool

    @property
    def food_rate(self) -> str:
        return kroner(self.food_ore)


def meal_day(value: str | None, today: dt.date) -> dt.date:
    """The day asked for (ISO date; today when empty), from today up to two weeks ahead."""
    if not value:
        return today
    day = iso_date(value)
    if not today <= day <= today + dt.timedelta(days=MEAL_DAYS_AHEAD):
        raise DomainError(
            _(
                "Meal numbers are planned from today's roll: choose today or a day up to "
                "%(n)s days ahead."
            )
            % {"n": MEAL_DAYS_AHEAD},
            field="date",
        )
    return day


def present_on(*, facility: Facility, day: dt.date) -> QuerySet[CustodyEpisode]:
    """Open episodes of the facility whose person is expected there on ``day``: admitted by
    then, not released before it, and not away (an absence counts only if the person is not
    expected back before the day ends)."""
    _start, end = clock.local_day_bounds(day)
    away = Q(absent_since__isnull=False) & (
        Q(absence_expected_back__isnull=True) | Q(absence_expected_back__gte=end)
    )
    return (
        CustodyEpisode.objects.filter(
            facility=facility, released_at__isnull=True, admitted_at__lt=end
        )
        .filter(Q(expected_release_date__isnull=True) | Q(expected_release_date__gte=day))
        .exclude(away)
    )


def meal_numbers(*, facility: Facility, day: dt.date) -> MealNumbers:
    """Meal numbers per unit and diet for the kitchen, the health service's medical diets
    included. Four queries whatever the size, and one of the health service's."""
    present = present_on(facility=facility, day=day)
    unit_of = {person: unit for unit, person in present.values_list("unit_id", "person_id")}
    diets: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for person_id, kind, detail in DietRequirement.objects.filter(
        running_on(day), person_id__in=present.values("person_id")
    ).values_list("person_id", "kind", "detail"):
        diets[person_id].append((kind, detail))
    medical = health_facts.medical_diets(unit_of, on=day)
    used = {u for u in unit_of.values() if u is not None}
    units = Unit.objects.filter(facility=facility).filter(Q(is_active=True) | Q(pk__in=used))
    rows: dict[int | None, UnitMeals] = {
        u: UnitMeals(u, name) for u, name in units.order_by("code").values_list("pk", "name")
    }
    if None in unit_of.values():
        rows[None] = UnitMeals(None, _("Not yet placed in a unit"))
    for person, unit in unit_of.items():
        row = rows[unit]
        row.present += 1
        kinds = {kind for kind, _detail in diets.get(person, [])}
        if person in medical:
            kinds.add(DietKind.MEDICAL.value)
            row.health_details[medical[person].strip()] += 1
        row.with_diet += bool(kinds)
        row.diets.update(kinds)
        row.details.update((k, d.strip()) for k, d in diets.get(person, []) if k in DETAILED)
    rates = in_force(ALLOWANCE_RATES, day)
    cooking = {
        u for u, s in unit_settings(unit_ids=[u for u in rows if u]).items() if s.self_catering
    }
    catered = [r for u, r in rows.items() if u not in cooking]
    self_catering = [r for u, r in rows.items() if u in cooking]
    for r in self_catering:
        r.food_ore = rates.food_ore
    return MealNumbers(
        facility=facility,
        day=day,
        catered=catered,
        self_catering=self_catering,
        total=_sum(catered),
        self_catering_total=_sum(self_catering, food_ore=rates.food_ore),
        food_ore=rates.food_ore,
        rates_verified=rates.verified,
    )


def _sum(rows: list[UnitMeals], food_ore: int = 0) -> UnitMeals:
    total = UnitMeals(None, _("Total"), food_ore=food_ore)
    for row in rows:
        total.add(row)
    return total


# --- Faith -------------------------------------------------------------------------------------


def clergy_visit_add(
    *,
    actor: Any,
    community: str,
    visitor_name: str,
    external: bool,
    starts_at: dt.datetime,
    minutes: int,
    person_id: int | None = None,
    note: str = "",
) -> ClergyVisit:
    """Record a visit by the prison chaplain or external clergy: to a group, or a pastoral
    visit to one person who asked for it (a person in the actor's caseload)."""
    facility = access.staff_facility(actor=actor)
    ensure_cap(actor, Cap.DIET_EDIT)
    community = text(community, "community", _("Name the faith community."), 80)
    visitor_name = text(
        visitor_name, "visitor_name", _("Give the name of the chaplain or cleric."), 160
    )
    note = text(note, "note", None, 255)
    starts_at = clock.aware(starts_at)
    if starts_at > clock.now():
        raise DomainError(_("Record a visit once it has taken place."), field="starts_at")
    if not VISIT_MINUTES[0] <= minutes <= VISIT_MINUTES[1]:
        raise DomainError(
            _("Give the length of the visit: %(low)s to %(high)s minutes.")
            % {"low": VISIT_MINUTES[0], "high": VISIT_MINUTES[1]},
            field="minutes",
        )
    if person_id is not None and not (
        open_episodes_in_caseload(actor).filter(person_id=person_id, facility=facility).exists()
    ):
        raise DomainError(_("Choose a person in your caseload."), field="person_id")
    with transaction.atomic():
        visit = ClergyVisit(
            facility=facility,
            community=community,
            visitor_name=visitor_name,
            external=external,
            starts_at=starts_at,
            minutes=minutes,
            person_id=person_id,
            note=note,
            recorded_by=actor,
        )
        clean_and_save(visit)
        record_change(
            actor=actor,
            action="regime.clergy_visit_added",
            obj=visit,
            person_id=person_id,
            data={"external": external, "starts_at": starts_at, "minutes": minutes},
        )
    return visit


@dataclass
class CommunityAccess:
    """One faith community's services and visits in the window, side by side."""

    name: str
    open_to_all: bool = False  # services for everyone, of no one community
    services: list[str] = field(default_factory=list)
    sessions_held: int = 0
    taking_part: int = 0
    group_visits: int = 0
    pastoral_visits: int = 0
    visit_minutes: int = 0

    @property
    def has_access(self) -> bool:
        return bool(self.sessions_held or self.group_visits or self.pastoral_visits)

    @property
    def without_access(self) -> bool:
        """Persons take part or wait, yet no service was held and no cleric came."""
        return self.taking_part > 0 and not self.has_access


@dataclass
class FaithOverview:
    since: dt.date
    until: dt.date
    communities: list[CommunityAccess]
    # Each visit, with the person of a pastoral visit if the actor may open them.
    visits: list[tuple[ClergyVisit, Any]]

    @property
    def visible_person_ids(self) -> list[int]:
        return [p.pk for _v, p in self.visits if p is not None]


def _community(by_key: dict[str, CommunityAccess], name: str) -> CommunityAccess:
    name = name.strip()
    if not name:
        return by_key.setdefault("", CommunityAccess(_("Open to all communities"), True))
    return by_key.setdefault(fold(name), CommunityAccess(name))


def _sessions_held(
    sessions: list[Session], since: dt.date, now: dt.datetime, off: set[Any]
) -> Counter[int]:
    """Occurrences that have run from ``since`` until ``now`` (local), per activity: on the
    session's weekday, within its validity, not cancelled (``off`` holds (session, day), and
    (None, day) for a closed facility), not on a public holiday unless the activity runs then."""
    held: Counter[int] = Counter()
    for s in sessions:
        day = since + dt.timedelta(days=(s.weekday - since.weekday()) % 7)
        while day < now.date() or (day == now.date() and s.ends <= now.time()):
            runs = s.valid_from <= day and (s.valid_to is None or s.valid_to >= day)
            open_day = (None, day) not in off and (s.pk, day) not in off
            holiday_ok = s.activity.runs_on_holidays or not calendar.is_public_holiday(day)
            held[s.activity_id] += runs and open_day and holiday_ok
            day += dt.timedelta(days=7)
    return held


def _count_services(
    by_key: dict[str, CommunityAccess], facility: Facility, since: dt.date, now: dt.datetime
) -> None:
    """Chapel activities per community, the sessions they held, and who takes part or waits."""
    today = now.date()
    chapel = Session.objects.filter(
        activity__facility=facility,
        activity__category=ActivityCategory.CHAPEL,
        activity__is_active=True,
    )
    sessions = list(chapel.select_related("activity"))
    off: set[Any] = set(
        SessionCancellation.objects.filter(
            session__in=chapel, on__gte=since, on__lte=today
        ).values_list("session_id", "on")
    )
    for first, last in Closure.objects.filter(
        facility=facility, unit__isnull=True, starts_on__lte=today, ends_on__gte=since
    ).values_list("starts_on", "ends_on"):
        first, last = max(first, since), min(last, today)
        off.update((None, first + dt.timedelta(days=i)) for i in range((last - first).days + 1))
    held = _sessions_held(sessions, since, now, off)
    for activity in {s.activity_id: s.activity for s in sessions}.values():
        c = _community(by_key, activity.community)
        c.services.append(activity.name)
        c.sessions_held += held[activity.pk]
    for community, _person in (
        Allocation.objects.filter(
            activity__facility=facility,
            activity__category=ActivityCategory.CHAPEL,
            activity__is_active=True,
            status__in=OPEN_STATUSES,
        )
        .values_list("activity__community", "person_id")
        .distinct()
    ):
        _community(by_key, community).taking_part += 1


def faith_overview(*, actor: Any, facility: Facility, now: dt.datetime) -> FaithOverview:
    """Faith services and clergy visits of the last four weeks (today included), per
    community. The same few queries whatever the size."""
    now = now.astimezone(clock.OSLO)
    since = now.date() - dt.timedelta(weeks=FAITH_WEEKS) + dt.timedelta(days=1)
    by_key: dict[str, CommunityAccess] = {}
    _count_services(by_key, facility, since, now)
    start, _end = clock.local_day_bounds(since)
    visits = list(
        ClergyVisit.objects.filter(facility=facility, starts_at__gte=start).order_by("-starts_at")
    )
    for v in visits:
        c = _community(by_key, v.community)
        c.visit_minutes += v.minutes
        if v.person_id is None:
            c.group_visits += 1
        else:
            c.pastoral_visits += 1
    visible = {
        e.person_id: e.person
        for e in open_episodes_in_caseload(actor)
        .filter(person_id__in=[v.person_id for v in visits if v.person_id])
        .select_related("person")
    }
    return FaithOverview(
        since=since,
        until=now.date(),
        communities=sorted(by_key.values(), key=lambda c: fold(c.name)),
        visits=[(v, visible.get(v.person_id or 0)) for v in visits],
    )
