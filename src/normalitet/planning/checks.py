"""Checks the planning services share: the day of admission (for dates that cannot be before
it). That the episode is open and a text is given are checked by ``core.validation``."""

from __future__ import annotations

import datetime as dt

from normalitet.core import clock
from normalitet.custody.models import CustodyEpisode


def admitted_on(episode: CustodyEpisode) -> dt.date:
    """The day of admission, in Norway."""
    return episode.admitted_at.astimezone(clock.OSLO).date()
