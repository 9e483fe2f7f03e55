"""Forms for the plan pages. They parse; the services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from normalitet.core.forms import DateInput, DsForm

from .models import AllocationReason, NeedsDomain, NeedStatus, SessionKind


class AllocationForm(DsForm):
    officer = forms.TypedChoiceField(label=_("Contact officer"), coerce=int)
    reason = forms.ChoiceField(label=_("Reason"), choices=AllocationReason.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        help_text=_("Required when the reason is 'Other'. Never health information."),
    )

    def __init__(self, *args: Any, officers: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["officer"]).choices = officers


class SessionForm(DsForm):
    held_on = forms.DateField(label=_("Date"), widget=DateInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A short summary. Never health information."),
    )
    follow_ups = forms.CharField(
        label=_("Follow-ups"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What is to be done, and by whom."),
    )
    follow_up_due = forms.DateField(label=_("Follow up by"), required=False, widget=DateInput)


_WORDS_HELP = {
    NeedsDomain.HEALTH: _(
        "Only what the person chooses to tell. No diagnoses, medication or other "
        "information from health services."
    ),
}


class NeedsForm(DsForm):
    """Status and the person's own words for every domain of the needs mapping."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for domain in NeedsDomain:
            self.fields[f"{domain.value}_status"] = forms.ChoiceField(
                label=_("Status"), choices=NeedStatus.choices, required=False
            )
            self.fields[f"{domain.value}_words"] = forms.CharField(
                label=_("In the person's own words"),
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_WORDS_HELP.get(domain, ""),
            )

    def domains(self) -> list[tuple[str, Any, Any, Any]]:
        """(domain, label, status field, words field) in the mapping's order."""
        return [
            (d.value, d.label, self[f"{d.value}_status"], self[f"{d.value}_words"])
            for d in NeedsDomain
        ]

    def items(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            d.value: (data.get(f"{d.value}_status") or "", data.get(f"{d.value}_words") or "")
            for d in NeedsDomain
        }
