"""Builders for the family portal's tests: a registered visitor (user + visitor record) with a
contact of a person in custody, and a logged-in client."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from normalitet.contact.models import Visitor
from normalitet.identity.roles import Role

from ..contact.helpers import visitor
from ..factories import UserFactory

# Time is frozen at Monday 2 March 2026 10:30 in Oslo; the sessions are on Wednesdays 17-18,
# so 4 March is the first one bookable online (at least 24 hours ahead).
WED = dt.date(2026, 3, 4)


def portal_user(
    given_names: str = "Kari",
    family_name: str = "Nordmann",
    *,
    facility: Any = None,
    email: str = "",
    **fields: Any,
) -> Visitor:
    """A visitor registered in the portal (role visitor), police-cleared for ``facility``."""
    address = email or f"{given_names.lower()}@example.org"
    user = UserFactory(
        username=address,
        email=address,
        role=Role.VISITOR,
        facility=None,
        first_name=given_names,
        last_name=family_name,
    )
    v = visitor(given_names, family_name, facility=facility, email=address, **fields)
    v.user = user
    v.save(update_fields=["user"])
    return v


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c
