"""The family portal's services and selectors: registration, contact requests with the children
who come along, holds and bookings, notices. The rules themselves live in family contact
(``normalitet.contact.contacts`` and ``normalitet.contact.visits``); this module only adds what
is the portal's own and makes sure a visitor only ever reaches their own records: anything else
is NotFound, the same as a missing record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from normalitet.audit.services import record_change
from normalitet.contact import contacts, visits
from normalitet.contact.access import visitor_of
from normalitet.contact.domain.rules import VISIT_RULES, age_on, in_force
from normalitet.contact.models import (
    PRIVILEGED,
    TAKES_PLACE,
    BookingStatus,
    Contact,
    ContactStatus,
    Notice,
    Relationship,
    RoomKind,
    VisitBooking,
    Visitor,
)
from normalitet.core import clock
from normalitet.core.errors import Conflict, DomainError, NotFound
from normalitet.custody.models import CustodyEpisode
from normalitet.identity.roles import Role

ADULT_AGE = 18
LANGUAGES = ("nb", "en")
# The relationships a visitor may ask for: lawyers and official bodies are registered by staff.
ASKABLE = [(value, label) for value, label in Relationship.choices if value not in PRIVILEGED]


# --- Registration -------------------------------------------------------------------------------


def _email(value: str) -> str:
    address = (value or "").strip().lower()
    if not address:
        raise DomainError(_("Give your email address."), field="email")
    try:
        validate_email(address)
    except ValidationError as exc:
        raise DomainError(_("Give a valid email address."), field="email") from exc
    return address


def visitor_register(
    *,
    given_names: str,
    family_name: str,
    birth_date: dt.date,
    email: str,
    phone: str,
    password: str,
    password_again: str,
    preferred_language: str,
) -> Visitor:
    """A visitor registers in the family portal: a user with the role ``visitor`` (the email,
    in lower case, is the username) and their visitor record, in one transaction. Only adults
    register; children are added by the adult who brings them, or by staff."""
    address = _email(email)
    if age_on(birth_date, clock.today()) < ADULT_AGE:
        raise DomainError(
            _(
                "You must be 18 or older to register. Children are added by the adult who "
                "brings them to the visit."
            ),
            field="birth_date",
        )
    fields = contacts.visitor_fields(
        given_names=given_names,
        family_name=family_name,
        birth_date=birth_date,
        phone=phone,
        email=address,
    )
    if not fields["phone"]:
        raise DomainError(_("Give your phone number."), field="phone")
    if preferred_language not in LANGUAGES:
        raise DomainError(_("Choose a language from the list."), field="preferred_language")
    User = get_user_model()
    taken = Q(username__iexact=address) | Q(email__iexact=address)
    if User.objects.filter(taken).exists():
        raise Conflict(
            _("This email address is already registered. Log in instead."), field="email"
        )
    user = User(
        username=address,
        email=address,
        first_name=fields["given_names"],
        last_name=fields["family_name"],
        role=Role.VISITOR,
        preferred_language=preferred_language,
    )
    if password != password_again:
        raise DomainError(_("The two passwords are not the same."), field="password_again")
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from exc
    user.set_password(password)
    with transaction.atomic():
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as exc:
            raise Conflict(
                _("This email address is already registered. Log in instead."), field="email"
            ) from exc
        visitor = Visitor.objects.create(user=user, **fields)
        record_change(actor=user, action="visitor.register", obj=visitor)
    return visitor


# --- Reading one's own records ------------------------------------------------------------------


def own_contacts(visitor: Visitor) -> QuerySet[Contact]:
    """The visitor's relationships and those of the children they added (requested, approved
    or refused)."""
    shown = Q(status__in=contacts.LIVE) | Q(status=ContactStatus.REFUSED)
    return (
        Contact.objects.filter(Q(visitor=visitor) | Q(visitor__registered_by=visitor))
        .filter(shown)
        .select_related("person", "visitor")
        .order_by("person__family_name", "visitor__birth_date", "pk")
    )


def open_episode(person_id: int) -> CustodyEpisode | None:
    return (
        CustodyEpisode.objects.filter(person_id=person_id, released_at__isnull=True)
        .select_related("person", "facility", "unit")
        .first()
    )


def facilities_of(person_ids: Sequence[int]) -> dict[int, str]:
    """The facility each person is now in, by person id (one query)."""
    rows = CustodyEpisode.objects.filter(
        person_id__in=list(person_ids), released_at__isnull=True
    ).values_list("person_id", "facility__name")
    return dict(rows)


def ensure_contact(*, visitor: Visitor, contact_id: int) -> Contact:
    """The visitor's own contact (any status), else NotFound."""
    found = Contact.objects.filter(pk=contact_id, visitor=visitor).select_related("person").first()
    if found is None:
        raise NotFound(_("No such contact."))
    return found


def own_bookings(visitor: Visitor) -> QuerySet[VisitBooking]:
    """The bookings the visitor is among the visitors of."""
    return (
        VisitBooking.objects.filter(visitors__visitor=visitor)
        .select_related("room", "facility")
        .prefetch_related("visitors__visitor")
        .distinct()
    )


def ensure_booking(*, visitor: Visitor, booking_id: int) -> VisitBooking:
    found = own_bookings(visitor).filter(pk=booking_id).first()
    if found is None:
        raise NotFound(_("No such visit."))
    return found


def hold_lapsed(booking: VisitBooking, now: dt.datetime | None = None) -> bool:
    return (
        booking.status == BookingStatus.HELD
        and booking.hold_expires_at is not None
        and booking.hold_expires_at <= (now or clock.now())
    )


def is_coming(booking: VisitBooking, now: dt.datetime | None = None) -> bool:
    """Still to come: it takes its place (not a lapsed hold) and has not ended."""
    now = now or clock.now()
    return booking.status in TAKES_PLACE and booking.ends_at > now and not hold_lapsed(booking, now)


def status_label(booking: VisitBooking) -> str:
    if hold_lapsed(booking):
        return _("The hold ran out")
    return str(booking.get_status_display())


def bookings_split(visitor: Visitor) -> tuple[list[VisitBooking], list[VisitBooking]]:
    """The visitor's bookings still to come (soonest first) and the others (latest first)."""
    now = clock.now()
    rows = list(own_bookings(visitor).order_by("starts_at", "pk"))
    coming = [b for b in rows if is_coming(b, now)]
    earlier = [b for b in reversed(rows) if not is_coming(b, now)]
    return coming, earlier


def own_notices(visitor: Visitor) -> list[Notice]:
    """Unread notices first, then the rest; newest first within each."""
    rows = list(Notice.objects.filter(visitor=visitor).order_by("-created_at", "-id"))
    return sorted(rows, key=lambda n: n.read_at is not None)


def ensure_notice(*, visitor: Visitor, notice_id: int) -> Notice:
    found = Notice.objects.filter(pk=notice_id, visitor=visitor).first()
    if found is None:
        raise NotFound(_("No such notice."))
    return found


def notice_read(*, actor: Any, notice: Notice) -> Notice:
    """The visitor opened the notice: it is read (once; the first time counts)."""
    if visitor_of(actor).pk != notice.visitor_id:
        raise NotFound(_("No such notice."))
    if notice.read_at is None:
        notice.read_at = clock.now()
        notice.save(update_fields=["read_at"])
    return notice


# --- Asking to be a contact, with the children who come along -----------------------------------


@dataclass(frozen=True)
class ChildIn:
    given_names: str
    family_name: str
    birth_date: dt.date
    relationship: str


def _child(*, adult: Visitor, child: ChildIn, index: int) -> Visitor:
    """The visitor record of a child the adult brings: the one they added before with the same
    name and date of birth, else a new one (without a login)."""
    prefix = f"children.{index}."
    try:
        fields = contacts.visitor_fields(
            given_names=child.given_names,
            family_name=child.family_name,
            birth_date=child.birth_date,
        )
    except DomainError as exc:
        raise DomainError(exc.message, field=prefix + (exc.field or "given_names")) from exc
    if age_on(child.birth_date, clock.today()) >= ADULT_AGE:
        raise DomainError(
            _("%(name)s is 18 or older and registers in the portal themselves.")
            % {"name": f"{fields['given_names']} {fields['family_name']}"},
            field=prefix + "birth_date",
        )
    found = Visitor.objects.filter(
        registered_by=adult,
        given_names__iexact=fields["given_names"],
        family_name__iexact=fields["family_name"],
        birth_date=child.birth_date,
    ).first()
    if found is not None:
        return found
    made = Visitor.objects.create(registered_by=adult, **fields)
    record_change(actor=adult.user, action="visitor.register_child", obj=made)
    return made


def contact_request(
    *,
    actor: Any,
    person_number: str,
    person_birth_date: dt.date,
    relationship: str,
    note: str = "",
    children: Sequence[ChildIn] = (),
) -> list[Contact]:
    """The visitor asks to be a contact of the person they name by person number and date of
    birth, for themselves and for the children under 18 who come with them (each child with
    their own relationship to the person). One transaction: all requests, or none.

    Where the visitor is already a contact (or has asked), only the children are asked for."""
    visitor = visitor_of(actor)
    relationship = contacts.askable_relationship(relationship, "relationship")
    for i, child in enumerate(children):
        contacts.askable_relationship(child.relationship, f"children.{i}.relationship")
    try:
        episode = contacts.find_person_in_custody(
            person_number=person_number, birth_date=person_birth_date
        )
    except NotFound as exc:
        raise DomainError(exc.message, field="person_number") from exc
    made: list[Contact] = []
    with transaction.atomic():
        already = Contact.objects.filter(
            person_id=episode.person_id, visitor=visitor, status__in=contacts.LIVE
        ).exists()
        if already and not children:
            raise Conflict(_("You have already asked to be, or are, a contact of this person."))
        if not already:
            made.append(
                contacts.contact_request(
                    actor=actor,
                    visitor=visitor,
                    episode=episode,
                    relationship=relationship,
                    note=note,
                )
            )
        for i, child in enumerate(children):
            kid = _child(adult=visitor, child=child, index=i)
            try:
                made.append(
                    contacts.contact_request(
                        actor=actor,
                        visitor=kid,
                        episode=episode,
                        relationship=child.relationship,
                        note=note,
                    )
                )
            except Conflict as exc:
                raise Conflict(
                    _("%(name)s is already a contact of this person, or has asked to be.")
                    % {"name": kid.full_name},
                    field=f"children.{i}.given_names",
                ) from exc
    return made


def police_check_note() -> str:
    weeks = in_force(VISIT_RULES, clock.today()).police_check_weeks
    age = in_force(VISIT_RULES, clock.today()).police_check_from_age
    return _(
        "The prison will answer your request. Visitors aged %(age)s or older may need a police "
        "check first, which can take up to %(weeks)s weeks."
    ) % {"age": age, "weeks": weeks}


# --- Booking ------------------------------------------------------------------------------------


def bookable_episode(*, contact: Contact) -> CustodyEpisode:
    """The open custody episode of the person of the visitor's own contact
    (:func:`ensure_contact`), if the contact is approved; else why not."""
    if contact.status != ContactStatus.APPROVED:
        raise DomainError(
            _("You can book visits when the prison has approved you as a contact."),
            field="contact",
        )
    episode = open_episode(contact.person_id)
    if episode is None:
        raise DomainError(_("The person is no longer in custody."), field="contact")
    return episode


def companions(*, visitor: Visitor, contact: Contact) -> QuerySet[Contact]:
    """The approved contacts of the same person who are children the visitor registered."""
    return (
        Contact.objects.filter(
            person_id=contact.person_id,
            status=ContactStatus.APPROVED,
            visitor__registered_by=visitor,
        )
        .select_related("visitor")
        .order_by("visitor__birth_date", "pk")
    )


@dataclass(frozen=True)
class Day:
    day: dt.date
    slots: list[visits.Slot]


def portal_slots(*, episode: CustodyEpisode) -> list[Day]:
    """The free sessions of the person's facility that the portal may book, grouped by day:
    open online, not a lawyer's room, inside the booking window."""
    today = clock.today()
    rules = in_force(VISIT_RULES, today)
    kinds = [k for k in RoomKind.values if k != RoomKind.LAWYER]
    found = visits.free_slots(
        facility_id=episode.facility_id,
        start=today,
        end=today + dt.timedelta(days=rules.book_ahead_days),
        online_only=True,
        room_kinds=kinds,
    )
    found = [s for s in found if visits.portal_window_refusal(s.starts_at) is None]
    return [Day(day, list(rows)) for day, rows in groupby(found, key=lambda s: s.day)]


def booking_hold(
    *,
    actor: Any,
    visitor: Visitor,
    contact: Contact,
    slot_key: str,
    companion_ids: Sequence[int] = (),
) -> VisitBooking:
    """Hold a place for the visitor and the children they bring (step 1 of 2). The hold lapses
    unless confirmed in time (:func:`normalitet.contact.visits.booking_confirm`).

    ``visitor`` is the actor's (``visitor_of``) and ``contact`` their own
    (:func:`ensure_contact`): the caller resolved both."""
    episode = bookable_episode(contact=contact)
    allowed = {c.pk: c for c in companions(visitor=visitor, contact=contact)}
    chosen: list[Contact] = []
    for pk in dict.fromkeys(companion_ids):
        if pk not in allowed:
            raise DomainError(_("Choose the children from the list."), field="companions")
        chosen.append(allowed[pk])
    contact.visitor = visitor
    return visits.booking_make(
        actor=actor,
        episode=episode,
        slot_key=slot_key,
        contacts=[contact, *chosen],
        via_portal=True,
    )


# The booking passed to these is the visitor's own, resolved by the caller (:func:`ensure_booking`).


def booking_confirm(*, actor: Any, booking: VisitBooking) -> VisitBooking:
    return visits.booking_confirm(actor=actor, booking=booking)


def booking_release(*, actor: Any, booking: VisitBooking) -> VisitBooking:
    """The visitor lets a hold go before confirming it."""
    if booking.status != BookingStatus.HELD:
        raise DomainError(_("Only a held visit can be released."))
    return visits.booking_cancel(
        actor=actor,
        booking=booking,
        reason=_("The visitor released the hold."),
        by_visitor=True,
    )


def booking_cancel(*, actor: Any, booking: VisitBooking, reason: str) -> VisitBooking:
    if not is_coming(booking):
        raise DomainError(_("Only a visit still to come can be cancelled."))
    return visits.booking_cancel(actor=actor, booking=booking, reason=reason, by_visitor=True)


def booking_people(booking: VisitBooking) -> list[str]:
    rows = sorted(booking.visitors.all(), key=lambda bv: bv.visitor.birth_date)
    return [bv.visitor.full_name for bv in rows]
