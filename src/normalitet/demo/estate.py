"""The synthetic estate: regions, facilities, units and cells, and the beds people are placed in.

The national template has the shape of Norway's estate (RULES.md § 12): 57 facilities in five
regions, just under 4,000 places, two thirds of them in high security; remand units, women's units
and a women's prison, two youth units, special high-security units, a prison for foreign nationals
and one for preventive detention; some units and cells out of use. The large scale repeats it.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from normalitet.estate.models import SecurityLevel, UnitKind

from .names import place_stems

H, L, HW = SecurityLevel.HIGH.value, SecurityLevel.LOWER.value, SecurityLevel.HALFWAY.value

REGIONS = (
    ("OST", "Region øst"),
    ("SOR", "Region sør"),
    ("SVS", "Region sørvest"),
    ("VST", "Region vest"),
    ("NRD", "Region nord"),
)

# region, security level, places, profile. Profile letters: R remand units, S special high-security
# unit, D drug-free unit, W women's unit, Q women's prison, Y youth unit, P preventive detention,
# F foreign nationals, C reception, X a unit out of use, B cells without own bathroom.
NATIONAL = """
OST H 160 RDWX|OST H 410 CRSD|OST L 60 -|OST H 130 PSX|OST H 62 QR|OST H 104 FR|OST H 270 RDXB
OST L 100 D|OST L 45 W|OST HW 20 B|OST H 70 RY|OST L 36 -|OST H 40 R|OST L 120 X|OST HW 18 B
OST H 30 RB|SOR H 200 RDX|SOR H 60 R|SOR L 130 DX|SOR L 40 -|SOR H 45 RB|SOR HW 15 B
SOR H 86 RW|SOR L 30 -|SOR H 35 R|SOR L 50 -|SOR H 28 RB|SOR L 26 -|SVS H 175 RDX|SVS L 80 -
SVS H 55 R|SVS L 40 W|SVS H 40 RB|SVS HW 20 B|SVS L 30 -|SVS H 30 R|VST H 215 RDWX|VST L 70 X
VST H 70 RY|VST L 40 -|VST H 35 RB|VST HW 15 B|VST L 36 -|VST H 45 R|VST L 26 -|NRD H 155 RDX
NRD H 60 RW|NRD L 50 -|NRD H 40 RB|NRD L 30 -|NRD H 30 R|NRD HW 15 B|NRD L 25 -|NRD H 25 R
NRD L 36 -|NRD HW 15 B|NRD L 30 W
"""
SMALL = "OST H 36 RWS|OST L 22 -"
_LEVELS = {"H": H, "L": L, "HW": HW}

CLOSED_UNIT_REASONS = (
    "Midlertidig stengt: bemanning",
    "Stengt for oppussing",
    "Stengt etter vannskade",
)
CLOSED_CELL_REASONS = ("Vannskade", "Vedlikehold", "Skadet inventar")


@dataclass
class FacilityPlan:
    pk: int
    region_pk: int
    region_idx: int
    code: str
    name: str
    municipality: str
    level: str
    profile: str
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class UnitPlan:
    pk: int
    facility_idx: int
    code: str
    name: str
    kind: str
    level: str
    is_active: bool = True
    status_reason: str = ""


@dataclass
class CellPlan:
    pk: int
    unit_idx: int
    code: str
    capacity: int
    single_occupancy: bool
    accessible: bool
    own_bathroom: bool
    safe_cell: bool
    is_active: bool = True
    status_reason: str = ""


@dataclass
class EstatePlan:
    regions: list[tuple[int, str, str]] = field(default_factory=list)  # pk, code, name
    facilities: list[FacilityPlan] = field(default_factory=list)
    units: list[UnitPlan] = field(default_factory=list)
    cells: list[CellPlan] = field(default_factory=list)
    # one entry per usable bed (active, not a safe cell): index into cells, and a category:
    # W women, Y youth, R remand unit, M any other unit
    bed_cell: list[int] = field(default_factory=list)
    bed_cat: list[str] = field(default_factory=list)

    def places(self) -> int:
        return sum(c.capacity for c in self.cells)


def _specs(template: str) -> list[tuple[str, str, int, str]]:
    result = []
    for item in template.replace("\n", "|").split("|"):
        if item.strip():
            region, level, places, profile = item.split()
            result.append((region, _LEVELS[level], int(places), profile.strip("-")))
    return result


def _split(total: int, size: int) -> list[int]:
    n = max(1, round(total / size))
    base, extra = divmod(total, n)
    return [base + (1 if i < extra else 0) for i in range(n)]


def _units_for(level: str, places: int, profile: str) -> list[tuple[str, str, str, int, bool]]:
    """(kind, code, name, places, active) for a facility."""
    units: list[tuple[str, str, str, int, bool]] = []
    rest = places
    special = [
        ("C", UnitKind.RECEPTION, "M", "Mottaksavdelingen", 12),
        ("S", UnitKind.SPECIAL_HIGH, "F", "Forsterket avdeling", 10 if "C" in profile else 6),
        ("Y", UnitKind.YOUTH, "U", "Ungdomsenheten", 6),
        (
            "W",
            UnitKind.WOMEN,
            "K",
            "Kvinneavdelingen",
            16 if level == H and places >= 100 else 12 if places >= 40 else 4,
        ),
        ("D", UnitKind.DRUG_FREE, "RM", "Rusmestringsenheten", 14),
    ]
    for letter, kind, code, name, size in special:
        if letter in profile and rest > size + 8:
            units.append((kind.value, code, name, size, True))
            rest -= size
    if "X" in profile:
        closed = max(8, round(places * 0.12))
        units.append((UnitKind.ORDINARY.value, "Ø", "Avdeling Ø", closed, False))
        rest -= closed
    if "Q" in profile:
        for i, n in enumerate(_split(rest, 15)):
            units.append(
                (UnitKind.WOMEN.value, "ABCDEFGH"[i], f"Avdeling {'ABCDEFGH'[i]}", n, True)
            )
        return units
    if "R" in profile and level == H:
        share = 0.5 if ("C" in profile or "F" in profile) else 0.33
        remand = round(rest * share)
        for i, n in enumerate(_split(remand, 18)):
            units.append((UnitKind.REMAND.value, f"V{i + 1}", f"Varetekt {i + 1}", n, True))
        rest -= remand
    if level == HW:
        units.append((UnitKind.ORDINARY.value, "B", "Bogruppa", rest, True))
        return units
    letters = "ABCDEGHIJLNOPST"
    for i, n in enumerate(_split(rest, 20 if level == H else 26)):
        units.append((UnitKind.ORDINARY.value, letters[i], f"Avdeling {letters[i]}", n, True))
    return units


def _code(stem: str, taken: set[str]) -> str:
    from normalitet.core.text import fold

    base = "".join(c for c in fold(stem) if c.isalpha())[:3].upper()
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}{n}"
    taken.add(code)
    return code


def build_estate(
    rng: random.Random, *, template: str, replicas: int, ids: dict[str, int]
) -> EstatePlan:
    """Plan the estate. ``ids`` gives the first free primary key of region/facility/unit/cell."""
    specs = _specs(NATIONAL if template == "national" else SMALL)
    plan = EstatePlan()
    stems = ["Fjellvik", "Lyngmo"] if template == "small" else place_stems(len(specs) * replicas)
    region_index: dict[tuple[int, str], int] = {}
    codes: set[str] = set()
    for rep in range(replicas):
        for region_code, region_name in REGIONS:
            if template == "small" and region_code != "OST":
                continue
            suffix = f" {rep + 1}" if replicas > 1 else ""
            region_index[(rep, region_code)] = len(plan.regions)
            plan.regions.append(
                (
                    ids["region"] + len(plan.regions),
                    f"{region_code}{rep + 1 if replicas > 1 else ''}",
                    region_name + suffix,
                )
            )
    for rep in range(replicas):
        for i, (region_code, level, places, profile) in enumerate(specs):
            stem = stems[rep * len(specs) + i]
            ridx = region_index[(rep, region_code)]
            kind_word = "overgangsbolig" if level == HW else "fengsel"
            fac = FacilityPlan(
                pk=ids["facility"] + len(plan.facilities),
                region_pk=plan.regions[ridx][0],
                region_idx=ridx,
                code=_code(stem, codes),
                name=f"{stem} {kind_word}",
                municipality=stem,
                level=level,
                profile=profile,
            )
            plan.facilities.append(fac)
            _add_units(rng, plan, len(plan.facilities) - 1, fac, places, ids)
    return plan


def _add_units(
    rng: random.Random,
    plan: EstatePlan,
    fidx: int,
    fac: FacilityPlan,
    places: int,
    ids: dict[str, int],
) -> None:
    safe_cell_done = fac.level != H or places < 40
    for kind, code, name, size, active in _units_for(fac.level, places, fac.profile):
        unit = UnitPlan(
            pk=ids["unit"] + len(plan.units),
            facility_idx=fidx,
            code=code,
            name=name,
            kind=kind,
            level=fac.level,
            is_active=active,
            status_reason="" if active else rng.choice(CLOSED_UNIT_REASONS),
        )
        plan.units.append(unit)
        uidx = len(plan.units) - 1
        n, cell_no = size, 0
        while n > 0:
            cell_no += 1
            double = fac.level == L and n >= 2 and rng.random() < 0.09
            capacity = 2 if double else 1
            n -= capacity
            bathroom = (
                rng.random() < 0.5
                if fac.level == HW
                else rng.random() < 0.15
                if "B" in fac.profile
                else rng.random() < 0.75
                if fac.level == L
                else True
            )
            safe = not safe_cell_done and kind in (
                UnitKind.RECEPTION,
                UnitKind.SPECIAL_HIGH,
                UnitKind.REMAND,
                UnitKind.ORDINARY,
            )
            safe_cell_done = safe_cell_done or safe
            cell_active = safe or not active or rng.random() > 0.012
            cell = CellPlan(
                pk=ids["cell"] + len(plan.cells),
                unit_idx=uidx,
                code=f"{code}.{cell_no:02d}",
                capacity=capacity,
                single_occupancy=capacity == 1,
                accessible=rng.random() < 0.03,
                own_bathroom=bathroom,
                safe_cell=safe,
                is_active=cell_active or not active,
                status_reason="" if cell_active else rng.choice(CLOSED_CELL_REASONS),
            )
            plan.cells.append(cell)
            if active and cell.is_active and not safe:
                cat = (
                    "W"
                    if kind == UnitKind.WOMEN
                    else "Y"
                    if kind == UnitKind.YOUTH
                    else "R"
                    if kind == UnitKind.REMAND
                    else "M"
                )
                for _ in range(capacity):
                    plan.bed_cell.append(len(plan.cells) - 1)
                    plan.bed_cat.append(cat)


def estate_rows(plan: EstatePlan, at: dt.datetime) -> dict[str, list[tuple[object, ...]]]:
    """Rows for the loader, in the field orders of ESTATE_FIELDS."""
    return {
        "region": [(pk, at, at, code, name) for pk, code, name in plan.regions],
        "facility": [
            (
                f.pk,
                at,
                at,
                True,
                "",
                f.region_pk,
                f.code,
                f.name,
                f.municipality,
                f.level,
                f.latitude,
                f.longitude,
            )
            for f in plan.facilities
        ],
        "unit": [
            (
                u.pk,
                at,
                at,
                u.is_active,
                u.status_reason,
                plan.facilities[u.facility_idx].pk,
                u.code,
                u.name,
                u.kind,
                u.level,
            )
            for u in plan.units
        ],
        "cell": [
            (
                c.pk,
                at,
                at,
                c.is_active,
                c.status_reason,
                plan.units[c.unit_idx].pk,
                c.code,
                c.capacity,
                c.single_occupancy,
                c.accessible,
                c.own_bathroom,
                c.safe_cell,
            )
            for c in plan.cells
        ],
    }


ESTATE_FIELDS = {
    "region": ("id", "created_at", "updated_at", "code", "name"),
    "facility": (
        "id",
        "created_at",
        "updated_at",
        "is_active",
        "status_reason",
        "region",
        "code",
        "name",
        "municipality",
        "security_level",
        "latitude",
        "longitude",
    ),
    "unit": (
        "id",
        "created_at",
        "updated_at",
        "is_active",
        "status_reason",
        "facility",
        "code",
        "name",
        "kind",
        "security_level",
    ),
    "cell": (
        "id",
        "created_at",
        "updated_at",
        "is_active",
        "status_reason",
        "unit",
        "code",
        "capacity",
        "single_occupancy",
        "accessible",
        "own_bathroom",
        "safe_cell",
    ),
}
