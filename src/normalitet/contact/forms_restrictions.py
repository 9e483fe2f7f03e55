"""Forms of the court restriction pages: recording, renewing and lifting an order, and the
week of the expiry list. They parse; the services in ``court_orders`` decide."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from normalitet.core.forms import DateInput, DsForm

from .models import RestrictionKind

BLANK: list[tuple[Any, Any]] = [("", "—")]


class OrderForm(DsForm):
    kind = forms.ChoiceField(label=_("Restriction"), choices=BLANK + RestrictionKind.choices)
    court = forms.CharField(label=_("Court"), max_length=120)
    case_number = forms.CharField(label=_("Case number"), max_length=40)
    ordered_on = forms.DateField(label=_("Order date"), widget=DateInput)
    starts_on = forms.DateField(label=_("In force from"), widget=DateInput)
    ends_on = forms.DateField(label=_("Expires"), widget=DateInput)
    offence_max_years = forms.IntegerField(
        label=_("Maximum penalty of the offence (years)"),
        min_value=1,
        max_value=30,
        required=False,
        help_text=_("Needed for full isolation: it sets the longest isolation allowed."),
    )
    named_persons = forms.CharField(
        label=_("Person numbers of the persons named"),
        max_length=500,
        required=False,
        help_text=_("For isolation from named persons: their person numbers, separated by commas."),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def clean_named_persons(self) -> list[str]:
        return [n for n in re.split(r"[\s,;]+", self.cleaned_data["named_persons"]) if n]


class RenewForm(DsForm):
    ordered_on = forms.DateField(label=_("Date of the new order"), widget=DateInput)
    ends_on = forms.DateField(label=_("Expires"), widget=DateInput)
    case_number = forms.CharField(
        label=_("Case number"),
        max_length=40,
        required=False,
        help_text=_("If not given: the case number of the order renewed."),
    )


class LiftForm(DsForm):
    lifted_on = forms.DateField(
        label=_("Lifted from"), widget=DateInput, help_text=_("The first day it is not in force.")
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)


class WeekForm(DsForm):
    week = forms.CharField(
        label=_("Week"),
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs={"type": "week"}),
        help_text=_("As YYYY-Www, such as 2026-W10."),
    )
