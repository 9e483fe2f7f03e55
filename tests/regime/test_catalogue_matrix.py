"""Every role against every catalogue and waiting-list page and API route: allowed, denied with
the 404 of a missing record, and nothing changed when denied."""

from __future__ import annotations

import pytest

from normalitet.audit.models import AuditEvent
from normalitet.identity.roles import Role
from normalitet.regime.models import Activity, Allocation

from ..custody.helpers import admitted
from .helpers import activity, place
from .helpers import client_for as _client

pytestmark = pytest.mark.django_db
ALL = {r.value for r in Role}
VIEW = {"officer", "contact_officer", "case_manager", "facility_leader"}
MANAGE = {"case_manager", "facility_leader"}
SEE = VIEW | {"teacher"}
API = "/api/v1/regime"

PAGES = [
    ("activities", "/regime/activities/", SEE),
    ("activity", "/regime/activities/{school}/", SEE),
    ("activity elsewhere", "/regime/activities/{elsewhere}/", set()),
    ("activity new", "/regime/activities/new/", MANAGE),
    ("activity edit", "/regime/activities/{school}/edit/", MANAGE),
    ("session add", "/regime/activities/{school}/sessions/new/", MANAGE),
    ("session end", "/regime/sessions/{session}/end/", MANAGE),
    ("session cancel", "/regime/sessions/{session}/cancel/", MANAGE),
    ("waiting list", "/regime/waiting-list/", SEE),
    ("decide", "/regime/allocations/{a}/decide/", MANAGE),
    ("withdraw", "/regime/allocations/{a}/withdraw/", VIEW),
    ("withdraw outside caseload", "/regime/allocations/{b}/withdraw/", MANAGE),
    ("person", "/regime/persons/{p}/activities/", SEE),
    ("person elsewhere", "/regime/persons/{other}/activities/", set()),
    ("api activities", f"{API}/activities", SEE),
    ("api activity", f"{API}/activities/{{school}}", SEE),
    ("api activity allocations", f"{API}/activities/{{school}}/allocations", SEE),
    ("api person", f"{API}/persons/{{p}}/allocations", SEE),
    ("api person elsewhere", f"{API}/persons/{{other}}/allocations", set()),
]


@pytest.fixture
def world(estate, users, frozen):
    anders = admitted(users, estate.high, estate.cells_a[0], given_names="Anders")
    berit = admitted(users, estate.high, estate.cells_b[0], given_names="Berit")
    other = admitted(users, estate.lower, estate.lower_cells[0], given_names="Andrea")
    school = activity(estate.high, "Vg1", category="upper_secondary", leader=users["teacher"])
    return {
        "p": anders.person_id,
        "other": other.person_id,
        "school": school.pk,
        "work": activity(estate.high, "Snekkerverkstedet").pk,
        "elsewhere": activity(estate.lower, "Lyngmo kjøkken", category="kitchen").pk,
        "session": school.sessions.first().pk,
        "a": place(school, anders, status="requested").pk,
        "b": place(school, berit, status="requested").pk,
    }


@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize(("name", "url", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world, users, role, name, url, allowed):
    response = _client(users[role]).get(url.format(**world))
    expected = 200 if role in allowed else 404
    assert response.status_code == expected, f"{role} on {name}"
    if expected == 404:
        assert b"Anders" not in response.content and b"Andrea" not in response.content


def _state():
    return (
        list(Activity.objects.order_by("pk").values_list("pk", "name", "capacity")),
        list(Allocation.objects.order_by("pk").values_list("pk", "status")),
        AuditEvent.objects.filter(kind="change").count(),
    )


POSTS = [
    ("request", "/regime/persons/{p}/activities/", VIEW, {"activity": "{work}"}),
    ("decide", "/regime/allocations/{a}/decide/", MANAGE, {"decision": "approve"}),
    (
        "new activity",
        "/regime/activities/new/",
        MANAGE,
        {"name": "Ny", "kind": "work", "category": "laundry", "place": "Kjeller", "capacity": 3},
    ),
]


@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize(("name", "url", "allowed", "data"), POSTS, ids=[p[0] for p in POSTS])
def test_post_matrix_changes_nothing_when_denied(world, users, role, name, url, allowed, data):
    before = _state()
    body = {k: v.format(**world) if isinstance(v, str) else v for k, v in data.items()}
    response = _client(users[role]).post(url.format(**world), body)
    if role in allowed:
        assert response.status_code == 302, f"{role} on {name}: {response.content[:300]}"
        assert _state() != before
    else:
        assert response.status_code == 404, f"{role} on {name}"
        assert _state() == before
