"""Staff and other users, their caseload and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .roles import PROFESSION_CHOICES, ROLE_CHOICES, Cap, Role, Scope, caps_of, scope_of


class User(AbstractUser):
    """A user of Normalitet. The role decides what they may do; the caseload, whose records."""

    role = models.CharField(_("role"), max_length=32, choices=ROLE_CHOICES, default=Role.OFFICER)
    region = models.ForeignKey(
        "estate.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    facility = models.ForeignKey(
        "estate.Facility", null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    units = models.ManyToManyField("estate.Unit", blank=True, related_name="staff")
    preferred_language = models.CharField(max_length=8, default="nb")
    # Health staff only: what they are decides what they may do in the health record (only a
    # doctor or dentist prescribes; only a doctor or psychologist lowers or ends observation).
    profession = models.CharField(
        _("profession"), max_length=16, choices=PROFESSION_CHOICES, blank=True
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [(c.value, c.value.replace("_", " ")) for c in Cap]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def has_cap(self, cap: Cap) -> bool:
        return self.is_active and cap in caps_of(self.role)

    @property
    def scope(self) -> Scope:
        return scope_of(self.role)


class ApiToken(models.Model):
    """A bearer token for another system. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def new_raw() -> str:
        return "nrm_" + secrets.token_urlsafe(32)


class AuthenticatedRequest(HttpRequest):
    """A request that passed LoginRequiredMiddleware: its user is a real :class:`User`."""

    user: User
