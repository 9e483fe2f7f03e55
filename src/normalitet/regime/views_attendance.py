"""Pages of the attendance register and the daily allowance: the day's registers, one
register (tablet friendly: large outcome buttons that post with HTMX and without it), a
person's allowance statement (and its printable version), and the facility's week.

Views are thin: parse, call a selector or service (they check the actor), render. A register
or person the user may not see is a 404, the same as a missing one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from normalitet.audit.services import record_access
from normalitet.core import clock
from normalitet.core.errors import DomainError, NotFound
from normalitet.core.validation import iso_date
from normalitet.core.views import error_page, or_404, regime_page
from normalitet.custody.views import person_header
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap
from normalitet.planning.plan_views import render_printable

from . import allowance, attendance
from .domain import calendar
from .forms_attendance import QUICK_OUTCOMES, DayForm, MarkForm
from .models import Outcome


def _week_label(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _day_form(day: dt.date) -> DayForm:
    form = DayForm({"date": day.isoformat()})
    form.is_valid()  # bound, so that it carries the design system's classes
    return form


@regime_page
def registers(request: AuthenticatedRequest) -> HttpResponse:
    """The day's registers the user may take, with how many are marked."""
    day = iso_date(request.GET["date"]) if request.GET.get("date") else clock.today()
    rows = attendance.registers_for(actor=request.user, day=day)
    return render(
        request,
        "regime/attendance/registers.html",
        {
            "day": day,
            "registers": rows,
            "form": _day_form(day),
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
            "today": clock.today(),
            "holiday": calendar.holiday_name(day),
        },
    )


def _path_day(day: str) -> dt.date:
    """The date in a register's address; anything else is a missing page."""
    try:
        return iso_date(day)
    except DomainError as exc:
        raise Http404 from exc


def _register(request: AuthenticatedRequest, session_id: int, day: dt.date) -> Any:
    return or_404(lambda: attendance.register(actor=request.user, session_id=session_id, day=day))


def _register_context(reg: attendance.Register) -> dict[str, Any]:
    """A cancelled session offers one outcome: cancelled."""
    cancelled = reg.occurrence.cancelled
    quick = (Outcome.CANCELLED,) if cancelled else QUICK_OUTCOMES
    return {
        "register": reg,
        "occurrence": reg.occurrence,
        "quick": [(o.value, o.label) for o in quick],
        "others": [] if cancelled else [c for c in Outcome.choices if c[0] not in quick],
        "day": reg.occurrence.on.isoformat(),
    }


@regime_page
def register_page(request: AuthenticatedRequest, session_id: int, day: str) -> HttpResponse:
    reg = _register(request, session_id, _path_day(day))
    return render(request, "regime/attendance/register.html", _register_context(reg))


@require_POST
def mark(request: AuthenticatedRequest, session_id: int, day: str) -> HttpResponse:
    """One participant's mark. With HTMX the row answers for itself; without, back to the
    register with a message."""
    on = _path_day(day)
    try:
        _register(request, session_id, on)  # a register the user may not take is a 404
    except DomainError as exc:
        return error_page(request, exc)
    form = MarkForm(request.POST)
    error = ""
    if not form.is_valid():
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    else:
        try:
            attendance.attendance_mark(
                actor=request.user,
                session_id=session_id,
                day=on,
                person_id=form.cleaned_data["person"],
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            error = exc.message
    person_id = form.cleaned_data.get("person")
    if request.headers.get("HX-Request"):
        reg = _register(request, session_id, on)
        row = reg.participant(person_id) if person_id else None
        if row is None:
            return error_page(request, DomainError(error or _("No such participant.")))
        context = {**_register_context(reg), "p": row, "error": error, "saved": not error}
        return render(request, "regime/attendance/_mark_response.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The mark is saved."))
    url = reverse("regime:register", args=[session_id, day])
    return redirect(f"{url}#p-{person_id}" if person_id else url)


@require_POST
def mark_rest(request: AuthenticatedRequest, session_id: int, day: str) -> HttpResponse:
    """'Mark the rest attended' or, for a cancelled session, 'mark everyone cancelled'."""
    service = (
        attendance.attendance_mark_all_cancelled
        if request.POST.get("what") == "cancelled"
        else attendance.attendance_mark_rest_attended
    )
    on = _path_day(day)
    try:
        n = service(actor=request.user, session_id=session_id, day=on)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext("%(n)d participant marked.", "%(n)d participants marked.", n) % {"n": n}
            if n
            else _("Everyone was marked already."),
        )
    return redirect("regime:register", session_id, day)


def _statement(request: AuthenticatedRequest, person_id: int) -> allowance.Statement:
    month = request.GET.get("month")
    start = allowance.parse_month(month) if month else clock.today()
    return allowance.allowance_statement(actor=request.user, person_id=person_id, month=start)


def _statement_context(statement: allowance.Statement) -> dict[str, Any]:
    first = statement.first
    return {
        **person_header(statement.episode.person, episode=statement.episode, minimal=True),
        "statement": statement,
        "month": f"{first:%Y-%m}",
        "previous": f"{first - dt.timedelta(days=1):%Y-%m}",
        "next": f"{statement.last + dt.timedelta(days=1):%Y-%m}",
        "rates": allowance.rate_rows(statement.rates),
    }


@regime_page
def statement_page(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """A person's allowance statement for a month: each day, the amounts and the reasons."""
    statement = _statement(request, person_id)
    record_access(actor=request.user, person_id=person_id, what="regime.allowance")
    return render(request, "regime/attendance/statement.html", _statement_context(statement))


@regime_page
def statement_print(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """The statement to print and give to the person (``?lang=nb`` or ``?lang=en``)."""
    statement = _statement(request, person_id)
    record_access(actor=request.user, person_id=person_id, what="regime.allowance", reason="print")
    return render_printable(
        request, "regime/attendance/statement_print.html", _statement_context(statement)
    )


@regime_page
def week_page(request: AuthenticatedRequest) -> HttpResponse:
    """The facility's week of allowance by unit, with the rates in force."""
    week = request.GET.get("week")
    monday = allowance.parse_week(week) if week else calendar.week_of(clock.today())[0]
    result = allowance.allowance_week(actor=request.user, monday=monday)
    return render(
        request,
        "regime/attendance/week.html",
        {
            "week": result,
            "label": _week_label(monday),
            "previous": _week_label(monday - dt.timedelta(days=7)),
            "next": _week_label(monday + dt.timedelta(days=7)),
            "can_run": can(request.user, Cap.ALLOWANCE_RUN) and bool(result.computable),
            "rates": allowance.rate_rows(result.rates),
        },
    )


@require_POST
@regime_page
def compute(request: AuthenticatedRequest) -> HttpResponse:
    """Compute the facility's week (the days that have come)."""
    monday = allowance.parse_week(request.POST.get("week", ""))
    days = [d for d in calendar.week_of(monday) if d <= clock.today()]
    run = allowance.allowance_compute(actor=request.user, days=days)
    messages.success(
        request,
        _(
            "The allowance is computed: %(days)d person-days, %(changed)d new or changed, "
            "%(posted)d already posted and left as they were."
        )
        % {"days": run.person_days, "changed": run.created + run.updated, "posted": run.posted},
    )
    return redirect(reverse("regime:allowance_week") + f"?week={_week_label(monday)}")
