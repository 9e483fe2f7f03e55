"""Leave (SGL § 33), day release (SGL § 20), § 16, electronic monitoring (SGL § 16 a) and lower
security (SGL § 14)."""

from __future__ import annotations

import pytest

from .builders import calc, codes, d, prison, remand


def test_sgl_33_leave_later_of_4_months_custody_and_one_third() -> None:
    # 1 year from 2024-01-15: one-third 122 days -> 2024-05-15; 4 months -> 2024-05-14.
    result = calc("2024-01-15", prison(years=1))
    assert result.leave_eligibility_date == d("2024-05-15")
    assert result.day_release_eligibility_date == d("2024-05-15")
    assert codes(result, "leave_eligibility_date") == [
        "custody.from_start",
        "sentence.fraction",
        "date.day_served",
        "date.later_of",
    ]
    assert result.explanation["leave_eligibility_date"][0].rule == "SGL § 33"
    assert result.explanation["day_release_eligibility_date"][0].rule == "SGL § 20"


def test_sgl_33_continuous_custody_counts_from_the_first_day_of_remand() -> None:
    dep = remand("2024-01-08T12:00", "2024-01-22T00:00")  # ends at midnight starting S
    result = calc("2024-01-22", prison(years=2), deprivations=(dep,))
    # C = 2024-01-08; 4 months completed 2024-05-07; one-third of 731 (244) - 14 -> 2024-09-07
    assert codes(result, "leave_eligibility_date")[0] == "custody.from_deprivation"
    assert result.explanation["leave_eligibility_date"][0].values["from"] == d("2024-01-08")


@pytest.mark.parametrize(
    ("end", "continuous"),
    [
        ("2024-03-04T00:00", True),  # reaches local midnight starting S
        ("2024-03-04T09:30", True),  # transferred on the first day
        ("2024-03-03T23:59", False),  # a gap, however short
    ],
)
def test_sgl_33_deprivation_leads_into_the_sentence_only_without_a_gap(
    end: str, continuous: bool
) -> None:
    dep = remand("2024-02-01T10:00", end)
    result = calc("2024-03-04", prison(years=1), deprivations=(dep,))
    begin = result.explanation["leave_eligibility_date"][0].values["from"]
    assert begin == (d("2024-02-01") if continuous else d("2024-03-04"))


def test_sgl_33_chain_of_back_to_back_deprivations_starts_at_the_first() -> None:
    police = remand("2024-01-30T22:00", "2024-02-01T10:00")
    custody = remand("2024-02-01T10:00", "2024-03-04T00:00")
    earlier = remand("2023-11-01T10:00", "2023-11-02T10:00")  # separate, with a gap
    result = calc("2024-03-04", prison(years=1), deprivations=(custody, earlier, police))
    assert result.explanation["leave_eligibility_date"][0].values["from"] == d("2024-01-30")


def test_sgl_33_over_12_years_4_calendar_years_replace_one_third() -> None:
    result = calc("2024-01-01", prison(years=12, days=1))
    assert result.leave_eligibility_date == d("2027-12-31")  # 1461 days from 2024-01-01
    assert "leave.long_sentence" in codes(result, "leave_eligibility_date")


def test_sgl_33_exactly_12_years_still_uses_one_third() -> None:
    result = calc("2024-01-01", prison(years=12))  # 4383 days; one-third 1461 -> 2027-12-31
    assert "leave.long_sentence" not in codes(result, "leave_eligibility_date")
    assert result.leave_eligibility_date == d("2027-12-31")


def test_sgl_33_leave_after_expiry_does_not_apply() -> None:
    result = calc("2024-03-04", prison(days=100))  # 4 months: 2024-07-03 > expiry 2024-06-11
    assert result.expiry_date == d("2024-06-11")
    assert result.leave_eligibility_date is None
    assert result.day_release_eligibility_date is None
    assert codes(result, "leave_eligibility_date")[-1] == "date.after_end"


def test_sgl_16_outside_prison_after_half() -> None:
    result = calc("2024-03-04", prison(days=73))  # ceil(36.5) = 37 -> S + 36
    assert result.section_16_eligibility_date == d("2024-04-09")
    assert result.explanation["section_16_eligibility_date"][0].rule == "SGL § 16"


@pytest.mark.parametrize(
    ("length", "em"),
    [
        ({"months": 6}, "2024-01-15"),  # at most 6 months: from the start
        ({"days": 182}, "2024-01-15"),  # 6 calendar months from 2024-01-15 are 182 days
        # 183 days: parole 122 -> 2024-05-15; minus 6 months -> 2023-11-15; one-third 61 ->
        # 2024-03-15: the later is 2024-03-15.
        ({"days": 183}, "2024-03-15"),
        # 2 years (731): parole 488 -> 2025-05-16; minus 6 months 2024-11-16; one-third 244.
        ({"years": 2}, "2024-11-16"),
    ],
)
def test_sgl_16a_electronic_monitoring(length: dict[str, int], em: str) -> None:
    result = calc("2024-01-15", prison(**length))
    assert result.electronic_monitoring_eligibility_date == d(em)


def test_sgl_16a_expected_release_is_the_parole_date() -> None:
    result = calc("2024-01-15", prison(days=200))
    steps = result.explanation["electronic_monitoring_eligibility_date"]
    release = [s for s in steps if s.code == "em.before_release"][0].values["release"]
    assert release == result.parole_date


def test_sgl_16a_excluded_offence_has_no_em_date() -> None:
    result = calc("2024-01-15", prison(years=1), prison(months=2, excluded_from_em=True))
    assert result.electronic_monitoring_eligibility_date is None
    assert codes(result, "electronic_monitoring_eligibility_date") == ["em.excluded"]


def test_sgl_14_lower_security_one_year_before_parole() -> None:
    result = calc("2024-01-01", prison(years=8))  # parole 2029-05-01 (1948 days)
    assert result.parole_date == d("2029-05-01")
    assert result.lower_security_consideration_date == d("2028-05-01")
    assert result.explanation["lower_security_consideration_date"][0].rule == "SGL § 14"


def test_sgl_14_no_parole_no_lower_security_date() -> None:
    result = calc("2024-01-01", prison(days=73))
    assert result.lower_security_consideration_date is None
    assert codes(result, "lower_security_consideration_date") == ["lower_security.no_parole"]


def test_sgl_14_lower_security_not_before_start() -> None:
    result = calc("2024-01-01", prison(years=1))  # parole 2024-08-31 - 1 year < S
    assert result.lower_security_consideration_date == d("2024-01-01")


def test_preventive_only_dates_are_null_for_prison() -> None:
    result = calc("2024-01-01", prison(years=1))
    for field in (
        "minimum_term_end_date",
        "time_frame_end_date",
        "extension_deadline_date",
        "probation_application_date",
    ):
        assert getattr(result, field) is None
        assert codes(result, field) == ["not_applicable.prison"]
