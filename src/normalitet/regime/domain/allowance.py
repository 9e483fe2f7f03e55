"""The daily allowance for one person and one day (dagpenger, SGF § 3-13). Pure Python.

The day is paid on working days for the activity the person takes part in:

- every duty session of the day counts for its share of the day;
- attended (or away for a legal visit, a visit, a health appointment, a clash) pays the
  ordinary rate, with the activity's supplement; late or early leaving pays part of it;
- sick or the activity cancelled pays the reduced rate for that share;
- away from the facility, or absent without reason, pays nothing for that share;
- a refusal withholds the whole day;
- a session with no mark in the register counts as attended: nobody loses money because a
  register was not taken, and the statement says so.

Without an activity on a working day: the reduced rate for a person with the activity duty
(no activity offered, waiting list, suspended), and nothing for a person on remand who is not
waiting for one (policy rows in :mod:`.rules`). Food money is paid every day in self-catering
units while the person is there. Each result carries reason codes that the UI words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from .rules import ALLOWANCE_POLICY, ALLOWANCE_RATES, AllowancePolicy, AllowanceRates, in_force

PAID = frozenset({"attended", "legal_visit", "visit", "health", "clash"})
REDUCED = frozenset({"sick", "cancelled"})
UNPAID = frozenset({"absent", "unexcused"})
LATE = "late"
REFUSED = "refused"
UNMARKED = ""

ORDINARY = "ordinary"
REDUCED_RATE = "reduced"
WITHHELD = "withheld"
NONE = "none"

REMAND = "remand"


@dataclass(frozen=True)
class Mark:
    """One duty session of the day and what the register says of it ('' if nothing)."""

    outcome: str
    supplement_ore: int = 0


@dataclass(frozen=True)
class DayFacts:
    on: dt.date
    legal_status: str
    working_day: bool
    present: bool  # in the facility (not away the whole day on leave, in hospital ...)
    self_catering: bool
    marks: tuple[Mark, ...] = ()
    holds_place: bool = False  # allocated to an activity that meets the duty
    suspended: bool = False  # every such place is suspended today
    waiting: bool = False  # on a waiting list for one


@dataclass(frozen=True)
class Reason:
    code: str
    args: dict[str, int | str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "args": dict(self.args)}


@dataclass(frozen=True)
class DayAllowance:
    on: dt.date
    rate_kind: str
    allowance_ore: int
    supplement_ore: int
    food_ore: int
    rule_set: str
    reasons: tuple[Reason, ...]

    @property
    def total_ore(self) -> int:
        return self.allowance_ore + self.supplement_ore + self.food_ore


def _round(value: Fraction) -> int:
    """Half up to whole øre."""
    return int(value + Fraction(1, 2))


def compute_day(
    facts: DayFacts,
    *,
    rates: tuple[AllowanceRates, ...] = ALLOWANCE_RATES,
    policies: tuple[AllowancePolicy, ...] = ALLOWANCE_POLICY,
) -> DayAllowance:
    rate = in_force(rates, facts.on)
    policy = in_force(policies, facts.on)
    reasons: list[Reason] = []
    food = 0
    if facts.present and facts.self_catering:
        food = rate.food_ore
        reasons.append(Reason("food_money", {"ore": food}))

    def result(kind: str, amount: int = 0, supplement: int = 0) -> DayAllowance:
        return DayAllowance(facts.on, kind, amount, supplement, food, rate.name, tuple(reasons))

    if not facts.present:
        reasons.insert(0, Reason("away"))
        return result(NONE)
    if not facts.working_day:
        reasons.insert(0, Reason("not_working_day"))
        return result(NONE)

    if not facts.marks:
        if facts.holds_place and facts.suspended:
            reasons.insert(0, Reason("suspended"))
            return result(REDUCED_RATE, rate.reduced_ore)
        if facts.holds_place:
            reasons.insert(0, Reason("no_session_today"))
            return result(REDUCED_RATE, rate.reduced_ore)
        if facts.legal_status == REMAND and policy.remand_idle_none and not facts.waiting:
            reasons.insert(0, Reason("remand_no_activity"))
            return result(NONE)
        if policy.idle_not_own_fault_reduced:
            reasons.insert(0, Reason("waiting" if facts.waiting else "no_activity_offered"))
            return result(REDUCED_RATE, rate.reduced_ore)
        reasons.insert(0, Reason("no_activity"))
        return result(NONE)

    refused = sum(1 for m in facts.marks if m.outcome == REFUSED)
    if refused:
        reasons.insert(0, Reason("refused", {"sessions": refused}))
        return result(WITHHELD)

    count = len(facts.marks)
    paid = Fraction(0)
    reduced = Fraction(0)
    late_share = Fraction(policy.late_share_percent, 100)
    unmarked = unpaid = late = 0
    supplement_rate = 0
    for mark in facts.marks:
        if mark.outcome in PAID or mark.outcome == UNMARKED:
            paid += 1
            unmarked += mark.outcome == UNMARKED
            supplement_rate = max(supplement_rate, mark.supplement_ore)
        elif mark.outcome == LATE:
            paid += late_share
            late += 1
            supplement_rate = max(supplement_rate, mark.supplement_ore)
        elif mark.outcome in REDUCED:
            reduced += 1
        elif mark.outcome in UNPAID:
            unpaid += 1
        else:
            raise ValueError(f"unknown attendance outcome {mark.outcome!r}")
    paid_share = paid / count
    reduced_share = reduced / count
    amount = _round(rate.ordinary_ore * paid_share + rate.reduced_ore * reduced_share)
    supplement = _round(min(supplement_rate, rate.supplement_max_ore) * paid_share)

    head: list[Reason] = [Reason("sessions", {"sessions": count})]
    if late:
        head.append(Reason("late", {"sessions": late, "percent": policy.late_share_percent}))
    if reduced:
        head.append(Reason("reduced_sessions", {"sessions": int(reduced)}))
    if unpaid:
        head.append(Reason("unpaid_sessions", {"sessions": unpaid}))
    if unmarked:
        head.append(Reason("unmarked", {"sessions": unmarked}))
    if supplement:
        head.append(Reason("supplement", {"ore": supplement}))
    reasons[:0] = head
    if paid:
        return result(ORDINARY, amount, supplement)
    if reduced:
        return result(REDUCED_RATE, amount)
    return result(NONE)
