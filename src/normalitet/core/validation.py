"""Full-clean before save; Django's ValidationError becomes a DomainError for the first field.
Dates typed by hand (query strings, addresses) are read here too."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .errors import DomainError


def clean(obj: Any) -> None:
    """Validate a model instance; the first problem becomes a DomainError naming its field."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        items = list(exc.message_dict.items())
        field, messages = items[0]
        raise DomainError(messages[0], field=None if field == "__all__" else field) from exc


def clean_and_save(obj: Any, **save_kwargs: Any) -> None:
    clean(obj)
    obj.save(**save_kwargs)


def iso_date(value: str, *, field: str = "date") -> dt.date:
    """A date written as YYYY-MM-DD; anything else is a DomainError naming ``field``."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise DomainError(_("Give the date as YYYY-MM-DD."), field=field) from exc


def text(value: str | None, field: str, message: str | None, limit: int) -> str:
    """``value`` stripped; refused when longer than ``limit``, and when empty unless
    ``message`` is None (an optional text)."""
    value = (value or "").strip()
    if message is not None and not value:
        raise DomainError(message, field=field)
    if len(value) > limit:
        raise DomainError(_("At most %(n)s characters.") % {"n": limit}, field=field)
    return value


def ensure_open(episode: Any) -> None:
    """A custody episode still open: nothing is booked or recorded for a released person."""
    if episode.released_at is not None:
        raise DomainError(_("The person has been released."))
