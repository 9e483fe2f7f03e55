"""The health service's API, under /api/v1/health/. Each area keeps its own router."""

from ninja import Router

from .api_care import router as care_router
from .api_medication import router as medication_router
from .api_observation import router as observation_router
from .api_record import router as record_router
from .api_requests import router as requests_router

router = Router(tags=["health"])
router.add_router("", requests_router)
router.add_router("", medication_router)
router.add_router("", observation_router)
router.add_router("", care_router)
router.add_router("", record_router)
