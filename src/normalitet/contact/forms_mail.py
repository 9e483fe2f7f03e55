"""Forms of the mail pages: logging an item and taking a step with it. They parse; the
services in ``mail`` decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from normalitet.core.forms import DsForm

from .models import MailDirection, MailKind, MailStatus

BLANK: list[tuple[Any, Any]] = [("", "—")]


class MailLogForm(DsForm):
    direction = forms.ChoiceField(label=_("Direction"), choices=BLANK + MailDirection.choices)
    kind = forms.ChoiceField(label=_("Letter or parcel"), choices=BLANK + MailKind.choices)
    contact = forms.TypedChoiceField(
        label=_("Approved contact"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Post to and from a lawyer or an official body is privileged."),
    )
    counterpart = forms.CharField(
        label=_("Sender or recipient"),
        max_length=200,
        required=False,
        help_text=_("Needed when no contact is chosen."),
    )
    privileged = forms.BooleanField(
        label=_("From or to a lawyer or an official body (opened only in the person's presence)"),
        required=False,
    )
    contents = forms.CharField(
        label=_("Parcel contents"),
        max_length=500,
        required=False,
        help_text=_("For parcels: what they contain, as declared or found."),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, contacts: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].choices = BLANK + contacts  # type: ignore[attr-defined]


class MailHandleForm(DsForm):
    """The inputs of one step; the view keeps the fields the step takes."""

    person_present = forms.BooleanField(label=_("The person was present"), required=False)
    witness = forms.CharField(
        label=_("Second officer present"),
        max_length=200,
        required=False,
        help_text=_("The officer who saw that the item was opened, not read."),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    contents_controlled = forms.BooleanField(
        label=_("The parcel's contents are controlled"), required=False
    )
    contents = forms.CharField(label=_("Parcel contents"), max_length=500, required=False)

    def __init__(self, *args: Any, keep: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]


class MailFilterForm(DsForm):
    period = forms.ChoiceField(
        label=_("Logged"),
        choices=[("today", _("Today")), ("week", _("This week"))],
        required=False,
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("All")),
            ("to_handle", _("To handle")),
            *MailStatus.choices,
        ]
