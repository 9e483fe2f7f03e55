"""Every role against every page and API route: allowed, denied (404 or 403), and nothing changed
when denied. A record outside the caseload is a 404, the same as a missing one."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from normalitet.audit.models import AuditEvent
from normalitet.custody.models import CustodyEpisode, Movement
from normalitet.identity.roles import Role

from .contact.helpers import visitor
from .custody.helpers import admitted

pytestmark = pytest.mark.django_db

ALL = {r.value for r in Role}
VIEW = {"officer", "contact_officer", "case_manager", "facility_leader"}
VIEW_MIN = VIEW | {"health"}
EDIT = {"contact_officer", "case_manager", "facility_leader"}
LEAD = {"case_manager", "facility_leader"}
ROLL = VIEW | {"regional", "national"}
ESTATE = VIEW | {"regional", "national", "admin"}
MANAGE = {"facility_leader", "admin"}
HEALTH = {"health"}

# (name, url template, roles allowed, status when allowed)
PAGES = [
    ("home", "/", ALL, 200),
    ("search", "/persons/?q=a", VIEW_MIN, 200),
    ("person", "/persons/{p}/", VIEW_MIN, 200),
    ("history", "/persons/{p}/history/", VIEW, 200),
    ("access log", "/persons/{p}/access-log/", LEAD, 200),
    ("allocate cell", "/persons/{p}/cell/", VIEW, 200),
    ("absence", "/persons/{p}/out/", VIEW, 200),
    ("transfer", "/persons/{p}/transfer/", LEAD, 200),
    ("release", "/persons/{p}/release/", LEAD, 200),
    ("alert", "/persons/{p}/alerts/new/", EDIT, 200),
    ("keep apart", "/persons/{p}/keep-apart/new/", EDIT, 200),
    ("edit identity", "/persons/{p}/edit/", EDIT, 200),
    ("next of kin", "/persons/{p}/next-of-kin/new/", EDIT, 200),
    ("admit", "/admit/", LEAD, 200),
    ("roll facility", "/roll/{f}/", ROLL, 200),
    ("unit", "/units/{u}/", VIEW, 200),
    ("estate", "/estate/", ESTATE, 200),
    ("estate facility", "/estate/facilities/{f}/", ESTATE, 200),
    ("estate unit", "/estate/units/{u}/", ESTATE, 200),
    ("estate status", "/estate/facility/{f}/status/", MANAGE, 200),
    ("outside caseload", "/persons/{other}/", set(), 200),
    ("sentence", "/persons/{p}/sentence/", VIEW, 200),
    ("pathway", "/persons/{p}/pathway/", VIEW, 200),
    ("pathway decision", "/persons/{p}/pathway/decisions/new/", EDIT, 200),
    ("less restrictive", "/planning/facilities/{f}/less-restrictive/", VIEW, 200),
    ("api pathway", "/api/v1/planning/persons/{p}/pathway", VIEW, 200),
    ("api less restrictive", "/api/v1/planning/facilities/{f}/less-restrictive", VIEW, 200),
    ("reentry", "/persons/{p}/reentry/", VIEW, 200),
    ("reentry referral", "/persons/{p}/reentry/referrals/new/", EDIT, 200),
    ("reentry consent", "/persons/{p}/reentry/consent/", EDIT, 200),
    ("reentry outside caseload", "/persons/{other}/reentry/", set(), 200),
    ("releases", "/planning/facilities/{f}/releases/", VIEW, 200),
    ("api reentry", "/api/v1/planning/persons/{p}/reentry", VIEW, 200),
    ("api reentry outside caseload", "/api/v1/planning/persons/{other}/reentry", set(), 200),
    ("api releases", "/api/v1/planning/facilities/{f}/releases", VIEW, 200),
    ("sentence start", "/persons/{p}/sentence/start/", LEAD, 200),
    ("api sentence", "/api/v1/persons/{p}/sentence", VIEW, 200),
    ("api persons", "/api/v1/persons?search=a", VIEW_MIN, 200),
    ("api person", "/api/v1/persons/{p}", VIEW_MIN, 200),
    ("api movements", "/api/v1/persons/{p}/movements", VIEW, 200),
    ("api roll", "/api/v1/facilities/{f}/roll", ROLL, 200),
    ("api outside caseload", "/api/v1/persons/{other}", set(), 200),
    ("plan", "/persons/{p}/plan/", VIEW, 200),
    ("plan outside caseload", "/persons/{other}/plan/", set(), 200),
    ("plan contact officer", "/persons/{p}/plan/contact-officer/", EDIT, 200),
    ("plan session", "/persons/{p}/plan/sessions/new/", EDIT, 200),
    ("plan needs", "/persons/{p}/plan/needs/", EDIT, 200),
    ("caseload", "/planning/caseload/", VIEW, 200),
    ("api caseload", "/api/v1/planning/caseload", VIEW, 200),
    ("api plan sessions", "/api/v1/planning/persons/{p}/sessions", VIEW, 200),
    ("api plan needs", "/api/v1/planning/persons/{p}/needs", VIEW, 200),
    ("api plan outside caseload", "/api/v1/planning/persons/{other}/needs", set(), 200),
    ("plan risk", "/persons/{p}/plan/risk/new/", EDIT, 200),
    ("plan risk outside caseload", "/persons/{other}/plan/risk/new/", set(), 200),
    ("api plan risk", "/api/v1/planning/persons/{p}/risk", VIEW, 200),
    ("api framtidsplan", "/api/v1/planning/persons/{p}/framtidsplan", VIEW, 200),
    (
        "api framtidsplan outside caseload",
        "/api/v1/planning/persons/{other}/framtidsplan",
        set(),
        200,
    ),
    ("placement", "/persons/{p}/placement/", VIEW, 200),
    ("placement outside caseload", "/persons/{other}/placement/", set(), 200),
    ("transfer propose", "/persons/{p}/placement/transfers/new/", LEAD, 200),
    ("transfer queue", "/planning/transfers/", VIEW | {"regional"}, 200),
    ("api placement", "/api/v1/planning/persons/{p}/placement", VIEW, 200),
    ("api placement outside caseload", "/api/v1/planning/persons/{other}/placement", set(), 200),
    ("api transfers", "/api/v1/planning/transfers", VIEW | {"regional"}, 200),
    ("api person transfers", "/api/v1/planning/persons/{p}/transfers", VIEW, 200),
    # The daily regime: facility staff; teachers only their own activities and registers;
    # regional and national roles the figures of their facilities, without names.
    ("regime", "/regime/", VIEW | {"teacher", "regional", "national"}, 200),
    ("regime activities", "/regime/activities/", VIEW | {"teacher"}, 200),
    ("regime waiting list", "/regime/waiting-list/", VIEW | {"teacher"}, 200),
    ("regime person activities", "/regime/persons/{p}/activities/", VIEW, 200),
    ("regime activities outside caseload", "/regime/persons/{other}/activities/", set(), 200),
    ("regime registers", "/regime/registers/", VIEW | {"teacher"}, 200),
    ("regime allowance statement", "/regime/persons/{p}/allowance/", VIEW, 200),
    ("regime allowance outside caseload", "/regime/persons/{other}/allowance/", set(), 200),
    ("regime unit day", "/regime/units/{u}/day/", VIEW, 200),
    ("regime unit plan", "/regime/units/{u}/plan/", VIEW, 200),
    ("regime out of cell", "/regime/time-out-of-cell/?facility_id={f}", ROLL, 200),
    ("regime activity duty", "/regime/activity-duty/?facility_id={f}", ROLL, 200),
    ("regime person schedule", "/regime/persons/{p}/schedule/", VIEW, 200),
    ("regime schedule outside caseload", "/regime/persons/{other}/schedule/", set(), 200),
    ("regime closures", "/regime/closures/", VIEW, 200),
    ("regime education", "/regime/persons/{p}/education/", EDIT, 200),
    ("regime diet", "/regime/persons/{p}/diet/", VIEW, 200),
    ("regime meals", "/regime/meals/", VIEW, 200),
    ("regime faith", "/regime/faith/", VIEW, 200),
    ("api regime activities", "/api/v1/regime/activities", VIEW | {"teacher"}, 200),
    ("api regime allocations", "/api/v1/regime/persons/{p}/allocations", VIEW, 200),
    ("api regime registers", "/api/v1/regime/registers", VIEW | {"teacher"}, 200),
    ("api regime allowance", "/api/v1/regime/persons/{p}/allowance", VIEW, 200),
    ("api regime out of cell", "/api/v1/regime/time-out-of-cell?facility_id={f}", ROLL, 200),
    ("api regime overview", "/api/v1/regime/overview", ROLL, 200),
    ("api regime schedule", "/api/v1/regime/persons/{p}/schedule", VIEW, 200),
    ("api regime education", "/api/v1/regime/persons/{p}/education", EDIT, 200),
    ("api regime diets", "/api/v1/regime/persons/{p}/diets", VIEW, 200),
    ("api regime meals", "/api/v1/regime/meals", VIEW, 200),
    # Family contact: facility staff, for the persons in their caseload; the family portal is the
    # visitor's alone (and only their own records: tests/portal/).
    ("contact desk", "/contact/", VIEW, 200),
    ("contact person contacts", "/contact/person/{p}/contacts/", VIEW, 200),
    ("contact contacts outside caseload", "/contact/person/{other}/contacts/", set(), 200),
    ("contact person visits", "/contact/person/{p}/visits/", VIEW, 200),
    ("contact visits outside caseload", "/contact/person/{other}/visits/", set(), 200),
    ("contact person phone", "/contact/person/{p}/phone/", VIEW, 200),
    ("contact person mail", "/contact/person/{p}/mail/", VIEW, 200),
    ("contact mail outside caseload", "/contact/person/{other}/mail/", set(), 200),
    ("contact person restrictions", "/contact/person/{p}/restrictions/", VIEW, 200),
    ("contact visits day", "/contact/visits/", VIEW, 200),
    ("contact visits review", "/contact/visits/review/", VIEW, 200),
    ("contact visit rooms", "/contact/visits/rooms/", VIEW, 200),
    ("contact visits under 18", "/contact/visits/under-18/", VIEW, 200),
    ("contact mail log", "/contact/mail/", VIEW, 200),
    ("contact phone usage", "/contact/phone/", VIEW, 200),
    ("contact orders expiring", "/contact/restrictions/expiring/", VIEW, 200),
    ("api contact contacts", "/api/v1/contact/persons/{p}/contacts", VIEW, 200),
    ("api contact outside caseload", "/api/v1/contact/persons/{other}/contacts", set(), 200),
    ("api contact visits", "/api/v1/contact/persons/{p}/visits", VIEW, 200),
    ("api contact slots", "/api/v1/contact/visits/slots", VIEW, 200),
    ("api contact visits day", "/api/v1/contact/visits/day", VIEW, 200),
    ("api contact mail", "/api/v1/contact/persons/{p}/mail", VIEW, 200),
    ("api contact restrictions", "/api/v1/contact/persons/{p}/restrictions", VIEW, 200),
    ("api contact expiring", "/api/v1/contact/restrictions/expiring", VIEW, 200),
    ("api contact phone numbers", "/api/v1/contact/persons/{p}/phone-numbers", VIEW, 200),
    ("api contact phone usage", "/api/v1/contact/phone/usage", VIEW, 200),
    # The health service (RULES.md § 10): its record is for health staff alone; prison staff
    # log requests, see observation levels and record checks, and learn the escort times.
    ("health today", "/health/", HEALTH, 200),
    ("health patients", "/health/persons/", HEALTH, 200),
    ("health record", "/health/persons/{p}/", HEALTH, 200),
    ("health record outside facility", "/health/persons/{other}/", set(), 200),
    ("health person requests", "/health/persons/{p}/requests/", HEALTH, 200),
    ("health person medication", "/health/persons/{p}/medication/", HEALTH, 200),
    ("health person observation", "/health/persons/{p}/observation/", HEALTH, 200),
    ("health person referrals", "/health/persons/{p}/referrals/", HEALTH, 200),
    ("health fitness", "/health/persons/{p}/fitness/", HEALTH, 200),
    ("health diet", "/health/persons/{p}/diet/", HEALTH, 200),
    ("health requests", "/health/requests/", HEALTH, 200),
    ("health appointments", "/health/appointments/", HEALTH, 200),
    ("health rounds", "/health/rounds/?unit={u}", HEALTH, 200),
    ("health controlled drugs", "/health/controlled/", HEALTH, 200),
    ("health observation", "/health/observation/", HEALTH, 200),
    ("health referrals", "/health/referrals/", HEALTH, 200),
    ("health request log", "/health/persons/{p}/request/", VIEW, 200),
    ("health request log outside caseload", "/health/persons/{other}/request/", set(), 200),
    ("health watch", "/health/watch/", VIEW, 200),
    ("health watch person", "/health/watch/{p}/", VIEW, 200),
    ("health escorts", "/health/escorts/", VIEW, 200),
    ("api health patients", "/api/v1/health/persons", HEALTH, 200),
    ("api health record", "/api/v1/health/persons/{p}/record", HEALTH, 200),
    ("api health record outside facility", "/api/v1/health/persons/{other}/record", set(), 200),
    ("api health requests", "/api/v1/health/requests", HEALTH, 200),
    ("api health appointments", "/api/v1/health/appointments", HEALTH, 200),
    ("api health prescriptions", "/api/v1/health/persons/{p}/prescriptions", HEALTH, 200),
    ("api health rounds", "/api/v1/health/rounds?unit_id={u}", HEALTH, 200),
    ("api health controlled", "/api/v1/health/controlled", HEALTH, 200),
    ("api health observation", "/api/v1/health/observation", HEALTH, 200),
    ("api health person observation", "/api/v1/health/persons/{p}/observation", HEALTH, 200),
    ("api health referrals", "/api/v1/health/referrals", HEALTH, 200),
    ("api health watch", "/api/v1/health/watch", VIEW, 200),
    ("api health escorts", "/api/v1/health/escorts", VIEW, 200),
    ("portal", "/portal/", {"visitor"}, 200),
    ("portal contact request", "/portal/contacts/new/", {"visitor"}, 200),
    ("api portal me", "/api/v1/contact/portal/me", {"visitor"}, 200),
    ("api portal bookings", "/api/v1/contact/portal/bookings", {"visitor"}, 200),
]


HOME_ELSEWHERE = {"visitor": "/portal/", "health": "/health/"}
SHOWS_NAMES = {"person", "api person", "outside caseload", "api outside caseload"}


@pytest.fixture
def world(estate, users):
    ep = admitted(users, estate.high, estate.cells_a[0], given_names="Anders")
    other = admitted(users, estate.lower, estate.lower_cells[0], given_names="Andrea")
    visitor(user=users["visitor"])
    return {
        "p": ep.person_id,
        "f": estate.high.pk,
        "u": estate.unit_a.pk,
        "other": other.person_id,
        "episode": ep,
    }


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _expected(name: str, role: str, allowed: set[str], ok: int) -> tuple[int, str | None]:
    """The status (and redirect) a role must get on a page."""
    if name == "home" and role in HOME_ELSEWHERE:
        # Visitors live in the family portal and health staff in the health service: the staff
        # home sends them there.
        return 302, HOME_ELSEWHERE[role]
    return (ok, None) if role in allowed else (404, None)


@pytest.mark.parametrize("role", sorted(ALL))
def test_get_matrix(world, users, role):
    """Every page for one role (one world per role: the pages are many, the setup is not)."""
    client = _client(users[role])
    wrong = []
    for name, url, allowed, ok in PAGES:
        response = client.get(url.format(**world))
        status, location = _expected(name, role, allowed, ok)
        got = (response.status_code, response.get("Location") if location else None)
        if got != (status, location):
            wrong.append(f"{name} ({url}): {got}, not {(status, location)}")
        elif status == 404 and name in SHOWS_NAMES:
            if b"Anders" in response.content or b"Andrea" in response.content:
                wrong.append(f"{name}: a name shown on the 404")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_roll_index_redirects_facility_staff_and_lists_for_oversight(world, users):
    assert _client(users["officer"]).get("/roll/").status_code == 302
    body = _client(users["national"]).get("/roll/").content.decode()
    assert "Fjellvik fengsel" in body and "Lyngmo fengsel" in body
    for role in ("health", "teacher", "admin", "visitor", "person_in_custody", "researcher"):
        assert _client(users[role]).get("/roll/").status_code == 404


def test_unauthenticated_is_sent_to_login_and_api_says_401(world):
    c = Client()
    r = c.get(f"/persons/{world['p']}/")
    assert r.status_code == 302 and r["Location"].startswith("/auth/login/")
    r = c.get(f"/api/v1/persons/{world['p']}")
    assert r.status_code == 401 and "Anders" not in r.content.decode()


def _state():
    return (
        list(
            CustodyEpisode.objects.order_by("pk").values_list(
                "pk", "facility_id", "cell_id", "released_at", "absent_since", "contact_officer_id"
            )
        ),
        Movement.objects.count(),
        AuditEvent.objects.filter(kind="change").count(),
    )


POSTS = [
    ("transfer", "/persons/{p}/transfer/", LEAD, {"to_facility": "{lower}", "reason": "Progress"}),
    ("release", "/persons/{p}/release/", LEAD, {"reason": "served", "confirm": "on"}),
    ("absence", "/persons/{p}/out/", VIEW, {"kind": "court"}),
    ("cell", "/persons/{p}/cell/", VIEW, {"cell": "{cell}"}),
    (
        "plan contact officer",
        "/persons/{p}/plan/contact-officer/",
        EDIT,
        {"officer": "{co}", "reason": "arrival"},
    ),
    ("plan needs", "/persons/{p}/plan/needs/", EDIT, {"housing_status": "need"}),
    ("plan framtidsplan", "/persons/{p}/plan/framtidsplan/", EDIT, {}),
    (
        "reentry referral",
        "/persons/{p}/reentry/referrals/new/",
        EDIT,
        {"partner": "nav", "partner_name": "NAV Fjellvik", "area": "income", "purpose": "AAP"},
    ),
    (
        "transfer propose",
        "/persons/{p}/placement/transfers/new/",
        LEAD,
        {"to_facility": "{lower}", "reason": "progression", "justification": "Klar for det"},
    ),
]


@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize(("name", "url", "allowed", "data"), POSTS, ids=[p[0] for p in POSTS])
def test_post_matrix_changes_nothing_when_denied(
    world, users, estate, role, name, url, allowed, data
):
    values = {
        **world,
        "lower": estate.lower.pk,
        "cell": estate.cells_a[1].pk,
        "co": users["contact_officer"].pk,
    }
    before = _state()
    response = _client(users[role]).post(
        url.format(**values), {k: v.format(**values) for k, v in data.items()}
    )
    if role in allowed:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert _state() != before
    else:
        assert response.status_code == 404
        assert _state() == before


@pytest.mark.parametrize("role", sorted(ALL))
def test_api_admission_matrix(world, users, estate, role):
    before = _state()
    body = {
        "person": {
            "given_names": "Nils",
            "family_name": "Nyhus",
            "birth_date": "1985-04-01",
            "gender": "male",
        },
        "legal_status": "remand",
        "facility_id": estate.high.pk,
    }
    r = _client(users[role]).post(
        "/api/v1/custody/admissions", json.dumps(body), content_type="application/json"
    )
    if role in LEAD:
        assert r.status_code == 201, r.content
        assert r.json()["legal_status"] == "remand"
    else:
        assert r.status_code in (403, 404)
        assert _state() == before


def test_syncroles_puts_each_user_in_the_group_of_their_role(users):
    from django.contrib.auth.models import Group

    from normalitet.identity.sync import sync_roles

    summary = sync_roles()
    assert summary["case_manager"] == 2 and summary["officer"] == 1
    officer = users["officer"]
    assert list(officer.groups.values_list("name", flat=True)) == ["role:officer"]
    perms = set(
        Group.objects.get(name="role:officer").permissions.values_list("codename", flat=True)
    )
    assert "custody_move" in perms and "custody_transfer" not in perms
    admin_perms = set(
        Group.objects.get(name="role:admin").permissions.values_list("codename", flat=True)
    )
    assert {"change_user", "change_facility", "change_cell", "change_municipality"} <= admin_perms
    assert "change_person" not in admin_perms
    officer.role = "case_manager"
    officer.save()
    sync_roles()
    assert list(officer.groups.values_list("name", flat=True)) == ["role:case_manager"]
