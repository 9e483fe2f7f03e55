"""Pages of approved contacts: the family-contact desk (/contact/), a person's contacts and the
visitor list, the forms that change them, and a visitor's details and police checks.

Seeing takes ``CONTACT_VIEW``; changing takes ``CONTACT_EDIT`` (403 for a role without it).
Staff see only the persons in their caseload and the visitors who are contacts of them: anything
else is a 404, the same as a missing record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from normalitet.audit.services import record_access
from normalitet.core import clock
from normalitet.core.errors import DomainError
from normalitet.core.views import error_page, form_page, or_404
from normalitet.custody.models import CustodyEpisode
from normalitet.custody.views import person_form_page, person_header
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap

from . import access, contacts, restrictions
from .access import (
    caseload_person_ids,
    ensure_contact,
    ensure_police_check,
    ensure_visitor,
    search_visitors,
    visible_visitors,
)
from .contacts import check_states
from .domain.rules import VISIT_RULES, age_on, in_force
from .forms_contacts import (
    ContactDecideForm,
    ContactExistingForm,
    ContactNewForm,
    PoliceAnswerForm,
    ReasonForm,
    SupervisionForm,
    VisitorForm,
    VisitorSearchForm,
)
from .models import (
    BookingStatus,
    Contact,
    ContactStatus,
    PoliceCheckStatus,
    VisitBooking,
)
from .views_access import staff

# --- What the pages show ------------------------------------------------------------------------


def _person_url(person_id: int) -> str:
    return reverse("contact:person_contacts", args=[person_id])


# --- The desk -----------------------------------------------------------------------------------


def index(request: AuthenticatedRequest) -> HttpResponse:
    """The facility's family-contact desk: what waits for staff, today's visits and the court
    orders expiring this week."""
    user = staff(request)
    facility = or_404(access.contact_facility, actor=user)
    persons = caseload_person_ids(user)
    today = clock.today()
    rules = in_force(VISIT_RULES, today)
    requests = list(
        contacts.contact_requests_waiting(facility=facility).filter(person_id__in=persons)
    )
    checks = []
    for check in (
        contacts.police_checks_waiting(facility=facility)
        .filter(visitor_id__in=visible_visitors(user).values("pk"))
        .order_by("requested_on", "pk")
    ):
        days = (today - check.requested_on).days
        checks.append((check, days, days > rules.police_check_weeks * 7))
    start, end = clock.local_day_bounds(today)
    visits_today = (
        VisitBooking.objects.filter(facility=facility, starts_at__gte=start, starts_at__lt=end)
        .exclude(status__in=(BookingStatus.CANCELLED, BookingStatus.HELD))
        .count()
    )
    sunday = today + dt.timedelta(days=6 - today.weekday())
    expiring = list(
        restrictions.expiring(facility_id=facility.pk, start=today, end=sunday).filter(
            person_id__in=persons
        )
    )
    return render(
        request,
        "contact/index.html",
        {
            "facility": facility,
            "requests": requests,
            "checks": checks,
            "check_weeks": rules.police_check_weeks,
            "overdue": sum(1 for _c, _d, late in checks if late),
            "visits_today": visits_today,
            "expiring": expiring,
            "can_edit": can(user, Cap.CONTACT_EDIT),
            "can_import": can(user, Cap.PHONE_IMPORT),
        },
    )


# --- A person's contacts ------------------------------------------------------------------------


def _contacts_context(user: Any, episode: CustodyEpisode) -> dict[str, Any]:
    today = clock.today()
    rows = list(contacts.contacts_of(episode.person_id))
    states = check_states([c.visitor for c in rows], today)
    live = [c for c in rows if c.status == ContactStatus.APPROVED]
    return {
        **person_header(episode.person, episode=episode, minimal=not can(user, Cap.PERSON_VIEW)),
        "rows": [(c, states[c.visitor_id]) for c in rows],
        "entries": contacts.list_entries(live),
        "list_max": in_force(VISIT_RULES, today).visitor_list_max,
        "can_edit": can(user, Cap.CONTACT_EDIT),
    }


def person_contacts(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    user = staff(request)
    episode = or_404(access.ensure_episode, actor=user, person_id=person_id)
    record_access(actor=user, person_id=episode.person_id, what="contact.contacts")
    return render(request, "contact/contacts/person.html", _contacts_context(user, episode))


def contact_add(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """Add a contact: choose a visitor the actor may see (by name), or record a new one."""
    user = staff(request, Cap.CONTACT_EDIT)
    episode = or_404(access.ensure_episode, actor=user, person_id=person_id)
    search = VisitorSearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    taken = Contact.objects.filter(person_id=episode.person_id, status__in=contacts.LIVE).values(
        "visitor_id"
    )
    found = list(search_visitors(user, q).exclude(pk__in=taken)[:20]) if q else []
    chosen = None
    chosen_id = request.POST.get("visitor") or request.GET.get("visitor")
    if chosen_id and str(chosen_id).isdigit():
        chosen = visible_visitors(user).filter(pk=int(chosen_id)).first()
    mode = request.POST.get("mode", "")
    existing = ContactExistingForm(
        request.POST if mode == "existing" else None,
        initial={"visitor": chosen.pk if chosen else None},
        prefix="existing",
    )
    new = ContactNewForm(request.POST if mode == "new" else None, prefix="new")
    if request.method == "POST":
        form: Any = existing if mode == "existing" else new
        if mode not in ("existing", "new"):
            raise Http404
        if form.is_valid():
            try:
                contact = _add(user, episode, form, chosen, mode)
            except DomainError as exc:
                form.add_domain_error(exc.field, exc.message)
            else:
                messages.success(
                    request,
                    _("%(name)s is now an approved contact.") % {"name": contact.visitor},
                )
                return redirect("contact:person_contacts", episode.person_id)
    bound = existing.is_bound or new.is_bound
    return render(
        request,
        "contact/contacts/add.html",
        {
            **person_header(
                episode.person, episode=episode, minimal=not can(user, Cap.PERSON_VIEW)
            ),
            "search": search,
            "q": q,
            "found": found,
            "chosen": chosen,
            "existing": existing,
            "new": new,
        },
        status=400 if bound and (existing.errors or new.errors) else 200,
    )


def _add(user: Any, episode: CustodyEpisode, form: Any, chosen: Any, mode: str) -> Contact:
    data = form.cleaned_data
    if mode == "existing":
        if chosen is None or chosen.pk != data["visitor"]:
            raise DomainError(_("Choose the visitor from the search."), field="visitor")
        visitor = chosen
    else:
        visitor = None
    with transaction.atomic():
        if visitor is None:
            visitor = contacts.visitor_create(actor=user, **form.visitor_data())
        return contacts.contact_add(
            actor=user,
            episode=episode,
            visitor=visitor,
            relationship=data["relationship"],
            on_visitor_list=data["on_visitor_list"],
            note=data["note"],
        )


def _contact_form(
    request: AuthenticatedRequest,
    contact_id: int,
    form_class: type,
    title: str,
    run: Callable[..., Any],
    message: str,
    submit: str,
) -> HttpResponse:
    user = staff(request, Cap.CONTACT_EDIT)
    contact = or_404(ensure_contact, actor=user, contact_id=contact_id)
    back = _person_url(contact.person_id)
    return person_form_page(
        request,
        contact.person,
        form_class(request.POST if request.method == "POST" else None),
        title=title,
        run=lambda d: run(actor=user, contact=contact, **d),
        message=message,
        back=back,
        header=person_header(contact.person, minimal=not can(user, Cap.PERSON_VIEW)),
        extra={
            "subtitle": f"{contact.visitor.full_name} · {contact.get_relationship_display()}"
            f" · {contact.get_status_display()}",
            "submit_label": submit,
        },
    )


def contact_decide(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    return _contact_form(
        request,
        contact_id,
        ContactDecideForm,
        _("Decide the contact request"),
        contacts.contact_decide,
        _("The request is decided, and the visitor is told."),
        _("Save the decision"),
    )


def contact_end(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    return _contact_form(
        request,
        contact_id,
        ReasonForm,
        _("End the contact"),
        contacts.contact_end,
        _("The contact is ended. Visits still to come with them are cancelled."),
        _("End the contact"),
    )


def contact_supervision(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    return _contact_form(
        request,
        contact_id,
        SupervisionForm,
        _("Supervision of visits"),
        contacts.supervision_waive,
        _("Supervision of visits is saved."),
        _("Save"),
    )


@require_POST
def contact_list(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    """Put a contact on the visitor list (``on=1``) or take them off (``on=0``). A full list
    shows its message on the person's contacts page (409), nothing changed."""
    user = staff(request, Cap.CONTACT_EDIT)
    contact = or_404(ensure_contact, actor=user, contact_id=contact_id)
    on = request.POST.get("on") == "1"
    try:
        contacts.visitor_list_set(actor=user, contact=contact, on=on)
    except DomainError as exc:
        episode = or_404(access.ensure_episode, actor=user, person_id=contact.person_id)
        ctx = _contacts_context(user, episode)
        ctx["error"] = exc
        return render(request, "contact/contacts/person.html", ctx, status=exc.status_code)
    messages.success(
        request,
        (_("%(name)s is on the visitor list.") if on else _("%(name)s is off the visitor list."))
        % {"name": contact.visitor.full_name},
    )
    return redirect("contact:person_contacts", contact.person_id)


# --- Visitors and police checks -----------------------------------------------------------------


def visitor_detail(request: AuthenticatedRequest, visitor_id: int) -> HttpResponse:
    user = staff(request)
    visitor = or_404(ensure_visitor, actor=user, visitor_id=visitor_id)
    relations = list(
        Contact.objects.filter(visitor=visitor, person_id__in=caseload_person_ids(user))
        .select_related("person")
        .order_by("person__family_name", "person__given_names", "pk")
    )
    today = clock.today()
    state = check_states([visitor], today)[visitor.pk]
    checks = list(visitor.police_checks.select_related("facility").all())
    return render(
        request,
        "contact/contacts/visitor.html",
        {
            "visitor": visitor,
            "age": age_on(visitor.birth_date, today),
            "relations": relations,
            "checks": checks,
            "state": state,
            # A new check when none is valid, or the valid one lapses before an answer could
            # come (the police are allowed ``police_check_weeks``).
            "may_request": state.needed
            and not any(c.status == PoliceCheckStatus.REQUESTED for c in checks)
            and (
                state.valid_until is None
                or state.valid_until
                <= today + dt.timedelta(weeks=in_force(VISIT_RULES, today).police_check_weeks)
            ),
            "facility_id": user.facility_id,
            "can_edit": can(user, Cap.CONTACT_EDIT),
        },
    )


def visitor_edit(request: AuthenticatedRequest, visitor_id: int) -> HttpResponse:
    user = staff(request, Cap.CONTACT_EDIT)
    visitor = or_404(ensure_visitor, actor=user, visitor_id=visitor_id)
    form = VisitorForm(
        request.POST if request.method == "POST" else None,
        initial=VisitorForm.initial_of(visitor),
    )
    back = reverse("contact:visitor_detail", args=[visitor.pk])
    return form_page(
        request,
        form,
        template="contact/contacts/form.html",
        context={
            "title": _("Correct the visitor's details"),
            "intro": visitor,
            "cancel_url": back,
        },
        run=lambda _data: contacts.visitor_update(
            actor=user, visitor=visitor, **form.visitor_data()
        ),
        success=lambda _v: back,
        message=_("The visitor's details are saved."),
    )


@require_POST
def police_check_request(request: AuthenticatedRequest, visitor_id: int) -> HttpResponse:
    user = staff(request, Cap.CONTACT_EDIT)
    visitor = or_404(ensure_visitor, actor=user, visitor_id=visitor_id)
    facility = or_404(access.contact_facility, actor=user)
    try:
        contacts.police_check_request(
            actor=user, visitor=visitor, facility=facility, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        return error_page(request, exc)
    messages.success(request, _("The police check is requested."))
    return redirect("contact:visitor_detail", visitor.pk)


def police_check_answer(request: AuthenticatedRequest, check_id: int) -> HttpResponse:
    user = staff(request, Cap.CONTACT_EDIT)
    check = or_404(ensure_police_check, actor=user, check_id=check_id)
    back = reverse("contact:visitor_detail", args=[check.visitor_id])
    form = PoliceAnswerForm(request.POST if request.method == "POST" else None)
    return form_page(
        request,
        form,
        template="contact/contacts/form.html",
        context={
            "title": _("Record the police's answer"),
            "intro": _("%(name)s, requested %(date)s")
            % {"name": check.visitor, "date": check.requested_on.strftime("%d.%m.%Y")},
            "cancel_url": back,
        },
        run=lambda data: contacts.police_check_answer(actor=user, check=check, **data),
        success=lambda _c: back,
        message=_("The police's answer is recorded."),
    )
