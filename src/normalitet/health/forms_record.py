"""Forms of the health staff's day, the patient list and the record: they parse; the services in
``services_record`` decide. Each form says plainly what the prison sees and what stays in the
health record."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from normalitet.core.forms import DateInput, DsForm

from .models import WorkFitness


class PatientSearchForm(DsForm):
    q = forms.CharField(
        label=_("Name or person number"),
        max_length=100,
        required=False,
        help_text=_("Any part of the name or the number."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].hide_optional = True  # type: ignore[attr-defined]


class FitnessForm(DsForm):
    fitness = forms.ChoiceField(
        label=_("Fitness for work"),
        choices=[("", "—"), *WorkFitness.Fitness.choices],
        help_text=_("The prison sees this, and from when: nothing else."),
    )
    valid_from = forms.DateField(label=_("From"), widget=DateInput)
    valid_to = forms.DateField(
        label=_("To (last day)"),
        widget=DateInput,
        required=False,
        help_text=_(
            "Leave empty until further notice. After the last day the person counts as fit."
        ),
    )
    reason = forms.CharField(
        label=_("Reason (health record only)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Never shown to the prison. Required unless the person is fit for work."),
    )


class DietForm(DsForm):
    kitchen_instruction = forms.CharField(
        label=_("Instruction to the kitchen (the prison sees this)"),
        max_length=200,
        help_text=_(
            "What the kitchen should do, for example “glutenfri kost” or “laktosefri kost”. "
            "Never a diagnosis: the kitchen sees this text and nothing else."
        ),
    )
    reason = forms.CharField(
        label=_("Medical reason (health record only)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Never shown to the prison or the kitchen."),
    )
    valid_from = forms.DateField(label=_("From"), widget=DateInput)
    valid_to = forms.DateField(
        label=_("To (last day)"),
        widget=DateInput,
        required=False,
        help_text=_("Leave empty until further notice."),
    )


class DietEndForm(DsForm):
    on = forms.DateField(
        label=_("The kitchen stops from"),
        widget=DateInput,
        help_text=_("Today or later. The kitchen follows the diet until the day before."),
    )
