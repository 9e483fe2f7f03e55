from __future__ import annotations

from typing import Any

from normalitet.planning import services
from normalitet.planning.models import ContactOfficerCapacity

from ..custody.helpers import admitted


def allocated(users: dict[str, Any], estate: Any, cell: Any, officer: Any = None, **person: Any):
    """A person admitted to the high-security facility with a contact officer allocated."""
    episode = admitted(users, estate.high, cell, **person)
    services.contact_officer_allocate(
        actor=users["case_manager"],
        episode=episode,
        officer=officer or users["contact_officer"],
        reason="arrival",
    )
    episode.refresh_from_db()
    return episode


def capacity(officer: Any, n: int) -> None:
    ContactOfficerCapacity.objects.update_or_create(officer=officer, defaults={"max_persons": n})


def serving(actor: Any, episode: Any, *, start: Any = None, **length: Any) -> None:
    """A prison sentence of ``length`` (years, months, days) executed from ``start`` (1 January
    2026 unless given), through the sentencing services."""
    import datetime as dt

    from normalitet.sentencing import services as sentencing

    execution = sentencing.execution_start(
        actor=actor, person=episode.person, start_date=start or dt.date(2026, 1, 1)
    )
    sentencing.judgment_add(
        actor=actor,
        execution=execution,
        court="Oslo tingrett",
        case_number="25-100",
        judgment_date=dt.date(2025, 11, 1),
        date_final=None,
        sentences=[{"kind": "prison", **length}],
    )
