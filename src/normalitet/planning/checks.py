"""Checks the planning services share: the episode is open, a text is given and not too long,
and the day of admission (for dates that cannot be before it)."""

from __future__ import annotations

import datetime as dt

from normalitet.core import clock

# Re-exported: the planning and regime services import these from here.
from normalitet.core.validation import ensure_open as ensure_open
from normalitet.core.validation import text as text
from normalitet.custody.models import CustodyEpisode


def admitted_on(episode: CustodyEpisode) -> dt.date:
    """The day of admission, in Norway."""
    return episode.admitted_at.astimezone(clock.OSLO).date()
