"""The pure rules of medication rounds: which rounds a prescription is due in on a day
(``domain.rules.due_rounds``), the round of the moment, and a stop taking effect from the next
round held after it. No database."""

from __future__ import annotations

import datetime as dt

import pytest

from normalitet.core.clock import OSLO
from normalitet.health.domain.rules import due_rounds, rules_on
from normalitet.health.models import Prescription
from normalitet.health.services_medication import (
    current_round,
    in_force,
    is_active,
    round_at,
    rounds_due,
)

MON = dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("rounds", "as_needed", "starts_on", "ends_on", "day", "expected"),
    [
        (["night", "morning"], False, MON, None, MON, ["morning", "night"]),  # in round order
        (["noon"], False, MON, None, MON - dt.timedelta(days=1), []),  # before it starts
        (["noon"], False, MON, MON, MON, ["noon"]),  # the last day counts
        (["noon"], False, MON, MON, MON + dt.timedelta(days=1), []),  # after it ends
        (["morning", "evening"], False, MON, None, dt.date(2027, 1, 1), ["morning", "evening"]),
        ([], True, MON, None, MON, []),  # as needed: never due, given on demand
        (["morning"], True, MON, None, MON, []),
        (["morning", "bedtime"], False, MON, None, MON, ["morning"]),  # unknown round ignored
    ],
)
def test_due_rounds_table(rounds, as_needed, starts_on, ends_on, day, expected):
    got = due_rounds(
        rounds=rounds, as_needed=as_needed, starts_on=starts_on, ends_on=ends_on, day=day
    )
    assert got == expected


def test_round_times_are_a_dated_local_service_standard():
    rules = rules_on(MON)
    assert rules.verified is False
    assert [t.isoformat() for t in rules.round_times.values()] == [
        "08:00:00",
        "12:00:00",
        "17:00:00",
        "21:00:00",
    ]
    assert round_at(MON, "morning") == dt.datetime(2026, 3, 2, 8, 0, tzinfo=OSLO)
    # Summer time: the round is held at 08:00 on the wall clock, 06:00 UTC.
    assert round_at(dt.date(2026, 7, 1), "morning").astimezone(dt.UTC).hour == 6


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        ("00:30", "morning"),  # before the first round: the morning round is next
        ("07:59", "morning"),
        ("08:00", "morning"),
        ("11:59", "morning"),
        ("12:00", "noon"),
        ("16:30", "noon"),
        ("17:00", "evening"),
        ("21:00", "night"),
        ("23:59", "night"),
    ],
)
def test_current_round_is_the_last_one_held(local, expected):
    at = dt.datetime.combine(MON, dt.time.fromisoformat(local), tzinfo=OSLO)
    assert current_round(at.astimezone(dt.UTC)) == expected


def _rx(**fields):
    base = {
        "rounds": ["morning", "noon", "evening", "night"],
        "as_needed": False,
        "starts_on": MON,
        "ends_on": None,
        "stopped_at": None,
    }
    return Prescription(**{**base, **fields})


def test_a_stop_takes_effect_from_the_next_round_held():
    stopped = dt.datetime.combine(MON, dt.time(13, 15), tzinfo=OSLO)
    p = _rx(stopped_at=stopped)
    assert rounds_due(p, MON) == ["morning", "noon"]
    assert rounds_due(p, MON + dt.timedelta(days=1)) == []
    assert rounds_due(p, MON - dt.timedelta(days=1)) == []  # before it started
    assert in_force(p, MON, "noon") and not in_force(p, MON, "evening")
    assert not is_active(p, MON)


def test_active_until_the_end_date_and_when_starting_later():
    assert is_active(_rx(ends_on=MON), MON)
    assert not is_active(_rx(ends_on=MON), MON + dt.timedelta(days=1))
    assert is_active(_rx(starts_on=MON + dt.timedelta(days=5)), MON)
    needed = _rx(rounds=[], as_needed=True)
    assert rounds_due(needed, MON) == [] and in_force(needed, MON, "evening")
