"""Support for the benchmarks on the large scale (bench_foundation.py, bench_recalc.py): the
database (created, migrated, seeded or reused), query counting, the widest caseload, the machine."""

from __future__ import annotations

import contextlib
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/normalitet_bench"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the database --------------------------------------------------------------------------------


def setup(*, reset: bool = False) -> str:
    """Point Django at the benchmark database (creating it if missing), set it up; its URL."""
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "normalitet.config.settings.dev")
    os.environ.setdefault(
        "NORMALITET_DATA_DIR", str(Path(tempfile.gettempdir()) / "normalitet-bench")
    )
    ensure_database(url, reset=reset)
    # The health service's own database beside it (settings derive its name: <name>_health).
    ensure_database(os.environ.get("HEALTH_DATABASE_URL") or f"{url}_health", reset=reset)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", database="health", interactive=False, verbosity=0)
    return url


def ensure_database(url: str, *, reset: bool) -> None:
    """Create the benchmark database if it is missing (or drop and create it with --reset)."""
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    if cfg["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("The benchmark runs on PostgreSQL: DATABASE_URL must be postgres://…")
    params = {
        "host": cfg.get("HOST") or None,
        "port": cfg.get("PORT") or None,
        "user": cfg.get("USER") or None,
        "password": cfg.get("PASSWORD") or None,
    }
    name = cfg["NAME"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reset:
            log(f"Dropping database {name}")
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            log(f"Creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def ensure_large_scale() -> dict[str, Any]:
    """Migrate (a seeded database gets the new migrations too), then seed the large scale unless
    it is there; say how long migrating and seeding took."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from normalitet.audit.models import AuditEvent
    from normalitet.demo.seed import SCALES, seed
    from normalitet.people.models import Person

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    names = [f"{m.app_label}.{m.name}" for m, _ in pending]
    log(f"Migrating: {', '.join(names)}" if names else "Migrations: up to date")
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrated = {"applied": names, "seconds": round(time.perf_counter() - started, 1)}
    event = AuditEvent.objects.filter(action="demo.seed").order_by("-id").first()
    if event is not None and event.data.get("scale") == "large":
        log("Reusing the large scale already in the database")
        return {
            "reused": True,
            "seeded_at": event.occurred_at.isoformat(),
            "migrations": migrated,
            **event.data,
        }
    if Person.objects.exists():
        raise SystemExit("The benchmark database holds other data: run with --reset.")
    log("Seeding the large scale (several minutes)")
    summary = seed(scale="large", progress=True, stdout=sys.stderr)
    assert summary["persons"] == SCALES["large"].persons
    return {"reused": False, "migrations": migrated, **summary}


def vacuum_analyze(tables: tuple[str, ...]) -> dict[str, Any]:
    """VACUUM ANALYZE, as autovacuum would eventually: fresh statistics for the planner and a
    visibility map for index-only scans (a migration's bulk UPDATE leaves neither)."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")
    return {"tables": list(tables), "seconds": round(time.perf_counter() - started, 1)}


# --- measuring -----------------------------------------------------------------------------------


class QueryLog:
    """Counts the queries of a call and the time spent in the database."""

    def __init__(self, *, keep: bool = True) -> None:
        self.count = 0
        self.seconds = 0.0
        self.keep = keep
        self.last: list[tuple[str, Any]] = []

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1
            if self.keep:
                self.last.append((sql, params))


@contextlib.contextmanager
def whole_service_caseload() -> Iterator[None]:
    """Widen the caseload to every person in custody, the most any actor could see."""
    from normalitet.custody import selectors
    from normalitet.custody.models import CustodyEpisode

    original = selectors.open_episodes_in_caseload
    selectors.open_episodes_in_caseload = (  # type: ignore[assignment]
        lambda actor: CustodyEpisode.objects.filter(released_at__isnull=True)
    )
    try:
        yield
    finally:
        selectors.open_episodes_in_caseload = original  # type: ignore[assignment]


# --- the machine ---------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    import django
    from django.db import connection

    info: dict[str, Any] = {
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
    }
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        info["postgresql"] = cursor.fetchone()[0]
        settings = {}
        for name in (
            "shared_buffers",
            "work_mem",
            "effective_cache_size",
            "max_parallel_workers_per_gather",
            "jit",
        ):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
        info["postgresql_settings"] = settings
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        info["database_size"] = cursor.fetchone()[0]
    return info
