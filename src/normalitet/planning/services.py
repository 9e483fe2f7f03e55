"""Writes for the contact officer scheme and the needs mapping (SGL § 41; RULES.md § 10).

Each service is one transaction with its audit event. Allocation locks the officer so that two
allocations at once can never take them over their capacity.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from normalitet.audit.services import record_change
from normalitet.core import clock
from normalitet.core.dated import parameter_on
from normalitet.core.errors import Conflict, DomainError
from normalitet.core.validation import clean_and_save, ensure_open
from normalitet.custody import services as custody_services
from normalitet.custody.models import CustodyEpisode
from normalitet.identity.policies import ensure_cap
from normalitet.identity.roles import Cap

from . import checks
from .domain import rules
from .models import (
    AllocationReason,
    ContactOfficerAllocation,
    ContactOfficerCapacity,
    ContactSession,
    NeedsAssessment,
    NeedsDomain,
    NeedsItem,
    NeedStatus,
    SessionKind,
)


def officer_capacity(officer: Any, *, on: dt.date | None = None) -> int:
    """How many persons the officer may follow: their own setting or the service standard."""
    row = ContactOfficerCapacity.objects.filter(officer=officer).first()
    return row.max_persons if row else rules.default_capacity(on or clock.today())


def officer_load(officer: Any) -> int:
    """Persons in custody the officer is contact officer for now."""
    return CustodyEpisode.objects.filter(contact_officer=officer, released_at__isnull=True).count()


def contact_officer_allocate(
    *, actor: Any, episode: CustodyEpisode, officer: Any, reason: str, note: str = ""
) -> ContactOfficerAllocation:
    """Make ``officer`` the person's contact officer (kontaktbetjent, SGL § 41).

    Refused when the officer already follows as many persons as their capacity. The previous
    allocation ends with the same reason, so the history says why every change was made.
    """
    ensure_cap(actor, Cap.PLAN_EDIT)
    if reason not in AllocationReason.values:
        raise DomainError(_("Choose the reason for the allocation."), field="reason")
    note = note.strip()
    if reason == AllocationReason.OTHER and not note:
        raise DomainError(_("Describe the reason in the note."), field="note")
    ensure_open(episode)
    with transaction.atomic():
        # Lock order: the officer, then the episode.
        officer = get_user_model().objects.select_for_update().get(pk=officer.pk)
        episode = CustodyEpisode.objects.select_for_update().get(pk=episode.pk)
        if episode.contact_officer_id == officer.pk:
            raise DomainError(
                _("This officer is already the person's contact officer."), field="officer"
            )
        capacity = officer_capacity(officer)
        load = officer_load(officer)
        if load >= capacity:
            raise Conflict(
                _(
                    "%(name)s already follows %(load)s persons, their capacity. Choose "
                    "another contact officer or end one of their allocations first."
                )
                % {"name": officer.get_full_name() or officer.username, "load": load},
                field="officer",
                rule="contact-officer-capacity",
            )
        now = clock.now()
        previous = ContactOfficerAllocation.objects.filter(
            episode=episode, ended_at__isnull=True
        ).first()
        if previous is not None:
            previous.ended_at = now
            previous.end_reason = reason
            previous.end_note = note
            clean_and_save(previous, update_fields=["ended_at", "end_reason", "end_note"])
        custody_services.contact_officer_assign(actor=actor, episode=episode, officer=officer)
        allocation = ContactOfficerAllocation(
            episode=episode,
            person_id=episode.person_id,
            officer=officer,
            allocated_at=now,
            allocated_by=actor,
            reason=reason,
            note=note,
        )
        clean_and_save(allocation)
        record_change(
            actor=actor,
            action="planning.contact_officer_allocate",
            obj=allocation,
            person_id=episode.person_id,
            data={
                "officer": officer.username,
                "previous": previous.officer.username if previous else None,
                "reason": reason,
            },
            reason=note,
        )
    return allocation


def contact_session_record(
    *,
    actor: Any,
    episode: CustodyEpisode,
    held_on: dt.date,
    kind: str,
    note: str,
    follow_ups: str = "",
    follow_up_due: dt.date | None = None,
) -> ContactSession:
    """Record a contact session held by the actor with the person. The note is short and holds
    no health information; what is to be done next goes in ``follow_ups`` with a date."""
    ensure_cap(actor, Cap.PLAN_EDIT)
    ensure_open(episode)
    if kind not in SessionKind.values:
        raise DomainError(_("Choose the kind of session."), field="kind")
    note, follow_ups = note.strip(), follow_ups.strip()
    if not note:
        raise DomainError(_("Write a short note."), field="note")
    today = clock.today()
    if held_on > today:
        raise DomainError(_("A session cannot be in the future."), field="held_on")
    if held_on < checks.admitted_on(episode):
        raise DomainError(_("The session is before the admission."), field="held_on")
    if follow_up_due is not None and follow_up_due < held_on:
        raise DomainError(_("The follow-up date is before the session."), field="follow_up_due")
    if follow_up_due is not None and not follow_ups:
        raise DomainError(_("Say what is to be followed up."), field="follow_ups")
    with transaction.atomic():
        session = ContactSession(
            episode=episode,
            person_id=episode.person_id,
            officer=actor,
            held_on=held_on,
            kind=kind,
            note=note,
            follow_ups=follow_ups,
            follow_up_due=follow_up_due,
            recorded_at=clock.now(),
        )
        clean_and_save(session)
        record_change(
            actor=actor,
            action="planning.contact_session",
            obj=session,
            person_id=episode.person_id,
            data={"kind": kind, "held_on": held_on, "follow_up_due": follow_up_due},
        )
    return session


def needs_assessment_start(*, actor: Any, episode: CustodyEpisode) -> NeedsAssessment:
    """Open the needs mapping, one empty item per domain, due a set number of days after
    admission (SGL § 41 'soon after arrival'; the number of days is a service standard)."""
    ensure_cap(actor, Cap.PLAN_EDIT)
    ensure_open(episode)
    admitted_on = checks.admitted_on(episode)
    rule = parameter_on(rules.NEEDS_MAPPING_DEADLINE_DAYS, admitted_on)
    with transaction.atomic():
        assessment, created = NeedsAssessment.objects.get_or_create(
            episode=episode,
            defaults={
                "person_id": episode.person_id,
                "due_on": rules.needs_mapping_due(admitted_on),
                "rule": f"{rule.value} days; {rule.source}",
                "started_at": clock.now(),
                "started_by": actor,
            },
        )
        if not created:
            return assessment
        NeedsItem.objects.bulk_create(
            NeedsItem(assessment=assessment, domain=d) for d in NeedsDomain.values
        )
        record_change(
            actor=actor,
            action="planning.needs_start",
            obj=assessment,
            person_id=episode.person_id,
            data={"due_on": assessment.due_on},
        )
    return assessment


def needs_items_update(
    *, actor: Any, episode: CustodyEpisode, items: dict[str, tuple[str, str]]
) -> NeedsAssessment:
    """Set status and the person's own words per domain: ``{domain: (status, own_words)}``.
    Starts the mapping if it is not started. Only domains that changed are written."""
    ensure_cap(actor, Cap.PLAN_EDIT)
    for domain, (status, words) in items.items():
        if domain not in NeedsDomain.values:
            raise DomainError(_("Unknown domain."), field=domain)
        if status not in NeedStatus.values:
            raise DomainError(_("Choose a status."), field=domain)
        if len(words.strip()) > 1000:
            raise DomainError(_("At most 1000 characters."), field=domain)
    with transaction.atomic():
        assessment = needs_assessment_start(actor=actor, episode=episode)
        assessment = NeedsAssessment.objects.select_for_update().get(pk=assessment.pk)
        now = clock.now()
        changed: dict[str, str] = {}
        for item in assessment.items.all():
            if item.domain not in items:
                continue
            status, words = items[item.domain][0], items[item.domain][1].strip()
            if (item.status, item.own_words) == (status, words):
                continue
            if assessment.is_complete and not status:
                raise DomainError(
                    _("A completed mapping keeps a status in every domain."), field=item.domain
                )
            item.status, item.own_words = status, words
            item.updated_at, item.updated_by = now, actor
            item.save(update_fields=["status", "own_words", "updated_at", "updated_by"])
            changed[item.domain] = status
        if changed:
            # Statuses only: the person's own words stay in the record, not in the log.
            record_change(
                actor=actor,
                action="planning.needs_update",
                obj=assessment,
                person_id=episode.person_id,
                data={"status": changed},
            )
    return assessment


def needs_assessment_complete(*, actor: Any, episode: CustodyEpisode) -> NeedsAssessment:
    """Mark the needs mapping as done: every domain has a status."""
    ensure_cap(actor, Cap.PLAN_EDIT)
    with transaction.atomic():
        assessment = NeedsAssessment.objects.select_for_update().filter(episode=episode).first()
        if assessment is None:
            raise DomainError(_("The needs mapping has not been started."))
        if assessment.is_complete:
            raise DomainError(_("The needs mapping is already completed."))
        missing = [str(NeedsDomain(i.domain).label) for i in assessment.items.all() if not i.status]
        if missing:
            raise DomainError(
                _("Give a status in every domain first: %(domains)s.")
                % {"domains": ", ".join(missing)},
                rule="needs-mapping-complete",
            )
        now = clock.now()
        assessment.completed_at, assessment.completed_by = now, actor
        assessment.save(update_fields=["completed_at", "completed_by"])
        record_change(
            actor=actor,
            action="planning.needs_complete",
            obj=assessment,
            person_id=episode.person_id,
            data={"due_on": assessment.due_on, "late": clock.today() > assessment.due_on},
        )
    return assessment
