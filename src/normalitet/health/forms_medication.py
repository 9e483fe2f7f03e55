"""Forms of the medication pages. They parse; ``services_medication`` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from normalitet.core.forms import DateInput, DsForm

from .models import DoseRecord, Round


class PrescriptionForm(DsForm):
    medicine = forms.CharField(label=_("Medicine"), max_length=120)
    strength = forms.CharField(
        label=_("Strength"), max_length=60, required=False, help_text=_("Such as “10 mg”.")
    )
    dose = forms.CharField(
        label=_("Dose"), max_length=60, help_text=_("What is given each time, such as “1 tablet”.")
    )
    units_per_dose = forms.IntegerField(
        label=_("Units per dose"),
        min_value=1,
        max_value=100,
        initial=1,
        help_text=_("Tablets, ampoules or patches; counted in the controlled-drug book."),
    )
    rounds = forms.MultipleChoiceField(
        label=_("Rounds"),
        choices=Round.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for a medicine given as needed."),
    )
    as_needed = forms.BooleanField(label=_("Given as needed"), required=False)
    controlled = forms.BooleanField(
        label=_("Controlled drug (counted in the controlled-drug book)"), required=False
    )
    instructions = forms.CharField(
        label=_("Instructions"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    ends_on = forms.DateField(label=_("Until"), required=False, widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rounds"].hide_optional = True  # type: ignore[attr-defined]


class StopForm(DsForm):
    """Stop one prescription; the page gives each its own prefix."""

    reason = forms.CharField(label=_("Why it is stopped"), max_length=500)


class RoundChoiceForm(DsForm):
    """Which round to show: a unit of the facility, a date and a round (GET)."""

    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    date = forms.DateField(label=_("Date"), widget=DateInput)
    round = forms.ChoiceField(label=_("Round"), choices=Round.choices)

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units  # type: ignore[attr-defined]


class DoseForm(DsForm):
    """One dose recorded from the round sheet."""

    prescription = forms.IntegerField(widget=forms.HiddenInput)
    date = forms.DateField(widget=forms.HiddenInput)
    round = forms.ChoiceField(choices=Round.choices, widget=forms.HiddenInput)
    unit = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("What happened"), choices=DoseRecord.Outcome.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class StockChoice(DsForm):
    """A controlled-drug form; on the overview page it also asks which drug."""

    stock = forms.TypedChoiceField(label=_("Controlled drug"), coerce=int)

    def __init__(
        self, *args: Any, lines: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if lines is None:
            del self.fields["stock"]
        else:
            self.fields["stock"].choices = lines  # type: ignore[attr-defined]


class ReceiveForm(StockChoice):
    quantity = forms.IntegerField(label=_("Units received"), min_value=1, max_value=100_000)
    note = forms.CharField(
        label=_("Note"), max_length=300, required=False, help_text=_("Such as the delivery note.")
    )


class WasteForm(StockChoice):
    quantity = forms.IntegerField(
        label=_("Units wasted or returned"), min_value=1, max_value=100_000
    )
    witness_name = forms.CharField(label=_("Witness"), max_length=150)
    note = forms.CharField(label=_("What happened"), max_length=300)


class CountForm(StockChoice):
    counted = forms.IntegerField(label=_("Units counted"), min_value=0, max_value=100_000)
    witness_name = forms.CharField(label=_("Witness"), max_length=150)
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("Required when the count does not match the book."),
    )


STOCK_FORMS: dict[str, type[StockChoice]] = {
    "receive": ReceiveForm,
    "waste": WasteForm,
    "count": CountForm,
}
