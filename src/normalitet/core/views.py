"""Pages shared by every app: the start page, error pages and the form-page pattern."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from normalitet.core.errors import DomainError, NotFound
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.roles import Cap


def home(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if user.has_cap(Cap.VISITOR_PORTAL):
        # Visitors live in the family portal; the staff home has nothing for them.
        return redirect("portal:home")
    if user.has_cap(Cap.HEALTH_RECORD):
        # Health staff work in the health service; their day is its first page.
        return redirect("health:index")
    return render(
        request,
        "core/home.html",
        {
            "can_search": user.has_cap(Cap.PERSON_VIEW) or user.has_cap(Cap.PERSON_VIEW_MINIMAL),
            "can_roll": user.has_cap(Cap.ROLL_VIEW) or user.has_cap(Cap.ROLL_AGGREGATE),
            "can_admit": user.has_cap(Cap.CUSTODY_ADMIT),
            "can_estate": user.has_cap(Cap.ESTATE_VIEW),
            "can_admin": user.has_cap(Cap.USER_MANAGE) and user.is_staff,
        },
    )


def error_page(request: AuthenticatedRequest, error: DomainError) -> HttpResponse:
    """A domain error outside a form: its message on a page, with its status code."""
    return render(request, "core/error.html", {"error": error}, status=error.status_code)


def or_404(find: Callable[..., Any], /, **kwargs: Any) -> Any:
    """``find(**kwargs)``, its NotFound (missing or outside the caseload) as the 404 page."""
    try:
        return find(**kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def regime_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A missing or out-of-scope record is a 404; another refusal is shown on a page."""

    @wraps(view)
    def wrapped(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404 from exc
        except DomainError as exc:
            return error_page(request, exc)

    return wrapped


def not_found(request: AuthenticatedRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/404.html", status=404)


def forbidden(request: AuthenticatedRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/403.html", status=403)


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    template: str,
    context: dict[str, Any],
    run: Callable[[dict[str, Any]], Any],
    success: Callable[[Any], str],
    message: str | Callable[[Any], str],
) -> HttpResponse:
    """Render a form; on a valid POST run the service; show its refusal on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            result = run(form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc.field, exc.message)
        else:
            messages.success(request, message(result) if callable(message) else message)
            return redirect(success(result))
    status = 400 if form.is_bound and form.errors else 200
    return render(request, template, {**context, "form": form}, status=status)
