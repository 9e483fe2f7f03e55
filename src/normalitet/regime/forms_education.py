"""Forms of education records, diets, meal numbers and clergy visits."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from normalitet.core.forms import DateInput, DateTimeInput, DsForm

from .education import EducationEntry
from .meals import VISIT_MINUTES
from .models import DietKind, EducationRecordKind

_NOTE = _("Note")


def _text(label: Any, limit: int, help_text: Any = "", required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, max_length=limit, required=required, help_text=help_text)


def _sometimes(field: forms.Field) -> forms.Field:
    """A field required for some choices only: its help says when; not marked optional."""
    field.hide_optional = True  # type: ignore[attr-defined]
    return field


class EducationEntryForm(DsForm):
    kind = forms.ChoiceField(label=_("Kind of record"), choices=EducationRecordKind.choices)
    course = _text(_("Course or subject"), 160, required=True)
    course_code = _text(_("Subject code"), 24, _("For example 'NOR1211'."))
    level = _text(_("Level"), 80, _("For example 'Vg2' or 'grunnskole'."))
    on = forms.DateField(
        label=_("Date"),
        widget=DateInput,
        help_text=_("Only a planned exam may have a date ahead."),
    )
    proctored = forms.BooleanField(label=_("Exam proctored inside"), required=False)
    result = _sometimes(_text(_("Result or grade"), 40, _("Required for a result.")))
    certificate_reference = _sometimes(
        _text(
            _("Certificate reference"), 80, _("Required for a certificate: where it can be found.")
        )
    )
    school = _text(_("School"), 160)
    note = _text(_NOTE, 500)


def entry_from(data: dict[str, Any]) -> EducationEntry:
    """The record as the form gives it (the activity aside)."""
    return EducationEntry(**{n: data[n] for n in EducationEntry.__dataclass_fields__})


class EducationRecordForm(EducationEntryForm):
    field_order = ["activity_id"]
    activity_id = forms.TypedChoiceField(label=_("Activity"), coerce=int)

    def __init__(self, *args: Any, activities: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["activity_id"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = activities


class DietForm(DsForm):
    kind = forms.ChoiceField(label=_("Diet"), choices=DietKind.choices)
    detail = _sometimes(
        _text(
            _("What to serve or avoid"),
            160,
            _(
                "Required for an allergy or a medical diet. Say what to serve or leave out, for "
                "example 'gluten-free' or 'no nuts'. Never the diagnosis: that stays in the "
                "health record."
            ),
        )
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    ends_on = forms.DateField(
        label=_("To"),
        widget=DateInput,
        required=False,
        help_text=_("Leave empty until the diet ends."),
    )


class DietEndForm(DsForm):
    ends_on = forms.DateField(
        label=_("Last day"), widget=DateInput, help_text=_("The last day the diet is served.")
    )


class MealDayForm(DsForm):
    date = _sometimes(forms.CharField(label=_("Day"), required=False, widget=DateInput))


class ClergyVisitForm(DsForm):
    community = _text(
        _("Faith community"), 80, _("For example 'Den norske kirke' or 'Islamsk Råd'."), True
    )
    community.widget.attrs["list"] = "known-communities"
    visitor_name = _text(_("Name of the chaplain or cleric"), 160, required=True)
    external = forms.TypedChoiceField(
        label=_("Who visited"),
        choices=[
            ("no", _("The prison chaplain")),
            ("yes", _("External clergy")),
        ],
        coerce=lambda v: v == "yes",
    )
    starts_at = forms.DateTimeField(label=_("When"), widget=DateTimeInput)
    minutes = forms.IntegerField(
        label=_("Minutes"), min_value=VISIT_MINUTES[0], max_value=VISIT_MINUTES[1]
    )
    person_id = forms.TypedChoiceField(
        label=_("Pastoral visit to"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Leave empty for a service or a visit to a group."),
    )
    note = _text(_NOTE, 255)

    def __init__(self, *args: Any, persons: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person_id"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—"), *persons]
