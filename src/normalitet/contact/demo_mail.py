"""Synthetic court orders and mail for the demo (STRPL §§ 186, 186 a; SGL § 30).

Court orders for about a third of the persons on remand: bans on visits and letters in 4-week
steps from the remand (2 weeks for under-18s), some with visits and letters only under police
control or a media ban, a few isolated from a co-accused held in another prison, and full
isolation for a few adults in 14-day steps whose continuous total stays within the legal
maximum of their offence — alone in their cell. Some orders expire this week.

About three weeks of mail per facility: letters in and out, some parcels (contents controlled),
lawyers' letters opened in the person's presence with a witness, a few withheld with reasons,
post under a letter ban withheld with the order as the reason, and some items of today still to
handle. The same rules as :mod:`.mail` and :mod:`.court_orders`.

Rows are written in bulk. Idempotent: court orders are made only if there are none; mail only
for facilities without any.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from normalitet.core import clock
from normalitet.custody.models import CustodyEpisode, LegalStatus
from normalitet.demo.names import norwegian_name
from normalitet.estate.models import SecurityLevel
from normalitet.identity.models import User
from normalitet.identity.roles import Role

from .domain.rules import ISOLATION_RULES, age_on, in_force
from .models import (
    Contact,
    ContactStatus,
    CourtRestriction,
    MailDirection,
    MailItem,
    MailKind,
    MailStatus,
    Relationship,
    RestrictionKind,
)

K = RestrictionKind
S = MailStatus
MAIL_DAYS = 21
COURTS = (
    "Oslo tingrett", "Bergen tingrett", "Trøndelag tingrett", "Sør-Rogaland tingrett",
    "Agder tingrett", "Vestfold tingrett", "Nord-Troms og Senja tingrett",
    "Romerike og Glåmdal tingrett",
)  # fmt: skip
# The kinds ordered together for one person, and how often.
COMBINATIONS: tuple[tuple[tuple[str, ...], int], ...] = (
    ((K.VISIT_BAN, K.LETTER_BAN), 45),
    ((K.VISITS_POLICE, K.LETTERS_POLICE), 20),
    ((K.VISIT_BAN,), 12),
    ((K.LETTER_BAN, K.MEDIA_BAN), 10),
    ((K.VISIT_BAN, K.LETTER_BAN, K.MEDIA_BAN), 8),
)
WITHHELD_REASONS = (
    "Inneholdt rusmidler",
    "Inneholdt trusler mot vitne",
    "Inneholdt kontanter",
    "Inneholdt planer om rømning",
)
PASSED_REASONS = ("Kontroll frafalt etter vurdering (SGL § 30)",)
PARCEL_CONTENTS = (
    "Klær (to gensere, sokker)",
    "Bøker (tre romaner)",
    "Fotografier og tegninger fra barna",
    "Joggesko",
    "Strikketøy og garn",
)


@dataclass
class _Stay:
    episode_id: int
    person_id: int
    facility_id: int
    status: str
    admitted: dt.date
    birth: dt.date
    high: bool
    cell_id: int | None

    def age(self, day: dt.date) -> int:
        return age_on(self.birth, day)


def _stays(today: dt.date) -> list[_Stay]:
    rows = CustodyEpisode.objects.filter(
        released_at__isnull=True, facility__is_active=True
    ).values_list(
        "pk", "person_id", "facility_id", "legal_status", "admitted_at", "person__birth_date",
        "unit__security_level", "facility__security_level", "cell_id",
    )  # fmt: skip
    return [
        _Stay(pk, person, fac, status, admitted.astimezone(clock.OSLO).date(), birth,
              (unit_level or fac_level) == SecurityLevel.HIGH, cell)
        for pk, person, fac, status, admitted, birth, unit_level, fac_level, cell in sorted(rows)
    ]  # fmt: skip


def _staff(role: str) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    for pk, fid in (
        User.objects.filter(role=role, is_active=True, facility__isnull=False)
        .order_by("pk")
        .values_list("pk", "facility_id")
    ):
        found[fid].append(pk)
    return found


def _case_number(rng: random.Random, year: int) -> str:
    court = rng.choice(["OTIR", "BERG", "TRON", "SRTI"])
    return f"{year % 100:02d}-{rng.randint(10_000, 199_999):06d}MED-{court}/{rng.randint(1, 9):02d}"


# --- Court orders -------------------------------------------------------------------------------


def _steps(start: dt.date, today: dt.date, days: int, keep: int) -> list[tuple[dt.date, dt.date]]:
    """Orders of ``days`` each from ``start`` up to the one in force today (the last ``keep``)."""
    n = (today - start).days // days
    found = [
        (start + dt.timedelta(days=days * k), start + dt.timedelta(days=days * (k + 1) - 1))
        for k in range(n + 1)
    ]
    return found[-keep:]


def seed_orders(*, rng: random.Random, today: dt.date) -> dict[str, int]:
    """Court orders for about a third of the persons on remand (none if there are orders)."""
    if CourtRestriction.objects.exists():
        return {"court_orders": 0, "full_isolation": 0, "isolation_named": 0}
    stays = [s for s in _stays(today) if s.status == LegalStatus.REMAND]
    if not stays:
        return {"court_orders": 0, "full_isolation": 0, "isolation_named": 0}
    managers = _staff(Role.CASE_MANAGER)
    occupants = Counter(s.cell_id for s in _stays(today) if s.cell_id is not None)
    rules = in_force(ISOLATION_RULES, today)
    # Full isolation for a few adults alone in their cell, remanded recently enough that the
    # continuous total stays within the maximum of the offence (here: at least 6 weeks).
    candidates = [
        s
        for s in stays
        if s.age(today) >= 18
        and (s.cell_id is None or occupants[s.cell_id] <= 1)
        and (today - s.admitted).days < rules.max_weeks_low * 7
    ]
    isolated = rng.sample(candidates, min(len(candidates), max(1, len(stays) // 60)))
    rest = [s for s in stays if s not in isolated]
    chosen = isolated + rng.sample(rest, max(0, round(len(stays) / 3) - len(isolated)))
    rows: list[CourtRestriction] = []
    named: list[tuple[int, int]] = []  # (index of the order in rows, named person)
    counts: Counter[str] = Counter()

    def add(
        s: _Stay, kind: str, start: dt.date, end: dt.date, case: str, court: str, **kw: Any
    ) -> None:
        rows.append(
            CourtRestriction(
                person_id=s.person_id, episode_id=s.episode_id, kind=kind, court=court,
                case_number=case, ordered_on=start, starts_on=start, ends_on=end,
                recorded_by_id=next(iter(managers.get(s.facility_id, [])), None), **kw,
            )
        )  # fmt: skip
        counts[kind] += 1

    kinds = [c for c, _w in COMBINATIONS]
    weights = [w for _c, w in COMBINATIONS]
    by_facility: dict[int, list[_Stay]] = defaultdict(list)
    for s in stays:
        by_facility[s.facility_id].append(s)
    for s in chosen:
        court = rng.choice(COURTS)
        case = _case_number(rng, s.admitted.year)
        minor = s.age(today) < 18
        step = 7 * (rules.remand_order_weeks_under_18 if minor else rules.remand_order_weeks)
        if s in isolated:
            years = rng.choice((6, 10, 15, 21))
            for start, end in _steps(s.admitted, today, rules.step_days, keep=6):
                add(s, K.FULL_ISOLATION, start, end, case, court, offence_max_years=years,
                    note="Fare for bevisforspillelse")  # fmt: skip
            counts["isolated_persons"] += 1
        for kind in rng.choices(kinds, weights)[0]:
            for start, end in _steps(s.admitted, today, step, keep=2):
                add(s, kind, start, end, case, court)
        # A co-accused held in another prison: kept apart (about one in twelve).
        others = [o for f, group in by_facility.items() if f != s.facility_id for o in group[:40]]
        if others and rng.random() < 1 / 12:
            other = rng.choice(others)
            for start, end in _steps(s.admitted, today, step, keep=1):
                add(s, K.ISOLATION_NAMED, start, end, case, court, note="Medsiktet i samme sak")
                named.append((len(rows) - 1, other.person_id))
    with transaction.atomic():
        made = CourtRestriction.objects.bulk_create(rows, batch_size=2000)
        through = CourtRestriction.named_persons.through
        through.objects.bulk_create(
            [through(courtrestriction_id=made[i].pk, person_id=p) for i, p in named],
            batch_size=2000,
        )
    return {
        "court_orders": len(made),
        "full_isolation": counts["isolated_persons"],
        "isolation_named": len(named),
    }


# --- Mail ---------------------------------------------------------------------------------------


def _in_force(orders: list[tuple[str, dt.date, dt.date]], kind: str, day: dt.date) -> bool:
    return any(k == kind and a <= day <= b for k, a, b in orders)


def seed_mail(*, rng: random.Random, today: dt.date) -> dict[str, int]:
    """About three weeks of mail for every facility without any."""
    now = clock.now()
    done = set(MailItem.objects.values_list("episode__facility_id", flat=True).distinct())
    stays = [s for s in _stays(today) if s.facility_id not in done]
    if not stays:
        return {"mail_items": 0, "mail_to_handle": 0}
    officers = _staff(Role.OFFICER)
    orders: dict[int, list[tuple[str, dt.date, dt.date]]] = defaultdict(list)
    for person, kind, a, b, lifted in CourtRestriction.objects.filter(
        person_id__in=[s.person_id for s in stays], kind__in=[K.LETTER_BAN, K.LETTERS_POLICE]
    ).values_list("person_id", "kind", "starts_on", "ends_on", "lifted_on"):
        end = b if lifted is None else min(b, lifted - dt.timedelta(days=1))
        orders[person].append((kind, a, end))
    contacts: dict[int, list[tuple[int, str, bool, bool]]] = defaultdict(list)
    for pk, person, given, family, relationship in Contact.objects.filter(
        person_id__in=[s.person_id for s in stays], status=ContactStatus.APPROVED
    ).values_list(
        "pk", "person_id", "visitor__given_names", "visitor__family_name", "relationship"
    ):
        contacts[person].append(
            (pk, f"{given} {family}", relationship in (Relationship.LAWYER, Relationship.OFFICIAL),
             relationship in (Relationship.PARTNER, Relationship.CHILD, Relationship.PARENT,
                              Relationship.SIBLING))
        )  # fmt: skip
    rows: list[MailItem] = []
    to_handle = 0
    first = today - dt.timedelta(days=MAIL_DAYS)
    for s in stays:
        staff: list[int | None] = [*officers.get(s.facility_id, [])] or [None]
        mine = contacts.get(s.person_id, [])
        lawyers = [c for c in mine if c[2]]
        others = [c for c in mine if not c[2]]
        day = max(first, s.admitted)
        while day <= today:
            # About two letters a week in, one and a half out; a parcel now and then; a lawyer's
            # letter weekly or so for persons on remand.
            remand = s.status == LegalStatus.REMAND
            chances = [
                (MailDirection.IN, MailKind.LETTER, False, 0.28),
                (MailDirection.OUT, MailKind.LETTER, False, 0.2),
                (MailDirection.IN, MailKind.PARCEL, False, 0.03),
                (MailDirection.IN, MailKind.LETTER, True, 0.15 if remand else 0.03),
                (MailDirection.OUT, MailKind.LETTER, True, 0.08 if remand else 0.01),
            ]
            for direction, kind, privileged, chance in chances:
                if day.weekday() >= 5 and direction == MailDirection.IN:
                    continue  # no post at weekends
                if rng.random() >= chance:
                    continue
                mine_orders = orders.get(s.person_id, [])
                item, open_ = _item(rng, s, day, today, now, direction, kind, privileged,
                                    lawyers, others, mine_orders, staff)  # fmt: skip
                rows.append(item)
                to_handle += open_
            day += dt.timedelta(days=1)
    with transaction.atomic():
        made = MailItem.objects.bulk_create(rows, batch_size=2000)
    return {"mail_items": len(made), "mail_to_handle": to_handle}


def _item(
    rng: random.Random,
    s: _Stay,
    day: dt.date,
    today: dt.date,
    now: dt.datetime,
    direction: str,
    kind: str,
    privileged: bool,
    lawyers: list[tuple[int, str, bool, bool]],
    others: list[tuple[int, str, bool, bool]],
    orders: list[tuple[str, dt.date, dt.date]],
    staff: list[int | None],
) -> tuple[MailItem, int]:
    """One item and whether it is still to handle, by the rules of :mod:`.mail`."""
    contact_id: int | None = None
    closest = False
    if privileged:
        if lawyers:
            contact_id, counterpart, _p, _c = rng.choice(lawyers)
        else:
            first, last = norwegian_name(rng, rng.random() < 0.5)
            counterpart = f"Advokat {first} {last}"
    elif others and rng.random() < 0.7:
        contact_id, counterpart, _p, closest = rng.choice(others)
    else:
        first, last = norwegian_name(rng, rng.random() < 0.6)
        counterpart = f"{first} {last}"
    hour = rng.randint(9, 14) if direction == MailDirection.IN else rng.randint(15, 20)
    logged_at = dt.datetime.combine(day, dt.time(hour, rng.randint(0, 59)), tzinfo=clock.OSLO)
    if logged_at > now:
        logged_at = now - dt.timedelta(minutes=rng.randint(5, 90))
    officer = rng.choice(staff)
    item = MailItem(
        person_id=s.person_id, episode_id=s.episode_id, direction=direction, kind=kind,
        counterpart=counterpart, contact_id=contact_id, privileged=privileged,
        logged_at=logged_at, logged_by_id=officer,
    )  # fmt: skip
    if day == today and rng.random() < 0.6:
        item.status = S.LOGGED  # still to handle today
        if kind == MailKind.PARCEL:
            item.contents = rng.choice(PARCEL_CONTENTS)
        return item, 1
    finish = S.DELIVERED if direction == MailDirection.IN else S.SENT
    item.handled_at = min(logged_at + dt.timedelta(hours=rng.randint(1, 5)), now)
    item.handled_by_id = officer
    exempt = closest and s.age(day) < 18
    if privileged:
        item.status = finish  # opened in the person's presence, never read
        item.witness = f"Betjent {norwegian_name(rng, rng.random() < 0.5)[1]}"
        return item, 0
    if _in_force(orders, K.LETTER_BAN, day) and not exempt:
        ban = next(o for o in orders if o[0] == K.LETTER_BAN and o[1] <= day <= o[2])
        item.status = S.WITHHELD if rng.random() < 0.85 else S.RETURNED
        item.reason = f"Holdt tilbake etter rettens brev- og besøksforbud til {ban[2]:%d.%m.%Y}."
        return item, 0
    if kind == MailKind.PARCEL:
        item.contents = rng.choice(PARCEL_CONTENTS)
        item.contents_controlled = True
    if rng.random() < 0.015:
        item.status = S.WITHHELD
        item.reason = rng.choice(WITHHELD_REASONS)
        return item, 0
    if _in_force(orders, K.LETTERS_POLICE, day) and not exempt:
        item.status = finish  # via the police, who cleared it
        item.reason = "Kontrollert av politiet"
        return item, 0
    if s.high or kind == MailKind.PARCEL:
        if kind == MailKind.LETTER and rng.random() < 0.03:
            item.reason = rng.choice(PASSED_REASONS)
    item.status = finish
    return item, 0


def seed_mail_and_orders(*, rng: random.Random, today: dt.date) -> dict[str, int]:
    """Court orders first (visits and the regime read them), then the mail."""
    counts = seed_orders(rng=rng, today=today)
    counts |= seed_mail(rng=rng, today=today)
    return counts
