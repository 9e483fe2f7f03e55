"""Medication pages of the health service: a person's prescriptions and doses, the dispensing
round of a unit, and the controlled-drug book.

Health staff only: for anyone else these pages do not exist (404). A person outside the
facility is a 404; a nurse who tries to prescribe or stop a prescription gets 403. The round
sheet works without JavaScript (one small form per dose); with HTMX a dose answers in its row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from normalitet.core import clock
from normalitet.core.errors import DomainError, NotFound, PermissionDenied
from normalitet.core.views import regime_page
from normalitet.identity.models import AuthenticatedRequest

from . import access
from . import services_medication as services
from .forms_medication import STOCK_FORMS, DoseForm, PrescriptionForm, RoundChoiceForm, StopForm
from .models import DoseRecord, Prescription, Round, StockEntry
from .views_record import health_staff

STOCK_SERVICES: dict[str, Callable[..., StockEntry]] = {
    "receive": services.stock_receive,
    "waste": services.stock_waste,
    "count": services.stock_count,
}


def _rounds_label(p: Prescription) -> str:
    if p.as_needed:
        return _("As needed")
    return ", ".join(str(Round(r).label) for r in p.rounds)


# --- A person's medication ----------------------------------------------------------------------


@regime_page
def person_medication(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """Active and ended prescriptions, the doses of the last seven days; prescribers prescribe
    and stop here."""
    user = health_staff(request)
    access.ensure_patient(user, person_id)
    may_prescribe = access.profession_of(user) in access.PRESCRIBERS
    action = request.POST.get("action") if request.method == "POST" else None
    form = PrescriptionForm(
        request.POST if action == "prescribe" else None,
        prefix="rx",
        initial={"starts_on": clock.today(), "units_per_dose": 1},
    )
    stop_forms: dict[int, StopForm] = {}
    if action is not None:
        if not may_prescribe:
            raise PermissionDenied(_("Only a doctor or a dentist may prescribe."))
        if action == "prescribe":
            done = _prescribe(request, user, person_id, form)
        elif action == "stop":
            done, stop_forms = _stop(request, user, person_id)
        else:
            raise Http404
        if done:
            return redirect("health:person_medication", person_id)
    med = services.medication_of(actor=user, person_id=person_id)
    active = [
        {
            "p": p,
            "rounds": _rounds_label(p),
            "stop": stop_forms.get(p.pk) or StopForm(prefix=f"stop-{p.pk}"),
        }
        for p in med.active
    ]
    failed = form.is_bound or any(f.is_bound for f in stop_forms.values())
    return render(
        request,
        "health/medication/person.html",
        {
            "card": med.card,
            "active": active,
            "ended": [{"p": p, "rounds": _rounds_label(p)} for p in med.ended],
            "history": med.history,
            "history_days": services.HISTORY_DAYS,
            "form": form if may_prescribe else None,
            "may_prescribe": may_prescribe,
            "today": clock.today(),
        },
        status=400 if failed else 200,
    )


def _prescribe(
    request: AuthenticatedRequest, user: Any, person_id: int, form: PrescriptionForm
) -> bool:
    if not form.is_valid():
        return False
    try:
        p = services.prescription_create(actor=user, person_id=person_id, **form.cleaned_data)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        form.add_domain_error(exc.field, exc.message)
        return False
    messages.success(request, _("%(medicine)s is prescribed.") % {"medicine": p})
    return True


def _stop(
    request: AuthenticatedRequest, user: Any, person_id: int
) -> tuple[bool, dict[int, StopForm]]:
    try:
        pk = int(request.POST.get("prescription", ""))
    except ValueError as exc:
        raise Http404 from exc
    if not Prescription.objects.filter(pk=pk, person_id=person_id).exists():
        raise Http404
    form = StopForm(request.POST, prefix=f"stop-{pk}")
    if form.is_valid():
        try:
            p = services.prescription_stop(
                actor=user, prescription_id=pk, reason=form.cleaned_data["reason"]
            )
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            form.add_domain_error(exc.field, exc.message)
        else:
            messages.success(request, _("%(medicine)s is stopped.") % {"medicine": p})
            return True, {}
    return False, {pk: form}


# --- The round ------------------------------------------------------------------------------------


def _rounds_url(unit: int, day: dt.date, round_: str, anchor: str = "") -> str:
    query = urlencode({"unit": str(unit), "date": day.isoformat(), "round": round_})
    return f"{reverse('health:rounds')}?{query}{anchor}"


def _outcomes(as_needed: bool) -> list[tuple[str, str]]:
    allowed = services.AS_NEEDED_OUTCOMES if as_needed else DoseRecord.Outcome
    return [(o.value, str(o.label)) for o in allowed]


def _sheet_context(sheet: services.RoundSheet) -> dict[str, Any]:
    return {
        "sheet": sheet,
        "outcomes": _outcomes(False),
        "needed_outcomes": _outcomes(True),
    }


@regime_page
def rounds(request: AuthenticatedRequest) -> HttpResponse:
    """The round sheet of a unit: each person's due doses and what was recorded. ``?print=1``
    gives a layout to print and take round."""
    user = health_staff(request)
    if request.method == "POST":
        return _record_dose(request, user)
    units = services.units_of(user)
    choices = [(u.pk, u.name) for u in units]
    data = {
        "unit": request.GET.get("unit") or (units[0].pk if units else ""),
        "date": request.GET.get("date") or clock.today().isoformat(),
        "round": request.GET.get("round") or services.current_round(clock.now()),
    }
    choice = RoundChoiceForm(data, units=choices)
    sheet = None
    if units and choice.is_valid():
        sheet = services.round_sheet(
            actor=user,
            unit_id=choice.cleaned_data["unit"],
            day=choice.cleaned_data["date"],
            round=choice.cleaned_data["round"],
        )
    context = {"choice": choice, "units": units, **(_sheet_context(sheet) if sheet else {})}
    if sheet is not None and request.GET.get("print"):
        return render(request, "health/medication/rounds_print.html", context)
    status = 400 if units and choice.errors else 200
    return render(request, "health/medication/rounds.html", context, status=status)


def _record_dose(request: AuthenticatedRequest, user: Any) -> HttpResponse:
    """One dose from the sheet. With HTMX the row answers for itself; without, back to the
    sheet with a message."""
    form = DoseForm(request.POST)
    if not form.is_valid():
        raise DomainError(" ".join(str(e) for errs in form.errors.values() for e in errs))
    data = form.cleaned_data
    error = ""
    record: DoseRecord | None = None
    try:
        record = services.dose_record(
            actor=user,
            prescription_id=data["prescription"],
            day=data["date"],
            round=data["round"],
            outcome=data["outcome"],
            note=data["note"],
        )
    except NotFound:
        raise
    except DomainError as exc:
        error = exc.message
    p = Prescription.objects.get(pk=data["prescription"])
    if request.headers.get("HX-Request"):
        recorded = record or (
            DoseRecord.objects.filter(prescription=p, day=data["date"], round=data["round"]).first()
        )
        sheet = services.RoundSheet(
            unit_id=data["unit"],
            unit_name="",
            day=data["date"],
            round=data["round"],
            at=services.round_at(data["date"], data["round"]),
            recordable=True,
            persons=[],
        )
        context = {
            **_sheet_context(sheet),
            "d": services.SheetDose(p, recorded),
            "person": access.ensure_patient(user, p.person_id),
            "error": error,
            "saved": not error,
        }
        return render(request, "health/medication/_dose_response.html", context)
    if record is None:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("%(medicine)s: %(outcome)s.")
            % {"medicine": p, "outcome": record.get_outcome_display()},
        )
    return redirect(
        _rounds_url(data["unit"], data["date"], data["round"], f"#person-{p.person_id}")
    )


# --- The controlled-drug book ------------------------------------------------------------------


def _stock_post(
    request: AuthenticatedRequest, user: Any, forms: dict[str, Any], stock_id: int | None
) -> bool:
    """Run the receive, waste or count form that was sent; True when it was saved."""
    action = request.POST.get("action", "")
    form = forms.get(action)
    if form is None:
        raise Http404
    if not form.is_valid():
        return False
    data = dict(form.cleaned_data)
    target = data.pop("stock", stock_id)
    try:
        entry = STOCK_SERVICES[action](actor=user, stock_id=target, **data)
    except NotFound:
        raise
    except DomainError as exc:
        form.add_domain_error(exc.field, exc.message)
        return False
    values: dict[str, Any] = {"stock": entry.stock, "n": abs(entry.quantity)}
    if entry.kind == StockEntry.Kind.COUNT and entry.quantity != 0:
        messages.warning(
            request,
            _(
                "%(stock)s: %(counted)s units counted, the book said %(expected)s. "
                "The difference is recorded and flagged."
            )
            % {"stock": entry.stock, "counted": entry.counted, "expected": entry.expected},
        )
    elif entry.kind == StockEntry.Kind.COUNT:
        messages.success(request, _("%(stock)s: the count matched the book.") % values)
    elif entry.kind == StockEntry.Kind.RECEIVED:
        text = ngettext(
            "%(stock)s: %(n)s unit received.", "%(stock)s: %(n)s units received.", values["n"]
        )
        messages.success(request, text % values)
    else:
        text = ngettext(
            "%(stock)s: %(n)s unit wasted or returned.",
            "%(stock)s: %(n)s units wasted or returned.",
            values["n"],
        )
        messages.success(request, text % values)
    return True


def _stock_forms(request: AuthenticatedRequest, lines: list[tuple[int, str]] | None) -> Any:
    action = request.POST.get("action") if request.method == "POST" else None
    return {
        name: cls(request.POST if action == name else None, prefix=name, lines=lines)
        for name, cls in STOCK_FORMS.items()
    }


@regime_page
def controlled(request: AuthenticatedRequest) -> HttpResponse:
    """The facility's controlled drugs: balance, last count and whether it matched; receive,
    waste and count."""
    user = health_staff(request)
    lines = services.stock_lines(actor=user)
    forms = _stock_forms(request, [(line.stock.pk, str(line.stock)) for line in lines])
    if request.method == "POST":
        if _stock_post(request, user, forms, None):
            return redirect("health:controlled")
    failed = any(f.is_bound and f.errors for f in forms.values())
    return render(
        request,
        "health/medication/controlled.html",
        {"lines": lines, "forms": forms},
        status=400 if failed else 200,
    )


@regime_page
def controlled_stock(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The book of one controlled drug: every entry with the balance after it."""
    user = health_staff(request)
    stock = services.stock_line(actor=user, stock_id=pk)
    forms = _stock_forms(request, None)
    if request.method == "POST":
        if _stock_post(request, user, forms, stock.pk):
            return redirect("health:controlled_stock", stock.pk)
    rows = services.stock_ledger(actor=user, stock_id=stock.pk)
    failed = any(f.is_bound and f.errors for f in forms.values())
    return render(
        request,
        "health/medication/controlled_stock.html",
        {
            "stock": stock,
            "rows": list(reversed(rows)),
            "balance": rows[-1].balance if rows else 0,
            "forms": forms,
        },
        status=400 if failed else 200,
    )
