"""Planning benchmarks (issue 4, 'Performance'): the facility progression list and the 90-day
release list for the largest facility at the ``large`` scale in at most 100 ms of server time,
with a query count that does not grow with the rows.

Uses the database of bench_foundation.py (``DATABASE_URL``, default
postgres://postgres@127.0.0.1:5432/normalitet_bench): creates, migrates and seeds the large
scale if needed, then the sentences (``seed_sentences``, as bench_recalc.py), the plans
(``seed_plans``: contact officers, needs mappings, risk assessments, sentence plans) and the
reentry referrals (``seed_reentry``) where they are missing, each timed. Then, as the case
manager of the facility with the most places, it measures (warm, ``--runs`` times each):

* ``progression``: ``planning.pathway.less_restrictive_candidates`` (persons eligible for a less
  restrictive form and not moved, with the reason recorded);
* ``releases``: ``planning.reentry.facility_releases`` (everyone leaving in the next 90 days,
  with their release readiness and the SGL § 41 flags);
* the same two pages through Django's test client (``page_*``): URL routing, middleware,
  session, the view, the template, the response: the server time of the whole request;
* the number of SQL queries of each, and of the selector on a facility with fewer rows, to
  show the count does not grow with them.

It prints one JSON document on stdout (progress on stderr).

    uv run python bench/bench_planning.py [--reset] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from typing import Any

from bench_foundation import stats
from bench_recalc import seed_if_needed
from foundation_support import QueryLog, ensure_large_scale, log, machine, setup, vacuum_analyze

TARGET_MS = 100.0
TABLES = (
    "custody_custodyepisode",
    "sentencing_calculation",
    "sentencing_execution",
    "planning_pathwaydecision",
    "planning_needsassessment",
    "planning_needsitem",
    "planning_referral",
    "planning_coordinationconsent",
)


def timed(fn: Callable[[], Any]) -> tuple[float, int, Any]:
    from django.db import connection

    queries = QueryLog(keep=False)
    with connection.execute_wrapper(queries):
        started = time.perf_counter()
        result = fn()
        ms = (time.perf_counter() - started) * 1000
    return ms, queries.count, result


def seed_planning() -> dict[str, Any]:
    """Plans and reentry referrals where they are missing, timed."""
    from normalitet.planning.demo import seed_plans
    from normalitet.planning.demo_reentry import seed_reentry
    from normalitet.planning.models import NeedsAssessment, Referral

    out: dict[str, Any] = {}
    if not NeedsAssessment.objects.exists():
        log("Seeding plans (contact officers, needs, risk, sentence plans)")
        started = time.perf_counter()
        out["plans"] = seed_plans()
        out["plans_seconds"] = round(time.perf_counter() - started, 1)
    if not Referral.objects.exists():
        log("Seeding reentry referrals and consents")
        started = time.perf_counter()
        out["reentry"] = seed_reentry(seed=20_261_124)
        out["reentry_seconds"] = round(time.perf_counter() - started, 1)
    return out


def measure(name: str, fn: Callable[[], Any], runs: int) -> dict[str, Any]:
    fn()  # warm
    ms, counts, size, unit = [], set(), 0, "rows"
    for _ in range(runs):
        took, n, result = timed(fn)
        ms.append(took)
        counts.add(n)
        size, unit = len(result), "bytes" if isinstance(result, bytes) else "rows"
    log(f"{name}: p50 {stats(ms)['p50_ms']} ms, {sorted(counts)} queries, {size} {unit}")
    return {
        **stats(ms),
        "meets_target": stats(ms)["p95_ms"] <= TARGET_MS,
        "sql_queries": sorted(counts),
        unit: size,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reset", action="store_true", help="drop and re-seed the database")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    url = setup(reset=args.reset)
    dataset = ensure_large_scale()
    sentences = seed_if_needed()
    planning = seed_planning()
    log("VACUUM ANALYZE")
    vacuum_analyze(TABLES)

    from django.db.models import Q, Sum
    from django.test import Client

    from normalitet.core import clock
    from normalitet.custody.models import CustodyEpisode
    from normalitet.estate.models import Facility
    from normalitet.identity.models import User
    from normalitet.identity.roles import Role
    from normalitet.planning.pathway import less_restrictive_candidates
    from normalitet.planning.reentry import facility_releases

    places = Sum(
        "units__cells__capacity",
        filter=Q(units__cells__is_active=True, units__is_active=True),
    )
    facility = Facility.objects.annotate(places=places).order_by("-places", "pk").first()
    assert facility is not None
    actor = User.objects.filter(role=Role.CASE_MANAGER, facility=facility).order_by("pk").first()
    assert actor is not None
    small = (
        Facility.objects.filter(security_level=facility.security_level)
        .annotate(places=places)
        .filter(places__gt=0)
        .order_by("places", "pk")
        .first()
    )
    small_actor = User.objects.filter(role=Role.CASE_MANAGER, facility=small).first()
    today = clock.today()
    log(f"Largest facility: {facility.name} ({getattr(facility, 'places', 0)} places)")

    figures = {
        "progression": measure(
            "progression",
            lambda: less_restrictive_candidates(actor=actor, facility=facility, today=today),
            args.runs,
        ),
        "releases": measure(
            "releases",
            lambda: facility_releases(actor=actor, facility=facility, today=today),
            args.runs,
        ),
    }
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(actor)
    pages = {
        "page_progression": f"/planning/facilities/{facility.pk}/less-restrictive/",
        "page_releases": f"/planning/facilities/{facility.pk}/releases/",
    }
    for name, path in pages.items():

        def get(path: str = path) -> Any:
            response = client.get(path)
            assert response.status_code == 200, response.status_code
            return response.content

        figures[name] = measure(name, get, args.runs)
    if small is not None and small_actor is not None:
        figures["queries_on_a_smaller_facility"] = {
            "facility_places": getattr(small, "places", 0),
            "progression": timed(
                lambda: less_restrictive_candidates(actor=small_actor, facility=small, today=today)
            )[1],
            "releases": timed(
                lambda: facility_releases(actor=small_actor, facility=small, today=today)
            )[1],
        }
    print(
        json.dumps(
            {
                "benchmark": "bench_planning.py",
                "command": " ".join(["uv run python bench/bench_planning.py", *sys.argv[1:]]),
                "database": url.rsplit("@", 1)[-1],
                "machine": machine(),
                "dataset": {
                    "persons": dataset.get("persons"),
                    "in_custody": dataset.get("in_custody"),
                    "facilities": dataset.get("facilities"),
                },
                "seeding": {"sentences": sentences, **planning},
                "facility": {
                    "name": facility.name,
                    "places": getattr(facility, "places", 0),
                    "in_custody": CustodyEpisode.objects.filter(
                        facility=facility, released_at__isnull=True
                    ).count(),
                },
                "target_ms": TARGET_MS,
                "figures": figures,
            },
            indent=2,
            default=str,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
