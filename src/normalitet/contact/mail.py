"""Mail and parcels (SGL § 30; STRPL § 186; RULES.md §§ 7, 8): a log of each letter and parcel
to and from a person, and the workflow that handles it.

The workflow enforces the law; the pages offer only the next steps :func:`next_actions` allows,
and :func:`mail_handle` refuses anything else with the same rule:

- post to and from a lawyer or an official body is privileged: it is only opened in the
  person's presence, with a second officer as witness, and never read (inspected), withheld or
  sent to the police; no court order stops it;
- other post in high security (the unit's level, else the facility's) is inspected, or passed
  without inspection only with the reason it was waived; in lower security it may be passed;
- a parcel is delivered or sent only with its contents controlled and described;
- withholding and returning need a reason;
- under a court ban on letters the item can only be withheld (the order is the reason) or
  returned; under police control it goes to the police before it is delivered or sent. A
  person under 18 keeps their post with their closest family (RULES.md § 7).

Every step is audited with who and when, never with the letter's content.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from normalitet.audit.services import record_change
from normalitet.core import clock
from normalitet.core.errors import Conflict, DomainError, NotFound
from normalitet.core.validation import ensure_open, text
from normalitet.custody.models import CustodyEpisode
from normalitet.identity.policies import ensure_cap
from normalitet.identity.roles import Cap

from . import access, restrictions
from .models import (
    Contact,
    ContactStatus,
    CourtRestriction,
    MailDirection,
    MailItem,
    MailKind,
    MailStatus,
)
from .visits import security_high

S = MailStatus
K = restrictions.K

# The step each action takes the item to.
ACTIONS: dict[str, str] = {
    "inspect": S.INSPECTED,
    "open_in_presence": S.OPENED_IN_PRESENCE,
    "pass": S.NOT_INSPECTED,
    "police": S.POLICE,
    "withhold": S.WITHHELD,
    "return": S.RETURNED,
    "deliver": S.DELIVERED,
    "send": S.SENT,
}
ACTION_LABELS: dict[str, Promise] = {
    "inspect": gettext_lazy("Inspect"),
    "open_in_presence": gettext_lazy("Open in the person's presence"),
    "pass": gettext_lazy("Pass without inspection"),
    "police": gettext_lazy("Send to the police"),
    "withhold": gettext_lazy("Withhold"),
    "return": gettext_lazy("Return to the sender"),
    "deliver": gettext_lazy("Deliver to the person"),
    "send": gettext_lazy("Send"),
}
# Statuses after which nothing more is done with the item.
DONE = (S.DELIVERED, S.SENT, S.RETURNED)
# Statuses still to handle: the mail log's filter.
TO_HANDLE = (S.LOGGED, S.INSPECTED, S.OPENED_IN_PRESENCE, S.NOT_INSPECTED, S.POLICE)
# Handled and cleared for delivery or sending.
CLEARED = (S.INSPECTED, S.OPENED_IN_PRESENCE, S.NOT_INSPECTED, S.POLICE)


@dataclass(frozen=True)
class Situation:
    """What the rules need to know about the item's person on the day it is handled."""

    high_security: bool
    letter_ban: bool
    letters_police: bool
    ban_reason: str = ""


def _ban_reason(orders: list[CourtRestriction]) -> str:
    ban = next((o for o in orders if o.kind == K.LETTER_BAN), None)
    if ban is None:
        return ""
    return _(
        "Withheld under the court's ban on letters (%(court)s, case %(case)s) until %(date)s."
    ) % {"court": ban.court, "case": ban.case_number, "date": ban.ends_on.strftime("%d.%m.%Y")}


def situations(items: list[MailItem], day: dt.date | None = None) -> dict[int, Situation]:
    """The situation of each item (by id), read in bulk (two queries)."""
    day = day or clock.today()
    person_ids = {i.person_id for i in items}
    orders: dict[int, list[CourtRestriction]] = {}
    rows = CourtRestriction.objects.filter(
        restrictions.in_force_on(day),
        person_id__in=person_ids,
        kind__in=[K.LETTER_BAN, K.LETTERS_POLICE],
    )
    for o in rows if person_ids else ():
        orders.setdefault(o.person_id, []).append(o)
    found = {}
    for item in items:
        mine = orders.get(item.person_id, [])
        kinds = {o.kind for o in mine}
        exempt = restrictions.family_exempt(item.episode.person.birth_date, day, [item.contact])
        found[item.pk] = Situation(
            high_security=security_high(item.episode),
            letter_ban=K.LETTER_BAN in kinds and not exempt,
            letters_police=K.LETTERS_POLICE in kinds and not exempt,
            ban_reason=_ban_reason(mine),
        )
    return found


def next_actions(item: MailItem, situation: Situation) -> list[str]:
    """The steps the law allows next for ``item``. The pages offer these and only these;
    :func:`mail_handle` refuses anything else."""
    status = item.status
    if status in DONE:
        return []
    finish = "deliver" if item.direction == MailDirection.IN else "send"
    if item.privileged:
        if status == S.LOGGED:
            return ["open_in_presence"]
        if status == S.OPENED_IN_PRESENCE:
            return [finish]
        return []
    if status == S.WITHHELD:
        return ["return"]
    if situation.letter_ban:
        return ["withhold", "return"]
    if situation.letters_police:
        if status == S.POLICE:
            return [finish, "withhold", "return"]
        return ["police", "withhold", "return"]
    if status == S.LOGGED:
        first = ["inspect"] if item.kind == MailKind.PARCEL else ["inspect", "pass"]
        return [*first, "withhold", "return"]
    if status in CLEARED:
        return [finish, "withhold", "return"]
    return []


def situation_of(item: MailItem) -> Situation:
    return situations([item])[item.pk]


# --- Selectors ----------------------------------------------------------------------------------


def _listed(items: QuerySet[MailItem]) -> QuerySet[MailItem]:
    return items.select_related(
        "person", "episode__unit", "episode__facility", "episode__person", "contact", "handled_by"
    )


def items_for(*, actor: Any) -> QuerySet[MailItem]:
    """The mail of the persons in the actor's caseload, in their current stay."""
    return MailItem.objects.filter(episode__in=access.episodes_for(actor=actor))


def ensure_item(*, actor: Any, item_id: int) -> MailItem:
    item = _listed(items_for(actor=actor)).filter(pk=item_id).first()
    if item is None:
        raise NotFound(_("No such mail item."))
    return item


def person_mail(*, actor: Any, person_id: int) -> tuple[CustodyEpisode, list[MailItem]]:
    episode = access.ensure_episode(actor=actor, person_id=person_id)
    items = list(_listed(MailItem.objects.filter(episode=episode))[:500])
    return episode, items


def facility_mail(
    *, actor: Any, period: str = "today", status: str = ""
) -> tuple[dt.date, dt.date, list[MailItem]]:
    """The mail of the actor's caseload logged today or this week (``period``), optionally
    only what is still to handle (``status="to_handle"``) or one status."""
    access.contact_facility(actor=actor)
    today = clock.today()
    start = today if period != "week" else today - dt.timedelta(days=today.weekday())
    end = today if period != "week" else start + dt.timedelta(days=6)
    first, _x = clock.local_day_bounds(start)
    _y, last = clock.local_day_bounds(end)
    items = items_for(actor=actor).filter(logged_at__gte=first, logged_at__lt=last)
    if status == "to_handle":
        items = items.filter(status__in=TO_HANDLE)
    elif status:
        if status not in S.values:
            raise DomainError(_("Choose a status from the list."), field="status")
        items = items.filter(status=status)
    return start, end, list(_listed(items).order_by("-logged_at", "-id")[:1000])


# --- Services -----------------------------------------------------------------------------------


def mail_log(
    *,
    actor: Any,
    episode: CustodyEpisode,
    direction: str,
    kind: str,
    counterpart: str,
    contact: Contact | None = None,
    privileged: bool = False,
    contents: str = "",
    note: str = "",
) -> MailItem:
    """Log a letter or parcel coming in or going out. Post from or to a contact who is a
    lawyer or an official body is privileged whatever was ticked."""
    ensure_cap(actor, Cap.MAIL_RECORD)
    episode = access.ensure_same_episode(actor=actor, episode=episode)
    ensure_open(episode)
    if direction not in MailDirection.values:
        raise DomainError(_("Choose whether the item comes in or goes out."), field="direction")
    if kind not in MailKind.values:
        raise DomainError(_("Choose a letter or a parcel."), field="kind")
    if contact is not None:
        if contact.person_id != episode.person_id or contact.status != ContactStatus.APPROVED:
            raise DomainError(_("Choose an approved contact of this person."), field="contact")
        privileged = privileged or contact.privileged
        if not counterpart.strip():
            counterpart = contact.visitor.full_name
    counterpart = text(counterpart, "counterpart", _("Give the sender or the recipient."), 200)
    contents = text(contents, "contents", None, 500)
    note = text(note, "note", None, 500)
    with transaction.atomic():
        item = MailItem.objects.create(
            person_id=episode.person_id,
            episode=episode,
            direction=direction,
            kind=kind,
            counterpart=counterpart,
            contact=contact,
            privileged=privileged,
            status=S.LOGGED,
            logged_at=clock.now(),
            logged_by=actor,
            contents=contents,
            reason=note,
        )
        record_change(
            actor=actor,
            action="contact.mail_log",
            obj=item,
            person_id=episode.person_id,
            data={"direction": direction, "kind": kind, "privileged": privileged},
        )
    return item


def refusal(item: MailItem, action: str, situation: Situation) -> str | None:
    """Why ``action`` may not be taken now, in words; None if it may."""
    if action not in ACTIONS:
        return _("Choose what to do with the item.")
    if action in next_actions(item, situation):
        return None
    if item.status in DONE:
        return _("The item has been handled already.")
    if item.privileged:
        if action in ("inspect", "pass", "withhold", "police", "return"):
            return _(
                "Post to and from a lawyer or an official body is opened only in the person's "
                "presence and never read, withheld or sent to the police (SGL § 30)."
            )
        return _("Open the item in the person's presence first.")
    if situation.letter_ban:
        return _(
            "The court has banned letters to and from this person: the item can only be "
            "withheld or returned."
        )
    if situation.letters_police and action in ("deliver", "send", "inspect", "pass"):
        return _(
            "The court ordered letters only under police control: send the item to the police "
            "before it is delivered or sent."
        )
    if action == "pass" and item.kind == MailKind.PARCEL:
        return _("A parcel's contents are always controlled.")
    if action == "open_in_presence":
        return _("Only post to and from a lawyer or an official body is opened this way.")
    if action in ("deliver", "send"):
        if (action == "deliver") != (item.direction == MailDirection.IN):
            return _("Incoming post is delivered; outgoing post is sent.")
        return _("Inspect the item first, or pass it without inspection.")
    return _("This step does not follow from where the item is now (%(status)s).") % {
        "status": item.get_status_display()
    }


def mail_handle(
    *,
    actor: Any,
    item: MailItem,
    action: str,
    witness: str = "",
    reason: str = "",
    contents_controlled: bool = False,
    contents: str = "",
    person_present: bool = False,
) -> MailItem:
    """Take the next step with an item, as :func:`next_actions` allows."""
    ensure_cap(actor, Cap.MAIL_RECORD)
    item = ensure_item(actor=actor, item_id=item.pk)
    witness = text(witness, "witness", None, 200)
    reason = text(reason, "reason", None, 500)
    contents = text(contents, "contents", None, 500)
    with transaction.atomic():
        locked = MailItem.objects.select_for_update().get(pk=item.pk)
        locked.episode, locked.contact = item.episode, item.contact
        situation = situation_of(locked)
        why = refusal(locked, action, situation)
        if why is not None:
            raise Conflict(why, field="action", rule="mail")
        if action == "open_in_presence":
            if not person_present:
                raise DomainError(
                    _("The item is opened only with the person present."),
                    field="person_present",
                    rule="mail",
                )
            if not witness:
                raise DomainError(
                    _("Name the second officer who was present."), field="witness", rule="mail"
                )
        if action == "pass" and situation.high_security and not reason:
            raise DomainError(
                _(
                    "In high security post is inspected: give the reason inspection was waived "
                    "(SGL § 30)."
                ),
                field="reason",
                rule="mail",
            )
        if action == "withhold" and not reason:
            reason = situation.ban_reason if situation.letter_ban else ""
            if not reason:
                raise DomainError(_("Give the reason the item is withheld."), field="reason")
        if action == "return" and not reason:
            if situation.letter_ban:
                reason = situation.ban_reason
            else:
                raise DomainError(_("Give the reason the item is returned."), field="reason")
        if contents:
            locked.contents = contents
        if contents_controlled and locked.kind == MailKind.PARCEL:
            locked.contents_controlled = True
        if action in ("deliver", "send") and locked.kind == MailKind.PARCEL:
            if not locked.contents_controlled:
                raise DomainError(
                    _("Control the parcel's contents before it is delivered or sent."),
                    field="contents_controlled",
                    rule="mail",
                )
            if not locked.contents:
                raise DomainError(
                    _("Describe the parcel's contents before it is delivered or sent."),
                    field="contents",
                    rule="mail",
                )
        locked.status = ACTIONS[action]
        locked.handled_at = clock.now()
        locked.handled_by = actor
        if witness:
            locked.witness = witness
        if reason:
            locked.reason = reason
        locked.save(
            update_fields=[
                "status",
                "handled_at",
                "handled_by",
                "witness",
                "reason",
                "contents",
                "contents_controlled",
                "updated_at",
            ]
        )
        record_change(
            actor=actor,
            action=f"contact.mail_{action}",
            obj=locked,
            person_id=locked.person_id,
            data={
                "status": locked.status,
                "privileged": locked.privileged,
                "witness": bool(witness),
                "contents_controlled": locked.contents_controlled,
            },
            reason=reason if action in ("withhold", "return", "pass") else "",
        )
    return locked
