"""Reads for custody: the roll, units, person search, a person's record and history.

Every read takes the actor and is scoped by their caseload. List reads use a fixed number of
queries whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from normalitet.core import clock
from normalitet.core.text import fold
from normalitet.estate.models import Cell, Facility, Unit
from normalitet.people.models import NonAssociation, Person, PersonAlert

from .caseload import open_episodes_in_caseload
from .models import CustodyEpisode, Movement, MovementKind, RollCount

_ID_RE = re.compile(r"^\d{11}$")
_PERSON_NUMBER_RE = re.compile(r"^n?\d{1,7}$", re.IGNORECASE)


def search_persons(*, actor: Any, q: str, limit: int = 20) -> list[CustodyEpisode]:
    """Persons in the caseload matching ``q``: name (with or without Norwegian letters), the
    11-digit identity number, or the person number. Returns their open episodes, with person and
    location loaded, best matches first."""
    q = (q or "").strip()
    if not q:
        return []
    # in_custody mirrors "has an open episode"; filtering on it lets PostgreSQL use the partial
    # trigram and name indexes over persons in custody instead of every person record.
    episodes = (
        open_episodes_in_caseload(actor)
        .filter(person__in_custody=True)
        .select_related("person", "facility", "unit", "cell")
    )
    compact = q.replace(" ", "")
    if _ID_RE.match(compact):
        episodes = episodes.filter(person__national_id=compact)
    elif _PERSON_NUMBER_RE.match(compact):
        digits = compact.lstrip("nN")
        episodes = episodes.filter(person__person_number=f"N{int(digits):07d}")
    else:
        for token in fold(q).split():
            episodes = episodes.filter(person__search_name__contains=token)
    return list(
        episodes.order_by("person__family_name", "person__given_names", "person_id")[:limit]
    )


@dataclass
class RollRow:
    """The roll of one unit (or of those without a unit)."""

    unit: Unit | None
    places: int = 0
    in_cell: int = 0
    out: int = 0
    arriving_today: int = 0
    leaving_today: int = 0
    without_cell: int = 0

    @property
    def on_roll(self) -> int:
        return self.in_cell + self.out + self.without_cell

    @property
    def free_places(self) -> int:
        return max(self.places - self.in_cell - self.out, 0)


@dataclass
class Roll:
    facility: Facility
    rows: list[RollRow]
    total: RollRow
    last_counts: dict[int | None, RollCount] = field(default_factory=dict)


def facility_roll(*, facility: Facility, day: dt.date | None = None) -> Roll:
    """Counts per unit: in cell, out, arriving today, leaving today, without a cell; and places.

    Three queries whatever the size of the facility.
    """
    day = day or clock.today()
    start, end = clock.local_day_bounds(day)
    units = list(
        Unit.objects.filter(facility=facility, is_active=True)
        .annotate(places=Sum("cells__capacity", filter=Q(cells__is_active=True), default=0))
        .order_by("code")
    )
    open_eps = CustodyEpisode.objects.filter(facility=facility, released_at__isnull=True)
    counts = open_eps.values("unit_id").annotate(
        in_cell=Count("id", filter=Q(cell__isnull=False, absent_since__isnull=True)),
        out=Count("id", filter=Q(absent_since__isnull=False)),
        without_cell=Count("id", filter=Q(cell__isnull=True, absent_since__isnull=True)),
        arriving=Count("id", filter=Q(arrived_at__gte=start, arrived_at__lt=end)),
        leaving=Count("id", filter=Q(expected_release_date=day)),
    )
    by_unit: dict[int | None, dict[str, Any]] = {c["unit_id"]: dict(c) for c in counts}
    rows: list[RollRow] = []
    for unit in units:
        rows.append(_roll_row(unit, getattr(unit, "places", 0), by_unit.get(unit.pk)))
    if None in by_unit:
        rows.append(_roll_row(None, 0, by_unit[None]))
    total = RollRow(unit=None)
    for row in rows:
        for name in ("places", "in_cell", "out", "arriving_today", "leaving_today", "without_cell"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    last_counts: dict[int | None, RollCount] = {}
    for count in RollCount.objects.filter(facility=facility).select_related("counted_by")[:50]:
        last_counts.setdefault(count.unit_id, count)
    return Roll(facility=facility, rows=rows, total=total, last_counts=last_counts)


def _roll_row(unit: Unit | None, places: int, c: dict[str, Any] | None) -> RollRow:
    c = c or {}
    return RollRow(
        unit=unit,
        places=places,
        in_cell=c.get("in_cell", 0),
        out=c.get("out", 0),
        without_cell=c.get("without_cell", 0),
        arriving_today=c.get("arriving", 0),
        leaving_today=c.get("leaving", 0),
    )


def region_roll(*, facilities: QuerySet[Facility]) -> list[dict[str, Any]]:
    """Aggregate counts per facility, for regional and national oversight. Two queries."""
    places = dict(
        facilities.annotate(
            p=Sum(
                "units__cells__capacity",
                filter=Q(units__is_active=True, units__cells__is_active=True),
                default=0,
            )
        ).values_list("pk", "p")
    )
    counts = {
        r["facility_id"]: r
        for r in CustodyEpisode.objects.filter(released_at__isnull=True, facility__in=facilities)
        .values("facility_id")
        .annotate(
            total=Count("id"),
            remand=Count("id", filter=Q(legal_status="remand")),
            out=Count("id", filter=Q(absent_since__isnull=False)),
        )
    }
    result = []
    for f in facilities:
        c: dict[str, Any] = dict(counts.get(f.pk) or {})
        p = places.get(f.pk, 0) or 0
        total = c.get("total", 0)
        result.append(
            {
                "facility": f,
                "places": p,
                "on_roll": total,
                "remand": c.get("remand", 0),
                "out": c.get("out", 0),
                "occupancy": round(100 * total / p) if p else 0,
            }
        )
    return result


def unit_occupants(*, actor: Any, unit: Unit) -> list[tuple[Cell, list[CustodyEpisode]]]:
    """Cells of a unit with who is in each. The actor sees names only for their caseload."""
    cells = list(Cell.objects.filter(unit=unit, is_active=True).order_by("code"))
    eps = list(
        open_episodes_in_caseload(actor)
        .filter(unit=unit)
        .select_related("person", "cell")
        .order_by("person__family_name")
    )
    by_cell: dict[int | None, list[CustodyEpisode]] = {}
    for e in eps:
        by_cell.setdefault(e.cell_id, []).append(e)
    result = [(c, by_cell.get(c.pk, [])) for c in cells]
    return result


def unit_without_cell(*, actor: Any, facility: Facility) -> list[CustodyEpisode]:
    return list(
        open_episodes_in_caseload(actor)
        .filter(facility=facility, cell__isnull=True)
        .select_related("person")
    )


def person_episode(*, person: Person) -> CustodyEpisode | None:
    return (
        CustodyEpisode.objects.filter(person=person, released_at__isnull=True)
        .select_related("facility", "unit", "cell", "contact_officer")
        .first()
    )


def person_alerts(*, person: Person, on: dt.date | None = None) -> list[PersonAlert]:
    on = on or clock.today()
    return list(
        PersonAlert.objects.filter(person=person, active_from__lte=on)
        .filter(Q(active_to__isnull=True) | Q(active_to__gt=on))
        .select_related("set_by")
    )


def person_non_associations(*, person: Person) -> list[tuple[NonAssociation, Person]]:
    links = list(
        NonAssociation.objects.filter(
            Q(person_a=person) | Q(person_b=person), ended_at__isnull=True
        ).select_related("person_a", "person_b")
    )
    return [(na, na.person_b if na.person_a_id == person.pk else na.person_a) for na in links]


def person_movements(*, person: Person) -> QuerySet[Movement]:
    return (
        Movement.objects.filter(person=person)
        .select_related(
            "from_facility",
            "from_unit",
            "from_cell",
            "to_facility",
            "to_unit",
            "to_cell",
            "recorded_by",
        )
        .order_by("-occurred_at", "-id")
    )


@dataclass(frozen=True)
class Whereabouts:
    in_custody: bool
    facility: Facility | None = None
    unit: Unit | None = None
    cell: Cell | None = None
    absent: str = ""


def location_on(*, person: Person, at: dt.datetime) -> Whereabouts:
    """Where the person was at instant ``at``, by replaying their movements up to it."""
    last = (
        Movement.objects.filter(person=person, occurred_at__lte=at)
        .select_related("to_facility", "to_unit", "to_cell")
        .order_by("-occurred_at", "-id")
        .first()
    )
    if last is None or last.kind == MovementKind.RELEASE:
        return Whereabouts(in_custody=False)
    return Whereabouts(
        in_custody=True,
        facility=last.to_facility,
        unit=last.to_unit,
        cell=last.to_cell,
        absent=last.get_absence_kind_display() if last.kind == MovementKind.ABSENCE_OUT else "",
    )


def occupancy_by_cell(*, facility: Facility) -> dict[int, int]:
    """Number of persons placed in each occupied cell of a facility. One query."""
    return dict(
        CustodyEpisode.objects.filter(
            facility=facility, released_at__isnull=True, cell__isnull=False
        )
        .values("cell_id")
        .annotate(n=Count("id"))
        .values_list("cell_id", "n")
    )


def free_cells(*, facility: Facility) -> list[tuple[Cell, int]]:
    """Active cells of a facility with room, with their current number of occupants."""
    cells = (
        Cell.objects.filter(unit__facility=facility, unit__is_active=True, is_active=True)
        .select_related("unit")
        .order_by("unit__code", "code")
    )
    occupied = occupancy_by_cell(facility=facility)
    return [(c, occupied.get(c.pk, 0)) for c in cells if occupied.get(c.pk, 0) < c.capacity]
