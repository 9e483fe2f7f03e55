"""Forms of the contacts pages: adding a contact, deciding requests, the visitor list, police
checks and a visitor's details. They parse; the services in ``contacts`` decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from normalitet.core import clock
from normalitet.core.forms import DateInput, DsForm

from .models import Relationship

BLANK: list[tuple[Any, Any]] = [("", "—")]


class VisitorSearchForm(DsForm):
    q = forms.CharField(label=_("Name of the visitor"), max_length=120, required=False)


class VisitorForm(DsForm):
    """A visitor's details, as :func:`contacts.visitor_fields` takes them."""

    given_names = forms.CharField(label=_("Given names"), max_length=120)
    family_name = forms.CharField(label=_("Family name"), max_length=120)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput)
    national_id = forms.CharField(
        label=_("National identity number or D-number"), max_length=11, required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    organisation = forms.CharField(
        label=_("Law firm or body"),
        max_length=200,
        required=False,
        help_text=_("For lawyers and official bodies."),
    )

    VISITOR_FIELDS = (
        "given_names",
        "family_name",
        "birth_date",
        "national_id",
        "phone",
        "email",
        "address",
        "organisation",
    )

    def visitor_data(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in self.VISITOR_FIELDS}

    @classmethod
    def initial_of(cls, visitor: Any) -> dict[str, Any]:
        return {k: getattr(visitor, k) for k in cls.VISITOR_FIELDS}


class RelationshipFields(forms.Form):
    relationship = forms.ChoiceField(
        label=_("Relationship"), choices=BLANK + list(Relationship.choices)
    )
    on_visitor_list = forms.BooleanField(label=_("Put on the visitor list"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ContactExistingForm(RelationshipFields, DsForm):
    visitor = forms.IntegerField(widget=forms.HiddenInput)


class ContactNewForm(VisitorForm, RelationshipFields):
    """A new visitor and their relationship to the person, in one form."""


class ContactDecideForm(DsForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=BLANK + [("approve", _("Approve")), ("refuse", _("Refuse"))],
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        help_text=_("Required when the request is refused. The visitor is told."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        return {"approve": data.get("decision") == "approve", "reason": data.get("reason", "")}


class ReasonForm(DsForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class SupervisionForm(DsForm):
    waived = forms.TypedChoiceField(
        label=_("Visits with this contact"),
        choices=BLANK
        + [
            ("1", _("need not be supervised")),
            ("0", _("are supervised")),
        ],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)


class PoliceCheckRequestForm(DsForm):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class PoliceAnswerForm(DsForm):
    result = forms.ChoiceField(
        label=_("The police's answer"),
        choices=BLANK + [("cleared", _("Cleared")), ("refused", _("Refused"))],
    )
    answered_on = forms.DateField(label=_("Date of the answer"), widget=DateInput)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answered_on"].initial = clock.today()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        return {
            "cleared": data.get("result") == "cleared",
            "answered_on": data.get("answered_on"),
            "note": data.get("note", ""),
        }
