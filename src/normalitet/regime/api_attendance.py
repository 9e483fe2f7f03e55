"""API routes of the regime: the attendance register and the daily allowance, under
/api/v1/regime/. The same selectors and services as the pages; a register or person the
caller may not see is a 404."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from ninja import Router

from normalitet.core import clock
from normalitet.core.errors import DomainError
from normalitet.core.schemas import ERRORS
from normalitet.identity.models import AuthenticatedRequest

from . import allowance, attendance
from .schemas_attendance import (
    ComputeIn,
    ComputeOut,
    MarksIn,
    RegisterOut,
    RegisterSummaryOut,
    StatementOut,
)

router = Router(tags=["regime"])


def _occurrence(o: Any) -> dict[str, Any]:
    return {
        "session_id": o.session_id,
        "activity_id": o.activity_id,
        "activity": o.activity_name,
        "place": o.place,
        "on": o.on,
        "starts": o.starts,
        "ends": o.ends,
        "cancelled": o.cancelled,
        "cancel_reason": o.cancel_reason,
    }


def _register(reg: attendance.Register) -> dict[str, Any]:
    return {
        **_occurrence(reg.occurrence),
        "can_mark": reg.can_mark,
        "participants": [
            {
                "person_id": p.person_id,
                "name": p.name,
                "person_number": p.person_number,
                "suspended": p.suspended,
                "outcome": p.outcome or None,
                "note": p.note,
                "away": p.away,
            }
            for p in reg.participants
        ],
        "at_health_service": [p.person_id for p in reg.participants if p.at_health_service],
    }


@router.get("/registers", response={200: list[RegisterSummaryOut], **ERRORS})
def get_registers(request: AuthenticatedRequest, date: dt.date | None = None) -> Any:
    """The registers of a day (default today) the caller may take."""
    day = date or clock.today()
    return [
        {**_occurrence(r.occurrence), "participants": r.participants, "marked": r.marked}
        for r in attendance.registers_for(actor=request.user, day=day)
    ]


@router.get("/registers/{session_id}/{date}", response={200: RegisterOut, **ERRORS})
def get_register(request: AuthenticatedRequest, session_id: int, date: dt.date) -> Any:
    return _register(attendance.register(actor=request.user, session_id=session_id, day=date))


@router.post("/registers/{session_id}/{date}/marks", response={200: RegisterOut, **ERRORS})
def post_marks(request: AuthenticatedRequest, session_id: int, date: dt.date, body: MarksIn) -> Any:
    """Mark one or many participants (all or nothing), or with ``rest`` everyone not yet
    marked; answers with the register as it now is."""
    user = request.user
    if body.rest and body.marks:
        raise DomainError(_("Send either marks or rest, not both."), field="rest")
    if body.rest:
        register = attendance.register(actor=user, session_id=session_id, day=date)
        service = (
            attendance.attendance_mark_all_cancelled
            if register.occurrence.cancelled
            else attendance.attendance_mark_rest_attended
        )
        service(actor=user, session_id=session_id, day=date)
    else:
        marks = [attendance.MarkIn(m.person_id, m.outcome, m.note) for m in body.marks]
        attendance.attendance_mark_many(actor=user, session_id=session_id, day=date, marks=marks)
    return _register(attendance.register(actor=user, session_id=session_id, day=date))


@router.get("/persons/{person_id}/allowance", response={200: StatementOut, **ERRORS})
def get_statement(request: AuthenticatedRequest, person_id: int, month: str | None = None) -> Any:
    """A person's allowance statement for a month (``month=YYYY-MM``, default this month)."""
    start = allowance.parse_month(month) if month else clock.today()
    st = allowance.allowance_statement(actor=request.user, person_id=person_id, month=start)
    totals = st.totals
    return {
        "person_id": person_id,
        "month": f"{st.first:%Y-%m}",
        "days": [
            {
                **dataclasses.asdict(d.amounts),
                "on": d.on,
                "facility_id": d.facility_id,
                "rate_kind": d.rate_kind,
                "total_ore": d.amounts.total_ore,
                "rule_set": d.rule_set,
                "posted": d.posted,
                "reasons": [
                    {"code": r.get("code", ""), "args": r.get("args") or {}, "text": t}
                    for r, t in zip(d.reasons, d.texts, strict=True)
                ],
            }
            for d in st.days
        ],
        "totals": {**dataclasses.asdict(totals), "total_ore": totals.total_ore},
        "rates": [{**dataclasses.asdict(r), "name": r.name} for r in st.rates],
        "rates_unverified": st.unverified,
    }


@router.post("/allowance/compute", response={200: ComputeOut, **ERRORS}, by_alias=True)
def post_compute(request: AuthenticatedRequest, body: ComputeIn) -> Any:
    """Compute and store the allowance of the caller's facility from ``from`` to ``to``
    (at most 31 days, none in the future); posted days are left as they are."""
    if body.to < body.from_:
        raise DomainError(_("The last day is before the first."), field="to")
    days = [body.from_ + dt.timedelta(days=i) for i in range((body.to - body.from_).days + 1)]
    return allowance.allowance_compute(actor=request.user, days=days).as_dict()
