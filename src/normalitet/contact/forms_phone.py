"""Forms of the phone pages. They parse; the services in ``phone`` decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from normalitet.core.forms import DsForm

from .forms_contacts import ContactDecideForm

BLANK: list[tuple[Any, Any]] = [("", "—")]


class WeekInput(forms.TextInput):
    """The browser's own week picker (``2026-W10``)."""

    input_type = "week"


class WeekForm(DsForm):
    week = forms.CharField(label=_("Week"), required=False, widget=WeekInput)


class PhoneNumberForm(DsForm):
    number = forms.CharField(
        label=_("Phone number"),
        max_length=30,
        help_text=_("8 digits for a Norwegian number; + and the country code for others."),
    )
    contact = forms.TypedChoiceField(
        label=_("Whose number (a contact of the person)"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("A lawyer's or an official body's number is never monitored."),
    )
    label = forms.CharField(
        label=_("Whose number, if not a contact"),
        max_length=120,
        required=False,
    )
    approve = forms.BooleanField(label=_("Approve at once"), required=False)

    def __init__(
        self, *args: Any, contacts: list[tuple[int, str]], may_approve: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].choices = BLANK + contacts  # type: ignore[attr-defined]
        if not may_approve:
            del self.fields["approve"]


class PhoneDecideForm(ContactDecideForm):
    """The contact decision form, with the number's help text."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        help_text=_("Required when the number is refused."),
    )


class PhoneSettingForm(DsForm):
    weekly_minutes = forms.IntegerField(label=_("Minutes a week"), min_value=0, max_value=10_000)
    monitored = forms.BooleanField(label=_("Calls are monitored"), required=False)
    monitoring_reason = forms.CharField(
        label=_("Why (not) monitored"),
        max_length=300,
        required=False,
        help_text=_("Required when the setting departs from the security level's default."),
    )


class CallImportForm(DsForm):
    file = forms.FileField(
        label=_("Call records (CSV)"),
        help_text=_(
            "Columns: call_id, person_number, number, started_at (ISO 8601 with offset), "
            "duration_seconds."
        ),
    )
    import_valid = forms.BooleanField(
        label=_("If some rows have errors, import the valid rows anyway"), required=False
    )
