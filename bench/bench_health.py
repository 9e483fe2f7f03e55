"""Health service benchmarks (issue 7): what health staff and officers wait for at the facility
with the most places (about 400) of the ``national`` estate, and the national sweep.

* ``day``: the health staff's day page (``services_record.day_of``: new requests, today's
  appointments, observations with their clocks, the dispensing rounds due, releases without a
  referral);
* ``patients``: the patient list of the whole facility with its flags
  (``services_record.patients``);
* ``round_sheet``: the morning round of the unit with the most persons on a prescription
  (``services_medication.round_sheet``; each person listed is logged as a read, so every run
  appends to the hash-chained access log, as the page does);
* ``alert``: the overdue-check alert that every page of an officer asks for
  (``context_processors.observation_alerts``);
* ``unit_day``: the regime's day list of that unit, which asks the facade for the day's
  appointment slots to list the escorts;
* ``sweep``: raising the missed checks of the whole estate (``facade.missed_check_sweep``).

It uses ``DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/normalitet_bench_national,
the dataset of ``bench_regime.py``) and the health database beside it (``<name>_health``); it
creates, migrates and seeds them as ``bench_regime.py`` does, and seeds the health caseload where
it is missing. The clock is 10:00 on the day the data was seeded. Queries are counted on both
databases. It prints one JSON document on stdout (progress on stderr).

    uv run python bench/bench_health.py [--reset] [--runs N]
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from types import SimpleNamespace
from typing import Any

from bench_foundation import stats
from bench_regime import largest_facility, prepare
from foundation_support import QueryLog, log, machine

PAGE_TARGET_MS = 200.0
ALERT_TARGET_MS = 20.0
SWEEP_TARGET_S = 5.0


def timed_both(fn: Callable[[], Any]) -> tuple[float, dict[str, int], Any]:
    """Milliseconds, the queries on each database, and the result of ``fn()``."""
    from django.db import connections

    logs = {alias: QueryLog(keep=False) for alias in ("default", "health")}
    with ExitStack() as stack:
        for alias, query_log in logs.items():
            stack.enter_context(connections[alias].execute_wrapper(query_log))
        started = time.perf_counter()
        result = fn()
        ms = (time.perf_counter() - started) * 1000
    return ms, {alias: q.count for alias, q in logs.items()}, result


def measure(
    fn: Callable[[], Any], runs: int, target_ms: float, describe: Callable[[Any], dict[str, Any]]
) -> dict[str, Any]:
    fn()  # warm
    ms: list[float] = []
    queries: dict[str, int] = {}
    result: Any = None
    for _ in range(runs):
        elapsed, queries, result = timed_both(fn)
        ms.append(elapsed)
    figures = stats(ms)
    return {
        **describe(result),
        "queries": queries,
        "ms": figures,
        "target_p95_ms": target_ms,
        "met": figures["p95_ms"] <= target_ms,
    }


def seed_health_if_needed() -> dict[str, Any]:
    from normalitet.health.demo import seed_health
    from normalitet.health.models import Prescription

    if Prescription.objects.exists():
        return {"seeded": False}
    log("Seeding the health caseload")
    started = time.perf_counter()
    counts = seed_health(seed=20_261_124)
    return {"seeded": True, "seconds": round(time.perf_counter() - started, 1), **counts}


def busiest_unit(facility: Any, day: dt.date) -> Any:
    from django.db.models import Count

    from normalitet.custody.models import CustodyEpisode
    from normalitet.health.models import Prescription

    on_medication = set(
        Prescription.objects.filter(facility_id=facility.pk, starts_on__lte=day)
        .exclude(ends_on__lt=day)
        .values_list("person_id", flat=True)
    )
    row = (
        CustodyEpisode.objects.filter(
            facility=facility, released_at__isnull=True, person_id__in=on_medication
        )
        .values("cell__unit")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    return row["cell__unit"] if row else None


def run(facility: Any, day: dt.date, runs: int) -> dict[str, Any]:
    from normalitet.estate.models import Unit
    from normalitet.health import facade, services_medication, services_record
    from normalitet.health.context_processors import observation_alerts
    from normalitet.identity.models import Role, User
    from normalitet.regime import schedule

    nurse = User.objects.filter(role=Role.HEALTH, facility=facility).order_by("pk").first()
    officer = User.objects.filter(role=Role.OFFICER, facility=facility).order_by("pk").first()
    if nurse is None or officer is None:
        raise SystemExit(f"{facility.code} has no health staff or officer in the dataset")
    unit_id = busiest_unit(facility, day)
    page = SimpleNamespace(user=officer)
    figures: dict[str, Any] = {}
    log("The health staff's day")
    figures["day"] = measure(
        lambda: services_record.day_of(nurse),
        runs,
        PAGE_TARGET_MS,
        lambda d: {
            "new_requests": d.new_requests_count,
            "appointments": len(d.appointments),
            "observations": len(d.observations),
            "rounds": len(d.rounds),
        },
    )
    log("The patient list")
    figures["patients"] = measure(
        lambda: services_record.patients(nurse),
        runs,
        PAGE_TARGET_MS,
        lambda rows: {"persons": len(rows)},
    )
    if unit_id is not None:
        log("The morning round of the busiest unit")
        figures["round_sheet"] = measure(
            lambda: services_medication.round_sheet(
                actor=nurse, unit_id=unit_id, day=day, round="morning"
            ),
            runs,
            PAGE_TARGET_MS,
            lambda sheet: {"unit_id": unit_id, "persons": len(sheet.persons)},
        )
    log("The officers' overdue alert")
    figures["alert"] = measure(
        lambda: observation_alerts(page),
        runs * 5,
        ALERT_TARGET_MS,
        lambda answer: {"overdue_in_caseload": answer.get("observation_overdue", 0)},
    )
    if unit_id is not None:
        log("The regime's day list of that unit, with its escorts")
        unit = Unit.objects.select_related("facility").get(pk=unit_id)
        figures["unit_day"] = measure(
            lambda: schedule.unit_day(unit=unit, day=day),
            runs,
            PAGE_TARGET_MS,
            lambda result: {"persons": len(result.rows), "escorts": len(result.escorts)},
        )
    log("The national sweep of missed checks")
    seconds: list[float] = []
    raised: list[int] = []
    queries: dict[str, int] = {}
    for _ in range(3):
        elapsed, queries, n = timed_both(facade.missed_check_sweep)
        seconds.append(elapsed / 1000)
        raised.append(n)
    figures["sweep"] = {
        "raised_per_run": raised,
        "queries": queries,
        "seconds": [round(s, 3) for s in seconds],
        "target_s": SWEEP_TARGET_S,
        "met": max(seconds) <= SWEEP_TARGET_S,
    }
    return figures


def main() -> int:
    args, url, seeded, today = prepare(__doc__)
    if today is None:
        return 1
    import time_machine

    with time_machine.travel(dt.datetime.combine(today, dt.time(10, 0)), tick=True):
        health = seed_health_if_needed()
        facility = largest_facility()
        log(f"Health pages of {facility.code} on {today}")
        figures = run(facility, today, args.runs)
    print(
        json.dumps(
            {
                "machine": machine(),
                "database": url.split("@")[-1],
                "command": "uv run python bench/bench_health.py " + " ".join(sys.argv[1:]),
                "dataset": {**seeded, "health": health},
                "facility": f"{facility.code} {facility.name}",
                "places": facility.places,
                "day": today.isoformat(),
                **figures,
            },
            indent=2,
            default=str,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
