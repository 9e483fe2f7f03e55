"""Shared builders for family contact's tests: visitors with approved contacts and cleared
police checks, visit rooms with weekly sessions, and court orders. They write rows directly;
the services are tested where they are used."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from normalitet.contact.models import (
    Contact,
    ContactStatus,
    CourtRestriction,
    PoliceCheck,
    PoliceCheckStatus,
    RoomKind,
    Visitor,
    VisitRoom,
    VisitSessionTemplate,
)

from ..regime.helpers import client_for as client_for
from ..regime.helpers import post_json


def visitor(
    given_names: str = "Kari",
    family_name: str = "Nordmann",
    *,
    birth_date: dt.date = dt.date(1980, 5, 17),
    cleared: bool = True,
    facility: Any = None,
    **fields: Any,
) -> Visitor:
    """A visitor; with ``cleared`` (and 15 or older) a police check cleared on 1 Jan 2026."""
    v = Visitor.objects.create(
        given_names=given_names, family_name=family_name, birth_date=birth_date, **fields
    )
    if cleared and facility is not None:
        PoliceCheck.objects.create(
            visitor=v,
            facility=facility,
            status=PoliceCheckStatus.CLEARED,
            requested_on=dt.date(2025, 12, 1),
            decided_on=dt.date(2026, 1, 1),
            expires_on=dt.date(2027, 1, 1),
        )
    return v


def contact(
    episode: Any,
    who: Visitor,
    relationship: str = "partner",
    *,
    listed: bool = True,
    status: str = ContactStatus.APPROVED,
    **fields: Any,
) -> Contact:
    return Contact.objects.create(
        person_id=episode.person_id,
        visitor=who,
        relationship=relationship,
        status=status,
        on_visitor_list=listed and relationship not in ("lawyer", "official"),
        **fields,
    )


def room(
    facility: Any,
    name: str = "Besøksrom 1",
    *,
    kind: str = RoomKind.ORDINARY,
    capacity: int = 1,
    seats: int = 4,
) -> VisitRoom:
    return VisitRoom.objects.create(
        facility=facility, name=name, kind=kind, capacity=capacity, seats=seats
    )


def session(
    where: VisitRoom,
    *,
    weekday: int = 2,
    starts: str = "17:00",
    ends: str = "18:00",
    capacity: int = 3,
    valid_from: dt.date = dt.date(2026, 1, 1),
    **fields: Any,
) -> VisitSessionTemplate:
    """A weekly session (by default Wednesdays 17-18)."""
    return VisitSessionTemplate.objects.create(
        room=where,
        weekday=weekday,
        starts_at=dt.time.fromisoformat(starts),
        ends_at=dt.time.fromisoformat(ends),
        capacity=capacity,
        valid_from=valid_from,
        **fields,
    )


def order(
    episode: Any,
    kind: str,
    *,
    starts_on: dt.date = dt.date(2026, 3, 1),
    ends_on: dt.date = dt.date(2026, 3, 28),
    **fields: Any,
) -> CourtRestriction:
    fields.setdefault("court", "Oslo tingrett")
    fields.setdefault("case_number", "26-012345MED-OTIR/01")
    fields.setdefault("ordered_on", starts_on)
    return CourtRestriction.objects.create(
        person_id=episode.person_id,
        episode=episode,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        **fields,
    )


API = "/api/v1/contact"


def post_api(client: Client, url: str, body: Any = None, *, base: str = API) -> Any:
    """POST ``body`` as JSON to ``url`` under the contact API (or ``base``)."""
    return post_json(client, f"{base}{url}", body or {})
