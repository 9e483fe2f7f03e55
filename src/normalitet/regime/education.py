"""Education records (issue 5, part 5): schooling inside is the county's (the import model,
SGL § 4), and what a person learns must follow them after release or transfer, so records are
kept on the person, not the custody episode.

Who may do what:

- see a person's education (``EDUCATION_VIEW``): staff within their caseload; a teacher only
  for persons allocated to, or waiting for, an activity they lead (:mod:`.access`);
- add or correct a record (``EDUCATION_EDIT``, teachers): only for an education activity they
  lead, for a person who holds a place in it (or finished it), in the activity's facility.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from normalitet.audit.services import record_change
from normalitet.core import clock
from normalitet.core.errors import DomainError, NotFound, PermissionDenied
from normalitet.core.validation import clean_and_save, text
from normalitet.custody.models import CustodyEpisode
from normalitet.identity.policies import can, ensure_cap
from normalitet.identity.roles import Cap

from .access import activities_for, ensure_episode
from .models import (
    HOLDS_PLACE,
    OPEN_STATUSES,
    Activity,
    ActivityKind,
    Allocation,
    AllocationStatus,
    Attendance,
    EducationRecord,
    EducationRecordKind,
    EndReason,
    Outcome,
)

K = EducationRecordKind
# The register's outcomes that count as attending a session; a cancelled session is left out.
ATTENDED = (Outcome.ATTENDED, Outcome.LATE)
ATTENDANCE_DAYS = 30
# Text fields of a record and their lengths (the model's).
_TEXTS = {
    "course_code": 24,
    "level": 80,
    "result": 40,
    "certificate_reference": 80,
    "school": 160,
    "note": 500,
}


@dataclass(frozen=True)
class EducationEntry:
    """What a teacher writes in a record, for adding one or correcting it."""

    kind: str
    course: str
    on: dt.date
    course_code: str = ""
    level: str = ""
    proctored: bool = False
    result: str = ""
    certificate_reference: str = ""
    school: str = ""
    note: str = ""

    def validated(self, today: dt.date) -> dict[str, Any]:
        """The fields to store, or a DomainError naming the field at fault: the date of an
        exam may be ahead (a planned exam), no other date; only an exam is proctored; a result
        needs the grade and a certificate its reference."""
        if self.kind not in K.values:
            raise DomainError(_("Choose the kind of record."), field="kind")
        data: dict[str, Any] = {
            "kind": self.kind,
            "course": text(self.course, "course", _("Name the course or subject."), 160),
            "on": self.on,
            "proctored": bool(self.proctored),
        }
        for name, limit in _TEXTS.items():
            data[name] = text(getattr(self, name), name, None, limit)
        planned = self.on > today
        if planned and self.kind != K.EXAM:
            raise DomainError(_("Only a planned exam can have a date ahead."), field="on")
        if self.proctored and self.kind != K.EXAM:
            raise DomainError(_("Only an exam is proctored."), field="proctored")
        if self.kind == K.RESULT and not data["result"]:
            raise DomainError(_("Give the result or grade."), field="result")
        if planned and data["result"]:
            raise DomainError(_("A planned exam has no result yet."), field="result")
        if self.kind == K.CERTIFICATE and not data["certificate_reference"]:
            raise DomainError(
                _("Give the certificate's reference, so that it can be found again."),
                field="certificate_reference",
            )
        return data


def recordable_activities(*, actor: Any, episode: CustodyEpisode) -> QuerySet[Activity]:
    """The education activities in which ``actor`` may keep records of the person: one they
    lead, in the person's facility, where the person holds a place or has completed it."""
    if not can(actor, Cap.EDUCATION_EDIT):
        return Activity.objects.none()
    taking_part = Allocation.objects.filter(episode_id=episode.pk).filter(
        Q(status__in=HOLDS_PLACE) | Q(status=AllocationStatus.ENDED, end_reason=EndReason.COMPLETED)
    )
    return activities_for(actor=actor).filter(
        kind=ActivityKind.EDUCATION,
        facility_id=episode.facility_id,
        pk__in=taking_part.values("activity_id"),
    )


def _audit(actor: Any, action: str, record: EducationRecord, **data: Any) -> None:
    record_change(
        actor=actor,
        action=action,
        obj=record,
        person_id=record.person_id,
        data={"kind": record.kind, "on": record.on, "activity": record.activity_id, **data},
    )


def education_record_add(
    *, actor: Any, episode: CustodyEpisode, activity_id: int, entry: EducationEntry
) -> EducationRecord:
    """Record an enrolment, exam (taken or planned, proctored inside), result, certificate or
    completion for a person in an education activity the teacher leads."""
    ensure_cap(actor, Cap.EDUCATION_EDIT)
    activity = recordable_activities(actor=actor, episode=episode).filter(pk=activity_id).first()
    if activity is None:
        raise DomainError(
            _("Choose an education activity you lead in which the person has a place."),
            field="activity_id",
        )
    data = entry.validated(clock.today())
    with transaction.atomic():
        record = EducationRecord(
            person_id=episode.person_id,
            facility_id=activity.facility_id,
            activity=activity,
            recorded_by=actor,
            **data,
        )
        clean_and_save(record)
        _audit(actor, "regime.education_record_added", record, proctored=record.proctored)
    return record


def led_education(actor: Any) -> set[int]:
    """The education activities whose records ``actor`` keeps (a teacher: those they lead)."""
    if not can(actor, Cap.EDUCATION_EDIT):
        return set()
    led = activities_for(actor=actor).filter(kind=ActivityKind.EDUCATION)
    return set(led.values_list("pk", flat=True))


def may_correct(actor: Any, record: EducationRecord) -> bool:
    return record.activity_id in led_education(actor)


def education_record_correct(
    *, actor: Any, record: EducationRecord, entry: EducationEntry
) -> EducationRecord:
    """Correct a record of an activity the teacher leads. The record keeps its place in the
    history; the audit log keeps which fields changed, and the codes and dates before."""
    ensure_cap(actor, Cap.EDUCATION_EDIT)
    if not may_correct(actor, record):
        raise PermissionDenied(_("You may correct only records of activities you lead."))
    data = entry.validated(clock.today())
    with transaction.atomic():
        record = EducationRecord.objects.select_for_update().get(pk=record.pk)
        changed = [name for name, value in data.items() if getattr(record, name) != value]
        if not changed:
            raise DomainError(_("The correction changes nothing."))
        before = {n: getattr(record, n) for n in changed if n in ("kind", "on", "proctored")}
        for name in changed:
            setattr(record, name, data[name])
        record.save(update_fields=[*changed, "updated_at"])
        _audit(actor, "regime.education_record_corrected", record, fields=changed, before=before)
    return record


# --- Reading -----------------------------------------------------------------------------------


def education_episode(*, actor: Any, person_id: int) -> CustodyEpisode:
    """The open episode of a person whose education the actor may see; else NotFound."""
    if not can(actor, Cap.EDUCATION_VIEW):
        raise NotFound(_("No such person."))
    return ensure_episode(actor=actor, person_id=person_id)


def record_of(*, episode: CustodyEpisode, record_id: int) -> EducationRecord:
    record = (
        EducationRecord.objects.select_related("activity")
        .filter(pk=record_id, person_id=episode.person_id)
        .first()
    )
    if record is None:
        raise NotFound(_("No such education record."))
    return record


@dataclass(frozen=True)
class AttendanceShare:
    """Sessions of one education activity in the window: attended of those marked."""

    activity_id: int
    activity_name: str
    attended: int
    marked: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.attended / self.marked) if self.marked else None


@dataclass
class EducationOverview:
    records: list[EducationRecord]
    enrolments: list[Allocation]
    attendance: list[AttendanceShare]
    since: dt.date
    until: dt.date

    @property
    def enrolled(self) -> list[Allocation]:
        return [a for a in self.enrolments if a.status in HOLDS_PLACE]

    @property
    def waiting(self) -> list[Allocation]:
        return [a for a in self.enrolments if a.status not in HOLDS_PLACE]


def attendance_shares(*, person_id: int, since: dt.date, until: dt.date) -> list[AttendanceShare]:
    """For each education activity, the sessions the person attended (on time or late) of
    those marked in the register between two dates; cancelled sessions do not count."""
    rows = (
        Attendance.objects.filter(
            person_id=person_id,
            allocation__activity__kind=ActivityKind.EDUCATION,
            on__gte=since,
            on__lte=until,
        )
        .exclude(outcome=Outcome.CANCELLED)
        .values_list("allocation__activity_id", "allocation__activity__name", "outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    names: dict[int, str] = {}
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for activity_id, name, outcome, n in rows:
        names[activity_id] = name
        counts[activity_id][1] += n
        if outcome in ATTENDED:
            counts[activity_id][0] += n
    return [AttendanceShare(a, names[a], *counts[a]) for a in sorted(names, key=lambda a: names[a])]


def education_overview(*, episode: CustodyEpisode, today: dt.date) -> EducationOverview:
    """A person's education: every record from every facility, the education activities they
    are enrolled in or waiting for now, and their attendance over the last 30 days."""
    since = today - dt.timedelta(days=ATTENDANCE_DAYS - 1)
    records = list(
        EducationRecord.objects.filter(person_id=episode.person_id)
        .select_related("facility", "activity", "recorded_by")
        .order_by("-on", "-id")
    )
    enrolments = list(
        Allocation.objects.filter(
            episode_id=episode.pk,
            activity__kind=ActivityKind.EDUCATION,
            status__in=OPEN_STATUSES,
        )
        .select_related("activity__leader")
        .order_by("activity__name")
    )
    return EducationOverview(
        records=records,
        enrolments=enrolments,
        attendance=attendance_shares(person_id=episode.person_id, since=since, until=today),
        since=since,
        until=today,
    )


def entry_of(record: EducationRecord) -> dict[str, Any]:
    """A record's fields as an :class:`EducationEntry` takes them (a correction form's start)."""
    fields = EducationEntry.__dataclass_fields__
    return {name: getattr(record, name) for name in fields}
