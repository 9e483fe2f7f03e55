"""How family contact follows custody: a transfer or release cancels the visits still to come,
with notice to the visitors; a cell is not given against a court's isolation order.

Connected in ``ContactConfig.ready``; custody sends these inside its own transaction, so a
receiver that fails undoes the movement."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils.translation import gettext as _

from normalitet.core import clock
from normalitet.core.errors import Conflict
from normalitet.custody import signals
from normalitet.custody.models import CustodyEpisode

from . import restrictions
from .visits import bookings_cancel_all


@receiver(signals.transferred, dispatch_uid="contact.transferred")
def _on_transfer(sender: Any, episode: CustodyEpisode, actor: Any, at: Any, **kw: Any) -> None:
    bookings_cancel_all(
        actor=actor,
        person_id=episode.person_id,
        at=at,
        reason=_("The person has moved to another prison. Book again with the new prison."),
    )


@receiver(signals.released, dispatch_uid="contact.released")
def _on_release(sender: Any, episode: CustodyEpisode, actor: Any, at: Any, **kw: Any) -> None:
    bookings_cancel_all(
        actor=actor, person_id=episode.person_id, at=at, reason=_("The person has been released.")
    )


@receiver(signals.cell_allocating, dispatch_uid="contact.cell_allocating")
def _on_cell(
    sender: Any, episode: CustodyEpisode, unit: Any, cell: Any, occupants: int, **kw: Any
) -> None:
    """Full isolation: a cell alone. Isolation from named persons: not in their unit."""
    day = clock.today()
    orders = restrictions.in_force(episode.person_id, day)
    if orders.full_isolation and occupants:
        raise Conflict(
            _("The court ordered full isolation: the person cannot share a cell."),
            field="cell",
            rule="court-isolation",
        )
    apart = restrictions.isolated_from(episode.person_id, day, orders)
    # Anyone already in the cell is in the unit too, so checking the unit covers both.
    if (
        apart
        and CustodyEpisode.objects.filter(released_at__isnull=True, unit=unit, person_id__in=apart)
        .exclude(pk=episode.pk)
        .exists()
    ):
        raise Conflict(
            _(
                "The court ordered isolation from a person placed in this unit. Choose "
                "another unit."
            ),
            field="cell",
            rule="court-isolation",
        )
    # Someone whose own full isolation forbids a cellmate is in the cell already.
    if occupants:
        others = CustodyEpisode.objects.filter(released_at__isnull=True, cell=cell).values_list(
            "person_id", flat=True
        )
        if any(o.full_isolation for o in restrictions.in_force_many(others, day).values()):
            raise Conflict(
                _("The person in this cell is in full isolation by court order."),
                field="cell",
                rule="court-isolation",
            )
