"""API: phone (under /api/v1/contact/)."""

from ninja import Router

router = Router(tags=["contact"])
