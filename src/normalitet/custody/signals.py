"""What custody tells the contexts above it, without knowing them (they connect in their
``AppConfig.ready``). Sent inside the movement's transaction: a receiver that fails undoes the
movement."""

from __future__ import annotations

from django.dispatch import Signal

# kwargs: episode (after the move), actor, at, from_facility
transferred = Signal()
# kwargs: episode, actor, at
released = Signal()
# kwargs: episode (before the move), unit, cell, occupants (persons already in the cell).
# Sent before a cell is given; a receiver refuses the placement by raising a DomainError.
cell_allocating = Signal()
