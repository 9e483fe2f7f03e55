"""Full-clean before save; Django's ValidationError becomes a DomainError for the first field."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from .errors import DomainError


def clean_and_save(obj: Any, **save_kwargs: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        items = list(exc.message_dict.items())
        field, messages = items[0]
        raise DomainError(messages[0], field=None if field == "__all__" else field) from exc
    obj.save(**save_kwargs)
