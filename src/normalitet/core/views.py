"""The start page: what the user's role works with, one click away."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from normalitet.core.errors import DomainError
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.roles import Cap


def home(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "core/home.html",
        {
            "can_search": user.has_cap(Cap.PERSON_VIEW) or user.has_cap(Cap.PERSON_VIEW_MINIMAL),
            "can_roll": user.has_cap(Cap.ROLL_VIEW) or user.has_cap(Cap.ROLL_AGGREGATE),
            "can_admit": user.has_cap(Cap.CUSTODY_ADMIT),
            "can_estate": user.has_cap(Cap.ESTATE_VIEW),
        },
    )


def error_page(request: AuthenticatedRequest, error: DomainError) -> HttpResponse:
    """A domain error outside a form: its message on a page, with its status code."""
    return render(request, "core/error.html", {"error": error}, status=error.status_code)


def not_found(request: AuthenticatedRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/404.html", status=404)


def forbidden(request: AuthenticatedRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/403.html", status=403)
