"""Demo plans: contact officers within capacity, needs mappings in step with time inside."""

from __future__ import annotations

import pytest

from normalitet.custody.models import CustodyEpisode
from normalitet.demo.seed import seed
from normalitet.planning.demo import seed_plans
from normalitet.planning.models import (
    ContactOfficerAllocation,
    ContactSession,
    NeedsAssessment,
    NeedsItem,
)

pytestmark = pytest.mark.django_db


def test_every_person_in_custody_gets_a_plan(frozen):
    seed(scale="small", progress=False)
    summary = seed_plans()
    open_eps = CustodyEpisode.objects.filter(released_at__isnull=True)
    assert summary["needs_mappings"] == open_eps.count() == NeedsAssessment.objects.count()
    assert NeedsItem.objects.count() == 8 * open_eps.count()
    with_officer = open_eps.filter(contact_officer__isnull=False).count()
    assert ContactOfficerAllocation.objects.filter(ended_at__isnull=True).count() == with_officer
    assert ContactSession.objects.count() == summary["sessions"] > 0
    for a in NeedsAssessment.objects.filter(completed_at__isnull=False):
        assert a.items.exclude(status="").count() == 8
    assert set(seed_plans().values()) == {0}
    from normalitet.planning.models import RiskAssessment, SentencePlan

    assert RiskAssessment.objects.count() == summary["risk_assessments"] > 0
    assert SentencePlan.objects.count() == summary["plans"] > 0
    for plan in SentencePlan.objects.all():
        assert plan.goals.count() >= 1 and all(g.steps.count() == 1 for g in plan.goals.all())
