"""The planning API under /api/v1/planning/: the caseload, contact sessions, the needs mapping
and contact officer allocation. Same services and selectors as the pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from ninja import Router, Status

from normalitet.audit.services import record_access
from normalitet.core import clock
from normalitet.core.errors import DomainError, NotFound
from normalitet.core.schemas import ERRORS
from normalitet.custody.caseload import ensure_person_in_caseload
from normalitet.custody.models import CustodyEpisode
from normalitet.custody.selectors import person_episode
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap
from normalitet.people.models import Person

from . import selectors, services
from .domain import rules
from .models import ContactSession
from .schemas import (
    AllocationIn,
    AllocationOut,
    CaseloadOut,
    NeedsIn,
    NeedsOut,
    SessionIn,
    SessionOut,
)

router = Router(tags=["planning"])


def plan_person(request: AuthenticatedRequest, person_id: int) -> tuple[Person, CustodyEpisode]:
    """The person and their open episode, if in the caseload and the role sees plans; else
    the same 404 as a missing person."""
    person = ensure_person_in_caseload(request.user, person_id)
    if not can(request.user, Cap.PLAN_VIEW):
        raise NotFound("Not found.")
    episode = person_episode(person=person)
    if episode is None:
        raise NotFound("Not found.")
    return person, episode


def _deadline(d: selectors.NeedsDeadline) -> dict[str, Any]:
    return {
        "due_on": d.due_on,
        "started": d.started,
        "completed": d.completed,
        "overdue": d.overdue,
        "due_this_week": d.due_this_week,
    }


def _officer(user: Any) -> str | None:
    return user.username if user is not None else None


def _preparation(r: Any) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "expected_release": r.expected_release,
        "window_open": r.window_open,
        "referrals": r.referral_count,
        "section_41_applies": r.section_41.applies,
        "section_41_missing": list(r.section_41.missing),
        "ask_consent": r.ask_consent,
    }


@router.get("/caseload", response={200: CaseloadOut, **ERRORS})
def get_caseload(request: AuthenticatedRequest) -> Any:
    """Your persons (a contact officer's own; for other roles, the caseload) with what is due
    this week: follow-ups and the needs mapping deadline."""
    if not can(request.user, Cap.PLAN_VIEW):
        raise NotFound("Not found.")
    today = clock.today()
    rows = selectors.caseload(actor=request.user, today=today)
    return {
        "today": today,
        "week_end": rules.week_end(today),
        "persons": [
            {
                "person_id": r.episode.person_id,
                "person_number": r.episode.person.person_number,
                "given_names": r.episode.person.given_names,
                "family_name": r.episode.person.family_name,
                "unit": r.episode.unit.name if r.episode.unit else None,
                "contact_officer": _officer(r.episode.contact_officer),
                "needs_mapping": _deadline(r.needs),
                "follow_up_due": r.follow_up_due,
                "follow_ups": r.follow_ups,
                "follow_up_overdue": r.follow_up_overdue,
                "due_this_week": r.due_this_week,
                "release_preparation": _preparation(r.readiness),
            }
            for r in rows
        ],
    }


def _session_out(s: ContactSession) -> dict[str, Any]:
    return {
        "id": s.pk,
        "person_id": s.person_id,
        "officer": s.officer.username,
        "held_on": s.held_on,
        "kind": s.kind,
        "note": s.note,
        "follow_ups": s.follow_ups,
        "follow_up_due": s.follow_up_due,
    }


@router.get("/persons/{person_id}/sessions", response={200: list[SessionOut], **ERRORS})
def get_sessions(request: AuthenticatedRequest, person_id: int) -> Any:
    person, _episode = plan_person(request, person_id)
    record_access(actor=request.user, person_id=person.pk, what="person.plan", reason="api")
    return [_session_out(s) for s in selectors.person_sessions(person=person)]


@router.post("/persons/{person_id}/sessions", response={201: SessionOut, **ERRORS})
def post_session(request: AuthenticatedRequest, person_id: int, body: SessionIn) -> Any:
    _person_obj, episode = plan_person(request, person_id)
    session = services.contact_session_record(actor=request.user, episode=episode, **body.dict())
    return Status(201, _session_out(session))


def _needs_out(person: Person, episode: CustodyEpisode) -> dict[str, Any]:
    assessment = selectors.needs_assessment(episode=episode)
    deadline = selectors.needs_deadline(episode, assessment, clock.today())
    return {
        "person_id": person.pk,
        "due_on": deadline.due_on,
        "started": deadline.started,
        "completed": deadline.completed,
        "completed_at": assessment.completed_at if assessment else None,
        "overdue": deadline.overdue,
        "rule": assessment.rule if assessment else "",
        "items": [
            {
                "domain": domain,
                "status": item.status if item else "",
                "own_words": item.own_words if item else "",
            }
            for domain, _label, item in selectors.needs_items(assessment)
        ],
    }


@router.get("/persons/{person_id}/needs", response={200: NeedsOut, **ERRORS})
def get_needs(request: AuthenticatedRequest, person_id: int) -> Any:
    """The needs mapping with its deadline; every domain, mapped or not."""
    person, episode = plan_person(request, person_id)
    record_access(actor=request.user, person_id=person.pk, what="person.plan", reason="api")
    return _needs_out(person, episode)


@router.put("/persons/{person_id}/needs", response={200: NeedsOut, **ERRORS})
def put_needs(request: AuthenticatedRequest, person_id: int, body: NeedsIn) -> Any:
    """Set status and own words for the domains given (others are kept); ``complete`` marks the
    mapping as completed in the same transaction."""
    person, episode = plan_person(request, person_id)
    items = {i.domain: (i.status, i.own_words) for i in body.items}
    if len(items) != len(body.items):
        raise DomainError("Each domain at most once.", field="items")
    with transaction.atomic():
        services.needs_items_update(actor=request.user, episode=episode, items=items)
        if body.complete:
            services.needs_assessment_complete(actor=request.user, episode=episode)
    return _needs_out(person, episode)


@router.post("/persons/{person_id}/allocation", response={201: AllocationOut, **ERRORS})
def post_allocation(request: AuthenticatedRequest, person_id: int, body: AllocationIn) -> Any:
    """Allocate a contact officer; the previous allocation ends with the same reason."""
    _person_obj, episode = plan_person(request, person_id)
    officer = get_user_model().objects.filter(pk=body.officer_id, is_active=True).first()
    if officer is None:
        raise DomainError("No such officer.", field="officer_id")
    allocation = services.contact_officer_allocate(
        actor=request.user, episode=episode, officer=officer, reason=body.reason, note=body.note
    )
    return Status(
        201,
        {
            "id": allocation.pk,
            "person_id": allocation.person_id,
            "officer": officer.username,
            "allocated_at": allocation.allocated_at,
            "reason": allocation.reason,
            "note": allocation.note,
        },
    )
