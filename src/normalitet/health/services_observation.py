"""Suicide and self-harm prevention: observation levels, the officers' checks, missed checks and
crises (issue 7, capability 4; RULES.md § 10).

- Health staff set an observation level with its reason (``observation_set``). Any clinician may
  start one or make it closer; only a doctor or psychologist may make it less close or end it
  (``access.OBSERVATION_LOWERERS``). A person has at most one level in force.
- Officers of the person's unit (``Cap.OBSERVATION_CHECK``, their caseload) and health staff of
  the facility record each check (``check_record``, reached from outside through
  ``facade.observation_check``). Officers see the level, the interval and the clock, never the
  reason: what is strictly necessary to avert danger to life (SGL § 4 a).
- A check that is more than the grace past due is missed: ``missed_sweep`` raises it once (when
  the watch board or the overview loads, and from ``normalitet health-sweep``); the next check
  closes it.
- Health staff record a crisis and the response to it, step by step (``crisis_record``,
  ``crisis_add_steps``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from normalitet.core import clock
from normalitet.core.errors import Conflict, DomainError, NotFound
from normalitet.core.validation import text
from normalitet.custody.models import CustodyEpisode
from normalitet.identity.policies import SystemActor
from normalitet.identity.roles import Cap

from . import access, audit, facts
from .domain.rules import interval_for, late_by, rules_on
from .models import CrisisEvent, MissedCheck, ObservationCheck, ObservationLevel
from .router import HEALTH_DB

REASON_MAX = 2000
NOTE_MAX = 2000
CHECK_NOTE_MAX = 300
SWEEPER = SystemActor("health-sweep", frozenset())
Level = ObservationLevel.Level
State = ObservationCheck.State
# The order of the levels, closest first ("constant" and "close" share an interval).
RANK = {value: i for i, value in enumerate(Level.values)}


def _closeness(level: str, interval_minutes: int) -> tuple[int, int]:
    """Smaller is closer: the interval first, then the level's rank."""
    return (interval_minutes, RANK[level])


def _open(person_id: int) -> QuerySet[ObservationLevel]:
    return ObservationLevel.objects.filter(person_id=person_id, ended_at__isnull=True)


def _grace() -> int:
    return rules_on(clock.today()).check_grace_minutes


def _end(level: ObservationLevel, actor: Any, now: dt.datetime, note: str = "") -> None:
    """End the level in force at ``now``, by ``actor`` (a note when it ends without a new one)."""
    level.ended_at = now
    level.ended_by_id = actor.pk
    level.ended_by_name = access.name_of(actor)
    level.end_note = note
    level.save(update_fields=["ended_at", "ended_by_id", "ended_by_name", "end_note"])


# --- Levels ------------------------------------------------------------------------------------


def observation_set(
    *,
    actor: Any,
    person_id: int,
    level: str,
    reason: str,
    review_at: dt.datetime | None = None,
) -> ObservationLevel:
    """Start an observation level, or change the one in force (it ends and the new one starts
    in the same transaction). Making it less close takes a doctor or psychologist."""
    access.ensure_health_staff(actor)
    card = access.ensure_patient(actor, person_id)
    if level not in RANK:
        raise DomainError(_("Choose an observation level."), field="level")
    reason = text(reason, "reason", _("Say why the person needs observation."), REASON_MAX)
    now = clock.now()
    if review_at is not None:
        review_at = clock.aware(review_at)
        if review_at <= now:
            raise DomainError(_("The review must be in the future."), field="review_at")
    interval = interval_for(level, clock.today())
    try:
        with transaction.atomic(using=HEALTH_DB):
            current = _open(person_id).select_for_update().first()
            if current is not None:
                was = _closeness(current.level, current.interval_minutes)
                if _closeness(level, interval) > was:
                    access.ensure_profession(
                        actor,
                        access.OBSERVATION_LOWERERS,
                        _("Only a doctor or a psychologist may make the observation less close."),
                    )
                _end(current, actor, now)
            observation = ObservationLevel.objects.create(
                person_id=person_id,
                facility_id=card.facility_id,
                level=level,
                interval_minutes=interval,
                reason=reason,
                review_at=review_at,
                started_at=now,
                **access.stamp(actor),
            )
            audit.record_change(
                actor=actor,
                action="health.observation.set",
                obj=observation,
                person_id=person_id,
                data={
                    "level": level,
                    "interval_minutes": interval,
                    "previous_level": current.level if current else None,
                    "previous_id": current.pk if current else None,
                    "review_at": review_at,
                },
            )
    except IntegrityError as exc:  # another level was set for the person at the same moment
        raise Conflict(_("The observation level was just changed. Try again.")) from exc
    return observation


def observation_end(*, actor: Any, person_id: int, note: str) -> ObservationLevel:
    """End the observation in force (a doctor or psychologist, with a note)."""
    access.ensure_health_staff(actor)
    access.ensure_patient(actor, person_id)
    access.ensure_profession(
        actor,
        access.OBSERVATION_LOWERERS,
        _("Only a doctor or a psychologist may end an observation."),
    )
    note = text(note, "note", _("Say why the observation can end."), NOTE_MAX)
    with transaction.atomic(using=HEALTH_DB):
        current = _open(person_id).select_for_update().first()
        if current is None:
            raise DomainError(_("The person is not under observation."), rule="not-observed")
        _end(current, actor, clock.now(), note)
        audit.record_change(
            actor=actor,
            action="health.observation.end",
            obj=current,
            person_id=person_id,
            data={"level": current.level},
        )
    return current


# --- Checks ------------------------------------------------------------------------------------


def ensure_unit_staff(actor: Any) -> None:
    """Unit staff who record checks (``OBSERVATION_CHECK``, of a facility), else NotFound: the
    watch board does not exist for anyone else."""
    if not access.is_unit_staff(actor):
        raise NotFound(_("Not found."))


def _checker_card(actor: Any, person_id: int) -> access.PersonCard:
    """Health staff of the facility, or unit staff with OBSERVATION_CHECK for their caseload."""
    if access.is_health_staff(actor):
        return access.ensure_patient(actor, person_id)
    return access.staff_person(actor, person_id, Cap.OBSERVATION_CHECK)


def _raise_missed(
    observation: ObservationLevel, due_at: dt.datetime, now: dt.datetime
) -> tuple[MissedCheck, bool]:
    """The missed check of ``observation`` due at ``due_at``, raised now unless it already was."""
    return MissedCheck.objects.get_or_create(
        observation=observation,
        due_at=due_at,
        defaults={
            "person_id": observation.person_id,
            "facility_id": observation.facility_id,
            "detected_at": now,
        },
    )


def check_record(*, actor: Any, person_id: int, state: str, note: str = "") -> ObservationCheck:
    """Record that the person was looked in on now. The check closes the missed checks of the
    observation (a missed check not yet raised is raised and closed by it)."""
    _checker_card(actor, person_id)
    if state not in State.values:
        raise DomainError(_("Choose what you saw."), field="state")
    note = text(
        note,
        "note",
        _("Say what you saw and which health staff you told.")
        if state == State.DISTRESSED
        else None,
        CHECK_NOTE_MAX,
    )
    now = clock.now()
    grace = _grace()
    with transaction.atomic(using=HEALTH_DB):
        observation = _open(person_id).select_for_update().first()
        if observation is None:
            raise DomainError(_("The person is not under observation."), rule="not-observed")
        before = facts.observations([person_id], now=now)[person_id]  # the clock before it
        check = ObservationCheck.objects.create(
            observation=observation,
            person_id=person_id,
            checked_at=now,
            state=state,
            note=note,
            late_by_minutes=late_by(due=before.next_due, checked_at=now, grace_minutes=grace),
            **access.stamp(actor),
        )
        if before.overdue:
            _raise_missed(observation, before.next_due, now)
        # The clock moves only with a check, so at most one missed check is open at a time.
        closed = MissedCheck.objects.filter(observation=observation, closed_by__isnull=True).update(
            closed_by=check
        )
        audit.record_change(
            actor=actor,
            action="health.observation_check.record",
            obj=check,
            person_id=person_id,
            data={
                "state": state,
                "late_by_minutes": check.late_by_minutes,
                "closed_missed": closed,
            },
        )
    return check


def missed_sweep(*, now: dt.datetime | None = None, facility_id: int | None = None) -> int:
    """Raise a missed check for every observation in force whose next check is past due and
    the grace (once per due time), for persons still in custody; returns how many were raised
    now."""
    now = now or clock.now()
    raised = 0
    overdue = [
        o for o in facts.observations(facility_id=facility_id, now=now).values() if o.overdue
    ]
    # A person released with an observation still open is nobody's to check any more.
    in_custody = set(
        CustodyEpisode.objects.filter(
            released_at__isnull=True, person_id__in=[o.person_id for o in overdue]
        ).values_list("person_id", flat=True)
    )
    for obs in overdue:
        if obs.person_id not in in_custody:
            continue
        with transaction.atomic(using=HEALTH_DB):
            observation = (
                ObservationLevel.objects.select_for_update()
                .filter(pk=obs.observation_id, ended_at__isnull=True)
                .first()
            )
            if observation is None:
                continue
            missed, created = _raise_missed(observation, obs.next_due, now)
            if created:
                raised += 1
                audit.record_change(
                    actor=SWEEPER,
                    action="health.missed_check.raise",
                    obj=missed,
                    person_id=observation.person_id,
                    data={"due_at": obs.next_due, "level": observation.level},
                )
    return raised


# --- Crises ------------------------------------------------------------------------------------


def _steps(steps: Sequence[str], already: Iterable[str] = ()) -> list[str]:
    values = list(steps or [])
    if not values:
        raise DomainError(_("Choose at least one step taken."), field="steps")
    if any(s not in CrisisEvent.Step.values for s in values):
        raise DomainError(_("Choose steps from the list."), field="steps")
    if len(set(values)) != len(values) or set(values) & set(already):
        raise DomainError(_("Each step is recorded once."), field="steps")
    return values


def crisis_record(
    *,
    actor: Any,
    person_id: int,
    occurred_at: dt.datetime,
    kind: str,
    steps: Sequence[str],
    note: str,
) -> CrisisEvent:
    """Record a crisis and the steps taken in response, in the order they were taken."""
    access.ensure_health_staff(actor)
    card = access.ensure_patient(actor, person_id)
    if kind not in CrisisEvent.Kind.values:
        raise DomainError(_("Choose what happened."), field="kind")
    if occurred_at is None:
        raise DomainError(_("Give the time it happened."), field="occurred_at")
    occurred_at = clock.aware(occurred_at)
    if occurred_at > clock.now():
        raise DomainError(_("The time cannot be in the future."), field="occurred_at")
    values = _steps(steps)
    note = text(note, "note", None, NOTE_MAX)
    with transaction.atomic(using=HEALTH_DB):
        crisis = CrisisEvent.objects.create(
            person_id=person_id,
            facility_id=card.facility_id,
            occurred_at=occurred_at,
            kind=kind,
            steps=values,
            note=note,
            **access.stamp(actor),
        )
        audit.record_change(
            actor=actor,
            action="health.crisis.record",
            obj=crisis,
            person_id=person_id,
            data={"kind": kind, "steps": values},
        )
    return crisis


def crisis_add_steps(*, actor: Any, crisis_id: int, steps: Sequence[str], note: str) -> CrisisEvent:
    """Add further steps taken later; a note is added to the crisis's note with time and name."""
    access.ensure_health_staff(actor)
    crisis = CrisisEvent.objects.filter(pk=crisis_id).first()
    if crisis is None:
        raise NotFound(_("No such crisis."))
    access.ensure_patient(actor, crisis.person_id)
    note = text(note, "note", None, NOTE_MAX)
    with transaction.atomic(using=HEALTH_DB):
        crisis = CrisisEvent.objects.select_for_update().get(pk=crisis_id)
        added = _steps(steps, already=crisis.steps)
        crisis.steps = [*crisis.steps, *added]
        if note:
            when = timezone.localtime(clock.now(), clock.OSLO)
            line = f"{when:%Y-%m-%d %H:%M} {access.name_of(actor)}: {note}"
            crisis.note = f"{crisis.note}\n\n{line}" if crisis.note else line
        crisis.save(update_fields=["steps", "note"])
        audit.record_change(
            actor=actor,
            action="health.crisis.add_steps",
            obj=crisis,
            person_id=crisis.person_id,
            data={"steps": added},
        )
    return crisis


# --- What the pages read ------------------------------------------------------------------------


@dataclass(frozen=True)
class WatchRow:
    """A person under observation as unit staff see them: custody facts and the clock."""

    card: access.PersonCard
    observation: facts.Observation
    last_check_by: str


def _last_by(observation_ids: list[int]) -> dict[int, str]:
    last = ObservationCheck.objects.filter(observation_id=OuterRef("pk")).order_by(
        "-checked_at", "-pk"
    )
    rows = (
        ObservationLevel.objects.filter(pk__in=observation_ids)
        .annotate(last_by=Subquery(last.values("created_by_name")[:1]))
        .values_list("pk", "last_by")
    )
    return {pk: by or "" for pk, by in rows}


def _order(row: WatchRow) -> tuple[bool, dt.datetime, str]:
    return (not row.observation.overdue, row.observation.next_due, row.card.name)


def watch_rows(cards: dict[int, access.PersonCard]) -> list[WatchRow]:
    """The persons of ``cards`` under observation, overdue first, then by next check."""
    observations = facts.observations(cards.keys())
    by = _last_by([o.observation_id for o in observations.values()])
    rows = [
        WatchRow(card=cards[pid], observation=o, last_check_by=by.get(o.observation_id, ""))
        for pid, o in observations.items()
    ]
    return sorted(rows, key=_order)


def watch_board(*, actor: Any) -> list[WatchRow]:
    """Unit staff's watch board: their caseload under observation (raises missed checks)."""
    ensure_unit_staff(actor)
    missed_sweep(facility_id=actor.facility_id)
    return watch_rows(access.staff_caseload(actor, Cap.OBSERVATION_CHECK))


@dataclass(frozen=True)
class OverviewRow:
    """An observation in force as health staff see it: with the reason and the review."""

    card: access.PersonCard
    level: ObservationLevel
    observation: facts.Observation
    last_check_by: str
    missed_24h: int
    missed_open: int


@dataclass(frozen=True)
class MissedRow:
    card: access.PersonCard
    missed: MissedCheck


@dataclass(frozen=True)
class Overview:
    rows: list[OverviewRow]
    missed: list[MissedRow]

    @property
    def person_ids(self) -> set[int]:
        return {r.card.person_id for r in self.rows} | {m.card.person_id for m in self.missed}


def overview(*, actor: Any) -> Overview:
    """The facility's observations in force (overdue first), and the missed checks of the last
    24 hours. Raises the missed checks due first."""
    access.ensure_health_staff(actor)
    missed_sweep(facility_id=actor.facility_id)
    cards = access.caseload(actor)
    since = clock.now() - dt.timedelta(hours=24)
    missed = list(
        MissedCheck.objects.filter(person_id__in=list(cards), due_at__gte=since)
        .select_related("observation", "closed_by")
        .order_by("-due_at")
    )
    in_24h = Counter(m.observation_id for m in missed)
    still_open = Counter(m.observation_id for m in missed if not m.closed_by_id)
    rows = watch_rows(cards)
    levels = ObservationLevel.objects.in_bulk([r.observation.observation_id for r in rows])
    return Overview(
        rows=[
            OverviewRow(
                card=r.card,
                level=levels[r.observation.observation_id],
                observation=r.observation,
                last_check_by=r.last_check_by,
                missed_24h=in_24h[r.observation.observation_id],
                missed_open=still_open[r.observation.observation_id],
            )
            for r in rows
        ],
        missed=[MissedRow(card=cards[m.person_id], missed=m) for m in missed],
    )


@dataclass(frozen=True)
class PersonObservation:
    """One person's observation record: levels, checks, missed checks and crises."""

    current: ObservationLevel | None
    clock: facts.Observation | None
    levels: list[ObservationLevel]
    checks: list[ObservationCheck]
    missed: list[MissedCheck]
    crises: list[CrisisEvent]


def person_observation(*, person_id: int, checks: int = 50) -> PersonObservation:
    """The observation record of a person (the caller has checked access and logged it)."""
    levels = list(
        ObservationLevel.objects.filter(person_id=person_id).order_by("-started_at", "-pk")
    )
    current = next((lv for lv in levels if lv.ended_at is None), None)
    return PersonObservation(
        current=current,
        clock=facts.observations([person_id]).get(person_id) if current else None,
        levels=levels,
        checks=list(
            ObservationCheck.objects.filter(person_id=person_id)
            .select_related("observation")
            .order_by("-checked_at", "-pk")[:checks]
        ),
        missed=list(
            MissedCheck.objects.filter(person_id=person_id)
            .select_related("observation", "closed_by")
            .order_by("-due_at")[:checks]
        ),
        crises=list(
            CrisisEvent.objects.filter(person_id=person_id).order_by("-occurred_at", "-pk")
        ),
    )
