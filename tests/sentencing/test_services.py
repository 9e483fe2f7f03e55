"""Sentences in the database: every change recalculates, keeps history, says what moved, and
input the engine refuses changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from normalitet.audit.models import AuditEvent
from normalitet.core import clock
from normalitet.core.errors import DomainError, PermissionDenied
from normalitet.sentencing import services
from normalitet.sentencing.models import Calculation, Judgment, Sentence

from ..custody.helpers import admitted

pytestmark = pytest.mark.django_db

ONE_YEAR = {"kind": "prison", "years": 1}


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=clock.OSLO)


@pytest.fixture
def execution(estate, users):
    ep = admitted(users, estate.high, estate.cells_a[0])
    return services.execution_start(
        actor=users["case_manager"], person=ep.person, start_date=dt.date(2026, 1, 1)
    )


def test_judgment_calculates_dates(execution, users):
    calc = services.judgment_add(
        actor=users["case_manager"],
        execution=execution,
        court="Oslo tingrett",
        case_number="25-123456MED-OTIR/01",
        judgment_date=dt.date(2025, 11, 1),
        date_final=dt.date(2025, 11, 20),
        sentences=[ONE_YEAR],
    )
    # 365 days from 1 January 2026: expiry 31 December; parole after ceil(2/3 * 365) = 244 days
    assert calc.result["sentence_days"] == 365
    assert calc.result["expiry_date"] == "2026-12-31"
    assert calc.result["parole_date"] == "2026-09-01"
    assert calc.rule_set == calc.result["rule_set"] and calc.changes == {}
    assert AuditEvent.objects.filter(action="sentencing.calculate").count() == 1


def test_remand_moves_dates_and_history_says_what_moved(execution, users):
    cm = users["case_manager"]
    first = services.judgment_add(
        actor=cm,
        execution=execution,
        court="Oslo tingrett",
        case_number="A",
        judgment_date=dt.date(2025, 11, 1),
        date_final=None,
        sentences=[ONE_YEAR],
    )
    # 30 days of remand (720 hours): ceil((720 - 4) / 24) = 30 days deducted
    second = services.deprivation_add(
        actor=cm,
        execution=execution,
        starts_at=_at("2025-12-01T10:00"),
        ends_at=_at("2025-12-31T10:00"),
    )
    assert second.result["remand_deduction_days"] == 30
    assert second.changes["expiry_date"] == ["2026-12-31", "2026-12-01"]
    assert second.changes["parole_date"] == ["2026-09-01", "2026-08-02"]
    assert "sentence_days" not in second.changes
    assert list(Calculation.objects.order_by("id")) == [first, second]


def test_isolation_gives_extra_deduction(execution, users):
    cm = users["case_manager"]
    services.judgment_add(
        actor=cm,
        execution=execution,
        court="X",
        case_number="B",
        judgment_date=dt.date(2025, 11, 1),
        date_final=None,
        sentences=[ONE_YEAR],
    )
    # 14 days in full isolation: 14 days + ceil(14 * 24 / 48) = 7 extra = 21 days (RULES.md § 4)
    calc = services.deprivation_add(
        actor=cm,
        execution=execution,
        starts_at=_at("2025-11-10T08:00"),
        ends_at=_at("2025-11-24T08:00"),
        isolations=[(_at("2025-11-10T08:00"), _at("2025-11-24T08:00"))],
    )
    assert calc.result["remand_deduction_days"] == 21


def test_refused_input_changes_nothing(execution, users):
    cm = users["case_manager"]
    before = (Judgment.objects.count(), Sentence.objects.count(), Calculation.objects.count())
    with pytest.raises(services.CalculationRefused) as exc:
        services.judgment_add(
            actor=cm,
            execution=execution,
            court="X",
            case_number="C",
            judgment_date=dt.date(2025, 11, 1),
            date_final=None,
            sentences=[{"kind": "prison", "years": 22}],
        )
    assert exc.value.errors and exc.value.rule
    assert (
        Judgment.objects.count(),
        Sentence.objects.count(),
        Calculation.objects.count(),
    ) == before


def test_interruption_moves_later_dates(execution, users):
    cm = users["case_manager"]
    services.judgment_add(
        actor=cm,
        execution=execution,
        court="X",
        case_number="D",
        judgment_date=dt.date(2025, 11, 1),
        date_final=None,
        sentences=[ONE_YEAR],
    )
    calc = services.interruption_add(
        actor=cm,
        execution=execution,
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 3, 11),
        reason="escape",
    )
    assert calc.result["expiry_date"] == "2027-01-10"
    assert calc.changes["expiry_date"] == ["2026-12-31", "2027-01-10"]


def test_officer_may_not_change_sentences(execution, users):
    with pytest.raises(PermissionDenied):
        services.judgment_add(
            actor=users["officer"],
            execution=execution,
            court="X",
            case_number="E",
            judgment_date=dt.date(2025, 11, 1),
            date_final=None,
            sentences=[ONE_YEAR],
        )


def test_one_active_execution_per_person(execution, users):
    with pytest.raises(DomainError):
        services.execution_start(
            actor=users["case_manager"], person=execution.person, start_date=dt.date(2026, 2, 1)
        )


def test_expected_release_on_the_roll_follows_the_parole_date(execution, users):
    from normalitet.custody.models import CustodyEpisode

    services.judgment_add(
        actor=users["case_manager"],
        execution=execution,
        court="X",
        case_number="F",
        judgment_date=dt.date(2025, 11, 1),
        date_final=None,
        sentences=[ONE_YEAR],
    )
    episode = CustodyEpisode.objects.get(person=execution.person, released_at__isnull=True)
    assert episode.expected_release_date == dt.date(2026, 9, 1)


def test_flat_loading_gives_the_same_input_as_the_relations(execution, users):
    from normalitet.sentencing.inputs import execution_input, records_for

    cm = users["case_manager"]
    services.judgment_add(
        actor=cm,
        execution=execution,
        court="X",
        case_number="G",
        judgment_date=dt.date(2025, 11, 1),
        date_final=None,
        sentences=[ONE_YEAR, {"kind": "prison", "days": 90}],
    )
    services.deprivation_add(
        actor=cm,
        execution=execution,
        starts_at=_at("2025-11-10T08:00"),
        ends_at=_at("2025-11-24T08:00"),
        isolations=[(_at("2025-11-10T08:00"), _at("2025-11-12T08:00"))],
    )
    services.interruption_add(
        actor=cm,
        execution=execution,
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 3, 3),
        reason="escape",
    )
    flat = execution_input(execution, records_for([execution.pk])[execution.pk])
    assert flat == execution_input(execution)
    assert len(flat["sentences"]) == 2 and flat["deprivations"][0]["full_isolation"]
