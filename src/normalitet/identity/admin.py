"""User administration for system administrators: users, roles and caseloads. No case data."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils import timezone

from .models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "facility", "is_active")
    list_filter = ("role", "is_active", "facility__region")
    search_fields = ("username", "first_name", "last_name", "email")
    filter_horizontal = ("units", "groups", "user_permissions")
    autocomplete_fields = ("facility",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (
            "Normalitet",
            {"fields": ("role", "region", "facility", "units", "preferred_language", "profession")},
        ),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "name", "prefix", "digest", "created_at", "last_used_at")
    actions = ["revoke"]

    def has_add_permission(self, request: Any) -> bool:
        return False  # tokens are made with `normalitet apitoken`, shown once

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: Any, queryset: Any) -> None:
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
