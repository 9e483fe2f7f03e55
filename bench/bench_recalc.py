"""Recalculation benchmark (issue 3, 'Performance'): `normalitet recalc --all` at the large scale
finishes in under 2 minutes on PostgreSQL.

Uses the database of bench_foundation.py (``DATABASE_URL``, default
postgres://postgres@127.0.0.1:5432/normalitet_bench): creates, migrates and seeds the large scale
if needed, then gives every sentenced person (or in preventive detention) without an active
execution a sentence (``normalitet.sentencing.demo.seed_sentences``: records, then the first
calculation of each, timed), and measures the real command, ``normalitet.cli.main(["recalc",
"--all", "--quiet"])``, in this process (argument parsing, Django set-up, count, the
``recalc_all`` service as a SystemActor, the summary printed as JSON), twice:

* ``unchanged``: nothing changed since the last calculation, so every result is computed and
  compared with the one in force and nothing is stored;
* ``rule_change``: after a simulated rule change: the result in force of every execution has its
  expected release date (parole date, else expiry date; for preventive detention the frame end)
  one day later, and so has the expected release date of the open custody episode (one UPDATE
  each, jsonb_set). Every execution then gets a new calculation row (what moved: that one date),
  and every episode with an expected release date is synced back.

Each rule-change run adds one calculation per execution to the history (73,000 rows at the large
scale). It prints JSON on stdout (progress on stderr).

    uv run python bench/bench_recalc.py [--reset] [--only unchanged|rule_change]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import resource
import sys
import time
from typing import Any

from foundation_support import (
    QueryLog,
    ensure_large_scale,
    log,
    machine,
    setup,
    vacuum_analyze,
)

TARGET_SECONDS = 120.0
COMMAND = ["recalc", "--all", "--quiet"]

# The key whose date is moved: the expected release (as recalc._expected reads it), else a date
# every preventive detention result has.
RULE_CHANGE_CALCULATIONS = """
WITH in_force AS (
    SELECT DISTINCT ON (c.execution_id) c.id, CASE
        WHEN c.result ->> 'parole_date' IS NOT NULL THEN 'parole_date'
        WHEN c.result ->> 'expiry_date' IS NOT NULL THEN 'expiry_date'
        WHEN c.result ->> 'time_frame_end_date' IS NOT NULL THEN 'time_frame_end_date'
        WHEN c.result ->> 'minimum_term_end_date' IS NOT NULL THEN 'minimum_term_end_date'
    END AS key
    FROM sentencing_calculation c
    JOIN sentencing_execution x ON x.id = c.execution_id AND x.is_active
    ORDER BY c.execution_id, c.id DESC
)
UPDATE sentencing_calculation c
SET result = jsonb_set(
    c.result, ARRAY[f.key], to_jsonb(((c.result ->> f.key)::date + 1)::text)
)
FROM in_force f
WHERE c.id = f.id AND f.key IS NOT NULL
"""
RULE_CHANGE_EPISODES = """
UPDATE custody_custodyepisode e
SET expected_release_date = e.expected_release_date + 1
FROM sentencing_execution x
WHERE x.person_id = e.person_id AND x.is_active
  AND e.released_at IS NULL AND e.expected_release_date IS NOT NULL
"""
# Open episodes whose expected release is not the one of the calculation in force.
OUT_OF_SYNC = """
SELECT count(*)
FROM sentencing_execution x
JOIN custody_custodyepisode e ON e.person_id = x.person_id AND e.released_at IS NULL
JOIN LATERAL (
    SELECT result FROM sentencing_calculation c
    WHERE c.execution_id = x.id ORDER BY c.id DESC LIMIT 1
) c ON true
WHERE x.is_active AND e.expected_release_date IS DISTINCT FROM
    COALESCE(c.result ->> 'parole_date', c.result ->> 'expiry_date')::date
"""
ANALYZE_TABLES = (
    "sentencing_execution",
    "sentencing_judgment",
    "sentencing_sentence",
    "sentencing_deprivation",
    "sentencing_calculation",
    "custody_custodyepisode",
)


def sql_one(sql: str, params: Any = None) -> Any:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def sql_rowcount(sql: str) -> int:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.rowcount


def counts() -> dict[str, int]:
    from normalitet.sentencing.models import Calculation, Deprivation, Execution, Sentence

    return {
        "active_executions": Execution.objects.filter(is_active=True).count(),
        "sentences": Sentence.objects.count(),
        "deprivations": Deprivation.objects.count(),
        "calculations": Calculation.objects.count(),
    }


def pending_sentences() -> int:
    """Open episodes of sentenced persons (or in preventive detention) without an execution."""
    from normalitet.custody.models import CustodyEpisode, LegalStatus
    from normalitet.sentencing.models import Execution

    return (
        CustodyEpisode.objects.filter(
            released_at__isnull=True,
            legal_status__in=[LegalStatus.SENTENCED, LegalStatus.PREVENTIVE_DETENTION],
        )
        .exclude(person_id__in=Execution.objects.filter(is_active=True).values("person_id"))
        .count()
    )


def seed_if_needed() -> dict[str, Any]:
    """seed_sentences, timed: writing the records, and the first calculation (its recalc_all)."""
    from normalitet.sentencing import demo

    pending = pending_sentences()
    if not pending:
        log("Every sentenced person has a sentence already")
        return {"ran": False, "pending": 0}
    log(f"Seeding sentences for {pending:,} persons")
    timings: dict[str, float] = {}
    original = demo.recalc_all

    def timed_recalc(**kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(**kwargs)
        finally:
            timings["first_calculation_seconds"] = round(time.perf_counter() - started, 1)

    demo.recalc_all = timed_recalc  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        summary = demo.seed_sentences()
        seconds = time.perf_counter() - started
    finally:
        demo.recalc_all = original  # type: ignore[assignment]
    return {
        "ran": True,
        "pending": pending,
        "call": "normalitet.sentencing.demo.seed_sentences()",
        "seconds": round(seconds, 1),
        "records_seconds": round(seconds - timings["first_calculation_seconds"], 1),
        **timings,
        "summary": summary.as_dict(),
    }


def run_command() -> dict[str, Any]:
    """normalitet.cli.main(COMMAND) in this process: seconds, queries, exit status, summary."""
    from django.db import connection

    from normalitet import cli
    from normalitet.sentencing.models import Calculation

    before = Calculation.objects.count()
    queries = QueryLog(keep=False)
    out = io.StringIO()
    with connection.execute_wrapper(queries), contextlib.redirect_stdout(out):
        started = time.perf_counter()
        status = cli.main(list(COMMAND))
        seconds = time.perf_counter() - started
    summary = json.loads(out.getvalue())
    stored = Calculation.objects.count() - before
    per_second = summary["checked"] / seconds if seconds else 0.0
    return {
        "seconds": round(seconds, 1),
        "meets_target": seconds <= TARGET_SECONDS,
        "executions_per_second": round(per_second),
        "exit_status": status,
        "sql_queries": queries.count,
        "db_seconds": round(queries.seconds, 1),
        "calculations_stored": stored,
        "summary": {k: v for k, v in summary.items() if k != "refused_executions"},
        "refused_executions": summary.get("refused_executions", [])[:10],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reset", action="store_true", help="drop and re-seed the database")
    parser.add_argument(
        "--only", choices=("unchanged", "rule_change"), help="measure only one of the two runs"
    )
    args = parser.parse_args()

    url = setup(reset=args.reset)
    dataset = ensure_large_scale()
    seeding = seed_if_needed()
    log("VACUUM ANALYZE of the sentencing tables and the episodes")
    vacuumed = vacuum_analyze(ANALYZE_TABLES)
    before = counts()
    runs: dict[str, Any] = {}
    if args.only in (None, "unchanged"):
        log("Run 1: recalc --all, nothing changed")
        runs["unchanged"] = {
            "out_of_sync_before": sql_one(OUT_OF_SYNC),
            **run_command(),
            "out_of_sync_after": sql_one(OUT_OF_SYNC),
        }
    if args.only in (None, "rule_change"):
        log("Simulating a rule change: the date in force moved one day later")
        started = time.perf_counter()
        changed = sql_rowcount(RULE_CHANGE_CALCULATIONS)
        shifted = sql_rowcount(RULE_CHANGE_EPISODES)
        setup_seconds = time.perf_counter() - started
        vacuum_analyze(ANALYZE_TABLES)
        log("Run 2: recalc --all after the rule change")
        runs["rule_change"] = {
            "calculations_made_different": changed,
            "episodes_made_different": shifted,
            "simulation_seconds": round(setup_seconds, 1),
            **run_command(),
            "out_of_sync_after": sql_one(OUT_OF_SYNC),
        }
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result: dict[str, Any] = {
        "benchmark": "recalc",
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": "uv run python " + " ".join(["bench/bench_recalc.py", *sys.argv[1:]]),
        "measured": "normalitet.cli.main(" + json.dumps(COMMAND) + ") in process, stdout "
        "captured; queries counted with connection.execute_wrapper",
        "database_url": url,
        "machine": machine(),
        "dataset": {
            "seed": {
                k: dataset.get(k)
                for k in ("reused", "seeded_at", "seconds", "migrations")
                if k in dataset
            },
            "sentences_seeded": seeding,
            "vacuum_analyze": vacuumed,
            **before,
            "calculations_after": counts()["calculations"],
        },
        "target_seconds": TARGET_SECONDS,
        "runs": runs,
        "peak_memory_mib": round(peak_mib),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
