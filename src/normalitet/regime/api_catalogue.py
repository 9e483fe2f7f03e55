"""API routes of the regime: catalogue, under /api/v1/regime/."""

from ninja import Router

router = Router(tags=["regime"])
