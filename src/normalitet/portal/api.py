"""API of the family portal (under /api/v1/contact/portal/)."""

from ninja import Router

router = Router(tags=["family portal"])
