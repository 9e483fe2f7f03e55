"""API: the court's restrictions on remand (under /api/v1/contact/). Seeing takes
``CONTACT_VIEW`` in the caseload; recording, renewing and lifting ``RESTRICTION_EDIT``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Status

from normalitet.core import clock
from normalitet.core.errors import NotFound
from normalitet.core.schemas import ERRORS
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap

from . import access, court_orders, restrictions
from .models import CourtRestriction
from .schemas_restrictions import (
    CourtOrderExpiringOut,
    CourtOrderIn,
    CourtOrderLiftIn,
    CourtOrderOut,
    CourtOrderRenewIn,
)

router = Router(tags=["contact"])


def _viewer(request: AuthenticatedRequest) -> Any:
    if not can(request.user, Cap.CONTACT_VIEW) or not request.user.facility_id:
        raise NotFound(_("Not found."))
    return request.user


def _out(o: CourtRestriction) -> dict[str, Any]:
    fields = [f.attname for f in CourtRestriction._meta.concrete_fields]
    return {
        **{f: getattr(o, f) for f in fields},
        "named_person_ids": sorted(p.pk for p in o.named_persons.all()),
        "state": restrictions.state_on(o, clock.today()),
    }


@router.get("/persons/{person_id}/restrictions", response={200: list[CourtOrderOut], **ERRORS})
def get_restrictions(request: AuthenticatedRequest, person_id: int) -> Any:
    return [_out(o) for o in court_orders.orders_of(actor=_viewer(request), person_id=person_id)]


@router.post("/persons/{person_id}/restrictions", response={201: CourtOrderOut, **ERRORS})
def post_restriction(request: AuthenticatedRequest, person_id: int, body: CourtOrderIn) -> Any:
    user = _viewer(request)
    episode = access.ensure_episode(actor=user, person_id=person_id)
    order = court_orders.order_record(actor=user, episode=episode, **body.dict())
    return Status(201, _out(order))


@router.post("/restrictions/{order_id}/renew", response={201: CourtOrderOut, **ERRORS})
def post_renew(request: AuthenticatedRequest, order_id: int, body: CourtOrderRenewIn) -> Any:
    user = _viewer(request)
    order = court_orders.ensure_order(actor=user, order_id=order_id)
    return Status(201, _out(court_orders.order_renew(actor=user, order=order, **body.dict())))


@router.post("/restrictions/{order_id}/lift", response={200: CourtOrderOut, **ERRORS})
def post_lift(request: AuthenticatedRequest, order_id: int, body: CourtOrderLiftIn) -> Any:
    user = _viewer(request)
    order = court_orders.ensure_order(actor=user, order_id=order_id)
    return _out(court_orders.order_lift(actor=user, order=order, **body.dict()))


@router.get("/restrictions/expiring", response={200: list[CourtOrderExpiringOut], **ERRORS})
def get_expiring(request: AuthenticatedRequest, week: str = "") -> Any:
    """Orders expiring in the ISO ``week`` (``2026-W10``; default the current week)."""
    _start, _end, rows = court_orders.expiring_week(actor=_viewer(request), week=week)
    return [
        {
            "order": _out(r.order),
            "person_name": r.order.person.full_name,
            "unit": r.unit_name,
            "days_left": r.days_left,
            "isolation_days": r.isolation_days,
            "isolation_maximum_days": r.isolation_maximum_days,
        }
        for r in rows
    ]
