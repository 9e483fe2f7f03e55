"""Writing to the audit log. Called by every service inside its own transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from normalitet.core import clock

from .chain import GENESIS, event_digest, hashed_fields
from .models import AuditEvent, ChainHead


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(json.dumps(data, default=str))
    return result


def _append(
    *,
    kind: str,
    actor: Any,
    action: str,
    object_type: str,
    object_id: Any,
    person_id: int | None,
    reason: str,
    data: dict[str, Any],
) -> AuditEvent:
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(
            id=1, defaults={"last_hash": GENESIS}
        )
        occurred_at = clock.now()
        actor_id = getattr(actor, "pk", None)
        actor_username = getattr(actor, "username", "") or ""
        data = _jsonable(data)
        fields = hashed_fields(
            occurred_at=occurred_at,
            kind=kind,
            actor_id=actor_id,
            actor_username=actor_username,
            action=action,
            object_type=object_type,
            object_id=str(object_id if object_id is not None else ""),
            person_id=person_id,
            reason=reason,
            data=data,
        )
        digest = event_digest(head.last_hash, fields)
        event = AuditEvent.objects.create(
            occurred_at=occurred_at,
            kind=kind,
            actor_id=actor_id,
            actor_username=actor_username,
            action=action,
            object_type=object_type,
            object_id=fields["object_id"],
            person_id=person_id,
            reason=reason,
            data=data,
            prev_hash=head.last_hash,
            hash=digest,
        )
        head.last_hash = digest
        head.last_event_id = event.pk
        head.save(update_fields=["last_hash", "last_event_id"])
        return event


def record_change(
    *,
    actor: Any,
    action: str,
    obj: Any,
    person_id: int | None = None,
    data: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Record a change. Call inside the service's transaction, after the write."""
    return _append(
        kind=AuditEvent.Kind.CHANGE,
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        person_id=person_id,
        reason=reason,
        data=data or {},
    )


def record_run(
    *, actor: Any, action: str, subject: str, data: dict[str, Any] | None = None, reason: str = ""
) -> AuditEvent:
    """Record a change that spans many records (a recalculation run, an import): one event with
    its summary; the records themselves keep their own history."""
    return _append(
        kind=AuditEvent.Kind.CHANGE,
        actor=actor,
        action=action,
        object_type=subject,
        object_id="",
        person_id=None,
        reason=reason,
        data=data or {},
    )


def record_access(*, actor: Any, person_id: int, what: str, reason: str = "") -> AuditEvent:
    """Record that ``actor`` opened ``what`` ('person', 'person.history', ...) of a person."""
    return _append(
        kind=AuditEvent.Kind.ACCESS,
        actor=actor,
        action=f"view.{what}",
        object_type="people.person",
        object_id=person_id,
        person_id=person_id,
        reason=reason,
        data={},
    )


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    broken_at: int | None
    problem: str

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(*, batch_size: int = 5000) -> VerifyResult:
    """Walk the chain from the first event and report the first broken link."""
    prev = GENESIS
    checked = 0
    qs = AuditEvent.objects.order_by("id")
    last_id = 0
    while True:
        batch = list(qs.filter(id__gt=last_id)[:batch_size])
        if not batch:
            break
        for ev in batch:
            if ev.prev_hash != prev:
                return VerifyResult(checked, ev.pk, "previous hash does not match")
            fields = hashed_fields(
                occurred_at=ev.occurred_at,
                kind=ev.kind,
                actor_id=ev.actor_id,
                actor_username=ev.actor_username,
                action=ev.action,
                object_type=ev.object_type,
                object_id=ev.object_id,
                person_id=ev.person_id,
                reason=ev.reason,
                data=ev.data,
            )
            if event_digest(prev, fields) != ev.hash:
                return VerifyResult(checked, ev.pk, "content does not match its hash")
            prev = ev.hash
            checked += 1
            last_id = ev.pk
    head = ChainHead.objects.filter(id=1).first()
    if head is not None and head.last_hash != prev:
        return VerifyResult(checked, head.last_event_id, "the newest events are missing")
    return VerifyResult(checked, None, "")
