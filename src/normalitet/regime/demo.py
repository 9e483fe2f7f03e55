"""Synthetic daily regime for the demo (RULES.md § 8), for every facility of the estate: an
activity catalogue fitting its size and security level, each unit's weekday and weekend day,
places in work, school, programmes and leisure within capacity and the rules on who may take
part and who is kept apart, a waiting list, suspensions and ended places, the attendance register
of the last three weeks, diets, education records that follow the person, and clergy visits.

Deterministic (one generator per facility, from the seed and the facility's code). A facility
that has activities already is left alone, so a second run adds nothing. A handful of queries
whatever the size; rows are written in bulk.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q, Sum

from normalitet.contact import restrictions as court
from normalitet.contact.models import CourtRestriction, RestrictionKind
from normalitet.core import clock
from normalitet.core.dated import age_on
from normalitet.custody.models import CustodyEpisode, LegalStatus, Movement, MovementKind
from normalitet.demo.loader import Loader
from normalitet.demo.names import norwegian_name
from normalitet.estate.models import Cell, Facility, SecurityLevel, Unit, UnitKind
from normalitet.identity.models import User
from normalitet.identity.policies import SystemActor
from normalitet.identity.roles import Cap, Role
from normalitet.people.models import NonAssociation

from .allowance import allowance_compute
from .domain import calendar
from .domain.rules import ACTIVITY_DUTY, in_force
from .models import (
    CATEGORY_KIND,
    OPEN_STATUSES,
    Activity,
    ActivityCategory,
    ActivityKind,
    Allocation,
    AllocationStatus,
    Attendance,
    BlockKind,
    ClergyVisit,
    Closure,
    DayPlan,
    DayPlanBlock,
    DayType,
    DietKind,
    DietRequirement,
    EducationRecord,
    EducationRecordKind,
    EndReason,
    Outcome,
    Provider,
    Session,
    SessionCancellation,
    Suspension,
    UnitRegime,
)

H, L, HW = SecurityLevel.HIGH.value, SecurityLevel.LOWER.value, SecurityLevel.HALFWAY.value
REMAND = LegalStatus.REMAND.value
NOT_REMAND = [s.value for s in LegalStatus if s != LegalStatus.REMAND]
C, K, S = ActivityCategory, ActivityKind, AllocationStatus
WEEKS_OF_ATTENDANCE = 3

# Sessions: "weekdays hhmm-hhmm" (Monday is 0), separated by commas.
WORK, SCHOOL, PROGRAMME = (
    "01234 0800-1130, 01234 1200-1500",
    "01234 0830-1130, 0123 1200-1430",
    "13 1230-1500",
)
Course = tuple[str, str, str]  # course, subject code, level
UPPER_SECONDARY: tuple[Course, ...] = (
    ("Norsk Vg1", "NOR1211", "Vg1"),
    ("Matematikk 1P", "MAT1019", "Vg1"),
    ("Engelsk", "ENG1007", "Vg1"),
    ("Naturfag", "NAT1007", "Vg1"),
    ("Historie", "HIS1010", "Vg3"),
)


@dataclass(frozen=True)
class Offer:
    """An activity a facility may offer. ``share``: of the facility's duty places for work,
    school and programmes; for leisure, the chance that a person takes part."""

    category: str
    name: str
    place: str
    share: float
    sessions: str
    supplement: int = 0
    levels: tuple[str, ...] = ()  # offered (and open) only at these security levels
    no_remand: bool = False
    min_places: int = 0  # offered only where the facility has this many places
    provider: str = Provider.CORRECTIONAL_SERVICE
    community: str = ""
    courses: tuple[Course, ...] = ()

    @property
    def kind(self) -> str:
        return CATEGORY_KIND[self.category]

    @property
    def duty(self) -> bool:
        return self.kind != K.LEISURE


CO, HL, NR = Provider.COUNTY, (H, L), True  # NR: not open to persons on remand
OFFERS: tuple[Offer, ...] = (
    Offer(C.CARPENTRY, "Snekkerverkstedet", "Verkstedbygget", .12, WORK, 1600, no_remand=NR,
          min_places=30),
    Offer(C.METALWORK, "Mekanisk verksted", "Verkstedbygget", .10, WORK, 2400, HL, NR, 60),
    Offer(C.KITCHEN, "Storkjøkkenet", "Kjøkkenet", .08, WORK, 1200, HL, min_places=40),
    Offer(C.LAUNDRY, "Vaskeriet", "Vaskeriet", .06, WORK, levels=HL, min_places=40),
    Offer(C.MAINTENANCE, "Vedlikehold og drift", "Driftsbygget", .07, WORK, 800, no_remand=NR),
    Offer(C.HORTICULTURE, "Gartneriet", "Drivhusene", .10, WORK, 0, (L,), NR),
    Offer(C.HORTICULTURE, "Gårdsbruket", "Fjøset og jordene", .08, WORK, 3200, (L,), NR, 60),
    Offer(C.ASSEMBLY, "Montering og pakking", "Industrihallen", .14, WORK, levels=HL),
    Offer(C.CLEANING, "Renholdsgruppa", "Avdelingene", .07, WORK),
    Offer(C.BASIC_SCHOOLING, "Grunnskole for voksne", "Skolen", .07, SCHOOL, provider=CO,
          courses=(("Norsk", "NOR0214", "Grunnskole"), ("Matematikk", "MAT0010", "Grunnskole"))),
    Offer(C.UPPER_SECONDARY, "Videregående: allmenne fag", "Skolen", .08, SCHOOL, provider=CO,
          min_places=25, courses=UPPER_SECONDARY),
    Offer(C.VOCATIONAL, "Yrkesfag: bygg- og anleggsteknikk", "Skoleverkstedet", .06, SCHOOL,
          provider=CO, min_places=60,
          courses=(("Bygg- og anleggsteknikk", "BAT1001", "Vg1"), ("Tømrer", "TMF2001", "Vg2"))),
    Offer(C.VOCATIONAL, "Yrkesfag: restaurant- og matfag", "Skolekjøkkenet", .05, SCHOOL,
          provider=CO, min_places=100, courses=(("Restaurant- og matfag", "RMF1001", "Vg1"),)),
    Offer(C.VOCATIONAL, "Truckførerkurs", "Lageret", .03, "02 0830-1430", provider=CO,
          no_remand=NR, min_places=40, courses=(("Truckførerkurs T1–T4", "", "Kurs"),)),
    Offer(C.NORWEGIAN_LANGUAGE, "Norsk for fremmedspråklige", "Skolen", .05, "01234 0830-1130",
          provider=CO, min_places=25,
          courses=(("Norsk for voksne innvandrere", "", "A2"), ("Norskprøven", "", "B1"))),
    Offer(C.HIGHER_EDUCATION, "Høyere utdanning: nettstudier", "Studierommet", .03,
          "01234 0900-1400", provider=Provider.EXTERNAL, min_places=100,
          courses=(("Examen philosophicum", "EXPHIL", "Bachelor"),
                   ("Sosiologi grunnemne", "SOS1000", "Bachelor"))),
    Offer(C.DRUG_PROGRAMME, "Rusmestringsprogrammet", "Programrommet", .04, PROGRAMME, 0, (),
          NR, 40),
    Offer(C.COGNITIVE_SKILLS, "Kognitive ferdigheter", "Programrommet", .03, "02 1230-1500", 0,
          (), NR, 25),
    Offer(C.ANGER_MANAGEMENT, "Sinnemestring", "Samtalerommet", .02, PROGRAMME, 0, (), NR, 100),
    Offer(C.TRAFFIC_PROGRAMME, "Program mot ruspåvirket kjøring", "Samtalerommet", .02,
          "4 1230-1500", 0, (), NR, 150),
    Offer(C.GYM, "Treningssalen", "Gymsalen", .25, "0123 1730-1900, 5 1000-1130"),
    Offer(C.LIBRARY, "Biblioteket", "Biblioteket", .10, "13 1730-1900",
          provider=Provider.MUNICIPALITY),
    Offer(C.MUSIC, "Musikkrommet", "Musikkrommet", .05, "02 1800-1930", min_places=40),
    Offer(C.ART, "Kunstverkstedet", "Hobbyrommet", .05, "1 1800-2000", min_places=60),
    Offer(C.OUTDOOR, "Turgruppa", "Friluftsområdet", .20, "5 1000-1400", levels=(L, HW)),
    Offer(C.CHAPEL, "Gudstjeneste", "Kirkerommet", .06, "6 1100-1200",
          community="Den norske kirke"),
    Offer(C.CHAPEL, "Fredagsbønn", "Stillhetsrommet", .02, "4 1315-1400", community="Islam",
          min_places=25),
    Offer(C.CHAPEL, "Katolsk messe", "Kirkerommet", .01, "5 1700-1800",
          community="Den katolske kirke", min_places=100),
)  # fmt: skip

# Nationalities whose persons more often keep a faith's diet or ask for its clergy (demo only).
MUSLIM = frozenset({"SO", "IQ", "SY", "AF", "MA", "DZ", "AL"})
CATHOLIC = frozenset({"PL", "LT"})
ORTHODOX = frozenset({"RO", "RS", "BG", "GE"})
FAITH_OF = {"Islam": MUSLIM, "Den katolske kirke": CATHOLIC}

# Day plans, weekday and weekend: "kind hhmm-hhmm" blocks; a association, m meal, w work, school
# and programmes, o outdoor time, O outdoor time alone. The night (locked in) is left out.
DAY_PLANS: dict[str, tuple[str, str]] = {
    "high": (
        "m 0730-0800 w 0800-1130 m 1130-1200 w 1200-1500 m 1500-1545 o 1545-1645 a 1700-2030",
        "m 0900-0945 a 0945-1130 o 1130-1230 m 1430-1515 a 1515-1930",
    ),
    "remand": (
        "m 0730-0800 w 0800-1130 m 1130-1200 w 1200-1430 m 1430-1500 o 1500-1600 a 1730-1930",
        "m 0900-0930 o 1000-1100 m 1400-1430 a 1500-1730",
    ),
    "special_high": (
        "m 0800-0830 w 0900-1130 m 1130-1200 w 1200-1400 O 1400-1500 m 1500-1530 a 1700-1900",
        "m 0900-0930 O 1000-1100 m 1400-1430 a 1500-1800",
    ),
    "lower": (
        "a 0700-0800 w 0800-1500 m 1500-1600 o 1600-1730 a 1730-2200",
        "a 0800-1100 o 1100-1300 m 1300-1400 a 1400-2200",
    ),
    "halfway": ("a 0630-0800 w 0800-1600 a 1600-2300", "a 0800-1000 o 1000-1300 a 1300-2300"),
}
BLOCK_KINDS = {"a": BlockKind.ASSOCIATION, "m": BlockKind.MEAL, "w": BlockKind.ACTIVITIES}
SPECIAL_HIGH_MINIMUM = 6 * 60  # the configured minimum out of cell in special high security

UNIT_CLOSURES = (
    "Bemanningsmangel: låst regime",
    "Ransaking av avdelingen",
    "Hendelse på avdelingen",
)
FACILITY_CLOSURES = ("Nedstengning etter alvorlig hendelse", "Bemanningsmangel i hele fengselet")
CANCELLATIONS = ("Lærer syk", "Verksbetjent på kurs", "Vedlikehold av maskiner", "Brannøvelse")
REQUEST_NOTES = (
    "Vil lære et fag",
    "Ønsker å ta fagbrev",
    "Vil fullføre skolen",
    "Vil ha noe å gjøre",
)
DECISION_NOTES = {
    S.APPROVED: ("Venter på ledig plass",),
    S.DECLINED: ("Passer ikke med soningsplanen", "Ikke ledig plass; søk igjen om en måned"),
    S.WITHDRAWN: ("Trakk søknaden selv",),
}
SUSPENSIONS = {EndReason.HEALTH: "Sykemeldt", EndReason.SECURITY: "Utestengt etter hendelse"}
EARLIER_ENDS = (EndReason.PERSON_REQUEST, EndReason.DISMISSED, EndReason.HEALTH, EndReason.SECURITY)
DIETS: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    (DietKind.VEGETARIAN, 0.035, ("",)),
    (DietKind.VEGAN, 0.005, ("",)),
    (DietKind.ALLERGY, 0.03, ("Nøtter og peanøtter", "Skalldyr", "Egg", "Fisk", "Melkeprotein")),
    (DietKind.MEDICAL, 0.02, ("Glutenfri", "Laktosefri", "Sukkerredusert kost", "Saltfattig kost")),
    (DietKind.NO_PORK, 0.01, ("",)),
)
# Ramadan (approximate dates): some who keep halal fast then.
RAMADAN = (
    (dt.date(2025, 3, 1), dt.date(2025, 3, 29)),
    (dt.date(2026, 2, 18), dt.date(2026, 3, 19)),
    (dt.date(2027, 2, 8), dt.date(2027, 3, 9)),
)
UNIVERSITIES = {
    "OST": "Universitetet i Oslo",
    "SOR": "Universitetet i Agder",
    "SVS": "Universitetet i Stavanger",
    "VST": "Universitetet i Bergen",
    "NRD": "UiT Norges arktiske universitet",
}
PARTNER = "Nettstudier i samarbeid med "


@dataclass(frozen=True)
class Clergy:
    """Group visits every ``every`` weeks (weekly at large facilities), and conversations with
    persons who asked, more often those of ``nationalities``."""

    community: str
    names: tuple[str, ...]  # empty: the facility's own chaplain, a Norwegian name
    weekday: int
    at: dt.time
    note: str
    every: int
    nationalities: frozenset[str]
    chance: float


CLERGY = (
    Clergy("Den norske kirke", (), 1, dt.time(10), "Samtalegruppe", 1, frozenset(), 0.05),
    Clergy("Islam", ("Abdirahman Yusuf", "Tariq Mahmood", "Hassan Karimi"), 4, dt.time(12),
           "Fredagsbønn og samtaler", 2, MUSLIM, 0.25),
    Clergy("Den katolske kirke", ("Pater Tomasz Nowak", "Pater Marius Kazlauskas"), 5,
           dt.time(15, 30), "Messe og skriftemål", 2, CATHOLIC, 0.25),
    Clergy("Den ortodokse kirke", ("Fader Ioan Popa", "Fader Nikola Jovanović"), 2, dt.time(11),
           "Liturgi og samtaler", 4, ORTHODOX, 0.3),
)  # fmt: skip


def _span(text: str) -> tuple[dt.time, dt.time]:
    """'0800-1130' as two times."""
    return dt.time(int(text[:2]), int(text[2:4])), dt.time(int(text[5:7]), int(text[7:9]))


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _local(value: Any) -> dt.date:
    return value.astimezone(clock.OSLO).date()


def _at(day: dt.date, t: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, t, tzinfo=clock.OSLO)


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _grade(rng: random.Random, level: str) -> str:
    if level in ("Kurs", "A2", "B1"):
        return "Bestått"
    return rng.choices(("2", "3", "4", "5", "6"), (1, 3, 4, 2, 1))[0]


# --- What the seeder reads ----------------------------------------------------------------------


@dataclass
class Stay:
    """A person's time in one facility that the regime of the last weeks covers."""

    episode_id: int
    person_id: int
    status: str
    admitted: dt.date
    nationality: str
    minor: bool
    unit_id: int = 0
    arrived: dt.date = dt.date.min
    until: dt.date | None = None  # left the facility (released or transferred)
    end_reason: str = ""
    absent_from: dt.date | None = None
    restricted: bool = False

    @property
    def who(self) -> dict[str, int]:
        return {"person_id": self.person_id, "episode_id": self.episode_id}


@dataclass
class Estate:
    today: dt.date
    window: list[dt.date]  # the days of the attendance register, up to yesterday
    facilities: list[Any]  # the facilities to seed (value dicts)
    names: dict[int, Any]  # every facility
    units: dict[int, Any]
    places: dict[int, int]
    staff: dict[int, dict[str, list[int]]]
    stays: dict[int, list[Stay]]
    partners: dict[int, set[int]]  # person -> persons to keep apart from
    earlier: dict[int, list[tuple[int, dt.date]]]  # person -> (facility, date left)
    dieted: set[int]
    # Episodes in the court's full isolation today (STRPL § 186 a; seeded by family contact).
    isolated: set[int] = field(default_factory=set)


# Episode fields that make a Stay (the episode's, or through a movement, its episode's).
STAY_FIELDS = ("legal_status", "admitted_at", "person__nationality", "person__birth_date")


def _stay(today: dt.date, episode_id: int, person_id: int, *row: Any) -> Stay:
    status, admitted, nationality, birth = row
    age = age_on(birth, today)
    return Stay(episode_id, person_id, status, _local(admitted), nationality, age < 18)


def _load(today: dt.date) -> Estate:
    first = today - dt.timedelta(days=today.weekday() + 7 * WEEKS_OF_ATTENDANCE)
    since = clock.local_day_bounds(first)[0]
    names = {
        f["pk"]: f
        for f in Facility.objects.values(
            "pk", "code", "name", "municipality", "security_level", "is_active", "region__code"
        )
    }
    seeded = set(Activity.objects.values_list("facility_id", flat=True))
    facilities = [f for pk, f in sorted(names.items()) if f["is_active"] and pk not in seeded]
    ids = {f["pk"] for f in facilities}
    units = {
        u["pk"]: u
        for u in Unit.objects.filter(facility_id__in=ids).values(
            "pk", "facility_id", "kind", "security_level", "is_active"
        )
    }
    places = dict(
        Cell.objects.filter(unit__facility_id__in=ids, is_active=True, unit__is_active=True)
        .values_list("unit__facility_id")
        .annotate(n=Sum("capacity"))
        .values_list("unit__facility_id", "n")
    )
    staff: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for pk, fid, role, username in (
        User.objects.filter(facility_id__in=ids, is_active=True)
        .order_by("pk")
        .values_list("pk", "facility_id", "role", "username")
    ):
        # The demo login `teacher` leads the first school activities of its facility.
        staff[fid][role].insert(0 if username == "teacher" else len(staff[fid][role]), pk)
    stays: dict[int, list[Stay]] = defaultdict(list)
    for *row, fid, unit_id, arrived, released, absent in (
        CustodyEpisode.objects.filter(facility_id__in=ids, unit__isnull=False)
        .filter(Q(released_at__isnull=True) | Q(released_at__gte=since))
        .order_by("pk")
        .values_list("pk", "person_id", *STAY_FIELDS, "facility_id", "unit_id", "arrived_at",
                     "released_at", "absent_since")
    ):  # fmt: skip
        stay = _stay(today, *row)
        stay.unit_id, stay.arrived = unit_id, _local(arrived)
        stay.absent_from = _local(absent) if absent else None
        if released is not None:
            stay.until, stay.end_reason = _local(released), EndReason.RELEASED
        if stay.until is None or stay.until < today:
            stays[fid].append(stay)
    earlier: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
    for *row, fid, unit_id, moved_at in (
        Movement.objects.filter(kind=MovementKind.TRANSFER, episode__released_at__isnull=True)
        .filter(from_facility__isnull=False, from_unit__isnull=False)
        .order_by("occurred_at", "pk")
        .values_list("episode_id", "person_id", *(f"episode__{f}" for f in STAY_FIELDS[:2]),
                     *STAY_FIELDS[2:], "from_facility_id", "from_unit_id", "occurred_at")
    ):  # fmt: skip
        moved = _local(moved_at)
        earlier[row[1]].append((fid, moved))
        if fid in ids and first <= moved < today:
            stay = _stay(today, *row)
            stay.unit_id, stay.arrived = unit_id, stay.admitted
            stay.until, stay.end_reason = moved, EndReason.TRANSFERRED
            stays[fid].append(stay)
    for person_id, fid, released in (
        CustodyEpisode.objects.filter(released_at__isnull=False, person__in_custody=True)
        .order_by("released_at", "pk")
        .values_list("person_id", "facility_id", "released_at")
    ):
        earlier[person_id].append((fid, _local(released)))
    partners: dict[int, set[int]] = defaultdict(set)
    for a, b in NonAssociation.objects.filter(ended_at__isnull=True).values_list(
        "person_a_id", "person_b_id"
    ):
        partners[a].add(b)
        partners[b].add(a)
    # The court's isolation from named persons keeps them apart like a non-association.
    named = CourtRestriction.named_persons.through.objects.filter(
        courtrestriction__in=CourtRestriction.objects.filter(
            court.in_force_on(today), kind=RestrictionKind.ISOLATION_NAMED
        )
    ).values_list("courtrestriction__person_id", "person_id")
    for a, b in named:
        partners[a].add(b)
        partners[b].add(a)
    isolated = set(
        CourtRestriction.objects.filter(
            court.in_force_on(today), kind=RestrictionKind.FULL_ISOLATION
        ).values_list("episode_id", flat=True)
    )
    dieted = set(DietRequirement.objects.values_list("person_id", flat=True))
    window = _days(first, today - dt.timedelta(days=1))
    return Estate(
        today, window, facilities, names, units, places, staff, stays, partners, earlier, dieted,
        isolated,
    )  # fmt: skip


def _ensure_teachers(estate: Estate, seed: int) -> int:
    """Two teacher users (the county's) for each facility to seed that has none."""
    rng, made = random.Random(f"{seed}-teachers"), []
    for fac in estate.facilities:
        for i in (1, 2) if not estate.staff[fac["pk"]][Role.TEACHER] else ():
            first, last = norwegian_name(rng, rng.random() < 0.6)
            name = f"laerer.{fac['code'].lower()}.{i}"
            made.append(
                User(username=name, first_name=first, last_name=last, role=Role.TEACHER,
                     email=f"{name}@normalitet.example", password=make_password(None),
                     facility_id=fac["pk"], preferred_language="nb")
            )  # fmt: skip
    for user in User.objects.bulk_create(made, batch_size=500):
        estate.staff[user.facility_id or 0][Role.TEACHER].append(user.pk)
    return len(made)


# --- One facility's regime ----------------------------------------------------------------------


@dataclass
class Act:
    """An activity being planned, its sessions, and everyone who has held a place in it. Places
    are counted over the whole period, so that no day is ever over capacity."""

    obj: Activity
    offer: Offer
    sessions: list[Session]
    taken: int = 0
    holders: set[int] = field(default_factory=set)

    @property
    def free(self) -> int:
        return self.obj.capacity - self.taken

    @property
    def priority(self) -> int:
        """Of two overlapping sessions the person goes to the first (the other is a clash)."""
        if self.offer.kind == K.PROGRAMME or self.offer.category == C.CHAPEL:
            return 0
        return 1 if self.offer.kind == K.EDUCATION else 2 if self.offer.kind == K.WORK else 3


@dataclass
class Place:
    """An allocation that held a place, from ``starts`` until ``ended``."""

    alloc: Allocation
    act: Act
    stay: Stay
    starts: dt.date
    ended: dt.date | None
    suspended: tuple[dt.date, dt.date | None] | None = None

    def holds(self, day: dt.date) -> bool:
        s = self.suspended
        if self.starts > day or (self.ended and day >= self.ended):
            return False
        return s is None or not (s[0] <= day and (s[1] is None or day <= s[1]))


class FacilityRegime:
    """Plans one facility's regime as unsaved rows; :meth:`attendance` runs once they are
    saved."""

    def __init__(self, estate: Estate, fac: dict[str, Any], seed: int) -> None:
        self.e, self.fac, self.fid, self.seed = estate, fac, fac["pk"], seed
        self.rng = random.Random(f"{seed}-regime-{fac['code']}")
        self.today, self.last = estate.today, estate.window[-1]
        self.stays = estate.stays.get(self.fid, [])
        self.current = [s for s in self.stays if s.until is None]
        units = sorted(estate.units.items())
        self.units = [u for _, u in units if u["facility_id"] == self.fid and u["is_active"]]
        self.staff = estate.staff[self.fid]
        self.working = [d for d in estate.window if calendar.is_working_day(d)]
        self.valid_from = dt.date(estate.today.year - 1, 8, 1)
        self.reception = dt.timedelta(days=in_force(ACTIVITY_DUTY, estate.today).reception_days)
        self.rows: dict[type[Any], list[Any]] = defaultdict(list)
        self.acts: list[Act] = []
        self.places: list[Place] = []
        self.open_of: dict[int, set[int]] = defaultdict(set)  # episode -> id(Act) open
        self.closed: dict[int | None, set[dt.date]] = defaultdict(set)  # unit (None: all)
        self.cancelled: set[tuple[int, dt.date]] = set()  # (id(Session), day)

    def add(self, model: type[Any], **fields: Any) -> Any:
        obj = model(**fields)
        self.rows[model].append(obj)
        return obj

    def one(self, role: Role) -> int | None:
        users = self.staff[role] or self.staff[Role.FACILITY_LEADER]
        return self.rng.choice(users) if users else None

    def plan(self) -> None:
        self.catalogue()
        self.day_plans()
        self.closures()
        self.restrictions()
        self.allocations()
        self.diets()
        self.education()
        self.clergy()

    # The catalogue and the days -----------------------------------------------------------------

    def catalogue(self) -> None:
        level, n = self.fac["security_level"], len(self.current)
        size = self.e.places.get(self.fid, 0)
        offers = [o for o in OFFERS if (not o.levels or level in o.levels) and size >= o.min_places]
        duty = sum(o.share for o in offers if o.duty)
        target = max(8, round(n * 1.05))  # duty places for about everyone in the facility
        teachers = itertools.cycle(self.staff[Role.TEACHER])
        officers: list[int | None] = [*self.staff[Role.OFFICER]] or [None]
        partner = PARTNER + UNIVERSITIES.get(str(self.fac["region__code"])[:3], "OsloMet")
        for i, o in enumerate(offers):
            if not o.duty:
                capacity = max(8, math.ceil(n * max(o.share, 0.08) * 1.3))
            else:
                capacity = max(4, round(target * o.share / duty))
                capacity = min(capacity, 10) if o.kind == K.PROGRAMME else capacity
            school = o.kind == K.EDUCATION
            act = self.add(
                Activity, facility_id=self.fid, name=o.name, kind=o.kind, category=o.category,
                provider=o.provider, place=o.place, capacity=capacity,
                leader_id=next(teachers) if school else officers[i % len(officers)],
                security_levels=list(o.levels), legal_statuses=NOT_REMAND if o.no_remand else [],
                meets_activity_duty=o.duty, supplement_ore=o.supplement, community=o.community,
                runs_on_holidays=o.category in (C.CHAPEL, C.GYM),
                description=partner if o.provider == Provider.EXTERNAL else "",
            )  # fmt: skip
            sessions = [
                self.add(Session, activity=act, weekday=int(d), starts=starts, ends=ends,
                         valid_from=self.valid_from)
                for days, span in (slot.split() for slot in o.sessions.split(","))
                for starts, ends in [_span(span)]
                for d in days
            ]  # fmt: skip
            self.acts.append(Act(act, o, sessions))

    def day_plans(self) -> None:
        for u in self.units:
            kind = u["kind"]
            key = kind if kind in (UnitKind.REMAND, UnitKind.SPECIAL_HIGH) else None
            key = key or {H: "high", L: "lower"}.get(u["security_level"], "halfway")
            for day_type, text in zip(DayType, DAY_PLANS[key], strict=True):
                plan = self.add(
                    DayPlan, unit_id=u["pk"], day_type=day_type, valid_from=self.valid_from
                )
                words = text.split()
                for k, span in zip(words[::2], words[1::2], strict=True):
                    starts, ends = _span(span)
                    block = {"starts": starts, "ends": ends, "in_company": k != "O"}
                    self.add(DayPlanBlock, plan=plan, kind=BLOCK_KINDS.get(k, "outdoor"), **block)
            catering = u["security_level"] in (L, HW)
            regime = self.add(UnitRegime, unit_id=u["pk"], self_catering=catering)
            if kind == UnitKind.SPECIAL_HIGH:
                regime.minimum_out_of_cell_minutes = SPECIAL_HIGH_MINIMUM

    def closures(self) -> None:
        """A locked-down day or two in a unit now and then, rarely the whole facility; a few
        sessions cancelled."""
        rng = self.rng
        if not self.working:
            return
        if self.units and rng.random() < 0.4:
            start = rng.choice(self.working)
            end = min(start + dt.timedelta(days=rng.randint(0, 1)), self.last)
            self._close(rng.choice(self.units)["pk"], start, end, rng.choice(UNIT_CLOSURES))
        if rng.random() < 0.05:
            day = rng.choice(self.working)
            self._close(None, day, day, rng.choice(FACILITY_CLOSURES))
        for _ in range(rng.randint(1, 3)):
            act = rng.choice([a for a in self.acts if a.offer.duty])
            session = rng.choice(act.sessions)
            days = [d for d in self.working if d.weekday() == session.weekday]
            on = rng.choice(days) if days else None
            if on is None or on in self.closed[None] or (id(session), on) in self.cancelled:
                continue
            self.cancelled.add((id(session), on))
            reason, leader = rng.choice(CANCELLATIONS), act.obj.leader_id
            self.add(
                SessionCancellation, session=session, on=on, reason=reason, cancelled_by_id=leader
            )

    def _close(self, unit_id: int | None, start: dt.date, end: dt.date, reason: str) -> None:
        self.closed[unit_id].update(_days(start, end))
        self.add(
            Closure, facility_id=self.fid, unit_id=unit_id, starts_on=start, ends_on=end,
            reason=reason, recorded_by_id=self.one(Role.FACILITY_LEADER),
        )  # fmt: skip

    def restrictions(self) -> None:
        """Persons in the court's full isolation (STRPL § 186 a) take no part in group
        activities. The orders are court orders under family contact
        (``contact.demo_mail``), seeded before the regime; none are recorded here."""
        for s in self.current:
            if s.episode_id in self.e.isolated:
                s.restricted = True

    # Places ------------------------------------------------------------------------------------

    def _may_join(self, act: Act, stay: Stay, *, need_place: bool = True) -> bool:
        """The activity's security levels and legal statuses, non-associations with anyone who
        has held a place in it, and (but for the waiting list) a free place."""
        o = act.offer
        return (
            (not o.levels or self.e.units[stay.unit_id]["security_level"] in o.levels)
            and not (o.no_remand and stay.status == REMAND)
            and id(act) not in self.open_of[stay.episode_id]
            and not act.holders & self.e.partners.get(stay.person_id, set())
            and (act.free > 0 or not need_place)
        )

    def _appeal(self, act: Act, stay: Stay) -> float:
        if act.offer.category == C.NORWEGIAN_LANGUAGE:
            return 4.0 if stay.nationality not in ("NO", "SE", "DK") else 0.0
        young = stay.minor or self.e.units[stay.unit_id]["kind"] == UnitKind.YOUTH
        return 6.0 if young and act.offer.kind == K.EDUCATION else 1.0

    def _choose(self, stay: Stay, acts: Iterable[Act], *, need_place: bool = True) -> Act | None:
        weighted = [
            (a, (a.free if need_place else 1) * self._appeal(a, stay))
            for a in acts
            if self._may_join(a, stay, need_place=need_place)
        ]
        options = [(a, w) for a, w in weighted if w > 0]
        if not options:
            return None
        return self.rng.choices([a for a, _ in options], [w for _, w in options])[0]

    def _allocation(self, act: Act, stay: Stay, status: str, requested: dt.date, **kw: Any) -> Any:
        if status in OPEN_STATUSES:
            self.open_of[stay.episode_id].add(id(act))
        note = self.rng.choice(REQUEST_NOTES) if self.rng.random() < 0.4 else ""
        return self.add(
            Allocation, activity=act.obj, **stay.who, status=status, requested_on=requested,
            requested_by_id=self.one(Role.CONTACT_OFFICER), request_note=note, **kw,
        )  # fmt: skip

    def _place(
        self, act: Act, stay: Stay, starts: dt.date, ended: dt.date | None = None, reason: str = ""
    ) -> Place:
        requested = max(stay.arrived, starts - dt.timedelta(days=self.rng.randint(3, 21)))
        alloc = self._allocation(
            act, stay, S.ENDED if ended else S.ALLOCATED, requested,
            decided_on=_day_between(self.rng, requested, starts),
            decided_by_id=self.one(Role.CASE_MANAGER), starts_on=starts, ended_on=ended,
            end_reason=reason,
        )  # fmt: skip
        act.taken += 1
        act.holders.add(stay.person_id)
        self.places.append(Place(alloc, act, stay, starts, ended))
        return self.places[-1]

    def allocations(self) -> None:
        """After the reception period about 80 % of convicted persons and 40 % of those on
        remand hold a duty place; some also a programme; some had an earlier place that ended,
        a few are suspended; persons who left in the last weeks held places until then; of the
        rest some wait; leisure places on top."""
        rng, last = self.rng, self.last
        duty = [a for a in self.acts if a.offer.duty and a.offer.kind != K.PROGRAMME]
        programmes = [a for a in self.acts if a.offer.kind == K.PROGRAMME]
        people = [s for s in self.current if not s.restricted]
        unplaced: list[Stay] = []
        for s in rng.sample(people, len(people)):
            earliest = s.arrived + self.reception
            chance = 0.5 if s.status == REMAND else 0.9
            chance /= 2 if self.e.units[s.unit_id]["kind"] == UnitKind.SPECIAL_HIGH else 1
            act = self._choose(s, duty) if earliest <= last and rng.random() < chance else None
            if act is None:
                unplaced.append(s)
                continue
            soon = earliest + dt.timedelta(days=rng.randint(0, 21))
            starts = min(soon if rng.random() < 0.5 else _day_between(rng, earliest, last), last)
            if (starts - earliest).days >= 60 and rng.random() < 0.25:
                self._earlier(s, earliest, starts, [a for a in duty + programmes if a is not act])
            self._suspend(self._place(act, s, starts))
            programme = (
                self._choose(s, programmes) if s.status != REMAND and rng.random() < 0.15 else None
            )
            if programme is not None:
                self._place(programme, s, _day_between(rng, starts, last))
        for s in self.stays:
            earliest, chance = s.arrived + self.reception, 0.4 if s.status == REMAND else 0.8
            if s.until is None or earliest >= s.until or rng.random() >= chance:
                continue
            act = self._choose(s, duty)
            if act is not None:
                starts = _day_between(rng, earliest, s.until - dt.timedelta(days=1))
                self._place(act, s, starts, s.until, s.end_reason)
        self._waiting(unplaced, duty)
        self._leisure(people)

    def _earlier(self, stay: Stay, earliest: dt.date, until: dt.date, acts: list[Act]) -> None:
        act = self._choose(stay, acts)
        if act is not None:
            work = act.offer.kind == K.WORK
            reason = self.rng.choice(EARLIER_ENDS) if work else EndReason.COMPLETED
            starts = _day_between(self.rng, earliest, until - dt.timedelta(days=45))
            self._place(act, stay, starts, until, reason)

    def _suspend(self, place: Place) -> None:
        rng = self.rng
        if place.starts >= self.e.window[0] or rng.random() >= 0.05:
            return
        starts = rng.choice(self.e.window)
        ends: dt.date | None = min(starts + dt.timedelta(days=rng.randint(1, 8)), self.last)
        if rng.random() < 0.4:  # still suspended
            ends = None if rng.random() < 0.5 else self.today + dt.timedelta(days=rng.randint(0, 7))
            place.alloc.status = S.SUSPENDED
        reason = rng.choice(list(SUSPENSIONS))
        place.suspended = (starts, ends)
        self.add(
            Suspension, allocation=place.alloc, starts_on=starts, ends_on=ends, reason=reason,
            note=SUSPENSIONS[reason], recorded_by_id=self.one(Role.CASE_MANAGER),
        )  # fmt: skip

    def _waiting(self, unplaced: list[Stay], duty: list[Act]) -> None:
        """Requests: new arrivals ask; of the others without a place some are approved and
        wait, a few are declined or withdraw; a few with a place ask for another."""
        rng, today = self.rng, self.today
        placed = {id(p.stay): p.stay for p in self.places if p.act.offer.duty and not p.ended}
        asking = [(s, True) for s in unplaced] + [
            (s, False) for s in placed.values() if rng.random() < 0.02
        ]
        for s, idle in asking:
            x, new = rng.random(), s.arrived + self.reception > self.last
            if not idle or (new and x < 0.3):
                status = S.REQUESTED
            elif x < 0.15:
                status = rng.choice([S.REQUESTED, S.APPROVED, S.APPROVED, S.DECLINED, S.WITHDRAWN])
            else:
                continue
            act = self._choose(s, duty, need_place=False)
            if act is None:
                continue
            requested = _day_between(rng, max(s.arrived, today - dt.timedelta(days=40)), today)
            decided = status != S.REQUESTED
            self._allocation(
                act, s, status, requested,
                decided_on=_day_between(rng, requested, today) if decided else None,
                decided_by_id=self.one(Role.CASE_MANAGER) if decided else None,
                decision_note=rng.choice(DECISION_NOTES.get(status, ("",))),
            )  # fmt: skip

    def _leisure(self, people: list[Stay]) -> None:
        leisure = [a for a in self.acts if not a.offer.duty]
        for s in people:
            for act in leisure if s.arrived < self.last else ():
                faithful = s.nationality in FAITH_OF.get(act.offer.community, ())
                if self.rng.random() < (0.5 if faithful else act.offer.share) and self._may_join(
                    act, s
                ):
                    self._place(act, s, _day_between(self.rng, s.arrived, self.last))

    # Diets, schooling, faith -------------------------------------------------------------------

    def diets(self) -> None:
        """About 15 %: halal (more often for some nationalities), vegetarian, allergies, and
        medical diets that say what to serve, never why; a fast during Ramadan for some."""
        rng = self.rng
        fast = next(((a, b) for a, b in RAMADAN if a <= self.today <= b), None)
        for s in self.current:
            if s.person_id in self.e.dieted:
                continue
            halal = rng.random() < (0.55 if s.nationality in MUSLIM else 0.01)
            diets: list[tuple[str, str, dt.date, dt.date | None]]
            diets = [(DietKind.HALAL, "", s.arrived, None)] * halal
            diets += [(k, rng.choice(d), s.arrived, None) for k, p, d in DIETS if rng.random() < p]
            if halal and fast and rng.random() < 0.6:
                diets.append((DietKind.FASTING, "", max(s.arrived, fast[0]), fast[1]))
            for kind, detail, starts, ends in diets:
                self.add(
                    DietRequirement, person_id=s.person_id, kind=kind, detail=detail,
                    starts_on=starts, ends_on=ends, recorded_by_id=self.one(Role.OFFICER),
                )  # fmt: skip

    def _record(
        self, place: Place | None, person_id: int, kind: str, on: dt.date, **kw: Any
    ) -> None:
        act = place.act.obj if place else None
        kw.setdefault("facility_id", self.fid)
        kw |= {"activity": act, "recorded_by_id": act.leader_id if act else None}
        self.add(EducationRecord, person_id=person_id, kind=kind, on=on, **kw)

    def education(self) -> None:
        """An enrolment for every school place; proctored exams and results for some who have
        studied a while; completion and a certificate for finished courses; and for some, a
        course taken at an earlier facility, so that schooling goes on."""
        rng, today, R = self.rng, self.today, EducationRecordKind
        school = f"{self.fac['municipality']} videregående skole, avdeling {self.fac['name']}"
        earlier_done: set[int] = set()
        for p in self.places:
            o, person, ended = p.act.offer, p.stay.person_id, p.ended
            if o.kind != K.EDUCATION:
                continue
            course, code, level = rng.choice(o.courses)
            where = p.act.obj.description.removeprefix(PARTNER) or school
            what = {"course": course, "course_code": code, "level": level, "school": where}
            self._record(p, person, R.ENROLMENT, p.starts, **what)
            if ended and p.alloc.end_reason == EndReason.COMPLETED:
                ref = f"KB-{ended.year}-{rng.randint(10_000, 99_999)}"
                self._record(p, person, R.COMPLETION, ended, **what)
                self._record(p, person, R.CERTIFICATE, ended, certificate_reference=ref, **what)
            elif ended is None and (today - p.starts).days >= 56 and rng.random() < 0.3:
                exam = _day_between(rng, p.starts + dt.timedelta(days=42), self.last)
                exam -= dt.timedelta(days=max(0, exam.weekday() - 4))
                self._record(p, person, R.EXAM, exam, proctored=True, **what)
                result_on = exam + dt.timedelta(days=rng.randint(10, 20))
                if result_on < today:
                    self._record(p, person, R.RESULT, result_on, result=_grade(rng, level), **what)
            before = [b for b in self.e.earlier.get(person, ()) if b[0] != self.fid]
            if ended is None and before and person not in earlier_done and rng.random() < 0.6:
                earlier_done.add(person)
                self._earlier_schooling(person, *before[-1])

    def _earlier_schooling(self, person: int, facility_id: int, left: dt.date) -> None:
        course, code, level = self.rng.choice(UPPER_SECONDARY)
        fac = self.e.names[facility_id]
        what = {
            "facility_id": facility_id, "course": course, "course_code": code, "level": level,
            "school": f"{fac['municipality']} videregående skole, avdeling {fac['name']}",
        }  # fmt: skip
        enrolled = left - dt.timedelta(days=self.rng.randint(90, 240))
        result_on = left - dt.timedelta(days=self.rng.randint(5, 40))
        self._record(None, person, EducationRecordKind.ENROLMENT, enrolled, **what)
        grade = _grade(self.rng, level)
        self._record(None, person, EducationRecordKind.RESULT, result_on, result=grade, **what)

    def clergy(self) -> None:
        """Four weeks of visits: the chaplain weekly; an imam, a Catholic and an Orthodox priest
        (weekly at large facilities, less often at small ones); and conversations with persons
        who asked for one."""
        rng, big = self.rng, self.e.places.get(self.fid, 0) >= 100
        days = _days(self.today - dt.timedelta(days=28), self.last)
        chaplain = " ".join(norwegian_name(rng, rng.random() < 0.5))
        for c in CLERGY:
            name = rng.choice(c.names) if c.names else chaplain
            visit = {"facility_id": self.fid, "community": c.community, "visitor_name": name,
                     "external": bool(c.names),
                     "recorded_by_id": self.one(Role.OFFICER)}  # fmt: skip
            for day in [d for d in days if d.weekday() == c.weekday][:: 1 if big else c.every]:
                self.add(ClergyVisit, **visit, starts_at=_at(day, c.at), minutes=90, note=c.note)
            for s in self.current:
                asks = not c.nationalities or s.nationality in c.nationalities
                if rng.random() >= (c.chance if asks else 0.01):
                    continue
                open_days = [d for d in days if d >= s.arrived and d.weekday() < 5]
                if open_days:
                    at = _at(rng.choice(open_days), dt.time(13))
                    self.add(ClergyVisit, **visit, starts_at=at, minutes=45, person_id=s.person_id,
                             note="Samtale etter ønske")  # fmt: skip

    # The register ------------------------------------------------------------------------------

    def _runs(self, act: Act, session: Session, day: dt.date) -> bool:
        """Whether the session ran on the day: not a public holiday (unless the activity runs
        then), a facility closure or a cancellation."""
        return (
            session.weekday == day.weekday()
            and session.valid_from <= day
            and (act.obj.runs_on_holidays or not calendar.is_public_holiday(day))
            and day not in self.closed[None]
            and (id(session), day) not in self.cancelled
        )

    def attendance(self, pks: Iterator[int]) -> Iterator[tuple[Any, ...]]:
        """One mark per place and session that ran, from the saved places. Mostly attended; a
        day's sickness, visit or refusal is the person's, not the session's; a session that
        overlaps one the person went to is a clash; a closed unit cancels it for its persons."""
        rng = random.Random(f"{self.seed}-attendance-{self.fac['code']}")
        ran = {
            (id(a), day): [s for s in a.sessions if self._runs(a, s, day)]
            for a in self.acts
            for day in self.e.window
        }
        by_stay: dict[int, list[Place]] = defaultdict(list)
        for p in self.places:
            by_stay[id(p.stay)].append(p)
        for places in by_stay.values():
            stay = places[0].stay
            lax = 8.0 if rng.random() < 0.05 else 1.0
            weights = (90, 3, 1.5, 1.5, 3 if stay.status == REMAND else 0.8, 0.6 * lax, 0.6 * lax)
            for day in self.e.window:
                todays = [
                    (p.act.priority, s.starts, p, s)
                    for p in places
                    if p.holds(day)
                    for s in ran[id(p.act), day]
                ]
                todays.sort(key=lambda t: (t[0], t[1]))
                state: str = rng.choices(DAY_STATES, weights)[0] if todays else ""
                kept: list[tuple[int, int]] = []
                for _, _, p, s in todays:
                    outcome, note, state = self._mark(rng, stay, day, p, s, state, kept)
                    yield (next(pks), p.alloc.pk, s.pk, day, stay.person_id, stay.episode_id,
                           outcome, note, p.act.obj.leader_id, _at(day, s.ends))  # fmt: skip

    def _mark(
        self, rng: random.Random, stay: Stay, day: dt.date, place: Place, session: Session,
        state: str, kept: list[tuple[int, int]],
    ) -> tuple[str, str, str]:  # fmt: skip
        """The outcome of one session, and the day's state for the next one (a visit or a
        health appointment takes one duty session)."""
        span = (_minutes(session.starts), _minutes(session.ends))
        if day in self.closed[stay.unit_id]:
            return Outcome.CANCELLED, "Avdelingen var stengt", state
        if stay.absent_from is not None and day >= stay.absent_from:
            return Outcome.ABSENT, "", state
        if state == Outcome.ATTENDED and any(a < span[1] and span[0] < b for a, b in kept):
            return Outcome.CLASH, "", state
        kept.append(span)
        duty = place.act.offer.duty
        if state in ONE_SESSION:
            return (state, "", Outcome.ATTENDED) if duty else (Outcome.ATTENDED, "", state)
        if state == Outcome.REFUSED and not duty:
            return Outcome.UNEXCUSED, "", state
        if state == Outcome.ATTENDED and rng.random() < 0.03:
            return Outcome.LATE, "", state
        return state, "", state


DAY_STATES = (
    Outcome.ATTENDED,
    Outcome.SICK,
    Outcome.VISIT,
    Outcome.HEALTH,
    Outcome.LEGAL_VISIT,
    Outcome.REFUSED,
    Outcome.UNEXCUSED,
)
ONE_SESSION = (Outcome.VISIT, Outcome.HEALTH, Outcome.LEGAL_VISIT)
ATTENDANCE_FIELDS = (
    "id", "allocation", "session", "on", "person", "episode", "outcome", "note", "recorded_by",
    "recorded_at",
)  # fmt: skip
WRITE_ORDER: tuple[tuple[str, type[Any]], ...] = (
    ("activities", Activity),
    ("sessions", Session),
    ("cancellations", SessionCancellation),
    ("day_plans", DayPlan),
    ("day_plan_blocks", DayPlanBlock),
    ("unit_regimes", UnitRegime),
    ("closures", Closure),
    ("allocations", Allocation),
    ("suspensions", Suspension),
    ("diets", DietRequirement),
    ("education_records", EducationRecord),
    ("clergy_visits", ClergyVisit),
)


def seed_regime(*, seed: int) -> dict[str, int]:
    """The daily regime of every facility that has none yet (see the module docstring), and
    the counts of what was made. A second call adds nothing."""
    with transaction.atomic():
        estate = _load(clock.today())
        counts = {"teachers": _ensure_teachers(estate, seed)}
        plans = [FacilityRegime(estate, fac, seed) for fac in estate.facilities]
        for plan in plans:
            plan.plan()
        for key, model in WRITE_ORDER:
            rows = [row for plan in plans for row in plan.rows[model]]
            counts[key] = len(model.objects.bulk_create(rows, batch_size=2000))
        loader = Loader()
        table = loader.table(Attendance, ATTENDANCE_FIELDS)
        first = loader.first_id(Attendance)
        pks = iter(range(first, first + 10**12))
        for plan in plans:
            for row in plan.attendance(pks):
                table.add(row)
        loader.finish()
        counts["attendance"] = table.written
        # The allowance the register earned, as the nightly run would have stored it.
        run = allowance_compute(
            actor=SystemActor("demo", frozenset({Cap.ALLOWANCE_RUN})),
            days=estate.window,
            facility_ids=[f["pk"] for f in estate.facilities],
        )
        counts["allowance_days"] = run.person_days
    return counts
