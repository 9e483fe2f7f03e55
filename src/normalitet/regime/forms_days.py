"""Forms of the units' regime: a day plan with its periods, copying a plan, the unit's settings,
closures, restrictions on company and ending one of them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from normalitet.core.forms import DateInput, DsForm, TimeInput
from normalitet.estate.models import Unit

from .days import BlockIn
from .models import BlockKind, CompanyRestrictionKind, DayPlan, DayType

MAX_BLOCKS = 12


class BlockForm(DsForm):
    """One period of the day; a row left empty is skipped."""

    kind = forms.ChoiceField(
        label=_("What happens"), choices=[("", "—"), *BlockKind.choices], required=False
    )
    starts = forms.TimeField(label=_("From"), required=False, widget=TimeInput())
    ends = forms.TimeField(label=_("To"), required=False, widget=TimeInput())
    in_company = forms.BooleanField(label=_("In company"), required=False, initial=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [data.get(k) for k in ("kind", "starts", "ends")]
        if any(given) and not all(given):
            raise forms.ValidationError(_("Give what happens, from and to."))
        return data


BlockFormSet = forms.formset_factory(
    BlockForm, extra=8, max_num=MAX_BLOCKS, absolute_max=MAX_BLOCKS
)


class DayPlanForm(DsForm):
    """A day plan with its periods (a formset of :class:`BlockForm` under the prefix
    ``blocks``)."""

    day_type = forms.ChoiceField(label=_("Kind of day"), choices=DayType.choices)
    valid_from = forms.DateField(
        label=_("Valid from"),
        widget=DateInput(),
        help_text=_("Today or later. Public holidays follow the weekend plan."),
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.blocks = BlockFormSet(self.data if self.is_bound else None, prefix="blocks")

    def is_valid(self) -> bool:
        blocks_valid = self.blocks.is_valid()
        return super().is_valid() and blocks_valid

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.blocks.is_valid():
            raise forms.ValidationError(_("Check the periods of the day."))
        data["blocks"] = [
            BlockIn(f["kind"], f["starts"], f["ends"], f["in_company"])
            for f in self.blocks.cleaned_data
            if f.get("kind")
        ]
        return data


class CopyPlanForm(DsForm):
    prefix = "copy"  # on the same page as the new plan's form
    source = forms.TypedChoiceField(label=_("Copy the plan"), coerce=int)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())

    def __init__(self, *args: Any, plans: list[DayPlan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["source"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—")] + [
            (
                p.pk,
                _("%(unit)s: %(day)s from %(date)s")
                % {
                    "unit": p.unit.name,
                    "day": p.get_day_type_display(),
                    "date": p.valid_from.isoformat(),
                },
            )
            for p in plans
        ]


class UnitSettingsForm(DsForm):
    self_catering = forms.BooleanField(
        label=_("Self-catering unit (food money instead of meals)"), required=False
    )
    minimum_minutes = forms.IntegerField(
        label=_("Minimum time out of cell (minutes a day)"),
        required=False,
        min_value=1,
        max_value=24 * 60,
        help_text=_("Leave empty to use the service standard."),
    )


class ClosureForm(DsForm):
    unit = forms.TypedChoiceField(label=_("Where"), coerce=int, required=False, empty_value=None)
    starts_on = forms.DateField(label=_("First day"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        help_text=_("For example staff shortage, a search of the unit, an incident."),
    )

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("The whole facility"))] + [(u.pk, u.name) for u in units]


class EndForm(DsForm):
    ends_on = forms.DateField(
        label=_("Last day"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty for today."),
    )


class RestrictionForm(DsForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *CompanyRestrictionKind.choices])
    starts_on = forms.DateField(label=_("First day"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
