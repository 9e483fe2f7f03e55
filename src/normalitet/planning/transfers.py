"""Transfer cases: a proposal with its reason and the day's placement recommendation, a decision
at the level the rules require, with the appeal deadline, and the execution as a custody
movement. Also what follows any transfer or release: the contact officer allocation ends and
open cases are closed.

Who may do what:

- propose, withdraw and carry out: staff of the sending facility with ``CUSTODY_TRANSFER``;
- decide at facility level: the same;
- decide at regional level (sentences over 10 years, preventive detention, special
  high-security units): the regional office of the sending facility's region
  (``TRANSFER_DECIDE_REGIONAL``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.dispatch import receiver
from django.utils.translation import gettext as _

from normalitet.audit.services import record_change
from normalitet.core import clock
from normalitet.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from normalitet.core.validation import ensure_open
from normalitet.custody import services as custody_services
from normalitet.custody import signals
from normalitet.custody.caseload import ensure_person_in_caseload, open_episodes_in_caseload
from normalitet.custody.models import CustodyEpisode
from normalitet.estate.models import Facility
from normalitet.identity.policies import can, ensure_cap
from normalitet.identity.roles import Cap

from .domain import placement as rules
from .models import (
    OPEN_TRANSFER,
    AllocationReason,
    ContactOfficerAllocation,
    DecisionLevel,
    TransferCase,
    TransferReason,
    TransferStatus,
)
from .placement import Placement, placement_for, reasons_json


def _sending_staff(actor: Any, case: TransferCase) -> bool:
    return can(actor, Cap.CUSTODY_TRANSFER) and actor.facility_id == case.from_facility_id


def _regional(actor: Any, case: TransferCase) -> bool:
    return (
        can(actor, Cap.TRANSFER_DECIDE_REGIONAL)
        and case.decision_level == DecisionLevel.REGIONAL
        and actor.region_id is not None
        and actor.region_id == case.from_facility.region_id
    )


def may_decide(actor: Any, case: TransferCase) -> bool:
    if case.status != TransferStatus.PROPOSED:
        return False
    if case.decision_level == DecisionLevel.REGIONAL:
        return _regional(actor, case)
    return _sending_staff(actor, case)


def may_execute(actor: Any, case: TransferCase) -> bool:
    return case.status == TransferStatus.GRANTED and _sending_staff(actor, case)


def may_withdraw(actor: Any, case: TransferCase) -> bool:
    return case.is_open and _sending_staff(actor, case)


def cases_for(actor: Any) -> QuerySet[TransferCase]:
    """The transfer cases the actor may open: those of persons in their caseload, and for a
    regional office the cases its region decides."""
    qs = TransferCase.objects.select_related(
        "person", "from_facility__region", "to_facility", "proposed_by", "decided_by"
    )
    if can(actor, Cap.TRANSFER_DECIDE_REGIONAL) and actor.region_id:
        return qs.filter(
            decision_level=DecisionLevel.REGIONAL, from_facility__region_id=actor.region_id
        )
    if can(actor, Cap.PLAN_VIEW) and actor.facility_id:
        mine = Q(episode__in=open_episodes_in_caseload(actor))
        if can(actor, Cap.CUSTODY_TRANSFER):
            # The sending facility keeps its cases after the person has left.
            mine |= Q(from_facility_id=actor.facility_id)
        return qs.filter(mine)
    return qs.none()


def listed_cases(actor: Any, *, open_only: bool = True) -> list[TransferCase]:
    """The cases the actor may see, the oldest first: only the open ones (proposed or granted,
    the queue of a facility or of a regional office) unless ``open_only`` is false."""
    if not (can(actor, Cap.PLAN_VIEW) or can(actor, Cap.TRANSFER_DECIDE_REGIONAL)):
        raise NotFound(_("No such transfer case."))
    cases = cases_for(actor)
    if open_only:
        cases = cases.filter(status__in=OPEN_TRANSFER)
    return list(cases.order_by("proposed_at", "id")[:500])


def case_for(actor: Any, case_id: int) -> TransferCase:
    case = cases_for(actor).filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("No such transfer case."))
    return case


def transfer_propose(
    *,
    actor: Any,
    episode: CustodyEpisode,
    to_facility: Facility,
    reason: str,
    justification: str,
    placement: Placement | None = None,
) -> TransferCase:
    """Propose a transfer. The placement recommendation of the day is kept with the case, and
    the level that must decide is fixed by the rules. ``placement``: the episode's
    recommendation when the caller has made it already in this request."""
    ensure_cap(actor, Cap.CUSTODY_TRANSFER)
    ensure_person_in_caseload(actor, episode.person_id)
    justification = (justification or "").strip()
    ensure_open(episode)
    if reason not in TransferReason.values:
        raise DomainError(_("Choose the reason for the transfer."), field="reason")
    if not justification:
        raise DomainError(
            _("Give the justification: why this facility, for this person, now."),
            field="justification",
        )
    custody_services.ensure_transfer_target(episode, to_facility)
    if TransferCase.objects.filter(episode=episode, status__in=OPEN_TRANSFER).exists():
        raise Conflict(_("The person already has an open transfer case."), field="to_facility")
    placement = placement or placement_for(episode=episode)
    chosen = placement.recommendation.ranked_for(to_facility.pk)
    if chosen is not None and chosen.option.keep_apart:
        raise Conflict(
            _("The person must be kept apart from someone held in that facility."),
            field="to_facility",
            rule="non-association",
        )
    snapshot = {
        "level": placement.recommendation.level,
        "to_level": to_facility.security_level,
        "follows_recommendation": to_facility.security_level == placement.recommendation.level,
        "reasons": reasons_json(placement.recommendation.reasons),
        "facility_reasons": reasons_json(chosen.reasons) if chosen else [],
        "decision": reasons_json([placement.decision_reason]),
    }
    with transaction.atomic():
        try:
            case = TransferCase.objects.create(
                episode=episode,
                person_id=episode.person_id,
                from_facility_id=episode.facility_id,
                to_facility=to_facility,
                reason=reason,
                justification=justification,
                recommendation=snapshot,
                decision_level=placement.decision_level,
                decision_level_rule=placement.decision_reason.rule,
                proposed_at=clock.now(),
                proposed_by=actor,
            )
        except IntegrityError as exc:  # a concurrent proposal won
            raise Conflict(
                _("The person already has an open transfer case."), field="to_facility"
            ) from exc
        record_change(
            actor=actor,
            action="planning.transfer_proposed",
            obj=case,
            person_id=episode.person_id,
            data={"to": to_facility.code, "level": case.decision_level},
        )
    return case


def transfer_decide(*, actor: Any, case: TransferCase, granted: bool, reasons: str) -> TransferCase:
    """Grant or refuse a proposed transfer. The decision states the appeal deadline: 7 days
    from the day it is made known (SGL § 7 e), to be appealed to the level above."""
    reasons = (reasons or "").strip()
    with transaction.atomic():
        case = (
            TransferCase.objects.select_for_update().select_related("from_facility").get(pk=case.pk)
        )
        if case.status != TransferStatus.PROPOSED:
            raise Conflict(_("The case has already been decided or withdrawn."))
        if not may_decide(actor, case):
            if case.decision_level == DecisionLevel.REGIONAL:
                raise PermissionDenied(_("The regional office decides this transfer."))
            raise PermissionDenied(_("You may not decide this transfer."))
        if not reasons:
            raise DomainError(_("Give the reasons for the decision."), field="reasons")
        now = clock.now()
        deadline, rule = rules.appeal_deadline(clock.today())
        case.status = TransferStatus.GRANTED if granted else TransferStatus.REFUSED
        case.decided_at = now
        case.decided_by = actor
        case.decision_reason = reasons
        case.appeal_deadline = deadline
        case.appeal_days = rule.value
        case.appeal_rule = rule.source
        case.save()
        record_change(
            actor=actor,
            action="planning.transfer_decided",
            obj=case,
            person_id=case.person_id,
            data={"status": case.status, "appeal_deadline": deadline.isoformat()},
        )
    return case


def transfer_execute(*, actor: Any, case: TransferCase) -> TransferCase:
    """Carry out a granted transfer: the custody movement to the receiving facility. The
    contact officer allocation ends and the case is marked carried out (see ``_on_transfer``)."""
    if not may_execute(actor, case):
        if case.status != TransferStatus.GRANTED:
            raise Conflict(_("Only a granted transfer can be carried out."))
        raise PermissionDenied(_("You may not carry out this transfer."))
    episode = CustodyEpisode.objects.get(pk=case.episode_id)
    custody_services.transfer(
        actor=actor,
        episode=episode,
        to_facility=case.to_facility,
        reason=_("Transfer decision %(id)s: %(reason)s")
        % {"id": case.pk, "reason": case.get_reason_display()},
    )
    return TransferCase.objects.get(pk=case.pk)


def transfer_withdraw(*, actor: Any, case: TransferCase, note: str) -> TransferCase:
    note = (note or "").strip()
    if not may_withdraw(actor, case):
        if not case.is_open:
            raise Conflict(_("The case is closed."))
        raise PermissionDenied(_("You may not withdraw this transfer case."))
    if not note:
        raise DomainError(_("Say why the case is withdrawn."), field="note")
    with transaction.atomic():
        case = TransferCase.objects.select_for_update().get(pk=case.pk)
        if not case.is_open:
            raise Conflict(_("The case is closed."))
        case.status = TransferStatus.WITHDRAWN
        case.closed_note = note
        case.save(update_fields=["status", "closed_note"])
        record_change(
            actor=actor,
            action="planning.transfer_withdrawn",
            obj=case,
            person_id=case.person_id,
            data={"note": note},
        )
    return case


def _end_allocation(episode: CustodyEpisode, actor: Any, at: dt.datetime, reason: str) -> None:
    open_allocation = ContactOfficerAllocation.objects.filter(
        episode_id=episode.pk, ended_at__isnull=True
    ).first()
    if open_allocation is not None:
        open_allocation.ended_at = at
        open_allocation.end_reason = reason
        open_allocation.save(update_fields=["ended_at", "end_reason"])
        record_change(
            actor=actor,
            action="planning.contact_officer_ended",
            obj=open_allocation,
            person_id=episode.person_id,
            data={"reason": reason},
        )


def _close_open_cases(
    episode: CustodyEpisode, actor: Any, at: dt.datetime, *, note: str, moved: bool
) -> None:
    """After the person has moved (``moved``) or left: a granted case to where they now are
    is carried out; every other open case is withdrawn with ``note``."""
    for case in TransferCase.objects.select_for_update().filter(
        episode_id=episode.pk, status__in=OPEN_TRANSFER
    ):
        done = (
            moved
            and case.status == TransferStatus.GRANTED
            and case.to_facility_id == episode.facility_id
        )
        if done:
            case.status, case.executed_at, case.executed_by = TransferStatus.EXECUTED, at, actor
        else:
            case.status, case.closed_note = TransferStatus.WITHDRAWN, note
        case.save()
        record_change(
            actor=actor,
            action="planning.transfer_executed" if done else "planning.transfer_withdrawn",
            obj=case,
            person_id=episode.person_id,
            data={},
        )


@receiver(signals.transferred, dispatch_uid="planning.on_transfer")
def _on_transfer(
    sender: Any, episode: CustodyEpisode, actor: Any, at: dt.datetime, **kwargs: Any
) -> None:
    """After any transfer: the contact officer of the sending facility stops following the
    person, a granted case to this facility is carried out, and other open cases are
    withdrawn."""
    _end_allocation(episode, actor, at, AllocationReason.TRANSFERRED)
    _close_open_cases(
        episode, actor, at, note=_("Transferred elsewhere by a direct movement."), moved=True
    )


@receiver(signals.released, dispatch_uid="planning.on_release")
def _on_release(
    sender: Any, episode: CustodyEpisode, actor: Any, at: dt.datetime, **kwargs: Any
) -> None:
    _end_allocation(episode, actor, at, AllocationReason.RELEASED)
    _close_open_cases(episode, actor, at, note=_("The person was released."), moved=False)
