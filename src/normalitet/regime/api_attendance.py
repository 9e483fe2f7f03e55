"""API routes of the regime: attendance, under /api/v1/regime/."""

from ninja import Router

router = Router(tags=["regime"])
