"""Mail and parcels (SGL § 30): the log, and a workflow that enforces the law — lawyers' post
opened only in the person's presence and never read, inspection in high security, parcels
controlled, and the court's letter ban and police control."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from normalitet.audit.models import AuditEvent
from normalitet.contact import mail
from normalitet.contact.models import MailItem, MailStatus
from normalitet.core.errors import Conflict, DomainError, NotFound, PermissionDenied

from ..custody.helpers import admitted
from .helpers import contact, order, visitor
from .test_court_orders import remanded


@pytest.fixture
def ep(estate: Any, users: dict[str, Any], frozen: Any) -> Any:
    return remanded(users, estate.high, estate.cells_a[0], given_names="Rune")


def log(users: dict[str, Any], episode: Any, **kw: Any) -> MailItem:
    fields: dict[str, Any] = {"direction": "in", "kind": "letter", "counterpart": "Kari Nordmann"}
    fields.update(kw)
    return mail.mail_log(actor=users["officer"], episode=episode, **fields)


def handle(users: dict[str, Any], item: MailItem, action: str, **kw: Any) -> MailItem:
    return mail.mail_handle(actor=users["officer"], item=item, action=action, **kw)


def actions(item: MailItem) -> list[str]:
    item = MailItem.objects.select_related(
        "episode__unit", "episode__facility", "episode__person", "contact"
    ).get(pk=item.pk)
    return mail.next_actions(item, mail.situation_of(item))


def test_letter_in_high_security_is_inspected_then_delivered_and_audited(ep, users):
    item = log(users, ep)
    assert item.status == MailStatus.LOGGED and not item.privileged
    assert actions(item) == ["inspect", "pass", "withhold", "return"]
    with pytest.raises(Conflict, match="Inspect the item first"):
        handle(users, item, "deliver")
    handle(users, item, "inspect")
    assert actions(item) == ["deliver", "withhold", "return"]
    done = handle(users, item, "deliver")
    assert done.status == MailStatus.DELIVERED and done.handled_by == users["officer"]
    assert actions(item) == []
    events = list(
        AuditEvent.objects.filter(object_id=item.pk, action__startswith="contact.mail_")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert events == ["contact.mail_log", "contact.mail_inspect", "contact.mail_deliver"]
    assert "Kari" not in str(AuditEvent.objects.get(action="contact.mail_log").data)


def test_high_security_passes_only_with_a_reason(ep, users):
    item = log(users, ep)
    with pytest.raises(DomainError, match="reason inspection was waived") as err:
        handle(users, item, "pass")
    assert err.value.field == "reason"
    assert MailItem.objects.get(pk=item.pk).status == MailStatus.LOGGED
    passed = handle(users, item, "pass", reason="Kontroll frafalt etter vurdering")
    assert passed.status == MailStatus.NOT_INSPECTED


def test_lower_security_passes_without_reason(users, estate, frozen):
    low = admitted(users, estate.lower, estate.lower_cells[0])
    item = mail.mail_log(
        actor=users["lower_case_manager"], episode=low, direction="out", kind="letter",
        counterpart="Mor",
    )  # fmt: skip
    item = mail.mail_handle(actor=users["lower_case_manager"], item=item, action="pass")
    item = mail.mail_handle(actor=users["lower_case_manager"], item=item, action="send")
    assert item.status == MailStatus.SENT


def test_lawyer_post_is_privileged_and_only_opened_in_presence(ep, users, estate):
    lawyer = contact(ep, visitor("Liv", "Advokat", facility=estate.high), "lawyer")
    item = log(users, ep, contact=lawyer, counterpart="")
    assert item.privileged and item.counterpart == "Liv Advokat"
    assert actions(item) == ["open_in_presence"]
    for forbidden in ("inspect", "withhold", "police", "pass", "deliver"):
        with pytest.raises(Conflict):
            handle(users, item, forbidden, reason="x")
    assert MailItem.objects.get(pk=item.pk).status == MailStatus.LOGGED
    with pytest.raises(DomainError, match="person present"):
        handle(users, item, "open_in_presence", witness="Betjent Hansen")
    with pytest.raises(DomainError, match="second officer") as err:
        handle(users, item, "open_in_presence", person_present=True)
    assert err.value.field == "witness"
    opened = handle(users, item, "open_in_presence", witness="Betjent Hansen", person_present=True)
    assert opened.status == MailStatus.OPENED_IN_PRESENCE and opened.witness == "Betjent Hansen"
    assert actions(item) == ["deliver"]
    assert handle(users, item, "deliver").status == MailStatus.DELIVERED


def test_privileged_post_is_not_stopped_by_a_letter_ban(ep, users, estate):
    order(ep, "letter_ban")
    lawyer = contact(ep, visitor("Liv", "Advokat", facility=estate.high), "lawyer")
    item = log(users, ep, contact=lawyer)
    assert actions(item) == ["open_in_presence"]


def test_parcel_needs_contents_controlled_and_described(ep, users):
    parcel = log(users, ep, kind="parcel")
    assert actions(parcel) == ["inspect", "withhold", "return"]  # never passed unchecked
    handle(users, parcel, "inspect")
    with pytest.raises(DomainError, match="Control the parcel") as err:
        handle(users, parcel, "deliver")
    assert err.value.field == "contents_controlled"
    with pytest.raises(DomainError, match="Describe"):
        handle(users, parcel, "deliver", contents_controlled=True)
    assert MailItem.objects.get(pk=parcel.pk).status == MailStatus.INSPECTED
    done = handle(users, parcel, "deliver", contents_controlled=True, contents="Klær, to bøker")
    assert done.status == MailStatus.DELIVERED and done.contents_controlled


def test_withhold_and_return_need_a_reason(ep, users):
    item = log(users, ep)
    with pytest.raises(DomainError, match="withheld"):
        handle(users, item, "withhold")
    with pytest.raises(DomainError, match="returned"):
        handle(users, item, "return")
    held = handle(users, item, "withhold", reason="Inneholdt rusmidler")
    assert held.status == MailStatus.WITHHELD and held.reason == "Inneholdt rusmidler"
    assert actions(item) == ["return"]
    assert AuditEvent.objects.get(action="contact.mail_withhold").reason == "Inneholdt rusmidler"


def test_letter_ban_only_withhold_with_the_order_as_reason_or_return(ep, users):
    order(ep, "letter_ban", case_number="26-1/01")
    item = log(users, ep)
    assert actions(item) == ["withhold", "return"]
    with pytest.raises(Conflict, match="banned letters"):
        handle(users, item, "inspect")
    held = handle(users, item, "withhold")
    assert "ban on letters" in held.reason and "26-1/01" in held.reason


def test_under_18_keeps_post_with_closest_family_under_a_ban(users, estate, frozen):
    young = remanded(users, estate.high, estate.cells_a[1], birth_date=dt.date(2009, 1, 1))
    order(young, "letter_ban")
    mother = contact(young, visitor("Mor", facility=estate.high), "parent")
    friend = contact(young, visitor("Venn", facility=estate.high), "friend")
    assert actions(log(users, young, contact=mother)) == ["inspect", "pass", "withhold", "return"]
    assert actions(log(users, young, contact=friend)) == ["withhold", "return"]


def test_letters_police_go_to_the_police_first(ep, users):
    order(ep, "letters_police")
    item = log(users, ep, direction="out")
    assert actions(item) == ["police", "withhold", "return"]
    with pytest.raises(Conflict, match="police"):
        handle(users, item, "send")
    handle(users, item, "police")
    assert actions(item) == ["send", "withhold", "return"]
    assert handle(users, item, "send").status == MailStatus.SENT


def test_log_refusals_and_nothing_saved(ep, users, estate):
    with pytest.raises(DomainError) as err:
        log(users, ep, counterpart=" ")
    assert err.value.field == "counterpart"
    with pytest.raises(DomainError):
        log(users, ep, direction="sideways")
    other = admitted(users, estate.high, estate.cells_b[0])
    stranger = contact(other, visitor("Annen", facility=estate.high))
    with pytest.raises(DomainError, match="approved contact"):
        log(users, ep, contact=stranger)
    assert not MailItem.objects.exists()


def test_caseload_and_caps(ep, users, estate):
    out_of_unit = admitted(users, estate.high, estate.cells_b[0])
    with pytest.raises(NotFound):
        log(users, out_of_unit)  # the officer works in unit A
    with pytest.raises(PermissionDenied):
        mail.mail_log(
            actor=users["health"], episode=ep, direction="in", kind="letter", counterpart="x"
        )
    item = log(users, ep)
    with pytest.raises(NotFound):
        mail.mail_handle(actor=users["lower_case_manager"], item=item, action="inspect")
    assert MailItem.objects.get(pk=item.pk).status == MailStatus.LOGGED


def test_facility_mail_filters(ep, users):
    a = log(users, ep)
    b = log(users, ep)
    handle(users, b, "inspect")
    handle(users, b, "deliver")
    _s, _e, rows = mail.facility_mail(actor=users["case_manager"], status="to_handle")
    assert [i.pk for i in rows] == [a.pk]
    _s, _e, rows = mail.facility_mail(actor=users["case_manager"], period="week")
    assert {i.pk for i in rows} == {a.pk, b.pk}
    with pytest.raises(DomainError):
        mail.facility_mail(actor=users["case_manager"], status="lost")
