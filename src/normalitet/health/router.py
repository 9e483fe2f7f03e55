"""Keeps the health service's data in its own database, and only there.

The ``health`` app's models are read and written through the ``health`` alias; nothing else is
migrated into that database, and no relation crosses the two. Health rows name persons, staff and
facilities by their ids, never by foreign keys into the main database.
"""

from __future__ import annotations

from typing import Any

HEALTH_APP = "health"
HEALTH_DB = "health"


class HealthRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return HEALTH_DB if model._meta.app_label == HEALTH_APP else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return HEALTH_DB if model._meta.app_label == HEALTH_APP else None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        in_health = {obj1._meta.app_label == HEALTH_APP, obj2._meta.app_label == HEALTH_APP}
        return len(in_health) == 1

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return (db == HEALTH_DB) == (app_label == HEALTH_APP)
