"""Regime benchmarks (issue 5, 'Performance'):

* ``day``: building the day's unit lists and the time-out-of-cell figures
  (``regime.schedule.unit_days``: every unit of the facility, who goes where and when, and each
  person's time out of cell and in company with the facility's counts) for the facility with
  the most places (about 400) of the ``national`` estate: target at most 200 ms;
* ``allowance_week``: computing and storing a week of the daily allowance for the whole
  ``national`` estate (``regime.allowance.allowance_compute`` as the system): target at most 5 s.

It uses ``DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/normalitet_bench_national;
a ``sqlite:///...`` URL works too), creates and migrates the database, and seeds the national
scale with the demo's sentences, plans and regime (activities, day plans, places, three weeks of
attendance) unless it is there. The clock is the day the data was seeded. It prints one JSON
document on stdout (progress on stderr).

    uv run python bench/bench_regime.py [--reset] [--runs N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from typing import Any

from bench_foundation import stats
from bench_planning import timed
from foundation_support import log, machine, setup

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/normalitet_bench_national"
DAY_TARGET_MS = 200.0
WEEK_TARGET_S = 5.0


def seed_if_needed() -> dict[str, Any]:
    from normalitet.cli import _seed_sentences
    from normalitet.demo.seed import seed
    from normalitet.people.models import Person

    if Person.objects.exists():
        return {"seeded": False}
    log("Seeding the national scale with sentences, plans and the regime")
    started = time.perf_counter()
    summary = seed(scale="national", progress=False, stdout=sys.stderr)
    summary["rest"] = _seed_sentences(progress=False)
    return {"seeded": True, "seconds": round(time.perf_counter() - started, 1)}


def seed_day() -> dt.date | None:
    """The day the data was seeded: the day after the regime's last attendance (None if none)."""
    from normalitet.regime.models import Attendance

    latest = Attendance.objects.order_by("-on").values_list("on", flat=True).first()
    return latest + dt.timedelta(days=1) if latest is not None else None


def largest_facility() -> Any:
    from django.db.models import Q, Sum

    from normalitet.estate.models import Facility

    active = Q(units__is_active=True, units__cells__is_active=True)
    return (
        Facility.objects.annotate(places=Sum("units__cells__capacity", filter=active, default=0))
        .order_by("-places", "pk")
        .first()
    )


def run_day(facility: Any, day: Any, runs: int) -> dict[str, Any]:
    from normalitet.regime import schedule

    def build() -> tuple[Any, Any]:
        return schedule.unit_days(facility_id=facility.pk, day=day)

    build()  # warm
    ms: list[float] = []
    queries = 0
    result: Any = None
    for _ in range(runs):
        elapsed, queries, result = timed(build)
        ms.append(elapsed)
    lists, tally = result
    return {
        "facility": f"{facility.code} {facility.name}",
        "places": facility.places,
        "day": day.isoformat(),
        "units": len(lists),
        "persons_present": tally.present,
        "locked_in_16h": tally.locked_in_long,
        "below_minimum": tally.below_minimum,
        "queries": queries,
        "ms": stats(ms),
        "target_p95_ms": DAY_TARGET_MS,
        "met": stats(ms)["p95_ms"] <= DAY_TARGET_MS,
    }


def run_week(day: Any, runs: int) -> dict[str, Any]:
    from normalitet.identity.policies import SystemActor
    from normalitet.identity.roles import Cap
    from normalitet.regime.allowance import allowance_compute
    from normalitet.regime.domain import calendar
    from normalitet.regime.models import AllowanceDay

    actor = SystemActor("bench", frozenset({Cap.ALLOWANCE_RUN}))
    week = calendar.week_of(day - dt.timedelta(days=7))
    # The first run creates every day of the week (as the nightly run does); the later ones
    # compute it again over the stored days.
    AllowanceDay.objects.filter(on__in=week, posted_at__isnull=True).delete()
    seconds: list[float] = []
    run: Any = None
    queries = 0
    run_created = None
    for _ in range(runs):
        elapsed, queries, run = timed(lambda: allowance_compute(actor=actor, days=week))
        seconds.append(elapsed / 1000)
        run_created = run.created if run_created is None else run_created
    return {
        "week": f"{week[0].isoformat()}..{week[-1].isoformat()}",
        "facilities": run.facilities,
        "person_days": run.person_days,
        "queries": queries,
        "seconds": [round(s, 2) for s in seconds],
        "first_run_created": run_created,
        "target_s": WEEK_TARGET_S,
        "met": max(seconds) <= WEEK_TARGET_S,
    }


def prepare(doc: str) -> tuple[argparse.Namespace, str, dict[str, Any], dt.date | None]:
    """The options (``--reset``, ``--runs``), the database set up, migrated and seeded at the
    national scale, and the day it was seeded (None when the regime demo did not seed)."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--reset", action="store_true", help="drop and rebuild the databases")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    url = setup(reset=args.reset)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    seeded = seed_if_needed()
    today = seed_day()
    if today is None:
        log("No attendance: the regime demo did not seed")
    return args, url, seeded, today


def main() -> int:
    args, url, seeded, today = prepare(__doc__)
    if today is None:
        return 1
    import time_machine

    with time_machine.travel(dt.datetime.combine(today, dt.time(10, 0)), tick=True):
        facility = largest_facility()
        log(f"Day lists and time out of cell of {facility.code} on {today}")
        day = run_day(facility, today, args.runs)
        log("A week of allowance for the whole estate")
        week = run_week(today, max(3, args.runs // 10))
    print(
        json.dumps(
            {
                "machine": machine(),
                "database": url.split("@")[-1],
                "command": "uv run python bench/bench_regime.py " + " ".join(sys.argv[1:]),
                "dataset": seeded,
                "day": day,
                "allowance_week": week,
            },
            indent=2,
            default=str,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
