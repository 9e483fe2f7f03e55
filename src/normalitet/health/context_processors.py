"""A missed observation check is an alert on every page of the officers who must make it, not
only on the watch board (issue 7: missed checks raise an alert)."""

from __future__ import annotations

from typing import Any

from normalitet.identity.policies import can
from normalitet.identity.roles import Cap

from . import access, facts


def observation_alerts(request: Any) -> dict[str, Any]:
    """``observation_overdue``: how many persons in the user's caseload have a check overdue.
    One query on the health database; the caseload is read only when something is overdue."""
    user = getattr(request, "user", None)
    if (
        user is None
        or not user.is_authenticated
        or not can(user, Cap.OBSERVATION_CHECK)
        or not user.facility_id
    ):
        return {}
    overdue = [
        o.person_id for o in facts.observations(facility_id=user.facility_id).values() if o.overdue
    ]
    if not overdue:
        return {}
    mine = access.staff_caseload(user, Cap.OBSERVATION_CHECK, person_ids=overdue)
    return {"observation_overdue": len(mine)}
