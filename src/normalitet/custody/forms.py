"""Forms for custody actions. They parse; the services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from normalitet.core.forms import DateInput, DateTimeInput, DsForm
from normalitet.estate.models import Municipality
from normalitet.people.models import AlertKind, Gender, SeparationScope

from .models import AbsenceKind, LegalStatus, ReleaseReason


def _national_id_field() -> forms.CharField:
    return forms.CharField(
        label=_("National identity number or D-number"),
        required=False,
        max_length=13,
        help_text=_("11 digits. Leave empty if the person has none."),
    )


def _nationality_field() -> forms.CharField:
    return forms.CharField(
        label=_("Nationality"),
        max_length=2,
        initial="NO",
        help_text=_("Two-letter country code, for example NO, PL, LT."),
    )


class LanguagesField(forms.CharField):
    """Language codes written as 'nb, en': shown joined, cleaned into a list."""

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list) else value

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value) or ""
        return [x.strip() for x in text.split(",") if x.strip()]


def _languages_field() -> LanguagesField:
    return LanguagesField(
        label=_("Languages"),
        required=False,
        max_length=100,
        help_text=_("Language codes separated by commas, for example nb, en."),
    )


class AdmitForm(DsForm):
    person_number = forms.CharField(
        label=_("Existing person number"),
        required=False,
        max_length=16,
        help_text=_(
            "For a person already known to the service. Otherwise fill in the new "
            "person's details below."
        ),
    )
    given_names = forms.CharField(label=_("Given names"), required=False, max_length=120)
    family_name = forms.CharField(label=_("Family name"), required=False, max_length=120)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False
    )
    national_id = _national_id_field()
    nationality = _nationality_field()
    languages = _languages_field()
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    legal_status = forms.ChoiceField(label=_("Legal status"), choices=LegalStatus.choices)
    facility = forms.TypedChoiceField(label=_("Facility"), coerce=int)
    expected_release_date = forms.DateField(
        label=_("Expected release"), required=False, widget=DateInput
    )
    reason = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, facilities: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["facility"]).choices = facilities
        for name in ("given_names", "family_name", "birth_date", "gender"):
            self.fields[name].hide_optional = True  # type: ignore[attr-defined]

    NEW_PERSON = (
        "given_names",
        "family_name",
        "birth_date",
        "gender",
        "national_id",
        "nationality",
        "languages",
        "interpreter_needed",
    )
    CUSTODY = ("legal_status", "facility", "expected_release_date", "reason")

    def new_person_fields(self) -> list[Any]:
        return [self[name] for name in self.NEW_PERSON]

    def custody_fields(self) -> list[Any]:
        return [self[name] for name in self.CUSTODY]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("person_number"):
            for name in ("given_names", "family_name", "birth_date", "gender"):
                if not data.get(name):
                    self.add_error(name, _("Required for a new person."))
        return data


class CellForm(DsForm):
    cell = forms.TypedChoiceField(label=_("Cell"), coerce=int)
    shared_cell_reason = forms.CharField(
        label=_("Decision to share a cell"),
        required=False,
        max_length=255,
        help_text=_("Only when the cell already has someone in it: the reason for the decision."),
    )
    reason = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, cells: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["cell"]).choices = cells


class TransferForm(DsForm):
    to_facility = forms.TypedChoiceField(label=_("To facility"), coerce=int)
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args: Any, facilities: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["to_facility"]).choices = facilities


class AbsenceForm(DsForm):
    kind = forms.ChoiceField(label=_("Where"), choices=AbsenceKind.choices)
    expected_back = forms.DateTimeField(
        label=_("Expected back"), required=False, widget=DateTimeInput
    )
    reason = forms.CharField(label=_("Note"), required=False, max_length=500)


class ReleaseForm(DsForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=ReleaseReason.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    confirm = forms.BooleanField(label=_("I have checked the legal basis for release"))


class CountForm(DsForm):
    unit = forms.IntegerField(widget=forms.HiddenInput, required=False)
    counted = forms.IntegerField(label=_("Counted"), min_value=0, max_value=10000)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class AlertForm(DsForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=AlertKind.choices)
    text = forms.CharField(
        label=_("Text"),
        max_length=500,
        help_text=_("Operational information only. Never health information."),
    )
    active_from = forms.DateField(label=_("From"), widget=DateInput)
    active_to = forms.DateField(label=_("To"), required=False, widget=DateInput)


class NonAssociationForm(DsForm):
    other = forms.CharField(label=_("Person number of the other person"), max_length=16)
    scope = forms.ChoiceField(label=_("Keep apart"), choices=SeparationScope.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class WhereaboutsForm(DsForm):
    on = forms.DateField(label=_("Date"), widget=DateInput)
    time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("Noon if left empty."),
    )


class PersonForm(DsForm):
    given_names = forms.CharField(label=_("Given names"), max_length=120)
    family_name = forms.CharField(label=_("Family name"), max_length=120)
    preferred_name = forms.CharField(label=_("Preferred name"), max_length=120, required=False)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    national_id = _national_id_field()
    nationality = _nationality_field()
    languages = _languages_field()
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    home_municipality = forms.ModelChoiceField(
        label=_("Home municipality"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        help_text=_("Where the person lives or will live: placement weighs the distance."),
    )


class NextOfKinForm(DsForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    relationship = forms.CharField(
        label=_("Relationship"), max_length=60, help_text=_("For example mother, partner, son.")
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    is_primary = forms.BooleanField(label=_("Primary contact"), required=False)
