"""The audit log: append-only in the database, hash-chained, verifiable."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from normalitet.audit import triggers
from normalitet.audit.models import AuditEvent, ChainHead
from normalitet.audit.services import record_access, record_accesses, record_change, verify_chain
from normalitet.cli import main

pytestmark = pytest.mark.django_db


def _some_events(users, estate, n=5):
    for i in range(n):
        record_change(
            actor=users["case_manager"], action="test.change", obj=estate.high, data={"i": i}
        )
    record_access(actor=users["officer"], person_id=42, what="person")


def test_chain_verifies(users, estate):
    _some_events(users, estate)
    result = verify_chain()
    assert result.ok and result.checked == AuditEvent.objects.count() == 6
    events = list(AuditEvent.objects.order_by("id"))
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))


def test_a_list_of_reads_is_one_append_linked_like_single_ones(users, estate):
    _some_events(users, estate, n=2)
    events = record_accesses(actor=users["officer"], person_ids=[7, 3, 7, 9], what="regime.faith")
    assert [e.person_id for e in events] == [7, 3, 9]  # once each, in the order given
    record_access(actor=users["officer"], person_id=1, what="person")
    rows = list(AuditEvent.objects.order_by("id"))
    assert [(r.action, r.person_id) for r in rows[3:]] == [
        ("view.regime.faith", 7),
        ("view.regime.faith", 3),
        ("view.regime.faith", 9),
        ("view.person", 1),
    ]
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))
    assert ChainHead.objects.get().last_event_id == rows[-1].pk
    result = verify_chain()
    assert result.ok and result.checked == 7
    assert record_accesses(actor=users["officer"], person_ids=[], what="person") == []
    assert AuditEvent.objects.count() == 7


def test_update_and_delete_are_refused_by_the_database(users, estate):
    _some_events(users, estate, n=1)
    ev = AuditEvent.objects.first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=ev.pk).update(action="forged")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=ev.pk).delete()
    ev.refresh_from_db()
    assert ev.action == "test.change"


def _without_triggers(sql: str, params: list) -> None:
    """Tamper as someone with owner rights would: drop the triggers, edit, put them back."""
    vendor = connection.vendor
    drop = triggers.POSTGRES_REVERSE if vendor == "postgresql" else triggers.SQLITE_REVERSE
    create = triggers.POSTGRES if vendor == "postgresql" else triggers.SQLITE
    with connection.cursor() as cur:
        for s in drop:
            cur.execute(s)
        cur.execute(sql, params)
        for s in create:
            cur.execute(s)


def test_tampering_is_found_at_the_first_broken_link(users, estate, capsys):
    _some_events(users, estate)
    target = AuditEvent.objects.order_by("id")[2]
    _without_triggers(
        "UPDATE audit_auditevent SET data = %s WHERE id = %s", ['{"i": 99}', target.pk]
    )
    result = verify_chain()
    assert not result.ok
    assert result.broken_at == target.pk and result.checked == 2
    assert main(["audit", "verify"]) == 1
    assert f"BROKEN at event {target.pk}" in capsys.readouterr().err


def test_deleting_the_newest_event_is_found(users, estate):
    _some_events(users, estate)
    last = AuditEvent.objects.order_by("-id").first()
    _without_triggers("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
    result = verify_chain()
    assert not result.ok and result.problem == "the newest events are missing"


def test_cli_reports_intact_chain(users, estate, capsys):
    _some_events(users, estate, n=2)
    assert main(["audit", "verify"]) == 0
    assert "3 events checked" in capsys.readouterr().out


def test_flush_keeps_triggers(db):
    call_command("flush", interactive=False, verbosity=0)
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='trigger' "
                "AND name LIKE 'audit_event_%'"
            )
            assert cur.fetchone()[0] == 2
