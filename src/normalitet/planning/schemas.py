"""API schemas for the contact officer, contact sessions, needs mapping and the caseload."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class NeedsDeadlineOut(Schema):
    due_on: dt.date
    started: bool
    completed: bool
    overdue: bool
    due_this_week: bool


class ReleasePreparationOut(Schema):
    """Release readiness in brief: whether its window is open and what the SGL § 41 duty
    still needs (``section_41_missing``: "coordinator", "housing", "income")."""

    expected_release: dt.date | None
    window_open: bool
    referrals: int
    section_41_applies: bool
    section_41_missing: list[str]
    ask_consent: bool


class CaseloadRowOut(Schema):
    person_id: int
    person_number: str
    given_names: str
    family_name: str
    unit: str | None
    contact_officer: str | None
    needs_mapping: NeedsDeadlineOut
    follow_up_due: dt.date | None
    follow_ups: str
    follow_up_overdue: bool
    due_this_week: bool
    release_preparation: ReleasePreparationOut | None


class CaseloadOut(Schema):
    today: dt.date
    week_end: dt.date
    persons: list[CaseloadRowOut]


class SessionIn(Schema):
    held_on: dt.date
    kind: str
    note: str = Field(..., min_length=1, max_length=500)
    follow_ups: str = Field("", max_length=500)
    follow_up_due: dt.date | None = None


class SessionOut(Schema):
    id: int
    person_id: int
    officer: str
    held_on: dt.date
    kind: str
    note: str
    follow_ups: str
    follow_up_due: dt.date | None


class NeedsItemIn(Schema):
    domain: str
    status: str = ""
    own_words: str = Field("", max_length=1000)


class NeedsIn(Schema):
    items: list[NeedsItemIn] = []
    complete: bool = False


class NeedsItemOut(Schema):
    domain: str
    status: str
    own_words: str


class NeedsOut(Schema):
    person_id: int
    due_on: dt.date
    started: bool
    completed: bool
    completed_at: dt.datetime | None
    overdue: bool
    rule: str
    items: list[NeedsItemOut]


class AllocationIn(Schema):
    officer_id: int
    reason: str
    note: str = Field("", max_length=500)


class AllocationOut(Schema):
    id: int
    person_id: int
    officer: str
    allocated_at: dt.datetime
    reason: str
    note: str
