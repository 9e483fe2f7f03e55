"""What the daily regime knows of the health service, read through its facade only.

Health personnel share with the correctional service only what is strictly necessary (SGL § 4 a;
RULES.md § 10), so the regime sees: appointment slots that block other activities (their time
and the escort they need, never their kind), fit for work (fit, restricted or not fit, never
why) and medical diets (the instruction for the kitchen, never the diagnosis). Each page asks
the facade once, for every person on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from normalitet.core import clock
from normalitet.health import facade

# The schedule's name for an appointment, whatever its kind.
HEALTH_SERVICE = _("Health service")
ESCORTS: dict[str, Promise] = {
    "inside": _("Inside the prison"),
    "outside": _("Outside the prison"),
}
FIT, RESTRICTED, UNFIT = "fit", "restricted", "unfit"
NOT_FULLY_FIT = (RESTRICTED, UNFIT)
FITNESS: dict[str, Promise] = {
    FIT: _("Fit for work"),
    RESTRICTED: _("Fit for restricted work"),
    UNFIT: _("Not fit for work"),
}


@dataclass(frozen=True)
class Slot:
    """An appointment as the regime shows it: whose, when (local time) and the escort."""

    person_id: int
    starts: dt.datetime
    ends: dt.datetime
    escort: str  # "none" | "inside" | "outside"

    @property
    def escort_label(self) -> str:
        return str(ESCORTS.get(self.escort, ""))

    def on(self, day: dt.date) -> tuple[str, str] | None:
        """The part of the slot that falls on ``day`` as clock times, or None."""
        start, end = clock.local_day_bounds(day)
        if self.ends <= start or self.starts >= end:
            return None
        first = max(self.starts, start).astimezone(clock.OSLO)
        last = min(self.ends, end).astimezone(clock.OSLO)
        return f"{first:%H:%M}", "24:00" if last == end else f"{last:%H:%M}"


def slots(person_ids: Iterable[int], start: dt.datetime, end: dt.datetime) -> list[Slot]:
    """The booked appointments of the persons overlapping ``[start, end)``, in time order."""
    ids = list(person_ids)
    if not ids:
        return []
    return [
        Slot(
            s.person_id,
            s.starts_at.astimezone(clock.OSLO),
            s.ends_at.astimezone(clock.OSLO),
            s.escort,
        )
        for s in facade.appointment_slots(ids, start, end)
    ]


def local_span(day: dt.date, starts: dt.time, ends: dt.time) -> tuple[dt.datetime, dt.datetime]:
    """A session's wall-clock times on ``day`` as instants in Norway."""
    return (
        dt.datetime.combine(day, starts, tzinfo=clock.OSLO),
        dt.datetime.combine(day, ends, tzinfo=clock.OSLO),
    )


def at_health_service(
    person_ids: Iterable[int], day: dt.date, starts: dt.time, ends: dt.time
) -> set[int]:
    """The persons with an appointment overlapping a session on ``day``."""
    return {s.person_id for s in slots(person_ids, *local_span(day, starts, ends))}


def escorts_on(person_ids: Iterable[int], day: dt.date) -> list[Slot]:
    """The day's appointments that need an escort, in time order."""
    return [s for s in slots(person_ids, *clock.local_day_bounds(day)) if s.escort in ESCORTS]


def work_fitness(person_ids: Iterable[int], on: dt.date | None = None) -> dict[int, str]:
    """``fit``, ``restricted`` or ``unfit`` by person, where the health service has said so."""
    ids = list(person_ids)
    return facade.fit_for_work(ids, on=on) if ids else {}


def fitness_label(fitness: str) -> str:
    return str(FITNESS.get(fitness, ""))


def medical_diets(person_ids: Iterable[int], on: dt.date | None = None) -> dict[int, str]:
    """The kitchen instruction of each person with a medical diet from the health service."""
    ids = list(person_ids)
    return facade.medical_diets(ids, on=on) if ids else {}
