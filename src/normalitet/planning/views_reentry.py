"""Pages of reentry coordination: a person's release readiness with their referrals and the
SGL § 41 duty, the forms to add a referral, update it and record consent, and the facility's
list of everyone leaving in the next 90 days."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from normalitet.audit.services import record_access
from normalitet.core import clock
from normalitet.core.dated import parameter_on
from normalitet.core.errors import NotFound
from normalitet.core.forms import DateInput, DsForm
from normalitet.custody.views import (
    open_episode_or_404,
    person_for,
    person_form_page,
    person_header,
)
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap

from .domain import rules
from .models import Partner, ReadinessArea, Referral, ReferralStatus
from .reentry import (
    COORDINATOR_HELP,
    consent_record,
    facility_releases,
    person_readiness,
    referral_add,
    referral_status_set,
)
from .selectors import plan_facility

_NOTE = gettext_lazy("Note")


class ReferralForm(DsForm):
    partner = forms.ChoiceField(label=gettext_lazy("Partner"), choices=Partner.choices)
    partner_name = forms.CharField(
        label=gettext_lazy("Office or organisation"),
        max_length=200,
        help_text=gettext_lazy("For example 'NAV Sandnes' or 'Boligkontoret i Fjellvik kommune'."),
    )
    area = forms.ChoiceField(label=gettext_lazy("Area"), choices=ReadinessArea.choices)
    purpose = forms.CharField(
        label=gettext_lazy("What for"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "What the person needs help with. No diagnoses, medication or treatment."
        ),
    )
    sent_on = forms.DateField(
        label=gettext_lazy("Sent"),
        required=False,
        widget=DateInput,
        help_text=gettext_lazy("Leave empty for today."),
    )
    meeting_on = forms.DateField(
        label=gettext_lazy("Meeting or start date"), required=False, widget=DateInput
    )
    note = forms.CharField(label=_NOTE, required=False, max_length=500)


class ReferralStatusForm(DsForm):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ReferralStatus.choices)
    status_on = forms.DateField(label=gettext_lazy("Date"), widget=DateInput)
    note = forms.CharField(
        label=_NOTE,
        required=False,
        max_length=500,
        help_text=gettext_lazy("Required when the referral is declined or withdrawn."),
    )


class ConsentForm(DsForm):
    consents = forms.TypedChoiceField(
        label=gettext_lazy("Does the person consent to coordinated release preparation?"),
        choices=[
            ("yes", gettext_lazy("Yes, the person consents")),
            ("no", gettext_lazy("No, the person does not consent")),
        ],
        coerce=lambda v: v == "yes",
    )
    given_on = forms.DateField(label=gettext_lazy("Date"), widget=DateInput)
    coordinator = forms.CharField(
        label=gettext_lazy("Coordinator"),
        required=False,
        max_length=200,
        help_text=COORDINATOR_HELP,
    )
    note = forms.CharField(label=_NOTE, required=False, max_length=500)


def _back(person_id: int) -> str:
    return reverse("planning:reentry_person", args=[person_id])


def reentry_page(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.PLAN_VIEW)
    episode = open_episode_or_404(person)
    record_access(actor=request.user, person_id=person.pk, what="person.reentry")
    today = clock.today()
    return render(
        request,
        "planning/reentry_person.html",
        {
            **person_header(person, episode=episode),
            "readiness": person_readiness(episode=episode, today=today),
            "can_edit": can(request.user, Cap.PLAN_EDIT),
            "today": today,
            "window_months": parameter_on(rules.READINESS_WINDOW_MONTHS, today).value,
        },
    )


def referral_new(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.PLAN_EDIT)
    episode = open_episode_or_404(person)
    area = request.GET.get("area", "")
    initial = {"sent_on": clock.today(), "area": area if area in ReadinessArea.values else ""}
    return person_form_page(
        request,
        person,
        ReferralForm(request.POST or None, initial=initial),
        title=_("Add a referral"),
        run=lambda d: referral_add(
            actor=request.user, episode=episode, **{**d, "sent_on": d["sent_on"] or clock.today()}
        ),
        message=_("Referral recorded."),
        back=_back(person.pk),
        header=person_header(person, episode=episode),
    )


def referral_status(
    request: AuthenticatedRequest, person_id: int, referral_id: int
) -> HttpResponse:
    person = person_for(request, person_id, Cap.PLAN_EDIT)
    episode = open_episode_or_404(person)
    referral = Referral.objects.filter(pk=referral_id, episode=episode).first()
    if referral is None:
        raise Http404
    initial = {"status": referral.status, "status_on": clock.today()}
    return person_form_page(
        request,
        person,
        ReferralStatusForm(request.POST or None, initial=initial),
        title=_("Update the referral"),
        run=lambda d: referral_status_set(actor=request.user, referral=referral, **d),
        message=_("Referral updated."),
        back=_back(person.pk),
        header=person_header(person, episode=episode),
        extra={"subtitle": f"{referral.partner_name}: {referral.purpose}"},
    )


def consent(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, Cap.PLAN_EDIT)
    episode = open_episode_or_404(person)
    return person_form_page(
        request,
        person,
        ConsentForm(request.POST or None, initial={"given_on": clock.today()}),
        title=_("Record consent to coordination (SGL § 41)"),
        run=lambda d: consent_record(actor=request.user, episode=episode, **d),
        message=_("The person's answer is recorded."),
        back=_back(person.pk),
        header=person_header(person, episode=episode),
        extra={
            "subtitle": _(
                "For a person under 25 who consents, release preparation with housing, work, "
                "education and welfare services is a duty, with a named coordinator."
            )
        },
    )


def releases(request: AuthenticatedRequest, facility_id: int) -> HttpResponse:
    try:
        facility = plan_facility(actor=request.user, facility_id=facility_id)
    except NotFound as exc:
        raise Http404 from exc
    today = clock.today()
    rows = facility_releases(actor=request.user, facility=facility, today=today)
    return render(
        request,
        "planning/reentry_releases.html",
        {
            "facility": facility,
            "rows": rows,
            "areas": ReadinessArea.choices,
            "today": today,
            "until": rules.release_list_end(today),
            "duty_not_met": sum(1 for r in rows if r.problems),
            "ask_consent": sum(1 for r in rows if r.ask_consent),
        },
    )
