"""Checks the planning services share: the episode is open, a text is given and not too long,
and the day of admission (for dates that cannot be before it)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from normalitet.core import clock
from normalitet.core.errors import DomainError
from normalitet.custody.models import CustodyEpisode


def admitted_on(episode: CustodyEpisode) -> dt.date:
    """The day of admission, in Norway."""
    return episode.admitted_at.astimezone(clock.OSLO).date()


def ensure_open(episode: CustodyEpisode) -> None:
    if not episode.is_open:
        raise DomainError(_("The person has been released."))


def text(value: str | None, field: str, message: str | None, limit: int) -> str:
    """``value`` stripped; refused when longer than ``limit``, and when empty unless
    ``message`` is None (an optional text)."""
    value = (value or "").strip()
    if message is not None and not value:
        raise DomainError(message, field=field)
    if len(value) > limit:
        raise DomainError(_("At most %(n)s characters.") % {"n": limit}, field=field)
    return value
