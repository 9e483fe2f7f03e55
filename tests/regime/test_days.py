"""The services of the units' regime: day plans with their periods (and copies), closures, the
unit's settings and restrictions on company. Each refusal says why and changes nothing; each
change writes one audit event with codes and dates only. Time is frozen on 2 March 2026."""

from __future__ import annotations

import datetime as dt

import pytest

from normalitet.audit.models import AuditEvent
from normalitet.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from normalitet.regime import days
from normalitet.regime.days import BlockIn
from normalitet.regime.models import (
    Closure,
    CompanyRestriction,
    DayPlan,
    DayPlanBlock,
    UnitRegime,
)

from .helpers import day_plan
from .test_figures import inside

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


def t(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


DAY = [
    BlockIn("association", t("17:00"), t("20:30")),
    BlockIn("association", t("07:30"), t("08:15")),
    BlockIn("activities", t("08:30"), t("15:00")),
    BlockIn("outdoor", t("16:00"), t("17:00"), in_company=False),
]


def _state():
    return (
        DayPlan.objects.count(),
        DayPlanBlock.objects.count(),
        Closure.objects.count(),
        list(Closure.objects.values_list("ends_on", flat=True)),
        UnitRegime.objects.count(),
        list(CompanyRestriction.objects.values_list("ends_on", flat=True)),
        AuditEvent.objects.filter(kind="change").count(),
    )


def _plan(users, estate, **kw):
    args = {"unit": estate.unit_a, "day_type": "weekday", "valid_from": TODAY, "blocks": DAY}
    args.update(kw)
    return days.day_plan_create(actor=users["case_manager"], **args)


def test_a_day_plan_with_its_periods_in_time_order(estate, users, frozen):
    plan = _plan(users, estate, note="Ny plan fra mars")
    blocks = list(plan.blocks.order_by("starts").values_list("kind", "starts", "in_company"))
    assert blocks == [
        ("association", t("07:30"), True),
        ("activities", t("08:30"), True),
        ("outdoor", t("16:00"), False),
        ("association", t("17:00"), True),
    ]
    event = AuditEvent.objects.get(action="regime.day_plan_created")
    assert event.data["unit"] == estate.unit_a.pk and event.data["valid_from"] == "2026-03-02"
    assert event.data["blocks"][0] == ["association", "07:30", "08:15", True]
    assert "Ny plan" not in str(event.data)


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"day_type": "holiday"}, "day_type", "Choose the kind of day."),
        ({"valid_from": TODAY - dt.timedelta(days=1)}, "valid_from", "today or later"),
        ({"blocks": []}, "blocks", "at least one period"),
        ({"blocks": [BlockIn("nap", t("12:00"), t("13:00"))]}, "blocks", "what happens"),
        (
            {"blocks": [BlockIn("locked", t("20:30"), t("07:30"))]},
            "blocks",
            "The period 20:30–07:30 must end after it starts",
        ),
        (
            {"blocks": [*DAY, BlockIn("meal", t("15:00"), t("16:15"))]},
            "blocks",
            "The periods 15:00–16:15 and 16:00–17:00 overlap.",
        ),
        ({"note": "x" * 256}, "note", "At most 255 characters."),
    ],
)
def test_bad_day_plans_change_nothing(estate, users, frozen, kw, field, message):
    before = _state()
    with pytest.raises(DomainError) as err:
        _plan(users, estate, **kw)
    assert err.value.field == field and message in err.value.message
    assert _state() == before


def test_a_second_plan_from_the_same_date_is_refused(estate, users, frozen):
    _plan(users, estate)
    before = _state()
    with pytest.raises(Conflict):
        _plan(users, estate)
    assert _state() == before
    _plan(users, estate, day_type="weekend")  # the other kind of day is fine
    assert DayPlan.objects.count() == 2


def test_only_managers_of_the_facility_make_plans(estate, users, frozen):
    before = _state()
    with pytest.raises(PermissionDenied):
        days.day_plan_create(
            actor=users["officer"], unit=estate.unit_a, day_type="weekday", valid_from=TODAY,
            blocks=DAY,
        )  # fmt: skip
    with pytest.raises(NotFound):
        days.day_plan_create(
            actor=users["lower_case_manager"], unit=estate.unit_a, day_type="weekday",
            valid_from=TODAY, blocks=DAY,
        )  # fmt: skip
    assert _state() == before


def test_copy_a_plan_to_another_unit_and_date(estate, users, frozen):
    source = day_plan(estate.unit_a, day_type="weekend")
    copy = days.day_plan_copy(
        actor=users["case_manager"], source=source, unit=estate.unit_b, valid_from=TODAY
    )
    assert (copy.unit, copy.day_type, copy.valid_from) == (estate.unit_b, "weekend", TODAY)
    assert list(copy.blocks.values_list("kind", "starts")) == list(
        source.blocks.values_list("kind", "starts")
    )
    later = days.day_plan_copy(
        actor=users["case_manager"],
        source=source,
        unit=estate.unit_a,
        valid_from=dt.date(2026, 4, 1),
        day_type="weekday",
    )
    assert later.day_type == "weekday"
    other = day_plan(estate.lower_unit)
    with pytest.raises(NotFound):  # a plan of another facility is not to be seen
        days.day_plan_copy(
            actor=users["case_manager"], source=other, unit=estate.unit_a, valid_from=TODAY
        )


def test_withdraw_only_a_plan_not_yet_in_force(estate, users, frozen):
    cm = users["case_manager"]
    upcoming = _plan(users, estate, valid_from=dt.date(2026, 4, 1))
    current = _plan(users, estate)
    with pytest.raises(Conflict):
        days.day_plan_withdraw(actor=cm, plan=current)
    days.day_plan_withdraw(actor=cm, plan=upcoming)
    assert list(DayPlan.objects.all()) == [current]
    assert AuditEvent.objects.filter(action="regime.day_plan_withdrawn").count() == 1


# --- Closures ---------------------------------------------------------------------------------


def test_closures_of_a_unit_and_of_the_facility(estate, users, frozen):
    cm = users["case_manager"]
    unit = days.closure_add(
        actor=cm, unit=estate.unit_a, starts_on=TODAY, ends_on=TODAY, reason="Ransaking"
    )
    whole = days.closure_add(
        actor=cm, starts_on=TODAY, ends_on=dt.date(2026, 3, 4), reason="Personalmangel"
    )
    assert (unit.facility, unit.unit, whole.unit) == (estate.high, estate.unit_a, None)
    event = AuditEvent.objects.filter(action="regime.closure_added").last()
    assert event.data == {"unit": None, "starts_on": "2026-03-02", "ends_on": "2026-03-04"}
    assert list(days.closures_for(actor=users["officer"], since=TODAY)) == [unit, whole]
    ended = days.closure_end(actor=cm, closure=whole, ends_on=dt.date(2026, 3, 3))
    assert ended.ends_on == dt.date(2026, 3, 3)


@pytest.mark.parametrize(
    ("kw", "error", "field"),
    [
        ({"ends_on": dt.date(2026, 3, 1)}, DomainError, "ends_on"),
        ({"reason": "  "}, DomainError, "reason"),
        ({"starts_on": dt.date(2026, 3, 4), "ends_on": dt.date(2026, 3, 6)}, Conflict, "starts_on"),
    ],
)
def test_bad_closures_change_nothing(estate, users, frozen, kw, error, field):
    cm = users["case_manager"]
    days.closure_add(
        actor=cm, starts_on=dt.date(2026, 3, 3), ends_on=dt.date(2026, 3, 5), reason="Øvelse"
    )
    before = _state()
    args = {"starts_on": TODAY, "ends_on": TODAY, "reason": "Ransaking", **kw}
    with pytest.raises(error) as err:
        days.closure_add(actor=cm, **args)
    assert err.value.field == field and _state() == before


def test_closures_are_the_facility_s_own(estate, users, frozen):
    closure = days.closure_add(
        actor=users["case_manager"], starts_on=TODAY, ends_on=dt.date(2026, 3, 9), reason="Lås"
    )
    before = _state()
    with pytest.raises(NotFound):
        days.closure_add(
            actor=users["lower_case_manager"], unit=estate.unit_a, starts_on=TODAY,
            ends_on=TODAY, reason="x",
        )  # fmt: skip
    with pytest.raises(NotFound):
        days.closure_end(actor=users["lower_case_manager"], closure=closure)
    with pytest.raises(PermissionDenied):
        days.closure_end(actor=users["officer"], closure=closure)
    with pytest.raises(DomainError):  # not before it began, not later than it ends
        days.closure_end(actor=users["case_manager"], closure=closure, ends_on=dt.date(2026, 3, 1))
    with pytest.raises(DomainError):
        days.closure_end(actor=users["case_manager"], closure=closure, ends_on=dt.date(2026, 3, 9))
    assert _state() == before
    days.closure_end(actor=users["case_manager"], closure=closure)
    assert Closure.objects.get().ends_on == TODAY


# --- Settings and restrictions ----------------------------------------------------------------


def test_unit_settings(estate, users, frozen):
    cm = users["case_manager"]
    assert days.unit_settings_of(estate.unit_a).pk is None
    s = days.unit_settings_set(
        actor=cm, unit=estate.unit_a, self_catering=True, minimum_minutes=600
    )
    assert (s.self_catering, s.minimum_out_of_cell_minutes) == (True, 600)
    s = days.unit_settings_set(
        actor=cm, unit=estate.unit_a, self_catering=False, minimum_minutes=None
    )
    assert UnitRegime.objects.count() == 1 and s.minimum_out_of_cell_minutes is None
    event = AuditEvent.objects.filter(action="regime.unit_settings_set").last()
    assert event.data == {"unit": estate.unit_a.pk, "from": [True, 600], "to": [False, None]}
    before = _state()
    with pytest.raises(DomainError) as err:
        days.unit_settings_set(actor=cm, unit=estate.unit_a, self_catering=True, minimum_minutes=0)
    assert err.value.field == "minimum_minutes" and _state() == before
    with pytest.raises(PermissionDenied):
        days.unit_settings_set(
            actor=users["teacher"], unit=estate.unit_a, self_catering=True, minimum_minutes=None
        )


def test_restrictions_on_company(estate, users, frozen):
    cm = users["case_manager"]
    episode = inside(users, estate.cells_a[0])
    r = days.company_restriction_add(
        actor=cm, episode=episode, kind="exclusion", starts_on=TODAY, note="Utelukket etter § 37"
    )
    event = AuditEvent.objects.get(action="regime.company_restriction_added")
    assert event.person_id == episode.person_id and "Utelukket" not in str(event.data)
    before = _state()
    for kw, field in [
        ({"kind": "exclusion", "starts_on": dt.date(2026, 3, 10)}, "starts_on"),  # overlaps
        ({"kind": "court", "starts_on": dt.date(2026, 4, 1)}, "kind"),  # a court order: contact
        ({"kind": "solitary", "starts_on": TODAY}, "kind"),
        ({"kind": "exclusion", "starts_on": TODAY, "ends_on": dt.date(2026, 3, 1)}, "ends_on"),
        ({"kind": "exclusion", "starts_on": dt.date(2025, 12, 1)}, "starts_on"),  # before admission
    ]:
        with pytest.raises(DomainError) as err:
            days.company_restriction_add(actor=cm, episode=episode, **kw)
        assert err.value.field == field
        if kw["kind"] == "court":
            assert "Court restrictions (family contact)" in err.value.message
    with pytest.raises(PermissionDenied):
        days.company_restriction_add(
            actor=users["officer"], episode=episode, kind="exclusion", starts_on=TODAY
        )
    with pytest.raises(NotFound):
        days.company_restriction_add(
            actor=users["lower_case_manager"], episode=episode, kind="exclusion", starts_on=TODAY
        )
    assert _state() == before
    ended = days.company_restriction_end(actor=cm, restriction=r, ends_on=dt.date(2026, 3, 5))
    assert ended.ends_on == dt.date(2026, 3, 5)
    with pytest.raises(DomainError):
        days.company_restriction_end(actor=cm, restriction=r, ends_on=dt.date(2026, 3, 6))
    days.company_restriction_add(
        actor=cm, episode=episode, kind="exclusion", starts_on=dt.date(2026, 3, 9),
        ends_on=dt.date(2026, 3, 9),
    )  # fmt: skip
    # A court row recorded here before court orders moved to family contact stays, and ends.
    legacy = CompanyRestriction.objects.create(
        person_id=episode.person_id, episode=episode, kind="court", starts_on=TODAY
    )
    days.company_restriction_end(actor=cm, restriction=legacy, ends_on=TODAY)
    kinds = list(days.restrictions_of(episode=episode).values_list("kind", "starts_on"))
    assert kinds == [
        ("exclusion", dt.date(2026, 3, 9)),
        ("court", TODAY),
        ("exclusion", TODAY),
    ]  # the newest first
