"""The browser's own pickers show the value a form starts with or was given back."""

from __future__ import annotations

from datetime import datetime, time

from django import forms

from normalitet.core.forms import DateTimeInput, DsForm, TimeInput


class _When(DsForm):
    at = forms.DateTimeField(widget=DateTimeInput)
    clock = forms.TimeField(widget=TimeInput)


def test_the_date_and_time_picker_shows_its_initial_value_in_the_format_it_reads():
    html = str(_When(initial={"at": datetime(2026, 3, 2, 14, 5, 30), "clock": time(8, 0)}))
    assert 'type="datetime-local"' in html
    assert 'value="2026-03-02T14:05"' in html
    assert 'value="08:00"' in html


def test_what_the_picker_sends_back_is_read():
    form = _When(data={"at": "2026-03-02T14:05", "clock": "08:00"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["at"].replace(tzinfo=None) == datetime(2026, 3, 2, 14, 5)
    assert form.cleaned_data["clock"] == time(8, 0)
