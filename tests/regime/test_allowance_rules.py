"""The daily allowance rule (SGF § 3-13), table-driven, no database: regime.domain.allowance.
Rates of 2024 on (the 2023 rates carried forward): ordinary 79, supplement up to 32, reduced 53,
food money 122 kroner; half a session paid for coming late."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalitet.regime.domain.allowance import DayFacts, Mark, compute_day
from normalitet.regime.domain.rules import ALLOWANCE_POLICY, ALLOWANCE_RATES

MONDAY = dt.date(2026, 3, 2)
BASE = DayFacts(
    on=MONDAY, legal_status="sentenced", working_day=True, present=True, self_catering=False
)


def marks(*outcomes: str, supplement: int = 0) -> tuple[Mark, ...]:
    return tuple(Mark(o, supplement) for o in outcomes)


def r(code: str, **args: int) -> tuple[str, dict[str, int]]:
    return code, args


CASES = [
    # (id, changes to the facts, rate kind, allowance, supplement, food, reasons)
    ("away_whole_day_nothing", {"present": False}, "none", 0, 0, 0, [r("away")]),
    (
        "away_in_self_catering_no_food_money",
        {"present": False, "self_catering": True},
        "none",
        0,
        0,
        0,
        [r("away")],
    ),
    (
        "weekend_food_money_only",
        {"working_day": False, "self_catering": True, "marks": marks("attended")},
        "none",
        0,
        0,
        12_200,
        [r("not_working_day"), r("food_money", ore=12_200)],
    ),
    (
        "suspended_place_reduced",
        {"holds_place": True, "suspended": True},
        "reduced",
        5_300,
        0,
        0,
        [r("suspended")],
    ),
    (
        "place_but_no_session_today_reduced",
        {"holds_place": True},
        "reduced",
        5_300,
        0,
        0,
        [r("no_session_today")],
    ),
    (
        "remand_idle_not_waiting_nothing",
        {"legal_status": "remand"},
        "none",
        0,
        0,
        0,
        [r("remand_no_activity")],
    ),
    (
        "remand_waiting_reduced",
        {"legal_status": "remand", "waiting": True},
        "reduced",
        5_300,
        0,
        0,
        [r("waiting")],
    ),
    ("duty_waiting_reduced", {"waiting": True}, "reduced", 5_300, 0, 0, [r("waiting")]),
    ("duty_none_offered_reduced", {}, "reduced", 5_300, 0, 0, [r("no_activity_offered")]),
    (
        "attended_ordinary_with_supplement",
        {"marks": marks("attended", supplement=1_000)},
        "ordinary",
        7_900,
        1_000,
        0,
        [r("sessions", sessions=1), r("supplement", ore=1_000)],
    ),
    (
        "supplement_capped_at_the_year_maximum",
        {"marks": marks("attended", "attended", supplement=5_000)},
        "ordinary",
        7_900,
        3_200,
        0,
        [r("sessions", sessions=2), r("supplement", ore=3_200)],
    ),
    (
        "legal_visit_visit_health_clash_are_paid",
        {"marks": marks("legal_visit", "visit", "health", "clash")},
        "ordinary",
        7_900,
        0,
        0,
        [r("sessions", sessions=4)],
    ),
    (
        "refusal_withholds_the_whole_day",
        {"marks": marks("attended", "refused", supplement=1_000), "self_catering": True},
        "withheld",
        0,
        0,
        12_200,
        [r("refused", sessions=1), r("food_money", ore=12_200)],
    ),
    (
        "half_attended_half_sick",
        {"marks": marks("attended", "sick", supplement=1_000)},
        "ordinary",
        6_600,
        500,
        0,
        [
            r("sessions", sessions=2),
            r("reduced_sessions", sessions=1),
            r("supplement", ore=500),
        ],
    ),
    (
        "late_pays_half_the_session",
        {"marks": marks("late", supplement=1_000)},
        "ordinary",
        3_950,
        500,
        0,
        [r("sessions", sessions=1), r("late", sessions=1, percent=50), r("supplement", ore=500)],
    ),
    (
        "sick_all_day_reduced",
        {"marks": marks("sick", "cancelled")},
        "reduced",
        5_300,
        0,
        0,
        [r("sessions", sessions=2), r("reduced_sessions", sessions=2)],
    ),
    (
        "absent_without_reason_nothing",
        {"marks": marks("unexcused", "absent")},
        "none",
        0,
        0,
        0,
        [r("sessions", sessions=2), r("unpaid_sessions", sessions=2)],
    ),
    (
        "cancelled_and_unexcused_half_reduced",
        {"marks": marks("cancelled", "unexcused")},
        "reduced",
        2_650,
        0,
        0,
        [
            r("sessions", sessions=2),
            r("reduced_sessions", sessions=1),
            r("unpaid_sessions", sessions=1),
        ],
    ),
    (
        "unmarked_counts_as_attended",
        {"marks": marks("", "attended")},
        "ordinary",
        7_900,
        0,
        0,
        [r("sessions", sessions=2), r("unmarked", sessions=1)],
    ),
    (
        "two_thirds_rounded_half_up_to_whole_ore",
        {"marks": marks("attended", "attended", "absent")},
        "ordinary",
        5_267,
        0,
        0,
        [r("sessions", sessions=3), r("unpaid_sessions", sessions=1)],
    ),
    (
        "self_catering_working_day_adds_food_money",
        {"marks": marks("attended"), "self_catering": True},
        "ordinary",
        7_900,
        0,
        12_200,
        [r("sessions", sessions=1), r("food_money", ore=12_200)],
    ),
]


@pytest.mark.parametrize(
    ("changes", "kind", "amount", "supplement", "food", "reasons"),
    [c[1:] for c in CASES],
    ids=[f"sgf_3_13_{c[0]}" for c in CASES],
)
def test_sgf_3_13_day(changes, kind, amount, supplement, food, reasons):
    day = compute_day(dataclasses.replace(BASE, **changes))
    assert (day.rate_kind, day.allowance_ore, day.supplement_ore, day.food_ore) == (
        kind,
        amount,
        supplement,
        food,
    )
    assert [(x.code, x.args) for x in day.reasons] == reasons
    assert day.total_ore == amount + supplement + food
    assert day.rule_set == "SGF § 3-13 (2024-01-01)"


def test_sgf_3_13_rates_of_the_day_name_the_rule_set():
    day = compute_day(dataclasses.replace(BASE, on=dt.date(2023, 6, 1), marks=marks("attended")))
    assert day.rule_set == "SGF § 3-13 (2023-01-01)" and day.allowance_ore == 7_900
    with pytest.raises(LookupError):
        compute_day(dataclasses.replace(BASE, on=dt.date(2022, 12, 30)))


def test_sgf_3_13_without_the_reduced_rate_policy_idle_gets_nothing():
    strict = (dataclasses.replace(ALLOWANCE_POLICY[0], idle_not_own_fault_reduced=False),)
    day = compute_day(BASE, policies=strict)
    assert (day.rate_kind, day.allowance_ore, [x.code for x in day.reasons]) == (
        "none",
        0,
        ["no_activity"],
    )


def test_sgf_3_13_an_unknown_outcome_is_an_error():
    with pytest.raises(ValueError, match="unknown attendance outcome"):
        compute_day(dataclasses.replace(BASE, marks=marks("dancing")))


OUTCOMES = ["", "attended", "late", "sick", "refused", "legal_visit", "visit", "health"]
OUTCOMES += ["clash", "cancelled", "absent", "unexcused"]


@given(
    outcomes=st.lists(st.sampled_from(OUTCOMES), max_size=4),
    supplement=st.integers(min_value=0, max_value=10_000),
    status=st.sampled_from(["remand", "sentenced"]),
    flags=st.tuples(st.booleans(), st.booleans(), st.booleans(), st.booleans()),
)
def test_sgf_3_13_never_more_than_the_day_rates(outcomes, supplement, status, flags):
    working, present, catering, holds = flags
    facts = DayFacts(
        MONDAY, status, working, present, catering, marks(*outcomes, supplement=supplement), holds
    )
    day = compute_day(facts)
    rate = ALLOWANCE_RATES[-1]
    assert 0 <= day.allowance_ore <= rate.ordinary_ore
    assert 0 <= day.supplement_ore <= rate.supplement_max_ore
    assert day.food_ore == (rate.food_ore if present and catering else 0)
    assert (day.rate_kind == "withheld") == ("refused" in outcomes and working and present)
