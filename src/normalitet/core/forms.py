"""Form base with Designsystemet classes and accessible error wiring."""

from __future__ import annotations

from typing import Any

from django import forms


def _ds(form: forms.Form) -> None:
    """Designsystemet classes and accessible error wiring on every widget."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "ds-input")
            continue
        widget.attrs.setdefault("class", "ds-input")
        bound = form[name]
        describedby = []
        if field.help_text:
            describedby.append(f"{bound.auto_id}_help")
        if form.is_bound and form.errors.get(name):
            widget.attrs["aria-invalid"] = "true"
            describedby.append(f"{bound.auto_id}_error")
        if describedby:
            widget.attrs["aria-describedby"] = " ".join(describedby)


class DsForm(forms.Form):
    def full_clean(self) -> None:
        super().full_clean()
        _ds(self)

    def add_domain_error(self, field: str | None, message: str) -> None:
        self.add_error(field if field in self.fields else None, message)
        _ds(self)


class DateInput(forms.DateInput):
    """The browser's own date picker."""

    input_type = "date"


class TimeInput(forms.TimeInput):
    """The browser's own time picker (hours and minutes)."""

    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class DateTimeInput(forms.DateTimeInput):
    """The browser's own date and time picker.

    ``datetime-local`` reads only ``YYYY-MM-DDTHH:MM``: in any other format the picker shows
    an initial or entered value as empty.
    """

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")
