"""The health service's own log: every change to and every read of the health record, in the
health database, append-only and hash-chained by the main audit log's own code (its ``Chain``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from normalitet.audit import services
from normalitet.audit.services import Chain, VerifyResult

from .models import HealthAuditEvent, HealthChainHead

HEALTH_CHAIN = Chain(HealthAuditEvent, HealthChainHead, using="health")


def record_change(
    *,
    actor: Any,
    action: str,
    obj: Any,
    person_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> HealthAuditEvent:
    """Record a change to the health record. Call inside the service's transaction."""
    event = services.record_change(
        chain=HEALTH_CHAIN, actor=actor, action=action, obj=obj, person_id=person_id, data=data
    )
    return cast(HealthAuditEvent, event)


def record_access(*, actor: Any, person_id: int, what: str) -> HealthAuditEvent:
    """Record that ``actor`` read ``what`` ('record', 'request', 'handover', ...) of a person."""
    event = services.record_access(chain=HEALTH_CHAIN, actor=actor, person_id=person_id, what=what)
    return cast(HealthAuditEvent, event)


def record_accesses(*, actor: Any, person_ids: Iterable[int], what: str) -> list[HealthAuditEvent]:
    """``record_access`` for each of a list's persons, in one append."""
    events = services.record_accesses(
        chain=HEALTH_CHAIN, actor=actor, person_ids=person_ids, what=what
    )
    return cast(list[HealthAuditEvent], events)


def lock() -> None:
    """Take early the lock that every entry in the log takes (its head row). Inside a service's
    transaction, a check made after it and the write it allows become one step: two changes at
    once cannot both pass the check (two bookings cannot both find a time free)."""
    services.lock_head(HEALTH_CHAIN)


def verify() -> VerifyResult:
    return services.verify_chain(chain=HEALTH_CHAIN)
