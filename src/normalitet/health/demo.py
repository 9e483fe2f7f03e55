"""Synthetic health-service caseload for the demo, in the health database (RULES.md § 10).

For every facility, from the persons in custody there: requests waiting for triage and triaged
ones with appointments booked in the coming days (some needing an escort), attended appointments
of the past week, prescriptions (about four in ten persons; opioid substitution and other
controlled drugs counted in the stock book), the doses of the last two days' rounds, a few
persons under observation with the officers' checks, a crisis with its response, fitness for work
and medical diets for a few, and referrals for care after release for persons leaving within the
lead time (those sent with the person's written consent; no handover summary is produced, so
staff produce one themselves).

Deterministic: one generator per facility from the seed and the facility's code. A facility that
has health rows already is left alone, so a second call adds nothing. Rows are written in bulk.
The demo logins ``health`` (a nurse) and ``doctor`` work in the first facility; the officer's units
there get an observation, an appointment with an escort today and a request logged by the officer.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from typing import Any

from django.db import transaction

from normalitet.core import clock
from normalitet.custody.models import CustodyEpisode
from normalitet.estate.models import Facility
from normalitet.identity.models import User
from normalitet.identity.roles import Role

from .access import name_of
from .domain.rules import rules_on
from .models import (
    Appointment,
    CareReferral,
    ControlledStock,
    CrisisEvent,
    DoseRecord,
    HandoverConsent,
    HealthRequest,
    MedicalDiet,
    ObservationCheck,
    ObservationLevel,
    Prescription,
    Service,
    StockEntry,
    WorkFitness,
)
from .services_requests import new_reference

DB = "health"

REQUESTS: dict[str, tuple[str, ...]] = {
    "nurse": (
        "Jeg har hatt vondt i halsen i fire dager og feber om kvelden.",
        "Utslett på armene som klør, ønsker å få sett på det.",
        "Trenger nye plaster og noe mot gnagsår fra arbeidsskoene.",
        "Jeg sover dårlig og lurer på om noen kan hjelpe meg.",
    ),
    "doctor": (
        "Smerter i korsryggen etter arbeid på verkstedet, har tatt paracet uten at det hjelper.",
        "Ønsker å snakke om medisinene jeg fikk før innsettelsen.",
        "Hodepine nesten hver dag siste uken.",
        "Jeg har astma og inhalatoren er snart tom.",
    ),
    "psychologist": (
        "Tankene kverner om natten etter dommen. Vil gjerne snakke med noen.",
        "Jeg blir urolig i cellen om kveldene og vil ha hjelp med det.",
    ),
    "dentist": (
        "Tannverk i en jeksel nede til venstre.",
        "Et fyll har falt ut og det gjør vondt når jeg spiser.",
    ),
    "addiction": (
        "Jeg vil i gang med rusbehandling mens jeg sitter inne.",
        "Ønsker å snakke om LAR etter løslatelse.",
    ),
}
TRIAGE_NOTES = (
    "Vurdert: time hos lege denne uken.",
    "Ikke akutt. Settes opp ordinært.",
    "Bør sees raskt; følg opp ved økende plager.",
)
# (medicine, strength, dose, rounds, as needed, controlled)
MEDICINES: tuple[tuple[str, str, str, tuple[str, ...], bool, bool], ...] = (
    ("Paracetamol", "500 mg", "2 tabletter", ("morning", "evening"), False, False),
    ("Ibuprofen", "400 mg", "1 tablett", (), True, False),
    ("Sertralin", "50 mg", "1 tablett", ("morning",), False, False),
    ("Mirtazapin", "15 mg", "1 tablett", ("night",), False, False),
    ("Salbutamol inhalasjonsaerosol", "0,1 mg/dose", "2 drag", (), True, False),
    ("Metformin", "500 mg", "1 tablett", ("morning", "evening"), False, False),
    ("Levotyroksin", "50 mikrog", "1 tablett", ("morning",), False, False),
    ("Omeprazol", "20 mg", "1 kapsel", ("morning",), False, False),
    ("Quetiapin", "25 mg", "1 tablett", ("night",), False, False),
)
CONTROLLED: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("Buprenorfin/nalokson", "8 mg/2 mg", "1 resoriblett", ("morning",)),
    ("Metadon mikstur", "1 mg/ml", "60 ml", ("morning",)),
    ("Oksazepam", "10 mg", "1 tablett", ("night",)),
)
OBSERVATION_REASONS = (
    "Uttalt håpløshet etter dom; tidligere selvskading. Vurderes daglig.",
    "Nylig innsatt, abstinens og uro. Tett oppfølging første døgn.",
    "Nedstemt etter dødsfall i familien. Ønsker samtale med psykolog.",
)
PROVIDERS: tuple[tuple[str, str, str], ...] = (
    ("opioid", "LAR Oslo universitetssykehus", "Poliklinikk, tlf. 23 02 60 00"),
    ("addiction", "Rusbehandling Midt-Norge, poliklinikk", "Inntaksteam, tlf. 74 00 00 00"),
    ("mental", "Distriktspsykiatrisk senter Vinderen", "Inntaksteam"),
    ("gp", "Fastlege i bostedskommunen", "Legekontoret"),
    ("municipal", "Rus- og psykisk helsetjeneste i kommunen", "Koordinator"),
)
PURPOSES = {
    "opioid": "Fortsatt LAR etter løslatelse uten opphold i behandlingen.",
    "addiction": "Videre poliklinisk rusbehandling etter løslatelse.",
    "mental": "Oppfølging av depresjon og søvnvansker etter løslatelse.",
    "gp": "Overføring av legemidler og oppfølging av astma hos fastlege.",
    "municipal": "Oppfølging i bolig og samtaler etter løslatelse.",
}
KITCHEN = ("Glutenfri kost", "Laktosefri kost", "Lett kost, små porsjoner", "Sukkerredusert kost")


def _reference(rng: random.Random, taken: set[str]) -> str:
    while True:
        ref = new_reference(rng)
        if ref not in taken:
            taken.add(ref)
            return ref


class _Facility:
    """The rows of one facility, built in memory and written in bulk."""

    def __init__(
        self, rng: random.Random, facility: Facility, staff: list[User], now: dt.datetime
    ) -> None:
        self.rng = rng
        self.fid = facility.pk
        self.now = now
        self.today = clock.today()
        self.staff = staff
        self.doctor = next((u for u in staff if u.profession == "doctor"), staff[0])
        self.nurses = [u for u in staff if u.profession != "doctor"] or [self.doctor]
        self.rules = rules_on(self.today)

    def by(self, user: User) -> dict[str, Any]:
        return {"created_by_id": user.pk, "created_by_name": name_of(user)}

    def at_local(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clock.OSLO)


def _requests(f: _Facility, people: list[CustodyEpisode], taken: set[str]) -> dict[str, int]:
    rng = f.rng
    n_req = n_appt = 0
    for e in people:
        if rng.random() > 0.18:
            continue
        service = rng.choice(list(REQUESTS))
        text = rng.choice(REQUESTS[service])
        created = f.now - dt.timedelta(hours=rng.randint(1, 96))
        logger = f.nurses[0]
        req = HealthRequest(
            person_id=e.person_id,
            facility_id=f.fid,
            reference=_reference(rng, taken),
            service=service,
            text=text,
            channel=rng.choice(["staff", "staff", "health"]),
            created_at=created,
            **f.by(logger),
        )
        roll = rng.random()
        if roll < 0.35:
            req.save(using=DB)  # new: waits for triage
            n_req += 1
            continue
        req.status = HealthRequest.Status.TRIAGED
        req.priority = rng.choice(["urgent", "routine", "routine"])
        req.triage_note = rng.choice(TRIAGE_NOTES)
        req.triaged_at = created + dt.timedelta(hours=2)
        req.triaged_by_id = logger.pk
        req.triaged_by_name = name_of(logger)
        if roll < 0.5:
            req.save(using=DB)
            n_req += 1
            continue
        req.status = HealthRequest.Status.BOOKED
        req.save(using=DB)
        n_req += 1
        day = f.today + dt.timedelta(days=rng.randint(0, 6))
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        start = f.at_local(day, rng.choice([9, 10, 11, 13, 14]), rng.choice([0, 20, 40]))
        clinician = f.doctor if service in ("doctor", "psychologist") else rng.choice(f.nurses)
        outside = service == "dentist" and rng.random() < 0.5
        Appointment.objects.using(DB).create(
            person_id=e.person_id,
            facility_id=f.fid,
            request=req,
            service=service,
            clinician_id=clinician.pk,
            clinician_name=name_of(clinician),
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=20 if service == "nurse" else 30),
            place="Tannklinikken i byen" if outside else "Helseavdelingen",
            escort="outside" if outside else rng.choice(["none", "none", "inside"]),
            created_at=req.triaged_at,
            **f.by(logger),
        )
        n_appt += 1
    return {"requests": n_req, "appointments": n_appt}


def _past_appointments(f: _Facility, people: list[CustodyEpisode]) -> int:
    rows = []
    for e in people:
        if f.rng.random() > 0.12:
            continue
        day = f.today - dt.timedelta(days=f.rng.randint(1, 7))
        start = f.at_local(day, f.rng.choice([9, 10, 13, 14]))
        rows.append(
            Appointment(
                person_id=e.person_id,
                facility_id=f.fid,
                service=f.rng.choice(["nurse", "doctor"]),
                clinician_id=f.doctor.pk,
                clinician_name=name_of(f.doctor),
                starts_at=start,
                ends_at=start + dt.timedelta(minutes=20),
                place="Helseavdelingen",
                status=f.rng.choice(["attended", "attended", "attended", "did_not_attend"]),
                created_at=start - dt.timedelta(days=2),
                **f.by(f.doctor),
            )
        )
    Appointment.objects.using(DB).bulk_create(rows)
    return len(rows)


def _medication(f: _Facility, people: list[CustodyEpisode]) -> dict[str, int]:
    rng = f.rng
    stocks: dict[tuple[str, str], ControlledStock] = {}
    prescriptions: list[Prescription] = []
    for e in people:
        roll = rng.random()
        if roll < 0.06:
            name, strength, dose, rounds = rng.choice(CONTROLLED)
            key = (name, strength)
            if key not in stocks:
                stocks[key] = ControlledStock.objects.using(DB).create(
                    facility_id=f.fid, medicine=name, strength=strength
                )
            prescriptions.append(
                Prescription(
                    person_id=e.person_id,
                    facility_id=f.fid,
                    medicine=name,
                    strength=strength,
                    dose=dose,
                    units_per_dose=60 if "mikstur" in name else 1,
                    rounds=list(rounds),
                    controlled=True,
                    instructions="Gis under tilsyn. Munnhulen kontrolleres.",
                    starts_on=f.today - dt.timedelta(days=rng.randint(10, 200)),
                    created_at=f.now - dt.timedelta(days=10),
                    **f.by(f.doctor),
                )
            )
        if roll < 0.42:
            for medicine in rng.sample(MEDICINES, rng.choice([1, 1, 2])):
                name, strength, dose, rounds, as_needed, _ = medicine
                prescriptions.append(
                    Prescription(
                        person_id=e.person_id,
                        facility_id=f.fid,
                        medicine=name,
                        strength=strength,
                        dose=dose,
                        rounds=list(rounds),
                        as_needed=as_needed,
                        instructions="Ved behov, inntil 3 ganger i døgnet." if as_needed else "",
                        starts_on=f.today - dt.timedelta(days=rng.randint(3, 300)),
                        created_at=f.now - dt.timedelta(days=3),
                        **f.by(f.doctor),
                    )
                )
    Prescription.objects.using(DB).bulk_create(prescriptions)
    # Stock received at the start of the month, and the doses of the last two days' rounds.
    balances: dict[int, int] = {}
    for stock in stocks.values():
        received = 600 if "Metadon" in stock.medicine else 120
        StockEntry.objects.using(DB).create(
            stock=stock,
            kind=StockEntry.Kind.RECEIVED,
            quantity=received,
            note="Levert fra apoteket",
            created_at=f.now - dt.timedelta(days=5),
            **f.by(f.nurses[0]),
        )
        balances[stock.pk] = received
    doses: list[DoseRecord] = []
    dispensed: list[tuple[DoseRecord, ControlledStock, int]] = []
    round_order = list(f.rules.round_times)
    now_local = f.now.astimezone(clock.OSLO)
    for p in prescriptions:
        if p.as_needed:
            continue
        for back in (2, 1, 0):
            day = f.today - dt.timedelta(days=back)
            if day < p.starts_on:
                continue
            for r in round_order:
                if r not in p.rounds:
                    continue
                if back == 0 and f.rules.round_times[r] > now_local.time():
                    continue
                outcome = rng.choices(
                    ["given", "refused", "missed", "not_available"], weights=[92, 4, 3, 1]
                )[0]
                nurse = rng.choice(f.nurses)
                record = DoseRecord(
                    prescription=p,
                    person_id=p.person_id,
                    day=day,
                    round=r,
                    outcome=outcome,
                    created_at=f.at_local(day, f.rules.round_times[r].hour, 10),
                    **f.by(nurse),
                )
                doses.append(record)
                if p.controlled and outcome == "given":
                    stock = stocks[(p.medicine, p.strength)]
                    dispensed.append((record, stock, p.units_per_dose))
    DoseRecord.objects.using(DB).bulk_create(doses)
    entries = []
    for record, stock, units in dispensed:
        if balances[stock.pk] < units:
            continue
        balances[stock.pk] -= units
        entries.append(
            StockEntry(
                stock=stock,
                kind=StockEntry.Kind.DISPENSED,
                quantity=-units,
                dose=record,
                created_at=record.created_at,
                created_by_id=record.created_by_id,
                created_by_name=record.created_by_name,
            )
        )
    StockEntry.objects.using(DB).bulk_create(entries)
    for stock in stocks.values():
        StockEntry.objects.using(DB).create(
            stock=stock,
            kind=StockEntry.Kind.COUNT,
            quantity=0,
            counted=balances[stock.pk],
            expected=balances[stock.pk],
            witness_name=name_of(f.doctor),
            note="Ukentlig telling, stemmer",
            created_at=f.now - dt.timedelta(hours=2),
            **f.by(f.nurses[0]),
        )
    return {"prescriptions": len(prescriptions), "doses": len(doses), "stock_lines": len(stocks)}


def _observation(
    f: _Facility, people: list[CustodyEpisode], officers: dict[int, User]
) -> dict[str, int]:
    """About one person in seventy under observation, with the officers' checks so far."""
    rng = f.rng
    chosen = [e for e in people if rng.random() < 0.015]
    n_checks = 0
    for i, e in enumerate(chosen):
        level = rng.choice(["close", "frequent", "hourly"])
        interval = f.rules.observation_minutes[level]
        started = f.now - dt.timedelta(hours=rng.randint(3, 30))
        obs = ObservationLevel.objects.using(DB).create(
            person_id=e.person_id,
            facility_id=f.fid,
            level=level,
            interval_minutes=interval,
            reason=rng.choice(OBSERVATION_REASONS),
            review_at=f.now + dt.timedelta(hours=rng.randint(4, 24)),
            started_at=started,
            created_at=started,
            **f.by(f.doctor),
        )
        officer = officers.get(e.unit_id or 0)
        if officer is None:
            continue
        # Checks on time from the start; the last one is late for every third person, so the
        # watch board shows an overdue check.
        checks = []
        at = started + dt.timedelta(minutes=interval - rng.randint(0, 3))
        stop = f.now - dt.timedelta(minutes=interval * (2 if i % 3 == 0 else 0.5))
        while at < stop:
            checks.append(
                ObservationCheck(
                    observation=obs,
                    person_id=e.person_id,
                    checked_at=at,
                    state=rng.choice(["settled", "settled", "asleep"]),
                    created_at=at,
                    **f.by(officer),
                )
            )
            at += dt.timedelta(minutes=interval - rng.randint(0, 3))
        ObservationCheck.objects.using(DB).bulk_create(checks)
        n_checks += len(checks)
    if chosen:
        e = chosen[0]
        CrisisEvent.objects.using(DB).create(
            person_id=e.person_id,
            facility_id=f.fid,
            occurred_at=f.now - dt.timedelta(days=2, hours=3),
            kind="threat",
            steps=["items", "doctor", "observation", "specialist", "follow_up"],
            note="Uttrykte selvmordstanker til betjent på kvelden. Samtale samme kveld.",
            created_at=f.now - dt.timedelta(days=2),
            **f.by(f.doctor),
        )
    return {"observations": len(chosen), "checks": n_checks}


def _fitness_and_diets(f: _Facility, people: list[CustodyEpisode]) -> dict[str, int]:
    fitness, diets = [], []
    for e in people:
        roll = f.rng.random()
        if roll < 0.05:
            fitness.append(
                WorkFitness(
                    person_id=e.person_id,
                    fitness="restricted" if roll < 0.035 else "unfit",
                    valid_from=f.today - dt.timedelta(days=f.rng.randint(0, 20)),
                    valid_to=f.today + dt.timedelta(days=f.rng.randint(7, 40)),
                    reason="Ryggsmerter; unngå tunge løft.",
                    created_at=f.now - dt.timedelta(days=1),
                    **f.by(f.doctor),
                )
            )
        elif roll < 0.09:
            diets.append(
                MedicalDiet(
                    person_id=e.person_id,
                    kitchen_instruction=f.rng.choice(KITCHEN),
                    reason="Medisinsk begrunnet kost, se journal.",
                    valid_from=f.today - dt.timedelta(days=f.rng.randint(5, 90)),
                    created_at=f.now - dt.timedelta(days=5),
                    **f.by(f.doctor),
                )
            )
    WorkFitness.objects.using(DB).bulk_create(fitness)
    MedicalDiet.objects.using(DB).bulk_create(diets)
    return {"fitness": len(fitness), "diets": len(diets)}


def _referrals(f: _Facility, people: list[CustodyEpisode]) -> int:
    """Referrals for most persons leaving within the lead time; some are still missing."""
    horizon = f.today + dt.timedelta(days=f.rules.referral_lead_days)
    n = 0
    for e in people:
        release = e.expected_release_date
        if release is None or not (f.today <= release <= horizon) or f.rng.random() < 0.3:
            continue
        kind, name, contact = f.rng.choice(PROVIDERS)
        status = f.rng.choice(["draft", "sent", "accepted", "appointment"])
        referral = CareReferral.objects.using(DB).create(
            person_id=e.person_id,
            facility_id=f.fid,
            provider_kind=kind,
            provider_name=name,
            provider_contact=contact,
            purpose=PURPOSES[kind],
            status=status,
            status_changed_at=f.now - dt.timedelta(days=f.rng.randint(0, 10)),
            first_appointment_at=(
                f.at_local(release + dt.timedelta(days=2), 10) if status == "appointment" else None
            ),
            created_at=f.now - dt.timedelta(days=14),
            **f.by(f.doctor),
        )
        if status != "draft":
            HandoverConsent.objects.using(DB).create(
                referral=referral,
                person_id=e.person_id,
                given="written",
                scope=["medication", "appointments", "purpose"],
                given_on=f.today - dt.timedelta(days=12),
                created_at=f.now - dt.timedelta(days=12),
                **f.by(f.doctor),
            )
        n += 1
    return n


def _demo_logins(f: _Facility, people: list[CustodyEpisode], taken: set[str]) -> None:
    """In the first facility, the officer's units: a person under close observation whose next
    check is due soon, an appointment today that needs an escort, and a request the officer
    logged this morning."""
    officer = User.objects.filter(username="officer").first()
    if officer is None:
        return
    units = set(officer.units.values_list("pk", flat=True))
    mine = [e for e in people if e.unit_id in units]
    if len(mine) < 3:
        return
    watched, escorted, asked = mine[0], mine[1], mine[2]
    if not ObservationLevel.objects.using(DB).filter(
        person_id=watched.person_id, ended_at__isnull=True
    ):
        started = f.now - dt.timedelta(hours=5)
        obs = ObservationLevel.objects.using(DB).create(
            person_id=watched.person_id,
            facility_id=f.fid,
            level="frequent",
            interval_minutes=f.rules.observation_minutes["frequent"],
            reason="Nedstemt etter avslag på permisjon; tidligere selvskading. Vurderes i morgen.",
            review_at=f.now + dt.timedelta(hours=20),
            started_at=started,
            created_at=started,
            **f.by(f.doctor),
        )
        ObservationCheck.objects.using(DB).create(
            observation=obs,
            person_id=watched.person_id,
            checked_at=f.now - dt.timedelta(minutes=20),
            state="settled",
            created_at=f.now - dt.timedelta(minutes=20),
            **f.by(officer),
        )
    # At 13:00 today, or tomorrow at 10:00 once the morning has passed.
    local = f.now.astimezone(clock.OSLO)
    if local.hour < 11:
        start = f.at_local(f.today, 13)
    else:
        start = f.at_local(f.today + dt.timedelta(days=1), 10)
    Appointment.objects.using(DB).create(
        person_id=escorted.person_id,
        facility_id=f.fid,
        service=Service.DENTIST,
        clinician_id=f.doctor.pk,
        clinician_name=name_of(f.doctor),
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=45),
        place="Tannklinikken i byen",
        escort="outside",
        created_at=f.now - dt.timedelta(days=1),
        **f.by(f.doctor),
    )
    HealthRequest.objects.using(DB).create(
        person_id=asked.person_id,
        facility_id=f.fid,
        reference=_reference(f.rng, taken),
        service=Service.DOCTOR,
        text="Har hatt brystsmerter i natt, ba betjenten melde fra.",
        channel=HealthRequest.Channel.STAFF,
        created_at=f.now - dt.timedelta(hours=1),
        **f.by(officer),
    )


def seed_health(*, seed: int = 1, now: dt.datetime | None = None) -> dict[str, int]:
    """Seed every facility that has no health rows yet; returns counts."""
    now = now or clock.now()
    totals: Counter[str] = Counter()
    episodes: dict[int, list[CustodyEpisode]] = defaultdict(list)
    for e in CustodyEpisode.objects.filter(released_at__isnull=True).order_by("person_id"):
        episodes[e.facility_id].append(e)
    staff: dict[int, list[User]] = defaultdict(list)
    for u in User.objects.filter(role=Role.HEALTH, facility__isnull=False).order_by("pk"):
        staff[u.facility_id or 0].append(u)  # type: ignore[index]
    officers: dict[int, User] = {}
    for u in User.objects.filter(role=Role.OFFICER).prefetch_related("units").order_by("pk"):
        for unit in u.units.all():
            officers.setdefault(unit.pk, u)
    seeded = set(HealthRequest.objects.using(DB).values_list("facility_id", flat=True).distinct())
    seeded |= set(Prescription.objects.using(DB).values_list("facility_id", flat=True).distinct())
    taken = set(HealthRequest.objects.using(DB).values_list("reference", flat=True))
    first = Facility.objects.order_by("pk").first()
    for facility in Facility.objects.order_by("pk"):
        people = episodes.get(facility.pk, [])
        if facility.pk in seeded or not people or not staff.get(facility.pk):
            continue
        rng = random.Random(f"{seed}:{facility.code}")
        f = _Facility(rng, facility, staff[facility.pk], now)
        with transaction.atomic(using=DB):
            totals.update(_requests(f, people, taken))
            totals["appointments"] += _past_appointments(f, people)
            totals.update(_medication(f, people))
            totals.update(_observation(f, people, officers))
            totals.update(_fitness_and_diets(f, people))
            totals["referrals"] += _referrals(f, people)
            if first is not None and facility.pk == first.pk:
                _demo_logins(f, people, taken)
        totals["facilities"] += 1
    return dict(totals)
