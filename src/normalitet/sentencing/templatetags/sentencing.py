from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def label_for(labels: dict[str, Any], name: str) -> Any:
    return labels.get(name, name)


@register.filter
def iso_date(value: str | None) -> str:
    """An ISO date string as a local short date."""
    if not value:
        return ""
    return date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")


@register.filter
def trigger_label(trigger: str) -> str:
    """What caused a calculation, in the reader's language: 'judgment 25-1' -> 'Judgment 25-1'."""
    kind, _sep, detail = trigger.partition(" ")
    labels = {
        "judgment": _("Judgment"),
        "deprivation": _("Arrest or remand"),
        "interruption": _("Interruption"),
        "decision": _("Decision"),
        "recalculation": _("Recalculation of all sentences"),
    }
    if kind not in labels:
        return trigger
    if kind == "recalculation":
        return labels[kind]
    return f"{labels[kind]} {detail}".strip()
