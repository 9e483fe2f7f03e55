"""Phone pages: the facility's week (minutes used against each person's quota, calls flagged),
a person's numbers and use, the facility's phone setting and the import of call records.

Seeing takes ``CONTACT_VIEW`` (the persons of the caseload only); recording a number the person
asks for too; deciding and removing numbers ``CONTACT_EDIT``; the setting ``VISIT_MANAGE``; the
import ``PHONE_IMPORT``. A role without the capability gets 403; a person outside the caseload
is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from normalitet.audit.services import record_access
from normalitet.core.errors import DomainError
from normalitet.core.views import form_page, or_404
from normalitet.custody.models import CustodyEpisode
from normalitet.custody.views import person_form_page, person_header
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap

from . import access, contacts, phone
from .access import ensure_phone
from .forms_contacts import ReasonForm
from .forms_phone import CallImportForm, PhoneDecideForm, PhoneNumberForm, PhoneSettingForm
from .models import Contact, ContactStatus
from .views_access import staff


def _week(request: AuthenticatedRequest) -> Any:
    try:
        return phone.parse_week(request.GET.get("week"))
    except DomainError as exc:
        raise Http404(exc.message) from exc


def phone_usage(request: AuthenticatedRequest) -> HttpResponse:
    """The facility's week: each person's minutes against their quota (caseload only)."""
    user = staff(request)
    facility = or_404(access.contact_facility, actor=user)
    monday = _week(request)
    episodes = list(
        access.episodes_for(actor=user)
        .filter(facility=facility)
        .select_related("person", "unit")
        .order_by("person__family_name", "person__given_names", "pk")
    )
    rows = phone.usage_for_week(episodes=episodes, facility=facility, monday=monday)
    return render(
        request,
        "contact/phone/usage.html",
        {
            "facility": facility,
            "setting": phone.setting_of(facility),
            "rows": rows,
            "week": phone.week_label(monday),
            "previous": _shift(monday, -7),
            "next": _shift(monday, 7),
            "monday": monday,
            "over": sum(1 for r in rows if r.over_quota),
            "imports": list(phone.imports_of(facility)) if can(user, Cap.PHONE_IMPORT) else [],
            "can_manage": can(user, Cap.VISIT_MANAGE),
            "can_import": can(user, Cap.PHONE_IMPORT),
        },
    )


def _shift(monday: dt.date, days: int) -> str:
    return phone.week_label(monday + dt.timedelta(days=days))


def phone_setting(request: AuthenticatedRequest) -> HttpResponse:
    user = staff(request, Cap.VISIT_MANAGE)
    facility = or_404(access.contact_facility, actor=user)
    current = phone.setting_of(facility)
    form = PhoneSettingForm(
        request.POST if request.method == "POST" else None,
        initial={
            "weekly_minutes": current.weekly_minutes,
            "monitored": current.monitored,
            "monitoring_reason": current.monitoring_reason,
        },
    )
    back = reverse("contact:phone_usage")
    return form_page(
        request,
        form,
        template="contact/phone/setting.html",
        context={
            "facility": facility,
            "cancel_url": back,
            "default_monitored": phone.monitored_by_default(facility),
        },
        run=lambda data: phone.phone_setting_update(actor=user, facility=facility, **data),
        success=lambda _s: back,
        message=_("The phone setting is saved."),
    )


def phone_import(request: AuthenticatedRequest) -> HttpResponse:
    """Upload the phone system's call records; per-row errors are listed by line number."""
    user = staff(request, Cap.PHONE_IMPORT)
    facility = or_404(access.contact_facility, actor=user)
    form = CallImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = phone.calls_import(
                actor=user,
                facility=facility,
                filename=upload.name,
                content=upload.read(),
                import_valid=form.cleaned_data["import_valid"],
            )
        except DomainError as exc:
            form.add_domain_error("file", exc.message)
        else:
            if result.saved is not None:
                messages.success(
                    request,
                    _(
                        "Imported %(added)s calls; %(duplicates)s already imported and "
                        "%(errors)s rows with errors skipped. %(unapproved)s calls to numbers "
                        "not approved; %(banned)s calls during a court ban."
                    )
                    % {
                        "added": result.added,
                        "duplicates": result.duplicates,
                        "errors": len(result.errors),
                        "unapproved": result.unapproved,
                        "banned": result.during_ban,
                    },
                )
                return redirect("contact:phone_usage")
            form.add_domain_error(
                "file",
                _(
                    "Nothing was imported: %(n)s rows have errors. Correct the file, or choose "
                    "it again and tick the box to import the valid rows."
                )
                % {"n": len(result.errors)},
            )
    return render(
        request,
        "contact/phone/import.html",
        {"form": form, "result": result, "imports": list(phone.imports_of(facility))},
        status=400 if form.is_bound and form.errors else 200,
    )


def _contact_choices(person_id: int) -> list[tuple[int, str]]:
    rows = Contact.objects.filter(
        person_id=person_id, status=ContactStatus.APPROVED
    ).select_related("visitor")
    return [(c.pk, f"{c.visitor.full_name} ({c.get_relationship_display()})") for c in rows]


def _episode(user: Any, person_id: int) -> CustodyEpisode:
    episode: CustodyEpisode = or_404(access.ensure_episode, actor=user, person_id=person_id)
    return episode


def person_phone(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """The person's numbers and their use; staff record a number the person asks for."""
    user = staff(request)
    episode = _episode(user, person_id)
    record_access(actor=user, person_id=episode.person_id, what="contact.phone")
    form = PhoneNumberForm(
        request.POST if request.method == "POST" else None,
        contacts=_contact_choices(episode.person_id),
        may_approve=can(user, Cap.CONTACT_EDIT),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact = None
            if data["contact"] is not None:
                contact = contacts.contacts_of(episode.person_id).filter(pk=data["contact"]).first()
            phone.phone_number_add(
                actor=user,
                episode=episode,
                number=data["number"],
                label=data["label"],
                contact=contact,
                approve=data.get("approve", False),
            )
        except DomainError as exc:
            form.add_domain_error(exc.field, exc.message)
        else:
            messages.success(request, _("The number is recorded."))
            return redirect("contact:person_phone", episode.person_id)
    monday = _week(request)
    weeks = phone.person_weeks(episode=episode)
    return render(
        request,
        "contact/phone/person.html",
        {
            **person_header(
                episode.person, episode=episode, minimal=not can(user, Cap.PERSON_VIEW)
            ),
            "numbers": list(phone.numbers_of(episode.person_id)),
            "weeks": weeks,
            "calls": phone.person_calls(episode=episode, monday=monday),
            "week": phone.week_label(monday),
            "setting": phone.setting_of(episode.facility),
            "form": form,
            "can_edit": can(user, Cap.CONTACT_EDIT),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _number_form(
    request: AuthenticatedRequest,
    number_id: int,
    form_class: type,
    title: str,
    run: Any,
    message: str,
) -> HttpResponse:
    user = staff(request, Cap.CONTACT_EDIT)
    target = or_404(ensure_phone, actor=user, number_id=number_id)
    return person_form_page(
        request,
        target.person,
        form_class(request.POST if request.method == "POST" else None),
        title=title,
        run=lambda d: run(actor=user, phone=target, **d),
        message=message,
        back=reverse("contact:person_phone", args=[target.person_id]),
        header=person_header(target.person, minimal=not can(user, Cap.PERSON_VIEW)),
        extra={"subtitle": f"{target.number} · {target.label} · {target.get_status_display()}"},
    )


def phone_number_decide(request: AuthenticatedRequest, number_id: int) -> HttpResponse:
    return _number_form(
        request,
        number_id,
        PhoneDecideForm,
        _("Decide the number"),
        phone.phone_number_decide,
        _("The number is decided."),
    )


def phone_number_remove(request: AuthenticatedRequest, number_id: int) -> HttpResponse:
    return _number_form(
        request,
        number_id,
        ReasonForm,
        _("Remove the number"),
        phone.phone_number_remove,
        _("The number is removed."),
    )
