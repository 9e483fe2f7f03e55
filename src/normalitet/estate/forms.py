from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from normalitet.core.forms import DsForm

from .models import SecurityLevel, UnitKind


class UnitForm(DsForm):
    code = forms.CharField(label=_("Code"), max_length=16)
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    security_level = forms.ChoiceField(
        label=_("Security level"),
        choices=[("", _("As the facility"))] + SecurityLevel.choices,
        required=False,
    )


class CellForm(DsForm):
    code = forms.CharField(label=_("Number"), max_length=16)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=8, initial=1)
    single_occupancy = forms.BooleanField(label=_("Single occupancy"), required=False, initial=True)
    accessible = forms.BooleanField(label=_("Accessible"), required=False)
    own_bathroom = forms.BooleanField(label=_("Own bathroom"), required=False, initial=True)
    safe_cell = forms.BooleanField(label=_("Safe cell"), required=False)


class StatusForm(DsForm):
    reason = forms.CharField(label=_("Reason"), max_length=255)
