"""Approved contacts (SGL § 31; SGF § 3-28; RULES.md § 8): visitors, their relationship to a
person in custody, the visitor list and police checks.

- Staff with ``CONTACT_EDIT`` add contacts (approved at once), decide requests from the family
  portal, keep the visitor list and record police checks and their answers.
- A visitor asks in the family portal to be a contact of a person, naming them by the person
  number and date of birth the person gave them (so nobody learns who is in custody by
  guessing names). The request waits for staff.
- The visitor list holds at most ``visitor_list_max`` entries; the closest family (partner,
  children, parents, siblings) together count as one entry. Lawyers and official bodies are
  never on it: they visit by right. The list may be changed at any time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from normalitet.audit.services import record_change
from normalitet.core import clock
from normalitet.core.errors import Conflict, DomainError, NotFound
from normalitet.core.validation import ensure_open, text
from normalitet.custody.models import CustodyEpisode
from normalitet.estate.models import Facility
from normalitet.identity.policies import ensure_cap
from normalitet.identity.roles import Cap
from normalitet.people.identity_numbers import clean_national_id

from .domain.rules import VISIT_RULES, in_force, police_check_expiry, police_check_needed
from .models import (
    CLOSEST_FAMILY,
    PRIVILEGED,
    BookingStatus,
    Contact,
    ContactStatus,
    NoticeKind,
    PoliceCheck,
    PoliceCheckStatus,
    Relationship,
    VisitBooking,
    Visitor,
)
from .visits import CheckState as CheckState
from .visits import cancel_with_notice, language_of, notify_visitor
from .visits import check_states as check_states

LIVE = (ContactStatus.REQUESTED, ContactStatus.APPROVED)


# --- Visitors -----------------------------------------------------------------------------------


def visitor_fields(
    *,
    given_names: str,
    family_name: str,
    birth_date: dt.date,
    national_id: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
    organisation: str = "",
) -> dict[str, Any]:
    """The visitor's details checked: names given, a date of birth not in the future, a valid
    identity number where one is given."""
    if birth_date > clock.today():
        raise DomainError(_("The date of birth cannot be in the future."), field="birth_date")
    if birth_date < dt.date(1900, 1, 1):
        raise DomainError(_("Give a real date of birth."), field="birth_date")
    return {
        "given_names": text(given_names, "given_names", _("Give the given names."), 120),
        "family_name": text(family_name, "family_name", _("Give the family name."), 120),
        "birth_date": birth_date,
        "national_id": clean_national_id(national_id, birth_date=birth_date),
        "phone": text(phone, "phone", None, 30),
        "email": text(email, "email", None, 254),
        "address": text(address, "address", None, 255),
        "organisation": text(organisation, "organisation", None, 200),
    }


def visitor_create(*, actor: Any, **fields: Any) -> Visitor:
    """A visitor recorded by staff (who may never log in: a lawyer, a small child)."""
    ensure_cap(actor, Cap.CONTACT_EDIT)
    with transaction.atomic():
        visitor = Visitor.objects.create(**visitor_fields(**fields))
        record_change(actor=actor, action="visitor.create", obj=visitor)
    return visitor


def visitor_update(*, actor: Any, visitor: Visitor, **fields: Any) -> Visitor:
    """Staff correct a visitor's details; a visitor corrects their own in the portal."""
    cleaned = visitor_fields(**fields)
    with transaction.atomic():
        for name, value in cleaned.items():
            setattr(visitor, name, value)
        visitor.save()
        record_change(actor=actor, action="visitor.update", obj=visitor)
    return visitor


# --- Contacts -----------------------------------------------------------------------------------


def _relationship(value: str, field: str = "relationship") -> str:
    if value not in Relationship.values:
        raise DomainError(_("Choose the relationship from the list."), field=field)
    return value


def askable_relationship(value: str, field: str = "relationship") -> str:
    """A relationship a visitor may ask for in the family portal: one from the list, and not a
    lawyer or an official body (the prison registers those)."""
    value = _relationship(value, field)
    if value in PRIVILEGED:
        raise DomainError(
            _("Lawyers and official bodies are registered by the prison. Call the prison."),
            field=field,
        )
    return value


def contacts_of(person_id: int) -> QuerySet[Contact]:
    return (
        Contact.objects.filter(person_id=person_id)
        .select_related("visitor", "decided_by")
        .order_by("status", "visitor__family_name", "visitor__given_names")
    )


def contact_add(
    *,
    actor: Any,
    episode: CustodyEpisode,
    visitor: Visitor,
    relationship: str,
    on_visitor_list: bool = False,
    note: str = "",
) -> Contact:
    """Staff add a contact for a person in their caseload; it is approved at once."""
    ensure_cap(actor, Cap.CONTACT_EDIT)
    ensure_open(episode)
    relationship = _relationship(relationship)
    note = text(note, "note", None, 500)
    with transaction.atomic():
        try:
            with transaction.atomic():
                contact = Contact.objects.create(
                    person_id=episode.person_id,
                    visitor=visitor,
                    relationship=relationship,
                    status=ContactStatus.APPROVED,
                    note=note,
                    decided_by=actor,
                    decided_at=clock.now(),
                )
        except IntegrityError as exc:
            raise Conflict(
                _("%(name)s is already a contact of this person.") % {"name": visitor.full_name},
                field="visitor",
            ) from exc
        record_change(
            actor=actor,
            action="contact.add",
            obj=contact,
            person_id=contact.person_id,
            data={"relationship": relationship},
        )
        if on_visitor_list:
            _set_list(actor=actor, contact=contact, on=True)
    return contact


def find_person_in_custody(*, person_number: str, birth_date: dt.date) -> CustodyEpisode:
    """The open episode of the person a visitor names by person number and date of birth."""
    episode = (
        CustodyEpisode.objects.filter(
            released_at__isnull=True,
            person__person_number=person_number.strip().upper(),
            person__birth_date=birth_date,
        )
        .select_related("person", "facility")
        .first()
    )
    if episode is None:
        raise NotFound(
            _(
                "No person in custody has this person number and date of birth. Ask the "
                "person for the number on their papers."
            )
        )
    return episode


def contact_request(
    *, actor: Any, visitor: Visitor, episode: CustodyEpisode, relationship: str, note: str = ""
) -> Contact:
    """A visitor asks to be a contact of a person; staff decide (:func:`contact_decide`)."""
    ensure_cap(actor, Cap.VISITOR_PORTAL)
    ensure_open(episode)
    relationship = askable_relationship(relationship)
    note = text(note, "note", None, 500)
    with transaction.atomic():
        try:
            with transaction.atomic():
                contact = Contact.objects.create(
                    person_id=episode.person_id,
                    visitor=visitor,
                    relationship=relationship,
                    status=ContactStatus.REQUESTED,
                    note=note,
                    requested_via_portal=True,
                )
        except IntegrityError as exc:
            raise Conflict(
                _("You have already asked to be, or are, a contact of this person.")
            ) from exc
        record_change(
            actor=actor, action="contact.request", obj=contact, person_id=contact.person_id
        )
    return contact


def contact_decide(*, actor: Any, contact: Contact, approve: bool, reason: str = "") -> Contact:
    """Approve or refuse a contact request; a refusal gives its reason. The visitor is told."""
    ensure_cap(actor, Cap.CONTACT_EDIT)
    reason = text(reason, "reason", None if approve else _("Give the reason."), 500)
    with transaction.atomic():
        contact = (
            Contact.objects.select_for_update(of=("self",))
            .select_related("visitor__user")
            .get(pk=contact.pk)
        )
        if contact.status != ContactStatus.REQUESTED:
            raise DomainError(_("Only a request can be decided."))
        contact.status = ContactStatus.APPROVED if approve else ContactStatus.REFUSED
        contact.decided_by = actor
        contact.decided_at = clock.now()
        contact.decision_reason = reason
        contact.save()
        record_change(
            actor=actor,
            action="contact.approve" if approve else "contact.refuse",
            obj=contact,
            person_id=contact.person_id,
            reason=reason,
        )
        visitor = contact.visitor
        with translation.override(language_of(visitor)):
            if approve:
                subject = _("You are now an approved contact")
                body = _(
                    "The prison approved you as a contact. You can book visits in the portal "
                    "when you are on the visitor list and, from age 15, the police check is "
                    "cleared."
                )
            else:
                subject = _("Your contact request was refused")
                body = _("The prison refused your request. Reason: %(reason)s") % {"reason": reason}
        notify_visitor(visitor, kind=NoticeKind.CONTACT_DECIDED, subject=subject, body=body)
    return contact


def contact_end(*, actor: Any, contact: Contact, reason: str) -> Contact:
    """End a contact; visits with them still to come are cancelled, with notice."""
    ensure_cap(actor, Cap.CONTACT_EDIT)
    reason = text(reason, "reason", _("Give the reason."), 500)
    with transaction.atomic():
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        if contact.status not in LIVE:
            raise DomainError(_("The contact has already ended."))
        contact.status = ContactStatus.ENDED
        contact.on_visitor_list = False
        contact.decision_reason = reason
        contact.save()
        record_change(
            actor=actor,
            action="contact.end",
            obj=contact,
            person_id=contact.person_id,
            reason=reason,
        )
        upcoming = VisitBooking.objects.filter(
            status__in=(BookingStatus.HELD, BookingStatus.CONFIRMED, BookingStatus.FLAGGED),
            starts_at__gt=clock.now(),
            visitors__contact=contact,
        ).select_for_update()
        cancel_with_notice(actor=actor, bookings=upcoming, reason=_("The contact was ended."))
    return contact


# --- The visitor list ---------------------------------------------------------------------------


def list_entries(contacts: list[Contact]) -> int:
    """Entries the listed contacts take: the closest family together count as one."""
    listed = [c for c in contacts if c.on_visitor_list and c.relationship not in PRIVILEGED]
    family = any(c.relationship in CLOSEST_FAMILY for c in listed)
    others = sum(1 for c in listed if c.relationship not in CLOSEST_FAMILY)
    return others + (1 if family else 0)


def _set_list(*, actor: Any, contact: Contact, on: bool) -> None:
    if on and contact.status != ContactStatus.APPROVED:
        raise DomainError(_("Only an approved contact can be on the visitor list."))
    if on and contact.relationship in PRIVILEGED:
        raise DomainError(_("Lawyers and official bodies visit without being on the list."))
    limit = in_force(VISIT_RULES, clock.today()).visitor_list_max
    listed = list(
        Contact.objects.select_for_update()
        .filter(person_id=contact.person_id, status=ContactStatus.APPROVED)
        .exclude(pk=contact.pk)
    )
    contact.on_visitor_list = on
    if on and list_entries([*listed, contact]) > limit:
        raise Conflict(
            _(
                "The visitor list holds %(n)s entries (the closest family count as one). Take "
                "someone off the list first."
            )
            % {"n": limit},
            rule="visitor-list",
        )
    contact.save(update_fields=["on_visitor_list", "updated_at"])
    record_change(
        actor=actor,
        action="contact.list_on" if on else "contact.list_off",
        obj=contact,
        person_id=contact.person_id,
    )


def visitor_list_set(*, actor: Any, contact: Contact, on: bool) -> Contact:
    ensure_cap(actor, Cap.CONTACT_EDIT)
    with transaction.atomic():
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        _set_list(actor=actor, contact=contact, on=on)
    return contact


def supervision_waive(*, actor: Any, contact: Contact, waived: bool, reason: str) -> Contact:
    """In high security visits are supervised unless waived for the contact (SGF § 3-28)."""
    ensure_cap(actor, Cap.CONTACT_EDIT)
    reason = text(reason, "reason", _("Give the reason."), 500)
    with transaction.atomic():
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        contact.supervision_waived = waived
        contact.save(update_fields=["supervision_waived", "updated_at"])
        record_change(
            actor=actor,
            action="contact.supervision",
            obj=contact,
            person_id=contact.person_id,
            data={"waived": waived},
            reason=reason,
        )
    return contact


# --- Police checks ------------------------------------------------------------------------------


def police_check_request(
    *, actor: Any, visitor: Visitor, facility: Facility, note: str = ""
) -> PoliceCheck:
    """Ask the police to check a visitor (from age 15; allow ``police_check_weeks``)."""
    ensure_cap(actor, Cap.CONTACT_EDIT)
    today = clock.today()
    if not police_check_needed(visitor.birth_date, today):
        raise DomainError(
            _("Visitors under %(age)s are not police-checked.")
            % {"age": in_force(VISIT_RULES, today).police_check_from_age}
        )
    pending = PoliceCheck.objects.filter(visitor=visitor, status=PoliceCheckStatus.REQUESTED)
    if pending.exists():
        raise Conflict(_("A police check of this visitor is already waiting for an answer."))
    with transaction.atomic():
        check = PoliceCheck.objects.create(
            visitor=visitor,
            facility=facility,
            requested_on=today,
            requested_by=actor,
            note=text(note, "note", None, 500),
        )
        record_change(actor=actor, action="police_check.request", obj=check)
    return check


def police_check_answer(
    *, actor: Any, check: PoliceCheck, cleared: bool, answered_on: dt.date, note: str = ""
) -> PoliceCheck:
    """Record the police's answer. A clearance is valid ``police_check_valid_months``."""
    ensure_cap(actor, Cap.CONTACT_EDIT)
    if answered_on > clock.today():
        raise DomainError(_("The answer cannot be dated in the future."), field="answered_on")
    with transaction.atomic():
        check = PoliceCheck.objects.select_for_update().get(pk=check.pk)
        if check.status != PoliceCheckStatus.REQUESTED:
            raise DomainError(_("This police check is already answered."))
        if answered_on < check.requested_on:
            raise DomainError(
                _("The answer cannot be dated before the request."), field="answered_on"
            )
        check.status = PoliceCheckStatus.CLEARED if cleared else PoliceCheckStatus.REFUSED
        check.decided_on = answered_on
        check.expires_on = police_check_expiry(answered_on) if cleared else None
        check.note = text(note, "note", None, 500) or check.note
        check.save()
        record_change(
            actor=actor, action="police_check.answer", obj=check, data={"status": check.status}
        )
    return check


def police_checks_waiting(*, facility: Facility) -> QuerySet[PoliceCheck]:
    return PoliceCheck.objects.filter(
        facility=facility, status=PoliceCheckStatus.REQUESTED
    ).select_related("visitor")


def contact_requests_waiting(*, facility: Facility) -> QuerySet[Contact]:
    """Requests from the family portal for persons now in the facility."""
    in_facility = CustodyEpisode.objects.filter(released_at__isnull=True, facility=facility).values(
        "person_id"
    )
    return (
        Contact.objects.filter(status=ContactStatus.REQUESTED, person_id__in=in_facility)
        .select_related("visitor", "person")
        .order_by("created_at")
    )
