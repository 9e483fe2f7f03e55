"""The placement rules, pure: which level the law and the risk assessment point to, how the
facilities of that level are ranked, who decides a transfer and the appeal deadline."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from normalitet.planning.domain import placement as p

TODAY = dt.date(2026, 11, 24)
LOW = {"escape": "low", "violence": "low", "reoffending": "moderate", "vulnerability": "low"}


def inp(**kw):
    base = dict(
        today=TODAY,
        remand=False,
        age=35,
        women=False,
        sentence_days=3000,
        preventive_detention=False,
        lower_security_date=None,
        risk=LOW,
        needs=frozenset(),
    )
    base.update(kw)
    return p.PlacementInput(**base)


def codes(reasons):
    return [r.code for r in reasons]


def test_remand_is_held_in_high_security():
    level, reasons = p.recommended_level(inp(remand=True, sentence_days=None))
    assert level == p.HIGH and codes(reasons) == ["level.remand"]


def test_without_dates_high_security_is_the_default():
    level, reasons = p.recommended_level(inp(sentence_days=None))
    assert level == p.HIGH and codes(reasons) == ["level.no_dates"]


def test_a_long_sentence_before_the_lower_security_date_stays_high():
    level, reasons = p.recommended_level(inp(lower_security_date=dt.date(2027, 3, 1)))
    assert level == p.HIGH and codes(reasons) == ["level.default"]


@pytest.mark.parametrize(
    ("days", "expected", "why"),
    [
        (365, p.HALFWAY, "consider.halfway_short"),
        (366, p.LOWER, "consider.lower_short"),
        (730, p.LOWER, "consider.lower_short"),
        (731, p.HIGH, "level.default"),
    ],
)
def test_sgl_11_short_sentences(days, expected, why):
    level, reasons = p.recommended_level(inp(sentence_days=days))
    assert level == expected
    assert why in codes(reasons)
    rule = next(r.rule for r in reasons if r.code == why)
    assert rule == "SGL § 11"


def test_sgl_14_one_year_before_parole_eligibility():
    level, reasons = p.recommended_level(inp(lower_security_date=TODAY))
    assert level == p.LOWER
    assert ("consider.lower_date", "SGL § 14") in [(r.code, r.rule) for r in reasons]
    # the day before the date it is not yet to be considered
    level, _ = p.recommended_level(inp(lower_security_date=TODAY + dt.timedelta(days=1)))
    assert level == p.HIGH


def test_no_current_risk_assessment_means_no_lower_level():
    level, reasons = p.recommended_level(inp(sentence_days=200, risk=None))
    assert level == p.HIGH
    assert codes(reasons) == ["consider.halfway_short", "risk.missing", "level.risk_keeps_high"]


def test_high_escape_risk_keeps_high_and_says_so():
    risk = {**LOW, "escape": "high"}
    level, reasons = p.recommended_level(inp(sentence_days=200, risk=risk))
    assert level == p.HIGH
    assert [r.values for r in reasons if r.code == "risk.high"] == [{"area": "escape"}]


def test_moderate_violence_rules_out_a_halfway_house_only():
    level, reasons = p.recommended_level(
        inp(sentence_days=200, risk={**LOW, "violence": "moderate"})
    )
    assert level == p.LOWER and "risk.moderate" in codes(reasons)


def test_under_18_always_considers_less_restrictive_forms():
    level, reasons = p.recommended_level(inp(age=17))
    assert level == p.HALFWAY and codes(reasons)[0] == "consider.youth"


def test_preventive_detention_is_not_a_short_sentence():
    level, _ = p.recommended_level(inp(sentence_days=300, preventive_detention=True))
    assert level == p.HIGH


def option(fid, name, level=p.LOWER, **kw):
    return p.FacilityOption(fid, name, level, kw.pop("free", 5), **kw)


def test_facilities_ranked_suitable_first_then_needs_then_distance():
    options = (
        option(1, "Far", distance_km=400.0),
        option(2, "Near", distance_km=20.0),
        option(3, "Full", free=0, distance_km=5.0),
        option(4, "Apart", keep_apart=1, distance_km=1.0),
        option(5, "Drug-free", distance_km=300.0, unit_kinds=frozenset({"drug_free"})),
        option(6, "High", level=p.HIGH, distance_km=1.0),
        option(7, "Unknown"),
    )
    rec = p.recommend(inp(sentence_days=500, needs=frozenset({"drugs_alcohol"}), options=options))
    assert rec.level == p.LOWER
    assert [r.option.name for r in rec.facilities] == [
        "Drug-free",
        "Near",
        "Far",
        "Unknown",
        "Apart",
        "Full",
    ]
    assert [r.option.name for r in rec.elsewhere] == ["High"]
    assert rec.best is not None and rec.best.option.name == "Drug-free"
    full = next(r for r in rec.facilities if r.option.name == "Full")
    apart = next(r for r in rec.facilities if r.option.name == "Apart")
    assert not full.suitable and "facility.full" in codes(full.reasons)
    assert not apart.suitable and "facility.keep_apart" in codes(apart.reasons)
    near = next(r for r in rec.facilities if r.option.name == "Near")
    assert ("facility.distance", {"km": 20}) in [(r.code, r.values) for r in near.reasons]
    assert "unit.drug_free.no" in codes(near.reasons)


def test_women_and_youth_need_places_for_them():
    options = (
        option(1, "Men only", level=p.HALFWAY),
        option(2, "Youth", level=p.HALFWAY, unit_kinds=frozenset({"youth", "women"})),
    )
    rec = p.recommend(inp(age=16, women=True, options=options))
    assert [(r.option.name, r.suitable) for r in rec.facilities] == [
        ("Youth", True),
        ("Men only", False),
    ]


@pytest.mark.parametrize(
    ("kw", "level", "code"),
    [
        ({"preventive_detention": True}, "regional", "decide.regional_pd"),
        ({"special_unit": True}, "regional", "decide.regional_special"),
        ({"sentence_days": 3653}, "regional", "decide.regional_long"),
        ({"sentence_days": 3652}, "facility", "decide.facility"),
        ({"sentence_days": None}, "facility", "decide.facility"),
    ],
)
def test_who_decides(kw, level, code):
    args = {
        "sentence_days": 100,
        "preventive_detention": False,
        "special_unit": False,
        "today": TODAY,
    }
    args.update(kw)
    got, reason = p.decision_level(**args)
    assert (got, reason.code) == (level, code)


def test_appeal_deadline_is_seven_days():
    deadline, rule = p.appeal_deadline(dt.date(2026, 12, 28))
    assert deadline == dt.date(2027, 1, 4) and rule.source == "SGL § 7 e" and rule.value == 7


def test_rules_are_effective_dated(monkeypatch):
    later = p.Parameter(14, dt.date(2027, 1, 1), "SGL § 7 e (changed)")
    monkeypatch.setattr(p, "APPEAL_DAYS", (*p.APPEAL_DAYS, later))
    assert p.appeal_deadline(dt.date(2026, 12, 31))[0] == dt.date(2027, 1, 7)
    assert p.appeal_deadline(dt.date(2027, 1, 1))[0] == dt.date(2027, 1, 15)
    with pytest.raises(LookupError):
        p.appeal_deadline(dt.date(1999, 1, 1))


def test_distance_between_oslo_and_bergen():
    assert 300 < p.distance_km((59.91, 10.75), (60.39, 5.32)) < 310
    assert p.distance_km((59.91, 10.75), (59.91, 10.75)) == 0


def test_input_is_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        inp().age = 3  # type: ignore[misc]
