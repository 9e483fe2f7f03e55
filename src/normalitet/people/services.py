"""Writes to person records: identity, next of kin, alerts and non-associations."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from normalitet.audit.services import record_change
from normalitet.core import clock
from normalitet.core.errors import Conflict, DomainError
from normalitet.core.text import fold
from normalitet.core.validation import clean_and_save
from normalitet.identity.policies import ensure_cap
from normalitet.identity.roles import Cap

from .identity_numbers import clean_national_id
from .models import NextOfKin, NonAssociation, Person, PersonAlert

MIN_AGE_YEARS = 15  # STRL § 20: no criminal responsibility below 15


def search_name_of(given_names: str, family_name: str, preferred_name: str = "") -> str:
    return fold(" ".join(p for p in (given_names, family_name, preferred_name) if p))


def _check_birth_date(birth_date: dt.date) -> None:
    today = clock.today()
    if birth_date > today:
        raise DomainError(_("The date of birth is in the future."), field="birth_date")
    if birth_date.year < today.year - 120:
        raise DomainError(_("The date of birth is too far in the past."), field="birth_date")


def _clean_identity(
    *,
    given_names: Any,
    family_name: Any,
    birth_date: dt.date,
    national_id: str,
    nationality: str | None,
    other_than: int | None = None,
) -> tuple[str, str, str, str]:
    """The names, identity number and nationality as stored, or the first rule they break:
    names given, a plausible birth date, a valid identity number matching it and not held by
    another person (``other_than``: the person being corrected)."""
    given_names, family_name = str(given_names).strip(), str(family_name).strip()
    if not given_names:
        raise DomainError(_("Give the person's given names."), field="given_names")
    if not family_name:
        raise DomainError(_("Give the person's family name."), field="family_name")
    _check_birth_date(birth_date)
    national_id = clean_national_id(national_id, birth_date=birth_date)
    holders = Person.objects.filter(national_id=national_id)
    if other_than is not None:
        holders = holders.exclude(pk=other_than)
    if national_id and holders.exists():
        raise Conflict(
            _("A person with this identity number is already registered."), field="national_id"
        )
    return given_names, family_name, national_id, str(nationality or "NO").upper()


def person_create(
    *,
    actor: Any,
    given_names: str,
    family_name: str,
    birth_date: dt.date,
    gender: str,
    national_id: str = "",
    nationality: str = "NO",
    languages: list[str] | None = None,
    interpreter_needed: bool = False,
    preferred_name: str = "",
    audit: bool = True,
) -> Person:
    """Create a person record. The person number is given by the system."""
    ensure_cap(actor, Cap.CUSTODY_ADMIT)
    given_names, family_name, national_id, nationality = _clean_identity(
        given_names=given_names,
        family_name=family_name,
        birth_date=birth_date,
        national_id=national_id,
        nationality=nationality,
    )
    with transaction.atomic():
        person = Person(
            given_names=given_names,
            family_name=family_name,
            preferred_name=preferred_name.strip(),
            search_name=search_name_of(given_names, family_name, preferred_name),
            birth_date=birth_date,
            national_id=national_id,
            nationality=nationality,
            languages=languages or [],
            interpreter_needed=interpreter_needed,
            gender=gender,
        )
        person.person_number = f"tmp{uuid.uuid4().hex[:12]}"
        clean_and_save(person)
        person.person_number = person_number_for(person.pk)
        person.save(update_fields=["person_number"])
        if audit:
            record_change(actor=actor, action="person.create", obj=person, person_id=person.pk)
    return person


EDITABLE = (
    "given_names",
    "family_name",
    "preferred_name",
    "birth_date",
    "national_id",
    "nationality",
    "languages",
    "interpreter_needed",
    "gender",
    "home_municipality",
)


def person_update(*, actor: Any, person: Person, **changes: Any) -> Person:
    """Correct a person's identity details. The audit event names the details that changed."""
    ensure_cap(actor, Cap.PERSON_EDIT)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DomainError(_("These details cannot be changed here."), field=sorted(unknown)[0])
    new = {name: changes.get(name, getattr(person, name)) for name in EDITABLE}
    new["given_names"], new["family_name"], new["national_id"], new["nationality"] = (
        _clean_identity(
            given_names=new["given_names"],
            family_name=new["family_name"],
            birth_date=new["birth_date"],
            national_id=new["national_id"],
            nationality=new["nationality"],
            other_than=person.pk,
        )
    )
    changed = sorted(name for name, value in new.items() if getattr(person, name) != value)
    if not changed:
        return person
    with transaction.atomic():
        for name, value in new.items():
            setattr(person, name, value)
        person.search_name = search_name_of(
            person.given_names, person.family_name, person.preferred_name
        )
        clean_and_save(person)
        record_change(
            actor=actor,
            action="person.update",
            obj=person,
            person_id=person.pk,
            data={"changed": changed},
        )
    return person


def person_number_for(pk: int) -> str:
    """The service's own number for a person: stable, never reused, not an identity number."""
    return f"N{pk:07d}"


def next_of_kin_add(
    *,
    actor: Any,
    person: Person,
    name: str,
    relationship: str,
    phone: str = "",
    address: str = "",
    is_primary: bool = False,
) -> NextOfKin:
    ensure_cap(actor, Cap.PERSON_EDIT)
    with transaction.atomic():
        kin = NextOfKin(
            person=person,
            name=name.strip(),
            relationship=relationship.strip(),
            phone=phone,
            address=address,
            is_primary=is_primary,
        )
        clean_and_save(kin)
        record_change(actor=actor, action="next_of_kin.add", obj=kin, person_id=person.pk)
    return kin


def alert_add(
    *,
    actor: Any,
    person: Person,
    kind: str,
    text: str,
    active_from: dt.date,
    active_to: dt.date | None = None,
) -> PersonAlert:
    """Add an operational alert. Health information does not belong here."""
    ensure_cap(actor, Cap.PERSON_EDIT)
    if active_to and active_to < active_from:
        raise DomainError(_("The end date is before the start date."), field="active_to")
    with transaction.atomic():
        alert = PersonAlert(
            person=person,
            kind=kind,
            text=text.strip(),
            active_from=active_from,
            active_to=active_to,
            set_by=actor,
        )
        clean_and_save(alert)
        record_change(
            actor=actor, action="alert.add", obj=alert, person_id=person.pk, data={"kind": kind}
        )
    return alert


def alert_end(*, actor: Any, alert: PersonAlert, on: dt.date | None = None) -> PersonAlert:
    ensure_cap(actor, Cap.PERSON_EDIT)
    on = on or clock.today()
    if alert.active_to is not None and alert.active_to <= on:
        raise DomainError(_("The alert has already ended."))
    if on < alert.active_from:
        raise DomainError(_("The end date is before the start date."), field="active_to")
    with transaction.atomic():
        alert.active_to = on
        alert.save(update_fields=["active_to", "updated_at"])
        record_change(actor=actor, action="alert.end", obj=alert, person_id=alert.person_id)
    return alert


def non_association_add(
    *, actor: Any, person: Person, other: Person, scope: str, reason: str
) -> NonAssociation:
    """Record that two persons must be kept apart, at cell, unit or facility level."""
    ensure_cap(actor, Cap.PERSON_EDIT)
    if person.pk == other.pk:
        raise DomainError(_("A person cannot be kept apart from themselves."), field="other")
    if not reason.strip():
        raise DomainError(_("Give a reason."), field="reason")
    a, b = sorted([person, other], key=lambda p: p.pk)
    already = _("These two persons are already to be kept apart.")
    if NonAssociation.objects.filter(person_a=a, person_b=b, ended_at__isnull=True).exists():
        raise Conflict(already, field="other")
    try:
        with transaction.atomic():
            na = NonAssociation(
                person_a=a, person_b=b, scope=scope, reason=reason.strip(), created_by=actor
            )
            clean_and_save(na)
            for pid in (a.pk, b.pk):
                record_change(
                    actor=actor,
                    action="non_association.add",
                    obj=na,
                    person_id=pid,
                    data={"scope": scope},
                )
    except IntegrityError as exc:
        raise Conflict(already, field="other") from exc
    return na


def non_association_end(*, actor: Any, na: NonAssociation, reason: str) -> NonAssociation:
    ensure_cap(actor, Cap.PERSON_EDIT)
    if na.ended_at is not None:
        raise DomainError(_("It has already ended."))
    if not reason.strip():
        raise DomainError(_("Give a reason."), field="reason")
    with transaction.atomic():
        na.ended_at = clock.now()
        na.ended_reason = reason.strip()
        na.save(update_fields=["ended_at", "ended_reason", "updated_at"])
        for pid in (na.person_a_id, na.person_b_id):
            record_change(actor=actor, action="non_association.end", obj=na, person_id=pid)
    return na
