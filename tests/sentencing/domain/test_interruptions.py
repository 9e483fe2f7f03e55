"""Interruptions do not count as served (SGF § 3-2; RULES.md § 4)."""

from __future__ import annotations

from normalitet.sentencing.domain import Length

from .builders import calc, codes, d, interruption, preventive, prison

# 1 year from 2024-01-15 (366 days): expiry 2025-01-14, parole 2024-09-14, leave 2024-05-15.


def test_sgf_3_2_interruption_moves_dates_on_or_after_its_first_day() -> None:
    result = calc(
        "2024-01-15", prison(years=1), interruptions=(interruption("2024-06-01", "2024-06-11"),)
    )
    assert result.expiry_date == d("2025-01-24")
    assert result.parole_date == d("2024-09-24")
    assert result.leave_eligibility_date == d("2024-05-15")  # before the escape: unchanged
    assert codes(result, "expiry_date")[-1] == "interruption.shift"
    assert codes(result, "leave_eligibility_date")[-1] == "date.later_of"


def test_sgf_3_2_interruption_starting_on_the_date_moves_it() -> None:
    result = calc(
        "2024-01-15", prison(years=1), interruptions=(interruption("2024-05-15", "2024-05-16"),)
    )
    assert result.leave_eligibility_date == d("2024-05-16")


def test_sgf_3_2_interruptions_in_date_order_whatever_the_input_order() -> None:
    later = interruption("2024-05-17", "2024-05-27", "escape")
    earlier = interruption("2024-03-01", "2024-03-04", "remand_other_case")
    one = calc("2024-01-15", prison(years=1), interruptions=(later, earlier))
    other = calc("2024-01-15", prison(years=1), interruptions=(earlier, later))
    assert one == other
    # leave 05-15 -> 05-18 by the first, now on or after 05-17 -> 05-28 by the second
    assert one.leave_eligibility_date == d("2024-05-28")
    assert one.expiry_date == d("2025-01-27")


def test_sgf_3_2_zero_length_interruption_moves_nothing() -> None:
    plain = calc("2024-01-15", prison(years=1))
    result = calc(
        "2024-01-15", prison(years=1), interruptions=(interruption("2024-06-01", "2024-06-01"),)
    )
    assert result.dates() == plain.dates()


def test_sgf_3_2_interruption_moves_preventive_detention_dates() -> None:
    sentence = preventive(Length(years=10), Length(years=6))
    result = calc("2024-01-15", sentence, interruptions=(interruption("2025-02-01", "2025-02-11"),))
    assert result.time_frame_end_date == d("2034-01-24")
    assert result.extension_deadline_date == d("2033-10-24")


def test_sgf_3_2_interruption_explanation_values() -> None:
    result = calc(
        "2024-01-15",
        prison(years=1),
        interruptions=(interruption("2024-06-01", "2024-06-11", "failure_to_return"),),
    )
    step = result.explanation["expiry_date"][-1]
    assert step.rule == "SGF § 3-2"
    assert step.values == {
        "reason": "failure_to_return",
        "from": d("2024-06-01"),
        "to": d("2024-06-11"),
        "days": 10,
        "date": d("2025-01-24"),
    }
