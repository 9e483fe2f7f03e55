"""Builders shared by the record and care tests (no tests here): a small caseload in the
high-security facility and a person in another facility, and health rows written directly where
the test is not about the service that writes them. Time is frozen at Monday 2 March 2026,
10:30 in Oslo."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from normalitet.audit.models import AuditEvent
from normalitet.custody.models import CustodyEpisode
from normalitet.health.models import (
    Appointment,
    HealthAuditEvent,
    HealthRequest,
    ObservationLevel,
    Prescription,
)
from normalitet.identity.roles import Role

from ..custody.helpers import admitted
from .helpers import patient

TODAY = dt.date(2026, 3, 2)
NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
CLINICAL = "Kjent-cøliaki-og-jernmangel-5531"
# Every role of the prison: for them the health pages and API do not exist.
PRISON_ROLES = [r.value for r in Role if r is not Role.HEALTH]


@dataclass
class World:
    anders: CustodyEpisode
    berit: CustodyEpisode
    away: CustodyEpisode  # in custody at the lower-security facility


def world(users: dict[str, Any], estate: Any) -> World:
    anders = patient(users, estate, given_names="Anders", family_name="Ås")
    berit = admitted(users, estate.high, estate.cells_b[0], given_names="Berit", family_name="Øvre")
    away = admitted(users, estate.lower, estate.lower_cells[0], given_names="Kari")
    return World(anders, berit, away)


def release(episode: CustodyEpisode, day: dt.date | None) -> None:
    CustodyEpisode.objects.filter(pk=episode.pk).update(expected_release_date=day)


_refs = iter(range(1, 10_000))


def request(episode: CustodyEpisode, status: str = "new", **fields: Any) -> HealthRequest:
    return HealthRequest.objects.create(
        person_id=episode.person_id,
        facility_id=episode.facility_id,
        reference=f"H-T{next(_refs):06d}",
        service=fields.pop("service", "doctor"),
        text=fields.pop("text", "Vondt i ryggen"),
        status=status,
        created_at=fields.pop("created_at", NOW - dt.timedelta(hours=2)),
        **fields,
    )


def appointment(
    episode: CustodyEpisode, starts_at: dt.datetime, minutes: int = 30, **fields: Any
) -> Appointment:
    return Appointment.objects.create(
        person_id=episode.person_id,
        facility_id=episode.facility_id,
        service=fields.pop("service", "nurse"),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes),
        created_at=NOW - dt.timedelta(days=3),
        **fields,
    )


def prescription(episode: CustodyEpisode, medicine: str = "Metadon", **fields: Any) -> Prescription:
    return Prescription.objects.create(
        person_id=episode.person_id,
        facility_id=episode.facility_id,
        medicine=medicine,
        strength=fields.pop("strength", "10 mg/ml"),
        dose=fields.pop("dose", "8 ml"),
        rounds=fields.pop("rounds", ["morning"]),
        starts_on=fields.pop("starts_on", TODAY - dt.timedelta(days=30)),
        created_at=NOW - dt.timedelta(days=30),
        **fields,
    )


def observation(
    episode: CustodyEpisode, started_at: dt.datetime, minutes: int = 15
) -> ObservationLevel:
    return ObservationLevel.objects.create(
        person_id=episode.person_id,
        facility_id=episode.facility_id,
        level="close" if minutes == 15 else "hourly",
        interval_minutes=minutes,
        reason="Selvmordstanker etter dom",
        started_at=started_at,
        created_at=started_at,
    )


def changes(action: str) -> list[HealthAuditEvent]:
    return list(HealthAuditEvent.objects.filter(kind="change", action=action).order_by("id"))


def reads(person_id: int, what: str) -> int:
    return HealthAuditEvent.objects.filter(
        kind="access", person_id=person_id, action=f"view.{what}"
    ).count()


def main_log_is_clean(*texts: str) -> bool:
    """No row of the main audit log holds any of ``texts`` (clinical text stays in health)."""
    rows = [str(vars(e)) for e in AuditEvent.objects.all()]
    return not any(t in row for t in texts for row in rows)
