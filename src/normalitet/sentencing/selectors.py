"""Reading a person's sentences and legal dates, for the page, the API and the pathway."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from normalitet.core import clock
from normalitet.people.models import Person

from .explain import step_text
from .models import Calculation, Execution, Judgment

# The dates in the order a person moves through them, with the rule each one comes from.
DATES: list[tuple[str, Any, str]] = [
    ("leave_eligibility_date", _("Leave"), "SGL § 33"),
    ("day_release_eligibility_date", _("Day release for work or school"), "SGL § 20"),
    ("electronic_monitoring_eligibility_date", _("Electronic monitoring (§ 16 a)"), "SGL § 16 a"),
    ("section_16_eligibility_date", _("Outside prison with conditions (§ 16)"), "SGL § 16"),
    ("lower_security_consideration_date", _("Lower security to be considered"), "SGL § 14"),
    ("early_parole_date", _("Early parole, at the earliest (half)"), "SGL § 42"),
    ("parole_date", _("Parole (two-thirds)"), "SGL § 42"),
    ("parole_review_date", _("New parole review"), "SGF § 3-41"),
    ("minimum_term_end_date", _("Minimum term ends"), "STRL § 43"),
    ("probation_application_date", _("May apply for release on probation"), "STRL § 44"),
    ("extension_deadline_date", _("Last day to bring an extension"), "STRL § 43"),
    ("time_frame_end_date", _("Time frame ends"), "STRL § 43"),
    ("expiry_date", _("End of sentence"), "STRL § 83; SGF § 3-3"),
]
LABELS = {name: label for name, label, _rule in DATES}


@dataclass(frozen=True)
class LegalDate:
    name: str
    label: Any
    rule: str
    date: dt.date | None
    steps: list[dict[str, Any]]
    status: str  # "past", "today", "future" or "none"


def active_execution(*, person: Person) -> Execution | None:
    return (
        Execution.objects.filter(person=person, is_active=True)
        .prefetch_related(
            Prefetch("judgments", queryset=Judgment.objects.prefetch_related("sentences")),
            "deprivations__isolations",
            "interruptions",
            "decisions",
        )
        .first()
    )


def calculation_in_force(*, person_id: int) -> Calculation | None:
    """The newest calculation of the person's active execution: the dates in force. Its
    ``result`` and ``execution_id`` only; one query."""
    return (
        Calculation.objects.filter(execution__person_id=person_id, execution__is_active=True)
        .order_by("-id")
        .only("result", "execution_id")
        .first()
    )


def legal_dates(calculation: Calculation, *, today: dt.date | None = None) -> list[LegalDate]:
    """Every date of the calculation in pathway order, with its translated explanation."""
    today = today or clock.today()
    result = calculation.result
    explanation = result.get("explanation", {})
    dates = []
    for name, label, rule in DATES:
        raw = result.get(name)
        value = dt.date.fromisoformat(raw) if raw else None
        status = (
            "none"
            if value is None
            else "past"
            if value < today
            else "today"
            if value == today
            else "future"
        )
        raw_steps = explanation.get(name, [])
        if value is None and any(s["code"].startswith("not_applicable.") for s in raw_steps):
            continue  # a preventive-detention date for a prison sentence, or the other way
        steps = [{**s, "display": step_text(s)} for s in raw_steps]
        dates.append(LegalDate(name, label, rule, value, steps, status))
    return dates


def timeline(execution: Execution, dates: list[LegalDate]) -> list[tuple[dt.date, Any, str]]:
    """Start, every date that applies, in date order: (date, label, status)."""
    today = clock.today()
    items = [
        (
            execution.start_date,
            _("Execution starts"),
            "past" if execution.start_date < today else "future",
        )
    ]
    items += [(d.date, d.label, d.status) for d in dates if d.date is not None]
    return sorted(items, key=lambda item: item[0])


def calculation_history(*, execution: Execution) -> list[Calculation]:
    return list(execution.calculations.select_related("computed_by").order_by("-id")[:100])
