"""What the court's restrictions on a person on remand (STRPL § 186; RULES.md § 7) mean on a
given day: read by visits, phone, mail, activities and cell allocation, so that each of them
enforces the same orders.

An order is in force from ``starts_on`` to ``ends_on``, both included, unless it was lifted
(from ``lifted_on``). The defence lawyer's contact is never restricted (STRPL § 186), and a
person under 18 keeps contact with their closest family (RULES.md § 7).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from .domain.rules import age_on
from .models import Contact, CourtRestriction, RestrictionKind

K = RestrictionKind


def in_force_on(day: dt.date) -> Q:
    """The orders in force on ``day``."""
    return Q(starts_on__lte=day, ends_on__gte=day) & (
        Q(lifted_on__isnull=True) | Q(lifted_on__gt=day)
    )


def state_on(order: CourtRestriction, day: dt.date) -> str:
    """Where one order stands on ``day``: 'lifted', 'to_come', 'expired' or 'in_force' (the
    same days as :func:`in_force_on`)."""
    if order.lifted_on is not None and order.lifted_on <= max(day, order.starts_on):
        return "lifted"
    if order.starts_on > day:
        return "to_come"
    if order.ends_on < day:
        return "expired"
    return "in_force"


def family_exempt(
    person_birth_date: dt.date, day: dt.date, contacts: Iterable[Contact | None]
) -> bool:
    """Whether a court order spares this contact: a person under 18 on ``day`` keeps contact
    with their closest family (RULES.md § 7). Every one of ``contacts`` must be closest
    family; no contact (None) and no contacts at all are not exempt."""
    found = list(contacts)
    return (
        bool(found)
        and all(c is not None and c.closest_family for c in found)
        and age_on(person_birth_date, day) < 18
    )


def restrictions_on(person_id: int, day: dt.date) -> QuerySet[CourtRestriction]:
    return CourtRestriction.objects.filter(in_force_on(day), person_id=person_id)


@dataclass(frozen=True)
class InForce:
    """The kinds of order in force for one person on one day, and the persons named in
    isolation orders."""

    kinds: frozenset[str]
    named: frozenset[int]

    def has(self, kind: str) -> bool:
        return kind in self.kinds

    @property
    def visit_ban(self) -> bool:
        return K.VISIT_BAN in self.kinds

    @property
    def visits_police(self) -> bool:
        return K.VISITS_POLICE in self.kinds

    @property
    def letter_ban(self) -> bool:
        return K.LETTER_BAN in self.kinds

    @property
    def letters_police(self) -> bool:
        return K.LETTERS_POLICE in self.kinds

    @property
    def full_isolation(self) -> bool:
        return K.FULL_ISOLATION in self.kinds


NONE = InForce(frozenset(), frozenset())


def in_force(person_id: int, day: dt.date) -> InForce:
    return in_force_many([person_id], day).get(person_id, NONE)


def in_force_many(person_ids: Iterable[int], day: dt.date) -> dict[int, InForce]:
    """The orders in force on ``day`` for each of ``person_ids`` (two queries)."""
    ids = list(person_ids)
    rows = list(
        CourtRestriction.objects.filter(in_force_on(day), person_id__in=ids).values_list(
            "pk", "person_id", "kind"
        )
    )
    kinds: dict[int, set[str]] = defaultdict(set)
    isolation_orders: dict[int, int] = {}
    for pk, person_id, kind in rows:
        kinds[person_id].add(kind)
        if kind == K.ISOLATION_NAMED:
            isolation_orders[pk] = person_id
    named: dict[int, set[int]] = defaultdict(set)
    if isolation_orders:
        through = CourtRestriction.named_persons.through.objects.filter(
            courtrestriction_id__in=isolation_orders
        ).values_list("courtrestriction_id", "person_id")
        for order_id, other in through:
            named[isolation_orders[order_id]].add(other)
    return {
        pid: InForce(frozenset(kinds[pid]), frozenset(named[pid]))
        for pid in set(kinds) | set(named)
    }


def isolated_from(person_id: int, day: dt.date, orders: InForce | None = None) -> set[int]:
    """Persons ``person_id`` must not meet on ``day``: those named in their own isolation
    orders, and those whose orders name them (an order keeps two persons apart both ways).
    ``orders``: the person's :func:`in_force` on ``day``, where the caller has read them."""
    mine = (orders if orders is not None else in_force(person_id, day)).named
    theirs = CourtRestriction.objects.filter(
        in_force_on(day), kind=K.ISOLATION_NAMED, named_persons=person_id
    ).values_list("person_id", flat=True)
    return set(mine) | set(theirs)


def expiring(*, facility_id: int, start: dt.date, end: dt.date) -> QuerySet[CourtRestriction]:
    """Orders of persons in custody in the facility that expire from ``start`` to ``end``,
    not lifted before: the list the remand office renews or lets lapse."""
    return (
        CourtRestriction.objects.filter(
            episode__facility_id=facility_id,
            episode__released_at__isnull=True,
            ends_on__gte=start,
            ends_on__lte=end,
        )
        .filter(Q(lifted_on__isnull=True) | Q(lifted_on__gt=F("ends_on")))
        .select_related("person", "episode__unit")
        .order_by("ends_on", "person__family_name")
    )
