"""The sentence page, the API and `normalitet recalc --all`."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import translation

from normalitet.cli import main
from normalitet.sentencing import services
from normalitet.sentencing.domain.explanation import TEXTS
from normalitet.sentencing.explain import NB
from normalitet.sentencing.models import Calculation

from ..custody.helpers import admitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def sentenced(estate, users):
    ep = admitted(users, estate.high, estate.cells_a[0], given_names="Stian")
    cm = users["case_manager"]
    execution = services.execution_start(actor=cm, person=ep.person, start_date=dt.date(2026, 1, 1))
    services.judgment_add(
        actor=cm,
        execution=execution,
        court="Oslo tingrett",
        case_number="25-1",
        judgment_date=dt.date(2025, 11, 1),
        date_final=dt.date(2025, 11, 20),
        sentences=[{"kind": "prison", "years": 1}],
    )
    return ep.person, execution


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_sentence_page_shows_dates_explanations_timeline_and_history(sentenced, users):
    person, _ = sentenced
    body = _client(users["officer"]).get(f"/persons/{person.pk}/sentence/").content.decode()
    assert 'id="date-parole_date"' in body and "09/01/2026" in body or "2026" in body
    assert "SGL § 42" in body and "Two-thirds of 365 days" in body
    assert "app-timeline" in body and "Calculation history" in body
    assert "Register a judgment" not in body  # officers see, case managers change


def test_sentence_page_in_norwegian(sentenced, users):
    person, _ = sentenced
    c = _client(users["case_manager"])
    c.post("/i18n/setlang/", {"language": "nb", "next": "/"})
    body = c.get(f"/persons/{person.pk}/sentence/").content.decode()
    assert "To tredjedeler av 365 dager" in body
    assert "01.09.2026" in body


def test_every_explanation_has_a_norwegian_text_with_the_same_placeholders():
    import string

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    assert set(NB) == set(TEXTS)
    for code, text in TEXTS.items():
        assert fields(NB[code]) == fields(text), code


def test_add_remand_through_the_form_moves_the_dates(sentenced, users):
    person, execution = sentenced
    r = _client(users["case_manager"]).post(
        f"/persons/{person.pk}/sentence/remand/new/",
        {"starts_at": "2025-12-01T10:00", "ends_at": "2025-12-31T10:00"},
        follow=True,
    )
    assert r.redirect_chain[0][1] == 302
    body = r.content.decode()
    assert "Moved: Leave: 05/02/2026 → 04/30/2026;" in body
    assert "End of sentence: 12/31/2026 → 12/01/2026" in body
    newest = Calculation.objects.filter(execution=execution).latest("id")
    assert newest.changes["expiry_date"] == ["2026-12-31", "2026-12-01"]


def test_form_shows_the_broken_rule_and_saves_nothing(sentenced, users):
    person, execution = sentenced
    before = Calculation.objects.count()
    r = _client(users["case_manager"]).post(
        f"/persons/{person.pk}/sentence/judgments/new/",
        {
            "court": "X",
            "case_number": "2",
            "judgment_date": "2025-12-01",
            "kind": "prison",
            "years": 0,
            "months": 0,
            "days": 10,
            "minimum_years": 0,
            "minimum_months": 0,
            "frame_years": 0,
            "frame_months": 0,
        },
    )
    assert r.status_code == 400
    assert "14" in r.content.decode()
    assert Calculation.objects.count() == before and execution.judgments.count() == 1


def test_api_calculate(users, estate):
    c = _client(users["officer"])
    payload = {
        "start_date": "2026-01-01",
        "sentences": [{"kind": "prison", "length": {"years": 0, "months": 0, "days": 74}}],
        "deprivations": [],
        "interruptions": [],
    }
    r = c.post("/api/v1/sentencing/calculate", json.dumps(payload), content_type="application/json")
    assert r.status_code == 200 and r.json()["parole_date"] is not None
    payload["sentences"][0]["length"]["days"] = 13
    r = c.post("/api/v1/sentencing/calculate", json.dumps(payload), content_type="application/json")
    assert r.status_code == 400 and r.json()["errors"][0]["message"]
    assert (
        _client(users["teacher"])
        .post("/api/v1/sentencing/calculate", json.dumps(payload), content_type="application/json")
        .status_code
        == 404
    )


def test_api_person_sentence(sentenced, users):
    person, _ = sentenced
    r = _client(users["case_manager"]).get(f"/api/v1/persons/{person.pk}/sentence")
    data = r.json()
    assert r.status_code == 200 and data["current"]["expiry_date"] == "2026-12-31"
    assert len(data["history"]) == 1
    assert _client(users["health"]).get(f"/api/v1/persons/{person.pk}/sentence").status_code == 404


def test_recalc_all_stores_only_real_changes(sentenced, users, capsys):
    _, execution = sentenced
    assert main(["recalc", "--all", "--quiet"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["checked"] == 1 and out["changed"] == 0
    assert Calculation.objects.filter(execution=execution).count() == 1
    # a stored result from an older rule version is replaced, and the run says what moved
    calc = Calculation.objects.get(execution=execution)
    old = {**calc.result, "expiry_date": "2026-12-30"}
    Calculation.objects.filter(pk=calc.pk).update(result=old)
    assert main(["recalc", "--all", "--quiet"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["changed"] == 1 and out["moved"] == {"expiry_date": 1}
    assert Calculation.objects.filter(execution=execution).latest("id").changes == {
        "expiry_date": ["2026-12-30", "2026-12-31"]
    }


def test_translation_is_active_only_for_nb():
    from normalitet.sentencing.explain import step_text

    step = {"code": "remand.total", "text": "Deduction in total: 3 days.", "values": {"days": 3}}
    with translation.override("en"):
        assert step_text(step) == "Deduction in total: 3 days."
    with translation.override("nb"):
        assert step_text(step) == "Fradrag i alt: 3 dager."
