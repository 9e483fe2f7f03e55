"""The court's restrictions on a person on remand (STRPL §§ 186, 186 a; RULES.md § 7): recorded,
renewed and lifted by the remand office (``RESTRICTION_EDIT``), seen by everyone with
``CONTACT_VIEW`` in the caseload, so that officers know the orders in force.

An order is recorded only for a person on remand. Full isolation is checked against the law
(:func:`~normalitet.contact.domain.rules.isolation_problems`): never under 18, each order at most
two weeks, the continuous total within 6 or 12 weeks by the offence's maximum penalty. A renewal
is the court's new order: a new row that continues the old one the day after it expires, checked
the same way (full isolation counts the continuous total). A new visit ban cancels the visits in
its period and police control flags them, with notice to the visitors
(:func:`~normalitet.contact.visits.bookings_review_for_order`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from normalitet.audit.services import record_change
from normalitet.core import clock
from normalitet.core.errors import Conflict, DomainError, NotFound
from normalitet.core.validation import ensure_open, text
from normalitet.custody.models import CustodyEpisode, LegalStatus
from normalitet.identity.policies import ensure_cap
from normalitet.identity.roles import Cap
from normalitet.people.models import Person

from . import access, restrictions, visits
from .domain.rules import (
    ISOLATION_RULES,
    Period,
    age_on,
    continuous_days,
    in_force,
    isolation_maximum_weeks,
    isolation_problems,
)
from .models import CourtRestriction, RestrictionKind

K = RestrictionKind
RULE = "court-order"


# --- Selectors ----------------------------------------------------------------------------------


def is_current(order: CourtRestriction, day: dt.date) -> bool:
    """In force on ``day`` or still to come (not lifted, not expired)."""
    return restrictions.state_on(order, day) in ("in_force", "to_come")


def orders_of(*, actor: Any, person_id: int) -> list[CourtRestriction]:
    """Every order of a person in the actor's caseload (:func:`episode_orders`)."""
    return episode_orders(access.ensure_episode(actor=actor, person_id=person_id))


def episode_orders(episode: CustodyEpisode) -> list[CourtRestriction]:
    """Every order of the person of ``episode`` (the caller resolved it from the caseload): the
    current ones (in force or to come) first, by expiry; then the past ones, the latest first."""
    rows = list(
        CourtRestriction.objects.filter(person_id=episode.person_id)
        .select_related("recorded_by")
        .prefetch_related("named_persons")
    )
    today = clock.today()
    current = sorted((o for o in rows if is_current(o, today)), key=lambda o: (o.ends_on, o.pk))
    past = sorted(
        (o for o in rows if not is_current(o, today)), key=lambda o: (o.ends_on, o.pk), reverse=True
    )
    return current + past


def ensure_order(*, actor: Any, order_id: int) -> CourtRestriction:
    """An order of a person in the actor's caseload (their current stay), else NotFound."""
    order = (
        CourtRestriction.objects.filter(pk=order_id, episode__in=access.episodes_for(actor=actor))
        .select_related("person", "episode")
        .first()
    )
    if order is None:
        raise NotFound(_("No such court order."))
    return order


def parse_week(value: str | None) -> tuple[dt.date, dt.date]:
    """An ISO week ``2026-W10`` as (Monday, Sunday); empty: the current week."""
    if not value:
        today = clock.today()
        monday = today - dt.timedelta(days=today.weekday())
        return monday, monday + dt.timedelta(days=6)
    try:
        year, week = value.upper().split("-W")
        monday = dt.date.fromisocalendar(int(year), int(week), 1)
    except ValueError as exc:
        raise DomainError(_("Give the week as YYYY-Www, such as 2026-W10."), field="week") from exc
    return monday, monday + dt.timedelta(days=6)


def week_of(day: dt.date) -> str:
    year, week, _day = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Expiring:
    """One order on the list of orders expiring: with the days left and, for full isolation,
    the continuous total up to its expiry against the legal maximum (days)."""

    order: CourtRestriction
    days_left: int
    isolation_days: int | None
    isolation_maximum_days: int | None

    @property
    def unit_name(self) -> str:
        unit = self.order.episode.unit
        return unit.name if unit is not None else ""


def _periods(rows: Iterable[CourtRestriction]) -> list[Period]:
    """The days each order actually ran or runs: to its expiry, or the day before it was lifted."""
    periods = []
    for o in rows:
        end = o.ends_on
        if o.lifted_on is not None:
            end = min(end, o.lifted_on - dt.timedelta(days=1))
        if end >= o.starts_on:
            periods.append(Period(o.starts_on, end))
    return periods


def isolation_figures(
    order: CourtRestriction, others: Iterable[CourtRestriction]
) -> tuple[int, int | None]:
    """For an order of full isolation: the days without a break up to its end
    (:func:`isolation_so_far`), and the legal maximum in days (None while the offence's maximum
    penalty is not given)."""
    maximum = None
    if order.offence_max_years is not None:
        maximum = isolation_maximum_weeks(order.starts_on, order.offence_max_years) * 7
    return isolation_so_far(order, others), maximum


def isolation_so_far(order: CourtRestriction, others: Iterable[CourtRestriction]) -> int:
    """Days of full isolation without a break up to the end of ``order``."""
    earlier = _periods(
        o
        for o in others
        if o.pk != order.pk and o.kind == K.FULL_ISOLATION and o.starts_on <= order.starts_on
    )
    mine = _periods([order])
    if not mine:
        return 0
    return continuous_days(earlier, mine[0])


def expiring_week(
    *, actor: Any, week: str | None = None
) -> tuple[dt.date, dt.date, list[Expiring]]:
    """The orders of the persons in the actor's caseload in their facility that expire in the
    ISO ``week`` (default the current week), the soonest first."""
    facility = access.contact_facility(actor=actor)
    start, end = parse_week(week)
    rows = list(
        restrictions.expiring(facility_id=facility.pk, start=start, end=end).filter(
            episode__in=access.episodes_for(actor=actor)
        )
    )
    isolated = {o.person_id for o in rows if o.kind == K.FULL_ISOLATION}
    history: dict[int, list[CourtRestriction]] = {}
    for o in CourtRestriction.objects.filter(person_id__in=isolated, kind=K.FULL_ISOLATION):
        history.setdefault(o.person_id, []).append(o)
    today = clock.today()
    found = []
    for o in rows:
        total: int | None = None
        maximum: int | None = None
        if o.kind == K.FULL_ISOLATION:
            total, maximum = isolation_figures(o, history.get(o.person_id, []))
        found.append(Expiring(o, (o.ends_on - today).days, total, maximum))
    return start, end, found


# --- Checks -------------------------------------------------------------------------------------


def _editable_episode(actor: Any, episode: CustodyEpisode) -> CustodyEpisode:
    ensure_cap(actor, Cap.RESTRICTION_EDIT)
    found = access.ensure_same_episode(actor=actor, episode=episode)
    ensure_open(found)
    return found


def _isolation_messages(
    problems: list[str], *, days: int, offence_max_years: int | None, on: dt.date
) -> list[tuple[str, str]]:
    """(field, message) for each rule of full isolation the order breaks."""
    rules = in_force(ISOLATION_RULES, on)
    found = []
    for code in problems:
        if code == "under_18":
            found.append(
                (
                    "kind",
                    _("Full isolation is never ordered for a person under 18 (STRPL § 186 a)."),
                )
            )
        elif code == "step":
            found.append(
                (
                    "ends_on",
                    _(
                        "One order of full isolation runs at most %(days)s days (STRPL § 186 a); "
                        "a longer isolation needs the court's renewal."
                    )
                    % {"days": rules.step_days},
                )
            )
        elif code == "penalty_unknown":
            found.append(
                (
                    "offence_max_years",
                    _(
                        "Give the maximum penalty of the offence: it sets how long full "
                        "isolation may last (STRPL § 186 a)."
                    ),
                )
            )
        elif code == "maximum" and offence_max_years is not None:
            weeks = isolation_maximum_weeks(on, offence_max_years)
            found.append(
                (
                    "ends_on",
                    _(
                        "Full isolation would last %(days)s days without a break, beyond the "
                        "maximum of %(weeks)s weeks where the offence carries up to "
                        "%(years)s years (STRPL § 186 a)."
                    )
                    if offence_max_years <= rules.threshold_years
                    else _(
                        "Full isolation would last %(days)s days without a break, beyond the "
                        "maximum of %(weeks)s weeks (STRPL § 186 a)."
                    ),
                )
            )
            field, message = found[-1]
            found[-1] = (
                field,
                message % {"days": days, "weeks": weeks, "years": offence_max_years},
            )
    return found


def _check(
    *,
    episode: CustodyEpisode,
    kind: str,
    ordered_on: dt.date,
    starts_on: dt.date,
    ends_on: dt.date,
    offence_max_years: int | None,
    named_person_ids: Iterable[int],
    previous: CourtRestriction | None = None,
) -> list[int]:
    """Refuse an order that breaks a rule (the first problem's field; every problem of full
    isolation in one message). Returns the named persons' ids."""
    if kind not in K.values:
        raise DomainError(_("Choose the kind of restriction."), field="kind")
    if episode.legal_status != LegalStatus.REMAND:
        raise DomainError(
            _(
                "The court orders restrictions only for persons on remand (STRPL § 186); this "
                "person is not on remand."
            ),
            field="kind",
            rule=RULE,
        )
    today = clock.today()
    if ends_on < starts_on:
        raise DomainError(_("The order expires before it starts."), field="ends_on", rule=RULE)
    if ordered_on > today:
        raise DomainError(_("The order date cannot be in the future."), field="ordered_on")
    if ordered_on > starts_on:
        raise DomainError(
            _("The order cannot take effect before the court made it."), field="starts_on"
        )
    if offence_max_years is not None and not 1 <= offence_max_years <= 30:
        raise DomainError(
            _("The maximum penalty is from 1 to 30 years."), field="offence_max_years"
        )
    ids: list[int] = []
    if kind == K.ISOLATION_NAMED:
        ids = sorted(set(named_person_ids))
        if not ids:
            raise DomainError(
                _("Name at least one person the court isolated the person from."),
                field="named_persons",
                rule=RULE,
            )
        if episode.person_id in ids:
            raise DomainError(
                _("The person cannot be isolated from themselves."), field="named_persons"
            )
        if Person.objects.filter(pk__in=ids).count() != len(ids):
            raise DomainError(
                _("Each named person must be known to the correctional service."),
                field="named_persons",
            )
    same = (
        CourtRestriction.objects.filter(person_id=episode.person_id, kind=kind)
        .filter(starts_on__lte=ends_on, ends_on__gte=starts_on)
        .filter(Q(lifted_on__isnull=True) | Q(lifted_on__gt=starts_on))
    )
    if previous is not None:
        same = same.exclude(pk=previous.pk)
    if same.exists():
        raise Conflict(
            _(
                "An order of this kind already covers some of these days: renew it or lift it "
                "instead."
            ),
            field="starts_on",
            rule=RULE,
        )
    if kind == K.FULL_ISOLATION:
        earlier = _periods(
            CourtRestriction.objects.filter(
                person_id=episode.person_id, kind=K.FULL_ISOLATION, starts_on__lt=starts_on
            )
        )
        new = Period(starts_on, ends_on)
        problems = isolation_problems(
            earlier=earlier,
            new=new,
            person_age=age_on(episode.person.birth_date, starts_on),
            offence_max_years=offence_max_years,
        )
        if problems:
            found = _isolation_messages(
                problems,
                days=continuous_days(earlier, new),
                offence_max_years=offence_max_years,
                on=starts_on,
            )
            raise DomainError(
                " ".join(m for _f, m in found), field=found[0][0], rule="court-isolation"
            )
    return ids


def _texts(court: str, case_number: str, note: str) -> tuple[str, str, str]:
    return (
        text(court, "court", _("Give the court that made the order."), 120),
        text(case_number, "case_number", _("Give the court's case number."), 40),
        text(note, "note", None, 500),
    )


def _save(
    *,
    actor: Any,
    episode: CustodyEpisode,
    action: str,
    fields: dict[str, Any],
    named: list[int],
    data: dict[str, Any],
) -> CourtRestriction:
    with transaction.atomic():
        order = CourtRestriction.objects.create(
            person_id=episode.person_id, episode=episode, recorded_by=actor, **fields
        )
        if named:
            order.named_persons.set(named)
        cancelled, flagged = visits.bookings_review_for_order(
            actor=actor,
            person_id=episode.person_id,
            kind=order.kind,
            starts_on=order.starts_on,
            ends_on=order.ends_on,
        )
        record_change(
            actor=actor,
            action=action,
            obj=order,
            person_id=episode.person_id,
            data={
                "kind": order.kind,
                "starts_on": order.starts_on.isoformat(),
                "ends_on": order.ends_on.isoformat(),
                "named": len(named),
                "visits_cancelled": cancelled,
                "visits_flagged": flagged,
                **data,
            },
        )
    order.visits_cancelled = cancelled  # type: ignore[attr-defined]
    order.visits_flagged = flagged  # type: ignore[attr-defined]
    return order


# --- Services -----------------------------------------------------------------------------------


def order_record(
    *,
    actor: Any,
    episode: CustodyEpisode,
    kind: str,
    court: str,
    case_number: str,
    ordered_on: dt.date,
    starts_on: dt.date,
    ends_on: dt.date,
    offence_max_years: int | None = None,
    named_person_ids: Iterable[int] = (),
    note: str = "",
) -> CourtRestriction:
    """Record a court order restricting a person on remand (STRPL § 186, § 186 a)."""
    episode = _editable_episode(actor, episode)
    court, case_number, note = _texts(court, case_number, note)
    named = _check(
        episode=episode,
        kind=kind,
        ordered_on=ordered_on,
        starts_on=starts_on,
        ends_on=ends_on,
        offence_max_years=offence_max_years,
        named_person_ids=named_person_ids,
    )
    return _save(
        actor=actor,
        episode=episode,
        action="contact.order_record",
        fields={
            "kind": kind,
            "court": court,
            "case_number": case_number,
            "ordered_on": ordered_on,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "offence_max_years": offence_max_years,
            "note": note,
        },
        named=named,
        data={},
    )


def order_renew(
    *,
    actor: Any,
    order: CourtRestriction,
    ends_on: dt.date,
    ordered_on: dt.date,
    case_number: str | None = None,
) -> CourtRestriction:
    """The court's new order continuing ``order`` from the day after it expires to
    ``ends_on``: a new row, made before the old one expired."""
    episode = _editable_episode(actor, order.episode)
    order = ensure_order(actor=actor, order_id=order.pk)
    if order.lifted_on is not None:
        raise Conflict(_("A lifted order cannot be renewed."), rule=RULE)
    starts_on = order.ends_on + dt.timedelta(days=1)
    if CourtRestriction.objects.filter(
        person_id=order.person_id, kind=order.kind, starts_on=starts_on
    ).exists():
        raise Conflict(_("The order has been renewed already."), rule=RULE)
    if ordered_on > order.ends_on:
        raise DomainError(
            _("The renewal must be ordered before the order expired; record a new order."),
            field="ordered_on",
            rule=RULE,
        )
    _court, case_number, _note = _texts(
        order.court, case_number if case_number else order.case_number, ""
    )
    if ordered_on > clock.today():
        raise DomainError(_("The order date cannot be in the future."), field="ordered_on")
    if ends_on < starts_on:
        raise DomainError(
            _("The renewal must run past the old order's expiry (%(date)s).")
            % {"date": order.ends_on.strftime("%d.%m.%Y")},
            field="ends_on",
            rule=RULE,
        )
    named = _check(
        episode=episode,
        kind=order.kind,
        ordered_on=ordered_on,
        starts_on=starts_on,
        ends_on=ends_on,
        offence_max_years=order.offence_max_years,
        named_person_ids=order.named_persons.values_list("pk", flat=True),
        previous=order,
    )
    return _save(
        actor=actor,
        episode=episode,
        action="contact.order_renew",
        fields={
            "kind": order.kind,
            "court": order.court,
            "case_number": case_number,
            "ordered_on": ordered_on,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "offence_max_years": order.offence_max_years,
            "note": order.note,
        },
        named=named,
        data={"renews": order.pk},
    )


def order_lift(
    *, actor: Any, order: CourtRestriction, lifted_on: dt.date, reason: str
) -> CourtRestriction:
    """The court (or the prosecution) lifted the order: not in force from ``lifted_on``."""
    _editable_episode(actor, order.episode)
    reason = text(reason, "reason", _("Give the reason the order was lifted."), 500)
    with transaction.atomic():
        order = CourtRestriction.objects.select_for_update().get(
            pk=ensure_order(actor=actor, order_id=order.pk).pk
        )
        if order.lifted_on is not None:
            raise Conflict(_("The order is lifted already."), rule=RULE)
        if lifted_on > clock.today():
            raise DomainError(_("The date cannot be in the future."), field="lifted_on")
        if lifted_on < order.ordered_on or lifted_on > order.ends_on:
            raise DomainError(
                _("The order can be lifted from %(start)s to its expiry, %(end)s.")
                % {
                    "start": order.ordered_on.strftime("%d.%m.%Y"),
                    "end": order.ends_on.strftime("%d.%m.%Y"),
                },
                field="lifted_on",
            )
        order.lifted_on = lifted_on
        order.lifted_reason = reason
        order.save(update_fields=["lifted_on", "lifted_reason", "updated_at"])
        record_change(
            actor=actor,
            action="contact.order_lift",
            obj=order,
            person_id=order.person_id,
            data={"kind": order.kind, "lifted_on": lifted_on.isoformat()},
            reason=reason,
        )
    return order


def named_in_same_unit(order: CourtRestriction) -> bool:
    """Whether a person named in an isolation order is placed in the person's unit now: the
    order does not move anyone, so staff are told to (cell allocation refuses new placements)."""
    unit_id = order.episode.unit_id
    if order.kind != K.ISOLATION_NAMED or unit_id is None:
        return False
    return CustodyEpisode.objects.filter(
        released_at__isnull=True,
        unit_id=unit_id,
        person_id__in=order.named_persons.values("pk"),
    ).exists()


def named_ids_from_numbers(numbers: Iterable[str]) -> list[int]:
    """Person numbers (as written on the order's form) to ids; an unknown number is refused."""
    wanted = [n.strip() for n in numbers if n.strip()]
    found = dict(Person.objects.filter(person_number__in=wanted).values_list("person_number", "pk"))
    missing = [n for n in wanted if n not in found]
    if missing:
        raise DomainError(
            _("No person with the number %(numbers)s is known to the correctional service.")
            % {"numbers": ", ".join(missing)},
            field="named_persons",
        )
    return [found[n] for n in wanted]
