"""Telephone (SGL § 32; SGF § 3-29; STRPL § 186; RULES.md §§ 7, 8): the numbers a person may
call, the facility's phone setting, the weekly quota and its use, and the import of the phone
system's call records.

- A person asks for a number (staff record it, ``CONTACT_VIEW``); staff with ``CONTACT_EDIT``
  approve, refuse or remove it. A number linked to a lawyer or an official body is privileged:
  never monitored (and the cost of monitoring is never charged to the person).
- The facility's weekly minutes are never below the law's minimum (``weekly_minutes``); calls are
  monitored by default in high security, not in lower security (``VISIT_MANAGE`` changes it,
  with a reason when it departs from the default).
- While a court visit ban is in force the person may call only privileged numbers (a person
  under 18 keeps their closest family, RULES.md § 7); with visits only under police control,
  calls are monitored.
- Call records come as CSV from the phone system (``PHONE_IMPORT``); every row is checked, a file
  with errors imports nothing unless the valid rows are asked for, and duplicates are skipped.

Calls to lawyers and official bodies are not counted against the weekly quota: a service
standard of this system, so that the quota never limits the person's defence.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from normalitet.audit.services import record_change
from normalitet.core import clock
from normalitet.core.errors import Conflict, DomainError
from normalitet.core.validation import ensure_open, text
from normalitet.custody.models import CustodyEpisode
from normalitet.estate.models import Facility, SecurityLevel
from normalitet.identity.policies import ensure_cap
from normalitet.identity.roles import Cap

from .domain.rules import PHONE_RULES, age_on, in_force, weekly_minutes
from .models import (
    CallImport,
    CallRecord,
    Contact,
    ContactStatus,
    CourtRestriction,
    PhoneNumber,
    PhoneSetting,
    PhoneStatus,
    RestrictionKind,
)
from .restrictions import family_exempt, in_force_many, state_on

LIVE = (PhoneStatus.REQUESTED, PhoneStatus.APPROVED)
CSV_COLUMNS = ("call_id", "person_number", "number", "started_at", "duration_seconds")
MAX_CALL_SECONDS = 24 * 3600

# --- Numbers ------------------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s\-./()]")


def normalise_number(raw: str, *, field_name: str = "number") -> str:
    """A phone number in E.164 (``+4791234567``).

    Norwegian numbers have 8 digits, the first 2-9 (written with or without +47 or 0047);
    other countries' numbers are written with + or 00 and the country code, 8-15 digits in all.
    Spaces, dashes, dots, slashes and brackets are ignored. The ``phonenumbers`` library is not
    installed, so this is a careful pattern, not a full numbering plan."""
    value = _SEPARATORS.sub("", raw or "")
    if not value:
        raise DomainError(_("Give the phone number."), field=field_name)
    if value.startswith("00"):
        value = "+" + value[2:]
    if value.startswith("+"):
        digits = value[1:]
    elif len(value) == 8:
        digits = "47" + value
    else:
        digits = ""
    ok = digits.isdigit() and digits[0] != "0"
    if ok and digits.startswith("47"):
        ok = len(digits) == 10 and digits[2] in "23456789"
    elif ok:
        ok = 8 <= len(digits) <= 15
    if not ok:
        raise DomainError(
            _(
                "Write a Norwegian number with 8 digits, or a foreign number with + and the "
                "country code."
            ),
            field=field_name,
        )
    return "+" + digits


def numbers_of(person_id: int) -> QuerySet[PhoneNumber]:
    return (
        PhoneNumber.objects.filter(person_id=person_id)
        .select_related("contact__visitor", "decided_by")
        .order_by("status", "label", "pk")
    )


def phone_number_add(
    *,
    actor: Any,
    episode: CustodyEpisode,
    number: str,
    label: str = "",
    contact: Contact | None = None,
    approve: bool = False,
) -> PhoneNumber:
    """Record a number the person asks to call; with ``approve`` (``CONTACT_EDIT``) it is
    approved at once. A number linked to a lawyer or an official body is privileged."""
    ensure_cap(actor, Cap.CONTACT_EDIT if approve else Cap.CONTACT_VIEW)
    ensure_open(episode)
    number = normalise_number(number)
    if contact is not None:
        if contact.person_id != episode.person_id or contact.status not in (
            ContactStatus.REQUESTED,
            ContactStatus.APPROVED,
        ):
            raise DomainError(_("Choose a contact of this person."), field="contact")
        if approve and contact.status != ContactStatus.APPROVED:
            raise DomainError(
                _("The contact must be approved before the number is."), field="contact"
            )
    label = text(
        label or (contact.visitor.full_name if contact is not None else ""),
        "label",
        _("Say whose number it is."),
        120,
    )
    now = clock.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                phone = PhoneNumber.objects.create(
                    person_id=episode.person_id,
                    contact=contact,
                    number=number,
                    label=label,
                    privileged=contact is not None and contact.privileged,
                    status=PhoneStatus.APPROVED if approve else PhoneStatus.REQUESTED,
                    decided_by=actor if approve else None,
                    decided_at=now if approve else None,
                )
        except IntegrityError as exc:
            raise Conflict(
                _("The person already has this number, or asked for it."), field="number"
            ) from exc
        record_change(
            actor=actor,
            action="phone.approve" if approve else "phone.request",
            obj=phone,
            person_id=phone.person_id,
            data={"number": number, "privileged": phone.privileged},
        )
    return phone


def phone_number_decide(
    *, actor: Any, phone: PhoneNumber, approve: bool, reason: str = ""
) -> PhoneNumber:
    """Approve or refuse a number the person asked for; a refusal gives its reason."""
    ensure_cap(actor, Cap.CONTACT_EDIT)
    reason = text(reason, "reason", None if approve else _("Give the reason."), 500)
    with transaction.atomic():
        phone = (
            PhoneNumber.objects.select_for_update(of=("self",))
            .select_related("contact")
            .get(pk=phone.pk)
        )
        if phone.status != PhoneStatus.REQUESTED:
            raise DomainError(_("Only a number asked for can be decided."))
        if approve and phone.contact is not None and phone.contact.status != "approved":
            raise DomainError(_("The contact must be approved before the number is."))
        phone.status = PhoneStatus.APPROVED if approve else PhoneStatus.REFUSED
        phone.decided_by = actor
        phone.decided_at = clock.now()
        phone.reason = reason
        phone.save()
        record_change(
            actor=actor,
            action="phone.approve" if approve else "phone.refuse",
            obj=phone,
            person_id=phone.person_id,
            reason=reason,
        )
    return phone


def phone_number_remove(*, actor: Any, phone: PhoneNumber, reason: str) -> PhoneNumber:
    """Take a number off the person's list, with the reason."""
    ensure_cap(actor, Cap.CONTACT_EDIT)
    reason = text(reason, "reason", _("Give the reason."), 500)
    with transaction.atomic():
        phone = PhoneNumber.objects.select_for_update().get(pk=phone.pk)
        if phone.status not in LIVE:
            raise DomainError(_("The number is no longer on the list."))
        phone.status = PhoneStatus.REMOVED
        phone.decided_by = actor
        phone.decided_at = clock.now()
        phone.reason = reason
        phone.save()
        record_change(
            actor=actor,
            action="phone.remove",
            obj=phone,
            person_id=phone.person_id,
            reason=reason,
        )
    return phone


# --- The facility's setting ---------------------------------------------------------------------


def monitored_by_default(facility: Facility) -> bool:
    """Calls are monitored in high security unless not needed, not in lower security."""
    return facility.security_level == SecurityLevel.HIGH


def setting_of(facility: Facility) -> PhoneSetting:
    """The facility's setting; if none was saved, the default (not saved): the law's minimum
    minutes, monitored by security level."""
    found = PhoneSetting.objects.filter(facility=facility).first()
    if found is not None:
        return found
    return PhoneSetting(
        facility=facility,
        weekly_minutes=in_force(PHONE_RULES, clock.today()).weekly_minutes_min,
        monitored=monitored_by_default(facility),
    )


def phone_setting_update(
    *,
    actor: Any,
    facility: Facility,
    weekly_minutes: int,
    monitored: bool,
    monitoring_reason: str = "",
) -> PhoneSetting:
    """Change the facility's minutes a week (never below the law's minimum) and whether calls
    are monitored; departing from the security level's default needs a reason."""
    ensure_cap(actor, Cap.VISIT_MANAGE)
    floor = in_force(PHONE_RULES, clock.today()).weekly_minutes_min
    if weekly_minutes < floor:
        raise DomainError(
            _("The law gives at least %(n)s minutes a week.") % {"n": floor},
            field="weekly_minutes",
        )
    if weekly_minutes > 10_000:
        raise DomainError(_("At most %(n)s minutes.") % {"n": 10_000}, field="weekly_minutes")
    default = monitored_by_default(facility)
    reason = text(
        monitoring_reason,
        "monitoring_reason",
        None
        if monitored == default
        else _("Say why calls are monitored, or why they need not be, in this facility."),
        300,
    )
    with transaction.atomic():
        setting, _created = PhoneSetting.objects.select_for_update().get_or_create(
            facility=facility,
            defaults={"weekly_minutes": weekly_minutes, "monitored": monitored},
        )
        setting.weekly_minutes = weekly_minutes
        setting.monitored = monitored
        setting.monitoring_reason = reason
        setting.save()
        record_change(
            actor=actor,
            action="phone.setting",
            obj=setting,
            data={"weekly_minutes": weekly_minutes, "monitored": monitored},
            reason=reason,
        )
    return setting


# --- Court restrictions and the allowlist -------------------------------------------------------


@dataclass(frozen=True)
class AllowedNumber:
    number: str
    label: str
    privileged: bool
    monitored: bool


@dataclass
class AllowedPerson:
    person_id: int
    person_number: str
    name: str
    visit_ban: bool
    numbers: list[AllowedNumber] = field(default_factory=list)


def allowed_numbers(facility_id: int, day: dt.date) -> list[AllowedPerson]:
    """For each person in custody in the facility, the numbers they may call on ``day`` and
    whether each call is monitored: what the phone system reads. Approved numbers whose contact
    (if any) is still approved; under a visit ban only the privileged ones (and, for a person
    under 18, the closest family's). Never monitored: privileged numbers. Four queries."""
    facility = Facility.objects.get(pk=facility_id)
    monitored_here = setting_of(facility).monitored
    episodes = list(
        CustodyEpisode.objects.filter(facility_id=facility_id, released_at__isnull=True)
        .select_related("person")
        .order_by("person__family_name", "person__given_names", "person_id")
    )
    ids = [e.person_id for e in episodes]
    orders = in_force_many(ids, day)
    numbers: dict[int, list[PhoneNumber]] = defaultdict(list)
    for phone in (
        PhoneNumber.objects.filter(person_id__in=ids, status=PhoneStatus.APPROVED)
        .filter(Q(contact__isnull=True) | Q(contact__status=ContactStatus.APPROVED))
        .select_related("contact")
        .order_by("label", "pk")
    ):
        numbers[phone.person_id].append(phone)
    result = []
    for ep in episodes:
        person = ep.person
        order = orders.get(ep.person_id)
        ban = bool(order and order.visit_ban)
        police = bool(order and order.visits_police)
        row = AllowedPerson(ep.person_id, person.person_number, person.full_name, ban)
        for phone in numbers[ep.person_id]:
            exempt = family_exempt(person.birth_date, day, [phone.contact])
            if ban and not phone.privileged and not exempt:
                continue
            row.numbers.append(
                AllowedNumber(
                    phone.number,
                    phone.label,
                    phone.privileged,
                    not phone.privileged and (monitored_here or police),
                )
            )
        result.append(row)
    return result


_SPAN = ("person_id", "starts_on", "ends_on", "lifted_on")


def _bans(person_ids: list[int], start: dt.date, end: dt.date) -> dict[int, list[CourtRestriction]]:
    """Visit and letter bans of the persons overlapping ``start``..``end``, per person (one
    query, only the dates read)."""
    found: dict[int, list[CourtRestriction]] = defaultdict(list)
    for order in CourtRestriction.objects.filter(
        person_id__in=person_ids,
        kind__in=(RestrictionKind.VISIT_BAN, RestrictionKind.LETTER_BAN),
        starts_on__lte=end,
        ends_on__gte=start,
    ).only(*_SPAN):
        found[order.person_id].append(order)
    return found


def _banned_on(orders: list[CourtRestriction], day: dt.date) -> bool:
    """Whether one of ``orders`` is in force on ``day``."""
    return any(state_on(o, day) == "in_force" for o in orders)


# --- Weeks and usage ----------------------------------------------------------------------------


def week_monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def parse_week(value: str | None, *, field_name: str = "week") -> dt.date:
    """An ISO week (``2026-W10``) as its Monday; empty: this week."""
    if not value:
        return week_monday(clock.today())
    match = re.fullmatch(r"(\d{4})-?W(\d{1,2})", value.strip().upper())
    try:
        if match is None:
            raise ValueError(value)
        return dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError as exc:
        raise DomainError(_("Give the week as 2026-W10."), field=field_name) from exc


def week_label(monday: dt.date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def week_span(monday: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of the week's Monday and of the next Monday, in Europe/Oslo."""
    return (
        clock.local_day_bounds(monday)[0],
        clock.local_day_bounds(monday + dt.timedelta(days=6))[1],
    )


@dataclass
class WeekUsage:
    """One person's calls in one week against their quota."""

    person_id: int
    name: str
    person_number: str
    week: dt.date
    quota: int
    seconds: int = 0  # counted against the quota
    privileged_seconds: int = 0
    calls: int = 0
    monitored_calls: int = 0
    unapproved_calls: int = 0
    banned_calls: int = 0

    @property
    def minutes(self) -> int:
        return math.ceil(self.seconds / 60)

    @property
    def privileged_minutes(self) -> int:
        return math.ceil(self.privileged_seconds / 60)

    @property
    def over_quota(self) -> bool:
        return self.minutes > self.quota

    @property
    def left(self) -> int:
        return max(self.quota - self.minutes, 0)

    @property
    def label(self) -> str:
        return week_label(self.week)


@dataclass(frozen=True)
class CallRow:
    """A call as a page shows it, with its flags."""

    record: CallRecord
    privileged: bool
    unapproved: bool
    during_ban: bool

    @property
    def minutes(self) -> int:
        return math.ceil(self.record.seconds / 60)


def quota_of(*, birth_date: dt.date, facility: Facility, day: dt.date) -> int:
    """The person's minutes a week: the facility's setting, never below the law's minimum."""
    return weekly_minutes(
        day,
        under_18=age_on(birth_date, day) < 18,
        facility_minutes=setting_of(facility).weekly_minutes,
    )


def _call_rows(records: list[CallRecord], bans: dict[int, list[CourtRestriction]]) -> list[CallRow]:
    rows = []
    for r in records:
        privileged = r.phone_number is not None and r.phone_number.privileged
        day = r.started_at.astimezone(clock.OSLO).date()
        rows.append(
            CallRow(
                r,
                privileged,
                r.phone_number_id is None,
                not privileged and _banned_on(bans.get(r.person_id, []), day),
            )
        )
    return rows


def usage_for_week(
    *, episodes: list[CustodyEpisode], facility: Facility, monday: dt.date
) -> list[WeekUsage]:
    """Each person's use in the week starting ``monday``, from the call records of the
    facility (three queries, whatever the number of persons)."""
    start, end = week_span(monday)
    sunday = monday + dt.timedelta(days=6)
    minutes_here = setting_of(facility).weekly_minutes
    usage: dict[int, WeekUsage] = {}
    for ep in episodes:
        p = ep.person
        quota = weekly_minutes(
            sunday,
            under_18=age_on(p.birth_date, monday) < 18,
            facility_minutes=minutes_here,
        )
        usage[ep.person_id] = WeekUsage(ep.person_id, p.full_name, p.person_number, monday, quota)
    records = list(
        CallRecord.objects.filter(
            facility=facility,
            person_id__in=list(usage),
            started_at__gte=start,
            started_at__lt=end,
        ).select_related("phone_number")
    )
    bans = _bans(list(usage), monday, sunday)
    for row in _call_rows(records, bans):
        u = usage[row.record.person_id]
        u.calls += 1
        if row.privileged:
            u.privileged_seconds += row.record.seconds
        else:
            u.seconds += row.record.seconds
        u.monitored_calls += int(row.record.monitored)
        u.unapproved_calls += int(row.unapproved)
        u.banned_calls += int(row.during_ban)
    return list(usage.values())


def person_weeks(*, episode: CustodyEpisode, weeks: int = 4) -> list[WeekUsage]:
    """The person's use this week and the weeks before, the newest first."""
    this = week_monday(clock.today())
    found = []
    for i in range(weeks):
        monday = this - dt.timedelta(days=7 * i)
        found.extend(usage_for_week(episodes=[episode], facility=episode.facility, monday=monday))
    return found


def person_calls(*, episode: CustodyEpisode, monday: dt.date) -> list[CallRow]:
    start, end = week_span(monday)
    records = list(
        CallRecord.objects.filter(
            person_id=episode.person_id, started_at__gte=start, started_at__lt=end
        )
        .select_related("phone_number")
        .order_by("-started_at")
    )
    bans = _bans([episode.person_id], monday, monday + dt.timedelta(days=6))
    return _call_rows(records, bans)


# --- Import of call records ---------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


@dataclass
class ImportResult:
    """What an import found; ``saved`` is the stored import, or None when nothing was."""

    rows: int = 0
    valid: int = 0
    added: int = 0
    duplicates: int = 0
    unapproved: int = 0
    during_ban: int = 0
    errors: list[RowError] = field(default_factory=list)
    saved: CallImport | None = None


@dataclass(frozen=True)
class _Parsed:
    line: int
    call_id: str
    person_id: int
    number: str
    started_at: dt.datetime
    seconds: int


def _read_csv(content: bytes | str) -> list[tuple[int, dict[str, str]]]:
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DomainError(_("The file must be a CSV file in UTF-8."), field="file") from exc
    sample = content[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(content), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise DomainError(
            _("The file lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)},
            field="file",
        )
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            rows.append((reader.line_num, {k: (row.get(k) or "").strip() for k in CSV_COLUMNS}))
    except csv.Error as exc:
        raise DomainError(
            _("The file is not valid CSV (line %(line)s).") % {"line": reader.line_num},
            field="file",
        ) from exc
    if not rows:
        raise DomainError(_("The file has no call records."), field="file")
    return rows


def _parse_row(line: int, row: dict[str, str], persons: dict[str, int]) -> _Parsed | RowError:
    call_id = row["call_id"]
    if not call_id or len(call_id) > 64:
        return RowError(line, _("call_id must be given, at most 64 characters."))
    person_id = persons.get(row["person_number"].upper())
    if person_id is None:
        return RowError(
            line,
            _("No person in this prison has the person number %(n)s.")
            % {"n": row["person_number"] or "—"},
        )
    try:
        number = normalise_number(row["number"])
    except DomainError as exc:
        return RowError(line, f"{row['number'] or '—'}: {exc.message}")
    try:
        started_at = dt.datetime.fromisoformat(row["started_at"])
    except ValueError:
        started_at = None
    if started_at is None or started_at.tzinfo is None:
        return RowError(
            line,
            _("started_at must be a date and time with its offset, such as %(e)s.")
            % {"e": "2026-03-02T18:05:00+01:00"},
        )
    if started_at > clock.now():
        return RowError(line, _("started_at is in the future."))
    try:
        seconds = int(row["duration_seconds"])
    except ValueError:
        seconds = -1
    if not 0 <= seconds <= MAX_CALL_SECONDS:
        return RowError(line, _("duration_seconds must be a whole number of seconds."))
    return _Parsed(line, call_id, person_id, number, started_at.astimezone(dt.UTC), seconds)


def calls_import(
    *,
    actor: Any,
    facility: Facility,
    filename: str,
    content: bytes | str,
    import_valid: bool = False,
) -> ImportResult:
    """Import the phone system's call records for the facility (CSV with the columns
    ``CSV_COLUMNS``). Every row is checked and its errors reported by line; a file with errors
    imports nothing unless ``import_valid``. Calls already imported (the same ``call_id`` in the
    facility) are skipped. Each call is matched to the person's approved number; calls to
    numbers not approved, and to non-privileged numbers while a visit or letter ban is in force,
    are counted in the result (the pages flag them)."""
    ensure_cap(actor, Cap.PHONE_IMPORT)
    filename = text(filename, "file", None, 200) or "calls.csv"
    raw = _read_csv(content)
    result = ImportResult(rows=len(raw))
    wanted = {r["person_number"].upper() for _line, r in raw}
    persons: dict[str, int] = {}
    for number, pid, released in CustodyEpisode.objects.filter(
        facility=facility, person__person_number__in=wanted
    ).values_list("person__person_number", "person_id", "released_at"):
        # A person in custody here now wins over one released from here before.
        if released is None or number.upper() not in persons:
            persons[number.upper()] = pid
    parsed: list[_Parsed] = []
    for line, row in raw:
        item = _parse_row(line, row, persons)
        if isinstance(item, RowError):
            result.errors.append(item)
        else:
            parsed.append(item)
    result.valid = len(parsed)
    if result.errors and not import_valid:
        return result
    if not parsed:
        raise DomainError(_("No row of the file can be imported."), field="file")
    with transaction.atomic():
        known = set(
            CallRecord.objects.filter(
                facility=facility, call_id__in=[p.call_id for p in parsed]
            ).values_list("call_id", flat=True)
        )
        fresh: list[_Parsed] = []
        for p in parsed:
            if p.call_id in known:
                result.duplicates += 1
                continue
            known.add(p.call_id)
            fresh.append(p)
        ids = sorted({p.person_id for p in fresh})
        approved = {
            (ph.person_id, ph.number): ph
            for ph in PhoneNumber.objects.filter(person_id__in=ids, status=PhoneStatus.APPROVED)
        }
        days = [p.started_at.astimezone(clock.OSLO).date() for p in fresh]
        bans = _bans(ids, min(days), max(days)) if fresh else {}
        police = _police_days(ids, days)
        monitored_here = setting_of(facility).monitored
        source = CallImport.objects.create(
            facility=facility,
            filename=filename,
            imported_at=clock.now(),
            imported_by=actor,
            rows=result.rows,
            added=len(fresh),
            duplicates=result.duplicates,
        )
        records = []
        for p, day in zip(fresh, days, strict=True):
            phone = approved.get((p.person_id, p.number))
            privileged = phone is not None and phone.privileged
            result.unapproved += int(phone is None)
            result.during_ban += int(not privileged and _banned_on(bans.get(p.person_id, []), day))
            records.append(
                CallRecord(
                    person_id=p.person_id,
                    facility=facility,
                    number=p.number,
                    phone_number=phone,
                    started_at=p.started_at,
                    seconds=p.seconds,
                    monitored=not privileged and (monitored_here or (p.person_id, day) in police),
                    call_id=p.call_id,
                    source=source,
                )
            )
        CallRecord.objects.bulk_create(records, batch_size=1000)
        result.added = len(records)
        record_change(
            actor=actor,
            action="phone.import",
            obj=source,
            data={
                "rows": result.rows,
                "added": result.added,
                "duplicates": result.duplicates,
                "errors": len(result.errors),
                "unapproved": result.unapproved,
                "during_ban": result.during_ban,
            },
        )
    result.saved = source
    return result


def _police_days(person_ids: list[int], days: list[dt.date]) -> set[tuple[int, dt.date]]:
    """(person, day) pairs with visits only under police control in force (one query)."""
    if not days:
        return set()
    found = set()
    orders = CourtRestriction.objects.filter(
        person_id__in=person_ids,
        kind=RestrictionKind.VISITS_POLICE,
        starts_on__lte=max(days),
        ends_on__gte=min(days),
    ).only(*_SPAN)
    rows: dict[int, list[CourtRestriction]] = defaultdict(list)
    for order in orders:
        rows[order.person_id].append(order)
    for pid, spans in rows.items():
        for day in set(days):
            if _banned_on(spans, day):
                found.add((pid, day))
    return found


def imports_of(facility: Facility) -> QuerySet[CallImport]:
    return CallImport.objects.filter(facility=facility).select_related("imported_by")[:10]
