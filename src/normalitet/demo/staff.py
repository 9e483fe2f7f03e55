"""Staff users of every role for every facility, region and the directorate, and the demo logins.

The demo logins are named after their roles and work in the first facility; their password is
``demo``. Every other staff user has an unusable password: nobody can log in as them.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import string
from dataclasses import dataclass, field

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.utils.functional import Promise
from django.utils.text import format_lazy

from normalitet.estate.models import UnitKind
from normalitet.identity.roles import ROLES, Role

from .estate import EstatePlan
from .names import norwegian_name
from .population import username_for

DEMO_PASSWORD = "demo"  # noqa: S105 - the published demo password, for the demo only

# (username, role, Norwegian title used as the demo user's family name)
DEMO_LOGINS: tuple[tuple[str, Role, str], ...] = (
    ("officer", Role.OFFICER, "Fengselsbetjent"),
    ("contact-officer", Role.CONTACT_OFFICER, "Kontaktbetjent"),
    ("case-manager", Role.CASE_MANAGER, "Saksbehandler"),
    ("leader", Role.FACILITY_LEADER, "Fengselsleder"),
    ("regional", Role.REGIONAL, "Regionkontoret"),
    ("national", Role.NATIONAL, "Direktoratet"),
    ("health", Role.HEALTH, "Sykepleier"),
    ("doctor", Role.HEALTH, "Lege"),
    ("teacher", Role.TEACHER, "Lærer"),
    ("admin", Role.ADMIN, "Systemadministrator"),
)
DEMO_USERS: list[tuple[str, str | Promise]] = [
    (u, format_lazy("{} ({})", ROLES[r].label, title) if r == Role.HEALTH else ROLES[r].label)
    for u, r, title in DEMO_LOGINS
]
# What the demo's health staff are: the first of a facility's health staff is its doctor.
DEMO_PROFESSIONS = {"health": "nurse", "doctor": "doctor"}

USER_FIELDS = (
    "id",
    "password",
    "last_login",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
    "role",
    "region",
    "facility",
    "preferred_language",
    "profession",
)


@dataclass
class StaffPlan:
    rows: list[tuple[object, ...]] = field(default_factory=list)
    user_units: list[tuple[int, int]] = field(default_factory=list)  # (user pk, unit pk)
    # facility index -> role -> user pks
    by_facility: dict[int, dict[str, list[int]]] = field(default_factory=dict)
    contact_by_unit: dict[int, list[int]] = field(default_factory=dict)  # unit pk -> user pks
    demo: dict[str, int] = field(default_factory=dict)  # username -> pk
    demo_units: dict[str, list[int]] = field(default_factory=dict)  # username -> unit pks

    def pick(self, rng: random.Random, fac: int, role: Role) -> int | None:
        users = self.by_facility.get(fac, {}).get(role.value)
        return users[rng.randrange(len(users))] if users else None


class _Builder:
    def __init__(self, rng: random.Random, first_pk: int, at: dt.datetime) -> None:
        self.rng = rng
        self.next_pk = first_pk
        self.at = at
        self.plan = StaffPlan()
        self.taken: dict[str, int] = {}
        self._letters = string.ascii_letters + string.digits

    def add(
        self,
        role: Role,
        *,
        fac: int | None = None,
        facility_pk: int | None = None,
        region_pk: int | None = None,
        units: tuple[int, ...] = (),
        username: str = "",
        first: str = "",
        last: str = "",
        profession: str = "",
    ) -> int:
        pk = self.next_pk
        self.next_pk += 1
        if not username:
            first, last = norwegian_name(self.rng, self.rng.random() < 0.55)
            username = username_for(first, last, self.taken)
            password = UNUSABLE_PASSWORD_PREFIX + "".join(
                self.rng.choice(self._letters) for _ in range(40)
            )
        else:
            password = make_password(DEMO_PASSWORD)
        email = f"{username}@normalitet.example"
        self.plan.rows.append(
            (
                pk,
                password,
                None,
                False,
                username,
                first,
                last,
                email,
                False,
                True,
                self.at,
                role.value,
                region_pk,
                facility_pk,
                "nb",
                profession,
            )
        )
        for unit_pk in units:
            self.plan.user_units.append((pk, unit_pk))
        if fac is not None:
            self.plan.by_facility.setdefault(fac, {}).setdefault(role.value, []).append(pk)
        return pk


def plan_staff(
    rng: random.Random, estate: EstatePlan, *, first_pk: int, at: dt.datetime
) -> StaffPlan:
    b = _Builder(rng, first_pk, at)
    plan = b.plan
    units_of: dict[int, list[int]] = {}
    places: dict[int, int] = {}
    for i, u in enumerate(estate.units):
        if u.is_active:
            units_of.setdefault(u.facility_idx, []).append(i)
    for c in estate.cells:
        fidx = estate.units[c.unit_idx].facility_idx
        places[fidx] = places.get(fidx, 0) + c.capacity
    _demo_logins(b, estate, units_of.get(0, []))
    for fidx, fac in enumerate(estate.facilities):
        unit_pks = [estate.units[i].pk for i in units_of.get(fidx, [])]
        n = places.get(fidx, 0)
        kw = {"fac": fidx, "facility_pk": fac.pk}
        for unit_pk in unit_pks:
            for _ in range(2):
                b.add(Role.OFFICER, units=(unit_pk,), **kw)  # type: ignore[arg-type]
        if len(unit_pks) >= 2:
            b.add(Role.OFFICER, units=tuple(unit_pks[:2]), **kw)  # type: ignore[arg-type]
        for k in range(max(1, math.ceil(n / 12))):
            unit_pk = unit_pks[k % len(unit_pks)]
            pk = b.add(Role.CONTACT_OFFICER, units=(unit_pk,), **kw)  # type: ignore[arg-type]
            plan.contact_by_unit.setdefault(unit_pk, []).append(pk)
        for role, count in (
            (Role.CASE_MANAGER, max(1, math.ceil(n / 60))),
            (Role.FACILITY_LEADER, 1),
            (Role.TEACHER, 1 + n // 150),
        ):
            for _ in range(count):
                b.add(role, **kw)  # type: ignore[arg-type]
        # The municipality's health service: a doctor, and nurses by the number of places.
        for k in range(2 + n // 120):
            b.add(Role.HEALTH, profession="doctor" if k == 0 else "nurse", **kw)  # type: ignore[arg-type]
    for region_pk, _code, _name in estate.regions:
        for _ in range(2):
            b.add(Role.REGIONAL, region_pk=region_pk)
    for role, count in ((Role.NATIONAL, 4), (Role.ADMIN, 2), (Role.RESEARCHER, 1)):
        for _ in range(count):
            b.add(role)
    return plan


def _demo_logins(b: _Builder, estate: EstatePlan, first_units: list[int]) -> None:
    """The demo logins, all in the first facility (the regional office in its region)."""
    fac = estate.facilities[0]
    ordinary = [
        i for i in first_units if estate.units[i].kind in (UnitKind.ORDINARY, UnitKind.REMAND)
    ] or first_units
    officer_units = tuple(estate.units[i].pk for i in ordinary[-2:])
    contact_unit = (estate.units[ordinary[-1]].pk,)
    for username, role, title in DEMO_LOGINS:
        in_facility = role not in (Role.REGIONAL, Role.NATIONAL, Role.ADMIN)
        units = (
            officer_units
            if role == Role.OFFICER
            else (contact_unit if role == Role.CONTACT_OFFICER else ())
        )
        pk = b.add(
            role,
            fac=0 if in_facility and role != Role.CONTACT_OFFICER else None,
            facility_pk=fac.pk if in_facility else None,
            region_pk=fac.region_pk if role == Role.REGIONAL else None,
            units=units,
            username=username,
            first="Demo",
            last=title,
            profession=DEMO_PROFESSIONS.get(username, ""),
        )
        b.plan.demo[username] = pk
        b.plan.demo_units[username] = list(units)
