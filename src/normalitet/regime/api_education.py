"""API routes of the regime: education, under /api/v1/regime/."""

from ninja import Router

router = Router(tags=["regime"])
