"""Deterministic synthetic data at three scales (DESIGN.md, 'Scale to design for'; RULES.md § 12).

``small``: one region, two facilities, about sixty persons (tests and browser journeys).
``national``: shaped like Norway: 57 facilities in five regions, just under 4,000 places, about
3,100 persons in custody (26 % remand, 27 % foreign nationals, 4.5 % women, about 140 in
preventive detention, 10 under 18), a year of released episodes behind them.
``large``: the national estate 33 times over (about 1,900 facilities), 100,000 persons in custody
and 1,000,000 person records with their history, for the benchmarks.

The same scale gives the same data every time (fixed random seeds, primary keys given out from
the first free one); only the times move with the clock, so pass ``now`` for identical rows. All
names, numbers and places are made up. One audit event records the seeding itself.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from dataclasses import dataclass
from typing import Any, TextIO

from django.db import transaction
from tqdm import tqdm

from normalitet.audit.services import record_run
from normalitet.core import clock
from normalitet.custody.models import CustodyEpisode, Movement
from normalitet.estate.models import Cell, Facility, Municipality, Region, Unit
from normalitet.identity.models import User
from normalitet.people.models import NextOfKin, NonAssociation, Person, PersonAlert

from .current import Planner
from .estate import ESTATE_FIELDS, build_estate, estate_rows
from .extras import ALERT_FIELDS, KIN_FIELDS, NONASSOC_FIELDS, Extras
from .geography import MUNICIPALITY_FIELDS, assign_homes, municipality_rows, place_facilities
from .loader import Loader, postgres_bulk_mode
from .population import PERSON_FIELDS, assign_persons, describe, person_row
from .records import EPISODE_FIELDS, MOVEMENT_FIELDS, RecordWriter
from .staff import DEMO_USERS, USER_FIELDS, plan_staff

__all__ = ["DEMO_USERS", "SCALES", "Scale", "SeedError", "seed"]


@dataclass(frozen=True)
class Scale:
    name: str
    template: str  # "small" or "national"
    replicas: int  # copies of the template estate
    in_custody: int  # persons in custody now
    history: int  # released episodes
    persons: int  # person records in all


SCALES: dict[str, Scale] = {
    "small": Scale("small", "small", 1, 46, 18, 60),
    "national": Scale("national", "national", 1, 3100, 9000, 10_000),
    "large": Scale("large", "national", 33, 100_000, 1_150_000, 1_000_000),
}


class SeedError(Exception):
    """The data cannot be seeded (unknown scale, or the database already has persons)."""


def seed(
    *,
    scale: str,
    progress: bool = True,
    stdout: TextIO | None = None,
    now: dt.datetime | None = None,
    bulk_mode: bool | None = None,
) -> dict[str, Any]:
    """Fill an empty database with synthetic data at ``scale``; returns what was made.

    ``now`` anchors every time (default: the clock). ``bulk_mode`` (default: for ``large``)
    drops and re-creates the big tables' foreign keys and non-unique indexes around the load on
    PostgreSQL. Refuses to run on a database that already has persons: reset it first.
    """
    spec = SCALES.get(scale)
    if spec is None:
        raise SeedError(f"Unknown scale {scale!r}: choose one of {', '.join(SCALES)}.")
    if Person.objects.exists():
        raise SeedError(
            "The database already has persons; seed only an empty database "
            "(reset it first, e.g. `normalitet demo --reset`)."
        )
    seeder = _Seeder(spec, now or clock.now(), progress=progress, stdout=stdout)
    with transaction.atomic():
        summary = seeder.run(bulk=spec.name == "large" if bulk_mode is None else bulk_mode)
    summary["seconds"] = round(time.monotonic() - seeder.started, 1)
    return summary


class _Seeder:
    def __init__(
        self, spec: Scale, now: dt.datetime, *, progress: bool, stdout: TextIO | None
    ) -> None:
        self.spec = spec
        self.now = now.astimezone(dt.UTC).replace(microsecond=0)
        self.progress = progress
        self.out = stdout or sys.stderr
        self.loader = Loader()
        self.started = time.monotonic()

    def rng(self, part: str) -> random.Random:
        # Synthetic data must be reproducible, so a seeded generator, never a secret.
        return random.Random(f"normalitet-{self.spec.name}-{part}")  # noqa: S311

    def bar(self, desc: str, total: int) -> tqdm[Any]:
        return tqdm(
            total=total,
            desc=desc,
            file=self.out,
            disable=not self.progress,
            unit_scale=True,
            dynamic_ncols=True,
            leave=True,
        )

    def _write(
        self, model: type[Any], fields: tuple[str, ...], rows: list[tuple[object, ...]]
    ) -> int:
        """Write rows whose primary keys start at the model's first free one."""
        self.loader.take_ids(model, len(rows))
        table = self.loader.table(model, fields)
        for row in rows:
            table.add(row)
        table.flush()
        return len(rows)

    def run(self, *, bulk: bool) -> dict[str, Any]:
        spec, loader, at = self.spec, self.loader, self.now
        first = {
            key: loader.first_id(model)
            for key, model in (
                ("region", Region),
                ("facility", Facility),
                ("unit", Unit),
                ("cell", Cell),
            )
        }
        estate = build_estate(
            self.rng("estate"), template=spec.template, replicas=spec.replicas, ids=first
        )
        place_facilities(estate)
        rows = estate_rows(estate, at)
        for key, model in (
            ("region", Region),
            ("facility", Facility),
            ("unit", Unit),
            ("cell", Cell),
        ):
            self._write(model, ESTATE_FIELDS[key], rows[key])
        first_municipality = loader.first_id(Municipality)
        self._write(
            Municipality,
            MUNICIPALITY_FIELDS,
            municipality_rows(estate, first_municipality, at),
        )
        staff = plan_staff(self.rng("staff"), estate, first_pk=loader.first_id(User), at=at)
        self._write(User, USER_FIELDS, staff.rows)
        through = User.units.through
        first_link = loader.first_id(through)
        self._write(
            through,
            ("id", "user", "unit"),
            [(first_link + i, u, unit) for i, (u, unit) in enumerate(staff.user_units)],
        )

        now_ts = at.timestamp()
        today = at.astimezone(clock.OSLO).date()
        planner = Planner(
            self.rng("custody"),
            estate,
            now=now_ts,
            today_start=clock.local_day_bounds(today)[0].timestamp(),
        )
        planner.plan_current(spec.in_custody)
        with self.bar("Planning custody history", spec.history) as bar:
            planner.plan_history(spec.history, progress=bar)
        episodes = sorted(
            planner.episodes, key=lambda e: (e.admitted, e.segs[0][1] if e.segs else e.admitted)
        )
        persons = assign_persons(
            self.rng("persons"),
            episodes,
            estate=estate,
            bed_fac=planner.bed_fac,
            target=spec.persons,
            first_pk=loader.first_id(Person),
            now=now_ts,
        )
        describe(self.rng("names"), persons)
        assign_homes(
            self.rng("homes"), estate, persons, episodes, planner.bed_fac, first_municipality
        )
        first_episode = loader.take_ids(CustodyEpisode, len(episodes))
        for i, ep in enumerate(episodes):
            ep.pk = first_episode + i
        extras = Extras(
            self.rng("extras"),
            estate=estate,
            bed_fac=planner.bed_fac,
            staff=staff,
            persons=persons,
            episodes=episodes,
            now=now_ts,
        )
        contact = extras.contact_officers()

        big = (Person, NextOfKin, CustodyEpisode, Movement)
        with postgres_bulk_mode(big if bulk else ()):
            with self.bar("Writing persons", len(persons)) as bar:
                loader.take_ids(Person, len(persons))
                in_custody = {ep.person for ep in episodes if ep.current}
                table = loader.table(Person, PERSON_FIELDS)
                for n, p in enumerate(persons, 1):
                    at_ = dt.datetime.fromtimestamp(p.since, tz=dt.UTC)
                    table.add(person_row(p, at_, n - 1 in in_custody))
                    if n % 10_000 == 0:
                        bar.update(10_000)
                table.flush()
                bar.update(len(persons) % 10_000)
            movements = self._write_episodes(
                episodes, estate, planner, staff, persons, today, contact
            )
            counts = {
                "alerts": self._write(
                    PersonAlert, ALERT_FIELDS, list(extras.alerts(loader.first_id(PersonAlert)))
                ),
                "next_of_kin": self._write(
                    NextOfKin, KIN_FIELDS, list(extras.next_of_kin(loader.first_id(NextOfKin)))
                ),
                "non_associations": self._write(
                    NonAssociation,
                    NONASSOC_FIELDS,
                    list(extras.non_associations(loader.first_id(NonAssociation))),
                ),
            }
        loader.finish()
        summary: dict[str, Any] = {
            "scale": spec.name,
            "regions": len(estate.regions),
            "facilities": len(estate.facilities),
            "units": len(estate.units),
            "cells": len(estate.cells),
            "places": estate.places(),
            "staff_users": len(staff.rows),
            "persons": len(persons),
            "in_custody": sum(1 for ep in episodes if ep.current),
            "episodes": len(episodes),
            "movements": movements,
            **counts,
            "seconds_before_commit": round(time.monotonic() - self.started, 1),
        }
        record_run(
            actor=None,
            action="demo.seed",
            subject=f"demo.seed:{spec.name}",
            data=summary,
            reason="Synthetic demo data (normalitet seed)",
        )
        return summary

    def _write_episodes(
        self,
        episodes: list[Any],
        estate: Any,
        planner: Planner,
        staff: Any,
        persons: list[Any],
        today: dt.date,
        contact: dict[int, int],
    ) -> int:
        loader = self.loader
        episode_table = loader.table(CustodyEpisode, EPISODE_FIELDS)
        movement_table = loader.table(Movement, MOVEMENT_FIELDS)
        writer = RecordWriter(
            self.rng("records"),
            estate=estate,
            bed_fac=planner.bed_fac,
            staff=staff,
            persons=persons,
            now=self.now.timestamp(),
            today=today,
            first_movement_pk=loader.first_id(Movement),
            episode_sink=episode_table.add,
            movement_sink=movement_table.add,
        )
        writer.mark_shared(episodes)
        with self.bar("Writing custody episodes", len(episodes)) as bar:
            for i, ep in enumerate(episodes):
                writer.write(ep, i, contact.get(i))
                if i % 10_000 == 9_999:
                    bar.update(10_000)
            episode_table.flush()
            movement_table.flush()
            bar.update(len(episodes) % 10_000)
        loader.take_ids(Movement, writer.movements)
        return writer.movements
