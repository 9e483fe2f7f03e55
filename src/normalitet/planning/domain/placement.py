"""Placement: which security level and which facility the rules point to for one person, with
every reason shown (SGL §§ 3, 10, 11, 14; RULES.md § 5). Pure: no Django, no database.

The recommendation supports a decision; it never makes one. It weighs, in this order:

1. the legal basis: remand is held in high security with remand places;
2. what the law says must be *considered* (SGL § 11: lower security for sentences up to two
   years, a halfway house up to one year, under-18s always; SGL § 14: lower security when a
   year remains before parole eligibility);
3. what the current risk assessment says against it (escape and violence; an area judged
   high keeps the person in high security, moderate rules out a halfway house). Without a
   current assessment no lower level is recommended: placement follows risk, needs and the
   plan, never the offence label alone;
4. among the facilities of that level: non-associations (excluded), free places, units that
   answer the person's needs (youth, women, drug-free) and the distance to home.

Reasons are codes with values, turned into text in the user's language by
:mod:`normalitet.planning.placement`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from .rules import Parameter, parameter_on

HIGH, LOWER, HALFWAY = "high", "lower", "halfway"
# From most to least restrictive.
LEVELS = (HIGH, LOWER, HALFWAY)


# SGL § 11: lower security to be considered for sentences up to 2 years, a halfway house up to
# 1 year, in days of the sentence as the release-date engine counts them.
LOWER_SECURITY_MAX_DAYS = (Parameter(730, dt.date(2002, 3, 1), "SGL § 11"),)
HALFWAY_HOUSE_MAX_DAYS = (Parameter(365, dt.date(2002, 3, 1), "SGL § 11"),)
YOUTH_AGE = (Parameter(18, dt.date(2002, 3, 1), "SGL § 11"),)
# Decided by the regional office: sentences over 10 years (RULES.md § 6, delegation).
REGIONAL_SENTENCE_DAYS = (Parameter(3652, dt.date(2002, 3, 1), "RULES.md § 6"),)
# Appeal deadline for decisions other than disciplinary reactions (SGL § 7 e).
APPEAL_DAYS = (Parameter(7, dt.date(2002, 3, 1), "SGL § 7 e"),)


@dataclass(frozen=True)
class Reason:
    code: str
    rule: str = ""
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FacilityOption:
    facility_id: int
    name: str
    security_level: str
    free_places: int
    unit_kinds: frozenset[str] = frozenset()
    distance_km: float | None = None
    keep_apart: int = 0  # active non-associations with someone held there


@dataclass(frozen=True)
class PlacementInput:
    today: dt.date
    remand: bool
    age: int
    women: bool
    sentence_days: int | None  # None: no calculation yet
    preventive_detention: bool
    lower_security_date: dt.date | None
    risk: dict[str, str] | None  # area -> low/moderate/high; None: no current assessment
    needs: frozenset[str]  # needs domains with an open need
    options: tuple[FacilityOption, ...] = ()


@dataclass(frozen=True)
class Ranked:
    option: FacilityOption
    suitable: bool
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Recommendation:
    level: str
    reasons: tuple[Reason, ...]
    facilities: tuple[Ranked, ...]  # of the recommended level
    elsewhere: tuple[Ranked, ...] = ()  # the other levels, for a case that departs from it

    @property
    def best(self) -> Ranked | None:
        return next((r for r in self.facilities if r.suitable), None)

    @property
    def ranked(self) -> tuple[Ranked, ...]:
        """Every facility: those of the recommended level first, each part in its order."""
        return (*self.facilities, *self.elsewhere)

    def ranked_for(self, facility_id: int) -> Ranked | None:
        return next((r for r in self.ranked if r.option.facility_id == facility_id), None)


def _considered(inp: PlacementInput) -> tuple[set[str], list[Reason]]:
    """The less restrictive levels the law says must be considered, with the reasons."""
    levels: set[str] = set()
    reasons: list[Reason] = []
    youth = parameter_on(YOUTH_AGE, inp.today)
    if inp.age < youth.value:
        levels |= {LOWER, HALFWAY}
        reasons.append(Reason("consider.youth", youth.source, {"age": inp.age}))
    if inp.sentence_days is not None and not inp.preventive_detention:
        halfway = parameter_on(HALFWAY_HOUSE_MAX_DAYS, inp.today)
        lower = parameter_on(LOWER_SECURITY_MAX_DAYS, inp.today)
        if inp.sentence_days <= halfway.value:
            levels |= {LOWER, HALFWAY}
            reasons.append(
                Reason("consider.halfway_short", halfway.source, {"days": inp.sentence_days})
            )
        elif inp.sentence_days <= lower.value:
            levels.add(LOWER)
            reasons.append(
                Reason("consider.lower_short", lower.source, {"days": inp.sentence_days})
            )
    if inp.lower_security_date is not None and inp.lower_security_date <= inp.today:
        levels.add(LOWER)
        reasons.append(Reason("consider.lower_date", "SGL § 14", {"date": inp.lower_security_date}))
    return levels, reasons


def _risk_ceiling(inp: PlacementInput) -> tuple[str, list[Reason]]:
    """The least restrictive level the risk assessment allows, with the reasons."""
    if inp.risk is None:
        return HIGH, [Reason("risk.missing", "SGL § 10")]
    reasons: list[Reason] = []
    ceiling = HALFWAY
    for area in ("escape", "violence"):
        level = inp.risk.get(area)
        if level == "high":
            ceiling = HIGH
            reasons.append(Reason("risk.high", "SGL § 10", {"area": area}))
        elif level == "moderate" and ceiling == HALFWAY:
            ceiling = LOWER
            reasons.append(Reason("risk.moderate", "SGL § 10", {"area": area}))
    if ceiling == HALFWAY:
        reasons.append(Reason("risk.low", "SGL § 10"))
    if inp.risk.get("vulnerability") == "high":
        reasons.append(Reason("risk.vulnerable", "SGL § 3"))
    return ceiling, reasons


def recommended_level(inp: PlacementInput) -> tuple[str, list[Reason]]:
    if inp.remand:
        return HIGH, [Reason("level.remand", "STRPL § 183; SGF § 4-1")]
    if inp.sentence_days is None:
        return HIGH, [Reason("level.no_dates", "SGL § 11")]
    considered, reasons = _considered(inp)
    if not considered:
        return HIGH, [*reasons, Reason("level.default", "SGL § 11")]
    ceiling, risk_reasons = _risk_ceiling(inp)
    reasons += risk_reasons
    allowed = [
        lv for lv in LEVELS if lv in considered and LEVELS.index(lv) <= LEVELS.index(ceiling)
    ]
    if not allowed:
        return HIGH, [*reasons, Reason("level.risk_keeps_high", "SGL §§ 3, 10")]
    level = allowed[-1]  # the least restrictive that is both considered and allowed
    return level, [*reasons, Reason(f"level.{level}", "SGL § 3")]


def _wanted_units(inp: PlacementInput) -> list[tuple[str, str]]:
    """Unit kinds that answer the person's situation, with the reason code."""
    wanted = []
    if inp.age < parameter_on(YOUTH_AGE, inp.today).value:
        wanted.append(("youth", "unit.youth"))
    if inp.women:
        wanted.append(("women", "unit.women"))
    if "drugs_alcohol" in inp.needs:
        wanted.append(("drug_free", "unit.drug_free"))
    if inp.remand:
        wanted.append(("remand", "unit.remand"))
    return wanted


def _rank(option: FacilityOption, wanted: list[tuple[str, str]]) -> Ranked:
    reasons: list[Reason] = []
    suitable = True
    if option.keep_apart:
        suitable = False
        reasons.append(Reason("facility.keep_apart", values={"n": option.keep_apart}))
    if option.free_places <= 0:
        suitable = False
        reasons.append(Reason("facility.full"))
    else:
        reasons.append(Reason("facility.free", values={"n": option.free_places}))
    for kind, code in wanted:
        if kind in option.unit_kinds:
            reasons.append(Reason(code + ".yes"))
        else:
            reasons.append(Reason(code + ".no"))
            if kind in ("youth", "women", "remand"):
                suitable = False
    if option.distance_km is None:
        reasons.append(Reason("facility.distance_unknown"))
    else:
        reasons.append(
            Reason("facility.distance", "RULES.md § 5", {"km": round(option.distance_km)})
        )
    return Ranked(option, suitable, tuple(reasons))


def recommend(inp: PlacementInput) -> Recommendation:
    """The recommended level and the facilities of that level, the suitable ones first, then by
    how many of the person's unit needs they answer and by distance to home."""
    level, reasons = recommended_level(inp)
    wanted = _wanted_units(inp)
    ranked = [_rank(o, wanted) for o in inp.options]
    kinds = {k for k, _c in wanted}

    def key(r: Ranked) -> tuple[bool, int, float, str]:
        fits = len(kinds & r.option.unit_kinds)
        far = r.option.distance_km if r.option.distance_km is not None else math.inf
        return (not r.suitable, -fits, far, r.option.name)

    ranked.sort(key=key)
    return Recommendation(
        level,
        tuple(reasons),
        tuple(r for r in ranked if r.option.security_level == level),
        tuple(r for r in ranked if r.option.security_level != level),
    )


def decision_level(
    *, sentence_days: int | None, preventive_detention: bool, special_unit: bool, today: dt.date
) -> tuple[str, Reason]:
    """Who decides a transfer: the regional office for sentences over 10 years, preventive
    detention and special high-security units; otherwise the facility."""
    if preventive_detention:
        return "regional", Reason("decide.regional_pd", "RULES.md § 6")
    if special_unit:
        return "regional", Reason("decide.regional_special", "RULES.md § 6")
    limit = parameter_on(REGIONAL_SENTENCE_DAYS, today)
    if sentence_days is not None and sentence_days > limit.value:
        return "regional", Reason("decide.regional_long", limit.source, {"days": sentence_days})
    return "facility", Reason("decide.facility", "RULES.md § 6")


def appeal_deadline(decided_on: dt.date) -> tuple[dt.date, Parameter]:
    """The last day to appeal a transfer decision made known on ``decided_on``."""
    rule = parameter_on(APPEAL_DAYS, decided_on)
    return decided_on + dt.timedelta(days=rule.value), rule


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points, in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))
