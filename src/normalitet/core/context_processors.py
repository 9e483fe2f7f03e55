"""Navigation built from what the user's role may do: deny by default, show nothing else."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from normalitet.identity.roles import Cap


def navigation(request: Any) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items: list[tuple[str, str]] = []
    if user.has_cap(Cap.PERSON_VIEW) or user.has_cap(Cap.PERSON_VIEW_MINIMAL):
        items.append((reverse("custody:person_search"), _("Persons")))
    if user.has_cap(Cap.ROLL_VIEW) or user.has_cap(Cap.ROLL_AGGREGATE):
        items.append((reverse("custody:roll"), _("Roll")))
    if user.has_cap(Cap.PLAN_EDIT):
        items.append((reverse("planning:caseload"), _("Caseload")))
    if user.has_cap(Cap.CUSTODY_TRANSFER) or user.has_cap(Cap.TRANSFER_DECIDE_REGIONAL):
        items.append((reverse("planning:transfer_queue"), _("Transfers")))
    if user.has_cap(Cap.REGIME_VIEW) or user.has_cap(Cap.REGIME_AGGREGATE):
        items.append((reverse("regime:index"), _("Daily life")))
    if user.has_cap(Cap.ATTENDANCE_RECORD):
        items.append((reverse("regime:registers"), _("Registers")))
    if user.has_cap(Cap.HEALTH_RECORD):
        items.append((reverse("health:index"), _("Health service")))
    if user.has_cap(Cap.OBSERVATION_CHECK):
        items.append((reverse("health:watch"), _("Observation")))
    if user.has_cap(Cap.CONTACT_VIEW):
        items.append((reverse("contact:index"), _("Family contact")))
    if user.has_cap(Cap.VISITOR_PORTAL):
        items.append((reverse("portal:home"), _("Family portal")))
    if user.has_cap(Cap.CUSTODY_ADMIT):
        items.append((reverse("custody:admit"), _("Admit")))
    if user.has_cap(Cap.ESTATE_VIEW):
        items.append((reverse("estate:index"), _("Estate")))
    if user.has_cap(Cap.USER_MANAGE) and user.is_staff:
        items.append((reverse("admin:index"), _("Administration")))
    # The current item is the one with the longest address the page lies under.
    path = request.path
    current = max((url for url, _label in items if path.startswith(url)), key=len, default=None)
    return {
        # What the user's role may do, by capability name, for templates to show actions.
        "caps": {c.name: user.has_cap(c) for c in Cap},
        "nav_items": [
            {"url": url, "label": label, "current": url == current} for url, label in items
        ],
    }
