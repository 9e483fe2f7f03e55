"""Forms for sentences and what moves their dates. They parse; the engine decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from normalitet.core.forms import DateInput, DateTimeInput, DsForm

from .models import CourtDecisionKind, InterruptionReason, SentenceKind


def _n(label: Any, maximum: int) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=maximum, initial=0)


class ExecutionForm(DsForm):
    start_date = forms.DateField(
        label=_("Execution starts"),
        widget=DateInput,
        help_text=_("The first day of serving: all legal dates count from it."),
    )


class JudgmentForm(DsForm):
    court = forms.CharField(label=_("Court"), max_length=120)
    case_number = forms.CharField(label=_("Case number"), max_length=60)
    judgment_date = forms.DateField(label=_("Judgment date"), widget=DateInput)
    date_final = forms.DateField(
        label=_("Date the judgment became final"), widget=DateInput, required=False
    )
    kind = forms.ChoiceField(label=_("Kind of sentence"), choices=SentenceKind.choices)
    years = _n(_("Years"), 30)
    months = _n(_("Months"), 11)
    days = _n(_("Days"), 9999)
    minimum_years = _n(_("Minimum term: years"), 30)
    minimum_months = _n(_("Minimum term: months"), 11)
    frame_years = _n(_("Time frame: years"), 30)
    frame_months = _n(_("Time frame: months"), 11)
    thirty_year_offence = forms.BooleanField(
        label=_("Offence with a 30-year maximum (e.g. STRL §§ 101, 102)"), required=False
    )
    under_18_at_offence = forms.BooleanField(
        label=_("Under 18 at the time of the act"), required=False
    )
    excluded_from_em = forms.BooleanField(
        label=_("The offence excludes electronic monitoring (SGL § 16 a)"), required=False
    )
    offence = forms.CharField(label=_("Offence"), max_length=255, required=False)

    SENTENCE_FIELDS = (
        "kind",
        "years",
        "months",
        "days",
        "minimum_years",
        "minimum_months",
        "frame_years",
        "frame_months",
        "thirty_year_offence",
        "under_18_at_offence",
        "excluded_from_em",
        "offence",
    )

    def sentence(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.SENTENCE_FIELDS}


class DeprivationForm(DsForm):
    starts_at = forms.DateTimeField(label=_("Arrested or remanded from"), widget=DateTimeInput)
    ends_at = forms.DateTimeField(label=_("Until"), widget=DateTimeInput)
    isolation_from = forms.DateTimeField(
        label=_("Full isolation from"),
        widget=DateTimeInput,
        required=False,
        help_text=_(
            "Only court-ordered full isolation (STRL § 83). Exclusion by the prison "
            "gives no extra deduction."
        ),
    )
    isolation_to = forms.DateTimeField(
        label=_("Full isolation until"), widget=DateTimeInput, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("isolation_from")) != bool(data.get("isolation_to")):
            self.add_error("isolation_to", _("Give both the start and the end of the isolation."))
        return data


class InterruptionForm(DsForm):
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    ends_on = forms.DateField(
        label=_("To"), widget=DateInput, help_text=_("The day serving resumed.")
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=InterruptionReason.choices)


class DecisionForm(DsForm):
    kind = forms.ChoiceField(label=_("Decision"), choices=CourtDecisionKind.choices)
    decided_on = forms.DateField(label=_("Decided or final on"), widget=DateInput)
    extension_years = _n(_("Extension: years"), 5)
    extension_months = _n(_("Extension: months"), 11)
