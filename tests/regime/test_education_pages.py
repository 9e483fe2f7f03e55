"""Education pages and API: the teacher's view of a person enrolled in their class, adding and
correcting records, the printable record, and who sees what (staff within their caseload; a
teacher only for persons in an activity they lead; others 404). Time is frozen at 2 March
2026."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from normalitet.audit.models import AuditEvent
from normalitet.regime.education import EducationEntry, education_record_add
from normalitet.regime.models import EducationRecord

from ..custody.helpers import admitted
from ..factories import UserFactory
from . import test_education as base
from .helpers import client_for as _client

school = base.school  # the fixture of the services' tests


pytestmark = pytest.mark.django_db
EXAM = {
    "kind": "exam",
    "course": "Norsk hovedmål",
    "course_code": "NOR1211",
    "level": "Vg2",
    "on": "2026-05-20",
    "proctored": "on",
    "result": "",
    "certificate_reference": "",
    "school": "Fjellvik videregående skole",
    "note": "",
}


def _json(client, method, url, body):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def _state():
    return (
        list(EducationRecord.objects.order_by("pk").values_list("pk", "kind", "result", "on")),
        AuditEvent.objects.filter(kind="change").count(),
    )


def _record(users, s, **kw) -> EducationRecord:
    args = {"kind": "result", "course": "Matematikk 1P", "on": dt.date(2026, 2, 20), **kw}
    return education_record_add(
        actor=users["teacher"],
        episode=s.episode,
        activity_id=s.activity.pk,
        entry=EducationEntry(**{"result": "4", **args}),
    )


def test_teacher_sees_the_person_and_adds_a_planned_exam(school, users):
    c = _client(users["teacher"])
    url = f"/regime/persons/{school.episode.person_id}/education/"
    body = c.get(url).content.decode()
    assert "Sindre" in body and "Norsk Vg2" in body and "Enrolled" in body
    assert 'id="h-add"' in body and "No education records yet." in body
    assert AuditEvent.objects.filter(
        action="view.regime.education", person_id=school.episode.person_id
    ).exists()

    r = c.post(url, {**EXAM, "activity_id": school.activity.pk})
    assert r.status_code == 302 and r["Location"] == url + "#h-records"
    record = EducationRecord.objects.get()
    assert (record.kind, record.on, record.proctored, record.course_code) == (
        "exam",
        dt.date(2026, 5, 20),
        True,
        "NOR1211",
    )
    body = c.get(url).content.decode()
    assert "Planned" in body and "Proctored inside" in body and "Norsk hovedmål" in body


def test_bad_input_on_the_page_is_explained_and_changes_nothing(school, users):
    c = _client(users["teacher"])
    url = f"/regime/persons/{school.episode.person_id}/education/"
    before = _state()
    late = {**EXAM, "on": "2026-02-27", "activity_id": school.activity.pk}
    r = c.post(url, {**late, "kind": "result"})
    assert r.status_code == 400 and "Only an exam is proctored." in r.content.decode()
    r = c.post(url, {**late, "kind": "result", "proctored": ""})
    assert r.status_code == 400 and "Give the result or grade." in r.content.decode()
    r = c.post(url, {**EXAM, "kind": "completion", "activity_id": school.activity.pk})
    assert r.status_code == 400 and "Only a planned exam can have a date ahead." in (
        r.content.decode()
    )
    r = c.post(url, {**EXAM, "activity_id": "999"})
    assert r.status_code == 400
    assert _state() == before


def test_correcting_a_record(school, users, estate):
    record = _record(users, school)
    c = _client(users["teacher"])
    url = f"/regime/persons/{school.episode.person_id}/education/{record.pk}/correct/"
    body = c.get(url).content.decode()
    assert 'value="Matematikk 1P"' in body and "Correct the education record" in body
    data = {**EXAM, "kind": "result", "course": "Matematikk 1P", "on": "2026-02-20"}
    r = c.post(url, {**data, "result": "5", "proctored": ""})
    assert r.status_code == 302
    record.refresh_from_db()
    assert record.result == "5"
    r = c.post(url, {**data, "result": "", "proctored": ""})
    assert r.status_code == 400 and "Give the result or grade." in r.content.decode()
    other = UserFactory(username="teacher2", role="teacher", facility=estate.high)
    assert _client(other).get(url).status_code == 404
    assert _client(users["contact_officer"]).get(url).status_code == 404
    record.refresh_from_db()
    assert record.result == "5"


def test_the_printable_record(school, users):
    _record(users, school, kind="certificate", certificate_reference="VIGO-118", result="")
    url = f"/regime/persons/{school.episode.person_id}/education/print/?lang=en"
    r = _client(users["contact_officer"]).get(url)
    body = r.content.decode()
    assert r.status_code == 200 and r["Content-Language"] == "en"
    assert "<h1>Education record</h1>" in body and "VIGO-118" in body
    assert "Norsk Vg2" in body and "so that your schooling can continue" in body
    assert AuditEvent.objects.filter(action="view.regime.education", reason="print").exists()


def test_staff_see_without_editing(school, users):
    _record(users, school)
    url = f"/regime/persons/{school.episode.person_id}/education/"
    for role in ("contact_officer", "case_manager", "facility_leader"):
        body = _client(users[role]).get(url).content.decode()
        assert "Matematikk 1P" in body and 'id="h-add"' not in body and "Correct" not in body
    before = _state()
    r = _client(users["case_manager"]).post(url, {**EXAM, "activity_id": school.activity.pk})
    assert r.status_code == 404 and _state() == before


@pytest.mark.parametrize("role", ["officer", "health", "regional", "lower_case_manager", "admin"])
def test_others_see_nothing(school, users, role):
    _record(users, school)
    c = _client(users[role])
    p = school.episode.person_id
    for url in (f"/regime/persons/{p}/education/", f"/regime/persons/{p}/education/print/"):
        r = c.get(url)
        assert r.status_code == 404 and "Sindre" not in r.content.decode()
    r = c.get(f"/api/v1/regime/persons/{p}/education")
    assert r.status_code == 404 and "Matematikk" not in r.content.decode()


def test_a_teacher_sees_only_persons_in_their_activities(school, users, estate):
    elsewhere = admitted(users, estate.high, estate.cells_a[1], given_names="Tor")
    teacher = _client(users["teacher"])
    assert teacher.get(f"/regime/persons/{elsewhere.person_id}/education/").status_code == 404
    other = UserFactory(username="teacher2", role="teacher", facility=estate.high)
    r = _client(other).get(f"/regime/persons/{school.episode.person_id}/education/")
    assert r.status_code == 404


def test_api_round_trip(school, users):
    c = _client(users["teacher"])
    api = f"/api/v1/regime/persons/{school.episode.person_id}/education"
    body = {**EXAM, "proctored": True, "activity_id": school.activity.pk}
    r = _json(c, "post", api, body)
    assert r.status_code == 201
    created = r.json()
    assert (created["kind"], created["on"], created["facility"]) == (
        "exam",
        "2026-05-20",
        "Fjellvik fengsel",
    )
    r = _json(
        c, "post", api, {**body, "kind": "certificate", "on": "2026-03-01", "proctored": False}
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "certificate_reference"
    r = _json(c, "post", api, {**body, "activity_id": school.activity.pk + 100})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "activity_id"
    r = _json(c, "put", f"{api}/{created['id']}", {**EXAM, "proctored": False})
    assert r.status_code == 200 and r.json()["proctored"] is False
    got = c.get(api).json()
    assert [x["course"] for x in got["records"]] == ["Norsk hovedmål"]
    assert got["enrolments"] == [
        {
            "allocation_id": school.allocation.pk,
            "activity_id": school.activity.pk,
            "activity": "Norsk Vg2",
            "status": "allocated",
            "enrolled": True,
            "since": "2026-01-05",
        }
    ]
    assert got["attendance"] == [] and got["attendance_since"] == "2026-02-01"


def test_api_staff_may_read_but_not_write(school, users):
    c = _client(users["contact_officer"])
    api = f"/api/v1/regime/persons/{school.episode.person_id}/education"
    assert c.get(api).status_code == 200
    before = _state()
    r = _json(c, "post", api, {**EXAM, "proctored": False, "activity_id": school.activity.pk})
    assert r.status_code == 403 and _state() == before
