"""Persons for the reentry tests: admitted on 2 June 2025 through the services, with a birth
date and an expected release date (time is frozen at 2 March 2026)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from normalitet.custody import services as custody
from normalitet.custody.models import CustodyEpisode
from normalitet.planning import services

from ..factories import PersonFactory

ADMITTED = dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC)
YOUNG = dt.date(2003, 5, 17)  # 22 on 2 March 2026
OLDER = dt.date(1990, 5, 17)  # 35
SOON = dt.date(2026, 5, 1)  # 60 days ahead: readiness window open since 1 November 2025


def inside(
    users: dict[str, Any],
    estate: Any,
    cell: Any = None,
    *,
    born: dt.date = YOUNG,
    release: dt.date | None = SOON,
    officer: Any = "contact_officer",
    facility: Any = None,
    **person: Any,
) -> CustodyEpisode:
    """A sentenced person in custody since 2 June 2025, with a contact officer unless
    ``officer`` is None."""
    facility = facility or estate.high
    cm = users["case_manager"] if facility == estate.high else users["lower_case_manager"]
    episode = custody.admit(
        actor=cm,
        person=PersonFactory(birth_date=born, **person),
        legal_status="sentenced",
        facility=facility,
        admitted_at=ADMITTED,
        expected_release_date=release,
    )
    if cell is not None:
        episode = custody.allocate_cell(actor=cm, episode=episode, cell=cell)
    if officer is not None:
        services.contact_officer_allocate(
            actor=cm, episode=episode, officer=users[officer], reason="arrival"
        )
    episode.refresh_from_db()
    return episode
