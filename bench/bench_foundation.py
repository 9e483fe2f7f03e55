"""Foundation benchmarks (issue 2, 'Performance'): person search and the roll at the large scale.

Builds the ``large`` scale (100,000 persons in custody, 1,000,000 person records with history) in
a PostgreSQL database of its own, or reuses it if it is already there, then measures in the
Django process (selector call, Python and database together, warm caches):

* person search (``custody.selectors.search_persons``) over ~200 varied queries (names with and
  without Norwegian letters, fragments, full names, identity numbers, person numbers, misses) as
  the case manager of a ~400-place facility, as the directorate user (the role as defined has no
  person search), and across the whole service: the same selector with the caseload widened to
  every person in custody, the most any actor could ever see;
* the roll (``custody.selectors.facility_roll``) of that ~400-place facility;
* the number of queries of each.

The database is migrated before measuring, so a database seeded earlier gets the new migrations
(e.g. people 0002: the ``in_custody`` flag and the partial indexes of the search), and the
person and episode tables are vacuumed and analysed (``--no-vacuum``: measure them as they are).
It prints JSON on stdout (progress on stderr).

    uv run python bench/bench_foundation.py [--reset] [--explain] [--parallel-workers N]
        [--queries N] [--no-vacuum]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from foundation_support import (
    QueryLog,
    ensure_large_scale,
    log,
    machine,
    setup,
    vacuum_analyze,
    whole_service_caseload,
)

TARGET_MS = {"search_p95": 50.0, "roll_p95": 50.0}
ROLL_PLACES = 400


def timed(fn: Callable[[], Any]) -> tuple[float, float, int, list[tuple[str, Any]]]:
    """Milliseconds in all, milliseconds in the database, number of queries, the queries."""
    from django.db import connection

    log_ = QueryLog()
    with connection.execute_wrapper(log_):
        started = time.perf_counter()
        fn()
        total = time.perf_counter() - started
    return total * 1000, log_.seconds * 1000, log_.count, log_.last


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def stats(ms: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "max_ms": round(max(ms), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
    }


def run_search(actor: Any, queries: list[tuple[str, str]], *, explain: bool) -> dict[str, Any]:
    """Each query once to warm up, then each once measured."""
    from normalitet.custody.selectors import search_persons

    for _, q in queries:
        search_persons(actor=actor, q=q)
    rows: list[tuple[float, float, int, int, str, str, list[tuple[str, Any]]]] = []
    for kind, q in queries:
        found: list[Any] = []
        total, db, n, sqls = timed(
            lambda q=q, found=found: found.extend(search_persons(actor=actor, q=q))
        )
        rows.append((total, db, n, len(found), kind, q, sqls))
    totals = [r[0] for r in rows]
    by_kind: dict[str, list[float]] = {}
    for r in rows:
        by_kind.setdefault(r[4], []).append(r[0])
    slowest = sorted(rows, key=lambda r: -r[0])[:5]
    result: dict[str, Any] = {
        "queries": len(rows),
        **stats(totals),
        "db": stats([r[1] for r in rows]),
        "sql_queries_per_search": sorted({r[2] for r in rows}),
        "with_results": sum(1 for r in rows if r[3]),
        "p95_ms_by_kind": {k: round(percentile(v, 95), 2) for k, v in sorted(by_kind.items())},
        "slowest": [
            {"q": r[5], "kind": r[4], "ms": round(r[0], 2), "found": r[3]} for r in slowest
        ],
    }
    if explain and slowest and slowest[0][6]:
        sql, params = slowest[0][6][-1]
        result["explain_slowest"] = explain_plan(sql, params)
    return result


def explain_plan(sql: str, params: Any) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def person_indexes() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'people_person' ORDER BY 1"
        )
        return [row[0] for row in cursor.fetchall()]


def run_roll(facility: Any, repeat: int = 100) -> dict[str, Any]:
    from normalitet.custody.selectors import facility_roll

    for _ in range(5):
        facility_roll(facility=facility)
    samples = [timed(lambda: facility_roll(facility=facility)) for _ in range(repeat)]
    roll = facility_roll(facility=facility)
    return {
        "facility": facility.name,
        "places": roll.total.places,
        "on_roll": roll.total.on_roll,
        "units": len(roll.rows),
        "runs": repeat,
        **stats([s[0] for s in samples]),
        "db": stats([s[1] for s in samples]),
        "sql_queries": sorted({s[2] for s in samples}),
    }


# --- what to search for ------------------------------------------------------------------------


def make_queries(
    episodes: list[Any], rng: random.Random, count: int = 200
) -> list[tuple[str, str]]:
    """Varied queries built from the people the actor can see, plus some that find nobody."""
    from normalitet.core.text import fold

    persons = [e.person for e in episodes]
    nordic = [
        p
        for p in persons
        if any(c in (p.family_name + p.given_names).lower() for c in "æøåéäöüłšžćčėąęțșăđ")
    ]
    with_id = [p for p in persons if p.national_id]
    shares = [
        ("name", 0.20),
        ("name_special_letters", 0.15),
        ("name_folded", 0.15),
        ("full_name", 0.12),
        ("fragment", 0.08),
        ("first_keystrokes", 0.05),
        ("identity_number", 0.10),
        ("person_number", 0.10),
        ("miss", 0.05),
    ]
    queries: list[tuple[str, str]] = []
    for kind, share in shares:
        for _ in range(round(count * share)):
            p = rng.choice(nordic if kind == "name_special_letters" and nordic else persons)
            family = p.family_name.split()[-1]
            if kind in ("name", "name_special_letters"):
                q = family
            elif kind == "name_folded":
                q = fold(family) if rng.random() < 0.7 else fold(family).upper()
            elif kind == "full_name":
                q = f"{p.given_names.split()[0]} {family}"
                q = fold(q) if rng.random() < 0.5 else q
            elif kind == "fragment":
                start = rng.randrange(max(1, len(family) - 3))
                q = family[start : start + rng.choice((3, 4))]
            elif kind == "first_keystrokes":
                q = family[: rng.choice((1, 2))]
            elif kind == "identity_number":
                n = rng.choice(with_id).national_id
                q = n if rng.random() < 0.6 else f"{n[:6]} {n[6:]}"
            elif kind == "person_number":
                number = p.person_number
                q = rng.choice((number, number.lower(), str(int(number[1:]))))
            else:
                q = rng.choice(("Zyxwvq", "Qqqxz Ytrewq", "31019900000", "N9999999", "ÆØÅæøåx"))
            queries.append((kind, q))
    rng.shuffle(queries)
    return queries[:count]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reset", action="store_true", help="drop and re-seed the database")
    parser.add_argument("--queries", type=int, default=200, help="search queries per actor")
    parser.add_argument(
        "--parallel-workers",
        type=int,
        default=None,
        help="set max_parallel_workers_per_gather for the session (default: the server's)",
    )
    parser.add_argument(
        "--no-vacuum",
        action="store_true",
        help="measure as the tables are (default: VACUUM ANALYZE the person and episode tables)",
    )
    parser.add_argument(
        "--explain", action="store_true", help="add the plan of the slowest search of each actor"
    )
    args = parser.parse_args()

    url = setup(reset=args.reset)
    from django.db.models import Q, Sum

    from normalitet.custody.models import CustodyEpisode, Movement
    from normalitet.estate.models import Facility
    from normalitet.identity.models import User
    from normalitet.identity.roles import Role
    from normalitet.people.models import Person

    dataset = ensure_large_scale()
    vacuumed: dict[str, Any] | None = None
    if not args.no_vacuum:
        log("VACUUM ANALYZE of the person and episode tables")
        vacuumed = vacuum_analyze(("people_person", "custody_custodyepisode"))
    log("Measuring")
    if args.parallel_workers is not None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"SET max_parallel_workers_per_gather = {int(args.parallel_workers)}")
    facility = min(
        Facility.objects.annotate(
            places=Sum(
                "units__cells__capacity",
                filter=Q(units__is_active=True, units__cells__is_active=True),
            )
        ),
        key=lambda f: abs((f.places or 0) - ROLL_PLACES),
    )
    case_manager = User.objects.filter(facility=facility, role=Role.CASE_MANAGER).first()
    directorate = User.objects.filter(role=Role.NATIONAL).first()
    rng = random.Random("normalitet-bench")
    open_eps = CustodyEpisode.objects.filter(released_at__isnull=True).select_related("person")
    local = list(open_eps.filter(facility=facility))
    ids = list(open_eps.order_by("pk").values_list("pk", flat=True))
    everyone = list(open_eps.filter(pk__in=rng.sample(ids, min(5000, len(ids)))).order_by("pk"))
    local_queries = make_queries(local, rng, args.queries)
    service_queries = make_queries(everyone, rng, args.queries)

    search: dict[str, Any] = {
        "case_manager": {
            "actor": f"{case_manager.username} ({facility.name})",
            **run_search(case_manager, local_queries, explain=args.explain),
        },
        "directorate": {
            "actor": f"{directorate.username} (national role: no person search)",
            **run_search(directorate, service_queries, explain=False),
        },
    }
    with whole_service_caseload():
        search["whole_service"] = {
            "actor": "search_persons with the caseload widened to all persons in custody",
            **run_search(case_manager, service_queries, explain=args.explain),
        }
    result: dict[str, Any] = {
        "benchmark": "foundation",
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": "uv run python " + " ".join(["bench/bench_foundation.py", *sys.argv[1:]]),
        "database_url": url,
        "machine": machine(),
        "dataset": {
            "vacuum_analyze": vacuumed,
            "persons": Person.objects.count(),
            "in_custody": open_eps.count(),
            "persons_flagged_in_custody": Person.objects.filter(in_custody=True).count(),
            "person_indexes": person_indexes(),
            "episodes": CustodyEpisode.objects.count(),
            "movements": Movement.objects.count(),
            "facilities": Facility.objects.count(),
            "staff_users": User.objects.count(),
            "seed": {
                k: dataset.get(k)
                for k in ("reused", "seeded_at", "seconds", "seconds_before_commit", "migrations")
                if k in dataset
            },
        },
        "targets_ms": TARGET_MS,
        "search": search,
        "roll": run_roll(facility),
    }
    result["meets_targets"] = {
        f"search_p95_{name}": s["p95_ms"] <= TARGET_MS["search_p95"] for name, s in search.items()
    } | {"roll_p95": result["roll"]["p95_ms"] <= TARGET_MS["roll_p95"]}
    print(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
