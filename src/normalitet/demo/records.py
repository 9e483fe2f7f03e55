"""Planned episodes written out: the episode row and its movements, in the order they happened.

The movements are what the custody services would have written: admission to a facility without
a cell, cell allocation, moves within the facility, transfers (the receiving facility allocates the
cell), absences out and back that keep the cell, and release. The episode's own fields (where the
person is, since when, out or not) are those the last movement leaves.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from normalitet.custody.models import AbsenceKind, MovementKind, ReleaseReason
from normalitet.estate.models import SecurityLevel
from normalitet.identity.roles import Role

from .estate import EstatePlan
from .history import DAY, HOUR, OPEN, OTHER, PREVENTIVE, REMAND, SENTENCED, Ep
from .population import PersonPlan
from .staff import StaffPlan

EPISODE_FIELDS = (
    "id",
    "person",
    "legal_status",
    "admitted_at",
    "arrived_at",
    "released_at",
    "release_reason",
    "expected_release_date",
    "facility",
    "unit",
    "cell",
    "shared_cell_decided",
    "absent_since",
    "absence_kind",
    "absence_expected_back",
    "contact_officer",
)
MOVEMENT_FIELDS = (
    "id",
    "episode",
    "person",
    "kind",
    "occurred_at",
    "from_facility",
    "from_unit",
    "from_cell",
    "to_facility",
    "to_unit",
    "to_cell",
    "absence_kind",
    "reason",
    "recorded_by",
)

ADMISSION_REASONS = {
    REMAND: "Varetektsfengslet ved kjennelse fra tingretten",
    SENTENCED: "Innsettelse til soning fra soningskøen",
    PREVENTIVE: "Innsettelse til forvaring",
    OTHER: "Innsatt på annet rettsgrunnlag",
}
MOVE_REASONS = (
    "Flyttet etter eget ønske",
    "Flyttet av sikkerhetsmessige hensyn",
    "Plass i rusmestringsenhet",
    "Progresjon innad i fengselet",
    "Konflikt i avdelingen",
    "",
)
TRANSFER_UP = (
    "Overført etter dom",
    "Overført av kapasitetshensyn",
    "Overført av sikkerhetsmessige hensyn",
    "Overført for nærhet til familie",
)
TRANSFER_DOWN = (
    "Overført til lavere sikkerhetsnivå (progresjon)",
    "Overført for nærhet til familie",
)
TRANSFER_HALFWAY = ("Overført til overgangsbolig før løslatelse",)
ABSENCE_REASONS: dict[str, tuple[str, ...]] = {
    AbsenceKind.COURT: (
        "Hovedforhandling i tingretten",
        "Fengslingsmøte",
        "Ankeforhandling i lagmannsretten",
    ),
    AbsenceKind.HOSPITAL: ("",),
    AbsenceKind.LEAVE: ("Ordinær permisjon", "Velferdspermisjon"),
    AbsenceKind.ESCORTED: ("Fremstilling", "Ledsaget utgang"),
}

Loc = tuple[int | None, int | None, int | None]
NOWHERE: Loc = (None, None, None)


class RecordWriter:
    def __init__(
        self,
        rng: random.Random,
        *,
        estate: EstatePlan,
        bed_fac: list[int],
        staff: StaffPlan,
        persons: list[PersonPlan],
        now: float,
        today: dt.date,
        first_movement_pk: int,
        episode_sink: Callable[[tuple[Any, ...]], None],
        movement_sink: Callable[[tuple[Any, ...]], None],
    ) -> None:
        self.rng = rng
        self.estate = estate
        self.bed_fac = bed_fac
        self.staff = staff
        self.persons = persons
        self.now = now
        self.today = today
        self.next_movement = first_movement_pk
        self.add_episode = episode_sink
        self.add_movement = movement_sink
        self.shared: set[int] = set()  # ids of current episodes that joined an occupied cell
        self.movements = 0

    # --- places ---------------------------------------------------------------------------

    def loc(self, bed: int) -> Loc:
        cell = self.estate.cells[self.estate.bed_cell[bed]]
        unit = self.estate.units[cell.unit_idx]
        return (self.estate.facilities[unit.facility_idx].pk, unit.pk, cell.pk)

    def fac_pk(self, fac: int) -> int:
        return self.estate.facilities[fac].pk

    def mark_shared(self, episodes: list[Ep]) -> None:
        """Current episodes that were allocated a cell someone was already in."""
        by_cell: dict[int, list[tuple[float, int]]] = {}
        for i, ep in enumerate(episodes):
            if ep.current and ep.segs:
                by_cell.setdefault(self.estate.bed_cell[int(ep.segs[-1][0])], []).append(
                    (ep.segs[-1][1], i)
                )
        for stays in by_cell.values():
            for _, i in sorted(stays)[1:]:
                self.shared.add(i)

    # --- writing --------------------------------------------------------------------------

    def _move(
        self,
        ep: Ep,
        kind: str,
        at: float,
        src: Loc,
        dst: Loc,
        *,
        fac: int,
        absence: str = "",
        reason: str = "",
    ) -> None:
        role = (
            Role.CASE_MANAGER
            if kind in (MovementKind.ADMISSION, MovementKind.TRANSFER, MovementKind.RELEASE)
            else Role.OFFICER
        )
        self.add_movement(
            (
                self.next_movement,
                ep.pk,
                self.persons[ep.person].pk,
                kind,
                _ts(at),
                *src,
                *dst,
                absence,
                reason,
                self.staff.pick(self.rng, fac, role),
            )
        )
        self.next_movement += 1
        self.movements += 1

    def write(self, ep: Ep, index: int, contact_officer: int | None) -> None:
        rng = self.rng
        first_fac = self.bed_fac[int(ep.segs[0][0])] if ep.segs else ep.tail[0]  # type: ignore[index]
        where: Loc = (self.fac_pk(first_fac), None, None)
        self._move(
            ep,
            MovementKind.ADMISSION,
            ep.admitted,
            NOWHERE,
            where,
            fac=first_fac,
            reason=ADMISSION_REASONS[ep.status],
        )
        arrived = ep.admitted
        absent: tuple[float, str, float | None] | None = None
        for j, (bed_f, start, end) in enumerate(ep.segs):
            bed = int(bed_f)
            fac = self.bed_fac[bed]
            here = self.loc(bed)
            if j and here[0] == where[0]:
                self._move(
                    ep,
                    MovementKind.INTERNAL_MOVE,
                    start,
                    where,
                    here,
                    fac=fac,
                    reason=rng.choice(MOVE_REASONS),
                )
            else:
                if j:
                    prev_end = ep.segs[j - 1][2]
                    self._transfer(ep, prev_end, where, fac)
                    arrived = prev_end
                self._move(
                    ep, MovementKind.CELL_ALLOCATION, start, (here[0], None, None), here, fac=fac
                )
            last = j == len(ep.segs) - 1
            until = self.now if end == OPEN else end
            if last and "o" in ep.flags:
                absent = self._absent_now(ep, start)
                until = absent[0]
            self._absences(ep, fac, here, start, until)
            if absent is not None:
                self._move(
                    ep,
                    MovementKind.ABSENCE_OUT,
                    absent[0],
                    here,
                    here,
                    fac=fac,
                    absence=absent[1],
                    reason=rng.choice(ABSENCE_REASONS[absent[1]]),
                )
            where = here
        if ep.tail is not None and ep.segs:
            self._transfer(ep, ep.tail[1], where, ep.tail[0])
            arrived = ep.tail[1]
            where = (self.fac_pk(ep.tail[0]), None, None)
        reason = ""
        if ep.released is not None:
            last_fac = self.bed_fac[int(ep.segs[-1][0])]
            self._move(ep, MovementKind.RELEASE, ep.released, where, NOWHERE, fac=last_fac)
            reason = self._release_reason(ep)
        self.add_episode(
            (
                ep.pk,
                self.persons[ep.person].pk,
                ep.status,
                _ts(ep.admitted),
                _ts(arrived),
                None if ep.released is None else _ts(ep.released),
                reason,
                self._expected_release(ep, reason),
                *where,
                index in self.shared,
                None if absent is None else _ts(absent[0]),
                "" if absent is None else absent[1],
                None if absent is None or absent[2] is None else _ts(absent[2]),
                contact_officer,
            )
        )

    def _transfer(self, ep: Ep, at: float, src: Loc, to_fac: int) -> None:
        level = self.estate.facilities[to_fac].level
        reasons = (
            TRANSFER_HALFWAY
            if level == SecurityLevel.HALFWAY
            else TRANSFER_DOWN
            if level == SecurityLevel.LOWER
            else TRANSFER_UP
        )
        from_fac = self.bed_fac_of_pk(src[0])
        self._move(
            ep,
            MovementKind.TRANSFER,
            at,
            src,
            (self.fac_pk(to_fac), None, None),
            fac=from_fac,
            reason=self.rng.choice(reasons),
        )

    def bed_fac_of_pk(self, facility_pk: int | None) -> int:
        return (facility_pk or 0) - self.estate.facilities[0].pk

    def _absent_now(self, ep: Ep, since_at_least: float) -> tuple[float, str, float | None]:
        rng = self.rng
        level = self.estate.facilities[self.bed_fac[int(ep.segs[-1][0])]].level
        if ep.status == REMAND:
            kind, out, back = AbsenceKind.COURT, rng.uniform(1, 6) * HOUR, rng.uniform(1, 5)
        elif level != SecurityLevel.HIGH and rng.random() < 0.6:
            kind, out, back = AbsenceKind.LEAVE, rng.uniform(0.3, 2) * DAY, rng.uniform(4, 36)
        else:
            kind, out, back = AbsenceKind.HOSPITAL, rng.uniform(2, 40) * HOUR, rng.uniform(2, 48)
        since = max(self.now - out, since_at_least + (self.now - since_at_least) * 0.5)
        return since, kind.value, self.now + back * HOUR

    def _absences(self, ep: Ep, fac: int, here: Loc, start: float, end: float) -> None:
        """Absences out and back within a stay; the person keeps the cell."""
        rng = self.rng
        span = end - start - 4 * HOUR
        if span < DAY:
            return
        level = self.estate.facilities[fac].level
        if ep.status == REMAND:
            kind, every, length = AbsenceKind.COURT, 45.0, (3.0, 9.0)
        elif level != SecurityLevel.HIGH:
            kind, every, length = AbsenceKind.LEAVE, 75.0, (24.0, 72.0)
        else:
            kind, every, length = AbsenceKind.ESCORTED, 240.0, (2.0, 6.0)
        count = min(2, int(span / (every * DAY) * rng.random() * 2))
        if not count:
            return
        times = sorted(start + 2 * HOUR + rng.random() * span for _ in range(count))
        free_from = start
        for t in times:
            k = AbsenceKind.HOSPITAL if rng.random() < 0.1 else kind
            back = t + rng.uniform(*length) * HOUR
            if t <= free_from or back >= end - HOUR:
                continue
            reason = rng.choice(ABSENCE_REASONS[k])
            self._move(
                ep, MovementKind.ABSENCE_OUT, t, here, here, fac=fac, absence=k.value, reason=reason
            )
            self._move(ep, MovementKind.ABSENCE_RETURN, back, here, here, fac=fac, absence=k.value)
            free_from = back + HOUR

    def _release_reason(self, ep: Ep) -> str:
        x = self.rng.random()
        foreign = self.persons[ep.person].nationality != "NO"
        if ep.status == REMAND:
            return (
                ReleaseReason.DEPORTED
                if foreign and x < 0.1
                else ReleaseReason.REMAND_ENDED
                if x < 0.95
                else ReleaseReason.OTHER
            ).value
        if ep.status == PREVENTIVE:
            return (ReleaseReason.PAROLE if x < 0.9 else ReleaseReason.OTHER).value
        if ep.status == OTHER:
            return ReleaseReason.OTHER.value
        if foreign and x < 0.25:
            return ReleaseReason.DEPORTED.value
        return (
            ReleaseReason.PAROLE
            if x < 0.35
            else ReleaseReason.SENTENCE_SERVED
            if x < 0.8
            else ReleaseReason.ELECTRONIC_MONITORING
            if x < 0.9
            else ReleaseReason.SECTION_16
            if x < 0.95
            else ReleaseReason.OTHER
        ).value

    def _expected_release(self, ep: Ep, reason: str) -> dt.date | None:
        rng = self.rng
        if ep.status in (REMAND, OTHER):
            return None
        if ep.released is not None:
            released = _ts(ep.released).date()
            if ep.status == PREVENTIVE:
                return released + dt.timedelta(days=rng.randint(365, 5 * 365))
            if reason == ReleaseReason.SENTENCE_SERVED:
                return released
            return released + dt.timedelta(days=rng.randint(20, 300))
        if "r" in ep.flags:
            return self.today
        if ep.status == PREVENTIVE:
            return self.today + dt.timedelta(days=rng.randint(365, 8 * 365))
        remaining = min(20 * 365.0, max(1.0, 200 * rng.lognormvariate(0, 1.0)))
        return self.today + dt.timedelta(days=int(remaining))


def _ts(value: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(round(value), tz=dt.UTC)
