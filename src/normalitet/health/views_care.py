"""Pages of continuity of care: the facility's referrals and the releases lacking one, a person's
referrals, one referral (its status, the person's consent, the handover summaries) and the
printable summary for the receiving provider. Health staff of a facility only (else 404); every
page of a person's record logs the read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from normalitet.core import clock
from normalitet.core.errors import DomainError
from normalitet.core.views import form_page, or_404, regime_page
from normalitet.identity.models import AuthenticatedRequest

from . import access, audit
from . import services_care as services
from .forms_care import ConsentForm, ReferralForm, ReferralStatusForm
from .models import CareReferral, HandoverConsent, HandoverSummary
from .views_record import action_id, health_staff, patient_card


@require_GET
def referrals(request: AuthenticatedRequest) -> HttpResponse:
    """The facility's referrals by status, and the releases within the lead time lacking one."""
    user = health_staff(request)
    status = request.GET.get("status", "")
    if status not in CareReferral.Status.values:
        status = ""
    cards = access.caseload(user)
    return render(
        request,
        "health/care/referrals.html",
        {
            "rows": services.facility_referrals(user, status=status or None, cards=cards),
            "releases": services.releases_without_referral(user, cards),
            "statuses": CareReferral.Status.choices,
            "status": status,
        },
    )


@require_http_methods(["GET", "POST"])
def person_referrals(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """The person's referrals, and a new one."""
    user = health_staff(request)
    card = patient_card(user, person_id, "referrals")
    rows = list(services.referrals_of(card.person_id))
    consents = services.consents_in_force(r.pk for r in rows)
    return form_page(
        request,
        ReferralForm(request.POST if request.method == "POST" else None),
        template="health/care/person.html",
        context={
            "card": card,
            "rows": [(r, consents.get(r.pk)) for r in rows],
        },
        run=lambda d: services.referral_create(actor=user, person_id=card.person_id, **d),
        success=lambda r: reverse("health:referral_detail", args=[r.pk]),
        message=_("The referral is prepared. Send it to the provider in good time."),
    )


def _detail(
    request: AuthenticatedRequest,
    referral: CareReferral,
    card: Any,
    forms: dict[str, Any],
    error: DomainError | None = None,
) -> HttpResponse:
    consents = list(HandoverConsent.objects.filter(referral=referral).order_by("-given_on", "-id"))
    in_force = services.consent_in_force(referral)
    invalid = any(f.is_bound and f.errors for f in forms.values())
    status = error.status_code if error else (400 if invalid else 200)
    return render(
        request,
        "health/care/detail.html",
        {
            "card": card,
            "referral": referral,
            "history": services.history_of(referral),
            "consents": consents,
            "in_force": in_force,
            "summaries": list(HandoverSummary.objects.filter(referral=referral)),
            "sections": services.SECTIONS,
            "is_final": referral.status in services.FINAL,
            "forms": forms,
            "error": error,
        },
        status=status,
    )


@regime_page
@require_http_methods(["GET", "POST"])
def referral_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One referral: move it on, record or withdraw the person's consent, produce a summary."""
    user = health_staff(request)
    referral, card = or_404(services.ensure_referral, actor=user, referral_id=pk)
    audit.record_access(actor=user, person_id=card.person_id, what="referral")
    here = reverse("health:referral_detail", args=[referral.pk])
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = {
        "status": ReferralStatusForm(
            request.POST if action == "status" else None,
            prefix="status",
            statuses=services.next_statuses(referral.status),
        ),
        "consent": ConsentForm(
            request.POST if action == "consent" else None,
            prefix="consent",
            initial={"given_on": clock.today(), "scope": list(services.SECTIONS)},
        ),
    }
    form = forms.get(action)
    if form is not None and form.is_valid():
        try:
            if action == "status":
                services.referral_status(actor=user, referral_id=referral.pk, **form.cleaned_data)
                done = _("The status is changed.")
            else:
                services.consent_record(actor=user, referral_id=referral.pk, **form.cleaned_data)
                done = _("The consent is recorded.")
        except DomainError as exc:
            form.add_domain_error(exc.field, exc.message)
        else:
            messages.success(request, done)
            return redirect(here)
    elif action.startswith("withdraw:") or action == "handover":
        try:
            if action == "handover":
                summary = services.handover_produce(actor=user, referral_id=referral.pk)
                messages.success(request, _("The summary is produced. Print it for the provider."))
                return redirect("health:handover", referral.pk, summary.pk)
            consent_id = action_id(action, "withdraw:")
            if not HandoverConsent.objects.filter(pk=consent_id, referral=referral).exists():
                raise Http404
            services.consent_withdraw(actor=user, consent_id=consent_id)
        except DomainError as exc:
            referral.refresh_from_db()
            return _detail(request, referral, card, forms, exc)
        messages.success(request, _("The consent is withdrawn."))
        return redirect(here)
    return _detail(request, referral, card, forms)


@regime_page
@require_GET
def handover(request: AuthenticatedRequest, pk: int, summary_id: int) -> HttpResponse:
    """The handover summary as it was produced, to print for the receiving provider."""
    user = health_staff(request)
    summary, card = or_404(
        services.ensure_summary, actor=user, summary_id=summary_id, referral_id=pk
    )
    audit.record_access(actor=user, person_id=card.person_id, what="handover")
    content = services.readable(summary.content)
    return render(
        request,
        "health/care/handover.html",
        {
            "card": card,
            "summary": summary,
            "referral": summary.referral,
            "content": content,
            # The sections the person agreed to share, in the consent form's order.
            "shared": [
                label for key, label in services.SECTIONS.items() if key in content["sections"]
            ],
        },
    )
