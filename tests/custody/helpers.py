from __future__ import annotations

import datetime as dt
from typing import Any

from normalitet.custody import services
from normalitet.custody.models import CustodyEpisode

from ..factories import PersonFactory


def admitted(
    users: dict[str, Any],
    facility: Any,
    cell: Any = None,
    *,
    legal_status: str = "sentenced",
    admitted_at: dt.datetime | None = None,
    **person: Any,
) -> CustodyEpisode:
    """A person admitted through the services (sentenced unless told), optionally with a cell."""
    cm = (
        users["case_manager"]
        if facility.pk == users["case_manager"].facility_id
        else (users["lower_case_manager"])
    )
    episode = services.admit(
        actor=cm,
        person=PersonFactory(**person),
        legal_status=legal_status,
        facility=facility,
        admitted_at=admitted_at,
    )
    if cell is not None:
        episode = services.allocate_cell(actor=cm, episode=episode, cell=cell)
    return episode
