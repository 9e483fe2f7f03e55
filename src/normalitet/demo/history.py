"""Custody episodes planned bed by bed, backwards in time, so that no bed is ever shared.

Every usable bed (a place in an active cell) has a time before which it is free. The people in
custody now take their beds first; then earlier stays are laid in behind them, latest first: the
earlier parts of today's episodes (the cell or the prison they came from) and released episodes,
each in a bed that is free for the whole stay. A stay is one person in one bed, so a cell never
holds more people than it has beds, now or on any past day, and replaying an episode's stays gives
its movements: admission, cell allocation, moves within the facility, transfers and release.
"""

from __future__ import annotations

import heapq
import math
import random
from bisect import bisect_left, insort
from collections.abc import Sequence

from normalitet.custody.models import LegalStatus

from .estate import HW, EstatePlan, H, L

DAY = 86400.0
HOUR = 3600.0
OPEN = math.inf
REMAND, SENTENCED = LegalStatus.REMAND.value, LegalStatus.SENTENCED.value
PREVENTIVE, OTHER = LegalStatus.PREVENTIVE_DETENTION.value, LegalStatus.OTHER.value


class Ep:
    """One planned custody episode. ``segs`` are its stays, oldest first: [bed, start, end]; a
    current episode's last stay ends at OPEN. ``tail`` is (facility, arrival) for a person on the
    roll without a cell."""

    __slots__ = (
        "status",
        "group",
        "female",
        "foreign",
        "segs",
        "admitted",
        "released",
        "current",
        "tail",
        "person",
        "pk",
        "flags",
        "gap",
    )

    def __init__(self, status: str, group: str, female: bool, current: bool) -> None:
        self.status = status
        self.group = group  # W women, Y youth, M men
        self.female = female
        self.foreign = False
        self.segs: list[list[float]] = []
        self.admitted = 0.0
        self.released: float | None = None
        self.current = current
        self.tail: tuple[int, float] | None = None
        self.person = -1
        self.pk = 0
        self.flags = ""  # for current episodes: a arrived today, o out now, r release today
        self.gap = 0.0  # hours without a cell between the last arrival and the newest stay

    def cats(self) -> tuple[str, ...]:
        if self.group in ("W", "Y"):
            return (self.group,)
        return ("R", "M") if self.status == REMAND else ("M",)


def days(rng: random.Random, median: float, sigma: float, lo: float, hi: float) -> float:
    return min(hi, max(lo, median * math.exp(rng.gauss(0.0, sigma)))) * DAY


def weighted_sample(
    rng: random.Random, items: Sequence[int], weights: Sequence[float], k: int
) -> list[int]:
    """``k`` items drawn without replacement with chances by weight (Efraimidis–Spirakis)."""
    keyed = [(rng.random() ** (1.0 / w), i) for i, w in zip(items, weights, strict=True) if w > 0]
    return [i for _, i in heapq.nlargest(k, keyed)]


class HistoryPlanner:
    """The beds and the released episodes laid in behind whatever already occupies them."""

    def __init__(
        self, rng: random.Random, estate: EstatePlan, *, now: float, today_start: float
    ) -> None:
        self.rng = rng
        self.estate = estate
        self.now = now
        self.today_start = today_start
        self.pending: dict[int, tuple[list[str], list[float]]] = {}
        cells, units = estate.cells, estate.units
        self.bed_fac = [units[cells[c].unit_idx].facility_idx for c in estate.bed_cell]
        self.bed_cat = estate.bed_cat
        self.bed_free = [0.0] * len(self.bed_fac)
        self.free_lists: dict[tuple[int, str], list[tuple[float, int]]] = {}
        self.heap: list[tuple[float, int]] = []
        facs = estate.facilities
        self.fac_factor = [rng.uniform(0.75, 1.25) * (0.8 if f.level == HW else 1.0) for f in facs]
        by_region_level: dict[tuple[int, str], list[int]] = {}
        by_level: dict[str, list[int]] = {}
        for i, f in enumerate(facs):
            by_region_level.setdefault((f.region_idx, f.level), []).append(i)
            by_level.setdefault(f.level, []).append(i)
        self.by_region_level = by_region_level
        self.by_level = by_level
        self.episodes: list[Ep] = []

    # --- beds -----------------------------------------------------------------------------

    def _occupy(self, bed: int, free_before: float) -> None:
        self.bed_free[bed] = free_before
        insort(
            self.free_lists.setdefault((self.bed_fac[bed], self.bed_cat[bed]), []),
            (free_before, bed),
        )
        heapq.heappush(self.heap, (-free_before, bed))

    def _take(self, fac: int, cats: tuple[str, ...], t: float, avoid_cell: int = -1) -> int | None:
        """A bed of ``fac`` free at ``t``: the one that fills up soonest after ``t`` (best fit),
        not in ``avoid_cell``."""
        bed_cell = self.estate.bed_cell
        for cat in cats:
            lst = self.free_lists.get((fac, cat))
            if lst:
                i = bisect_left(lst, (t, -1))
                while i < len(lst) and bed_cell[lst[i][1]] == avoid_cell:
                    i += 1
                if i < len(lst):
                    return lst.pop(i)[1]
        return None

    def _origin(self, fac: int, cats: tuple[str, ...], status: str, t: float) -> int | None:
        """A bed in another facility for the stay before a transfer into ``fac``."""
        f = self.estate.facilities[fac]
        levels = [H] if f.level == H or status in (REMAND, PREVENTIVE) else [H, L]
        rng = self.rng
        for _ in range(4):
            level = levels[0] if len(levels) == 1 or rng.random() < 0.7 else levels[1]
            pool = (
                self.by_region_level.get((f.region_idx, level), [])
                if rng.random() < 0.8
                else self.by_level.get(level, [])
            )
            if not pool:
                continue
            other = pool[rng.randrange(len(pool))]
            if other != fac:
                bed = self._take(other, cats, t)
                if bed is not None:
                    return bed
        return None

    # --- episodes -------------------------------------------------------------------------

    def _chain(self, level: str, status: str) -> list[str]:
        """How the person came to their last stay, newest first: 'move' or 'transfer'."""
        rng = self.rng
        p_transfer = (
            0.7 if level in (L, HW) else 0.14 if status in (SENTENCED, PREVENTIVE) else 0.06
        )
        p_move = 0.12
        kinds: list[str] = []
        for _ in range(3):
            x = rng.random()
            if x < p_transfer:
                kinds.append("transfer")
            elif x < p_transfer + p_move:
                kinds.append("move")
            else:
                break
            p_transfer, p_move = 0.12, p_move * 0.6
        return kinds

    def _split(self, total: float, n: int) -> list[float]:
        """``total`` in ``n`` parts, the first for the newest stay."""
        w = [self.rng.random() + 0.3 for _ in range(n)]
        s = sum(w)
        return [total * x / s for x in w]

    def _extend_back(self, ep: Ep, fac: int, kinds: list[str], durations: list[float]) -> None:
        """Lay in the stays before the earliest one placed (or before the arrival of ``tail``)."""
        rng = self.rng
        cats = ep.cats()
        for j, (kind, d) in enumerate(zip(kinds, durations, strict=False)):
            if ep.segs:
                first_bed, first_start = int(ep.segs[0][0]), ep.segs[0][1]
                fac = self.bed_fac[first_bed]
                arrival = first_start - (
                    ep.gap if j == 0 and ep.gap else rng.uniform(0.5, 6) * HOUR
                )
            else:
                assert ep.tail is not None
                fac, arrival = ep.tail
                first_start = arrival
                if kind == "move":
                    continue
            if kind == "move":
                end = first_start
                bed = self._take(fac, cats, end, self.estate.bed_cell[first_bed])
            else:
                end = arrival
                bed = self._origin(fac, cats, ep.status, end)
            if bed is None:
                break
            start = end - max(d, 6 * HOUR)
            self._occupy(bed, start)
            ep.segs.insert(0, [bed, start, end])
        if len(ep.segs) == 1 and ep.gap:
            ep.admitted = ep.segs[0][1] - ep.gap
        elif ep.segs:
            ep.admitted = ep.segs[0][1] - rng.uniform(0.5, 6) * HOUR
        else:
            assert ep.tail is not None
            ep.admitted = ep.tail[1]

    # --- released episodes ----------------------------------------------------------------

    def _history_status(self, cat: str, fac_idx: int) -> str:
        f = self.estate.facilities[fac_idx]
        x = self.rng.random()
        if cat == "R":
            return REMAND
        if f.level == HW:
            return SENTENCED
        if f.level == L:
            return SENTENCED if x < 0.98 else PREVENTIVE if x < 0.99 else OTHER
        remand = 0.4 if cat == "Y" else 0.3 if cat == "W" else 0.35
        pd = 0.04 if "P" in f.profile else 0.005
        return (
            REMAND
            if x < remand
            else PREVENTIVE
            if x < remand + pd
            else OTHER
            if x < remand + pd + 0.03
            else SENTENCED
        )

    def _history_duration(self, status: str) -> float:
        rng = self.rng
        if status == REMAND:
            return days(rng, 25, 1.1, 0.5, 730)
        if status == PREVENTIVE:
            return rng.uniform(2, 10) * 365 * DAY
        if status == OTHER:
            return days(rng, 7, 1.0, 0.3, 120)
        return days(rng, 55, 1.2, 10, 3650)

    def plan_history(self, count: int, progress: object = None) -> None:
        rng = self.rng
        made = 0
        heap = self.heap
        while made < count:
            negf, bed = heapq.heappop(heap)
            free = -negf
            if self.bed_free[bed] != free:
                continue
            fac, cat = self.bed_fac[bed], self.bed_cat[bed]
            lst = self.free_lists[(fac, cat)]
            lst.pop(bisect_left(lst, (free, bed)))
            status = self._history_status(cat, fac)
            group = cat if cat in ("W", "Y") else "M"
            ep = Ep(status, group, group == "W" or (group == "Y" and rng.random() < 0.15), False)
            released = free - rng.expovariate(1 / 9) * DAY
            kinds = self._chain(self.estate.facilities[fac].level, status)
            durations = self._split(self._history_duration(status), 1 + len(kinds))
            start = released - max(durations[0], 6 * HOUR)
            self._occupy(bed, start)
            ep.segs = [[bed, start, released]]
            ep.released = released
            self._extend_back(ep, fac, kinds, durations[1:])
            self.episodes.append(ep)
            made += 1
            if progress is not None and made % 10_000 == 0:
                progress.update(10_000)  # type: ignore[attr-defined]
        if progress is not None:
            progress.update(made % 10_000)  # type: ignore[attr-defined]
