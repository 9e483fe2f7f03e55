"""Forms of the observation pages. They parse; ``services_observation`` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from normalitet.core import clock
from normalitet.core.forms import DateTimeInput, DsForm

from .domain.rules import rules_on
from .models import CrisisEvent, ObservationCheck, ObservationLevel


class CheckForm(DsForm):
    """A check on a person under observation (unit staff's watch board)."""

    state = forms.ChoiceField(
        label=_("What you saw"),
        choices=ObservationCheck.State.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("Required when the person is distressed: what you saw and whom you told."),
    )


class LevelForm(DsForm):
    level = forms.ChoiceField(
        label=_("Observation level"),
        choices=[("", "—"), *ObservationLevel.Level.choices],
        help_text=_(
            "Any clinician may start an observation or make it closer; only a doctor or a "
            "psychologist may make it less close."
        ),
    )
    reason = forms.CharField(
        label=_("Reason (health staff only)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Officers see the level and the interval, never the reason."),
    )
    review_at = forms.DateTimeField(
        label=_("Review by"),
        required=False,
        widget=DateTimeInput,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Each level with its interval as the rules say today.
        minutes = rules_on(clock.today()).observation_minutes
        self.fields["level"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *(
                (
                    value,
                    (
                        _("%(level)s: an officer stays with the person, logged every %(n)s minutes")
                        if value == ObservationLevel.Level.CONSTANT
                        else _("%(level)s: checked every %(n)s minutes")
                    )
                    % {"level": label, "n": minutes[value]},
                )
                for value, label in ObservationLevel.Level.choices
            ),
        ]


class EndForm(DsForm):
    end_note = forms.CharField(
        label=_("Why the observation can end"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CrisisForm(DsForm):
    occurred_at = forms.DateTimeField(label=_("When it happened"), widget=DateTimeInput)
    kind = forms.ChoiceField(
        label=_("What happened"), choices=[("", "—"), *CrisisEvent.Kind.choices]
    )
    steps = forms.MultipleChoiceField(
        label=_("Steps taken"),
        choices=CrisisEvent.Step.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "They are recorded in the order of this list; add later steps to the crisis afterwards."
        ),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CrisisStepsForm(DsForm):
    """Further steps taken after a crisis was recorded; only the steps not yet taken are offered."""

    steps = forms.MultipleChoiceField(
        label=_("Further steps taken"),
        choices=CrisisEvent.Step.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)

    def __init__(self, *args: object, taken: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["steps"].choices = [  # type: ignore[attr-defined]
            (v, label) for v, label in CrisisEvent.Step.choices if v not in taken
        ]
