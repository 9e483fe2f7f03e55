"""Invalid input is refused with the rule it breaks, never computed (issue 3; RULES.md §§ 1-2)."""

from __future__ import annotations

import pytest

from normalitet.sentencing.domain import (
    CalculationInput,
    InvalidInput,
    Length,
    Sentence,
    calculate,
)

from .builders import d, interruption, make, preventive, prison, remand


def refused(inp: CalculationInput) -> list[tuple[str, str]]:
    with pytest.raises(InvalidInput) as info:
        calculate(inp)
    return [(e.field, e.rule) for e in info.value.errors]


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        (prison(days=13), "STRL § 31"),
        (prison(), "STRL § 31"),
        (prison(years=21, days=1), "STRL §§ 31, 79"),
        (prison(years=20, months=12, days=1), "STRL §§ 31, 79"),
        (prison(days=7672), "STRL §§ 31, 79"),  # 21 years from 2024-01-01 are 7671 days
        (prison(years=30, days=1, thirty_year_offence=True), "STRL §§ 101, 102"),
        (prison(years=15, days=1, under_18_at_offence=True), "STRL § 33"),
        # Under 18 caps a 30-year offence too.
        (prison(years=16, thirty_year_offence=True, under_18_at_offence=True), "STRL § 33"),
        (prison(years=10**6), "STRL §§ 31, 79"),  # absurd lengths are over the cap, not a crash
    ],
)
def test_strl_31_33_79_term_limits(sentence: Sentence, rule: str) -> None:
    assert refused(make("2024-01-01", sentence)) == [("sentences[0].length", rule)]


@pytest.mark.parametrize(
    "sentence",
    [
        prison(days=14),
        prison(years=21),
        prison(days=7671),
        prison(years=30, thirty_year_offence=True),
        prison(years=15, under_18_at_offence=True),
    ],
)
def test_strl_31_33_79_term_limits_inclusive(sentence: Sentence) -> None:
    calculate(make("2024-01-01", sentence))


def test_strl_31_each_sentence_is_checked_even_after_an_invalid_one() -> None:
    errors = refused(
        make("2024-01-01", prison(days=13), prison(years=16, under_18_at_offence=True))
    )
    assert errors == [("sentences[0].length", "STRL § 31"), ("sentences[1].length", "STRL § 33")]


@pytest.mark.parametrize(
    ("sentence", "field"),
    [
        (preventive(Length(years=21, days=1)), "sentences[0].time_frame"),
        (preventive(Length(years=31), thirty_year_offence=True), "sentences[0].time_frame"),
        (preventive(Length(years=15, days=1), under_18_at_offence=True), "sentences[0].time_frame"),
        (preventive(Length(years=15), Length(years=10, days=1)), "sentences[0].minimum_term"),
        (preventive(Length(years=16), Length(years=14, days=1)), "sentences[0].minimum_term"),
        (
            preventive(Length(years=25), Length(years=20, days=1), thirty_year_offence=True),
            "sentences[0].minimum_term",
        ),
        (preventive(Length(years=2), Length(years=3)), "sentences[0].minimum_term"),
        (preventive(Length()), "sentences[0].time_frame"),
        (
            preventive(Length(years=5), extensions=(Length(years=5, days=1),)),
            "sentences[0].extensions[0]",
        ),
        (preventive(Length(years=5), extensions=(Length(),)), "sentences[0].extensions[0]"),
    ],
)
def test_strl_43_preventive_detention_caps(sentence: Sentence, field: str) -> None:
    assert refused(make("2024-01-15", sentence)) == [(field, "STRL § 43")]


@pytest.mark.parametrize(
    "sentence",
    [
        preventive(Length(years=15), Length(years=10)),
        preventive(Length(years=16), Length(years=14)),
        preventive(Length(years=21), Length(years=14)),
        preventive(Length(years=22), Length(years=20), thirty_year_offence=True),
        preventive(Length(years=15), Length(years=10), under_18_at_offence=True),
        preventive(Length(years=5), extensions=(Length(years=5), Length(years=5))),
    ],
)
def test_strl_43_preventive_detention_caps_inclusive(sentence: Sentence) -> None:
    calculate(make("2024-01-15", sentence))


def test_strl_44_preventive_detention_needs_date_final() -> None:
    sentence = Sentence(kind="preventive_detention", time_frame=Length(years=5))
    assert refused(make("2024-01-15", sentence)) == [("sentences[0].date_final", "STRL § 44")]


def test_strl_44_refusal_before_judgment_final_is_refused() -> None:
    sentence = preventive(Length(years=5), final="2024-01-15", refusals=("2023-12-01",))
    assert refused(make("2024-01-15", sentence)) == [
        ("sentences[0].probation_refusals", "STRL § 44")
    ]


def test_sgf_3_3_preventive_detention_with_other_sentences_is_unsupported() -> None:
    inp = make("2024-01-15", prison(months=6), preventive(Length(years=5)))
    assert refused(inp) == [("sentences", "SGF § 3-3")]


def test_sgl_42_parole_refusals_do_not_apply_to_preventive_detention() -> None:
    inp = make("2024-01-15", preventive(Length(years=5)), parole_refusals=1)
    assert refused(inp) == [("parole_refusals", "SGL § 42")]


def test_strl_43_prison_sentence_with_preventive_fields_is_refused() -> None:
    sentence = Sentence(length=Length(years=1), minimum_term=Length(years=1))
    assert refused(make("2024-01-15", sentence)) == [("sentences[0].minimum_term", "STRL § 43")]


def test_strl_43_preventive_detention_with_a_length_is_refused() -> None:
    sentence = Sentence(
        kind="preventive_detention",
        length=Length(years=1),
        time_frame=Length(years=5),
        date_final=d("2024-01-15"),
    )
    assert refused(make("2024-01-15", sentence)) == [("sentences[0].length", "STRL § 43")]


@pytest.mark.parametrize(
    ("deprivations", "errors"),
    [
        (
            (
                remand("2024-01-01T00:00", "2024-01-05T00:00"),
                remand("2024-01-03T00:00", "2024-01-10T00:00"),
            ),
            [("deprivations[1]", "STRL § 83")],
        ),
        (
            (
                remand("2024-01-03T00:00", "2024-01-10T00:00"),
                remand("2024-01-01T00:00", "2024-01-05T00:00"),
            ),
            [("deprivations[0]", "STRL § 83")],
        ),
        ((remand("2024-01-05T00:00", "2024-01-01T00:00"),), [("deprivations[0].to", "STRL § 83")]),
        (
            (
                remand(
                    "2024-01-01T00:00", "2024-01-05T00:00", ("2024-01-04T00:00", "2024-01-06T00:00")
                ),
            ),
            [("deprivations[0].full_isolation[0]", "STRL § 83")],
        ),
        (
            (
                remand(
                    "2024-01-01T00:00", "2024-01-05T00:00", ("2023-12-31T00:00", "2024-01-02T00:00")
                ),
            ),
            [("deprivations[0].full_isolation[0]", "STRL § 83")],
        ),
        (
            (
                remand(
                    "2024-01-01T00:00", "2024-01-05T00:00", ("2024-01-03T00:00", "2024-01-02T00:00")
                ),
            ),
            [("deprivations[0].full_isolation[0].to", "STRL § 83")],
        ),
        (
            (
                remand(
                    "2024-01-01T00:00",
                    "2024-01-05T00:00",
                    ("2024-01-01T00:00", "2024-01-03T00:00"),
                    ("2024-01-02T00:00", "2024-01-04T00:00"),
                ),
            ),
            [("deprivations[0].full_isolation[1]", "STRL § 83")],
        ),
        (
            (remand("2024-02-02T00:00", "2024-02-03T00:00"),),
            [("deprivations[0].from", "STRL § 83")],
        ),
        ((remand("2024-01-20T00:00", "2024-02-02T00:01"),), [("deprivations[0].to", "STRL § 83")]),
    ],
)
def test_strl_83_deprivations_and_isolation(
    deprivations: tuple[object, ...], errors: list[tuple[str, str]]
) -> None:
    inp = make("2024-02-01", prison(months=6), deprivations=deprivations)  # type: ignore[arg-type]
    assert refused(inp) == errors


def test_strl_83_back_to_back_deprivations_and_one_on_the_start_day_are_valid() -> None:
    deprivations = (
        remand("2024-01-01T00:00", "2024-01-05T00:00"),
        remand("2024-01-05T00:00", "2024-02-01T10:00"),
    )
    calculate(make("2024-02-01", prison(months=6), deprivations=deprivations))


@pytest.mark.parametrize(
    ("interruptions", "errors"),
    [
        ((interruption("2024-03-01", "2024-02-20"),), [("interruptions[0].to", "SGF § 3-2")]),
        ((interruption("2024-01-20", "2024-02-20"),), [("interruptions[0].from", "SGF § 3-2")]),
        (
            (interruption("2024-03-01", "2024-03-10"), interruption("2024-03-05", "2024-03-12")),
            [("interruptions[1]", "SGF § 3-2")],
        ),
        (
            (interruption("2024-03-01", "2024-03-10", "holiday"),),
            [("interruptions[0].reason", "input format")],
        ),
    ],
)
def test_sgf_3_2_interruptions(
    interruptions: tuple[object, ...], errors: list[tuple[str, str]]
) -> None:
    inp = make("2024-02-01", prison(months=6), interruptions=interruptions)  # type: ignore[arg-type]
    assert refused(inp) == errors


def test_sgf_3_2_back_to_back_interruptions_are_valid() -> None:
    interruptions = (
        interruption("2024-03-01", "2024-03-10"),
        interruption("2024-03-10", "2024-03-12"),
    )
    calculate(make("2024-02-01", prison(months=6), interruptions=interruptions))


def test_input_format_no_sentences_negative_lengths_and_unknown_kind() -> None:
    assert refused(make("2024-02-01")) == [("sentences", "input format")]
    assert refused(make("2024-02-01", prison(days=-20))) == [
        ("sentences[0].length", "input format")
    ]
    assert refused(make("2024-02-01", Sentence(kind="fine"))) == [
        ("sentences[0].kind", "input format")
    ]
    assert refused(make("2024-02-01", prison(months=6), parole_refusals=-1)) == [
        ("parole_refusals", "input format")
    ]


def test_start_date_before_every_rule_set_is_refused() -> None:
    assert refused(make("2000-01-01", prison(months=6))) == [("start_date", "rule set")]


def test_input_format_start_date_out_of_range() -> None:
    assert refused(make("9999-01-01", prison(months=6))) == [("start_date", "input format")]


def test_all_errors_are_reported_at_once() -> None:
    inp = make(
        "2024-02-01",
        prison(days=13),
        deprivations=(remand("2024-01-05T00:00", "2024-01-01T00:00"),),
        interruptions=(interruption("2024-03-01", "2024-02-20"),),
    )
    assert len(refused(inp)) == 3
