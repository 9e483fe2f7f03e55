"""Synthetic family contact for the demo (SGL §§ 30-32; SGF §§ 3-28, 3-29; STRPL § 186): visit
rooms and times, visitors with 1-5 contacts per person in custody (partners, children, parents,
siblings, friends; a defence lawyer for most persons on remand), visitor lists within the
maximum, police checks, phone numbers and each facility's phone setting, court orders and mail,
three weeks of call records, the family portal's demo login and the visits booked.

Deterministic: one generator per facility from the seed and the facility's code. A person who
has contacts already is left alone (so are a facility's setting and call records), so a second
call adds nothing. Rows are written in bulk: the national demo (about 3,100 persons in 57
facilities) takes a few seconds.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from normalitet.core import clock
from normalitet.custody.models import CustodyEpisode, LegalStatus
from normalitet.demo.names import NO_FAMILY, norwegian_name
from normalitet.estate.models import Facility, SecurityLevel
from normalitet.identity.models import User
from normalitet.identity.roles import Role

from .domain.rules import PHONE_RULES, VISIT_RULES, age_on, in_force, police_check_expiry
from .models import (
    CLOSEST_FAMILY,
    PRIVILEGED,
    CallImport,
    CallRecord,
    Contact,
    ContactStatus,
    CourtRestriction,
    PhoneNumber,
    PhoneSetting,
    PhoneStatus,
    PoliceCheck,
    PoliceCheckStatus,
    Relationship,
    RestrictionKind,
    Visitor,
)

R = Relationship
WEEKS_OF_CALLS = 3
LAW_FIRMS = (
    "Advokatfirmaet Lund & Berg", "Advokatfirmaet Strand", "Forsvarergruppen DA",
    "Advokatkontoret Haugen", "Advokatfirmaet Nygård og Moe", "Elden Advokat AS",
    "Advokatfirmaet Fjeld", "Advokatene i Sentrum",
)  # fmt: skip
STREETS = (
    "Storgata", "Kirkeveien", "Skolegata", "Parkveien", "Fjellveien", "Sjøgata", "Bakkeveien",
    "Løkkeveien", "Elveveien", "Granittveien", "Bjørkeveien", "Solbakken",
)  # fmt: skip
# What a visitor writes with a request, by the relationship they give.
REQUEST_NOTES = {
    "friend": ("Vi er venner fra skolen.", "Kollega fra jobben.", ""),
    "other_family": ("Jeg er tante.", "Vi er søskenbarn.", ""),
}
REFUSALS = ("Politiattesten viser forhold som gjør besøk uforsvarlig.",)


@dataclass
class _Plan:
    """One contact to make: the visitor's details and the relationship."""

    relationship: str
    given: str
    family: str
    birth: dt.date
    status: str = ContactStatus.APPROVED
    via_portal: bool = False
    note: str = ""
    lawyer: int | None = None  # index into the facility's lawyers


@dataclass
class _Facility:
    pk: int
    code: str
    level: str
    episodes: list[Any] = field(default_factory=list)


def _birth(rng: random.Random, today: dt.date, age: int) -> dt.date:
    return today - dt.timedelta(days=365 * max(age, 0) + rng.randint(0, 364))


def _phone(rng: random.Random, used: set[str]) -> str:
    while True:
        number = f"+47{rng.choice('49')}{rng.randint(0, 9_999_999):07d}"
        if number not in used:
            used.add(number)
            return number


def _plans(rng: random.Random, ep: Any, today: dt.date) -> list[_Plan]:
    """The contacts of one person: their family by age, a friend or two, and a lawyer."""
    person = ep.person
    age = age_on(person.birth_date, today)
    male = person.gender != "female"
    own = person.family_name
    plans: list[_Plan] = []
    if age >= 20 and rng.random() < 0.55:
        given, family = norwegian_name(rng, male)
        plans.append(
            _Plan(R.PARTNER, given, own if rng.random() < 0.4 else family,
                  _birth(rng, today, age + rng.randint(-6, 4)))
        )  # fmt: skip
    if age >= 22 and rng.random() < 0.45:
        for _i in range(rng.choice((1, 1, 2, 2, 3))):
            given, _family = norwegian_name(rng, rng.random() < 0.5)
            child_age = rng.randint(1, min(age - 19, 25))
            plans.append(_Plan(R.CHILD, given.split()[0], own, _birth(rng, today, child_age)))
    if age < 50 and rng.random() < 0.6:
        given, _family = norwegian_name(rng, rng.random() < 0.6)
        plans.append(_Plan(R.PARENT, given, own, _birth(rng, today, age + rng.randint(22, 34))))
    if rng.random() < 0.3:
        given, _family = norwegian_name(rng, rng.random() < 0.5)
        plans.append(_Plan(R.SIBLING, given, own, _birth(rng, today, age + rng.randint(-8, 8))))
    if rng.random() < 0.3:
        given, family = norwegian_name(rng, rng.random() < 0.5)
        plans.append(_Plan(R.FRIEND, given, family, _birth(rng, today, age + rng.randint(-5, 5))))
    if rng.random() < 0.08:
        given, family = norwegian_name(rng, rng.random() < 0.5)
        relationship = rng.choice((R.FRIEND, R.OTHER_FAMILY))
        plans.append(
            _Plan(relationship, given, family,
                  _birth(rng, today, rng.randint(20, 70)), ContactStatus.REQUESTED, True,
                  rng.choice(REQUEST_NOTES[relationship]))
        )  # fmt: skip
    rng.shuffle(plans)
    lawyer_chance = 0.9 if ep.legal_status == LegalStatus.REMAND else 0.15
    keep = 4 if rng.random() < lawyer_chance else 5
    plans = plans[:keep]
    if keep == 4:
        plans.append(_Plan(R.LAWYER, "", "", today, lawyer=0))
    if not plans:  # everyone has someone
        given, _family = norwegian_name(rng, True)
        plans.append(_Plan(R.SIBLING, given, own, _birth(rng, today, age + rng.randint(-8, 8))))
    return plans


def _lawyers(rng: random.Random, today: dt.date, n: int) -> list[Visitor]:
    found = []
    for _i in range(n):
        given, family = norwegian_name(rng, rng.random() < 0.5)
        found.append(
            Visitor(given_names=given, family_name=family,
                    birth_date=_birth(rng, today, rng.randint(30, 65)),
                    organisation=rng.choice(LAW_FIRMS),
                    email=f"{given.split()[0].lower()}.{family.lower()}@advokat.example",
                    phone=f"+472{rng.randint(1_000_000, 9_999_999)}")
        )  # fmt: skip
    return found


def _list_contacts(contacts: list[Contact], limit: int) -> None:
    """The visitor list within its maximum: the closest family (one entry), then others."""
    entries = 0
    family = False
    for c in contacts:
        if c.status != ContactStatus.APPROVED or c.relationship in PRIVILEGED:
            continue
        if c.relationship in CLOSEST_FAMILY:
            if not family and entries >= limit:
                continue
            entries += 0 if family else 1
            family = True
            c.on_visitor_list = True
        elif entries < limit:
            entries += 1
            c.on_visitor_list = True


def _facilities() -> list[_Facility]:
    found: dict[int, _Facility] = {}
    for f in Facility.objects.filter(is_active=True).order_by("pk"):
        found[f.pk] = _Facility(f.pk, f.code, f.security_level)
    done = set(Contact.objects.values_list("person_id", flat=True).distinct())
    for ep in (
        CustodyEpisode.objects.filter(released_at__isnull=True, facility_id__in=list(found))
        .select_related("person")
        .order_by("pk")
    ):
        if ep.person_id not in done:
            found[ep.facility_id].episodes.append(ep)
    return [f for f in found.values() if f.episodes]


def _seed_people(seed: int, today: dt.date) -> dict[str, int]:
    """Visitors, contacts, visitor lists, police checks and phone numbers."""
    rules = in_force(VISIT_RULES, today)
    counts = dict.fromkeys(("visitors", "contacts", "police_checks", "phone_numbers"), 0)
    for fac in _facilities():
        rng = random.Random(f"{seed}:contact:{fac.code}")
        used: set[str] = set()
        lawyers = _lawyers(rng, today, max(3, math.ceil(len(fac.episodes) / 12)))
        plans = {ep.pk: _plans(rng, ep, today) for ep in fac.episodes}
        visitors = list(lawyers)
        for ep in fac.episodes:
            for p in plans[ep.pk]:
                if p.relationship == R.LAWYER:
                    p.lawyer = rng.randrange(len(lawyers))
                    continue
                adult = age_on(p.birth, today) >= 18
                visitors.append(
                    Visitor(given_names=p.given, family_name=p.family, birth_date=p.birth,
                            phone=_phone(rng, used) if adult else "",
                            address=f"{rng.choice(STREETS)} {rng.randint(1, 120)}")
                )  # fmt: skip
        with transaction.atomic():
            Visitor.objects.bulk_create(visitors, batch_size=1000)
            contacts: list[Contact] = []
            family_iter = iter(visitors[len(lawyers) :])
            by_person: dict[int, list[Contact]] = {}
            for ep in fac.episodes:
                mine = []
                for p in plans[ep.pk]:
                    v = lawyers[p.lawyer or 0] if p.relationship == R.LAWYER else next(family_iter)
                    approved = p.status == ContactStatus.APPROVED
                    mine.append(
                        Contact(person_id=ep.person_id, visitor=v, relationship=p.relationship,
                                status=p.status, requested_via_portal=p.via_portal, note=p.note,
                                decided_at=clock.now() if approved else None,
                                supervision_waived=fac.level == SecurityLevel.HIGH
                                and p.relationship == R.CHILD and rng.random() < 0.2)
                    )  # fmt: skip
                by_person[ep.person_id] = mine
                contacts.extend(mine)
            checks = _checks(rng, fac, by_person, today, rules.police_check_from_age)
            for mine in by_person.values():
                _list_contacts(mine, rules.visitor_list_max)
            Contact.objects.bulk_create(contacts, batch_size=1000)
            PoliceCheck.objects.bulk_create(checks, batch_size=1000)
            numbers = _numbers(rng, by_person)
            PhoneNumber.objects.bulk_create(numbers, batch_size=1000)
        counts["visitors"] += len(visitors)
        counts["contacts"] += len(contacts)
        counts["police_checks"] += len(checks)
        counts["phone_numbers"] += len(numbers)
    return counts


def _checks(
    rng: random.Random,
    fac: _Facility,
    by_person: dict[int, list[Contact]],
    today: dt.date,
    from_age: int,
) -> list[PoliceCheck]:
    """Most visitors from 15 cleared within the last year; some waiting, a few refused (those
    stay off the visitor list: they cannot visit)."""
    checks = []
    seen: set[int] = set()
    for mine in by_person.values():
        for c in mine:
            v = c.visitor
            if c.privileged or v.pk in seen or age_on(v.birth_date, today) < from_age:
                continue
            seen.add(v.pk)
            roll = rng.random()
            if c.status == ContactStatus.REQUESTED or roll < 0.08:
                asked = today - dt.timedelta(days=rng.randint(2, 40))
                checks.append(PoliceCheck(visitor=v, facility_id=fac.pk, requested_on=asked))
            elif roll < 0.11:
                decided = today - dt.timedelta(days=rng.randint(10, 200))
                checks.append(
                    PoliceCheck(visitor=v, facility_id=fac.pk, status=PoliceCheckStatus.REFUSED,
                                requested_on=decided - dt.timedelta(days=rng.randint(7, 25)),
                                decided_on=decided, note=rng.choice(REFUSALS))
                )  # fmt: skip
                c.status = ContactStatus.REFUSED
                c.decision_reason = rng.choice(REFUSALS)
            elif roll < 0.97:
                decided = today - dt.timedelta(days=rng.randint(14, 320))
                checks.append(
                    PoliceCheck(visitor=v, facility_id=fac.pk, status=PoliceCheckStatus.CLEARED,
                                requested_on=decided - dt.timedelta(days=rng.randint(5, 25)),
                                decided_on=decided, expires_on=police_check_expiry(decided))
                )  # fmt: skip
    return checks


def _numbers(rng: random.Random, by_person: dict[int, list[Contact]]) -> list[PhoneNumber]:
    """Approved numbers for most approved adults with a phone and every lawyer; some asked."""
    numbers = []
    for person_id, mine in by_person.items():
        taken: set[str] = set()
        for c in mine:
            v = c.visitor
            if c.status != ContactStatus.APPROVED or not v.phone or v.phone in taken:
                continue
            roll = rng.random()
            if not c.privileged and roll >= 0.85:
                continue
            taken.add(v.phone)
            asked = not c.privileged and roll >= 0.75
            numbers.append(
                PhoneNumber(person_id=person_id, contact=c, number=v.phone, label=v.full_name,
                            privileged=c.privileged,
                            status=PhoneStatus.REQUESTED if asked else PhoneStatus.APPROVED,
                            decided_at=None if asked else clock.now())
            )  # fmt: skip
    return numbers


def _settings(seed: int) -> int:
    """Each facility's phone setting: the law's minimum, more in some; monitored by level."""
    have = set(PhoneSetting.objects.values_list("facility_id", flat=True))
    floor = in_force(PHONE_RULES, clock.today()).weekly_minutes_min
    made = []
    for f in Facility.objects.filter(is_active=True).exclude(pk__in=have).order_by("pk"):
        rng = random.Random(f"{seed}:phone-setting:{f.code}")
        high = f.security_level == SecurityLevel.HIGH
        made.append(
            PhoneSetting(facility=f, weekly_minutes=rng.choice((floor, floor, floor, 40, 60)),
                         monitored=high,
                         monitoring_reason="" if high or rng.random() < 0.9
                         else "Overvåking ikke nødvendig ved lavere sikkerhetsnivå")
        )  # fmt: skip
    PhoneSetting.objects.bulk_create(made)
    return len(made)


def _bans(today: dt.date, first: dt.date) -> dict[int, list[tuple[str, dt.date, dt.date]]]:
    found: dict[int, list[tuple[str, dt.date, dt.date]]] = defaultdict(list)
    for pid, kind, s, e, lifted in CourtRestriction.objects.filter(
        kind__in=(RestrictionKind.VISIT_BAN, RestrictionKind.VISITS_POLICE),
        ends_on__gte=first,
        starts_on__lte=today,
    ).values_list("person_id", "kind", "starts_on", "ends_on", "lifted_on"):
        found[pid].append((kind, s, min(e, lifted - dt.timedelta(days=1)) if lifted else e))
    return found


@dataclass
class _Caller:
    """One person's calls as the phone system would have let them through."""

    person_id: int
    facility_id: int
    arrived: dt.date
    quota: int
    numbers: list[PhoneNumber]
    orders: list[tuple[str, dt.date, dt.date]]
    monitored_here: bool


def _week_calls(
    rng: random.Random, who: _Caller, start: dt.date, now: dt.datetime, code: str, n: int
) -> list[CallRecord]:
    """Up to six calls in the week from ``start``, within the person's minutes (a few go
    over); under a visit ban only to privileged numbers; now and then a number not approved."""
    budget = who.quota * 60 * (1.3 if rng.random() < 0.03 else rng.uniform(0.3, 1.0))
    used = 0
    found: list[CallRecord] = []
    for _i in range(rng.randint(0, 6)):
        day = start + dt.timedelta(days=rng.randint(0, 6))
        at = dt.datetime.combine(
            day, dt.time(rng.randint(8, 20), rng.randint(0, 59)), tzinfo=clock.OSLO
        )
        if day < who.arrived or at >= now:
            continue
        orders = {k for k, s, e in who.orders if s <= day <= e}
        banned = RestrictionKind.VISIT_BAN in orders
        allowed = [x for x in who.numbers if x.privileged or not banned]
        stray = rng.random() < 0.02
        if not allowed and not stray:
            continue
        target = None if stray else rng.choice(allowed)
        seconds = rng.randint(60, 20 * 60)
        privileged = target is not None and target.privileged
        if not privileged:
            if used + seconds > budget:
                continue
            used += seconds
        police = RestrictionKind.VISITS_POLICE in orders
        found.append(
            CallRecord(
                person_id=who.person_id,
                facility_id=who.facility_id,
                number=target.number if target else f"+479{rng.randint(0, 9_999_999):07d}",
                phone_number=target,
                started_at=at.astimezone(dt.UTC),
                seconds=seconds,
                monitored=not privileged and (who.monitored_here or police),
                call_id=f"{code}-{n + len(found) + 1:06d}",
            )
        )
    return found


def _calls(seed: int, today: dt.date) -> dict[str, int]:
    """One import per facility with three weeks of calls (and this week's so far) to
    approved numbers. A facility that has an import already is left alone."""
    first = today - dt.timedelta(days=today.weekday(), weeks=WEEKS_OF_CALLS)
    done = set(CallImport.objects.values_list("facility_id", flat=True))
    settings = {s.facility_id: s for s in PhoneSetting.objects.all()}
    bans = _bans(today, first)
    numbers: dict[int, list[PhoneNumber]] = defaultdict(list)
    for x in PhoneNumber.objects.filter(status=PhoneStatus.APPROVED).order_by("pk"):
        numbers[x.person_id].append(x)
    callers: dict[int, list[_Caller]] = defaultdict(list)
    for pid, fid, arrived, birth in (
        CustodyEpisode.objects.filter(released_at__isnull=True, facility__is_active=True)
        .exclude(facility_id__in=done)
        .order_by("pk")
        .values_list("person_id", "facility_id", "arrived_at", "person__birth_date")
    ):
        setting = settings.get(fid)
        minutes = setting.weekly_minutes if setting else 30
        callers[fid].append(
            _Caller(pid, fid, arrived.astimezone(clock.OSLO).date(),
                    minutes if age_on(birth, today) >= 18 else max(minutes, 60),
                    numbers.get(pid, []), bans.get(pid, []),
                    bool(setting and setting.monitored))
        )  # fmt: skip
    codes = dict(Facility.objects.values_list("pk", "code"))
    counts = {"call_imports": 0, "calls": 0}
    now = clock.now()
    for fid, who in sorted(callers.items()):
        rng = random.Random(f"{seed}:calls:{codes[fid]}")
        records: list[CallRecord] = []
        for caller in who:
            for week in range(WEEKS_OF_CALLS + 1):
                start = first + dt.timedelta(weeks=week)
                records += _week_calls(rng, caller, start, now, codes[fid], len(records))
        with transaction.atomic():
            source = CallImport.objects.create(
                facility_id=fid,
                filename=f"samtaler-{codes[fid].lower()}-{today:%Y%m%d}.csv",
                imported_at=now,
                rows=len(records),
                added=len(records),
            )
            for r in records:
                r.source = source
            CallRecord.objects.bulk_create(records, batch_size=2000)
        counts["call_imports"] += 1
        counts["calls"] += len(records)
    return counts


def _visitor_login(seed: int, today: dt.date) -> int:
    """The family portal's demo login ``visitor`` (password ``demo``): the approved, listed,
    police-cleared partner of a person in custody in a unit of the demo officer, with no court
    order on visits."""
    if User.objects.filter(username="visitor").exists():
        return 0
    officer = User.objects.filter(username="officer").first()
    if officer is None or officer.facility_id is None:
        return 0
    units = list(officer.units.values_list("pk", flat=True))
    restricted = CourtRestriction.objects.filter(
        kind__in=(RestrictionKind.VISIT_BAN, RestrictionKind.VISITS_POLICE),
        ends_on__gte=today,
    ).values("person_id")
    episodes = CustodyEpisode.objects.filter(
        released_at__isnull=True, facility_id=officer.facility_id
    ).exclude(person_id__in=restricted)
    if units:
        episodes = episodes.filter(unit_id__in=units)
    candidates = list(episodes.select_related("person").order_by("pk")[:200])
    if not candidates:
        return 0
    partnered = set(
        Contact.objects.filter(
            person_id__in=[e.person_id for e in candidates],
            relationship=R.PARTNER,
            status=ContactStatus.APPROVED,
            visitor__user__isnull=True,
            visitor__police_checks__status=PoliceCheckStatus.CLEARED,
            visitor__police_checks__expires_on__gte=today + dt.timedelta(days=60),
        ).values_list("person_id", flat=True)
    )
    # Someone whose partner is cleared already, if anyone's is.
    ep = next((e for e in candidates if e.person_id in partnered), candidates[0])
    rng = random.Random(f"{seed}:visitor-login")
    with transaction.atomic():
        partner = (
            Contact.objects.filter(
                person_id=ep.person_id,
                relationship=R.PARTNER,
                status=ContactStatus.APPROVED,
                visitor__user__isnull=True,
            )
            .select_related("visitor")
            .first()
        )
        if partner is None:
            given, _family = norwegian_name(rng, ep.person.gender == "male")
            visitor = Visitor.objects.create(
                given_names=given,
                family_name=rng.choice(NO_FAMILY),
                birth_date=_birth(rng, today, age_on(ep.person.birth_date, today)),
                phone=f"+479{rng.randint(0, 9_999_999):07d}",
            )
            partner = Contact.objects.create(
                person_id=ep.person_id,
                visitor=visitor,
                relationship=R.PARTNER,
                status=ContactStatus.APPROVED,
                decided_at=clock.now(),
            )
        visitor = partner.visitor
        if not Contact.objects.filter(pk=partner.pk, on_visitor_list=True).exists():
            _make_room(ep.person_id)
            Contact.objects.filter(pk=partner.pk).update(on_visitor_list=True)
        valid = PoliceCheck.objects.filter(
            visitor=visitor,
            status=PoliceCheckStatus.CLEARED,
            expires_on__gte=today + dt.timedelta(days=60),
        )
        if not valid.exists():
            decided = today - dt.timedelta(days=30)
            PoliceCheck.objects.create(
                visitor=visitor,
                facility_id=ep.facility_id,
                status=PoliceCheckStatus.CLEARED,
                requested_on=decided - dt.timedelta(days=14),
                decided_on=decided,
                expires_on=police_check_expiry(decided),
            )
        user = User.objects.create(
            username="visitor",
            first_name=visitor.given_names,
            last_name=visitor.family_name,
            email="visitor@normalitet.example",
            role=Role.VISITOR,
            password=make_password("demo"),
            preferred_language="nb",
        )
        Visitor.objects.filter(pk=visitor.pk).update(user=user, email=user.email)
    return 1


def _make_room(person_id: int) -> None:
    """If the visitor list is full without the closest family, take the newest other entry off
    (the closest family together count as one entry)."""
    limit = in_force(VISIT_RULES, clock.today()).visitor_list_max
    listed = list(Contact.objects.filter(person_id=person_id, on_visitor_list=True).order_by("-pk"))
    family = any(c.relationship in CLOSEST_FAMILY for c in listed)
    others = [c for c in listed if c.relationship not in CLOSEST_FAMILY]
    if not family and len(others) >= limit:
        Contact.objects.filter(pk=others[0].pk).update(on_visitor_list=False)


def seed_contact(*, seed: int, today: dt.date | None = None) -> dict[str, int]:
    """The demo's family contact, after the regime's seeding. Visit rooms first; then the
    visitors and everything that hangs on them; court orders and mail; the call records (after
    the orders, so that a person under a visit ban calls only their lawyer); the portal login;
    and last the visits booked. Each part leaves alone what exists already."""
    from . import demo_mail, demo_visits  # written by the visits and mail helpers

    today = today or clock.today()
    counts: dict[str, int] = {}
    counts["rooms"] = demo_visits.seed_rooms(rng=random.Random(f"{seed}:rooms"), today=today)
    counts |= _seed_people(seed, today)
    counts["phone_settings"] = _settings(seed)
    counts |= demo_mail.seed_mail_and_orders(rng=random.Random(f"{seed}:mail"), today=today)
    counts |= _calls(seed, today)
    counts["visitor_login"] = _visitor_login(seed, today)
    counts["bookings"] = demo_visits.seed_bookings(
        rng=random.Random(f"{seed}:bookings"), today=today
    )
    return counts
