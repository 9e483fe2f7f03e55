"""Pages of placement and transfers: a person's placement recommendation, proposing a
transfer, the transfer case with its decision and execution, the decision letter, and the
queue of open cases (for a facility, or for a regional office the cases it decides)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from normalitet.audit.services import record_access
from normalitet.core.errors import DomainError
from normalitet.core.forms import DsForm
from normalitet.core.views import error_page
from normalitet.custody.views import (
    open_episode_or_404,
    person_for,
    person_form_page,
    person_header,
)
from normalitet.estate.models import Facility
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap

from . import transfers
from .models import DecisionLevel, TransferCase, TransferReason
from .placement import LEVEL_LABELS, placement_for, stored_reasons
from .plan_views import render_printable


class ProposeForm(DsForm):
    to_facility = forms.ModelChoiceField(
        label=gettext_lazy("To facility"),
        queryset=Facility.objects.none(),
        help_text=gettext_lazy("The recommended facilities come first."),
    )
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=TransferReason.choices)
    justification = forms.CharField(
        label=gettext_lazy("Justification"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Why this facility, for this person, now: risk, needs, the plan, home and family."
        ),
    )

    def __init__(self, *args: Any, choices: list[Facility], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_facility"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Facility.objects.filter(pk__in=[f.pk for f in choices])
        field.choices = [("", "---------")] + [
            (f.pk, f"{f.name} ({LEVEL_LABELS.get(f.security_level, f.security_level)})")
            for f in choices
        ]


class DecideForm(DsForm):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("", "—"),
            ("granted", gettext_lazy("Grant the transfer")),
            ("refused", gettext_lazy("Refuse the transfer")),
        ],
    )
    reasons = forms.CharField(
        label=gettext_lazy("Reasons for the decision"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The person reads these in the decision letter."),
    )


class WithdrawForm(DsForm):
    note = forms.CharField(label=gettext_lazy("Why is the case withdrawn?"), max_length=500)


def placement_page(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.PLAN_VIEW)
    episode = open_episode_or_404(person)
    record_access(actor=request.user, person_id=person.pk, what="person.placement")
    cases = list(
        TransferCase.objects.filter(episode=episode)
        .select_related("from_facility", "to_facility")
        .order_by("-proposed_at", "-id")[:50]
    )
    return render(
        request,
        "planning/placement.html",
        {
            **person_header(person, episode=episode),
            "placement": placement_for(episode=episode),
            "open_case": next((c for c in cases if c.is_open), None),
            "cases": cases,
            "can_propose": can(request.user, Cap.CUSTODY_TRANSFER),
        },
    )


def propose(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.CUSTODY_TRANSFER)
    episode = open_episode_or_404(person)
    placement = placement_for(episode=episode)
    rec = placement.recommendation
    choices = [placement.facilities[r.option.facility_id] for r in rec.ranked]
    best = rec.best
    initial: dict[str, Any] = {"to_facility": best.option.facility_id if best else None}
    if rec.level != placement.current_level and best is not None:
        initial["reason"] = TransferReason.PROGRESSION
    return person_form_page(
        request,
        person,
        ProposeForm(request.POST or None, initial=initial, choices=choices),
        title=_("Propose a transfer"),
        run=lambda d: transfers.transfer_propose(
            actor=request.user, episode=episode, placement=placement, **d
        ),
        message=_("The transfer is proposed."),
        back=reverse("planning:placement", args=[person.pk]),
        success=lambda case: reverse("planning:transfer", args=[case.pk]),
        header=person_header(person, episode=episode),
        extra={"intro": placement.decided_by_text},
    )


def _case_or_404(request: AuthenticatedRequest, case_id: int) -> TransferCase:
    try:
        return transfers.case_for(request.user, case_id)
    except DomainError as exc:
        raise Http404 from exc


def case_page(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = _case_or_404(request, case_id)
    record_access(actor=request.user, person_id=case.person_id, what="person.transfer_case")
    user = request.user
    snapshot = case.recommendation or {}
    return render(
        request,
        "planning/transfer_case.html",
        {
            "case": case,
            "person": case.person,
            "recommended_level": LEVEL_LABELS.get(snapshot.get("level", ""), ""),
            "follows": snapshot.get("follows_recommendation"),
            "reasons": stored_reasons(snapshot.get("reasons", [])),
            "facility_reasons": stored_reasons(snapshot.get("facility_reasons", [])),
            "decided_by_text": stored_reasons(snapshot.get("decision", [])),
            "decide_form": DecideForm() if transfers.may_decide(user, case) else None,
            "can_execute": transfers.may_execute(user, case),
            "withdraw_form": WithdrawForm() if transfers.may_withdraw(user, case) else None,
            "is_regional": case.decision_level == DecisionLevel.REGIONAL,
            "can_open_person": can(user, Cap.PLAN_VIEW),
        },
    )


def _case_action(
    request: AuthenticatedRequest, case_id: int, form: Any, run: Any, message: str
) -> HttpResponse:
    case = _case_or_404(request, case_id)
    if form is not None and not form.is_valid():
        messages.error(request, _("Check the form: %(errors)s") % {"errors": _form_errors(form)})
        return redirect("planning:transfer", case.pk)
    try:
        run(case, form.cleaned_data if form is not None else {})
    except DomainError as exc:
        return error_page(request, exc)
    messages.success(request, message)
    return redirect("planning:transfer", case.pk)


def _form_errors(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@require_POST
def decide(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    return _case_action(
        request,
        case_id,
        DecideForm(request.POST),
        lambda case, d: transfers.transfer_decide(
            actor=request.user,
            case=case,
            granted=d["decision"] == "granted",
            reasons=d["reasons"],
        ),
        _("The decision is recorded. Give the person the decision letter."),
    )


@require_POST
def execute(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    return _case_action(
        request,
        case_id,
        None,
        lambda case, _d: transfers.transfer_execute(actor=request.user, case=case),
        _("The transfer is carried out. The receiving facility allocates the cell."),
    )


@require_POST
def withdraw(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    return _case_action(
        request,
        case_id,
        WithdrawForm(request.POST),
        lambda case, d: transfers.transfer_withdraw(actor=request.user, case=case, **d),
        _("The case is withdrawn."),
    )


def letter(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    """The decision letter to give the person: what was decided, why, and how and by when to
    appeal (SGL § 7 e), in the language asked for (``?lang=nb`` or ``?lang=en``)."""
    case = _case_or_404(request, case_id)
    if case.decided_at is None:
        raise Http404
    record_access(actor=request.user, person_id=case.person_id, what="person.transfer_letter")
    regional = case.decision_level == DecisionLevel.REGIONAL
    region = case.from_facility.region.name

    def appeal_to() -> dict[str, Any]:  # in the letter's language
        if regional:
            return {"appeal_to": _("the Directorate of the Norwegian Correctional Service")}
        return {"appeal_to": _("the regional office, %(region)s") % {"region": region}}

    return render_printable(
        request,
        "planning/transfer_letter.html",
        {
            "case": case,
            "person": case.person,
            "decided_by": region if regional else case.from_facility.name,
        },
        lazy=appeal_to,
    )


def queue(request: AuthenticatedRequest) -> HttpResponse:
    """Open transfer cases: a facility's own, or those a regional office decides."""
    user = request.user
    try:
        cases = transfers.listed_cases(user)
    except DomainError as exc:
        raise Http404 from exc
    return render(
        request,
        "planning/transfer_queue.html",
        {
            "cases": cases,
            "regional": can(user, Cap.TRANSFER_DECIDE_REGIONAL),
            "awaiting": sum(1 for c in cases if transfers.may_decide(user, c)),
        },
    )
