"""Pages of the court's restrictions on remand (STRPL §§ 186, 186 a): a person's orders with the
forms that record, renew and lift them, and the orders expiring in a week.

Everyone with ``CONTACT_VIEW`` in the caseload sees the orders (officers must know them);
recording, renewing and lifting take ``RESTRICTION_EDIT`` (403 for a role without it). Anything
outside the caseload is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from normalitet.audit.services import record_access
from normalitet.core import clock
from normalitet.core.errors import DomainError
from normalitet.core.views import or_404
from normalitet.custody.views import person_form_page, person_header
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap

from . import access, court_orders, restrictions
from .forms_restrictions import LiftForm, OrderForm, RenewForm, WeekForm
from .models import CourtRestriction, RestrictionKind
from .views_access import staff


def _rows(orders: list[CourtRestriction]) -> list[dict[str, Any]]:
    today = clock.today()
    isolation = [o for o in orders if o.kind == RestrictionKind.FULL_ISOLATION]
    rows = []
    for o in orders:
        row: dict[str, Any] = {"order": o, "state": restrictions.state_on(o, today)}
        if o.kind == RestrictionKind.FULL_ISOLATION:
            days, maximum = court_orders.isolation_figures(o, isolation)
            row["isolation_days"] = days
            if maximum is not None:
                row["isolation_max"] = maximum
        row["renewable"] = row["state"] in ("in_force", "to_come") and not any(
            other.kind == o.kind and other.starts_on == o.ends_on + dt.timedelta(days=1)
            for other in orders
        )
        rows.append(row)
    return rows


def person_restrictions(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    user = staff(request)
    episode = or_404(access.ensure_episode, actor=user, person_id=person_id)
    orders = court_orders.episode_orders(episode)
    record_access(actor=user, person_id=episode.person_id, what="contact.restrictions")
    form = None
    can_edit = can(user, Cap.RESTRICTION_EDIT)
    if can_edit and episode.legal_status == "remand":
        today = clock.today()
        form = OrderForm(
            request.POST or None,
            initial={
                "ordered_on": today,
                "starts_on": today,
                "ends_on": today + dt.timedelta(weeks=4, days=-1),
            },
        )
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            numbers = data.pop("named_persons")
            try:
                ids = court_orders.named_ids_from_numbers(numbers)
                order = court_orders.order_record(
                    actor=user, episode=episode, named_person_ids=ids, **data
                )
            except DomainError as exc:
                form.add_domain_error(exc.field, exc.message)
            else:
                messages.success(request, _recorded_message(order))
                if court_orders.named_in_same_unit(order):
                    messages.warning(
                        request,
                        _(
                            "A person the court isolated this person from is placed in the "
                            "same unit. Move one of them to another unit."
                        ),
                    )
                return redirect("contact:person_restrictions", episode.person_id)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "contact/restrictions/person.html",
        {
            **person_header(
                episode.person, episode=episode, minimal=not can(user, Cap.PERSON_VIEW)
            ),
            "rows": _rows(orders),
            "form": form,
            "can_edit": can_edit,
        },
        status=400 if form is not None and form.errors else 200,
    )


def _recorded_message(order: CourtRestriction) -> str:
    message = _("The court order is recorded.")
    cancelled = getattr(order, "visits_cancelled", 0)
    flagged = getattr(order, "visits_flagged", 0)
    if cancelled:
        message += " " + _("%(n)s visits in the period were cancelled; the visitors are told.") % {
            "n": cancelled
        }
    if flagged:
        message += " " + _("%(n)s visits in the period need review.") % {"n": flagged}
    return message


def _order_form(
    request: AuthenticatedRequest, order_id: int, form_class: type, title: str, run: Any
) -> HttpResponse:
    user = staff(request, Cap.RESTRICTION_EDIT)
    order = or_404(court_orders.ensure_order, actor=user, order_id=order_id)
    back = reverse("contact:person_restrictions", args=[order.person_id])
    return person_form_page(
        request,
        order.person,
        form_class(request.POST if request.method == "POST" else None),
        title=title,
        run=lambda d: run(actor=user, order=order, **d),
        message=lambda o: (
            _recorded_message(o)
            if isinstance(o, CourtRestriction) and o.pk != order.pk
            else _("The order is lifted.")
        ),
        back=back,
        header=person_header(
            order.person, episode=order.episode, minimal=not can(user, Cap.PERSON_VIEW)
        ),
        extra={
            "subtitle": f"{order.get_kind_display()} · {order.court} · {order.case_number} · "
            + _("expires %(date)s") % {"date": order.ends_on.strftime("%d.%m.%Y")}
        },
    )


def order_renew(request: AuthenticatedRequest, order_id: int) -> HttpResponse:
    def run(**kw: Any) -> CourtRestriction:
        kw["case_number"] = kw.get("case_number") or None
        return court_orders.order_renew(**kw)

    return _order_form(request, order_id, RenewForm, _("Renew the order"), run)


def order_lift(request: AuthenticatedRequest, order_id: int) -> HttpResponse:
    return _order_form(request, order_id, LiftForm, _("Lift the order"), court_orders.order_lift)


def restrictions_expiring(request: AuthenticatedRequest) -> HttpResponse:
    user = staff(request)
    form = WeekForm(request.GET or None)
    week = form.cleaned_data["week"] if form.is_bound and form.is_valid() else ""
    try:
        start, end, rows = court_orders.expiring_week(actor=user, week=week)
    except DomainError as exc:
        if exc.status_code == 404:
            raise Http404 from exc
        form.add_domain_error(exc.field, exc.message)
        start, end, rows = *court_orders.parse_week(""), []
    return render(
        request,
        "contact/restrictions/expiring.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "week": court_orders.week_of(start),
            "previous": court_orders.week_of(start - dt.timedelta(days=7)),
            "next": court_orders.week_of(start + dt.timedelta(days=7)),
            "rows": rows,
        },
        status=400 if form.errors else 200,
    )
