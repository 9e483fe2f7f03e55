"""Writing to the audit log. Called by every service inside its own transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from normalitet.core import clock

from .chain import GENESIS, event_digest, hashed_fields
from .models import AuditEvent, ChainHead


@dataclass(frozen=True)
class Chain:
    """A hash-chained log: its event and head models and the database they live in. The main
    audit log is ``MAIN``; the health service keeps a chain of its own in its own database."""

    event: Any
    head: Any
    using: str = "default"


MAIN = Chain(AuditEvent, ChainHead)


def lock_head(chain: Chain = MAIN) -> Any:
    """Lock the chain's head row (made on first use). Every entry takes this lock; a service that
    takes it first makes its own check and write one step with respect to every other entry."""
    head, _ = chain.head.objects.select_for_update().get_or_create(
        id=1, defaults={"last_hash": GENESIS}
    )
    return head


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(json.dumps(data, default=str))
    return result


def _linked(chain: Chain, prev_hash: str, occurred_at: Any, entry: dict[str, Any]) -> Any:
    """An unsaved event of ``chain`` for ``entry`` (the keyword arguments of ``append`` but the
    chain), linked to the event whose hash is ``prev_hash``."""
    actor = entry["actor"]
    object_id = entry["object_id"]
    values = {
        "occurred_at": occurred_at,
        "kind": entry["kind"],
        "actor_id": getattr(actor, "pk", None),
        "actor_username": getattr(actor, "username", "") or "",
        "action": entry["action"],
        "object_type": entry["object_type"],
        "object_id": str(object_id if object_id is not None else ""),
        "person_id": entry["person_id"],
        "reason": entry["reason"],
        "data": _jsonable(entry["data"]),
    }
    digest = event_digest(prev_hash, hashed_fields(**values))
    return chain.event(**values, prev_hash=prev_hash, hash=digest)


def _append_all(chain: Chain, entries: list[dict[str, Any]]) -> list[Any]:
    """Append ``entries`` in order, each linked to the one before, under one lock of the head
    and in one statement."""
    with transaction.atomic(using=chain.using):
        head = lock_head(chain)
        occurred_at = clock.now()
        events, prev = [], head.last_hash
        for entry in entries:
            events.append(_linked(chain, prev, occurred_at, entry))
            prev = events[-1].hash
        created = chain.event.objects.using(chain.using).bulk_create(events)
        last_id = created[-1].pk
        if last_id is None:  # a database that does not return the new keys
            last_id = chain.event.objects.using(chain.using).get(hash=prev).pk
        head.last_hash = prev
        head.last_event_id = last_id
        head.save(update_fields=["last_hash", "last_event_id"])
    return created


def append(*, chain: Chain = MAIN, **entry: Any) -> Any:
    """Append one event: ``kind``, ``actor``, ``action``, ``object_type``, ``object_id``,
    ``person_id``, ``reason`` and ``data``."""
    return _append_all(chain, [entry])[0]


def record_change(
    *,
    chain: Chain = MAIN,
    actor: Any,
    action: str,
    obj: Any,
    person_id: int | None = None,
    data: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Record a change. Call inside the service's transaction, after the write."""
    return append(
        chain=chain,
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
    return append(
        kind=AuditEvent.Kind.CHANGE,
        actor=actor,
        action=action,
        object_type=subject,
        object_id="",
        person_id=None,
        reason=reason,
        data=data or {},
    )


def _access(actor: Any, person_id: int, what: str, reason: str) -> dict[str, Any]:
    return {
        "kind": AuditEvent.Kind.ACCESS,
        "actor": actor,
        "action": f"view.{what}",
        "object_type": "people.person",
        "object_id": person_id,
        "person_id": person_id,
        "reason": reason,
        "data": {},
    }


def record_access(
    *, chain: Chain = MAIN, actor: Any, person_id: int, what: str, reason: str = ""
) -> AuditEvent:
    """Record that ``actor`` opened ``what`` ('person', 'person.history', ...) of a person."""
    event: AuditEvent = append(chain=chain, **_access(actor, person_id, what, reason))
    return event


def record_accesses(
    *,
    chain: Chain = MAIN,
    actor: Any,
    person_ids: Iterable[int],
    what: str,
    reason: str = "",
) -> list[Any]:
    """``record_access`` for each of ``person_ids`` (once each, in the order given), as one
    append: the head is locked once and the events written in one statement, each linked to
    the one before it as single appends are. For the lists that show many persons at once."""
    ids = list(dict.fromkeys(person_ids))
    if not ids:
        return []
    return _append_all(chain, [_access(actor, person_id, what, reason) for person_id in ids])


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    broken_at: int | None
    problem: str

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(*, chain: Chain = MAIN, batch_size: int = 5000) -> VerifyResult:
    """Walk the chain from the first event and report the first broken link."""
    prev = GENESIS
    checked = 0
    qs = chain.event.objects.order_by("id")
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
    head = chain.head.objects.filter(id=1).first()
    if head is not None and head.last_hash != prev:
        return VerifyResult(checked, head.last_event_id, "the newest events are missing")
    return VerifyResult(checked, None, "")
