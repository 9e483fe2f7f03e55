"""Who may see and do what in the health service (RULES.md § 10; DESIGN.md: deny by default).

- Health staff (``HEALTH_RECORD``) read and write the health record of the persons in custody in
  their facility. Of the custody record they see only what they need: name, person number, birth
  date, unit and cell, and the expected release date (for continuity of care).
- What a clinician may do depends on their profession: only a doctor or dentist prescribes; only
  a doctor or psychologist lowers or ends an observation level.
- Prison staff (``HEALTH_REQUEST_LOG``, ``OBSERVATION_CHECK``) log requests on a person's behalf
  and record observation checks, for the persons in their caseload, through ``facade``. They
  never read the health record.
- A person outside the actor's caseload is a 404, the same as a missing one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from normalitet.core import clock
from normalitet.core.errors import NotFound, PermissionDenied
from normalitet.custody.caseload import open_episodes_in_caseload
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap, Profession

PRESCRIBERS = frozenset({Profession.DOCTOR, Profession.DENTIST})
OBSERVATION_LOWERERS = frozenset({Profession.DOCTOR, Profession.PSYCHOLOGIST})


@dataclass(frozen=True)
class PersonCard:
    """The minimal custody data health staff see, and that the health record is shown with."""

    person_id: int
    name: str
    person_number: str
    birth_date: dt.date
    facility_id: int
    unit_id: int | None
    unit: str
    cell: str
    expected_release: dt.date | None


def _cards(episodes: Any) -> dict[int, PersonCard]:
    """The cards of ``episodes``, by person, in name order: the columns a card needs only, not
    whole rows (a facility's caseload is read on most health pages)."""
    rows = episodes.order_by("person__family_name", "person__given_names").values_list(
        "person_id",
        "person__given_names",
        "person__family_name",
        "person__person_number",
        "person__birth_date",
        "facility_id",
        "unit_id",
        "unit__name",
        "cell__code",
        "expected_release_date",
    )
    return {
        pid: PersonCard(
            person_id=pid,
            name=f"{given} {family}",  # as Person.full_name
            person_number=number,
            birth_date=born,
            facility_id=facility_id,
            unit_id=unit_id,
            unit=unit or "",
            cell=cell or "",
            expected_release=release,
        )
        for pid, given, family, number, born, facility_id, unit_id, unit, cell, release in rows
    }


def is_health_staff(actor: Any) -> bool:
    return can(actor, Cap.HEALTH_RECORD) and bool(getattr(actor, "facility_id", None))


def is_unit_staff(actor: Any) -> bool:
    """Unit staff who record observation checks, of a facility."""
    return can(actor, Cap.OBSERVATION_CHECK) and bool(getattr(actor, "facility_id", None))


def ensure_health_staff(actor: Any) -> None:
    """Health staff of a facility, else NotFound: the health service does not exist for others."""
    if not is_health_staff(actor):
        raise NotFound(_("No such page."))


def caseload(
    actor: Any, person_ids: Iterable[int] | None = None, unit_id: int | None = None
) -> dict[int, PersonCard]:
    """The persons whose health record the actor may open (their facility; optionally one unit,
    or some persons), as cards."""
    if not is_health_staff(actor):
        return {}
    return _scoped(open_episodes_in_caseload(actor), unit_id, person_ids)


def _scoped(
    episodes: Any, unit_id: int | None, person_ids: Iterable[int] | None
) -> dict[int, PersonCard]:
    if unit_id is not None:
        episodes = episodes.filter(unit_id=unit_id)
    if person_ids is not None:
        episodes = episodes.filter(person_id__in=list(person_ids))
    return _cards(episodes)


def ensure_patient(actor: Any, person_id: int) -> PersonCard:
    """A person in custody in the health worker's facility, else NotFound."""
    card = caseload(actor, [person_id]).get(person_id)
    if card is None:
        raise NotFound(_("No such person."))
    return card


def staff_person(actor: Any, person_id: int, cap: Cap) -> PersonCard:
    """A person in a prison officer's caseload, for the few things prison staff do through the
    facade (log a request, record a check); NotFound outside it, PermissionDenied without
    ``cap``."""
    if not can(actor, cap):
        raise PermissionDenied(_("Your role does not allow this action."), rule="deny-by-default")
    card = staff_caseload(actor, cap, person_ids=[person_id]).get(person_id)
    if card is None:
        raise NotFound(_("No such person."))
    return card


def staff_caseload(
    actor: Any, cap: Cap, unit_id: int | None = None, person_ids: Iterable[int] | None = None
) -> dict[int, PersonCard]:
    """The persons in a prison officer's caseload (optionally one unit, or some persons)."""
    if not can(actor, cap):
        return {}
    return _scoped(open_episodes_in_caseload(actor), unit_id, person_ids)


def profession_of(actor: Any) -> str:
    return str(getattr(actor, "profession", "") or "")


def ensure_profession(actor: Any, allowed: frozenset[Profession], message: str) -> None:
    if profession_of(actor) not in allowed:
        raise PermissionDenied(message, rule="profession")


def name_of(actor: Any) -> str:
    """The name the health record shows for a member of staff."""
    full = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return str(full or getattr(actor, "username", ""))


def stamp(actor: Any, now: dt.datetime | None = None) -> dict[str, Any]:
    """Who wrote a health row, and when: the ``Stamp`` fields."""
    return {
        "created_at": now or clock.now(),
        "created_by_id": getattr(actor, "pk", None),
        "created_by_name": name_of(actor),
    }
