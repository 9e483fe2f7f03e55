"""Where the synthetic estate and people are: a position for each facility inside its region,
one municipality per facility town, and a home municipality for every person (most live in
the region they are held in). Placement weighs the distance to home with these."""

from __future__ import annotations

import datetime as dt
import random

from .estate import EstatePlan
from .history import Ep
from .population import PersonPlan

# Rough latitude and longitude boxes of the five regions (south, north, west, east).
REGION_BOXES = {
    "OST": (59.0, 61.3, 9.6, 12.0),
    "SOR": (58.0, 59.8, 7.2, 10.2),
    "SVS": (58.4, 59.9, 5.4, 7.0),
    "VST": (60.2, 63.0, 5.2, 8.0),
    "NRD": (65.5, 70.2, 12.5, 25.0),
}
HOME_IN_REGION = 0.75  # share of persons whose home is in the region they are held in


def place_facilities(plan: EstatePlan) -> None:
    """Give every facility a position in its region's box (its own seeded generator, so the
    rest of the demo data does not change)."""
    for f in plan.facilities:
        rng = random.Random(f"normalitet-geo-{f.code}")  # noqa: S311 (synthetic data)
        south, north, west, east = REGION_BOXES[plan.regions[f.region_idx][1][:3]]
        f.latitude = round(rng.uniform(south, north), 4)
        f.longitude = round(rng.uniform(west, east), 4)


def municipality_rows(plan: EstatePlan, first_pk: int, at: dt.datetime) -> list[tuple[object, ...]]:
    """One municipality per facility town, at the facility's position (fields of
    MUNICIPALITY_FIELDS). Numbers are synthetic, from 0101."""
    return [
        (first_pk + i, at, at, f"{101 + i:04d}", f.municipality, f.latitude, f.longitude)
        for i, f in enumerate(plan.facilities)
    ]


MUNICIPALITY_FIELDS = ("id", "created_at", "updated_at", "number", "name", "latitude", "longitude")


def assign_homes(
    rng: random.Random,
    plan: EstatePlan,
    persons: list[PersonPlan],
    episodes: list[Ep],
    bed_fac: list[int],
    first_municipality: int,
) -> None:
    """A home municipality for every person: mostly in the region of the facility of their
    latest episode, else anywhere."""
    by_region: dict[int, list[int]] = {}
    for i, f in enumerate(plan.facilities):
        by_region.setdefault(f.region_idx, []).append(first_municipality + i)
    everywhere = [first_municipality + i for i in range(len(plan.facilities))]
    last_facility: dict[int, int] = {}
    for ep in episodes:
        if ep.segs:
            last_facility[ep.person] = bed_fac[int(ep.segs[-1][0])]
        elif ep.tail is not None:
            last_facility[ep.person] = ep.tail[0]
    for index, p in enumerate(persons):
        fac = last_facility.get(index)
        if fac is not None and rng.random() < HOME_IN_REGION:
            p.home = rng.choice(by_region[plan.facilities[fac].region_idx])
        else:
            p.home = rng.choice(everywhere)
