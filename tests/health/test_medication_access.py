"""Every role against every medication page and API read: the health staff of the facility see
them, everyone else gets the 404 of a page that does not exist (the health service is invisible
to the prison), and nothing is logged for a refused read."""

from __future__ import annotations

import pytest

from normalitet.health.models import HealthAuditEvent
from normalitet.identity.roles import Role

from .builders_clinical import controlled, world
from .helpers import API, client_for

pytestmark = pytest.mark.django_db
__all__ = ["world"]

READS = [
    "/health/persons/{p}/medication/",
    "/health/rounds/",
    "/health/rounds/?unit={u}&date=2026-03-02&round=morning&print=1",
    "/health/controlled/",
    "/health/controlled/{s}/",
    API + "/persons/{p}/prescriptions",
    API + "/rounds?unit_id={u}",
    API + "/controlled",
    API + "/controlled/{s}/entries",
]


def test_only_health_staff_see_medication(world):
    _p, stock = controlled(world)
    values = {"p": world.anna.person_id, "u": world.estate.unit_a.pk, "s": stock.pk}
    urls = [u.format(**values) for u in READS]
    for role in Role:
        c = client_for(world.users[role.value])
        expected = 200 if role == Role.HEALTH else 404
        for url in urls:
            assert c.get(url).status_code == expected, (role.value, url)
    assert (
        not HealthAuditEvent.objects.filter(kind="access")
        .exclude(actor_id=world.users["health"].pk)
        .exists()
    )
    for user in (world.nurse, world.doctor):
        c = client_for(user)
        assert all(c.get(url).status_code == 200 for url in urls)
