"""Builders of health rows for the tests of what the prison sees of the health service (no
tests here). They write the health service's own rows directly, in its own database, with a
distinctive reason in every clinical field: the tests assert that none of it reaches a page
of the prison."""

from __future__ import annotations

import datetime as dt
from typing import Any

from normalitet.audit.models import AuditEvent
from normalitet.core.clock import OSLO
from normalitet.health.models import (
    Appointment,
    MedicalDiet,
    ObservationCheck,
    ObservationLevel,
    WorkFitness,
)

from ..conftest import NOW

# Clinical texts that stay with the health service: none may appear on a prison page.
SECRETS = (
    "Zebrafink-diagnose 4711",
    "Legekontoret rom 3",
    "Dr. Hemmelig",
    "Psychologist",
    "psychologist",
)
REASON, PLACE, CLINICIAN = SECRETS[:3]


def oslo(day: dt.date, clock: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(clock), tzinfo=OSLO)


def _stamp() -> dict[str, Any]:
    return {"created_at": NOW, "created_by_id": None, "created_by_name": CLINICIAN}


def observation(
    episode: Any,
    *,
    level: str = "close",
    interval: int = 15,
    started_at: dt.datetime = NOW - dt.timedelta(minutes=30),
) -> ObservationLevel:
    return ObservationLevel.objects.create(
        person_id=episode.person_id,
        facility_id=episode.facility_id,
        level=level,
        interval_minutes=interval,
        reason=REASON,
        started_at=started_at,
        **_stamp(),
    )


def check(obs: ObservationLevel, at: dt.datetime) -> ObservationCheck:
    return ObservationCheck.objects.create(
        observation=obs,
        person_id=obs.person_id,
        checked_at=at,
        state="settled",
        note=REASON,
        **_stamp(),
    )


def fitness(
    episode: Any,
    value: str,
    *,
    valid_from: dt.date = dt.date(2026, 2, 1),
    valid_to: dt.date | None = None,
) -> WorkFitness:
    return WorkFitness.objects.create(
        person_id=episode.person_id,
        fitness=value,
        valid_from=valid_from,
        valid_to=valid_to,
        reason=REASON,
        **_stamp(),
    )


def medical_diet(
    episode: Any, instruction: str, *, valid_from: dt.date = dt.date(2026, 2, 1)
) -> MedicalDiet:
    return MedicalDiet.objects.create(
        person_id=episode.person_id,
        kitchen_instruction=instruction,
        reason=REASON,
        valid_from=valid_from,
        **_stamp(),
    )


def appointment(
    episode: Any,
    starts_at: dt.datetime,
    minutes: int = 45,
    *,
    escort: str = "inside",
    status: str = "booked",
) -> Appointment:
    return Appointment.objects.create(
        person_id=episode.person_id,
        facility_id=episode.facility_id,
        service="psychologist",
        clinician_name=CLINICIAN,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes),
        place=PLACE,
        escort=escort,
        status=status,
        note=REASON,
        status_note=REASON,
        **_stamp(),
    )


def assert_nothing_clinical(body: str) -> None:
    """The page shows none of the health service's clinical texts, nor an appointment's kind."""
    for secret in SECRETS:
        assert secret not in body, secret


def assert_main_log_clean() -> None:
    """No row of the prison's main audit log holds the clinical reason."""
    assert not [e for e in AuditEvent.objects.all() if REASON in str(e.data) + e.reason]
