"""Support for bench_foundation.py: the widest caseload, the proposed search change, the machine."""

from __future__ import annotations

import contextlib
import os
import platform
from collections.abc import Iterator
from pathlib import Path
from typing import Any


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


# --- the proposed change, tried and removed ------------------------------------------------------

PROPOSAL_APPLY = (
    "ALTER TABLE people_person ADD COLUMN bench_in_custody boolean NOT NULL DEFAULT false",
    "UPDATE people_person p SET bench_in_custody = true FROM custody_custodyepisode e"
    " WHERE e.person_id = p.id AND e.released_at IS NULL",
    "CREATE INDEX bench_person_custody_trgm ON people_person USING gin"
    " (search_name gin_trgm_ops) WHERE bench_in_custody",
    "CREATE INDEX bench_person_custody_name ON people_person (family_name, given_names, id)"
    " INCLUDE (search_name) WHERE bench_in_custody",
)
PROPOSAL_REMOVE = (
    "DROP INDEX IF EXISTS bench_person_custody_trgm",
    "DROP INDEX IF EXISTS bench_person_custody_name",
    "ALTER TABLE people_person DROP COLUMN IF EXISTS bench_in_custody",
)


def proposed_search_persons(*, actor: Any, q: str, limit: int = 20) -> list[Any]:
    """``custody.selectors.search_persons`` with the two changes proposed in bench/README.md:
    only persons flagged as in custody (so the partial indexes apply), and the person's id, not
    the episode's, as the last sort key (one open episode per person, so the same order), which
    lets PostgreSQL sort the persons before it joins their episodes."""
    from normalitet.core.text import fold
    from normalitet.custody import selectors as s

    q = (q or "").strip()
    if not q:
        return []
    episodes = s.open_episodes_in_caseload(actor).select_related(
        "person", "facility", "unit", "cell"
    )
    # stands for .filter(person__in_custody=True) once the field exists
    episodes = episodes.extra(where=['"people_person"."bench_in_custody"'])
    compact = q.replace(" ", "")
    if s._ID_RE.match(compact):
        episodes = episodes.filter(person__national_id=compact)
    elif s._PERSON_NUMBER_RE.match(compact):
        digits = compact.lstrip("nN")
        episodes = episodes.filter(person__person_number=f"N{int(digits):07d}")
    else:
        for token in fold(q).split():
            episodes = episodes.filter(person__search_name__contains=token)
    order = ("person__family_name", "person__given_names", "person_id")
    return list(episodes.order_by(*order)[:limit])


@contextlib.contextmanager
def proposal_applied() -> Iterator[None]:
    """Apply the proposed schema and query change for the run, then remove it again."""
    from django.db import connection

    from normalitet.custody import selectors

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        had_trgm = cursor.fetchone() is not None
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for sql in PROPOSAL_REMOVE + PROPOSAL_APPLY:
            cursor.execute(sql)
        cursor.execute("VACUUM ANALYZE people_person")
    original = selectors.search_persons
    selectors.search_persons = proposed_search_persons  # type: ignore[assignment]
    try:
        yield
    finally:
        selectors.search_persons = original  # type: ignore[assignment]
        with connection.cursor() as cursor:
            for sql in PROPOSAL_REMOVE:
                cursor.execute(sql)
            if not had_trgm:
                cursor.execute("DROP EXTENSION IF EXISTS pg_trgm")
            cursor.execute("VACUUM ANALYZE people_person")


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
