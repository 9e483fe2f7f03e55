"""Reading the audit log."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import AuditEvent


def access_log_for_person(*, person_id: int, limit: int = 200) -> QuerySet[AuditEvent]:
    """Who looked at this person's record, newest first (SGL § 4a: every access is logged)."""
    return AuditEvent.objects.filter(person_id=person_id).order_by("-id")[:limit]
