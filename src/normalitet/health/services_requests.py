"""Health requests, triage and appointments (issue 7, capability 2; SGL § 4 a; RULES.md § 10).

A person asks to see a nurse, a doctor, a psychologist, a dentist or the addiction service.
Prison staff may log the request on the person's behalf (:func:`request_submit_by_staff`, called
by ``facade.request_log``): they get a reference back, never the text. Health staff triage it
with a priority (the see-by date follows from ``domain.rules.see_by``), book it in the health
service's calendar and record whether the person came. The prison learns only the time slot and
the escort it needs (``facts.appointment_slots``).

A request goes new -> triaged -> booked -> closed. A cancelled or missed appointment puts its
request back to triaged, to be booked again or closed. An open request may be closed at any time
when no appointment of it is still booked, with a note unless the person was seen at one.

Every write runs in one transaction on the health database with its event in the health log;
the log's data never holds the text of a request or a note.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from normalitet.core import clock
from normalitet.core.errors import Conflict, DomainError, NotFound
from normalitet.core.validation import text
from normalitet.identity.models import User
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap, Role

from . import access, audit, facts
from .access import PersonCard
from .domain.rules import see_by
from .models import Appointment, HealthRequest, Service
from .router import HEALTH_DB

R = HealthRequest
A = Appointment
M = TypeVar("M", HealthRequest, Appointment)

TEXT_MAX = 2000
REASON_MAX = 500
PLACE_MAX = 200
MINUTES_MIN, MINUTES_MAX = 5, 240
# "H-" and eight characters without the look-alikes 0/O and 1/I: short enough to read out over
# the phone, about 10^12 of them, so that a reference cannot be guessed.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 8
REFERENCE_TRIES = 10
SYSTEM_RANDOM = secrets.SystemRandom()  # what secrets.choice draws with
OPEN = (R.Status.NEW, R.Status.TRIAGED, R.Status.BOOKED)


# --- Submitting ---------------------------------------------------------------------------------


def new_reference(rng: random.Random = SYSTEM_RANDOM) -> str:
    """A reference drawn with ``rng`` (the demo passes a seeded one)."""
    return "H-" + "".join(rng.choice(REFERENCE_ALPHABET) for _i in range(REFERENCE_LENGTH))


def _unique_reference() -> str:
    for _i in range(REFERENCE_TRIES):
        reference = new_reference()
        if not R.objects.filter(reference=reference).exists():
            return reference
    raise Conflict(_("No free reference could be made. Try again."), rule="reference")


def _service(value: str) -> str:
    if value not in Service.values:
        raise DomainError(_("Choose whom the person asks to see."), field="service")
    return value


def _submit(*, actor: Any, card: PersonCard, service: str, body: str, channel: str) -> R:
    service = _service(service)
    body = text(body, "text", _("Write what the person asks for."), TEXT_MAX)
    with transaction.atomic(using=HEALTH_DB):
        request = R.objects.create(
            person_id=card.person_id,
            facility_id=card.facility_id,
            reference=_unique_reference(),
            service=service,
            text=body,
            channel=channel,
            status=R.Status.NEW,
            **access.stamp(actor),
        )
        audit.record_change(
            actor=actor,
            action="health.request.submit",
            obj=request,
            person_id=card.person_id,
            data={"reference": request.reference, "service": service, "channel": channel},
        )
    return request


def request_submit_by_staff(*, actor: Any, person_id: int, service: str, text: str) -> R:
    """Prison staff (``HEALTH_REQUEST_LOG``) log a request on the behalf of a person in their
    caseload. What they get back is the reference (through ``facade.request_log``)."""
    card = access.staff_person(actor, person_id, Cap.HEALTH_REQUEST_LOG)
    return _submit(actor=actor, card=card, service=service, body=text, channel=R.Channel.STAFF)


def request_submit(*, actor: Any, person_id: int, service: str, text: str) -> R:
    """Health staff take a request from a patient themselves."""
    access.ensure_health_staff(actor)
    card = access.ensure_patient(actor, person_id)
    return _submit(actor=actor, card=card, service=service, body=text, channel=R.Channel.HEALTH)


# --- Triage and closing -------------------------------------------------------------------------


def _of_patient(actor: Any, row: M | None, missing: str) -> tuple[M, PersonCard]:
    """``row`` with its person's card if the person is the health worker's patient; else
    NotFound with the same message as for a missing row."""
    card = access.caseload(actor, [row.person_id]).get(row.person_id) if row else None
    if row is None or card is None:
        raise NotFound(missing)
    return row, card


def _request_for(actor: Any, request_id: int) -> tuple[R, PersonCard]:
    """A request of a patient in the health worker's caseload, else NotFound."""
    access.ensure_health_staff(actor)
    return _of_patient(actor, R.objects.filter(pk=request_id).first(), _("No such request."))


def _locked(row: M) -> M:
    return type(row).objects.select_for_update().get(pk=row.pk)


def request_triage(*, actor: Any, request_id: int, priority: str, note: str) -> R:
    """Set how soon the person must be seen (again, while the request is not booked)."""
    request, card = _request_for(actor, request_id)
    if priority not in R.Priority.values:
        raise DomainError(_("Choose a priority."), field="priority")
    note = text(note, "note", None, TEXT_MAX)
    with transaction.atomic(using=HEALTH_DB):
        request = _locked(request)
        if request.status not in (R.Status.NEW, R.Status.TRIAGED):
            raise DomainError(
                _("Only a request not yet booked or closed can be triaged."), rule="status"
            )
        before = request.status
        request.status = R.Status.TRIAGED
        request.priority = priority
        request.triage_note = note
        request.triaged_at = clock.now()
        request.triaged_by_id = actor.pk
        request.triaged_by_name = access.name_of(actor)
        request.save(
            update_fields=[
                "status",
                "priority",
                "triage_note",
                "triaged_at",
                "triaged_by_id",
                "triaged_by_name",
            ]
        )
        audit.record_change(
            actor=actor,
            action="health.request.triage",
            obj=request,
            person_id=card.person_id,
            data={"priority": priority, "from": before},
        )
    return request


def request_close(*, actor: Any, request_id: int, note: str) -> R:
    """Close an open request. The note is required unless the person was seen at an
    appointment of it; an appointment still booked is recorded or cancelled first."""
    request, card = _request_for(actor, request_id)
    note = text(note, "note", None, TEXT_MAX)
    with transaction.atomic(using=HEALTH_DB):
        request = _locked(request)
        if request.status == R.Status.CLOSED:
            raise DomainError(_("The request is already closed."), rule="status")
        appointments = A.objects.filter(request=request)
        if appointments.filter(status=A.Status.BOOKED).exists():
            raise Conflict(
                _(
                    "An appointment is booked for this request: record whether the person "
                    "came, or cancel it, first."
                ),
                rule="booked",
            )
        seen = appointments.filter(status=A.Status.ATTENDED).exists()
        if not seen and not note:
            raise DomainError(
                _("Say why the request is closed without the person being seen."), field="note"
            )
        before = request.status
        request.status = R.Status.CLOSED
        request.closed_at = clock.now()
        request.close_note = note
        request.save(update_fields=["status", "closed_at", "close_note"])
        audit.record_change(
            actor=actor,
            action="health.request.close",
            obj=request,
            person_id=card.person_id,
            data={"from": before, "seen": seen},
        )
    return request


# --- Appointments -------------------------------------------------------------------------------


def clinicians(*, actor: Any) -> list[User]:
    """The health staff of the actor's facility, who appointments may be booked with."""
    return list(
        User.objects.filter(
            role=Role.HEALTH, facility_id=actor.facility_id, is_active=True
        ).order_by("first_name", "last_name", "username")
    )


def _clinician(actor: Any, clinician_id: int | None) -> Any:
    if clinician_id is None or clinician_id == actor.pk:
        return actor
    found = next((u for u in clinicians(actor=actor) if u.pk == clinician_id), None)
    if found is None:
        raise DomainError(
            _("Choose a member of the health staff of this facility."), field="clinician_id"
        )
    return found


def appointment_book(
    *,
    actor: Any,
    person_id: int,
    service: str,
    starts_at: dt.datetime,
    minutes: int,
    place: str,
    escort: str,
    note: str = "",
    request_id: int | None = None,
    clinician_id: int | None = None,
) -> A:
    """Book a time in the health service's calendar, with the actor unless another clinician of
    the facility is named. A request booked must have been triaged (its priority says how soon);
    it becomes booked. Neither the person nor the clinician may have two appointments at once."""
    access.ensure_health_staff(actor)
    card = access.ensure_patient(actor, person_id)
    service = _service(service)
    if timezone.is_naive(starts_at):
        raise DomainError(_("Give the time with its time zone."), field="starts_at")
    if starts_at < clock.now():
        raise DomainError(_("The time has passed."), field="starts_at")
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise DomainError(_("Give the length in whole minutes."), field="minutes")
    if not MINUTES_MIN <= minutes <= MINUTES_MAX:
        raise DomainError(
            _("An appointment lasts from %(min)s to %(max)s minutes.")
            % {"min": MINUTES_MIN, "max": MINUTES_MAX},
            field="minutes",
        )
    if escort not in A.Escort.values:
        raise DomainError(_("Say whether the person must be escorted."), field="escort")
    place = text(place, "place", None, PLACE_MAX)
    note = text(note, "note", None, TEXT_MAX)
    clinician = _clinician(actor, clinician_id)
    ends_at = starts_at + dt.timedelta(minutes=minutes)
    with transaction.atomic(using=HEALTH_DB):
        audit.lock()  # the overlap checks and the insert are one step: bookings one at a time
        request = None
        if request_id is not None:
            request = R.objects.select_for_update().filter(pk=request_id).first()
            if request is None or request.person_id != card.person_id:
                raise DomainError(_("No such request of this person."), field="request_id")
            if request.status == R.Status.NEW:
                raise DomainError(
                    _("Triage the request before booking it: its priority says how soon."),
                    field="request_id",
                    rule="status",
                )
            if request.status != R.Status.TRIAGED:
                raise DomainError(
                    _("Only a triaged request can be booked."), field="request_id", rule="status"
                )
        clash = A.objects.filter(
            status=A.Status.BOOKED, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        if clash.filter(person_id=card.person_id).exists():
            raise Conflict(
                _("The person already has an appointment at this time."),
                field="starts_at",
                rule="overlap",
            )
        if clash.filter(clinician_id=clinician.pk).exists():
            raise Conflict(
                _("%(name)s already has an appointment at this time.")
                % {"name": access.name_of(clinician)},
                field="starts_at",
                rule="overlap",
            )
        appointment = A.objects.create(
            person_id=card.person_id,
            facility_id=card.facility_id,
            request=request,
            service=service,
            clinician_id=clinician.pk,
            clinician_name=access.name_of(clinician),
            starts_at=starts_at,
            ends_at=ends_at,
            place=place,
            escort=escort,
            status=A.Status.BOOKED,
            note=note,
            **access.stamp(actor),
        )
        if request is not None:
            request.status = R.Status.BOOKED
            request.save(update_fields=["status"])
        audit.record_change(
            actor=actor,
            action="health.appointment.book",
            obj=appointment,
            person_id=card.person_id,
            data={
                "request": request.reference if request else None,
                "service": service,
                "clinician_id": clinician.pk,
                "starts_at": starts_at.isoformat(),
                "minutes": minutes,
                "escort": escort,
            },
        )
    return appointment


def _appointment_for(actor: Any, appointment_id: int) -> tuple[A, PersonCard]:
    """An appointment of a patient in the health worker's caseload, else NotFound."""
    access.ensure_health_staff(actor)
    found = A.objects.select_related("request").filter(pk=appointment_id).first()
    return _of_patient(actor, found, _("No such appointment."))


def _reopen(request_id: int | None) -> None:
    """A request whose appointment did not happen waits to be booked again."""
    if request_id is not None:
        R.objects.filter(pk=request_id, status=R.Status.BOOKED).update(status=R.Status.TRIAGED)


def appointment_outcome(*, actor: Any, appointment_id: int, status: str, note: str) -> A:
    """Record, once it has started, whether the person came. A missed appointment puts its
    request back to triaged."""
    appointment, card = _appointment_for(actor, appointment_id)
    if status not in (A.Status.ATTENDED, A.Status.DID_NOT_ATTEND):
        raise DomainError(_("Say whether the person came."), field="status")
    note = text(note, "note", None, TEXT_MAX)
    with transaction.atomic(using=HEALTH_DB):
        appointment = _locked(appointment)
        if appointment.status != A.Status.BOOKED:
            raise DomainError(_("Only a booked appointment can be recorded."), rule="status")
        if appointment.starts_at > clock.now():
            raise DomainError(_("The appointment has not started yet."), rule="not-started")
        appointment.status = status
        appointment.status_note = note
        appointment.save(update_fields=["status", "status_note"])
        if status == A.Status.DID_NOT_ATTEND:
            _reopen(appointment.request_id)
        audit.record_change(
            actor=actor,
            action="health.appointment.outcome",
            obj=appointment,
            person_id=card.person_id,
            data={"status": status},
        )
    return appointment


def appointment_cancel(*, actor: Any, appointment_id: int, reason: str) -> A:
    """Cancel a booked appointment before it ends; its request goes back to triaged."""
    appointment, card = _appointment_for(actor, appointment_id)
    reason = text(reason, "reason", _("Give the reason the appointment is cancelled."), REASON_MAX)
    with transaction.atomic(using=HEALTH_DB):
        appointment = _locked(appointment)
        if appointment.status != A.Status.BOOKED:
            raise DomainError(_("Only a booked appointment can be cancelled."), rule="status")
        if appointment.ends_at <= clock.now():
            raise DomainError(
                _("The appointment is over: record whether the person came instead."),
                rule="over",
            )
        appointment.status = A.Status.CANCELLED
        appointment.status_note = reason
        appointment.save(update_fields=["status", "status_note"])
        _reopen(appointment.request_id)
        audit.record_change(
            actor=actor,
            action="health.appointment.cancel",
            obj=appointment,
            person_id=card.person_id,
            data={"status": A.Status.CANCELLED},
        )
    return appointment


# --- Reads --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestRow:
    """A request with the person it is of, and for a triaged one the date to see them by."""

    request: R
    card: PersonCard
    see_by: dt.date | None
    overdue: bool
    appointment: A | None = None  # the booked or latest appointment of a booked request


def see_by_of(request: R) -> dt.date | None:
    if request.status != R.Status.TRIAGED or not request.priority or request.triaged_at is None:
        return None
    return see_by(
        priority=request.priority, triaged_on=request.triaged_at.astimezone(clock.OSLO).date()
    )


def _row(request: R, card: PersonCard, appointment: A | None = None) -> RequestRow:
    due = see_by_of(request)
    return RequestRow(request, card, due, due is not None and due < clock.today(), appointment)


@dataclass(frozen=True)
class Queue:
    new: list[RequestRow]  # waiting for triage, oldest first
    triaged: list[RequestRow]  # to be booked, the soonest see-by date first
    booked: list[RequestRow]  # with their appointment, the soonest first


def triage_queue(*, actor: Any) -> Queue:
    """The open requests of the health worker's patients. Three queries."""
    access.ensure_health_staff(actor)
    cards = access.caseload(actor)
    rows = list(
        R.objects.filter(person_id__in=list(cards), status__in=OPEN).order_by("created_at", "id")
    )
    booked_ids = [r.pk for r in rows if r.status == R.Status.BOOKED]
    latest: dict[int, A] = {}
    for a in A.objects.filter(request_id__in=booked_ids).order_by("starts_at", "id"):
        # The booked one, else the latest: a later appointment replaces an earlier one unless
        # the one held is still booked.
        held = latest.get(a.request_id)  # type: ignore[arg-type]
        if held is None or held.status != A.Status.BOOKED:
            latest[a.request_id] = a  # type: ignore[index]
    new = [_row(r, cards[r.person_id]) for r in rows if r.status == R.Status.NEW]
    triaged = [_row(r, cards[r.person_id]) for r in rows if r.status == R.Status.TRIAGED]
    triaged.sort(key=lambda x: (x.see_by or dt.date.max, x.request.created_at))
    booked = [
        _row(r, cards[r.person_id], latest.get(r.pk)) for r in rows if r.status == R.Status.BOOKED
    ]
    booked.sort(key=lambda x: x.appointment.starts_at if x.appointment else x.request.created_at)
    return Queue(new, triaged, booked)


def requests_list(*, actor: Any, status: str | None = None, limit: int = 100) -> list[RequestRow]:
    """The requests of the health worker's patients: the open ones (oldest first), or those of
    one status (closed ones newest first)."""
    access.ensure_health_staff(actor)
    if status is not None and status not in R.Status.values:
        raise DomainError(_("No such status."), field="status")
    cards = access.caseload(actor)
    qs = R.objects.filter(person_id__in=list(cards))
    qs = qs.filter(status=status) if status else qs.filter(status__in=OPEN)
    order = ("-closed_at", "-id") if status == R.Status.CLOSED else ("created_at", "id")
    return [_row(r, cards[r.person_id]) for r in qs.order_by(*order)[:limit]]


@dataclass(frozen=True)
class RequestDetail:
    row: RequestRow
    appointments: list[A]


def request_read(*, actor: Any, request_id: int, log: bool = True) -> RequestDetail:
    """One request with its appointments. The read is logged, unless it is the answer to a
    change the actor just made (``log=False``): the change is in the log already."""
    request, card = _request_for(actor, request_id)
    if log:
        audit.record_access(actor=actor, person_id=card.person_id, what="request")
    # Through the request, so each appointment knows it without a query of its own.
    appointments = list(request.appointments.order_by("starts_at", "id"))
    return RequestDetail(_row(request, card), appointments)


def appointment_read(*, actor: Any, appointment_id: int, log: bool = True) -> tuple[A, PersonCard]:
    """One appointment (with its request); the read is logged as ``request_read``'s is."""
    appointment, card = _appointment_for(actor, appointment_id)
    if log:
        audit.record_access(actor=actor, person_id=card.person_id, what="appointment")
    return appointment, card


@dataclass(frozen=True)
class ClinicianDay:
    clinician_id: int | None
    name: str
    rows: list[tuple[A, PersonCard]]


def appointments_on(
    actor: Any, day: dt.date, cards: dict[int, PersonCard] | None = None
) -> list[tuple[A, PersonCard]]:
    """The day's appointments at the health worker's facility that are not cancelled, in time
    order, each with its person (of ``cards`` when the caller has the caseload already)."""
    start, end = clock.local_day_bounds(day)
    appointments = list(
        A.objects.filter(facility_id=actor.facility_id, starts_at__gte=start, starts_at__lt=end)
        .exclude(status=A.Status.CANCELLED)
        .order_by("starts_at", "id")
    )
    if cards is None:
        cards = access.caseload(actor, {a.person_id for a in appointments})
    return [(a, cards[a.person_id]) for a in appointments if a.person_id in cards]


def day_calendar(*, actor: Any, day: dt.date) -> list[ClinicianDay]:
    """The day's appointments by clinician (by name), each in time order. Two queries."""
    access.ensure_health_staff(actor)
    by_clinician: dict[int | None, list[tuple[A, PersonCard]]] = defaultdict(list)
    names: dict[int | None, str] = {}
    for a, card in appointments_on(actor, day):
        by_clinician[a.clinician_id].append((a, card))
        names.setdefault(a.clinician_id, a.clinician_name)
    days = [ClinicianDay(cid, names[cid], rows) for cid, rows in by_clinician.items()]
    return sorted(days, key=lambda d: d.name)


@dataclass(frozen=True)
class PersonRequests:
    card: PersonCard
    requests: list[RequestRow]
    appointments: list[A]


def person_requests_read(*, actor: Any, person_id: int) -> PersonRequests:
    """A patient's requests (newest first) and appointments (latest first); the read is
    logged."""
    access.ensure_health_staff(actor)
    card = access.ensure_patient(actor, person_id)
    audit.record_access(actor=actor, person_id=card.person_id, what="requests")
    requests = [
        _row(r, card)
        for r in R.objects.filter(person_id=card.person_id).order_by("-created_at", "-id")
    ]
    appointments = list(
        A.objects.filter(person_id=card.person_id)
        .select_related("request")
        .order_by("-starts_at", "-id")
    )
    return PersonRequests(card, requests, appointments)


# --- What prison staff see ----------------------------------------------------------------------


def logged_by(*, actor: Any, person_id: int, limit: int = 20) -> list[facts.Receipt]:
    """The references and times of the requests the actor logged for the person (no service,
    text or status): the prison officer's receipt book."""
    access.staff_person(actor, person_id, Cap.HEALTH_REQUEST_LOG)
    rows = (
        R.objects.filter(person_id=person_id, created_by_id=actor.pk, channel=R.Channel.STAFF)
        .order_by("-created_at", "-id")
        .values_list("reference", "created_at")[:limit]
    )
    return [facts.Receipt(reference=ref, submitted_at=at) for ref, at in rows]


@dataclass(frozen=True)
class EscortRow:
    slot: facts.Slot
    card: PersonCard


def escorts(*, actor: Any, day: dt.date) -> list[EscortRow]:
    """The day's health appointment times of the persons in the officer's caseload that need an
    escort: the time, the person and inside or outside, never the kind of appointment."""
    if not can(actor, Cap.OBSERVATION_CHECK):
        raise NotFound(_("No such page."))
    cards = access.staff_caseload(actor, Cap.OBSERVATION_CHECK)
    start, end = clock.local_day_bounds(day)
    slots = facts.appointment_slots(list(cards), start, end)
    return [EscortRow(s, cards[s.person_id]) for s in slots if s.escort != A.Escort.NONE]
