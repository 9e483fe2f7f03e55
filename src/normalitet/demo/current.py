"""The people in custody now: who is in which bed, on what legal basis, and since when.

The shares follow RULES.md § 12 exactly (weighted draws without replacement): 26 % on remand,
about 4.6 % in preventive detention, 27 % foreign nationals (more of them on remand and in the
prison for foreign nationals), women only in women's units, under-18s only in youth units. Each
person's earlier stays in this episode (another cell, another prison) are laid in behind them.
"""

from __future__ import annotations

from .estate import HW, H, L
from .history import (
    DAY,
    HOUR,
    OPEN,
    OTHER,
    PREVENTIVE,
    REMAND,
    SENTENCED,
    Ep,
    HistoryPlanner,
    days,
    weighted_sample,
)


class Planner(HistoryPlanner):
    """Plans a whole scale: the people in custody now first, then (inherited) the history."""

    def plan_current(self, n: int, first_facility: int = 0) -> None:
        rng, est = self.rng, self.estate
        beds_by_cat: dict[str, list[int]] = {}
        for b, cat in enumerate(self.bed_cat):
            beds_by_cat.setdefault(cat, []).append(b)
        youth_n = min(len(beds_by_cat.get("Y", [])), round(n * 10 / 3100))
        girls = 1 if youth_n >= 5 else 0
        women_n = min(len(beds_by_cat.get("W", [])), max(1, round(n * 0.045)) - girls)
        nocell_n = max(2, round(n * 0.005))
        men_n = n - youth_n - women_n - nocell_n
        men_beds = beds_by_cat.get("R", []) + beds_by_cat.get("M", [])
        chosen: list[tuple[int, str]] = []
        for cat, k in (("Y", youth_n), ("W", women_n)):
            pool = beds_by_cat.get(cat, [])
            chosen += [
                (b, cat)
                for b in weighted_sample(
                    rng, pool, [self.fac_factor[self.bed_fac[b]] for b in pool], k
                )
            ]
        weights = [
            self.fac_factor[self.bed_fac[b]] * (1.5 if self.bed_cat[b] == "R" else 1.0)
            for b in men_beds
        ]
        chosen += [(b, "M") for b in weighted_sample(rng, men_beds, weights, men_n)]
        eps: list[tuple[Ep, int | None]] = []
        for i, (b, group) in enumerate(chosen):
            female = group == "W" or (group == "Y" and i < girls)
            eps.append((Ep(SENTENCED, group, female, True), b))
        high_men = [b for b in men_beds if est.facilities[self.bed_fac[b]].level == H]
        nocell_facs = [first_facility, first_facility] + [
            self.bed_fac[high_men[rng.randrange(len(high_men))]] for _ in range(nocell_n - 2)
        ]
        for fac in nocell_facs:
            ep = Ep(SENTENCED, "M", False, True)
            ep.tail = (fac, 0.0)
            eps.append((ep, None))
        self._statuses(eps)
        self._foreign(eps)
        for ep, bed in eps:
            self._place_current(ep, bed)
        empty = set(range(len(self.bed_fac))) - {b for _, b in eps if b is not None}
        for b in sorted(empty):
            self._occupy(b, self.now - rng.expovariate(1 / 9) * DAY)
        self._mark_today(eps, first_facility)
        # the stays before today's, newest first
        todo = sorted(
            ((ep.segs[0][1] if ep.segs else 0.0, i) for i, (ep, _) in enumerate(eps)), reverse=True
        )
        for _, i in todo:
            ep = eps[i][0]
            fac = self.bed_fac[int(ep.segs[0][0])] if ep.segs else ep.tail[0]  # type: ignore[index]
            kinds, durations = self.pending.pop(id(ep))
            self._extend_back(ep, fac, kinds, durations)
        self.episodes += [ep for ep, _ in eps]

    def _statuses(self, eps: list[tuple[Ep, int | None]]) -> None:
        rng, est = self.rng, self.estate
        n = len(eps)
        level = [est.facilities[self.bed_fac[b]].level if b is not None else H for _, b in eps]

        def kind(b: int | None) -> str:
            return "" if b is None else est.units[est.cells[est.bed_cell[b]].unit_idx].kind

        remand_target = round(n * 0.26)
        forced = []
        for i, (ep, b) in enumerate(eps):
            if b is not None and self.bed_cat[b] == "R":
                forced.append(i)
            elif ep.group == "Y" and rng.random() < 0.4:
                forced.append(i)
        for i in forced:
            eps[i][0].status = REMAND
        forced_set = set(forced)
        w = [
            0.0
            if i in forced_set or level[i] != H or kind(b) == "special_high"
            else (
                0.6
                if ep.group == "W"
                else 2.0
                if kind(b) == "reception"
                else 3.0
                if b is None
                else 0.3
                if kind(b) == "drug_free"
                else 1.0
            )
            for i, (ep, b) in enumerate(eps)
        ]
        for i in weighted_sample(rng, range(n), w, max(0, remand_target - len(forced))):
            eps[i][0].status = REMAND
        profiles = [
            est.facilities[self.bed_fac[b]].profile if b is not None else "" for _, b in eps
        ]
        w = [
            0.0
            if ep.status == REMAND or ep.group == "Y" or b is None
            else (12.0 if "P" in profiles[i] else 4.0 if kind(b) == "special_high" else 1.0)
            * (0.5 if ep.group == "W" else 1.0)
            * (0.4 if level[i] == L else 1.0)
            * (0.0 if level[i] == HW else 1.0)
            for i, (ep, b) in enumerate(eps)
        ]
        for i in weighted_sample(rng, range(n), w, round(n * 143 / 3092)):
            eps[i][0].status = PREVENTIVE
        w = [1.0 if ep.status == SENTENCED and ep.group == "M" else 0.0 for ep, _ in eps]
        for i in weighted_sample(rng, range(n), w, round(n * 0.01)):
            eps[i][0].status = OTHER

    def _foreign(self, eps: list[tuple[Ep, int | None]]) -> None:
        est = self.estate
        weights = []
        for ep, b in eps:
            fac = est.facilities[self.bed_fac[b]] if b is not None else None
            w = 2.2 if ep.status == REMAND else 0.3 if ep.status == PREVENTIVE else 1.0
            w *= 5.0 if fac is not None and "F" in fac.profile else 1.0
            w *= 0.5 if ep.group == "Y" else 0.7 if ep.group == "W" else 1.0
            w *= 0.3 if fac is not None and fac.level == HW else 1.0
            weights.append(w)
        for i in weighted_sample(self.rng, range(len(eps)), weights, round(len(eps) * 0.27)):
            eps[i][0].foreign = True

    def _place_current(self, ep: Ep, bed: int | None) -> None:
        rng = self.rng
        if ep.status == REMAND:
            elapsed = days(rng, 30 if ep.group == "Y" else 45, 1.0, 0.2, 900)
        elif ep.status == PREVENTIVE:
            elapsed = rng.uniform(1, 12) * 365 * DAY
        elif ep.status == OTHER:
            elapsed = days(rng, 20, 1.0, 0.5, 365)
        else:
            elapsed = days(rng, 400 if ep.group != "Y" else 120, 1.1, 14, 7000) * rng.uniform(
                0.02, 0.98
            )
        fac = self.bed_fac[bed] if bed is not None else ep.tail[0]  # type: ignore[index]
        kinds = self._chain(self.estate.facilities[fac].level, ep.status)
        durations = self._split(elapsed, 1 + len(kinds))
        if bed is None:
            ep.tail = (fac, self.now - rng.uniform(0.3, 14) * HOUR)
            self.pending[id(ep)] = (kinds, durations[1:])
            return
        start = self.now - durations[0]
        self._occupy(bed, start)
        ep.segs = [[bed, start, OPEN]]
        self.pending[id(ep)] = (kinds, durations[1:])

    def _mark_today(self, eps: list[tuple[Ep, int | None]], first: int) -> None:
        """Some arrived today, some are out at court or hospital, some leave today; at least
        two of each in the first facility, where the demo logins work."""
        rng = self.rng
        placed = [(ep, bed) for ep, bed in eps if bed is not None]
        in_first = [pair for pair in placed if self.bed_fac[pair[1]] == first]
        rng.shuffle(in_first)
        quota = {"a": 2, "o": 2, "r": 2}
        for ep, bed in in_first:
            for flag in "aor":
                if quota[flag] and (flag != "r" or ep.status == SENTENCED):
                    quota[flag] -= 1
                    self._flag(ep, bed, flag)
                    break
        for ep, bed in placed:
            if ep.flags:
                continue
            x = rng.random()
            if x < 0.008:
                self._flag(ep, bed, "a")
            elif x < 0.035:
                self._flag(ep, bed, "o")
            elif x < 0.042 and ep.status == SENTENCED:
                self._flag(ep, bed, "r")

    def _flag(self, ep: Ep, bed: int, flag: str) -> None:
        ep.flags += flag
        if flag != "a":
            return
        rng = self.rng
        arrival = self.today_start + (self.now - self.today_start) * rng.uniform(0.1, 0.5)
        start = arrival + (self.now - arrival) * rng.uniform(0.2, 0.8)
        key = (self.bed_fac[bed], self.bed_cat[bed])
        self.free_lists[key].remove((ep.segs[0][1], bed))
        self._occupy(bed, start)
        ep.segs[0][1] = start
        ep.gap = start - arrival
        kinds, durations = self.pending[id(ep)]
        if kinds and kinds[0] == "transfer":
            self.pending[id(ep)] = (kinds[:1], durations[:1])
        else:
            self.pending[id(ep)] = ([], [])
