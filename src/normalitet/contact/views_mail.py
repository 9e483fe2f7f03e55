"""Pages of the mail log (SGL § 30): the facility's mail today or this week, a person's mail
with the log form, and each step with an item.

Seeing takes ``CONTACT_VIEW``; logging and handling take ``MAIL_RECORD`` (403 for a role
without it). The buttons offered are the steps :func:`mail.next_actions` allows — the same rule
the service enforces. Anything outside the caseload is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from normalitet.audit.services import record_access
from normalitet.core.errors import DomainError
from normalitet.core.views import or_404
from normalitet.custody.models import CustodyEpisode
from normalitet.custody.views import person_form_page, person_header
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can
from normalitet.identity.roles import Cap

from . import mail
from .forms_mail import MailFilterForm, MailHandleForm, MailLogForm
from .models import Contact, ContactStatus, MailItem, MailKind
from .views_access import back_to, staff


def fields_for(item: MailItem, action: str, situation: mail.Situation) -> tuple[str, ...]:
    """The inputs a step takes; a step without any is one click."""
    parcel = item.kind == MailKind.PARCEL
    if action == "open_in_presence":
        return (
            "person_present",
            "witness",
            *(("contents_controlled", "contents") if parcel else ()),
        )
    if action == "pass":
        return ("reason",) if situation.high_security else ()
    if action in ("withhold", "return"):
        return ("reason",)
    if parcel and action in ("inspect", "police", "deliver", "send"):
        return ("contents_controlled", "contents")
    return ()


def with_actions(user: Any, items: list[MailItem]) -> list[tuple[MailItem, list[dict[str, Any]]]]:
    """Each item with the steps offered to ``user``: name, label, and whether it is one click."""
    may = can(user, Cap.MAIL_RECORD)
    found = mail.situations(items) if may and items else {}
    rows = []
    for item in items:
        steps = []
        if may:
            situation = found[item.pk]
            for action in mail.next_actions(item, situation):
                steps.append(
                    {
                        "action": action,
                        "label": mail.ACTION_LABELS[action],
                        "one_click": not fields_for(item, action, situation),
                    }
                )
        rows.append((item, steps))
    return rows


def _contact_choices(episode: CustodyEpisode) -> list[tuple[int, str]]:
    rows = Contact.objects.filter(
        person_id=episode.person_id, status=ContactStatus.APPROVED
    ).select_related("visitor")
    return [(c.pk, f"{c.visitor.full_name} ({c.get_relationship_display()})") for c in rows]


def mail_log(request: AuthenticatedRequest) -> HttpResponse:
    user = staff(request)
    form = MailFilterForm(request.GET or None)
    period, status = "today", ""
    if form.is_bound and form.is_valid():
        period = form.cleaned_data["period"] or "today"
        status = form.cleaned_data["status"]
    start, end, items = or_404(mail.facility_mail, actor=user, period=period, status=status)
    return render(
        request,
        "contact/mail/log.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "period": period,
            "rows": with_actions(user, items),
            "show_person": True,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def person_mail(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    user = staff(request)
    episode, items = or_404(mail.person_mail, actor=user, person_id=person_id)
    record_access(actor=user, person_id=episode.person_id, what="contact.mail")
    form = None
    if can(user, Cap.MAIL_RECORD):
        contacts = _contact_choices(episode)
        form = MailLogForm(request.POST or None, contacts=contacts)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            chosen = data.pop("contact")
            contact = (
                Contact.objects.select_related("visitor").filter(pk=chosen).first()
                if chosen
                else None
            )
            try:
                mail.mail_log(actor=user, episode=episode, contact=contact, **data)
            except DomainError as exc:
                form.add_domain_error(exc.field, exc.message)
            else:
                messages.success(request, _("The item is logged."))
                return redirect("contact:person_mail", episode.person_id)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "contact/mail/person.html",
        {
            **person_header(
                episode.person, episode=episode, minimal=not can(user, Cap.PERSON_VIEW)
            ),
            "rows": with_actions(user, items),
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


def mail_handle(request: AuthenticatedRequest, item_id: int, action: str) -> HttpResponse:
    """One step with an item: a form with the inputs it takes (a witness, a reason, the
    parcel's contents). The one-click buttons on the lists post here too."""
    user = staff(request, Cap.MAIL_RECORD)
    if action not in mail.ACTIONS:
        raise Http404
    item = or_404(mail.ensure_item, actor=user, item_id=item_id)
    record_access(actor=user, person_id=item.person_id, what="contact.mail")
    situation = mail.situation_of(item)
    keep = fields_for(item, action, situation)
    initial: dict[str, Any] = {"contents": item.contents}
    if action in ("withhold", "return") and situation.letter_ban:
        initial["reason"] = situation.ban_reason
    form = MailHandleForm(
        request.POST if request.method == "POST" else None, keep=keep, initial=initial
    )
    label = str(mail.ACTION_LABELS[action])
    return person_form_page(
        request,
        item.person,
        form,
        title=label,
        run=lambda d: mail.mail_handle(actor=user, item=item, action=action, **d),
        message=lambda i: (
            _("%(action)s: done (%(status)s).")
            % {"action": label, "status": i.get_status_display()}
        ),
        back=back_to(request, reverse("contact:person_mail", args=[item.person_id])),
        header=person_header(
            item.person, episode=item.episode, minimal=not can(user, Cap.PERSON_VIEW)
        ),
        extra={
            "subtitle": f"{item.get_direction_display()} · {item.get_kind_display()} · "
            f"{item.counterpart} · {item.get_status_display()}"
        },
    )
