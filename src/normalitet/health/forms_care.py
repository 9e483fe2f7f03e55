"""Forms of continuity of care: referrals, their status, the person's consent. They parse; the
services in ``services_care`` decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from normalitet.core.forms import DateInput, DateTimeInput, DsForm

from .models import CareReferral, HandoverConsent
from .services_care import SECTIONS


class ReferralForm(DsForm):
    provider_kind = forms.ChoiceField(
        label=_("Kind of provider"), choices=[("", "—"), *CareReferral.ProviderKind.choices]
    )
    provider_name = forms.CharField(label=_("Provider"), max_length=200)
    provider_contact = forms.CharField(
        label=_("Contact at the provider"),
        max_length=200,
        required=False,
        help_text=_("A name, an intake team, a phone number."),
    )
    purpose = forms.CharField(
        label=_("What the person needs from the provider"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReferralStatusForm(DsForm):
    status = forms.ChoiceField(label=_("New status"))
    first_appointment_at = forms.DateTimeField(
        label=_("First appointment"),
        widget=DateTimeInput,
        required=False,
        help_text=_("Required when the first appointment is set."),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the provider declines or the referral is withdrawn."),
    )

    def __init__(self, *args: Any, statuses: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(CareReferral.Status.choices)
        self.fields["status"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (s, labels[s]) for s in statuses
        ]


class ConsentForm(DsForm):
    given = forms.ChoiceField(
        label=_("How the consent was given"),
        choices=[("", "—"), *HandoverConsent.Given.choices],
    )
    scope = forms.MultipleChoiceField(
        label=_("What the person agreed may be shared"),
        choices=list(SECTIONS.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The summary for the provider holds these sections only."),
    )
    given_on = forms.DateField(label=_("Given on"), widget=DateInput)
