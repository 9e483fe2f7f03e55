"""Forms of the visits desk. They parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from normalitet.core.forms import DateInput, DsForm, TimeInput

from .models import RoomKind

BLANK: list[tuple[Any, Any]] = [("", "—")]


class BookForm(DsForm):
    slot = forms.ChoiceField(label=_("Visiting time"))
    contacts = forms.MultipleChoiceField(
        label=_("Visitors"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Approved contacts of the person."),
        error_messages={"required": _("Name at least one visitor.")},
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(
        self,
        *args: Any,
        slots: list[tuple[str, str]],
        contacts: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = BLANK + slots  # type: ignore[attr-defined]
        self.fields["contacts"].choices = contacts  # type: ignore[attr-defined]


class LawyerForm(DsForm):
    contact = forms.ChoiceField(label=_("Lawyer"))
    room = forms.ChoiceField(label=_("Room"))
    day = forms.DateField(label=_("Date"), widget=DateInput)
    starts = forms.TimeField(label=_("Starts"), widget=TimeInput)
    ends = forms.TimeField(label=_("Ends"), widget=TimeInput)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(
        self,
        *args: Any,
        lawyers: list[tuple[int, str]],
        rooms: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].choices = BLANK + lawyers  # type: ignore[attr-defined]
        self.fields["room"].choices = BLANK + rooms  # type: ignore[attr-defined]


class CancelForm(DsForm):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=500)


class KeepForm(DsForm):
    note = forms.CharField(
        label=_("What was arranged"),
        max_length=500,
        help_text=_("For instance: the police attend the visit."),
    )


class RoomForm(DsForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=BLANK + RoomKind.choices)
    capacity = forms.IntegerField(label=_("Visits at once"), min_value=1, max_value=50, initial=1)
    seats = forms.IntegerField(label=_("Visitors per visit"), min_value=1, max_value=20, initial=4)


class RoomActiveForm(DsForm):
    cancel_bookings = forms.BooleanField(
        label=_("Cancel the visits booked in the room, with notice to the visitors"),
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason given to the visitors"), max_length=500, required=False
    )


class SessionForm(DsForm):
    weekday = forms.TypedChoiceField(
        label=_("Weekday"), choices=BLANK + list(WEEKDAYS.items()), coerce=int
    )
    starts_at = forms.TimeField(label=_("Starts"), widget=TimeInput)
    ends_at = forms.TimeField(label=_("Ends"), widget=TimeInput)
    capacity = forms.IntegerField(label=_("Visits"), min_value=1, max_value=100)
    valid_from = forms.DateField(label=_("From"), widget=DateInput)
    valid_to = forms.DateField(label=_("Until"), widget=DateInput, required=False)
    bookable_online = forms.BooleanField(
        label=_("Bookable in the family portal"), required=False, initial=True
    )


class SessionEndForm(DsForm):
    valid_to = forms.DateField(label=_("Last day"), widget=DateInput)
    cancel_bookings = forms.BooleanField(
        label=_("Cancel the visits booked after that day, with notice to the visitors"),
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason given to the visitors"), max_length=500, required=False
    )


class BlockedDateForm(DsForm):
    day = forms.DateField(label=_("Date"), widget=DateInput)
    room = forms.ChoiceField(label=_("Room"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: Any, rooms: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].choices = [("", _("The whole facility"))] + rooms  # type: ignore[attr-defined]
        self.fields["room"].hide_optional = True  # type: ignore[attr-defined]
