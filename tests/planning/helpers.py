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
