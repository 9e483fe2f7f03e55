"""Computing and storing the daily allowance (SGF § 3-13) in bulk: a week of a small estate
from the registers, where each person was (transfers, absences, release, holidays), posted days
left alone, who may compute what, one audit run per computation, the same number of queries
whatever the number of persons, and the wording of every reason."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from normalitet.audit.models import AuditEvent
from normalitet.core.clock import OSLO
from normalitet.core.errors import DomainError, NotFound, PermissionDenied
from normalitet.custody import services as custody
from normalitet.identity.policies import SystemActor
from normalitet.identity.roles import Cap
from normalitet.regime import allowance, attendance
from normalitet.regime.models import (
    AllowanceDay,
    Attendance,
    SessionCancellation,
    UnitRegime,
)

from ..conftest import NOW
from .helpers import activity, place
from .test_attendance_world import LAST_WEEK, build, inside

pytestmark = pytest.mark.django_db
SYSTEM = SystemActor("test", frozenset({Cap.ALLOWANCE_RUN}))
MON, TUE, WED, THU, FRI, SAT, SUN = LAST_WEEK


@pytest.fixture
def world(estate, users, time_machine):
    return build(estate, users, time_machine)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=OSLO)


def _days(episode) -> dict[dt.date, tuple[str, int, int, int]]:
    return {
        d.on: (d.rate_kind, d.allowance_ore, d.supplement_ore, d.food_ore)
        for d in AllowanceDay.objects.filter(episode=episode)
    }


@pytest.fixture
def registers(world, users):
    """Ola's week in the workshop register."""
    w, officer = world, users["officer"]
    afternoon = {d: w.session(w.workshop, d.weekday(), "12:00") for d in LAST_WEEK[:5]}
    morning = {d: w.session(w.workshop, d.weekday()) for d in LAST_WEEK[:5]}
    SessionCancellation.objects.create(session=morning[FRI], on=FRI, reason="Kurs for ansatte")
    plan = {
        MON: ("attended", "attended"),
        TUE: ("sick", "sick"),
        WED: ("refused", "attended"),
        FRI: (None, "attended"),
    }
    for day, (am, pm) in plan.items():
        for session, outcome in ((morning[day], am), (afternoon[day], pm)):
            if outcome:
                attendance.attendance_mark(
                    actor=officer,
                    session_id=session.pk,
                    day=day,
                    person_id=w.ola.person_id,
                    outcome=outcome,
                )
    UnitRegime.objects.create(unit=w.per.unit, self_catering=True)
    return w


def test_a_week_of_the_facility_from_the_registers(registers, users):
    w = registers
    run = allowance.allowance_compute(actor=users["case_manager"], days=LAST_WEEK)
    off = ("none", 0, 0, 0)
    assert _days(w.ola) == {
        MON: ("ordinary", 7_900, 1_000, 0),
        TUE: ("reduced", 5_300, 0, 0),
        WED: ("withheld", 0, 0, 0),
        THU: ("ordinary", 7_900, 1_000, 0),  # nothing marked: counted as attended
        FRI: ("ordinary", 6_600, 500, 0),  # morning cancelled: reduced for that half
        SAT: off,
        SUN: off,
    }
    assert _days(w.kari) == {
        **{d: ("ordinary", 7_900, 0, 0) for d in LAST_WEEK[:5]},
        SAT: off,
        SUN: off,
    }
    assert _days(w.per) == {d: ("none", 0, 0, 12_200) for d in LAST_WEEK}  # remand, self-catering
    thursday = AllowanceDay.objects.get(episode=w.ola, on=THU)
    assert thursday.reasons == [
        {"code": "sessions", "args": {"sessions": 2}},
        {"code": "unmarked", "args": {"sessions": 2}},
        {"code": "supplement", "args": {"ore": 1_000}},
    ]
    assert (
        thursday.rule_set == "SGF § 3-13 (2024-01-01)" and thursday.facility_id == w.ola.facility_id
    )
    per = AllowanceDay.objects.get(episode=w.per, on=MON)
    assert [r["code"] for r in per.reasons] == ["remand_no_activity", "food_money"]
    # Ola's days with a mark were made when the register was taken (not Thursday); the rest now.
    counts = (run.person_days, run.created, run.updated, run.unchanged, run.posted)
    assert counts == (21, 17, 0, 4, 0)
    assert run.facilities == 1
    assert run.total_ore == 30_200 + 39_500 + 7 * 12_200
    event = AuditEvent.objects.get(action="regime.allowance_computed")
    assert event.data["person_days"] == 21 and event.data["from"] == "2026-02-23"
    assert event.data["facility_ids"] == [w.ola.facility_id]


def test_a_second_run_changes_only_what_changed_and_never_a_posted_day(registers, users):
    w, cm = registers, users["case_manager"]
    allowance.allowance_compute(actor=cm, days=LAST_WEEK)
    AllowanceDay.objects.filter(episode=w.ola, on=MON).update(posted_at=NOW)
    Attendance.objects.filter(person_id=w.ola.person_id, on__in=[MON, TUE]).update(
        outcome="refused"
    )
    run = allowance.allowance_compute(actor=cm, days=LAST_WEEK)
    assert (run.created, run.updated, run.unchanged, run.posted) == (0, 1, 19, 1)
    assert _days(w.ola)[MON] == ("ordinary", 7_900, 1_000, 0)
    assert _days(w.ola)[TUE] == ("withheld", 0, 0, 0)
    assert AuditEvent.objects.filter(action="regime.allowance_computed").count() == 2


def test_where_the_person_was_absence_transfer_and_release(world, users, estate, time_machine):
    w = world
    time_machine.move_to(_at(TUE, 8), tick=False)
    custody.absence_start(
        actor=users["officer"], episode=w.kari, kind="hospital", expected_back=None
    )
    time_machine.move_to(_at(THU, 10), tick=False)
    custody.absence_end(actor=users["officer"], episode=w.kari)
    time_machine.move_to(_at(WED, 12), tick=False)
    custody.transfer(
        actor=users["case_manager"], episode=w.ola, to_facility=estate.lower, reason="Progresjon"
    )
    time_machine.move_to(_at(THU, 15), tick=False)
    custody.release(actor=users["case_manager"], episode=w.per, reason="remand_ended")
    time_machine.move_to(NOW, tick=False)

    allowance.allowance_compute(actor=users["case_manager"], days=LAST_WEEK)
    assert sorted(_days(w.ola)) == [MON, TUE]  # from Wednesday the day is the lower facility's
    kari = _days(w.kari)
    assert kari[TUE][:2] == ("ordinary", 7_900) and kari[THU][:2] == ("ordinary", 7_900)
    assert kari[WED] == ("none", 0, 0, 0)
    assert AllowanceDay.objects.get(episode=w.kari, on=WED).reasons == [
        {"code": "away", "args": {}}
    ]
    assert sorted(_days(w.per)) == [MON, TUE, WED, THU]  # released on Thursday

    allowance.allowance_compute(actor=users["lower_case_manager"], days=LAST_WEEK)
    lower = AllowanceDay.objects.filter(episode=w.ola, facility=estate.lower)
    assert sorted(lower.values_list("on", flat=True)) == LAST_WEEK[2:]
    # No place in the lower facility: the activity duty without an activity.
    assert lower.get(on=WED).reasons == [{"code": "no_activity_offered", "args": {}}]


def test_the_system_computes_every_facility_or_those_asked(world, users, estate, time_machine):
    lars = inside(users, estate.lower_cells[0], time_machine, given_names="Lars")
    run = allowance.allowance_compute(actor=SYSTEM, days=[MON], facility_ids=[estate.lower.pk])
    assert (run.facilities, run.person_days) == (1, 1)
    assert list(AllowanceDay.objects.values_list("episode_id", flat=True)) == [lars.pk]
    run = allowance.allowance_compute(actor=SYSTEM, days=[MON, TUE])
    assert (run.facilities, run.person_days, run.created, run.unchanged) == (2, 8, 7, 1)
    out = io.StringIO()
    allowance.run_cli("2026-W09", out)
    assert "2026-02-23..2026-03-01: 2 facilities, 28 person-days (20 new" in out.getvalue()


def test_public_holidays_are_not_working_days(estate, users, time_machine):
    time_machine.move_to(NOW, tick=False)
    school = activity(estate.high, "Skolen", category="basic_schooling")
    since = dt.datetime(2025, 12, 29, 9, 0, tzinfo=OSLO)
    kari = inside(users, estate.cells_a[0], time_machine, at=since)
    place(school, kari, starts_on=since.date())
    days = [dt.date(2025, 12, 31), dt.date(2026, 1, 1), dt.date(2026, 1, 2)]
    allowance.allowance_compute(actor=users["case_manager"], days=days)
    got = _days(kari)
    assert [got[d][:2] for d in days] == [("ordinary", 7_900), ("none", 0), ("ordinary", 7_900)]
    new_year = AllowanceDay.objects.get(episode=kari, on=days[1])
    assert new_year.reasons == [{"code": "not_working_day", "args": {}}]


@pytest.mark.parametrize(
    ("who", "days", "facilities", "error", "field"),
    [
        ("case_manager", [], None, DomainError, "from"),
        ("case_manager", [dt.date(2026, 3, 3)], None, DomainError, "to"),
        ("case_manager", [dt.date(2022, 12, 31)], None, DomainError, "from"),
        ("case_manager", [dt.date(2026, 1, 1), dt.date(2026, 2, 1)], None, DomainError, "to"),
        ("officer", [MON], None, PermissionDenied, None),
        ("teacher", [MON], None, PermissionDenied, None),
        ("case_manager", [MON], "lower", NotFound, None),
        ("facility_leader", [MON], "both", NotFound, None),
    ],
)
def test_refused_computations_change_nothing(
    world, users, estate, who, days, facilities, error, field
):
    ids = {None: None, "lower": [estate.lower.pk], "both": [estate.high.pk, estate.lower.pk]}
    events = AuditEvent.objects.count()
    with pytest.raises(error) as err:
        allowance.allowance_compute(actor=users[who], days=days, facility_ids=ids[facilities])
    assert err.value.field == field
    assert not AllowanceDay.objects.exists() and AuditEvent.objects.count() == events
    with pytest.raises(PermissionDenied):
        allowance.allowance_compute(actor=SystemActor("x", frozenset()), days=[MON])


def test_the_same_queries_whatever_the_number_of_persons(world, users, estate, time_machine):
    def queries() -> int:
        AllowanceDay.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            allowance.allowance_compute(actor=users["case_manager"], days=LAST_WEEK)
        return len(ctx.captured_queries)

    few = queries()
    for cell in (estate.cells_a[2], estate.cells_b[1]):
        place(world.workshop, inside(users, cell, time_machine), starts_on=dt.date(2026, 2, 16))
    assert queries() == few
    assert AllowanceDay.objects.count() == 35


def test_every_reason_is_worded():
    cases = {
        ("food_money", (("ore", 12_200),)): "Food money in a self-catering unit: kr\u00a0122,00.",
        ("supplement", (("ore", 500),)): "Supplement for demanding work: kr\u00a05,00.",
        ("sessions", (("sessions", 1),)): "1 session counted.",
        ("sessions", (("sessions", 2),)): "2 sessions counted.",
        ("refused", (("sessions", 1),)): "Refused 1 session: the day's allowance is withheld.",
        ("late", (("sessions", 2), ("percent", 50))): (
            "Late or left early at 2 sessions: 50 % of them are paid."
        ),
        ("unmarked", (("sessions", 1),)): (
            "1 session not marked in the register: counted as attended."
        ),
        ("away", ()): "Away from the facility the whole day: no allowance.",
    }
    for (code, args), text in cases.items():
        assert allowance.reason_text(code, dict(args)) == text
    codes = ["not_working_day", "suspended", "no_session_today", "remand_no_activity"]
    codes += [
        "waiting",
        "no_activity_offered",
        "no_activity",
        "reduced_sessions",
        "unpaid_sessions",
    ]
    for code in codes:
        assert allowance.reason_text(code, {"sessions": 1}) not in ("", code)
    assert allowance.reason_text("something_new", {}) == "something_new"
    assert [allowance.kroner(o) for o in (0, 7_900, 5, 123_456, 1_000_000_00)] == [
        "kr\u00a00,00",
        "kr\u00a079,00",
        "kr\u00a00,05",
        "kr\u00a01\u00a0234,56",
        "kr\u00a01\u00a0000\u00a0000,00",
    ]
