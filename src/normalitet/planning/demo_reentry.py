"""Synthetic reentry coordination for the demo: referrals to outside partners for persons
expected to be released within about eight months, further along the closer the release, in
step with their needs mapping; and answers on consent to coordination (SGL § 41) for those
under 25. Deterministic (fixed seed); a second run adds nothing; no query per person."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef

from normalitet.core import clock
from normalitet.custody.models import CustodyEpisode

from . import checks
from .domain import readiness, rules
from .models import (
    CoordinationConsent,
    NeedsItem,
    NeedStatus,
    Partner,
    ReadinessArea,
    Referral,
    ReferralStatus,
)

HORIZON_DAYS = 243  # about eight months ahead

# (partner, office or organisation, what for) per area.
REFERRALS: dict[str, list[tuple[str, str, str]]] = {
    ReadinessArea.HOUSING: [
        (Partner.HOUSING, "Boligkontoret i Fjellvik kommune", "Søknad om kommunal bolig"),
        (Partner.HOUSING, "Boligtjenesten i Sandnes kommune", "Midlertidig bolig fra løslatelsen"),
        (Partner.NAV, "NAV Sandnes", "Hjelp til depositum og husleie første måned"),
        (Partner.NGO, "Kirkens Bymisjon", "Botrening og hjelp til å finne leilighet"),
    ],
    ReadinessArea.INCOME: [
        (Partner.NAV, "NAV Grünerløkka", "Avklare arbeidsavklaringspenger fra løslatelsen"),
        (Partner.NAV, "NAV Sandnes", "Søknad om økonomisk sosialhjelp første måned"),
        (Partner.NAV, "NAV Fjellvik", "Arbeidsrettet oppfølging og arbeidstrening"),
        (Partner.EMPLOYER, "Fjellvik Bygg AS", "Prøvetid som tømrerlærling etter løslatelsen"),
        (Partner.EDUCATION, "Fjellvik videregående skole", "Fullføre Vg2 fra høsten"),
    ],
    ReadinessArea.CARE: [
        (Partner.HEALTH, "Fjellvik kommune, helse og omsorg", "Fastlege og oppfølging ute"),
        (Partner.HEALTH, "Sandnes kommune, rus og psykisk helse", "Oppfølging fra kommunen"),
        (Partner.NGO, "Blå Kors", "Samtaletilbud etter løslatelsen"),
    ],
    ReadinessArea.ID_BANK: [
        (Partner.NAV, "NAV Fjellvik", "Hjelp til å opprette bankkonto og BankID"),
        (Partner.NGO, "Kirkens Bymisjon", "Følge til politiet for å søke om nytt pass"),
    ],
    ReadinessArea.NETWORK: [
        (Partner.NGO, "Røde Kors, Nettverk etter soning", "Frivillig kontaktperson ute"),
        (Partner.NGO, "Wayback", "Møte en medvandrer før løslatelsen"),
        (Partner.NGO, "Kirkens Bymisjon", "Møteplass og aktiviteter etter løslatelsen"),
    ],
}
COORDINATORS = [
    "NAV Grünerløkka, veileder Kari Hansen",
    "NAV Sandnes, veileder Ali Rahimi",
    "NAV Fjellvik, ungdomsveileder Ingrid Berg",
    "Fjellvik kommune, koordinator Jonas Lie",
]
DECLINE_NOTES: dict[str, str] = {
    ReferralStatus.DECLINED: "Ikke ledig plass nå; ny søknad sendes.",
    ReferralStatus.WITHDRAWN: "Personen ønsket en annen løsning.",
}


def _needing(items: dict[str, str], area: str) -> bool:
    """Whether the needs mapping shows a need in the area (a need, or being addressed)."""
    return any(
        items.get(d) in (NeedStatus.NEED, NeedStatus.IN_PROGRESS)
        for d in readiness.AREA_DOMAINS[area]
    )


def _status(rng: random.Random, days_left: int) -> str:
    """Further along the closer the release."""
    if days_left < 60:
        weights = [1, 1, 3, 6, 1, 1]
    elif days_left < 150:
        weights = [3, 3, 3, 2, 1, 1]
    else:
        weights = [6, 2, 1, 0, 0, 1]
    return rng.choices(list(ReferralStatus), weights)[0]


def seed_reentry(*, seed: int) -> dict[str, int]:
    """Referrals and consents for everyone in custody expected to be released within about
    eight months who has none yet. Each person's data depends only on the seed, the person
    and the day, so a second call adds nothing."""
    now = clock.now()
    today = clock.today()
    episodes = list(
        CustodyEpisode.objects.filter(
            released_at__isnull=True,
            expected_release_date__gte=today,
            expected_release_date__lte=today + dt.timedelta(days=HORIZON_DAYS),
        )
        .exclude(Exists(Referral.objects.filter(episode_id=OuterRef("pk"))))
        .exclude(Exists(CoordinationConsent.objects.filter(episode_id=OuterRef("pk"))))
        .select_related("person")
        .only("pk", "person_id", "admitted_at", "expected_release_date", "person__birth_date")
        .order_by("pk")
    )
    needs: dict[int, dict[str, str]] = defaultdict(dict)
    items = NeedsItem.objects.filter(
        assessment__episode__released_at__isnull=True,
        assessment__episode__expected_release_date__gte=today,
        assessment__episode__expected_release_date__lte=today + dt.timedelta(days=HORIZON_DAYS),
    ).values_list("assessment__episode_id", "domain", "status")
    for episode_id, domain, status in items:
        needs[episode_id][domain] = status
    referrals: list[Referral] = []
    consents: list[CoordinationConsent] = []
    for e in episodes:
        assert e.expected_release_date is not None  # filtered above
        # One generator per person: a person who got nothing gets nothing on a second run.
        rng = random.Random(seed * 1_000_003 + e.pk)  # noqa: S311 (demo data, not secrets)
        days_left = (e.expected_release_date - today).days
        admitted_on = checks.admitted_on(e)
        window_opens = rules.readiness_window_opens(e.expected_release_date, today)
        for area in ReadinessArea:
            if not _needing(needs[e.pk], area) or rng.random() < 0.25:
                continue
            earliest = max(admitted_on, window_opens - dt.timedelta(days=30))
            if earliest > today:
                continue
            referrals.append(_referral(rng, e, area, earliest, today, days_left, now))
        if rules.under_section_41_age(e.person.birth_date, today):
            consent = _consent(rng, e, admitted_on, today, now)
            if consent is not None:
                consents.append(consent)
    with transaction.atomic():
        Referral.objects.bulk_create(referrals, batch_size=2000)
        CoordinationConsent.objects.bulk_create(consents, batch_size=2000)
    return {"referrals": len(referrals), "coordination_consents": len(consents)}


def _referral(
    rng: random.Random,
    e: Any,
    area: str,
    earliest: dt.date,
    today: dt.date,
    days_left: int,
    now: dt.datetime,
) -> Referral:
    partner, name, purpose = rng.choice(REFERRALS[area])
    sent_on = earliest + dt.timedelta(days=rng.randint(0, (today - earliest).days))
    status = _status(rng, days_left)
    status_on = (
        sent_on
        if status == ReferralStatus.SENT
        else sent_on + dt.timedelta(days=rng.randint(0, (today - sent_on).days))
    )
    meeting = status in (ReferralStatus.ACCEPTED, ReferralStatus.IN_PLACE)
    return Referral(
        episode=e,
        person_id=e.person_id,
        partner=partner,
        partner_name=name,
        area=area,
        purpose=purpose,
        sent_on=sent_on,
        status=status,
        status_on=status_on,
        meeting_on=e.expected_release_date if meeting else None,
        note=DECLINE_NOTES.get(status, ""),
        created_at=now,
        updated_at=now,
    )


def _consent(
    rng: random.Random, e: Any, admitted_on: dt.date, today: dt.date, now: dt.datetime
) -> CoordinationConsent | None:
    """Most persons under 25 consent; some do not; some have not been asked yet."""
    answer = rng.choices(["yes", "no", "none"], [7, 2, 1])[0]
    if answer == "none":
        return None
    given_on = admitted_on + dt.timedelta(days=rng.randint(0, max(0, (today - admitted_on).days)))
    given_on = min(given_on, today)
    return CoordinationConsent(
        episode=e,
        person_id=e.person_id,
        consents=answer == "yes",
        given_on=given_on,
        coordinator=rng.choice(COORDINATORS) if answer == "yes" else "",
        note="" if answer == "yes" else "Ønsker å ordne dette selv.",
        recorded_at=now,
    )
