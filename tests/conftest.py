"""Shared fixtures: a small estate, one user per role, and time frozen where it matters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from normalitet.estate.models import SecurityLevel
from normalitet.identity.roles import Role

from .factories import CellFactory, FacilityFactory, RegionFactory, UnitFactory, UserFactory


def _keep_audit_triggers_through_sqlite_flush() -> None:
    """The audit log refuses DELETE with a trigger. Django's test flush (between transactional
    tests on SQLite) deletes every row, so for the flush only the triggers are dropped and made
    again. PostgreSQL flushes with TRUNCATE, which the row triggers do not stop."""
    from django.db.backends.sqlite3 import base  # noqa: F401  (loads operations in order)
    from django.db.backends.sqlite3.operations import DatabaseOperations

    from normalitet.audit import triggers

    original = DatabaseOperations.sql_flush

    health = triggers.for_table("health_healthauditevent")

    def sql_flush(self: Any, style: Any, tables: Any, **kwargs: Any) -> list[str]:
        statements = original(self, style, tables, **kwargs)
        if "audit_auditevent" in tables:
            statements = [*triggers.SQLITE_REVERSE, *statements, *triggers.SQLITE]
        if "health_healthauditevent" in tables:
            statements = [*health["sqlite_reverse"], *statements, *health["sqlite"]]
        return statements

    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]


def pytest_collection_modifyitems(items: list[Any]) -> None:
    """Every test that uses the database may use both: the main one and the health service's
    (pages and services read the health facade). A test's own marker keeps its other options."""
    db_fixtures = {"db", "transactional_db", "live_server", "django_db_setup"}
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None and not db_fixtures & set(getattr(item, "fixturenames", ())):
            continue
        kwargs = {**(marker.kwargs if marker else {}), "databases": "__all__"}
        args = marker.args if marker else ()
        item.add_marker(pytest.mark.django_db(*args, **kwargs), append=False)


def pytest_configure(config: Any) -> None:
    """Pages are tested with their real styles: install the npm assets once if they are missing."""
    from normalitet.cli import ensure_assets

    _keep_audit_triggers_through_sqlite_flush()
    ensure_assets(quiet=True)


@dataclass
class Estate:
    region: Any
    high: Any
    lower: Any
    unit_a: Any
    unit_b: Any
    lower_unit: Any
    cells_a: list[Any]
    cells_b: list[Any]
    double_cell: Any
    lower_cells: list[Any]


@pytest.fixture
def estate(db: Any) -> Estate:
    region = RegionFactory(code="OST", name="Region øst")
    high = FacilityFactory(region=region, code="FJV", name="Fjellvik fengsel")
    lower = FacilityFactory(
        region=region, code="LYN", name="Lyngmo fengsel", security_level=SecurityLevel.LOWER
    )
    unit_a = UnitFactory(facility=high, code="A", name="Avdeling A")
    unit_b = UnitFactory(facility=high, code="B", name="Avdeling B")
    lower_unit = UnitFactory(facility=lower, code="L1", name="Tunet")
    cells_a = [CellFactory(unit=unit_a, code=f"A{i}") for i in range(1, 4)]
    cells_b = [CellFactory(unit=unit_b, code=f"B{i}") for i in range(1, 3)]
    double_cell = CellFactory(unit=unit_b, code="B9", capacity=2, single_occupancy=False)
    lower_cells = [CellFactory(unit=lower_unit, code=f"L{i}", capacity=1) for i in range(1, 3)]
    return Estate(
        region, high, lower, unit_a, unit_b, lower_unit, cells_a, cells_b, double_cell, lower_cells
    )


@pytest.fixture
def users(estate: Estate) -> dict[str, Any]:
    """One user per role, all in the high-security facility (the officer in unit A)."""
    result: dict[str, Any] = {}
    for role in Role:
        facility = estate.high if role not in (Role.REGIONAL, Role.NATIONAL, Role.ADMIN) else None
        user = UserFactory(
            username=role.value,
            role=role.value,
            facility=facility,
            region=estate.region if role == Role.REGIONAL else None,
            profession="nurse" if role == Role.HEALTH else "",
        )
        if role in (Role.OFFICER, Role.CONTACT_OFFICER):
            user.units.set([estate.unit_a])
        result[role.value] = user
    lower_cm = UserFactory(
        username="lower_case_manager", role=Role.CASE_MANAGER, facility=estate.lower
    )
    result["lower_case_manager"] = lower_cm
    return result


NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def frozen(time_machine: Any) -> dt.datetime:
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def nurse(estate: Estate) -> Any:
    from .health.helpers import clinician

    return clinician(estate, "nurse")


@pytest.fixture
def doctor(estate: Estate) -> Any:
    from .health.helpers import clinician

    return clinician(estate, "doctor")
