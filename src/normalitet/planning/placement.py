"""The placement recommendation of one person, from the database: the legal dates, the current
risk assessment, the needs mapping, where the person lives, non-associations and the free
places of every facility. The rules are in :mod:`normalitet.planning.domain.placement`; this
module gathers their input in a fixed number of queries and turns reasons into text."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from normalitet.core import clock
from normalitet.core.dated import age_on
from normalitet.custody.models import CustodyEpisode, LegalStatus
from normalitet.estate.models import Cell, Facility, Unit, UnitKind
from normalitet.people.models import Gender, NonAssociation, SeparationScope
from normalitet.sentencing.models import Sentence, SentenceKind
from normalitet.sentencing.selectors import calculation_in_force

from .domain import placement as rules
from .models import (
    NeedsItem,
    NeedStatus,
    RiskAssessment,
    RiskFactor,
    TransferCase,
    TransferStatus,
)

TEXTS: dict[str, Any] = {
    "level.remand": _("Held on remand: high security with remand places."),
    "level.no_dates": _(
        "The legal dates are not calculated yet: high security until they are (the default)."
    ),
    "level.default": _(
        "Nothing the law asks to be considered applies yet: high security is the default."
    ),
    "level.risk_keeps_high": _(
        "The risk assessment keeps the person in high security for now; record why on the "
        "pathway if they are eligible for less."
    ),
    "level.high": _("High security."),
    "level.lower": _(
        "Lower security: the least restrictive level that is both to be considered and allowed "
        "by the risk assessment (nobody is held more restrictively than necessary)."
    ),
    "level.halfway": _(
        "Halfway house: the least restrictive level that is both to be considered and allowed "
        "by the risk assessment (nobody is held more restrictively than necessary)."
    ),
    "consider.youth": _(
        "Under 18 (%(age)s years): lower security or a halfway house is always to be considered."
    ),
    "consider.halfway_short": _(
        "A sentence of %(days)s days (up to 1 year): a halfway house is to be considered."
    ),
    "consider.lower_short": _(
        "A sentence of %(days)s days (up to 2 years): lower security is to be considered."
    ),
    "consider.lower_date": _(
        "One year or less before parole eligibility since %(date)s: a transfer to lower "
        "security is to be considered."
    ),
    "risk.missing": _(
        "No current risk assessment: a less restrictive level can only be recommended once "
        "escape and violence risk are assessed."
    ),
    "risk.high": _("Risk assessment: %(area)s judged high."),
    "risk.moderate": _("Risk assessment: %(area)s judged moderate, so not a halfway house."),
    "risk.low": _("Risk assessment: escape and violence judged low."),
    "risk.vulnerable": _("Vulnerability judged high: choose a place with close follow-up."),
    "facility.keep_apart": _("Must be kept apart from %(n)s person(s) held here."),
    "facility.full": _("No free place now."),
    "facility.free": _("%(n)s free place(s)."),
    "facility.distance": _("%(km)s km from home."),
    "facility.distance_unknown": _("Distance to home unknown."),
    "unit.youth.yes": _("Has a youth unit."),
    "unit.youth.no": _("Has no youth unit."),
    "unit.women.yes": _("Has places for women."),
    "unit.women.no": _("Has no places for women."),
    "unit.drug_free.yes": _("Has a drug-free unit, for the need in the needs mapping."),
    "unit.drug_free.no": _("Has no drug-free unit."),
    "unit.remand.yes": _("Has remand places."),
    "unit.remand.no": _("Has no remand places."),
    "decide.regional_pd": _("Preventive detention: the regional office decides."),
    "decide.regional_special": _(
        "Placed in a special high-security unit: the regional office decides."
    ),
    "decide.regional_long": _(
        "A sentence of %(days)s days (over 10 years): the regional office decides."
    ),
    "decide.facility": _("The facility decides."),
}
AREAS = {
    "escape": _("escape"),
    "violence": _("violence"),
}
LEVEL_LABELS = {
    rules.HIGH: _("High security"),
    rules.LOWER: _("Lower security"),
    rules.HALFWAY: _("Halfway house"),
}


def reason_text(code: str, values: dict[str, Any] | None = None) -> str:
    values = dict(values or {})
    if "area" in values:
        values["area"] = AREAS.get(values["area"], values["area"])
    if isinstance(values.get("date"), dt.date):
        values["date"] = values["date"].strftime("%d.%m.%Y")
    return str(TEXTS[code]) % values if values else str(TEXTS[code])


@dataclass(frozen=True)
class ReasonOut:
    code: str
    rule: str
    text: str


def reasons_out(reasons: tuple[rules.Reason, ...] | list[rules.Reason]) -> list[ReasonOut]:
    return [ReasonOut(r.code, r.rule, reason_text(r.code, r.values)) for r in reasons]


def reasons_json(reasons: tuple[rules.Reason, ...] | list[rules.Reason]) -> list[dict[str, Any]]:
    """Reasons as stored in a transfer case: codes and values, so the case can be shown in any
    language later."""
    return [
        {
            "code": r.code,
            "rule": r.rule,
            "values": {
                k: v.isoformat() if isinstance(v, dt.date) else v for k, v in r.values.items()
            },
        }
        for r in reasons
    ]


def stored_reasons(rows: list[dict[str, Any]]) -> list[ReasonOut]:
    out = []
    for row in rows:
        values = dict(row.get("values") or {})
        if isinstance(values.get("date"), str):
            values["date"] = dt.date.fromisoformat(values["date"])
        out.append(ReasonOut(row["code"], row.get("rule", ""), reason_text(row["code"], values)))
    return out


@dataclass(frozen=True)
class SentenceFacts:
    sentence_days: int | None
    preventive_detention: bool
    lower_security_date: dt.date | None


def sentence_facts(person_id: int) -> SentenceFacts:
    """From the person's current calculation: the sentence length, whether it is preventive
    detention, and the date lower security is to be considered (SGL § 14). Two queries."""
    calc = calculation_in_force(person_id=person_id)
    if calc is None:
        return SentenceFacts(None, False, None)
    result = calc.result or {}
    pd = Sentence.objects.filter(
        judgment__execution_id=calc.execution_id, kind=SentenceKind.PREVENTIVE_DETENTION
    ).exists()
    lower = result.get("lower_security_consideration_date")
    return SentenceFacts(
        result.get("sentence_days"), pd, dt.date.fromisoformat(lower) if lower else None
    )


def current_risk(episode_id: int) -> dict[str, str] | None:
    current = RiskAssessment.objects.filter(episode_id=episode_id, superseded_at__isnull=True)
    levels = dict(RiskFactor.objects.filter(assessment__in=current).values_list("area", "level"))
    return levels or None


def open_needs(episode_id: int) -> frozenset[str]:
    return frozenset(
        NeedsItem.objects.filter(
            assessment__episode_id=episode_id,
            status__in=[NeedStatus.NEED, NeedStatus.IN_PROGRESS],
        ).values_list("domain", flat=True)
    )


def facility_options(
    episode: CustodyEpisode, home: tuple[float, float] | None
) -> tuple[tuple[rules.FacilityOption, ...], dict[int, Facility]]:
    """Every other facility in use with its free places (active beds, less the persons held and the
    granted transfers on their way), unit kinds, distance to home and non-associations with
    persons held there. Six queries whatever the size of the estate."""
    facilities = list(
        Facility.objects.filter(is_active=True).select_related("region").order_by("name")
    )
    beds = dict(
        Cell.objects.filter(is_active=True, safe_cell=False, unit__is_active=True)
        .values("unit__facility_id")
        .annotate(n=Sum("capacity"))
        .values_list("unit__facility_id", "n")
    )
    held = dict(
        CustodyEpisode.objects.filter(released_at__isnull=True)
        .values("facility_id")
        .annotate(n=Count("id"))
        .values_list("facility_id", "n")
    )
    coming = dict(
        TransferCase.objects.filter(status=TransferStatus.GRANTED)
        .values("to_facility_id")
        .annotate(n=Count("id"))
        .values_list("to_facility_id", "n")
    )
    kinds: dict[int, set[str]] = defaultdict(set)
    for fid, kind in (
        Unit.objects.filter(is_active=True).values_list("facility_id", "kind").distinct()
    ):
        kinds[fid].add(kind)
    others = NonAssociation.objects.filter(
        Q(person_a_id=episode.person_id) | Q(person_b_id=episode.person_id),
        ended_at__isnull=True,
        scope=SeparationScope.FACILITY,
    ).values_list("person_a_id", "person_b_id")
    other_ids = {a if b == episode.person_id else b for a, b in others}
    apart: dict[int, int] = defaultdict(int)
    if other_ids:
        for fid in CustodyEpisode.objects.filter(
            released_at__isnull=True, person_id__in=other_ids
        ).values_list("facility_id", flat=True):
            apart[fid] += 1
    out = []
    for f in facilities:
        if f.pk == episode.facility_id:
            continue  # not a transfer
        distance = None
        if home is not None and f.latitude is not None and f.longitude is not None:
            distance = rules.distance_km(home, (f.latitude, f.longitude))
        out.append(
            rules.FacilityOption(
                facility_id=f.pk,
                name=f.name,
                security_level=f.security_level,
                free_places=(beds.get(f.pk) or 0) - held.get(f.pk, 0) - coming.get(f.pk, 0),
                unit_kinds=frozenset(kinds.get(f.pk, ())),
                distance_km=distance,
                keep_apart=apart.get(f.pk, 0),
            )
        )
    return tuple(out), {f.pk: f for f in facilities}


@dataclass
class Placement:
    """The recommendation with what it was made from, for the page and the API."""

    recommendation: rules.Recommendation
    home: Any  # the home municipality, or None
    current_level: str
    decision_level: str
    decision_reason: rules.Reason
    facilities: dict[int, Facility]

    @property
    def level_label(self) -> Any:
        return LEVEL_LABELS[self.recommendation.level]

    @property
    def reasons(self) -> list[ReasonOut]:
        return reasons_out(self.recommendation.reasons)

    @property
    def decided_by_text(self) -> str:
        return reason_text(self.decision_reason.code, self.decision_reason.values)

    @property
    def current_level_label(self) -> Any:
        return LEVEL_LABELS[self.current_level]

    def rows(self) -> list[tuple[Facility, rules.Ranked, list[ReasonOut]]]:
        return [
            (self.facilities[r.option.facility_id], r, reasons_out(r.reasons))
            for r in self.recommendation.facilities
        ]


def placement_for(*, episode: CustodyEpisode, today: dt.date | None = None) -> Placement:
    """The placement recommendation for the person of an open custody episode."""
    today = today or clock.today()
    person = episode.person
    municipality = person.home_municipality
    home = (municipality.latitude, municipality.longitude) if municipality else None
    facts = sentence_facts(person.pk)
    risk = current_risk(episode.pk)
    current = episode.facility
    unit_kind = episode.unit.kind if episode.unit_id and episode.unit else None
    options, facilities = facility_options(episode, home)
    inp = rules.PlacementInput(
        today=today,
        remand=episode.legal_status == LegalStatus.REMAND,
        age=age_on(person.birth_date, today),
        women=person.gender == Gender.FEMALE,
        sentence_days=facts.sentence_days,
        preventive_detention=facts.preventive_detention
        or episode.legal_status == LegalStatus.PREVENTIVE_DETENTION,
        lower_security_date=facts.lower_security_date,
        risk=risk,
        needs=open_needs(episode.pk),
        options=options,
    )
    level, why = rules.decision_level(
        sentence_days=facts.sentence_days,
        preventive_detention=inp.preventive_detention,
        special_unit=unit_kind == UnitKind.SPECIAL_HIGH,
        today=today,
    )
    return Placement(
        recommendation=rules.recommend(inp),
        home=municipality,
        current_level=current.security_level,
        decision_level=level,
        decision_reason=why,
        facilities=facilities,
    )
