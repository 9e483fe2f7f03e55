"""Who the planned episodes belong to: person records, some of whom come back.

Episodes are taken in order of admission. Each goes to a new person or, with the chance that
brings the total to the number of person records wanted, to someone released earlier of the same
gender and origin. Youth units take new persons only. A person's age at their first admission
fits the unit (15–17 in a youth unit, adult elsewhere), and whoever is in a youth unit today is
still under 18.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
import random

from normalitet.core.text import fold
from normalitet.people.services import person_number_for, search_name_of

from .estate import EstatePlan
from .history import DAY, PREVENTIVE, REMAND, Ep
from .idnumbers import synthetic_number
from .names import norwegian_name
from .nationalities import BY_CODE, foreign_name, languages_for, pick_nationality

YEAR = 365.2425 * DAY


class PersonPlan:
    __slots__ = (
        "pk",
        "female",
        "nationality",
        "birth",
        "given",
        "family",
        "preferred",
        "national_id",
        "languages",
        "interpreter",
        "since",
        "home",
    )

    def __init__(
        self, pk: int, female: bool, nationality: str, birth: dt.date, since: float
    ) -> None:
        self.pk = pk
        self.female = female
        self.nationality = nationality
        self.birth = birth
        self.since = since
        self.given = self.family = self.preferred = self.national_id = ""
        self.languages = "[]"
        self.interpreter = False
        self.home: int | None = None  # the home municipality's primary key

    @property
    def full_name(self) -> str:
        return f"{self.given} {self.family}"


def _foreign_chance(ep: Ep, estate: EstatePlan, bed_fac: list[int]) -> float:
    fac = estate.facilities[bed_fac[int(ep.segs[-1][0])]] if ep.segs else None
    p = 0.27 * (1.4 if ep.status == REMAND else 0.3 if ep.status == PREVENTIVE else 1.0)
    if fac is not None and "F" in fac.profile:
        p = 0.85
    return p * (0.5 if ep.group == "Y" else 1.0)


def _age_at(rng: random.Random, ep: Ep, now: float) -> float:
    """Age in years at admission."""
    if ep.group == "Y":
        upper = 18.0 - (now - ep.admitted) / YEAR if ep.current else 18.0
        return rng.uniform(15.05, max(15.1, upper - 0.02))
    base = 25.0 if ep.status == PREVENTIVE else 18.0
    return min(79.0, base + rng.gammavariate(3.0, 6.0))


def assign_persons(
    rng: random.Random,
    episodes: list[Ep],
    *,
    estate: EstatePlan,
    bed_fac: list[int],
    target: int,
    first_pk: int,
    now: float,
) -> list[PersonPlan]:
    """Give every episode its person; returns the persons in order of their first admission."""
    order = sorted(range(len(episodes)), key=lambda i: episodes[i].admitted)
    persons: list[PersonPlan] = []
    pools: dict[tuple[bool, bool], list[int]] = {}
    released: list[tuple[float, int, bool, bool]] = []
    remaining_new, remaining = target, len(episodes)
    for i in order:
        ep = episodes[i]
        while released and released[0][0] < ep.admitted:
            _, p, female, foreign = heapq.heappop(released)
            pools.setdefault((female, foreign), []).append(p)
        if not ep.current:
            ep.foreign = rng.random() < _foreign_chance(ep, estate, bed_fac)
        pool = pools.get((ep.female, ep.foreign))
        if ep.group == "Y" or not pool or rng.random() * remaining < remaining_new:
            p = len(persons)
            age = _age_at(rng, ep, now)
            born = dt.datetime.fromtimestamp(ep.admitted - age * YEAR, tz=dt.UTC).date()
            nationality = pick_nationality(rng).code if ep.foreign else "NO"
            persons.append(PersonPlan(first_pk + p, ep.female, nationality, born, ep.admitted))
            remaining_new -= 1
        else:
            j = rng.randrange(len(pool))
            pool[j], pool[-1] = pool[-1], pool[j]
            p = pool.pop()
        remaining -= 1
        ep.person = p
        if ep.released is not None and ep.group != "Y":
            heapq.heappush(released, (ep.released, p, ep.female, ep.foreign))
    return persons


def describe(rng: random.Random, persons: list[PersonPlan]) -> None:
    """Names, identity numbers and languages."""
    used: set[str] = set()
    for p in persons:
        nat = BY_CODE.get(p.nationality)
        if nat is None:
            p.given, p.family = norwegian_name(rng, p.female)
            has_number, d_number = rng.random() < 0.97, False
        else:
            p.given, p.family = foreign_name(rng, nat, p.female)
            x = rng.random()
            has_number, d_number = x < 0.5, x >= 0.2
        if " " in p.given and rng.random() < 0.2:
            p.preferred = p.given.split()[-1]
        if has_number:
            p.national_id = synthetic_number(
                rng, p.birth, female=p.female, d_number=d_number, used=used
            )
        langs, p.interpreter = languages_for(rng, nat)
        p.languages = json.dumps(langs)


PERSON_FIELDS = (
    "id",
    "created_at",
    "updated_at",
    "person_number",
    "given_names",
    "family_name",
    "preferred_name",
    "search_name",
    "birth_date",
    "national_id",
    "nationality",
    "languages",
    "interpreter_needed",
    "gender",
    "home_municipality",
    "in_custody",
)


def person_row(p: PersonPlan, at: dt.datetime, in_custody: bool) -> tuple[object, ...]:
    """A row of PERSON_FIELDS."""
    return (
        p.pk,
        at,
        at,
        person_number_for(p.pk),
        p.given,
        p.family,
        p.preferred,
        search_name_of(p.given, p.family, p.preferred),
        p.birth,
        p.national_id,
        p.nationality,
        p.languages,
        p.interpreter,
        "female" if p.female else "male",
        p.home,
        in_custody,
    )


def username_for(given: str, family: str, taken: dict[str, int]) -> str:
    base = ".".join(
        "".join(c for c in fold(part) if c.isalnum())
        for part in (given.split()[0], family.replace(" ", "").replace("-", ""))
    )
    n = taken.get(base, 0) + 1
    taken[base] = n
    return base if n == 1 else f"{base}{n}"
