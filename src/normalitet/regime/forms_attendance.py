"""Forms of the attendance register and the daily allowance."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from normalitet.core.forms import DateInput, DsForm

from .attendance import MAX_NOTE
from .models import Outcome


class DayForm(DsForm):
    """The day of the registers (GET)."""

    date = forms.DateField(label=gettext_lazy("Date"), widget=DateInput())


class MarkForm(DsForm):
    """One participant's mark: the outcome buttons post ``person`` and ``outcome``; the other
    reasons come with an optional note."""

    person = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    outcome = forms.ChoiceField(label=gettext_lazy("What happened"), choices=Outcome.choices)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=MAX_NOTE,
        required=False,
        help_text=gettext_lazy("For example where the person was instead."),
    )


# The outcomes offered as large buttons on every row; the others are in "Other reason".
QUICK_OUTCOMES = (Outcome.ATTENDED, Outcome.LATE, Outcome.SICK, Outcome.REFUSED)
