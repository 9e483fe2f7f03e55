"""Mirror the roles defined in code into Django groups and permissions (`normalitet syncroles`)."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from .models import User
from .roles import ROLES


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
    summary: dict[str, int] = {}
    for role, definition in ROLES.items():
        group, _ = Group.objects.get_or_create(name=f"role:{role.value}")
        group.permissions.set([perms[c.value] for c in definition.caps])
        members = User.objects.filter(role=role.value)
        for user in members:
            user.groups.remove(*user.groups.filter(name__startswith="role:").exclude(pk=group.pk))
            user.groups.add(group)
        summary[role.value] = members.count()
    return summary
