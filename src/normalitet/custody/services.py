"""Custody movements: admission, cell allocation, moves, transfers, absences, release, counts.

Each service is one transaction: it checks the rules, writes the new state and its history row
(:class:`Movement`), and records the audit event. Cells are locked while allocating so that two
allocations at once can never overfill a cell.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from normalitet.audit.services import record_change
from normalitet.core import clock
from normalitet.core.errors import Conflict, DomainError
from normalitet.estate import services as estate_services
from normalitet.estate.models import Cell, Facility, SecurityLevel, Unit
from normalitet.identity.policies import ensure_cap
from normalitet.identity.roles import Cap, Role
from normalitet.people.models import NonAssociation, Person, SeparationScope

from . import signals
from .models import AbsenceKind, CustodyEpisode, LegalStatus, Movement, MovementKind, RollCount


def _ensure_own_facility(actor: Any, facility: Facility) -> None:
    if actor.facility_id is not None and actor.facility_id != facility.pk:
        raise DomainError(_("You can only do this in your own facility."), field="facility")


def _movement(
    episode: CustodyEpisode,
    *,
    actor: Any,
    kind: str,
    at: dt.datetime,
    before: tuple[Any, Any, Any],
    reason: str = "",
    absence_kind: str = "",
    data: dict[str, Any] | None = None,
) -> Movement:
    """The history row of a movement and its audit event (``custody.<kind>``), together."""
    movement = Movement.objects.create(
        episode=episode,
        person_id=episode.person_id,
        kind=kind,
        occurred_at=at,
        from_facility=before[0],
        from_unit=before[1],
        from_cell=before[2],
        to_facility=episode.facility if kind != MovementKind.RELEASE else None,
        to_unit=episode.unit if kind != MovementKind.RELEASE else None,
        to_cell=episode.cell if kind != MovementKind.RELEASE else None,
        absence_kind=absence_kind,
        reason=reason,
        recorded_by=actor,
    )
    record_change(
        actor=actor,
        action=f"custody.{kind}",
        obj=episode,
        person_id=episode.person_id,
        data=data or {},
        reason=reason,
    )
    return movement


def _where(episode: CustodyEpisode) -> tuple[Any, Any, Any]:
    return (episode.facility, episode.unit, episode.cell)


def _separation_conflicts(
    person_id: int, *, facility: Facility, unit: Unit | None = None, cell: Cell | None = None
) -> list[str]:
    """Active non-associations that placing the person here would break, as messages."""
    links = NonAssociation.objects.filter(
        Q(person_a_id=person_id) | Q(person_b_id=person_id), ended_at__isnull=True
    )
    problems: list[str] = []
    for na in links:
        other_id = na.person_b_id if na.person_a_id == person_id else na.person_a_id
        other = CustodyEpisode.objects.filter(person_id=other_id, released_at__isnull=True).first()
        if other is None:
            continue
        clash = (
            (na.scope == SeparationScope.FACILITY and other.facility_id == facility.pk)
            or (na.scope == SeparationScope.UNIT and unit is not None and other.unit_id == unit.pk)
            or (na.scope == SeparationScope.CELL and cell is not None and other.cell_id == cell.pk)
        )
        if clash:
            problems.append(
                _("Must be kept apart from %(person)s (%(scope)s): %(reason)s")
                % {
                    "person": Person.objects.get(pk=other_id).person_number,
                    "scope": na.get_scope_display(),
                    "reason": na.reason,
                }
            )
    return problems


def _ensure_no_separation_conflict(person_id: int, **where: Any) -> None:
    problems = _separation_conflicts(person_id, **where)
    if problems:
        raise Conflict(problems[0], field="non_association", rule="non-association")


def admit(
    *,
    actor: Any,
    person: Person,
    legal_status: str,
    facility: Facility,
    admitted_at: dt.datetime | None = None,
    expected_release_date: dt.date | None = None,
    reason: str = "",
) -> CustodyEpisode:
    """Admit a person to a facility, on remand or to serve a sentence (the legal basis is given)."""
    ensure_cap(actor, Cap.CUSTODY_ADMIT)
    _ensure_own_facility(actor, facility)
    if not facility.is_active:
        raise DomainError(_("The facility is not in use."), field="facility")
    if legal_status not in LegalStatus.values:
        raise DomainError(_("Choose a legal status."), field="legal_status")
    at = admitted_at or clock.now()
    if at > clock.now() + dt.timedelta(minutes=5):
        raise DomainError(_("An admission cannot be in the future."), field="admitted_at")
    if expected_release_date and expected_release_date < at.astimezone(clock.OSLO).date():
        raise DomainError(
            _("The expected release is before the admission."), field="expected_release_date"
        )
    _ensure_no_separation_conflict(person.pk, facility=facility)
    try:
        with transaction.atomic():
            episode = CustodyEpisode.objects.create(
                person=person,
                legal_status=legal_status,
                admitted_at=at,
                arrived_at=at,
                facility=facility,
                expected_release_date=expected_release_date,
            )
            Person.objects.filter(pk=person.pk).update(in_custody=True)
            _movement(
                episode,
                actor=actor,
                kind=MovementKind.ADMISSION,
                at=at,
                before=(None, None, None),
                reason=reason,
                data={"facility": facility.code, "legal_status": legal_status},
            )
    except IntegrityError as exc:
        raise Conflict(_("The person is already in custody."), field="person") from exc
    return episode


def allocate_cell(
    *,
    actor: Any,
    episode: CustodyEpisode,
    cell: Cell,
    shared_cell_reason: str = "",
    reason: str = "",
) -> CustodyEpisode:
    """Give the person a cell, or move them to another cell in the same facility.

    Never above the cell's capacity; a single-occupancy cell holds one; in high security a
    person is alone in a cell unless sharing is decided, with the reason recorded; active
    non-associations are respected.
    """
    ensure_cap(actor, Cap.CUSTODY_MOVE)
    if not episode.is_open:
        raise DomainError(_("The person has been released."))
    with transaction.atomic():
        episode = CustodyEpisode.objects.select_for_update().get(pk=episode.pk)
        cell = Cell.objects.select_for_update().select_related("unit__facility").get(pk=cell.pk)
        unit = cell.unit
        if unit.facility_id != episode.facility_id:
            raise DomainError(_("The cell is in another facility."), field="cell")
        if not (cell.is_active and unit.is_active):
            raise DomainError(_("The cell is not in use."), field="cell")
        if episode.cell_id == cell.pk:
            raise DomainError(_("The person is already in this cell."), field="cell")
        occupants = CustodyEpisode.objects.filter(cell=cell, released_at__isnull=True).count()
        if occupants >= cell.capacity:
            raise Conflict(_("The cell is full."), field="cell", rule="capacity")
        shared_cell_reason = shared_cell_reason.strip()
        if occupants and cell.single_occupancy:
            raise Conflict(_("The cell is for one person."), field="cell", rule="capacity")
        if occupants and unit.security_level == SecurityLevel.HIGH and not shared_cell_reason:
            raise Conflict(
                _(
                    "In high security a person has a cell alone unless sharing is decided. "
                    "Give the reason for the decision."
                ),
                field="shared_cell_reason",
                rule="single-occupancy-high-security",
            )
        _ensure_no_separation_conflict(
            episode.person_id, facility=unit.facility, unit=unit, cell=cell
        )
        # Contexts above custody (the court's restrictions) may refuse the placement.
        signals.cell_allocating.send(
            sender=CustodyEpisode, episode=episode, unit=unit, cell=cell, occupants=occupants
        )
        before = _where(episode)
        kind = (
            MovementKind.CELL_ALLOCATION
            if episode.cell_id is None
            else (MovementKind.INTERNAL_MOVE)
        )
        episode.unit = unit
        episode.cell = cell
        episode.shared_cell_decided = bool(occupants)
        episode.save(update_fields=["unit", "cell", "shared_cell_decided"])
        at = clock.now()
        note = "; ".join(x for x in (reason.strip(), shared_cell_reason) if x)
        _movement(
            episode,
            actor=actor,
            kind=kind,
            at=at,
            before=before,
            reason=note,
            data={"cell": cell.pk, "unit": unit.code, "shared": bool(occupants)},
        )
    return episode


def ensure_transfer_target(episode: CustodyEpisode, to_facility: Facility) -> None:
    """A transfer goes to another facility, one in use (also for proposing one)."""
    if to_facility.pk == episode.facility_id:
        raise DomainError(_("The person is already in this facility."), field="to_facility")
    if not to_facility.is_active:
        raise DomainError(_("The facility is not in use."), field="to_facility")


def transfer(
    *, actor: Any, episode: CustodyEpisode, to_facility: Facility, reason: str
) -> CustodyEpisode:
    """Move the person to another facility. The receiving facility allocates the cell."""
    ensure_cap(actor, Cap.CUSTODY_TRANSFER)
    if not episode.is_open:
        raise DomainError(_("The person has been released."))
    if not reason.strip():
        raise DomainError(_("Give the reason for the transfer."), field="reason")
    ensure_transfer_target(episode, to_facility)
    _ensure_no_separation_conflict(episode.person_id, facility=to_facility)
    with transaction.atomic():
        episode = CustodyEpisode.objects.select_for_update().get(pk=episode.pk)
        before = _where(episode)
        at = clock.now()
        episode.facility = to_facility
        episode.unit = None
        episode.cell = None
        episode.shared_cell_decided = False
        episode.arrived_at = at
        episode.absent_since = None
        episode.absence_kind = ""
        episode.absence_expected_back = None
        episode.contact_officer = None
        episode.save()
        _movement(
            episode,
            actor=actor,
            kind=MovementKind.TRANSFER,
            at=at,
            before=before,
            reason=reason.strip(),
            data={"from": before[0].code, "to": to_facility.code},
        )
        signals.transferred.send(
            sender=CustodyEpisode, episode=episode, actor=actor, at=at, from_facility=before[0]
        )
    return episode


def absence_start(
    *,
    actor: Any,
    episode: CustodyEpisode,
    kind: str,
    expected_back: dt.datetime | None,
    reason: str = "",
) -> CustodyEpisode:
    """The person leaves temporarily (court, hospital, leave) and keeps their cell."""
    ensure_cap(actor, Cap.CUSTODY_MOVE)
    if kind not in AbsenceKind.values:
        raise DomainError(_("Choose where the person is going."), field="kind")
    if not episode.is_open:
        raise DomainError(_("The person has been released."))
    if episode.is_absent:
        raise DomainError(_("The person is already out."))
    at = clock.now()
    if expected_back is not None and expected_back <= at:
        raise DomainError(_("The expected return must be later than now."), field="expected_back")
    with transaction.atomic():
        episode.absent_since = at
        episode.absence_kind = kind
        episode.absence_expected_back = expected_back
        episode.save(update_fields=["absent_since", "absence_kind", "absence_expected_back"])
        _movement(
            episode,
            actor=actor,
            kind=MovementKind.ABSENCE_OUT,
            at=at,
            before=_where(episode),
            reason=reason.strip(),
            absence_kind=kind,
            data={"kind": kind},
        )
    return episode


def absence_end(*, actor: Any, episode: CustodyEpisode) -> CustodyEpisode:
    ensure_cap(actor, Cap.CUSTODY_MOVE)
    if not episode.is_absent:
        raise DomainError(_("The person is not out."))
    with transaction.atomic():
        kind = episode.absence_kind
        episode.absent_since = None
        episode.absence_kind = ""
        episode.absence_expected_back = None
        episode.save(update_fields=["absent_since", "absence_kind", "absence_expected_back"])
        _movement(
            episode,
            actor=actor,
            kind=MovementKind.ABSENCE_RETURN,
            at=clock.now(),
            before=_where(episode),
            absence_kind=kind,
        )
    return episode


def release(*, actor: Any, episode: CustodyEpisode, reason: str, note: str = "") -> CustodyEpisode:
    """Release the person: the custody episode ends and the cell is free."""
    ensure_cap(actor, Cap.CUSTODY_RELEASE)
    from .models import ReleaseReason

    if reason not in ReleaseReason.values:
        raise DomainError(_("Choose the reason for release."), field="reason")
    if not episode.is_open:
        raise DomainError(_("The person has already been released."))
    with transaction.atomic():
        episode = CustodyEpisode.objects.select_for_update().get(pk=episode.pk)
        before = _where(episode)
        at = clock.now()
        episode.released_at = at
        episode.release_reason = reason
        episode.absent_since = None
        episode.save()
        Person.objects.filter(pk=episode.person_id).update(in_custody=False)
        _movement(
            episode,
            actor=actor,
            kind=MovementKind.RELEASE,
            at=at,
            before=before,
            reason=note.strip(),
            data={"reason": reason},
        )
        signals.released.send(sender=CustodyEpisode, episode=episode, actor=actor, at=at)
    return episode


def contact_officer_assign(*, actor: Any, episode: CustodyEpisode, officer: Any) -> CustodyEpisode:
    """Give the person a contact officer (kontaktbetjent) from the staff of their facility."""
    ensure_cap(actor, Cap.PERSON_EDIT)
    if officer.role != Role.CONTACT_OFFICER or officer.facility_id != episode.facility_id:
        raise DomainError(
            _("Choose a contact officer who works in the person's facility."), field="officer"
        )
    with transaction.atomic():
        episode.contact_officer = officer
        episode.save(update_fields=["contact_officer"])
        record_change(
            actor=actor,
            action="custody.contact_officer",
            obj=episode,
            person_id=episode.person_id,
            data={"officer": officer.username},
        )
    return episode


def expected_release_bulk_set(*, by_person: dict[int, dt.date | None]) -> None:
    """Keep the roll's expected release in step with the legal dates, for one person or many
    (a recalculation run; called by sentencing inside its own transaction and audit event).
    One statement on PostgreSQL."""
    if not by_person:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE custody_custodyepisode e SET expected_release_date = v.d "
                "FROM unnest(%s::bigint[], %s::date[]) AS v(person_id, d) "
                "WHERE e.person_id = v.person_id AND e.released_at IS NULL "
                "AND e.expected_release_date IS DISTINCT FROM v.d",
                [list(by_person), list(by_person.values())],
            )
        return
    episodes = list(
        CustodyEpisode.objects.filter(person_id__in=by_person, released_at__isnull=True).only(
            "id", "person_id", "expected_release_date"
        )
    )
    moved = [e for e in episodes if e.expected_release_date != by_person[e.person_id]]
    for e in moved:
        e.expected_release_date = by_person[e.person_id]
    CustodyEpisode.objects.bulk_update(moved, ["expected_release_date"], batch_size=500)


def count_record(
    *, actor: Any, facility: Facility, unit: Unit | None, counted: int, note: str = ""
) -> RollCount:
    """Record a physical count against the roll. A difference is flagged, never hidden."""
    ensure_cap(actor, Cap.COUNT_RECORD)
    _ensure_own_facility(actor, facility)
    if unit is not None and unit.facility_id != facility.pk:
        raise DomainError(_("The unit is in another facility."), field="unit")
    if counted < 0:
        raise DomainError(_("A count cannot be negative."), field="counted")
    present = CustodyEpisode.objects.filter(
        facility=facility, released_at__isnull=True, absent_since__isnull=True
    )
    if unit is not None:
        present = present.filter(unit=unit)
    with transaction.atomic():
        count = RollCount.objects.create(
            facility=facility,
            unit=unit,
            counted_at=clock.now(),
            expected=present.count(),
            counted=counted,
            note=note.strip(),
            counted_by=actor,
        )
        record_change(
            actor=actor,
            action="custody.count",
            obj=count,
            data={"expected": count.expected, "counted": counted},
        )
    return count


def estate_set_active(
    *, actor: Any, obj: Facility | Unit | Cell, active: bool, reason: str
) -> None:
    """Take a place out of use only when nobody is placed there."""
    if not active:
        placed = CustodyEpisode.objects.filter(released_at__isnull=True)
        field = {Facility: "facility", Unit: "unit", Cell: "cell"}[type(obj)]
        if placed.filter(**{field: obj}).exists():
            raise Conflict(_("Persons are placed here. Move them first."), field="active")
    estate_services.set_active(actor=actor, obj=obj, active=active, reason=reason)
