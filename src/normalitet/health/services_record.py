"""The health staff's view of their facility and of one person's record, and the two statements
the prison may see: fitness for work and a medical diet (SGL § 4 a; RULES.md § 10).

- The day: new requests waiting for triage, today's appointments, observations in force (overdue
  first), today's medicine rounds, and releases within the lead time with no referral sent.
- The patients: the persons in custody at the facility, with flags; one person's overview.
- Fitness for work: the prison learns only fit / restricted / unfit on a day (``facade``); the
  reason stays in the health record. Only a doctor or a dentist states it, as they certify
  sick leave (ftrl. § 8-7).
- A medical diet: the kitchen learns only the instruction health staff wrote for it, which
  must say what to do ("glutenfri kost") and never name a diagnosis.

A new statement replaces what was recorded from its first day on. It cannot start before today,
so what the prison was told for the days gone by stays as it was told.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from normalitet.core import clock
from normalitet.core.errors import Conflict, DomainError, NotFound
from normalitet.core.validation import clean_and_save, text

from . import access, audit, facts
from .models import (
    Appointment,
    CareReferral,
    DoseRecord,
    HealthRequest,
    MedicalDiet,
    ObservationLevel,
    Prescription,
    Round,
    WorkFitness,
)
from .router import HEALTH_DB
from .services_care import ReleaseWithoutReferral, referrals_of, releases_without_referral
from .services_medication import current, rounds_due
from .services_requests import OPEN as OPEN_REQUESTS
from .services_requests import appointments_on

SHORT = 8  # rows in each short list of the day
FITNESS_ASSESSORS = access.PRESCRIBERS

# Words that name a diagnosis or a condition, in Norwegian and English. The kitchen is told what
# to do, never why (RULES.md § 10). Stems match inside compounds ("nøtteallergi"); the short
# abbreviations only as words. "Allergen" is a food word and is let through.
_DIAGNOSIS = re.compile(
    r"diabet|cøliaki|coeliak|coeliac|celiac|cøliak|allerg(?!en)|intoleran|hepatitt|hepatitis"
    r"|epilep|anoreks|anorex|bulimi|spiseforstyrr|eating disorder|crohn|kolitt|colitis"
    r"|nyresvikt|kidney failure|dialys|kreft|cancer|gravid|pregnan|fenylketonuri|phenylketonuria"
    r"|\b(?:hiv|aids|pku|ibs)\b",
    re.IGNORECASE,
)


def diagnosis_in(instruction: str) -> str | None:
    """The first word of ``instruction`` that names a diagnosis, or None."""
    match = _DIAGNOSIS.search(instruction or "")
    if match is None:
        return None
    start, end = match.span()
    # Show the whole word the stem was found in.
    while start > 0 and instruction[start - 1].isalnum():
        start -= 1
    while end < len(instruction) and instruction[end].isalnum():
        end += 1
    return instruction[start:end]


# --- The day -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundDue:
    round: str
    label: str
    persons: int
    doses: int
    recorded: int


@dataclass
class Day:
    today: dt.date
    new_requests: list[tuple[HealthRequest, access.PersonCard]]  # the first ``SHORT``
    new_requests_count: int
    appointments: list[tuple[Appointment, access.PersonCard]]
    observations: list[tuple[facts.Observation, access.PersonCard]]
    rounds: list[RoundDue]
    releases: list[ReleaseWithoutReferral]

    @property
    def overdue(self) -> int:
        """How many persons under observation have a check overdue."""
        return sum(1 for o, _card in self.observations if o.overdue)


def _rounds_today(person_ids: list[int], today: dt.date) -> list[RoundDue]:
    persons: dict[str, set[int]] = {r: set() for r in Round.values}
    doses: dict[str, set[int]] = {r: set() for r in Round.values}
    for p in current(today).filter(person_id__in=person_ids, as_needed=False, starts_on__lte=today):
        for r in rounds_due(p, today):
            persons[r].add(p.person_id)
            doses[r].add(p.pk)
    recorded = {r: 0 for r in Round.values}
    all_doses = set().union(*doses.values())
    for row in (
        DoseRecord.objects.filter(day=today, prescription_id__in=list(all_doses))
        .values_list("round", "prescription_id")
        .order_by()
    ):
        if row[1] in doses.get(row[0], set()):
            recorded[row[0]] += 1
    return [
        RoundDue(r, str(label), len(persons[r]), len(doses[r]), recorded[r])
        for r, label in Round.choices
        if doses[r]
    ]


def day_of(actor: Any) -> Day:
    """The health staff's day at their facility (health staff only)."""
    access.ensure_health_staff(actor)
    today = clock.today()
    cards = access.caseload(actor)
    fid = actor.facility_id
    requests = [
        (r, cards[r.person_id])
        for r in HealthRequest.objects.filter(
            facility_id=fid, status=HealthRequest.Status.NEW
        ).order_by("created_at", "pk")
        if r.person_id in cards
    ]
    observations = sorted(
        ((o, cards[pid]) for pid, o in facts.observations(facility_id=fid).items() if pid in cards),
        key=lambda row: (not row[0].overdue, row[0].next_due),
    )
    return Day(
        today=today,
        new_requests=requests[:SHORT],
        new_requests_count=len(requests),
        appointments=appointments_on(actor, today, cards),
        observations=observations,
        rounds=_rounds_today(list(cards), today),
        releases=releases_without_referral(actor, cards),
    )


# --- Patients ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PatientRow:
    card: access.PersonCard
    observation: facts.Observation | None
    prescriptions: int
    open_requests: int


def patients(actor: Any, q: str = "") -> list[PatientRow]:
    """The persons in custody at the health worker's facility, found by name or person number
    (any part, any case), with what needs the health staff's eye."""
    access.ensure_health_staff(actor)
    cards = access.caseload(actor)
    needle = " ".join((q or "").split()).casefold()
    if needle:
        cards = {
            pid: c
            for pid, c in cards.items()
            if needle in c.name.casefold() or needle in c.person_number.casefold()
        }
    ids = list(cards)
    if not ids:
        return []
    observations = facts.observations(ids)
    today = clock.today()
    prescriptions = dict(
        current(today)
        .filter(person_id__in=ids)
        .values_list("person_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    requests = dict(
        HealthRequest.objects.filter(person_id__in=ids, status__in=OPEN_REQUESTS)
        .values_list("person_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        PatientRow(
            card=card,
            observation=observations.get(pid),
            prescriptions=prescriptions.get(pid, 0),
            open_requests=requests.get(pid, 0),
        )
        for pid, card in cards.items()
    ]


M = TypeVar("M", WorkFitness, MedicalDiet)


def in_force(rows: list[M], on: dt.date) -> M | None:
    """The row the prison is told about on ``on`` (the facade's choice: the latest start)."""
    live = [r for r in rows if r.valid_from <= on and (r.valid_to is None or r.valid_to >= on)]
    return max(live, key=lambda r: (r.valid_from, r.pk), default=None)


def state_of(row: WorkFitness | MedicalDiet, live: Any, today: dt.date) -> str:
    """``in_force``, ``planned``, ``ended`` or ``replaced`` (never in force); ``live`` is the
    statement in force today."""
    if row.valid_to is not None and row.valid_to < row.valid_from:
        return "replaced"
    if live is not None and row.pk == live.pk:
        return "in_force"
    if row.valid_from > today:
        return "planned"
    if row.valid_to is not None and row.valid_to < today:
        return "ended"
    return "replaced"


@dataclass
class Overview:
    card: access.PersonCard
    today: dt.date
    requests: list[HealthRequest]
    open_requests: int
    appointments: list[Appointment]
    prescriptions: list[Prescription]
    observation: facts.Observation | None
    observation_reason: str
    fitness: WorkFitness | None
    diet: MedicalDiet | None
    referrals: list[CareReferral] = field(default_factory=list)


def overview(actor: Any, person_id: int) -> Overview:
    """One person's health record at a glance. The caller logs the read."""
    access.ensure_health_staff(actor)
    card = access.ensure_patient(actor, person_id)
    today, now = clock.today(), clock.now()
    requests = list(HealthRequest.objects.filter(person_id=person_id).order_by("-created_at")[:10])
    observation = facts.observations([person_id]).get(person_id)
    reason = ""
    if observation is not None:
        level = ObservationLevel.objects.filter(pk=observation.observation_id).first()
        reason = level.reason if level else ""
    return Overview(
        card=card,
        today=today,
        requests=requests,
        open_requests=HealthRequest.objects.filter(
            person_id=person_id, status__in=OPEN_REQUESTS
        ).count(),
        appointments=list(
            Appointment.objects.filter(
                person_id=person_id, status=Appointment.Status.BOOKED, ends_at__gt=now
            ).order_by("starts_at")[:10]
        ),
        prescriptions=list(current(today).filter(person_id=person_id)),
        observation=observation,
        observation_reason=reason,
        fitness=in_force(list(WorkFitness.objects.filter(person_id=person_id)), today),
        diet=in_force(list(MedicalDiet.objects.filter(person_id=person_id)), today),
        referrals=list(referrals_of(person_id)),
    )


# --- Fitness for work and medical diet -----------------------------------------------------------


def history(model: type[M], person_id: int) -> list[tuple[M, str]]:
    """Every statement of the person, newest first, with its state today."""
    today = clock.today()
    rows = list(model.objects.filter(person_id=person_id).order_by("-valid_from", "-id"))
    live = in_force(rows, today)
    return [(r, state_of(r, live, today)) for r in rows]


def _period(valid_from: Any, valid_to: Any) -> None:
    if not isinstance(valid_from, dt.date):
        raise DomainError(_("Give the first day."), field="valid_from")
    if valid_from < clock.today():
        raise DomainError(
            _("It cannot start in the past: what the prison was told for those days stays."),
            field="valid_from",
        )
    if valid_to is not None and valid_to < valid_from:
        raise DomainError(_("The last day cannot be before the first."), field="valid_to")


def _supersede(model: type[M], person_id: int, start: dt.date) -> list[int]:
    """End what was recorded from ``start`` on: a statement in force is cut the day before, one
    planned to start later is replaced before it begins. Rows are locked."""
    changed: list[int] = []
    rows = (
        model.objects.select_for_update()
        .filter(person_id=person_id)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .order_by("pk")
    )
    for row in rows:
        if row.valid_to is not None and row.valid_to < row.valid_from:
            continue
        row.valid_to = (
            start - dt.timedelta(days=1)
            if row.valid_from < start
            else row.valid_from - dt.timedelta(days=1)
        )
        row.save(update_fields=["valid_to"])
        changed.append(row.pk)
    return changed


def _put_in_force(actor: Any, row: M, action: str, data: dict[str, Any]) -> M:
    """Save the new statement ``row`` in place of what was recorded from its first day on, and
    log ``action`` with ``data``, its period and the rows it replaced (never its text)."""
    with transaction.atomic(using=HEALTH_DB):
        replaced = _supersede(type(row), row.person_id, row.valid_from)
        clean_and_save(row)
        audit.record_change(
            actor=actor,
            action=action,
            obj=row,
            person_id=row.person_id,
            data={
                **data,
                "valid_from": row.valid_from,
                "valid_to": row.valid_to,
                "replaced": replaced,
            },
        )
    return row


def ensure_fitness_assessor(actor: Any) -> None:
    """A doctor or a dentist (they certify sick leave), else PermissionDenied."""
    access.ensure_profession(
        actor, FITNESS_ASSESSORS, _("Only a doctor or a dentist states fitness for work.")
    )


def fitness_set(
    *,
    actor: Any,
    person_id: int,
    fitness: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    reason: str = "",
) -> WorkFitness:
    """State whether the person is fit for work from ``valid_from`` (to ``valid_to``). The prison
    sees only fit / restricted / unfit; the reason, required unless fit, stays here."""
    access.ensure_health_staff(actor)
    card = access.ensure_patient(actor, person_id)
    ensure_fitness_assessor(actor)
    if fitness not in WorkFitness.Fitness.values:
        raise DomainError(_("Choose fit, restricted or not fit for work."), field="fitness")
    _period(valid_from, valid_to)
    needed = (
        None if fitness == WorkFitness.Fitness.FIT else _("Give the reason (health staff only).")
    )
    reason = text(reason, "reason", needed, 2000)
    row = WorkFitness(
        person_id=card.person_id,
        fitness=fitness,
        valid_from=valid_from,
        valid_to=valid_to,
        reason=reason,
        **access.stamp(actor, clock.now()),
    )
    return _put_in_force(actor, row, "health.fitness.set", {"fitness": fitness})


def _instruction(kitchen_instruction: str) -> str:
    instruction = text(
        kitchen_instruction,
        "kitchen_instruction",
        _("Write what the kitchen should do."),
        200,
    )
    word = diagnosis_in(instruction)
    if word:
        raise DomainError(
            _(
                "The kitchen must not learn a diagnosis or condition (“%(word)s”). Write what "
                "the kitchen should do instead, for example “glutenfri kost” or “laktosefri "
                "kost”, and keep the reason in the health record."
            )
            % {"word": word},
            field="kitchen_instruction",
            rule="no-diagnosis",
        )
    return instruction


def diet_set(
    *,
    actor: Any,
    person_id: int,
    kitchen_instruction: str,
    reason: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
) -> MedicalDiet:
    """A medical diet the kitchen follows from ``valid_from``. The kitchen sees the instruction
    only; the reason stays in the health record. It replaces the diet recorded from that day:
    write everything the kitchen must do in one instruction."""
    access.ensure_health_staff(actor)
    card = access.ensure_patient(actor, person_id)
    instruction = _instruction(kitchen_instruction)
    reason = text(reason, "reason", _("Give the medical reason (health staff only)."), 2000)
    _period(valid_from, valid_to)
    diet = MedicalDiet(
        person_id=card.person_id,
        kitchen_instruction=instruction,
        reason=reason,
        valid_from=valid_from,
        valid_to=valid_to,
        **access.stamp(actor, clock.now()),
    )
    return _put_in_force(actor, diet, "health.diet.set", {})


def ensure_diet(actor: Any, diet_id: int) -> tuple[MedicalDiet, access.PersonCard]:
    access.ensure_health_staff(actor)
    diet = MedicalDiet.objects.filter(pk=diet_id).first()
    if diet is None:
        raise NotFound(_("No such diet."))
    return diet, access.ensure_patient(actor, diet.person_id)


def diet_end(*, actor: Any, diet_id: int, on: dt.date) -> MedicalDiet:
    """The kitchen stops following the diet from ``on`` (today or later); a diet that has not
    begun by then is withdrawn before it begins."""
    diet, card = ensure_diet(actor, diet_id)
    if not isinstance(on, dt.date):
        raise DomainError(_("Give the day the diet stops."), field="on")
    today = clock.today()
    if on < today:
        raise DomainError(
            _("It cannot stop in the past: what the kitchen was told for those days stays."),
            field="on",
        )
    with transaction.atomic(using=HEALTH_DB):
        diet = MedicalDiet.objects.select_for_update().get(pk=diet.pk)
        if diet.valid_to is not None and diet.valid_to < max(on, diet.valid_from):
            raise Conflict(_("The diet has already stopped by then."), field="on")
        before = diet.valid_to
        diet.valid_to = max(on, diet.valid_from) - dt.timedelta(days=1)
        diet.save(update_fields=["valid_to"])
        audit.record_change(
            actor=actor,
            action="health.diet.end",
            obj=diet,
            person_id=card.person_id,
            data={"on": on, "valid_to_before": before, "valid_to": diet.valid_to},
        )
    return diet
