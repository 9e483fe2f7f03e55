"""Preventive detention, forvaring (STRL §§ 43-44; RULES.md § 2)."""

from __future__ import annotations

from normalitet.sentencing.domain import (
    Length,
    calculate,
    extend_time_frame,
    probation_application_date,
    refuse_probation,
)

from .builders import calc, codes, d, make, preventive, remand

FRAME, MINIMUM = Length(years=10), Length(years=6)


def test_strl_43_frame_end_minimum_term_end_and_extension_deadline() -> None:
    result = calc("2024-01-15", preventive(FRAME, MINIMUM))
    assert result.sentence_days == 3653
    assert result.time_frame_end_date == d("2034-01-14")
    assert result.extension_deadline_date == d("2033-10-14")  # frame end - 3 months
    assert result.minimum_term_end_date == d("2030-01-14")
    assert result.expiry_date is None  # no fixed last day
    assert result.parole_date is None


def test_strl_83_remand_applies_in_full_to_frame_and_minimum_term() -> None:
    dep = remand("2023-12-05T12:00", "2024-01-15T00:00")  # 972 h -> 41 days
    result = calc("2024-01-15", preventive(FRAME, MINIMUM), deprivations=(dep,))
    assert result.remand_deduction_days == 41
    assert result.time_frame_end_date == d("2033-12-04")
    assert result.minimum_term_end_date == d("2029-12-04")


def test_strl_43_court_extension_moves_frame_end_and_deadline() -> None:
    sentence = preventive(Length(years=5), Length(years=3), final="2020-05-20")
    before = calculate(make("2020-06-01", sentence))
    after = calculate(make("2020-06-01", extend_time_frame(sentence, Length(years=2))))
    assert before.time_frame_end_date == d("2025-05-31")
    assert after.time_frame_end_date == d("2027-05-31")
    assert after.extension_deadline_date == d("2027-02-28")  # 31 May - 3 months, clamped
    assert after.minimum_term_end_date == before.minimum_term_end_date
    assert codes(after, "sentence_days") == ["preventive.time_frame", "preventive.extension"]


def test_strl_44_probation_application_one_year_after_judgment_final() -> None:
    result = calc("2024-01-15", preventive(FRAME, MINIMUM, final="2023-12-01"))
    assert result.probation_application_date == d("2024-12-01")
    assert result.explanation["probation_application_date"][0].rule == "STRL § 44"


def test_strl_44_refusal_moves_the_application_one_year_after_the_refusal() -> None:
    sentence = refuse_probation(preventive(FRAME, MINIMUM), d("2029-06-20"))
    assert probation_application_date(sentence) == d("2030-06-20")
    result = calculate(make("2024-01-15", sentence))
    assert result.probation_application_date == d("2030-06-20")
    assert codes(result, "probation_application_date") == ["preventive.probation_after_refusal"]


def test_strl_44_application_never_before_start() -> None:
    result = calc("2024-01-15", preventive(FRAME, MINIMUM, final="2022-06-01"))
    assert result.probation_application_date == d("2024-01-15")


def test_sgl_33_preventive_leave_after_two_thirds_of_minimum_term_is_unverified() -> None:
    result = calc("2024-01-15", preventive(FRAME, MINIMUM))
    # 2192 days; two-thirds 1461.33 -> 1462 -> S + 1461
    assert result.leave_eligibility_date == d("2028-01-15")
    first = result.explanation["leave_eligibility_date"][0]
    assert (first.code, first.rule, first.unverified) == (
        "preventive.leave_fraction",
        "SGL § 33",
        True,
    )


def test_strl_43_without_minimum_term_no_minimum_or_leave_date() -> None:
    result = calc("2024-01-15", preventive(FRAME))
    assert result.minimum_term_end_date is None
    assert result.leave_eligibility_date is None
    assert codes(result, "minimum_term_end_date") == ["preventive.no_minimum_term"]


def test_strl_43_thirty_year_frame_with_20_year_minimum() -> None:
    sentence = preventive(Length(years=30), Length(years=20), thirty_year_offence=True)
    result = calc("2024-01-15", sentence)
    assert result.time_frame_end_date == d("2054-01-14")
    assert result.minimum_term_end_date == d("2044-01-14")


def test_prison_dates_are_null_for_preventive_detention() -> None:
    result = calc("2024-01-15", preventive(FRAME, MINIMUM))
    for field in (
        "expiry_date",
        "parole_date",
        "early_parole_date",
        "day_release_eligibility_date",
        "section_16_eligibility_date",
        "electronic_monitoring_eligibility_date",
        "lower_security_consideration_date",
        "parole_review_date",
    ):
        assert getattr(result, field) is None
        assert codes(result, field) == ["not_applicable.preventive_detention"]
