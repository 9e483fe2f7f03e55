"""The JSON API under /api/v1/, its schema at /api/v1/openapi.json and docs at /api/v1/docs."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from normalitet.contact.api_contacts import router as contact_contacts_router
from normalitet.contact.api_mail import router as contact_mail_router
from normalitet.contact.api_phone import router as contact_phone_router
from normalitet.contact.api_restrictions import router as contact_restrictions_router
from normalitet.contact.api_visits import router as contact_visits_router
from normalitet.core.errors import DomainError
from normalitet.custody.api import router as custody_router
from normalitet.custody.schemas import WhoAmIOut
from normalitet.health.api import router as health_router
from normalitet.identity.auth import api_auth
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.roles import caps_of
from normalitet.planning.api import router as planning_router
from normalitet.planning.api_pathway import router as pathway_router
from normalitet.planning.api_plan import router as plan_router
from normalitet.planning.api_reentry import router as reentry_router
from normalitet.planning.api_transfer import router as transfer_router
from normalitet.portal.api import router as portal_router
from normalitet.regime.api_attendance import router as regime_attendance_router
from normalitet.regime.api_catalogue import router as regime_catalogue_router
from normalitet.regime.api_days import router as regime_days_router
from normalitet.regime.api_education import router as regime_education_router
from normalitet.sentencing.api import router as sentencing_router

api = NinjaAPI(
    title="Normalitet API",
    version="1",
    description="Correctional management on the Norwegian model. Bearer tokens "
    "(`normalitet apitoken USERNAME`) or the browser session.",
    auth=api_auth(),
    urls_namespace="api-v1",
)


_LOCATIONS = {"body", "query", "path", "params", "header", "cookie"}


def _field_of(loc: list[Any]) -> str | None:
    """('body', 'body', 'person', 'birth_date') -> 'person.birth_date'."""
    parts = list(loc)
    while parts and parts[0] in _LOCATIONS:
        parts.pop(0)
    return ".".join(str(p) for p in parts) or None


def _errors(request: HttpRequest, errors: list[dict[str, Any]], status: int) -> HttpResponse:
    return api.create_response(request, {"errors": errors}, status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _errors(request, [exc.as_dict()], exc.status_code)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "field": _field_of(e.get("loc", [])),
            "message": e.get("msg", "Invalid value."),
            "rule": e.get("type"),
        }
        for e in exc.errors
    ]
    return _errors(request, errors, 422)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _errors(request, [{"field": None, "message": "Not found.", "rule": None}], 404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _errors(
        request, [{"field": None, "message": "Log in or give a bearer token.", "rule": None}], 401
    )


@api.get("/whoami", response=WhoAmIOut, tags=["identity"])
def whoami(request: AuthenticatedRequest) -> Any:
    user = request.user
    return {
        "username": user.username,
        "role": user.role,
        "facility_id": user.facility_id,
        "capabilities": sorted(c.value for c in caps_of(user.role)),
    }


api.add_router("/", custody_router)
api.add_router("/health/", health_router)
api.add_router("/", sentencing_router)
api.add_router("/planning/", planning_router)
api.add_router("/planning/", pathway_router)
api.add_router("/planning/", plan_router)
api.add_router("/planning/", transfer_router)
api.add_router("/planning/", reentry_router)
api.add_router("/regime/", regime_catalogue_router)
api.add_router("/regime/", regime_attendance_router)
api.add_router("/regime/", regime_days_router)
api.add_router("/regime/", regime_education_router)
api.add_router("/contact/", contact_contacts_router)
api.add_router("/contact/", contact_visits_router)
api.add_router("/contact/", contact_phone_router)
api.add_router("/contact/", contact_mail_router)
api.add_router("/contact/", contact_restrictions_router)
api.add_router("/contact/portal/", portal_router)
