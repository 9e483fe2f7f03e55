"""The attendance register: who came to each session, and why not (SGF § 3-13: attendance
earns the daily allowance).

Who may take which register (``ATTENDANCE_RECORD``): a teacher the sessions of the activities
they lead; facility staff every session of their facility. A session the actor may not take is
missing (404). A register is taken for a day that has come, for a session that runs that day,
for the persons holding a place that day; suspended places are shown and never marked. Every
mark recomputes the person's allowance for the day, unless that day is posted.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from normalitet.audit.services import record_change
from normalitet.core import clock
from normalitet.core.errors import Conflict, DomainError, NotFound
from normalitet.custody.models import AbsenceKind, CustodyEpisode
from normalitet.identity.policies import can, ensure_cap
from normalitet.identity.roles import Cap
from normalitet.people.models import Person

from . import health_facts
from . import occurrences as occ
from .access import activities_for, ensure_session
from .allowance import allowance_recompute
from .models import Attendance, Outcome, Session

MAX_NOTE = 255
# Marks that would cost the person allowance. For a person with an appointment at the health
# service during the session they are recorded as the appointment, which is paid in full
# (domain.allowance.PAID): an appointment never costs the person allowance.
EXCUSED_BY_APPOINTMENT = frozenset({Outcome.UNEXCUSED, Outcome.ABSENT, Outcome.SICK, Outcome.LATE})


@dataclass(frozen=True)
class RegisterSummary:
    """A register of the day: the session, its participants (places not suspended) and how
    many of them are marked."""

    occurrence: occ.Occurrence
    participants: int
    marked: int

    @property
    def complete(self) -> bool:
        return self.marked >= self.participants


@dataclass(frozen=True)
class Participant:
    allocation_id: int
    episode_id: int
    person_id: int
    name: str
    person_number: str
    suspended: bool
    outcome: str
    note: str
    away: str  # the absence the person is on now, for today's register
    at_health_service: bool = False  # an appointment during the session

    @property
    def outcome_label(self) -> str:
        return str(Outcome(self.outcome).label) if self.outcome else ""


@dataclass
class Register:
    occurrence: occ.Occurrence
    participants: list[Participant]
    today: dt.date

    @property
    def can_mark(self) -> bool:
        return self.occurrence.on <= self.today

    @property
    def marked(self) -> int:
        return sum(1 for p in self.participants if p.outcome and not p.suspended)

    @property
    def unmarked(self) -> int:
        return sum(1 for p in self.participants if not p.outcome and not p.suspended)

    @property
    def at_health_service(self) -> bool:
        return any(p.at_health_service for p in self.participants)

    def participant(self, person_id: int) -> Participant | None:
        return next((p for p in self.participants if p.person_id == person_id), None)


@dataclass(frozen=True)
class MarkIn:
    person_id: int
    outcome: str
    note: str = ""


def _may_record(actor: Any) -> bool:
    return can(actor, Cap.ATTENDANCE_RECORD) and bool(getattr(actor, "facility_id", None))


def registers_for(*, actor: Any, day: dt.date) -> list[RegisterSummary]:
    """The registers of ``day`` the actor may take, in time order. Five queries."""
    if not _may_record(actor):
        raise NotFound(_("No such register."))
    activity_ids = list(activities_for(actor=actor).values_list("pk", flat=True))
    sessions = occ.occurrences(facility_id=actor.facility_id, day=day, activity_ids=activity_ids)
    held = Counter(
        p.activity_id
        for p in occ.places_on(day=day, facility_id=actor.facility_id, activity_ids=activity_ids)
        if not p.suspended
    )
    marked = Counter(
        Attendance.objects.filter(
            on=day, session_id__in=[o.session_id for o in sessions]
        ).values_list("session_id", flat=True)
    )
    return [RegisterSummary(o, held[o.activity_id], marked[o.session_id]) for o in sessions]


def _session(actor: Any, session_id: int) -> Session:
    if not _may_record(actor):
        raise NotFound(_("No such session."))
    return ensure_session(actor=actor, session_id=session_id)


def _occurrence(session: Session, day: dt.date) -> occ.Occurrence:
    occurrence = occ.occurrence_of(session, day)
    if occurrence is None:
        raise DomainError(_("The session does not run on that date."), field="date")
    return occurrence


def register(*, actor: Any, session_id: int, day: dt.date) -> Register:
    """One session's register on ``day``: everyone holding a place that day, suspended ones
    marked as such, with their current mark and whether they are at the health service then.
    Seven queries, and one of the health service's."""
    session = _session(actor, session_id)
    occurrence = _occurrence(session, day)
    places = occ.places_on(day=day, activity_ids=[session.activity_id])
    marks = {
        a: (outcome, note)
        for a, outcome, note in Attendance.objects.filter(session=session, on=day).values_list(
            "allocation_id", "outcome", "note"
        )
    }
    persons = {
        pk: (f"{given} {family}", number, (family, given))
        for pk, given, family, number in Person.objects.filter(
            pk__in=[p.person_id for p in places]
        ).values_list("pk", "given_names", "family_name", "person_number")
    }
    today = clock.today()
    away: dict[int, str] = {}
    if day == today:
        away = {
            pk: str(AbsenceKind(kind).label) if kind else _("Out")
            for pk, kind in CustodyEpisode.objects.filter(
                pk__in=[p.episode_id for p in places], absent_since__isnull=False
            ).values_list("pk", "absence_kind")
        }
    rows = sorted(places, key=lambda p: persons[p.person_id][2])
    o = occurrence
    busy = health_facts.at_health_service(persons, o.on, o.starts, o.ends)
    return Register(
        occurrence,
        [
            Participant(
                p.allocation_id,
                p.episode_id,
                p.person_id,
                persons[p.person_id][0],
                persons[p.person_id][1],
                p.suspended,
                *marks.get(p.allocation_id, ("", "")),
                away.get(p.episode_id, ""),
                p.person_id in busy,
            )
            for p in rows
        ],
        today,
    )


@dataclass(frozen=True)
class _Taking:
    """A register being taken: the session, its occurrence that day and the places held."""

    session: Session
    occurrence: occ.Occurrence
    places: dict[int, occ.Place]
    at_health_service: set[int]  # persons with an appointment during the session


def _taking(actor: Any, session_id: int, day: dt.date) -> _Taking:
    ensure_cap(actor, Cap.ATTENDANCE_RECORD)
    session = _session(actor, session_id)
    if day > clock.today():
        raise DomainError(
            _("The register cannot be taken for a day that has not come."), field="date"
        )
    occurrence = _occurrence(session, day)
    places = {p.person_id: p for p in occ.places_on(day=day, activity_ids=[session.activity_id])}
    busy = health_facts.at_health_service(places, day, occurrence.starts, occurrence.ends)
    return _Taking(session, occurrence, places, busy)


def _checked(taking: _Taking, marks: Sequence[MarkIn]) -> list[tuple[occ.Place, str, str]]:
    """Each mark against the rules, before anything is written."""
    if not marks:
        raise DomainError(_("Mark at least one participant."), field="marks")
    result: list[tuple[occ.Place, str, str]] = []
    for mark in marks:
        note = (mark.note or "").strip()
        place = taking.places.get(mark.person_id)
        if mark.outcome not in Outcome.values:
            raise DomainError(_("Choose what happened."), field="outcome")
        if len(note) > MAX_NOTE:
            raise DomainError(
                _("Keep the note to %(n)d characters.") % {"n": MAX_NOTE}, field="note"
            )
        if place is None:
            raise DomainError(
                _("The person does not hold a place in this activity on that date."),
                field="person",
            )
        if place.suspended:
            raise DomainError(_("The person's place is suspended on that date."), field="person")
        if any(p.person_id == mark.person_id for p, _o, _n in result):
            raise DomainError(_("Mark each person once."), field="person")
        if taking.occurrence.cancelled and mark.outcome != Outcome.CANCELLED:
            raise DomainError(
                _("The session was cancelled on that date: mark it as cancelled."),
                field="outcome",
            )
        outcome = mark.outcome
        if outcome in EXCUSED_BY_APPOINTMENT and mark.person_id in taking.at_health_service:
            outcome = Outcome.HEALTH
        result.append((place, outcome, note))
    return result


def _write(actor: Any, taking: _Taking, marks: Sequence[MarkIn]) -> list[Attendance]:
    checked = _checked(taking, marks)
    session, day = taking.session, taking.occurrence.on
    try:
        with transaction.atomic():
            existing = {
                a.allocation_id: a
                for a in Attendance.objects.select_for_update().filter(
                    session=session,
                    on=day,
                    allocation_id__in=[p.allocation_id for p, *_ in checked],
                )
            }
            saved, changed = [], []
            for place, outcome, note in checked:
                row = existing.get(place.allocation_id)
                previous = row.outcome if row is not None else None
                if row is not None and (row.outcome, row.note) == (outcome, note):
                    saved.append(row)
                    continue
                row = row or Attendance(
                    allocation_id=place.allocation_id,
                    session=session,
                    on=day,
                    person_id=place.person_id,
                    episode_id=place.episode_id,
                )
                row.outcome, row.note = outcome, note
                row.recorded_by, row.recorded_at = actor, clock.now()
                row.save()
                data = {"session": session.pk, "on": day.isoformat(), "outcome": outcome}
                record_change(
                    actor=actor,
                    action="regime.attendance_" + ("marked" if previous is None else "corrected"),
                    obj=row,
                    person_id=place.person_id,
                    data=data if previous is None else {**data, "previous": previous},
                )
                saved.append(row)
                changed.append(place.episode_id)
            allowance_recompute(episode_ids=changed, day=day)
    except IntegrityError as exc:  # someone marked the same person at the same moment
        raise Conflict(_("The register changed meanwhile; open it again.")) from exc
    return saved


def attendance_mark_many(
    *, actor: Any, session_id: int, day: dt.date, marks: Sequence[MarkIn]
) -> list[Attendance]:
    """Mark participants of a session on ``day`` (``ATTENDANCE_RECORD``). A mark already made
    is corrected: the audit event keeps the previous outcome. All or nothing."""
    return _write(actor, _taking(actor, session_id, day), marks)


def attendance_mark(
    *,
    actor: Any,
    session_id: int,
    day: dt.date,
    person_id: int,
    outcome: str,
    note: str = "",
) -> Attendance:
    """Mark one participant (see :func:`attendance_mark_many`)."""
    marks = [MarkIn(person_id, outcome, note)]
    return attendance_mark_many(actor=actor, session_id=session_id, day=day, marks=marks)[0]


def _mark_rest(actor: Any, session_id: int, day: dt.date, *, cancelled: bool) -> int:
    taking = _taking(actor, session_id, day)
    if taking.occurrence.cancelled != cancelled:
        raise DomainError(
            _("The session was cancelled on that date: mark everyone as cancelled instead.")
            if taking.occurrence.cancelled
            else _("The session was not cancelled on that date."),
            field="outcome",
        )
    marked = set(
        Attendance.objects.filter(session=taking.session, on=day).values_list(
            "allocation_id", flat=True
        )
    )
    outcome = Outcome.CANCELLED if cancelled else Outcome.ATTENDED
    rest = [
        MarkIn(
            p.person_id,
            Outcome.HEALTH
            if not cancelled and p.person_id in taking.at_health_service
            else outcome,
        )
        for p in taking.places.values()
        if not p.suspended and p.allocation_id not in marked
    ]
    return len(_write(actor, taking, rest)) if rest else 0


def attendance_mark_rest_attended(*, actor: Any, session_id: int, day: dt.date) -> int:
    """Every participant not yet marked (and not suspended) attended, or was at the health
    service if they had an appointment then. Returns how many."""
    return _mark_rest(actor, session_id, day, cancelled=False)


def attendance_mark_all_cancelled(*, actor: Any, session_id: int, day: dt.date) -> int:
    """A cancelled session: every participant not yet marked is marked cancelled."""
    return _mark_rest(actor, session_id, day, cancelled=True)
