"""Full-clean before save; Django's ValidationError becomes a DomainError for the first field."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

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
