"""API authentication: bearer tokens for systems, the session (with CSRF) for the browser."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from .models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request: Any, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(token), revoked_at__isnull=True)
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


def api_auth() -> list[Any]:
    return [TokenAuth(), SessionAuth(csrf=True)]


def token_create(*, user: Any, name: str = "cli") -> str:
    """Make a token for ``user`` and return the raw value: it is shown once, only its hash kept."""
    raw = ApiToken.new_raw()
    ApiToken.objects.create(user=user, name=name, prefix=raw[4:12], digest=ApiToken.digest_of(raw))
    return raw
