"""Forms for the risk assessment and the sentence plan. They parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from normalitet.core.forms import DateInput, DsForm

from .models import NeedsDomain, PlanStepStatus, RiskArea, RiskLevel, StepOwner

_NO_HEALTH = _("Describe behaviour and circumstances. No diagnoses, medication or treatment.")


class RiskForm(DsForm):
    """A level and a justification for every area, the review date and a summary."""

    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput)
    review_on = forms.DateField(
        label=_("Review by"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty for the service standard: six months after the assessment."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_NO_HEALTH,
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for area in RiskArea:
            self.fields[f"{area.value}_level"] = forms.ChoiceField(
                label=_("Level"), choices=[("", "–"), *RiskLevel.choices]
            )
            self.fields[f"{area.value}_justification"] = forms.CharField(
                label=_("Justification"),
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_NO_HEALTH,
            )

    def areas(self) -> list[tuple[str, Any, Any, Any]]:
        """(area, label, level field, justification field) in the fixed order."""
        return [
            (a.value, a.label, self[f"{a.value}_level"], self[f"{a.value}_justification"])
            for a in RiskArea
        ]

    def factors(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            a.value: (
                data.get(f"{a.value}_level") or "",
                data.get(f"{a.value}_justification") or "",
            )
            for a in RiskArea
        }


class GoalForm(DsForm):
    domain = forms.ChoiceField(label=_("Domain"), choices=NeedsDomain.choices)
    text = forms.CharField(
        label=_("Goal"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("In plain words the person recognises, for example 'Have a place to live'."),
    )


class StepForm(DsForm):
    text = forms.CharField(
        label=_("Step"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.ChoiceField(label=_("Who does it"), choices=StepOwner.choices)
    due_on = forms.DateField(label=_("Due"), widget=DateInput)


class StepStatusForm(DsForm):
    status = forms.ChoiceField(label=_("Status"), choices=PlanStepStatus.choices)


class AgreementForm(DsForm):
    agreed = forms.TypedChoiceField(
        label=_("Does the person agree with the plan?"),
        choices=[("yes", _("Yes, the person agrees")), ("no", _("No, not as it is"))],
        coerce=lambda v: v == "yes",
    )
    agreed_on = forms.DateField(label=_("Date"), required=False, widget=DateInput)
    person_comment = forms.CharField(
        label=_("The person's comment"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In the person's own words. Required when the person does not agree."),
    )
