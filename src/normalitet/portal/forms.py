"""Forms of the family portal. They parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from normalitet.core.forms import DateInput, DsForm

from .services import ASKABLE

BLANK: list[tuple[Any, Any]] = [("", "—")]
LANGUAGE_CHOICES = [("nb", "Norsk (bokmål)"), ("en", "English")]


class RegisterForm(DsForm):
    given_names = forms.CharField(
        label=_("Given names"),
        max_length=120,
        widget=forms.TextInput({"autocomplete": "given-name"}),
    )
    family_name = forms.CharField(
        label=_("Family name"),
        max_length=120,
        widget=forms.TextInput({"autocomplete": "family-name"}),
    )
    birth_date = forms.DateField(
        label=_("Date of birth"),
        help_text=_("You must be 18 or older. Children are added when you ask to be a contact."),
        widget=DateInput({"autocomplete": "bday"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("You log in with your email address."),
        widget=forms.EmailInput({"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        widget=forms.TextInput({"autocomplete": "tel", "type": "tel"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 12 characters, not a common password."),
        widget=forms.PasswordInput({"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput({"autocomplete": "new-password"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language for messages from the prison"), choices=LANGUAGE_CHOICES
    )


class ContactRequestForm(DsForm):
    person_number = forms.CharField(
        label=_("The person's person number"),
        max_length=16,
        help_text=_("The number on the papers the person got from the prison."),
    )
    person_birth_date = forms.DateField(label=_("The person's date of birth"), widget=DateInput)
    relationship = forms.ChoiceField(label=_("You are the person's"), choices=BLANK + ASKABLE)
    note = forms.CharField(
        label=_("Message to the prison"),
        max_length=500,
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )


class ChildForm(DsForm):
    """A child under 18 who comes along. A row left empty is ignored."""

    given_names = forms.CharField(label=_("Given names"), max_length=120)
    family_name = forms.CharField(label=_("Family name"), max_length=120)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput)
    relationship = forms.ChoiceField(label=_("The child is the person's"), choices=BLANK + ASKABLE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Without a choice made the row counts as empty (the form's initial is the blank).
        self.fields["relationship"].initial = ""


ChildFormSet = forms.formset_factory(ChildForm, extra=3, max_num=6, validate_max=True)


class BookForm(DsForm):
    # The times are listed by the template (grouped by day); the service checks the one chosen.
    slot = forms.CharField(
        label=_("Visiting time"),
        max_length=40,
        error_messages={"required": _("Choose a visiting time.")},
    )
    companions = forms.MultipleChoiceField(
        label=_("Children who come with you"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, companions: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["companions"].choices = companions  # type: ignore[attr-defined]


class CancelForm(DsForm):
    reason = forms.CharField(
        label=_("Why you cancel"),
        max_length=500,
        widget=forms.Textarea({"rows": 2}),
        error_messages={"required": _("Give the reason for cancelling.")},
    )
