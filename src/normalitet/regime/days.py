"""Writes for the regime of each unit: day plans and their blocks, closures (a locked-down
regime for a unit or the whole facility), the unit's settings (self-catering, its own minimum
time out of cell) and restrictions on company (exclusion; the court's isolation is recorded
as a court order under family contact, and only read here).

Each service is keyword-only, needs ``REGIME_MANAGE`` in the actor's own facility, refuses bad
input with a ``DomainError`` before anything is written, and writes its audit event (codes and
dates only, no free text) in the same transaction. Public holidays follow the weekend plan
(:mod:`.domain.calendar`); they are not recorded here.

Restrictions on company are recorded here until the security app owns exclusions (SGL § 37);
then it will record them and this module only reads them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from normalitet.audit.services import record_change
from normalitet.core import clock
from normalitet.core.errors import Conflict, DomainError, NotFound
from normalitet.core.validation import text
from normalitet.custody.models import CustodyEpisode
from normalitet.estate.models import Unit
from normalitet.identity.policies import ensure_cap
from normalitet.identity.roles import Cap
from normalitet.planning.checks import admitted_on

from . import occurrences as occ
from .access import ensure_unit, regime_facility
from .models import (
    BlockKind,
    Closure,
    CompanyRestriction,
    CompanyRestrictionKind,
    DayPlan,
    DayPlanBlock,
    DayType,
    UnitRegime,
)

DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class BlockIn:
    """One period of a day plan, as given."""

    kind: str
    starts: dt.time
    ends: dt.time
    in_company: bool = True


def _managed_unit(actor: Any, unit: Unit | int) -> Unit:
    ensure_cap(actor, Cap.REGIME_MANAGE)
    return ensure_unit(actor=actor, unit_id=unit if isinstance(unit, int) else unit.pk)


def _dates(starts_on: dt.date | None, ends_on: dt.date | None) -> None:
    if starts_on is None:
        raise DomainError(_("Give the first day."), field="starts_on")
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("The last day is before the first."), field="ends_on")


def _fmt(t: dt.time) -> str:
    return t.strftime("%H:%M")


def check_blocks(blocks: Iterable[BlockIn]) -> list[BlockIn]:
    """The blocks in time order, each a known kind that ends after it starts on the same day,
    none overlapping another. The night needs no block: outside the blocks the person is in
    their cell."""
    ordered = sorted(blocks, key=lambda b: (b.starts, b.ends))
    if not ordered:
        raise DomainError(_("Give at least one period of the day."), field="blocks")
    for block in ordered:
        if block.kind not in BlockKind.values:
            raise DomainError(_("Choose what happens in each period."), field="blocks")
        if block.ends <= block.starts:
            raise DomainError(
                _(
                    "The period %(starts)s–%(ends)s must end after it starts, on the same day "
                    "(the night needs no period: it is time in the cell)."
                )
                % {"starts": _fmt(block.starts), "ends": _fmt(block.ends)},
                field="blocks",
            )
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.starts < before.ends:
            raise DomainError(
                _("The periods %(a)s and %(b)s overlap.")
                % {
                    "a": f"{_fmt(before.starts)}–{_fmt(before.ends)}",
                    "b": f"{_fmt(after.starts)}–{_fmt(after.ends)}",
                },
                field="blocks",
            )
    return ordered


def day_plans_of(*, actor: Any, unit: Unit) -> QuerySet[DayPlan]:
    """The unit's day plans with their blocks, the newest first within each kind of day."""
    ensure_unit(actor=actor, unit_id=unit.pk)
    return (
        DayPlan.objects.filter(unit=unit)
        .prefetch_related("blocks")
        .order_by("day_type", "-valid_from", "-id")
    )


def day_plan_create(
    *,
    actor: Any,
    unit: Unit | int,
    day_type: str,
    valid_from: dt.date,
    blocks: Iterable[BlockIn],
    note: str = "",
) -> DayPlan:
    """A unit's day for weekdays, or for weekends and public holidays, from a date: unlock,
    meals, activities, outdoor time and association, each in or out of company. A new plan
    starts today or later, so the figures of past days stay as they were."""
    unit = _managed_unit(actor, unit)
    if day_type not in DayType.values:
        raise DomainError(_("Choose the kind of day."), field="day_type")
    if valid_from is None or valid_from < clock.today():
        raise DomainError(_("A day plan starts today or later."), field="valid_from")
    note = text(note, "note", None, 255)
    ordered = check_blocks(blocks)
    if DayPlan.objects.filter(unit=unit, day_type=day_type, valid_from=valid_from).exists():
        raise Conflict(
            _("The unit already has a plan for this kind of day from that date."),
            field="valid_from",
        )
    with transaction.atomic():
        try:
            plan = DayPlan.objects.create(
                unit=unit, day_type=day_type, valid_from=valid_from, note=note
            )
        except IntegrityError as exc:  # a concurrent plan won
            raise Conflict(
                _("The unit already has a plan for this kind of day from that date."),
                field="valid_from",
            ) from exc
        DayPlanBlock.objects.bulk_create(
            DayPlanBlock(
                plan=plan, kind=b.kind, starts=b.starts, ends=b.ends, in_company=b.in_company
            )
            for b in ordered
        )
        record_change(
            actor=actor,
            action="regime.day_plan_created",
            obj=plan,
            data={
                "unit": unit.pk,
                "day_type": day_type,
                "valid_from": valid_from.isoformat(),
                "blocks": [[b.kind, _fmt(b.starts), _fmt(b.ends), b.in_company] for b in ordered],
            },
        )
    return plan


def day_plan_for(*, actor: Any, plan_id: int) -> DayPlan:
    """A day plan of a unit the actor may see, else NotFound."""
    plan = DayPlan.objects.select_related("unit").filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(_("No such day plan."))
    ensure_unit(actor=actor, unit_id=plan.unit_id)
    return plan


def day_plan_copy(
    *,
    actor: Any,
    source: DayPlan,
    unit: Unit | int,
    valid_from: dt.date,
    day_type: str | None = None,
) -> DayPlan:
    """A new plan with the blocks of another (another unit of the facility, or the same unit's
    plan of another date), from ``valid_from``; the kind of day is the source's unless given."""
    source = day_plan_for(actor=actor, plan_id=source.pk)
    blocks = [BlockIn(b.kind, b.starts, b.ends, b.in_company) for b in source.blocks.all()]
    return day_plan_create(
        actor=actor,
        unit=unit,
        day_type=day_type or source.day_type,
        valid_from=valid_from,
        blocks=blocks,
        note=source.note,
    )


def day_plan_withdraw(*, actor: Any, plan: DayPlan) -> None:
    """Take back a plan that has not come into force (a plan in force stays as history)."""
    plan = day_plan_for(actor=actor, plan_id=plan.pk)
    _managed_unit(actor, plan.unit_id)
    if plan.valid_from <= clock.today():
        raise Conflict(_("The plan is in force; add a new plan instead."))
    with transaction.atomic():
        record_change(
            actor=actor,
            action="regime.day_plan_withdrawn",
            obj=plan,
            data={"unit": plan.unit_id, "day_type": plan.day_type, "valid_from": plan.valid_from},
        )
        plan.delete()


# --- Closures --------------------------------------------------------------------------------


def closures_for(*, actor: Any, since: dt.date) -> QuerySet[Closure]:
    """The closures of the actor's facility that end on or after ``since``."""
    facility = regime_facility(actor=actor)
    return (
        Closure.objects.filter(facility=facility, ends_on__gte=since)
        .select_related("unit", "recorded_by")
        .order_by("starts_on", "id")
    )


def closure_add(
    *,
    actor: Any,
    starts_on: dt.date,
    ends_on: dt.date,
    reason: str,
    unit: Unit | int | None = None,
) -> Closure:
    """Days on which a unit, or the whole facility, runs a locked-down regime: association and
    activities do not run, only outdoor time, alone. Refused when a closure of the same unit
    (or of the whole facility) already covers one of the days."""
    ensure_cap(actor, Cap.REGIME_MANAGE)
    the_unit = _managed_unit(actor, unit) if unit is not None else None
    if not getattr(actor, "facility_id", None):
        raise NotFound(_("No such facility."))
    _dates(starts_on, ends_on)
    if ends_on is None:
        raise DomainError(_("Give the last day."), field="ends_on")
    reason = text(reason, "reason", _("Say why the regime is closed."), 255)
    overlapping = Closure.objects.filter(
        facility_id=actor.facility_id,
        unit=the_unit,
        starts_on__lte=ends_on,
        ends_on__gte=starts_on,
    )
    if overlapping.exists():
        raise Conflict(_("A closure already covers some of these days."), field="starts_on")
    with transaction.atomic():
        closure = Closure.objects.create(
            facility_id=actor.facility_id,
            unit=the_unit,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason,
            recorded_by=actor,
        )
        record_change(
            actor=actor,
            action="regime.closure_added",
            obj=closure,
            data={"unit": closure.unit_id, "starts_on": starts_on, "ends_on": ends_on},
        )
    return closure


def closure_for(*, actor: Any, closure_id: int) -> Closure:
    closure = Closure.objects.filter(
        pk=closure_id, facility_id=getattr(actor, "facility_id", None) or 0
    ).first()
    if closure is None:
        raise NotFound(_("No such closure."))
    return closure


def closure_end(*, actor: Any, closure: Closure, ends_on: dt.date | None = None) -> Closure:
    """End a closure early: its last day becomes ``ends_on`` (by default today)."""
    ensure_cap(actor, Cap.REGIME_MANAGE)
    closure = closure_for(actor=actor, closure_id=closure.pk)
    ends_on = ends_on or clock.today()
    if ends_on < closure.starts_on:
        raise DomainError(
            _("The closure begins %(on)s; it cannot end before it begins.")
            % {"on": closure.starts_on.isoformat()},
            field="ends_on",
        )
    if ends_on >= closure.ends_on:
        raise DomainError(
            _("The closure already ends on %(on)s.") % {"on": closure.ends_on.isoformat()},
            field="ends_on",
        )
    with transaction.atomic():
        previous = closure.ends_on
        closure.ends_on = ends_on
        closure.save(update_fields=["ends_on"])
        record_change(
            actor=actor,
            action="regime.closure_ended",
            obj=closure,
            data={"from": previous, "to": ends_on},
        )
    return closure


# --- The unit's settings ---------------------------------------------------------------------


def unit_settings_of(unit: Unit) -> UnitRegime:
    return UnitRegime.objects.filter(unit=unit).first() or UnitRegime(unit=unit)


def unit_settings_set(
    *, actor: Any, unit: Unit | int, self_catering: bool, minimum_minutes: int | None
) -> UnitRegime:
    """Whether the unit is self-catering (food money instead of meals, SGF § 3-13), and its
    own minimum time out of cell a day, if it differs from the service standard."""
    unit = _managed_unit(actor, unit)
    if minimum_minutes is not None and not 1 <= minimum_minutes <= DAY_MINUTES:
        raise DomainError(
            _("The minimum is between 1 and %(n)s minutes.") % {"n": DAY_MINUTES},
            field="minimum_minutes",
        )
    with transaction.atomic():
        settings, _created = UnitRegime.objects.select_for_update().get_or_create(unit=unit)
        previous = [settings.self_catering, settings.minimum_out_of_cell_minutes]
        settings.self_catering = bool(self_catering)
        settings.minimum_out_of_cell_minutes = minimum_minutes
        settings.save()
        record_change(
            actor=actor,
            action="regime.unit_settings_set",
            obj=settings,
            data={
                "unit": unit.pk,
                "from": previous,
                "to": [settings.self_catering, minimum_minutes],
            },
        )
    return settings


# --- Restrictions on company -----------------------------------------------------------------


def _facility_episode(actor: Any, episode: CustodyEpisode) -> CustodyEpisode:
    ensure_cap(actor, Cap.REGIME_MANAGE)
    if episode.released_at is not None or episode.facility_id != actor.facility_id:
        raise NotFound(_("No such person."))
    return episode


def restrictions_of(*, episode: CustodyEpisode) -> QuerySet[CompanyRestriction]:
    return CompanyRestriction.objects.filter(episode=episode).order_by("-starts_on", "-id")


def company_restriction_add(
    *,
    actor: Any,
    episode: CustodyEpisode,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    note: str = "",
) -> CompanyRestriction:
    """Record a restriction on company (court-ordered isolation, STRPL § 186 a; exclusion,
    SGL § 37): while it runs the person takes no part in association or group activities,
    which the time-out-of-cell figures show. Refused when one of the same kind already runs
    on one of the days."""
    episode = _facility_episode(actor, episode)
    if kind not in CompanyRestrictionKind.values:
        raise DomainError(_("Choose the kind of restriction."), field="kind")
    if kind == CompanyRestrictionKind.COURT:
        # The court's full isolation counts from its order (contact.restrictions): recording it
        # here too would record the same order twice. Rows made before stay as they are.
        raise DomainError(
            _(
                "Court orders are recorded under Court restrictions (family contact), where "
                "they are enforced; they are not recorded here."
            ),
            field="kind",
            rule="court-order-elsewhere",
        )
    _dates(starts_on, ends_on)
    if starts_on < admitted_on(episode):
        raise DomainError(_("The restriction begins before the admission."), field="starts_on")
    note = text(note, "note", None, 500)
    if CompanyRestriction.objects.filter(
        occ.overlapping(starts_on, ends_on), episode=episode, kind=kind
    ).exists():
        raise Conflict(
            _("A restriction of this kind already covers some of these days."), field="starts_on"
        )
    with transaction.atomic():
        restriction = CompanyRestriction.objects.create(
            person_id=episode.person_id,
            episode=episode,
            kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            note=note,
            recorded_by=actor,
        )
        record_change(
            actor=actor,
            action="regime.company_restriction_added",
            obj=restriction,
            person_id=episode.person_id,
            data={"kind": kind, "starts_on": starts_on, "ends_on": ends_on},
        )
    return restriction


def company_restriction_for(*, actor: Any, restriction_id: int) -> CompanyRestriction:
    restriction = (
        CompanyRestriction.objects.select_related("episode")
        .filter(pk=restriction_id, episode__facility_id=getattr(actor, "facility_id", None) or 0)
        .first()
    )
    if restriction is None or restriction.episode.released_at is not None:
        raise NotFound(_("No such restriction."))
    return restriction


def company_restriction_end(
    *, actor: Any, restriction: CompanyRestriction, ends_on: dt.date | None = None
) -> CompanyRestriction:
    """End a restriction: its last day becomes ``ends_on`` (by default today)."""
    ensure_cap(actor, Cap.REGIME_MANAGE)
    restriction = company_restriction_for(actor=actor, restriction_id=restriction.pk)
    ends_on = ends_on or clock.today()
    if ends_on < restriction.starts_on:
        raise DomainError(_("The last day is before the first."), field="ends_on")
    if restriction.ends_on is not None and ends_on >= restriction.ends_on:
        raise DomainError(
            _("The restriction already ends on %(on)s.") % {"on": restriction.ends_on.isoformat()},
            field="ends_on",
        )
    with transaction.atomic():
        previous = restriction.ends_on
        restriction.ends_on = ends_on
        restriction.save(update_fields=["ends_on"])
        record_change(
            actor=actor,
            action="regime.company_restriction_ended",
            obj=restriction,
            person_id=restriction.person_id,
            data={"from": previous, "to": ends_on},
        )
    return restriction
