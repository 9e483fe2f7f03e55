"""Forms of health requests and appointments. They parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from normalitet.core.forms import DateInput, DsForm, TimeInput

from .models import Appointment, HealthRequest, Service

BLANK: list[tuple[Any, Any]] = [("", "—")]


class RequestForm(DsForm):
    """A request, logged by prison staff for the person or taken by health staff."""

    service = forms.ChoiceField(
        label=_("The person asks to see"), choices=BLANK + list(Service.choices)
    )
    text = forms.CharField(
        label=_("What the person asks for"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        help_text=_("In the person's own words. At most 2000 characters."),
    )


class TriageForm(DsForm):
    priority = forms.ChoiceField(
        label=_("Priority"), choices=BLANK + list(HealthRequest.Priority.choices)
    )
    note = forms.CharField(
        label=_("Triage note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class CloseForm(DsForm):
    note = forms.CharField(
        label=_("Why the request is closed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("Required unless the person was seen at an appointment."),
    )


class BookForm(DsForm):
    service = forms.ChoiceField(label=_("Service"), choices=BLANK + list(Service.choices))
    clinician = forms.TypedChoiceField(label=_("With"), coerce=int)
    day = forms.DateField(label=_("Date"), widget=DateInput)
    starts = forms.TimeField(label=_("Time"), widget=TimeInput)
    minutes = forms.IntegerField(label=_("Length in minutes"), min_value=5, max_value=240)
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("For instance: the health department, room 2."),
    )
    escort = forms.ChoiceField(
        label=_("Escort"),
        choices=BLANK + list(Appointment.Escort.choices),
        help_text=_(
            "The prison sees the time and the escort needed, never the kind of appointment."
        ),
    )
    note = forms.CharField(
        label=_("Note for the health staff"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args: Any, clinicians: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clinician"].choices = clinicians  # type: ignore[attr-defined]


# Where a service names the input at fault, the booking form's field for it.
BOOK_FIELDS = {"starts_at": "starts", "clinician_id": "clinician", "request_id": None}


class OutcomeForm(DsForm):
    status = forms.ChoiceField(
        label=_("Did the person come?"),
        choices=BLANK
        + [
            (Appointment.Status.ATTENDED.value, _("Yes, the person came")),
            (Appointment.Status.DID_NOT_ATTEND.value, _("No, the person did not come")),
        ],
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )


class CancelForm(DsForm):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=500)
