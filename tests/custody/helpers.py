from __future__ import annotations

from typing import Any

from normalitet.custody import services
from normalitet.custody.models import CustodyEpisode

from ..factories import PersonFactory


def admitted(
    users: dict[str, Any], facility: Any, cell: Any = None, **person: Any
) -> CustodyEpisode:
    """A person admitted through the services, optionally with a cell."""
    cm = (
        users["case_manager"]
        if facility.pk == users["case_manager"].facility_id
        else (users["lower_case_manager"])
    )
    episode = services.admit(
        actor=cm, person=PersonFactory(**person), legal_status="sentenced", facility=facility
    )
    if cell is not None:
        episode = services.allocate_cell(actor=cm, episode=episode, cell=cell)
    return episode
