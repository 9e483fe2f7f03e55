"""API: approved contacts, visitors and police checks (under /api/v1/contact/). The same
services and access rules as the pages: anything outside the caseload is a 404."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Router, Status

from normalitet.audit.services import record_access
from normalitet.core import clock
from normalitet.core.errors import DomainError, NotFound
from normalitet.core.schemas import ERRORS
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap

from . import access, contacts
from .access import (
    caseload_person_ids,
    ensure_contact,
    ensure_police_check,
    ensure_visitor,
    search_visitors,
    visible_visitors,
)
from .contacts import CheckState, check_states
from .models import Contact, PoliceCheck, Visitor
from .schemas_contacts import (
    ContactCreateIn,
    ContactDecisionIn,
    ContactEndIn,
    ContactOut,
    ContactRequestOut,
    ContactVisitorIn,
    ContactVisitorOut,
    PoliceCheckAnswerIn,
    PoliceCheckOut,
    PoliceCheckRequestIn,
    SupervisionIn,
    VisitorListIn,
)

router = Router(tags=["contact"])


def _viewer(request: AuthenticatedRequest) -> Any:
    if not can(request.user, Cap.CONTACT_VIEW) or not request.user.facility_id:
        raise NotFound(_("Not found."))
    return request.user


def _visitor_out(v: Visitor) -> dict[str, Any]:
    fields = ("id", "given_names", "family_name", "birth_date", "phone", "email", "address")
    return {
        **{f: getattr(v, f) for f in fields},
        "organisation": v.organisation,
        "registered": v.user_id is not None,
    }


def _contact_out(c: Contact, state: CheckState | None = None) -> dict[str, Any]:
    if state is None:
        state = check_states([c.visitor], clock.today())[c.visitor_id]
    fields = (
        "id", "person_id", "relationship", "status", "on_visitor_list", "supervision_waived",
        "closest_family", "privileged", "requested_via_portal", "note", "decision_reason",
        "decided_at",
    )  # fmt: skip
    return {
        **{f: getattr(c, f) for f in fields},
        "visitor": _visitor_out(c.visitor),
        "police_check": state.latest,
        "police_check_valid_until": state.valid_until,
    }


def _addable(actor: Any, visitor_id: int) -> Visitor:
    """A visitor the actor may see, or one just recorded who is no one's contact yet."""
    found = (
        (visible_visitors(actor) | Visitor.objects.filter(contacts__isnull=True))
        .filter(pk=visitor_id)
        .first()
    )
    if found is None:
        raise NotFound(_("No such visitor."), field="visitor_id")
    return found


def _fresh(actor: Any, contact_id: int) -> dict[str, Any]:
    return _contact_out(ensure_contact(actor=actor, contact_id=contact_id))


@router.get("/persons/{person_id}/contacts", response={200: list[ContactOut], **ERRORS})
def get_person_contacts(request: AuthenticatedRequest, person_id: int) -> Any:
    user = _viewer(request)
    episode = access.ensure_episode(actor=user, person_id=person_id)
    record_access(actor=user, person_id=episode.person_id, what="contact.contacts", reason="api")
    rows = list(contacts.contacts_of(episode.person_id))
    states = check_states([c.visitor for c in rows], clock.today())
    return [_contact_out(c, states[c.visitor_id]) for c in rows]


@router.post("/persons/{person_id}/contacts", response={201: ContactOut, **ERRORS})
def post_person_contact(
    request: AuthenticatedRequest, person_id: int, body: ContactCreateIn
) -> Any:
    user = _viewer(request)
    episode = access.ensure_episode(actor=user, person_id=person_id)
    if (body.visitor_id is None) == (body.visitor is None):
        raise DomainError(_("Give either visitor_id or a new visitor."), field="visitor_id")
    with transaction.atomic():
        if body.visitor is not None:
            visitor = contacts.visitor_create(actor=user, **body.visitor.dict())
        else:
            visitor = _addable(user, body.visitor_id or 0)
        contact = contacts.contact_add(
            actor=user,
            episode=episode,
            visitor=visitor,
            relationship=body.relationship,
            on_visitor_list=body.on_visitor_list,
            note=body.note,
        )
    return Status(201, _fresh(user, contact.pk))


@router.post("/contacts/{contact_id}/decide", response={200: ContactOut, **ERRORS})
def post_contact_decide(
    request: AuthenticatedRequest, contact_id: int, body: ContactDecisionIn
) -> Any:
    user = _viewer(request)
    contact = ensure_contact(actor=user, contact_id=contact_id)
    contacts.contact_decide(
        actor=user, contact=contact, approve=body.decision == "approve", reason=body.reason
    )
    return _fresh(user, contact_id)


@router.post("/contacts/{contact_id}/end", response={200: ContactOut, **ERRORS})
def post_contact_end(request: AuthenticatedRequest, contact_id: int, body: ContactEndIn) -> Any:
    user = _viewer(request)
    contact = ensure_contact(actor=user, contact_id=contact_id)
    contacts.contact_end(actor=user, contact=contact, reason=body.reason)
    return _fresh(user, contact_id)


@router.post("/contacts/{contact_id}/visitor-list", response={200: ContactOut, **ERRORS})
def post_visitor_list(request: AuthenticatedRequest, contact_id: int, body: VisitorListIn) -> Any:
    user = _viewer(request)
    contact = ensure_contact(actor=user, contact_id=contact_id)
    contacts.visitor_list_set(actor=user, contact=contact, on=body.on)
    return _fresh(user, contact_id)


@router.post("/contacts/{contact_id}/supervision", response={200: ContactOut, **ERRORS})
def post_supervision(request: AuthenticatedRequest, contact_id: int, body: SupervisionIn) -> Any:
    user = _viewer(request)
    contact = ensure_contact(actor=user, contact_id=contact_id)
    contacts.supervision_waive(actor=user, contact=contact, waived=body.waived, reason=body.reason)
    return _fresh(user, contact_id)


@router.get("/visitors", response={200: list[ContactVisitorOut], **ERRORS})
def get_visitors(request: AuthenticatedRequest, q: str = "") -> Any:
    """Visitors who are contacts of persons in the caseload, by name (all of them, at most
    200, without ``q``)."""
    user = _viewer(request)
    found = search_visitors(user, q) if q.strip() else visible_visitors(user)
    return [_visitor_out(v) for v in found.order_by("family_name", "given_names", "pk")[:200]]


@router.post("/visitors", response={201: ContactVisitorOut, **ERRORS})
def post_visitor(request: AuthenticatedRequest, body: ContactVisitorIn) -> Any:
    """Record a visitor; make them a contact with POST persons/{id}/contacts (until then only
    the response shows them: staff see the visitors of their caseload)."""
    user = _viewer(request)
    return Status(201, _visitor_out(contacts.visitor_create(actor=user, **body.dict())))


@router.post("/visitors/{visitor_id}/police-checks", response={201: PoliceCheckOut, **ERRORS})
def post_police_check(
    request: AuthenticatedRequest, visitor_id: int, body: PoliceCheckRequestIn
) -> Any:
    user = _viewer(request)
    visitor = ensure_visitor(actor=user, visitor_id=visitor_id)
    facility = access.contact_facility(actor=user)
    check = contacts.police_check_request(
        actor=user, visitor=visitor, facility=facility, note=body.note
    )
    return Status(201, check)


@router.post("/police-checks/{check_id}/answer", response={200: PoliceCheckOut, **ERRORS})
def post_police_answer(
    request: AuthenticatedRequest, check_id: int, body: PoliceCheckAnswerIn
) -> Any:
    user = _viewer(request)
    check = ensure_police_check(actor=user, check_id=check_id)
    contacts.police_check_answer(actor=user, check=check, **body.dict())
    return PoliceCheck.objects.get(pk=check.pk)


@router.get("/contact-requests", response={200: list[ContactRequestOut], **ERRORS})
def get_contact_requests(request: AuthenticatedRequest) -> Any:
    """Requests from the family portal waiting for staff, for persons in the caseload."""
    user = _viewer(request)
    facility = access.contact_facility(actor=user)
    rows = contacts.contact_requests_waiting(facility=facility).filter(
        person_id__in=caseload_person_ids(user)
    )
    return [
        {
            "id": c.pk,
            "person_id": c.person_id,
            "person_name": c.person.full_name,
            "visitor": _visitor_out(c.visitor),
            "relationship": c.relationship,
            "note": c.note,
            "created_at": c.created_at,
        }
        for c in rows
    ]
