"""API routes of the regime: days, under /api/v1/regime/."""

from ninja import Router

router = Router(tags=["regime"])
