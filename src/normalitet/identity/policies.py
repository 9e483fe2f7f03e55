"""Capability checks. Deny by default: a role without the capability is refused."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from normalitet.core.errors import PermissionDenied

from .roles import Cap


def can(actor: Any, cap: Cap) -> bool:
    return bool(actor and getattr(actor, "is_authenticated", False) and actor.has_cap(cap))


def ensure_cap(actor: Any, cap: Cap) -> None:
    if not can(actor, cap):
        raise PermissionDenied(_("Your role does not allow this action."), rule="deny-by-default")


class SystemActor:
    """The operator at the command line (`normalitet recalc --all`): named in the audit log as
    ``system:<name>``, allowed only the capabilities it is given."""

    is_authenticated = True
    is_active = True
    pk = None

    def __init__(self, name: str, caps: frozenset[Cap]):
        self.username = f"system:{name}"
        self._caps = caps

    def has_cap(self, cap: Cap) -> bool:
        return cap in self._caps
