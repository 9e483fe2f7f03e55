"""Effective-dated parameters of the health service inside the prison. Pure Python.

The law (SGL § 4; RULES.md § 10) says who delivers health care and what may be shared, not how
often officers look in on a person or when rounds are held: these are service standards, set
locally and marked ``verified=False``, and configurable here with a new dated row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from normalitet.core.dated import parameter_on


@dataclass(frozen=True)
class HealthRules:
    valid_from: dt.date
    # Minutes between checks, by observation level. "Constant" means an officer stays with the
    # person; a check is still logged at this interval.
    observation_minutes: dict[str, int]
    # A check is missed when it is this many minutes past due.
    check_grace_minutes: int
    # When each dispensing round is held (local time) and how long it stays open for recording.
    round_times: dict[str, dt.time]
    # Days within which a triaged request should be seen, by priority.
    see_within_days: dict[str, int]
    # Referrals for care after release should be sent at least this many days before it.
    referral_lead_days: int
    source: str
    verified: bool


HEALTH_RULES: tuple[HealthRules, ...] = (
    HealthRules(
        valid_from=dt.date(2000, 1, 1),
        observation_minutes={"constant": 15, "close": 15, "frequent": 30, "hourly": 60},
        check_grace_minutes=5,
        round_times={
            "morning": dt.time(8, 0),
            "noon": dt.time(12, 0),
            "evening": dt.time(17, 0),
            "night": dt.time(21, 0),
        },
        see_within_days={"acute": 0, "urgent": 3, "routine": 14},
        referral_lead_days=56,
        source="Service standard of the prison health service (SGL § 4 a; RULES.md § 10)",
        verified=False,
    ),
)


def rules_on(day: dt.date) -> HealthRules:
    return parameter_on(HEALTH_RULES, day)


def interval_for(level: str, day: dt.date) -> int:
    return rules_on(day).observation_minutes[level]


@dataclass(frozen=True)
class CheckClock:
    """Where an observation stands at an instant."""

    next_due: dt.datetime
    overdue: bool
    minutes_overdue: int


def check_clock(
    *,
    started_at: dt.datetime,
    last_check_at: dt.datetime | None,
    interval_minutes: int,
    grace_minutes: int,
    now: dt.datetime,
) -> CheckClock:
    """The next check is due one interval after the last (or after the start); it is overdue
    (a missed check) once the grace has passed too."""
    since = max(started_at, last_check_at) if last_check_at else started_at
    next_due = since + dt.timedelta(minutes=interval_minutes)
    late = now - next_due
    overdue = late > dt.timedelta(minutes=grace_minutes)
    minutes = max(0, int(late.total_seconds() // 60)) if overdue else 0
    return CheckClock(next_due=next_due, overdue=overdue, minutes_overdue=minutes)


def late_by(*, due: dt.datetime, checked_at: dt.datetime, grace_minutes: int) -> int:
    """Minutes a check came after its due time, beyond the grace (0 when in time)."""
    late = checked_at - due - dt.timedelta(minutes=grace_minutes)
    return max(0, int(late.total_seconds() // 60))


def due_rounds(
    *, rounds: list[str], as_needed: bool, starts_on: dt.date, ends_on: dt.date | None, day: dt.date
) -> list[str]:
    """The rounds a prescription is due in on ``day`` (none for medicine given only as needed,
    or outside its dates)."""
    if as_needed or day < starts_on or (ends_on is not None and day > ends_on):
        return []
    order = ["morning", "noon", "evening", "night"]
    return [r for r in order if r in rounds]


def see_by(*, priority: str, triaged_on: dt.date) -> dt.date:
    """The date by which a triaged request should be seen."""
    return triaged_on + dt.timedelta(days=rules_on(triaged_on).see_within_days[priority])
