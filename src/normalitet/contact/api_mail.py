"""API: mail and parcels (under /api/v1/contact/). The same services and rules as the pages:
``next_actions`` lists the steps the law allows, and ``handle`` refuses any other."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Status

from normalitet.core.errors import DomainError, NotFound
from normalitet.core.schemas import ERRORS
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap

from . import access, mail
from .models import Contact, MailItem
from .schemas_mail import MailHandleIn, MailItemIn, MailItemOut

router = Router(tags=["contact"])


def _viewer(request: AuthenticatedRequest) -> Any:
    if not can(request.user, Cap.CONTACT_VIEW) or not request.user.facility_id:
        raise NotFound(_("Not found."))
    return request.user


def _out(items: list[MailItem]) -> list[dict[str, Any]]:
    found = mail.situations(items) if items else {}
    fields = [f.attname for f in MailItem._meta.concrete_fields]
    return [
        {
            **{f: getattr(i, f) for f in fields},
            "next_actions": mail.next_actions(i, found[i.pk]),
        }
        for i in items
    ]


@router.get("/persons/{person_id}/mail", response={200: list[MailItemOut], **ERRORS})
def get_person_mail(request: AuthenticatedRequest, person_id: int) -> Any:
    _episode, items = mail.person_mail(actor=_viewer(request), person_id=person_id)
    return _out(items)


@router.post("/persons/{person_id}/mail", response={201: MailItemOut, **ERRORS})
def post_person_mail(request: AuthenticatedRequest, person_id: int, body: MailItemIn) -> Any:
    user = _viewer(request)
    episode = access.ensure_episode(actor=user, person_id=person_id)
    data = body.dict()
    contact_id = data.pop("contact_id")
    contact = None
    if contact_id is not None:
        contact = Contact.objects.select_related("visitor").filter(pk=contact_id).first()
        if contact is None:
            raise DomainError(_("Choose an approved contact of this person."), field="contact_id")
    item = mail.mail_log(actor=user, episode=episode, contact=contact, **data)
    return Status(201, _out([mail.ensure_item(actor=user, item_id=item.pk)])[0])


@router.post("/mail/{item_id}/handle", response={200: MailItemOut, **ERRORS})
def post_mail_handle(request: AuthenticatedRequest, item_id: int, body: MailHandleIn) -> Any:
    user = _viewer(request)
    item = mail.ensure_item(actor=user, item_id=item_id)
    mail.mail_handle(actor=user, item=item, **body.dict())
    return _out([mail.ensure_item(actor=user, item_id=item.pk)])[0]


@router.get("/mail", response={200: list[MailItemOut], **ERRORS})
def get_mail(request: AuthenticatedRequest, status: str = "", period: str = "today") -> Any:
    """The mail of the caseload logged ``today`` or this ``week``; ``status=to_handle`` for
    what is still to handle, or one status."""
    _start, _end, items = mail.facility_mail(actor=_viewer(request), period=period, status=status)
    return _out(items)
