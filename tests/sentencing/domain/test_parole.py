"""Parole (SGL § 42), expiry (SGF § 3-2) and new review after a refusal (SGF § 3-41)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from normalitet.sentencing.domain import (
    NO_2024_1,
    parole_review_date,
    parole_review_interval_months,
)

from .builders import calc, codes, d, prison, remand


@pytest.mark.parametrize(
    ("days", "parole", "early"),
    [
        (73, None, None),  # 60 would leave 13 days: served in full
        (74, "2024-05-02", "2024-05-02"),  # 60 leaves exactly 14
        (89, "2024-05-02", "2024-05-02"),  # 2/3 = 60 (59.33 up), 60 days minimum
        (90, "2024-05-02", "2024-05-02"),  # 2/3 = 60 exactly
        (91, "2024-05-03", "2024-05-02"),  # 2/3 = 61 (60.67 up)
        (120, "2024-05-22", "2024-05-02"),  # 80; half 60
        (150, "2024-06-11", "2024-05-17"),  # 100; half 75
    ],
)
def test_sgl_42_parole_at_two_thirds_and_at_least_60_days(
    days: int, parole: str | None, early: str | None
) -> None:
    result = calc("2024-03-04", prison(days=days))
    assert result.parole_date == (d(parole) if parole else None)
    assert result.early_parole_date == (d(early) if early else None)


def test_sgl_42_73_days_explains_served_in_full() -> None:
    result = calc("2024-03-04", prison(days=73))
    assert codes(result, "parole_date") == [
        "parole.fraction",
        "parole.minimum_days",
        "parole.served_in_full",
    ]
    assert result.explanation["parole_date"][-1].values == {"remaining": 13, "min": 14}


def test_sgl_42_two_thirds_of_21_years_is_14_years() -> None:
    result = calc("2024-01-01", prison(years=21))
    assert result.sentence_days == 7671
    assert result.parole_date == d("2037-12-31")  # the day 14 years are served
    assert result.expiry_date == d("2044-12-31")


def test_sgl_42_parole_explanation_cites_the_rule_and_flags_the_rounding() -> None:
    step = calc("2024-03-04", prison(days=74)).explanation["parole_date"][0]
    assert step.code == "parole.fraction"
    assert step.rule == "SGL § 42"
    assert step.unverified is True  # rounding is UNVERIFIED in RULES.md § 4
    assert step.values == {
        "sentence_days": 74,
        "fraction": Fraction(2, 3),
        "days": 50,
        "rounding": "up",
    }


def test_sgf_3_2_expiry_is_the_day_t_days_are_served() -> None:
    assert calc("2024-03-04", prison(days=74)).expiry_date == d("2024-05-16")
    assert calc("2023-01-31", prison(months=1)).expiry_date == d("2023-02-27")
    assert calc("2023-03-01", prison(years=1)).expiry_date == d("2024-02-29")


def test_sgf_3_2_remand_counts_as_served() -> None:
    dep = remand("2024-05-01T10:00", "2024-05-11T10:00")  # 240 h: 10 days
    result = calc("2024-06-03", prison(days=90), deprivations=(dep,))
    assert result.expiry_date == d("2024-08-21")  # S + 90 - 10 - 1
    assert result.parole_date == d("2024-07-22")  # S + 60 - 10 - 1


def test_sgf_3_2_no_date_before_the_start() -> None:
    dep = remand("2024-01-01T08:00", "2024-05-30T08:00")  # 150 days against 92
    result = calc("2024-05-30", prison(months=3), deprivations=(dep,))
    assert result.expiry_date == result.parole_date == d("2024-05-30")
    assert codes(result, "expiry_date")[-1] == "date.not_before_start"


def test_sgf_3_3_sentences_served_one_after_the_other_and_added() -> None:
    result = calc("2024-02-01", prison(days=120), prison(months=8))
    assert result.sentence_days == 120 + 245  # 8 months from 2024-05-31 to 2025-01-31
    assert [s.values["days"] for s in result.explanation["sentence_days"]] == [120, 245, 365]
    assert result.explanation["sentence_days"][-1].rule == "SGF § 3-3"


@pytest.mark.parametrize(
    ("length", "months"),
    [
        ({"years": 4, "months": 11, "days": 30}, 3),
        ({"years": 5}, 6),  # 5-12 years includes 5
        ({"years": 12}, 6),  # ... and 12
        ({"years": 12, "days": 1}, 12),  # over 12 years
        ({"years": 21}, 12),
    ],
)
def test_sgf_3_41_review_interval_by_sentence_length(length: dict[str, int], months: int) -> None:
    result = calc("2024-01-01", prison(**length), parole_refusals=1)
    assert (
        parole_review_interval_months(
            start_date=d("2024-01-01"), sentence_days=result.sentence_days, rules=NO_2024_1
        )
        == months
    )
    assert result.parole_date is not None
    assert result.parole_review_date == parole_review_date(
        eligibility_date=result.parole_date,
        start_date=d("2024-01-01"),
        sentence_days=result.sentence_days,
    )


def test_sgf_3_41_each_further_refusal_adds_the_same_interval_without_drift() -> None:
    # Parole on 31 May: 3, 6, 9 months later are 31 Aug, 30 Nov, 28 Feb (not 28 May).
    parole = d("2024-05-31")
    dates = [
        parole_review_date(
            eligibility_date=parole, start_date=d("2024-01-01"), sentence_days=400, refusals=k
        )
        for k in (1, 2, 3, 4)
    ]
    assert dates == [d("2024-08-31"), d("2024-11-30"), d("2025-02-28"), d("2025-05-31")]


def test_sgf_3_41_review_needs_a_refusal() -> None:
    with pytest.raises(ValueError, match="at least one refusal"):
        parole_review_date(
            eligibility_date=d("2024-05-31"),
            start_date=d("2024-01-01"),
            sentence_days=400,
            refusals=0,
        )


def test_sgf_3_41_no_refusal_no_review_date() -> None:
    result = calc("2024-01-01", prison(years=1))
    assert result.parole_review_date is None
    assert codes(result, "parole_review_date") == ["parole_review.no_refusal"]


def test_sgf_3_41_no_parole_date_no_review_date() -> None:
    result = calc("2024-01-01", prison(days=73), parole_refusals=1)
    assert result.parole_review_date is None
    assert codes(result, "parole_review_date") == ["parole_review.no_parole"]


def test_sgf_3_41_review_after_expiry_does_not_apply() -> None:
    # 1 year: parole 2024-08-31, expiry 2024-12-31; 2 refusals -> 2025-02-28 > expiry.
    result = calc("2024-01-01", prison(years=1), parole_refusals=2)
    assert result.parole_review_date is None
    assert codes(result, "parole_review_date")[-1] == "date.after_end"
