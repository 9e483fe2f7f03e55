"""Education records through the services: a teacher records exams, results and certificates
for persons with a place in an education activity they lead; every refusal changes nothing;
corrections keep the trail; the history follows the person to another facility. Time is
frozen at Monday 2 March 2026."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from normalitet.audit.models import AuditEvent
from normalitet.core import clock
from normalitet.core.errors import DomainError, PermissionDenied
from normalitet.custody import services as custody
from normalitet.regime.education import (
    EducationEntry,
    education_episode,
    education_overview,
    education_record_add,
    education_record_correct,
)
from normalitet.regime.models import Attendance, EducationRecord

from ..custody.helpers import admitted
from ..factories import UserFactory
from .helpers import activity, place

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def school(estate, users, frozen):
    """Sindre has a place in 'Norsk Vg2', led by the teacher."""
    ep = admitted(users, estate.high, estate.cells_a[0], given_names="Sindre")
    act = activity(
        estate.high,
        "Norsk Vg2",
        category="upper_secondary",
        provider="county",
        leader=users["teacher"],
        place="Skolen",
    )
    return SimpleNamespace(episode=ep, activity=act, allocation=place(act, ep))


def entry(**kw) -> EducationEntry:
    return EducationEntry(**{"kind": "exam", "course": "Norsk hovedmål", "on": TODAY, **kw})


def add(users, s, actor="teacher", activity_id=None, **kw) -> EducationRecord:
    return education_record_add(
        actor=users[actor],
        episode=s.episode,
        activity_id=activity_id or s.activity.pk,
        entry=entry(**kw),
    )


def changes() -> int:
    return AuditEvent.objects.filter(kind="change").count()


def test_teacher_records_an_exam_taken_inside(school, users, estate):
    record = add(users, school, proctored=True, course_code="NOR1211", level="Vg2")
    assert (record.person_id, record.facility_id, record.activity_id) == (
        school.episode.person_id,
        estate.high.pk,
        school.activity.pk,
    )
    assert (record.kind, record.on, record.proctored, record.recorded_by) == (
        "exam",
        TODAY,
        True,
        users["teacher"],
    )
    event = AuditEvent.objects.get(action="regime.education_record_added")
    assert event.person_id == school.episode.person_id
    assert event.data == {
        "kind": "exam",
        "on": "2026-03-02",
        "activity": school.activity.pk,
        "proctored": True,
    }


def test_a_planned_exam_may_be_ahead_and_a_certificate_has_its_reference(school, users):
    planned = add(users, school, on=TODAY + dt.timedelta(days=30))
    cert = add(users, school, kind="certificate", certificate_reference="VIGO-2026-118")
    result = add(users, school, kind="result", result="5", on=TODAY - dt.timedelta(days=3))
    assert [planned.on, cert.certificate_reference, result.result] == [
        dt.date(2026, 4, 1),
        "VIGO-2026-118",
        "5",
    ]


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"kind": "diploma"}, "kind"),
        ({"course": "  "}, "course"),
        ({"kind": "result", "result": ""}, "result"),
        ({"kind": "certificate"}, "certificate_reference"),
        ({"kind": "enrolment", "proctored": True}, "proctored"),
        ({"kind": "completion", "on": TODAY + dt.timedelta(days=1)}, "on"),
        ({"on": TODAY + dt.timedelta(days=9), "result": "4"}, "result"),
        ({"course_code": "X" * 25}, "course_code"),
    ],
)
def test_bad_records_change_nothing(school, users, kw, field):
    before = changes()
    with pytest.raises(DomainError) as err:
        add(users, school, **kw)
    assert err.value.field == field
    assert not EducationRecord.objects.exists() and changes() == before


def test_only_for_activities_the_teacher_leads_and_persons_with_a_place(school, users, estate):
    other = UserFactory(username="teacher2", role="teacher", facility=estate.high)
    with pytest.raises(DomainError) as err:
        education_record_add(
            actor=other, episode=school.episode, activity_id=school.activity.pk, entry=entry()
        )
    assert err.value.field == "activity_id"
    work = activity(estate.high, "Verkstedet", leader=users["teacher"])
    place(work, school.episode)
    with pytest.raises(DomainError):
        add(users, school, activity_id=work.pk)
    with pytest.raises(PermissionDenied):
        add(users, school, actor="contact_officer")
    school.allocation.status, school.allocation.ended_on = "ended", TODAY
    school.allocation.end_reason = "transferred"
    school.allocation.save()
    with pytest.raises(DomainError):
        add(users, school)
    assert not EducationRecord.objects.exists()
    school.allocation.end_reason = "completed"  # a result may come after the course ended
    school.allocation.save()
    assert add(users, school, kind="completion").kind == "completion"


def test_waiting_is_not_a_place(estate, users, frozen):
    ep = admitted(users, estate.high, estate.cells_a[1])
    act = activity(estate.high, "Matematikk", category="basic_schooling", leader=users["teacher"])
    place(act, ep, status="requested")
    with pytest.raises(DomainError):
        education_record_add(actor=users["teacher"], episode=ep, activity_id=act.pk, entry=entry())
    assert not EducationRecord.objects.exists()


def test_a_correction_keeps_the_trail(school, users, estate):
    record = add(users, school, kind="result", result="3", on=TODAY - dt.timedelta(days=1))
    fixed = entry(kind="result", result="4", on=TODAY - dt.timedelta(days=2))
    record = education_record_correct(actor=users["teacher"], record=record, entry=fixed)
    assert (record.result, record.on) == ("4", dt.date(2026, 2, 28))
    event = AuditEvent.objects.get(action="regime.education_record_corrected")
    assert event.data["fields"] == ["on", "result"]
    assert event.data["before"] == {"on": "2026-03-01"}
    # Codes and dates only: the grades themselves stay out of the log.
    assert set(event.data) == {"kind", "on", "activity", "fields", "before"}

    before = changes()
    with pytest.raises(DomainError, match="changes nothing"):
        education_record_correct(actor=users["teacher"], record=record, entry=fixed)
    with pytest.raises(DomainError) as err:
        education_record_correct(
            actor=users["teacher"], record=record, entry=entry(kind="result", result="")
        )
    assert err.value.field == "result"
    other = UserFactory(username="teacher2", role="teacher", facility=estate.high)
    with pytest.raises(PermissionDenied):
        education_record_correct(actor=other, record=record, entry=entry())
    record.refresh_from_db()
    assert (record.kind, record.result, changes()) == ("result", "4", before)


def test_the_history_follows_the_person_to_another_facility(school, users, estate):
    add(users, school, kind="certificate", certificate_reference="C-1")
    custody.transfer(
        actor=users["case_manager"],
        episode=school.episode,
        to_facility=estate.lower,
        reason="Progresjon",
    )
    cm = users["lower_case_manager"]
    episode = education_episode(actor=cm, person_id=school.episode.person_id)
    overview = education_overview(episode=episode, today=TODAY)
    assert [(r.kind, r.facility.name) for r in overview.records] == [
        ("certificate", "Fjellvik fengsel")
    ]


def _mark(s, on, outcome):
    Attendance.objects.create(
        allocation=s.allocation,
        session=s.activity.sessions.first(),
        on=on,
        person_id=s.episode.person_id,
        episode=s.episode,
        outcome=outcome,
        recorded_at=clock.now(),
    )


def test_enrolments_and_attendance_over_the_last_30_days(school, users, estate):
    days = [TODAY - dt.timedelta(days=d) for d in range(7)]
    for day, outcome in zip(
        days, ["attended", "attended", "late", "refused", "cancelled", "attended"], strict=False
    ):
        _mark(school, day, outcome)
    _mark(school, TODAY - dt.timedelta(days=30), "refused")  # outside the 30 days
    maths = activity(estate.high, "Matematikk", category="basic_schooling")
    place(maths, school.episode, status="requested")
    work = activity(estate.high, "Verkstedet")
    place(work, school.episode)

    overview = education_overview(episode=school.episode, today=TODAY)
    assert overview.since == dt.date(2026, 2, 1)
    [share] = overview.attendance
    assert (share.activity_name, share.attended, share.marked, share.percent) == (
        "Norsk Vg2",
        4,
        5,
        80,
    )
    assert [a.activity.name for a in overview.enrolled] == ["Norsk Vg2"]
    assert [a.activity.name for a in overview.waiting] == ["Matematikk"]
