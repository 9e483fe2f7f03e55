"""What every family-contact page checks first: the user is staff of a facility with
``CONTACT_VIEW`` (anyone else gets the 404, as for a missing page) and, for a page that changes
something, holds the capability it takes (else 403). And where a form sends the user back to."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme

from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap


def staff(request: AuthenticatedRequest, cap: Cap | None = None) -> Any:
    user = request.user
    if not can(user, Cap.CONTACT_VIEW) or not user.facility_id:
        raise Http404
    if cap is not None and not can(user, cap):
        raise PermissionDenied
    return user


def back_to(request: AuthenticatedRequest, default: str) -> str:
    """The page to return to: ``next`` when it is one of ours, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    ours = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if target and ours else default
