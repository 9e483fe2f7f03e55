"""Contact officers, alerts, next of kin and non-associations for the planned population.

Alerts are operational only (never health information). Non-associations are drawn between people
already kept apart at the scope they name, so the current placement respects every one of them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from normalitet.identity.roles import Role
from normalitet.people.models import AlertKind, SeparationScope

from .estate import EstatePlan
from .history import DAY, Ep
from .names import RELATIONSHIPS, STREETS, norwegian_name, place_stems
from .nationalities import BY_CODE, foreign_name
from .population import PersonPlan
from .staff import StaffPlan

ALERT_FIELDS = (
    "id",
    "created_at",
    "updated_at",
    "person",
    "kind",
    "text",
    "active_from",
    "active_to",
    "set_by",
)
KIN_FIELDS = (
    "id",
    "created_at",
    "updated_at",
    "person",
    "name",
    "relationship",
    "phone",
    "address",
    "is_primary",
)
NONASSOC_FIELDS = (
    "id",
    "created_at",
    "updated_at",
    "person_a",
    "person_b",
    "scope",
    "reason",
    "created_by",
    "ended_at",
    "ended_reason",
)

ALERT_TEXTS = {
    AlertKind.VIOLENCE: (
        "Har utøvd vold mot medinnsatt under tidligere opphold.",
        "Truet ansatte ved innsettelse.",
    ),
    AlertKind.ESCAPE: ("Rømningsforsøk under fremstilling.", "Opplysninger om planer om rømning."),
    AlertKind.STAFF_SAFETY: (
        "To ansatte ved åpning av celledør.",
        "Har kastet gjenstander mot ansatte.",
    ),
    AlertKind.VULNERABLE: (
        "Utsatt for press fra medinnsatte.",
        "Skal ikke plasseres sammen med personer fra samme miljø.",
    ),
    AlertKind.CONFLICT: (
        "Gjeld i miljøet; unngå kontakt med andre fra samme gruppering.",
        "Konflikt med medinnsatte i tidligere avdeling.",
    ),
    AlertKind.OTHER: (
        "Besøksforbud overfor tidligere samboer.",
        "Skal ikke ha tilgang til verktøy i arbeidsdriften.",
    ),
}
LANGUAGE_ALERT = "Forstår lite norsk og engelsk; bruk tolk ved viktige samtaler."
NONASSOC_REASONS = (
    "Medsiktet i samme sak",
    "Trusler i avdelingen",
    "Gjeldskonflikt",
    "Vitne i sak mot den andre",
    "Konflikt mellom grupperinger",
)
COUNTRIES = {
    "PL": "Polen",
    "LT": "Litauen",
    "RO": "Romania",
    "SE": "Sverige",
    "DK": "Danmark",
    "AL": "Albania",
    "SO": "Somalia",
    "NG": "Nigeria",
    "ER": "Eritrea",
    "IQ": "Irak",
    "SY": "Syria",
    "AF": "Afghanistan",
    "RS": "Serbia",
    "MA": "Marokko",
    "DZ": "Algerie",
    "LV": "Latvia",
    "BG": "Bulgaria",
    "GE": "Georgia",
    "VN": "Vietnam",
    "GB": "Storbritannia",
}


class Extras:
    def __init__(
        self,
        rng: random.Random,
        *,
        estate: EstatePlan,
        bed_fac: list[int],
        staff: StaffPlan,
        persons: list[PersonPlan],
        episodes: list[Ep],
        now: float,
    ) -> None:
        self.rng = rng
        self.estate = estate
        self.bed_fac = bed_fac
        self.staff = staff
        self.persons = persons
        self.episodes = episodes
        self.now = now
        self.at = dt.datetime.fromtimestamp(now, tz=dt.UTC)
        self.current = [i for i, ep in enumerate(episodes) if ep.current]
        self.placed = [i for i in self.current if episodes[i].tail is None]

    def _place(self, i: int) -> tuple[int, int, int]:
        """(facility index, unit index, cell index) of a placed current episode."""
        cell_idx = self.estate.bed_cell[int(self.episodes[i].segs[-1][0])]
        unit_idx = self.estate.cells[cell_idx].unit_idx
        return self.estate.units[unit_idx].facility_idx, unit_idx, cell_idx

    def _date_between(self, start: float, end: float) -> dt.date:
        t = start + self.rng.random() * max(0.0, end - start)
        return dt.datetime.fromtimestamp(t, tz=dt.UTC).date()

    def contact_officers(self) -> dict[int, int]:
        """Episode index -> contact officer: most people in a cell have one, from their unit."""
        rng = self.rng
        result: dict[int, int] = {}
        demo_pk = self.staff.demo.get("contact-officer")
        demo_units = set(self.staff.demo_units.get("contact-officer", []))
        demo_count = 0
        for i in self.placed:
            fac, unit_idx, _ = self._place(i)
            unit_pk = self.estate.units[unit_idx].pk
            if demo_pk and fac == 0 and unit_pk in demo_units and demo_count < 8:
                result[i] = demo_pk
                demo_count += 1
                continue
            officers = self.staff.contact_by_unit.get(unit_pk)
            if officers and rng.random() < 0.85:
                result[i] = officers[rng.randrange(len(officers))]
        for i, ep in enumerate(self.episodes):
            if not ep.current and ep.segs and rng.random() < 0.6:
                cell = self.estate.cells[self.estate.bed_cell[int(ep.segs[-1][0])]]
                officers = self.staff.contact_by_unit.get(self.estate.units[cell.unit_idx].pk)
                if officers:
                    result[i] = officers[rng.randrange(len(officers))]
        return result

    def alerts(self, first_pk: int) -> Iterator[tuple[object, ...]]:
        rng = self.rng
        pk = first_pk
        kinds = list(ALERT_TEXTS)
        for i in self.placed:
            ep = self.episodes[i]
            person = self.persons[ep.person]
            fac = self._place(i)[0]
            x = rng.random()
            if x < 0.03 or (fac == 0 and x < 0.1):
                kind = rng.choice(kinds)
                text = rng.choice(ALERT_TEXTS[kind])
            elif person.interpreter and x < 0.06:
                kind, text = AlertKind.LANGUAGE, LANGUAGE_ALERT
            elif x > 0.99:
                kind = rng.choice(kinds)
                start = self._date_between(ep.admitted, self.now - 2 * DAY)
                end = self._date_between(start_ts(start), self.now - DAY)
                yield (
                    pk,
                    self.at,
                    self.at,
                    person.pk,
                    kind.value,
                    rng.choice(ALERT_TEXTS[kind]),
                    start,
                    max(start, end),
                    self.staff.pick(rng, fac, Role.CASE_MANAGER),
                )
                pk += 1
                continue
            else:
                continue
            yield (
                pk,
                self.at,
                self.at,
                person.pk,
                kind.value,
                text,
                self._date_between(ep.admitted, self.now),
                None,
                self.staff.pick(rng, fac, Role.CASE_MANAGER),
            )
            pk += 1

    def next_of_kin(self, first_pk: int) -> Iterator[tuple[object, ...]]:
        rng = self.rng
        pk = first_pk
        towns = place_stems(40)
        current_persons = {self.episodes[i].person for i in self.current}
        for idx, person in enumerate(self.persons):
            if rng.random() >= (0.65 if idx in current_persons else 0.2):
                continue
            nat = BY_CODE.get(person.nationality)
            for k in range(1 if rng.random() < 0.7 else 2):
                relationship = rng.choices(
                    [r for r, _ in RELATIONSHIPS], weights=[w for _, w in RELATIONSHIPS]
                )[0]
                female = relationship in ("mor", "søster", "datter", "tante") or (
                    relationship in ("ektefelle", "samboer", "venn") and not person.female
                )
                given, family = (
                    foreign_name(rng, nat, female) if nat else norwegian_name(rng, female)
                )
                if relationship not in ("ektefelle", "samboer", "venn") and rng.random() < 0.7:
                    family = person.family
                if nat is None:
                    phone = (
                        f"+47 0{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(100, 999)}"
                    )
                    address = f"{rng.choice(STREETS)} {rng.randint(1, 120)}, {rng.choice(towns)}"
                else:
                    phone, address = "", COUNTRIES.get(person.nationality, "")
                at = dt.datetime.fromtimestamp(person.since, tz=dt.UTC)
                yield (
                    pk,
                    at,
                    at,
                    person.pk,
                    f"{given} {family}",
                    relationship,
                    phone,
                    address,
                    k == 0,
                )
                pk += 1

    def non_associations(self, first_pk: int) -> Iterator[tuple[object, ...]]:
        rng = self.rng
        by_unit: dict[int, list[int]] = {}
        by_fac: dict[int, list[int]] = {}
        for i in self.placed:
            fac, unit_idx, _ = self._place(i)
            by_unit.setdefault(unit_idx, []).append(i)
            by_fac.setdefault(fac, []).append(i)
        wanted = max(3, round(len(self.current) * 0.007))
        pairs: dict[tuple[int, int], tuple[str, int]] = {}
        first = by_fac.get(0, [])
        attempts = 0
        while len(pairs) < wanted and attempts < wanted * 50 and self.placed:
            attempts += 1
            forced = len(pairs) < 2 and first
            i = (
                first[rng.randrange(len(first))]
                if forced
                else self.placed[rng.randrange(len(self.placed))]
            )
            fac, unit_idx, cell_idx = self._place(i)
            scope = (
                SeparationScope.CELL
                if len(pairs) == 0
                else SeparationScope.UNIT
                if len(pairs) == 1
                else rng.choice(list(SeparationScope))
            )
            if scope == SeparationScope.CELL:
                options = by_unit[unit_idx]
            elif scope == SeparationScope.UNIT:
                options = by_fac[fac]
            else:
                options = self.placed
            j = options[rng.randrange(len(options))]
            fj, uj, cj = self._place(j)
            apart = (
                cj != cell_idx
                if scope == SeparationScope.CELL
                else uj != unit_idx
                if scope == SeparationScope.UNIT
                else fj != fac
            )
            a, b = sorted(
                (self.persons[self.episodes[i].person].pk, self.persons[self.episodes[j].person].pk)
            )
            if apart and a != b and (a, b) not in pairs:
                pairs[(a, b)] = (scope.value, fac)
        pk = first_pk
        for (a, b), (scope_value, fac) in pairs.items():
            at = dt.datetime.fromtimestamp(self.now - rng.uniform(1, 60) * DAY, tz=dt.UTC)
            yield (
                pk,
                at,
                at,
                a,
                b,
                scope_value,
                rng.choice(NONASSOC_REASONS),
                self.staff.pick(rng, fac, Role.CASE_MANAGER),
                None,
                "",
            )
            pk += 1
        # a few that have ended, between people who may since have been released
        for _ in range(max(1, wanted // 5)):
            a, b = sorted(rng.sample(range(len(self.persons)), 2))
            pa, pb = self.persons[a].pk, self.persons[b].pk
            if (pa, pb) in pairs:
                continue
            ended = dt.datetime.fromtimestamp(self.now - rng.uniform(5, 200) * DAY, tz=dt.UTC)
            created = ended - dt.timedelta(days=rng.uniform(10, 300))
            yield (
                pk,
                created,
                ended,
                pa,
                pb,
                rng.choice(list(SeparationScope)).value,
                rng.choice(NONASSOC_REASONS),
                self.staff.pick(rng, 0, Role.CASE_MANAGER),
                ended,
                "Saken er avsluttet",
            )
            pk += 1


def start_ts(day: dt.date) -> float:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC).timestamp()
