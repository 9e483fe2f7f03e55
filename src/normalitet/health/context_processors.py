"""A missed observation check is an alert on every page of the officers who must make it, not
only on the watch board (issue 7: missed checks raise an alert)."""

from __future__ import annotations

import functools
from typing import Any

from normalitet.identity.roles import Cap

from . import access, facts


def observation_alerts(request: Any) -> dict[str, Any]:
    """``observation_overdue``: how many persons in the user's caseload have a check overdue.

    Django runs context processors for every template it renders, fragments included; only the
    page frame (``core/base.html``) shows the alert. So the count is a function, called when the
    frame reads it and then remembered: one query on the health database per page, none for a
    fragment; the caseload is read only when something is overdue."""
    user = getattr(request, "user", None)
    if user is None or not access.is_unit_staff(user):
        return {}

    @functools.cache
    def overdue() -> int:
        late = [
            o.person_id
            for o in facts.observations(facility_id=user.facility_id).values()
            if o.overdue
        ]
        if not late:
            return 0
        return len(access.staff_caseload(user, Cap.OBSERVATION_CHECK, person_ids=late))

    return {"observation_overdue": overdue}
