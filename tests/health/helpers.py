"""Shared builders for the health service's tests: health staff by profession, and a person in
custody in the high-security facility (unit A, where the officer works)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from normalitet.core import clock
from normalitet.custody.models import CustodyEpisode
from normalitet.health import services_requests
from normalitet.health.models import Appointment, HealthAuditEvent, HealthRequest

from ..custody.helpers import admitted
from ..factories import UserFactory
from ..regime.helpers import client_for as client_for
from ..regime.helpers import post_json as post_json

API = "/api/v1/health"


def clinician(estate: Any, profession: str, username: str | None = None, **fields: Any) -> Any:
    """A member of the health staff of the high-security facility."""
    return UserFactory(
        username=username or profession,
        role="health",
        profession=profession,
        facility=estate.high,
        first_name=fields.pop("first_name", profession.title()),
        last_name=fields.pop("last_name", "Helse"),
        **fields,
    )


def patient(users: dict[str, Any], estate: Any, **person: Any) -> CustodyEpisode:
    """A person admitted to the high-security facility and placed in unit A (the officer's)."""
    return admitted(users, estate.high, estate.cells_a[0], **person)


# --- Requests and appointments (tests/health/test_requests_*.py) --------------------------------


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """An instant in March 2026 (the frozen clock's month), Oslo time."""
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=clock.OSLO)


def requests_world(users: dict[str, Any], estate: Any) -> dict[str, CustodyEpisode]:
    """Anders in unit A of the high-security facility (the officer's), Berit in its unit B,
    Lars in the lower-security facility."""
    return {
        "anders": patient(users, estate, given_names="Anders"),
        "berit": admitted(users, estate.high, estate.cells_b[0], given_names="Berit"),
        "lars": admitted(users, estate.lower, estate.lower_cells[0], given_names="Lars"),
    }


def requests_snapshot(*, reads: bool = False) -> tuple[Any, ...]:
    """The requests, the appointments and the number of health log events (the changes only,
    or with the reads too), to compare before and after a refusal."""
    events = HealthAuditEvent.objects.all()
    if not reads:
        events = events.filter(kind="change")
    return (
        list(HealthRequest.objects.order_by("pk").values()),
        list(Appointment.objects.order_by("pk").values()),
        events.count(),
    )


def book(actor: Any, world: dict[str, Any], starts_at: dt.datetime, **fields: Any) -> Appointment:
    """An appointment booked through the service; unless ``fields`` say otherwise, for Anders,
    with a nurse, 20 minutes in the health department, escorted inside."""
    return services_requests.appointment_book(
        actor=actor,
        starts_at=starts_at,
        **{
            "person_id": world["anders"].person_id,
            "service": "nurse",
            "minutes": 20,
            "place": "Helseavdelingen",
            "escort": "inside",
            **fields,
        },
    )
