"""Demo sentences: every sentenced person gets a judgment the engine accepts, deterministically."""

from __future__ import annotations

import pytest

from normalitet.custody import services as custody
from normalitet.sentencing.demo import seed_sentences
from normalitet.sentencing.models import Calculation, Execution

from ..factories import PersonFactory

pytestmark = pytest.mark.django_db


def _admit(users, estate, n, status):
    for _ in range(n):
        custody.admit(
            actor=users["case_manager"],
            person=PersonFactory(),
            legal_status=status,
            facility=estate.high,
        )


def test_every_sentenced_person_gets_calculated_dates(estate, users):
    _admit(users, estate, 40, "sentenced")
    _admit(users, estate, 3, "preventive_detention")
    _admit(users, estate, 5, "remand")
    summary = seed_sentences()
    assert (summary.checked, summary.refused, summary.changed) == (43, 0, 43)
    assert Execution.objects.count() == 43 and Calculation.objects.count() == 43
    results = [c.result for c in Calculation.objects.all()]
    assert sum(1 for r in results if r["time_frame_end_date"]) == 3
    assert all(r["expiry_date"] or r["time_frame_end_date"] for r in results)
    # a second run adds nothing
    again = seed_sentences()
    assert (again.checked, again.changed) == (43, 0)


def test_deterministic(estate, users):
    _admit(users, estate, 10, "sentenced")
    seed_sentences(seed=7)
    first = sorted(Calculation.objects.values_list("result__expiry_date", flat=True))
    Calculation.objects.all().delete()
    Execution.objects.all().delete()
    seed_sentences(seed=7)
    assert sorted(Calculation.objects.values_list("result__expiry_date", flat=True)) == first


def test_dates_fit_how_long_the_person_has_been_inside(estate, users, frozen):
    import datetime as dt

    from normalitet.core import clock

    for years_ago in (0, 2, 6):
        custody.admit(
            actor=users["case_manager"],
            person=PersonFactory(),
            legal_status="sentenced",
            facility=estate.high,
            admitted_at=frozen - dt.timedelta(days=365 * years_ago + 3),
        )
    custody.admit(
        actor=users["case_manager"],
        person=PersonFactory(),
        legal_status="preventive_detention",
        facility=estate.high,
        admitted_at=frozen - dt.timedelta(days=365 * 16),
    )
    seed_sentences()
    today = clock.today()
    for c in Calculation.objects.all():
        end = c.result["expiry_date"] or c.result["time_frame_end_date"]
        assert dt.date.fromisoformat(end) > today
