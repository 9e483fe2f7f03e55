"""Forms of the activity catalogue and the waiting list. They parse; the services decide."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from normalitet.core import clock
from normalitet.core.forms import DateInput, DsForm, TimeInput
from normalitet.custody.models import LegalStatus
from normalitet.estate.models import SecurityLevel

from .allocation import END_REASONS, SUSPEND_REASONS
from .catalogue import kroner, supplement_max_ore
from .models import CATEGORY_KIND, ActivityCategory, ActivityKind, EndReason, Provider

BLANK: list[tuple[Any, Any]] = [("", "—")]


class KronerField(forms.CharField):
    """An amount in kroner ('12,50' or '12.50'), cleaned to whole øre."""

    def to_python(self, value: Any) -> int:  # type: ignore[override]
        raw = (super().to_python(value) or "0").replace(" ", "").replace(",", ".")
        try:
            amount = Decimal(raw)
        except InvalidOperation as exc:
            raise ValidationError(_("Write an amount in kroner, such as 12,50.")) from exc
        if amount < 0 or amount != amount.quantize(Decimal("0.01")):
            raise ValidationError(_("Write an amount in kroner, such as 12,50."))
        return int(amount * 100)


def _grouped_categories() -> list[tuple[Any, Any]]:
    return [
        (kind.label, [(c.value, c.label) for c in ActivityCategory if CATEGORY_KIND[c] == kind])
        for kind in ActivityKind
    ]


class TodayForm(DsForm):
    """A form whose ``today_fields`` start at today's date (in Norway)."""

    today_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.today_fields:
            self.fields[name].initial = clock.today()


class ActivityForm(DsForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=BLANK + ActivityKind.choices)
    category = forms.ChoiceField(label=_("Category"), choices=BLANK + _grouped_categories())
    provider = forms.ChoiceField(
        label=_("Provided by"),
        choices=BLANK + Provider.choices,
        required=False,
        help_text=_("If not chosen: the county for education, else the correctional service."),
    )
    place = forms.CharField(label=_("Place"), max_length=120)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500)
    leader = forms.ChoiceField(label=_("Officer or teacher in charge"), required=False)
    security_levels = forms.MultipleChoiceField(
        label=_("Open to the forms of execution"),
        choices=SecurityLevel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: open to all."),
    )
    legal_statuses = forms.MultipleChoiceField(
        label=_("Open to the legal statuses"),
        choices=LegalStatus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: open to all."),
    )
    meets_activity_duty = forms.BooleanField(
        label=_("Meets the activity duty (work, school, programmes)"), required=False
    )
    supplement_ore = KronerField(
        label=_("Supplement for demanding work (kr a day)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    runs_on_holidays = forms.BooleanField(label=_("Runs on public holidays"), required=False)
    community = forms.CharField(
        label=_("Faith community"),
        max_length=80,
        required=False,
        help_text=_("For faith services: whose service this is."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, leaders: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].choices = BLANK + leaders  # type: ignore[attr-defined]
        self.fields["supplement_ore"].help_text = _("At most %(max)s (SGF § 3-13).") % {
            "max": kroner(supplement_max_ore())
        }

    @staticmethod
    def initial_of(activity: Any) -> dict[str, Any]:
        initial = {f: getattr(activity, f) for f in ActivityForm.base_fields}
        supplement = activity.supplement_ore
        initial["supplement_ore"] = f"{supplement // 100},{supplement % 100:02d}"
        initial["leader"] = activity.leader_id or ""
        return initial


class SessionForm(TodayForm):
    today_fields = ("valid_from",)
    weekday = forms.TypedChoiceField(
        label=_("Weekday"), choices=BLANK + list(WEEKDAYS.items()), coerce=int
    )
    starts = forms.TimeField(label=_("Starts"), widget=TimeInput())
    ends = forms.TimeField(label=_("Ends"), widget=TimeInput())
    valid_from = forms.DateField(label=_("From"), widget=DateInput)
    valid_to = forms.DateField(label=_("To"), widget=DateInput, required=False)


class SessionEndForm(TodayForm):
    today_fields = ("valid_to",)
    valid_to = forms.DateField(
        label=_("Last day"),
        widget=DateInput,
        help_text=_("The session runs up to and including this day."),
    )


class SessionCancelForm(DsForm):
    on = forms.DateField(label=_("Date"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), max_length=255)


class DateForm(DsForm):
    """One date, for reinstating a cancelled session."""

    on = forms.DateField(label=_("Date"), widget=DateInput)


class RequestForm(DsForm):
    activity = forms.TypedChoiceField(label=_("Activity"), coerce=int)
    note = forms.CharField(
        label=_("Why, in the person's words"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, activities: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = BLANK + activities  # type: ignore[attr-defined]


class DecideForm(DsForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=BLANK + [("approve", _("Approve")), ("decline", _("Decline"))],
    )
    note = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        help_text=_("Required when the request is declined."),
    )

    def clean(self) -> dict[str, Any]:
        """As the service takes it: ``approve`` and ``note``."""
        data = super().clean() or {}
        return {"approve": data.get("decision") == "approve", "note": data.get("note", "")}


class AllocateForm(TodayForm):
    today_fields = ("starts_on",)
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput)


def _reasons(values: tuple[str, ...]) -> list[tuple[Any, Any]]:
    return BLANK + [(v, EndReason(v).label) for v in values]


class SuspendForm(TodayForm):
    today_fields = ("starts_on",)
    reason = forms.ChoiceField(label=_("Reason"), choices=_reasons(SUSPEND_REASONS))
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    ends_on = forms.DateField(label=_("To"), widget=DateInput, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ResumeForm(TodayForm):
    today_fields = ("on",)
    on = forms.DateField(label=_("Takes part again from"), widget=DateInput, required=False)


class EndForm(TodayForm):
    today_fields = ("ended_on",)
    reason = forms.ChoiceField(label=_("Reason"), choices=_reasons(END_REASONS))
    ended_on = forms.DateField(
        label=_("Ended"), widget=DateInput, help_text=_("The place is free from this day.")
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class WithdrawForm(DsForm):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
