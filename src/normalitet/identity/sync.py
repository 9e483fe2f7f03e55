"""Mirror the roles defined in code into Django groups and permissions (`normalitet syncroles`)."""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from .models import User
from .roles import ROLES, Role

# System administrators manage, in the admin site, what these apps register there.
ADMIN_APPS = ("identity", "estate")


def admin_models() -> list[type]:
    return [
        model
        for label in ADMIN_APPS
        for model in apps.get_app_config(label).get_models()
        if admin.site.is_registered(model)
    ]


@transaction.atomic
def sync_roles() -> dict[str, int]:
    """Create or update one group per role with exactly its capabilities; put users in theirs."""
    ct = ContentType.objects.get_for_model(User)
    perms = {p.codename: p for p in Permission.objects.filter(content_type=ct)}
    for cap in {c for r in ROLES.values() for c in r.caps}:
        if cap.value not in perms:
            perms[cap.value] = Permission.objects.create(
                content_type=ct, codename=cap.value, name=cap.value.replace("_", " ")
            )
    # System administrators manage users and the estate in the admin site, and nothing else.
    types = ContentType.objects.get_for_models(*admin_models()).values()
    admin_perms = list(Permission.objects.filter(content_type__in=list(types)))
    membership = User.groups.through
    groups: dict[str, Group] = {}
    for role, definition in ROLES.items():
        group, _ = Group.objects.get_or_create(name=f"role:{role.value}")
        extra = admin_perms if role == Role.ADMIN else []
        group.permissions.set([perms[c.value] for c in definition.caps] + extra)
        groups[role.value] = group
    User.objects.filter(role=Role.ADMIN).update(is_staff=True)
    User.objects.exclude(role=Role.ADMIN).filter(is_superuser=False).update(is_staff=False)
    # Each user belongs to exactly the group of their role: rewrite the memberships in bulk.
    membership.objects.filter(group__name__startswith="role:").delete()
    summary: dict[str, int] = {}
    for role_name, group in groups.items():
        ids = list(User.objects.filter(role=role_name).values_list("pk", flat=True))
        membership.objects.bulk_create(
            [membership(user_id=pk, group_id=group.pk) for pk in ids], batch_size=5000
        )
        summary[role_name] = len(ids)
    return summary
