"""Reentry coordination (SGL § 41; RULES.md § 10): referrals to outside partners (NAV, municipal
housing, health and addiction services, county education, employers, voluntary organisations),
release readiness per person from six months before the expected release and per facility for
everyone leaving in the next 90 days, and the SGL § 41 duty for persons under 25 who consent.

The rules themselves (readiness per area, what the duty needs) are pure functions in
``domain/readiness.py``; the months, days and age limit are parameters in ``domain/rules.py``.
Services refuse bad input with a ``DomainError`` before anything is written; the audit event
holds codes and dates only, the free text stays in the record.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from normalitet.audit.services import record_change
from normalitet.core import clock
from normalitet.core.dated import age_on, parameter_on
from normalitet.core.errors import DomainError
from normalitet.core.validation import clean_and_save, ensure_open, text
from normalitet.custody.caseload import open_episodes_in_caseload
from normalitet.custody.models import CustodyEpisode
from normalitet.estate.models import Facility
from normalitet.identity.policies import can, ensure_cap
from normalitet.identity.roles import Cap

from . import checks
from .domain import readiness, rules
from .models import (
    CoordinationConsent,
    NeedsDomain,
    NeedsItem,
    NeedStatus,
    Partner,
    ReadinessArea,
    Referral,
    ReferralStatus,
)

S = ReferralStatus
# Allowed changes of a referral's status. A declined or withdrawn referral is closed: send a
# new one. An arrangement in place can still fall through (declined or withdrawn).
REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    S.SENT: frozenset({S.ACKNOWLEDGED, S.ACCEPTED, S.IN_PLACE, S.DECLINED, S.WITHDRAWN}),
    S.ACKNOWLEDGED: frozenset({S.ACCEPTED, S.IN_PLACE, S.DECLINED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.IN_PLACE, S.DECLINED, S.WITHDRAWN}),
    S.IN_PLACE: frozenset({S.DECLINED, S.WITHDRAWN}),
    S.DECLINED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
NEEDS_A_NOTE = (S.DECLINED, S.WITHDRAWN)

AREA_STATUS_LABELS = {
    readiness.IN_PLACE: gettext_lazy("In place"),
    readiness.IN_PROGRESS: gettext_lazy("In progress"),
    readiness.NOT_STARTED: gettext_lazy("Not started"),
    readiness.DECLINED: gettext_lazy("Declined by the person"),
    readiness.NO_NEED: gettext_lazy("No need"),
}
DUTY_PROBLEMS = {
    "coordinator": gettext_lazy("SGL § 41 duty not met: no coordinator is named."),
    "housing": gettext_lazy("SGL § 41 duty not met: no referral for housing."),
    "income": gettext_lazy("SGL § 41 duty not met: no referral for income or a job."),
}
COORDINATOR_HELP = gettext_lazy(
    "Who coordinates the release preparation, for example 'NAV Grünerløkka, veileder Kari Hansen'."
)


# --- Services ---------------------------------------------------------------------------------


def referral_add(
    *,
    actor: Any,
    episode: CustodyEpisode,
    partner: str,
    partner_name: str,
    area: str,
    purpose: str,
    sent_on: dt.date,
    meeting_on: dt.date | None = None,
    note: str = "",
) -> Referral:
    """Record a referral sent to an outside partner for one area of release readiness
    (SGL § 41: contact with housing, work, education and welfare services in good time)."""
    ensure_cap(actor, Cap.PLAN_EDIT)
    if partner not in Partner.values:
        raise DomainError(_("Choose a partner."), field="partner")
    partner_name = text(partner_name, "partner_name", _("Name the office or organisation."), 200)
    if area not in ReadinessArea.values:
        raise DomainError(_("Choose an area."), field="area")
    purpose = text(purpose, "purpose", _("Say what the referral is for."), 500)
    note = text(note, "note", None, 500)
    if sent_on > clock.today():
        raise DomainError(_("A referral cannot be sent in the future."), field="sent_on")
    if sent_on < checks.admitted_on(episode):
        raise DomainError(_("The referral is before the admission."), field="sent_on")
    if meeting_on is not None and meeting_on < sent_on:
        raise DomainError(
            _("The meeting or start date is before the referral was sent."), field="meeting_on"
        )
    ensure_open(episode)
    with transaction.atomic():
        now = clock.now()
        referral = Referral(
            episode=episode,
            person_id=episode.person_id,
            partner=partner,
            partner_name=partner_name,
            area=area,
            purpose=purpose,
            sent_on=sent_on,
            status=S.SENT,
            status_on=sent_on,
            meeting_on=meeting_on,
            note=note,
            created_at=now,
            created_by=actor,
            updated_at=now,
            updated_by=actor,
        )
        clean_and_save(referral)
        record_change(
            actor=actor,
            action="planning.referral_add",
            obj=referral,
            person_id=episode.person_id,
            data={"partner": partner, "area": area, "sent_on": sent_on, "meeting_on": meeting_on},
        )
    return referral


def referral_status_set(
    *, actor: Any, referral: Referral, status: str, status_on: dt.date, note: str = ""
) -> Referral:
    """Move a referral to another status by ``REFERRAL_TRANSITIONS``, dated. A declined or
    withdrawn referral needs a note saying why; a new note replaces the old one."""
    ensure_cap(actor, Cap.PLAN_EDIT)
    if status not in S.values:
        raise DomainError(_("Choose a status."), field="status")
    note = text(note, "note", None, 500)
    if status in NEEDS_A_NOTE and not note:
        raise DomainError(_("Say why the referral was declined or withdrawn."), field="note")
    if status_on > clock.today():
        raise DomainError(_("The date cannot be in the future."), field="status_on")
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update().select_related("episode").get(pk=referral.pk)
        )
        ensure_open(referral.episode)
        if status == referral.status:
            raise DomainError(_("The referral already has this status."), field="status")
        if status not in REFERRAL_TRANSITIONS[referral.status]:
            raise DomainError(
                _("A referral that is %(from)s cannot become %(to)s.")
                % {"from": S(referral.status).label, "to": S(status).label},
                field="status",
                rule="referral-transition",
            )
        if status_on < referral.sent_on:
            raise DomainError(_("The date is before the referral was sent."), field="status_on")
        if status_on < referral.status_on:
            raise DomainError(
                _("The date is before the referral's current status (%(date)s).")
                % {"date": referral.status_on.isoformat()},
                field="status_on",
            )
        previous = referral.status
        referral.status, referral.status_on = status, status_on
        if note:
            referral.note = note
        referral.updated_at, referral.updated_by = clock.now(), actor
        clean_and_save(
            referral, update_fields=["status", "status_on", "note", "updated_at", "updated_by"]
        )
        record_change(
            actor=actor,
            action="planning.referral_status",
            obj=referral,
            person_id=referral.person_id,
            data={"from": previous, "to": status, "status_on": status_on},
        )
    return referral


def consent_record(
    *,
    actor: Any,
    episode: CustodyEpisode,
    consents: bool,
    given_on: dt.date,
    coordinator: str = "",
    note: str = "",
) -> CoordinationConsent:
    """Record whether a person under 25 consents to coordinated release preparation
    (SGL § 41 second paragraph: for them it is then a duty). A consent names who coordinates.
    The newest answer is in force; a person may withdraw consent at any time."""
    ensure_cap(actor, Cap.PLAN_EDIT)
    if not isinstance(consents, bool):
        raise DomainError(_("Say whether the person consents."), field="consents")
    coordinator = text(coordinator, "coordinator", None, 200)
    note = text(note, "note", None, 500)
    if given_on > clock.today():
        raise DomainError(_("The date cannot be in the future."), field="given_on")
    if given_on < checks.admitted_on(episode):
        raise DomainError(_("The date is before the admission."), field="given_on")
    ensure_open(episode)
    birth_date = episode.person.birth_date
    if not rules.under_section_41_age(birth_date, given_on):
        limit = parameter_on(rules.SECTION_41_AGE_LIMIT, given_on)
        raise DomainError(
            _(
                "The SGL § 41 duty is for persons under %(limit)s; the person was %(age)s "
                "on that date."
            )
            % {"limit": limit.value, "age": age_on(birth_date, given_on)},
            field="given_on",
            rule=limit.source,
        )
    if consents and not coordinator:
        raise DomainError(
            _("A consent needs a coordinator: name who coordinates the release preparation."),
            field="coordinator",
        )
    with transaction.atomic():
        CustodyEpisode.objects.select_for_update().get(pk=episode.pk)
        current = CoordinationConsent.objects.filter(episode=episode).first()
        if current is not None and given_on < current.given_on:
            raise DomainError(
                _("The date is before the answer in force (%(date)s).")
                % {"date": current.given_on.isoformat()},
                field="given_on",
            )
        consent = CoordinationConsent(
            episode=episode,
            person_id=episode.person_id,
            consents=consents,
            given_on=given_on,
            coordinator=coordinator,
            note=note,
            recorded_at=clock.now(),
            recorded_by=actor,
        )
        clean_and_save(consent)
        record_change(
            actor=actor,
            action="planning.coordination_consent",
            obj=consent,
            person_id=episode.person_id,
            data={"consents": consents, "given_on": given_on, "coordinator": bool(coordinator)},
        )
    return consent


# --- Selectors --------------------------------------------------------------------------------


@dataclass
class AreaReadiness:
    area: str
    label: Any
    status: str  # one of domain.readiness.STATUSES
    status_label: Any
    needs: list[tuple[str, str]]  # (needs domain, its status) from the needs mapping
    referrals: list[Referral]

    @property
    def needs_display(self) -> list[tuple[Any, Any]]:
        return [(NeedsDomain(d).label, NeedStatus(s).label) for d, s in self.needs]


@dataclass
class Readiness:
    """Release readiness of one person on ``today``, with the SGL § 41 duty."""

    episode: CustodyEpisode
    today: dt.date
    expected_release: dt.date | None
    window_opens: dt.date | None
    age: int
    areas: list[AreaReadiness]
    section_41: readiness.Section41
    consents: list[CoordinationConsent] = field(default_factory=list)  # newest first

    @property
    def consent(self) -> CoordinationConsent | None:
        """The answer in force."""
        return self.consents[0] if self.consents else None

    @property
    def window_open(self) -> bool:
        return self.window_opens is not None and self.window_opens <= self.today

    @property
    def days_left(self) -> int | None:
        return None if self.expected_release is None else (self.expected_release - self.today).days

    @property
    def referral_count(self) -> int:
        return sum(len(a.referrals) for a in self.areas)

    @property
    def problems(self) -> list[str]:
        """Each thing the SGL § 41 duty needs and the person does not have, in words."""
        return [str(DUTY_PROBLEMS[code]) for code in self.section_41.missing]

    @property
    def ask_consent(self) -> bool:
        return self.section_41.ask_consent


def readiness_of(*, episodes: Sequence[CustodyEpisode], today: dt.date) -> dict[int, Readiness]:
    """Readiness by episode id of episodes read with their person (the caseload, the release
    list): three queries -- needs items, referrals, consents -- whatever their number."""
    ids = [e.pk for e in episodes]
    needs: dict[int, dict[str, str]] = defaultdict(dict)
    for episode_id, domain, status in NeedsItem.objects.filter(
        assessment__episode_id__in=ids
    ).values_list("assessment__episode_id", "domain", "status"):
        needs[episode_id][domain] = status
    referrals: dict[int, list[Referral]] = defaultdict(list)
    for r in Referral.objects.filter(episode_id__in=ids).order_by("-sent_on", "-id"):
        referrals[r.episode_id].append(r)
    consents: dict[int, list[CoordinationConsent]] = defaultdict(list)
    for c in CoordinationConsent.objects.filter(episode_id__in=ids).order_by("-recorded_at", "-id"):
        consents[c.episode_id].append(c)
    return {
        e.pk: _readiness(e, today, needs[e.pk], referrals[e.pk], consents[e.pk]) for e in episodes
    }


def _readiness(
    episode: CustodyEpisode,
    today: dt.date,
    needs: dict[str, str],
    referrals: list[Referral],
    consents: list[CoordinationConsent],
) -> Readiness:
    areas = []
    for area in ReadinessArea:
        domains = readiness.AREA_DOMAINS[area.value]
        own = [r for r in referrals if r.area == area.value]
        status = readiness.area_status([needs.get(d, "") for d in domains], [r.status for r in own])
        areas.append(
            AreaReadiness(
                area=area.value,
                label=area.label,
                status=status,
                status_label=AREA_STATUS_LABELS[status],
                needs=[(d, needs.get(d, "")) for d in domains],
                referrals=own,
            )
        )
    expected = episode.expected_release_date
    opens = rules.readiness_window_opens(expected, today) if expected else None
    birth_date = episode.person.birth_date
    consent = consents[0] if consents else None
    duty = readiness.section_41(
        under_limit=rules.under_section_41_age(birth_date, today),
        consents=consent.consents if consent else None,
        coordinator=consent.coordinator if consent else "",
        window_open=opens is not None and opens <= today,
        areas={a.area: a.status for a in areas},
        referrals={a.area: [r.status for r in a.referrals] for a in areas},
    )
    return Readiness(
        episode=episode,
        today=today,
        expected_release=expected,
        window_opens=opens,
        age=age_on(birth_date, today),
        areas=areas,
        section_41=duty,
        consents=consents,
    )


def person_readiness(*, episode: CustodyEpisode, today: dt.date | None = None) -> Readiness:
    """Release readiness of the person of an open custody episode: per area its status and
    referrals, the readiness window (from six months before the expected release), and the
    SGL § 41 duty with what it still needs."""
    today = today or clock.today()
    return readiness_of(episodes=[episode], today=today)[episode.pk]


def facility_releases(
    *, actor: Any, facility: Facility, today: dt.date | None = None
) -> list[Readiness]:
    """Everyone in the actor's caseload in ``facility`` expected to be released from today
    to the end of the release list's horizon (90 days), soonest first, with readiness per area
    and the SGL § 41 flags. A constant number of queries (four, five for a unit-scoped actor),
    whatever the number of persons. Nobody for a role without PLAN_VIEW."""
    today = today or clock.today()
    if not can(actor, Cap.PLAN_VIEW):
        return []
    episodes = list(
        open_episodes_in_caseload(actor)
        .filter(
            facility=facility,
            expected_release_date__gte=today,
            expected_release_date__lte=rules.release_list_end(today),
        )
        .select_related("person", "unit", "cell", "contact_officer")
        .order_by("expected_release_date", "person__family_name", "person__given_names", "pk")
    )
    by_episode = readiness_of(episodes=episodes, today=today)
    return [by_episode[e.pk] for e in episodes]
