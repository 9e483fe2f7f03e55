"""Family contact benchmark (issue 6, 'Performance'):

* ``free_slots``: the free places of a facility's visiting sessions over the next four weeks
  (``contact.visits.free_slots(facility_id=..., start=today, end=today + 27)``), what the
  visits desk, the person's visits page and the family portal show, for the facility with the
  most weekly sessions of the ``national`` estate: target p95 at most 50 ms.

It uses ``DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/normalitet_bench_contact),
creates and migrates the database, and seeds the national scale as the demo does (sentences,
plans, family contact, then the regime: ``bench_regime.seed_if_needed``) unless persons are
there, then the family-contact demo (``normalitet.contact.demo.seed_contact``: contacts, police
checks, visit rooms, sessions and bookings) unless visit rooms are there. The clock is the day
the data was seeded. It prints one JSON document on stdout (progress on stderr).

    uv run python bench/bench_contact.py [--reset] [--runs N] [--seed-only]
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
from bench_regime import seed_day, seed_if_needed
from foundation_support import log, machine, setup

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/normalitet_bench_contact"
SLOTS_TARGET_MS = 50.0
SEED = 20_261_124


def seed_contact_if_needed() -> dict[str, Any]:
    """The family-contact demo (contacts, checks, rooms, sessions, bookings) unless there."""
    from normalitet.contact.models import VisitRoom

    if VisitRoom.objects.exists():
        return {"seeded": False}
    started = time.perf_counter()
    from normalitet.contact.demo import seed_contact

    log("Seeding the family-contact demo")
    summary = seed_contact(seed=SEED)
    return {
        "seeded": True,
        "summary": summary,
        "seconds": round(time.perf_counter() - started, 1),
    }


def busiest_facility(today: dt.date) -> Any:
    """The facility with the most weekly visiting sessions in force today."""
    from django.db.models import Count, Q

    from normalitet.estate.models import Facility

    in_force = (
        Q(visit_rooms__active=True)
        & Q(visit_rooms__templates__valid_from__lte=today)
        & (
            Q(visit_rooms__templates__valid_to__isnull=True)
            | Q(visit_rooms__templates__valid_to__gte=today)
        )
    )
    return (
        Facility.objects.annotate(sessions=Count("visit_rooms__templates", filter=in_force))
        .order_by("-sessions", "pk")
        .first()
    )


def run_slots(facility: Any, today: dt.date, runs: int) -> dict[str, Any]:
    from normalitet.contact import visits
    from normalitet.contact.models import VisitBooking

    end = today + dt.timedelta(days=27)

    def search() -> list[Any]:
        return visits.free_slots(facility_id=facility.pk, start=today, end=end)

    search()  # warm
    ms: list[float] = []
    queries = 0
    found: list[Any] = []
    for _ in range(runs):
        elapsed, queries, found = timed(search)
        ms.append(elapsed)
    every = visits.slots(facility_id=facility.pk, start=today, end=end)
    figures = stats(ms)
    return {
        "facility": f"{facility.code} {facility.name}",
        "weekly_sessions": facility.sessions,
        "period": f"{today.isoformat()}..{end.isoformat()}",
        "sessions_in_period": len(every),
        "places": sum(s.capacity for s in every),
        "taken": sum(s.taken for s in every),
        "free_sessions": len(found),
        "bookings_of_facility": VisitBooking.objects.filter(facility_id=facility.pk).count(),
        "queries": queries,
        "runs": runs,
        "ms": figures,
        "target_p95_ms": SLOTS_TARGET_MS,
        "met": figures["p95_ms"] <= SLOTS_TARGET_MS,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reset", action="store_true", help="drop and rebuild the database")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--seed-only", action="store_true", help="seed, do not measure")
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    url = setup(reset=args.reset)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    seeded = seed_if_needed()
    import time_machine

    from normalitet.core import clock

    today = seed_day() or clock.today()
    with time_machine.travel(dt.datetime.combine(today, dt.time(8, 0)), tick=True):
        contact_seeded = seed_contact_if_needed()
        if args.seed_only:
            log(json.dumps({"dataset": seeded, "contact": contact_seeded}, default=str))
            return 0
        facility = busiest_facility(today)
        if facility is None or not facility.sessions:
            log("No visiting sessions: the contact demo did not seed")
            return 1
        log(f"Free visiting places of {facility.code} from {today}, four weeks")
        result = run_slots(facility, today, args.runs)
    print(
        json.dumps(
            {
                "machine": machine(),
                "database": url.split("@")[-1],
                "command": "uv run python bench/bench_contact.py " + " ".join(sys.argv[1:]),
                "dataset": seeded,
                "contact": contact_seeded,
                "free_slots": result,
            },
            indent=2,
            default=str,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
