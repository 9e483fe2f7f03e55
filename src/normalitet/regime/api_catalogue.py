"""API routes of the activity catalogue and the waiting list, under /api/v1/regime/. They call
the same services and selectors as the pages; a refusal is the API's JSON error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from ninja import Router, Status

from normalitet.audit.services import record_access
from normalitet.core.errors import DomainError, NotFound
from normalitet.core.schemas import ERRORS
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap

from . import access, allocation, catalogue
from .models import Activity, Allocation
from .schemas_catalogue import (
    ActivityAllocationOut,
    ActivityChangeIn,
    ActivityDetailOut,
    ActivityIn,
    ActivityOut,
    AllocationDecisionIn,
    AllocationEndIn,
    AllocationRequestIn,
    AllocationResumeIn,
    AllocationStartIn,
    AllocationSuspendIn,
    AllocationWithdrawIn,
    SessionCancellationIn,
    SessionCancellationOut,
    WeeklySessionEndIn,
    WeeklySessionIn,
    WeeklySessionOut,
)

router = Router(tags=["regime"])


def _viewer(request: AuthenticatedRequest) -> Any:
    if not can(request.user, Cap.REGIME_VIEW) or not request.user.facility_id:
        raise NotFound(_("Not found."))
    return request.user


def _activity_out(row: catalogue.CatalogueRow) -> dict[str, Any]:
    a = row.activity
    fields = ("id", "facility_id", "leader_id", "is_active", *catalogue.FIELDS)
    return {
        **{f: getattr(a, f) for f in fields if f != "leader"},
        "held": row.held,
        "free": row.free,
        "waiting": row.waiting,
    }


def _detail(activity: Activity) -> dict[str, Any]:
    row = catalogue.catalogue_rows(Activity.objects.filter(pk=activity.pk))[0]
    return {
        **_activity_out(row),
        "sessions": catalogue.activity_sessions(activity=activity),
        "cancellations": catalogue.upcoming_cancellations(activity=activity),
    }


def _allocation_out(a: Allocation) -> dict[str, Any]:
    fields = [f.attname for f in Allocation._meta.concrete_fields]
    return {
        **{f: getattr(a, f) for f in fields},
        "activity_name": a.activity.name,
        "suspensions": list(a.suspensions.all()),
    }


def _changes(body: ActivityChangeIn, *, partial: bool) -> dict[str, Any]:
    """The body as service arguments: ``leader_id`` becomes the user (or None)."""
    data = body.dict(exclude_unset=partial)
    if "leader_id" in data:
        leader_id = data.pop("leader_id")
        data["leader"] = None
        if leader_id is not None:
            data["leader"] = get_user_model().objects.filter(pk=leader_id).first()
            if data["leader"] is None:
                raise DomainError(_("No such user."), field="leader_id")
    return {k: v for k, v in data.items() if v is not None or k == "leader" or partial}


@router.get("/activities", response={200: list[ActivityOut], **ERRORS})
def get_activities(
    request: AuthenticatedRequest, kind: str | None = None, include_inactive: bool = False
) -> Any:
    rows = catalogue.catalogue(actor=_viewer(request), kind=kind, include_inactive=include_inactive)
    return [_activity_out(r) for r in rows]


@router.post("/activities", response={201: ActivityDetailOut, **ERRORS})
def post_activity(request: AuthenticatedRequest, body: ActivityIn) -> Any:
    activity = catalogue.activity_create(actor=_viewer(request), **_changes(body, partial=False))
    return Status(201, _detail(activity))


@router.get("/activities/{activity_id}", response={200: ActivityDetailOut, **ERRORS})
def get_activity(request: AuthenticatedRequest, activity_id: int) -> Any:
    return _detail(access.ensure_activity(actor=_viewer(request), activity_id=activity_id))


@router.post("/activities/{activity_id}", response={200: ActivityDetailOut, **ERRORS})
def post_activity_update(
    request: AuthenticatedRequest, activity_id: int, body: ActivityChangeIn
) -> Any:
    activity = access.ensure_activity(actor=_viewer(request), activity_id=activity_id)
    changes = _changes(body, partial=True)
    return _detail(catalogue.activity_update(actor=request.user, activity=activity, **changes))


@router.post("/activities/{activity_id}/deactivate", response={200: ActivityDetailOut, **ERRORS})
def post_activity_deactivate(request: AuthenticatedRequest, activity_id: int) -> Any:
    activity = access.ensure_activity(actor=_viewer(request), activity_id=activity_id)
    return _detail(catalogue.activity_deactivate(actor=request.user, activity=activity))


@router.post("/activities/{activity_id}/sessions", response={201: WeeklySessionOut, **ERRORS})
def post_session(request: AuthenticatedRequest, activity_id: int, body: WeeklySessionIn) -> Any:
    activity = access.ensure_activity(actor=_viewer(request), activity_id=activity_id)
    return Status(201, catalogue.session_add(actor=request.user, activity=activity, **body.dict()))


@router.post("/sessions/{session_id}/end", response={200: WeeklySessionOut, **ERRORS})
def post_session_end(
    request: AuthenticatedRequest, session_id: int, body: WeeklySessionEndIn
) -> Any:
    session = access.ensure_session(actor=_viewer(request), session_id=session_id)
    return catalogue.session_end(actor=request.user, session=session, **body.dict())


@router.post(
    "/sessions/{session_id}/cancellations", response={201: SessionCancellationOut, **ERRORS}
)
def post_session_cancel(
    request: AuthenticatedRequest, session_id: int, body: SessionCancellationIn
) -> Any:
    session = access.ensure_session(actor=_viewer(request), session_id=session_id)
    return Status(201, catalogue.session_cancel(actor=request.user, session=session, **body.dict()))


@router.post("/sessions/{session_id}/reinstate", response={200: WeeklySessionOut, **ERRORS})
def post_session_reinstate(
    request: AuthenticatedRequest, session_id: int, body: AllocationResumeIn
) -> Any:
    session = access.ensure_session(actor=_viewer(request), session_id=session_id)
    if body.on is None:
        raise DomainError(_("Give the date to reinstate."), field="on")
    return catalogue.session_reinstate(actor=request.user, session=session, on=body.on)


@router.get(
    "/activities/{activity_id}/allocations", response={200: list[ActivityAllocationOut], **ERRORS}
)
def get_activity_allocations(
    request: AuthenticatedRequest, activity_id: int, status: str = "open"
) -> Any:
    """Participants, then the waiting list in request order (``status=open``, the default);
    ``status=all`` adds the ended, declined and withdrawn."""
    user = _viewer(request)
    activity = access.ensure_activity(actor=user, activity_id=activity_id)
    rows = allocation.participants(activity=activity)
    rows += allocation.waiting_list(actor=user, activity=activity)
    if status == "all":
        rows += allocation.closed_allocations(activity=activity)
    return [_allocation_out(a) for a in rows]


@router.post("/allocations", response={201: ActivityAllocationOut, **ERRORS})
def post_allocation(request: AuthenticatedRequest, body: AllocationRequestIn) -> Any:
    user = _viewer(request)
    episode = access.ensure_episode(actor=user, person_id=body.person_id)
    activity = access.ensure_activity(actor=user, activity_id=body.activity_id)
    created = allocation.allocation_request(
        actor=user, episode=episode, activity=activity, note=body.note
    )
    return Status(201, _allocation_out(created))


def _act(
    request: AuthenticatedRequest, allocation_id: int, run: Callable[..., Any], **kwargs: Any
) -> dict[str, Any]:
    user = _viewer(request)
    target = allocation.ensure_allocation(actor=user, allocation_id=allocation_id)
    run(actor=user, allocation=target, **kwargs)
    return _allocation_out(allocation.ensure_allocation(actor=user, allocation_id=target.pk))


@router.post("/allocations/{allocation_id}/decide", response={200: ActivityAllocationOut, **ERRORS})
def post_decide(
    request: AuthenticatedRequest, allocation_id: int, body: AllocationDecisionIn
) -> Any:
    return _act(
        request,
        allocation_id,
        allocation.allocation_decide,
        approve=body.decision == "approve",
        note=body.note,
    )


@router.post(
    "/allocations/{allocation_id}/allocate", response={200: ActivityAllocationOut, **ERRORS}
)
def post_allocate(
    request: AuthenticatedRequest, allocation_id: int, body: AllocationStartIn
) -> Any:
    return _act(request, allocation_id, allocation.allocation_allocate, **body.dict())


@router.post(
    "/allocations/{allocation_id}/suspend", response={200: ActivityAllocationOut, **ERRORS}
)
def post_suspend(
    request: AuthenticatedRequest, allocation_id: int, body: AllocationSuspendIn
) -> Any:
    return _act(request, allocation_id, allocation.allocation_suspend, **body.dict())


@router.post("/allocations/{allocation_id}/resume", response={200: ActivityAllocationOut, **ERRORS})
def post_resume(request: AuthenticatedRequest, allocation_id: int, body: AllocationResumeIn) -> Any:
    return _act(request, allocation_id, allocation.allocation_resume, **body.dict())


@router.post("/allocations/{allocation_id}/end", response={200: ActivityAllocationOut, **ERRORS})
def post_end(request: AuthenticatedRequest, allocation_id: int, body: AllocationEndIn) -> Any:
    return _act(request, allocation_id, allocation.allocation_end, **body.dict())


@router.post(
    "/allocations/{allocation_id}/withdraw", response={200: ActivityAllocationOut, **ERRORS}
)
def post_withdraw(
    request: AuthenticatedRequest, allocation_id: int, body: AllocationWithdrawIn
) -> Any:
    return _act(request, allocation_id, allocation.allocation_withdraw, **body.dict())


@router.get(
    "/persons/{person_id}/allocations", response={200: list[ActivityAllocationOut], **ERRORS}
)
def get_person_allocations(request: AuthenticatedRequest, person_id: int) -> Any:
    user = _viewer(request)
    episode = access.ensure_episode(actor=user, person_id=person_id)
    record_access(actor=user, person_id=episode.person_id, what="regime.activities", reason="api")
    return [_allocation_out(a) for a in allocation.person_allocations(actor=user, episode=episode)]
